#include "api/selfcheck_route.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/site_paths.h"
#include "selfcheck/engine.h"

namespace clemency {
namespace {

// A whole number of 0 to 3 digits ("" is 0: a field left empty); nullopt otherwise.
std::optional<long> SmallNumber(const httplib::Request& req, const char* name) {
  const std::string text = req.has_param(name) ? req.get_param_value(name) : "";
  if (text.size() > 3) return std::nullopt;
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// The page the computed answer leads to, or "" when the numbers cannot be a sentence.
std::string TargetOf(const httplib::Request& req, const selfcheck::RuleSet& rules,
                     const selfcheck::Question& question, const std::string& lang) {
  auto sentence_years = SmallNumber(req, "sentence_years");
  auto sentence_months = SmallNumber(req, "sentence_months");
  auto served_years = SmallNumber(req, "served_years");
  auto served_months = SmallNumber(req, "served_months");
  if (!sentence_years || !sentence_months || !served_years || !served_months ||
      *sentence_months > 11 || *served_months > 11) {
    return "";
  }
  auto option_id = selfcheck::TimeOption(rules.CurrentRound(), question.time,
                                         *sentence_years * 12 + *sentence_months,
                                         *served_years * 12 + *served_months);
  if (!option_id.ok()) return "";
  const selfcheck::Option* option = question.FindOption(*option_id);
  if (!option) return "";
  return option->outcome.empty() ? paths::SelfCheck(lang, option->next)
                                 : paths::SelfCheckResult(lang, option->outcome);
}

void Redirect(httplib::Response& res, int status, const std::string& location) {
  res.status = status;
  res.set_header("Location", location);
  // The answers are the reader's own: no cache keeps them, no page after this one sees them.
  res.set_header("Cache-Control", "no-store");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_content("", "text/plain; charset=utf-8");
}

}  // namespace

void RegisterSelfCheck(GuardedServer& server, const SiteConfig& config,
                       const selfcheck::RuleSet& rules, StaticHandler fallback) {
  if (rules.empty()) return;
  const std::string pattern =
      std::string("/([a-z]{2,3})/") + paths::kSelfCheckFolder + "/([a-z0-9-]+)/";
  server.Get(pattern, [&config, &rules, fallback](const httplib::Request& req,
                                                  httplib::Response& res) {
    const std::string lang = req.matches[1];
    const selfcheck::Question* question = rules.FindQuestion(req.matches[2]);
    if (!config.FindLanguage(lang) || !question || question->time == selfcheck::TimeRule::kNone ||
        !req.has_param("served_years")) {
      return fallback(req, res);
    }
    const std::string target = TargetOf(req, rules, *question, lang);
    Redirect(res, 303, target.empty() ? paths::SelfCheck(lang, question->id) + "#compute" : target);
  });
}

std::string PickLanguage(const std::string& header, const SiteConfig& config) {
  struct Choice {
    double quality;
    size_t order;
    std::string code;
  };
  std::vector<Choice> choices;
  size_t start = 0, order = 0;
  while (start <= header.size()) {
    size_t comma = header.find(',', start);
    std::string item =
        header.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? header.size() + 1 : comma + 1;
    std::string tag = item.substr(0, item.find(';'));
    tag.erase(
        std::remove_if(tag.begin(), tag.end(), [](unsigned char c) { return std::isspace(c); }),
        tag.end());
    std::transform(tag.begin(), tag.end(), tag.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    double quality = 1;
    size_t q = item.find("q=");
    if (q != std::string::npos) quality = std::atof(item.c_str() + q + 2);
    const std::string primary = tag.substr(0, tag.find('-'));
    if (quality > 0 && config.FindLanguage(primary)) choices.push_back({quality, order++, primary});
  }
  std::stable_sort(choices.begin(), choices.end(),
                   [](const Choice& a, const Choice& b) { return a.quality > b.quality; });
  return choices.empty() ? "" : choices.front().code;
}

void RegisterLanguageChoice(GuardedServer& server, const SiteConfig& config,
                            StaticHandler fallback) {
  server.Get("/", [&config, fallback](const httplib::Request& req, httplib::Response& res) {
    // Caches must keep one answer per Accept-Language.
    res.set_header("Vary", "Accept-Language");
    const std::string lang = PickLanguage(req.get_header_value("Accept-Language"), config);
    if (lang.empty()) return fallback(req, res);
    res.status = 302;
    res.set_header("Location", paths::Home(lang));
    res.set_header("Cache-Control", "private, max-age=0");
    res.set_content("", "text/plain; charset=utf-8");
  });
}

}  // namespace clemency
