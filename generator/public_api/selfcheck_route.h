#pragma once
// Routes of the reader's side that need the server: the self-check's time question computed
// from two numbers, and `/` sent to the language the browser asks for.
#include <functional>

#include "http/guarded_server.h"
#include "config/site_config.h"
#include "selfcheck/rules.h"

namespace clemency {

using StaticHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

// GET /<lang>/self-check/<question>/?sentence_years=&sentence_months=&served_years=&served_months=
// on a question with a `time` rule: computes whether enough was served (the current round's
// threshold) and answers 303 to the page the matching answer leads to. Numbers that cannot be a
// sentence get 400 with the question's page, the message next to the wrong box (its marker
// `<!--error:FIELD-->` in the template) and the numbers typed put back. Without those numbers, or
// on any other question,
// `fallback` serves the static page. Nothing is stored, no cookie set; the server's log line
// never holds a query string.
void RegisterSelfCheck(GuardedServer& server, const SiteConfig& config,
                       const selfcheck::RuleSet& rules, StaticHandler fallback);

// GET /: 302 to /<lang>/ for the best language of Accept-Language; without one (or with no
// language of the site in it) `fallback` serves the static language choice.
void RegisterLanguageChoice(GuardedServer& server, const SiteConfig& config,
                            StaticHandler fallback);

// The site language an Accept-Language header prefers ("" when none fits): quality order, then
// header order; "en-GB" matches "en"; q=0 excludes.
std::string PickLanguage(const std::string& header, const SiteConfig& config);

}  // namespace clemency
