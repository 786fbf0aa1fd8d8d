#include "public_api/selfcheck_route.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "core/site_paths.h"
#include "core/text.h"
#include "selfcheck/engine.h"

namespace clemency {
namespace {

constexpr const char* kFields[] = {"sentence_years", "sentence_months", "served_years",
                                   "served_months"};

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

// The computed answer's page, or the box that is wrong and the string that says why.
struct Computed {
  std::string target;
  std::string field, message_key;
};

Computed Compute(const httplib::Request& req, const selfcheck::RuleSet& rules,
                 const selfcheck::Question& question, const std::string& lang) {
  const bool fixed = question.time == selfcheck::TimeRule::kFixedTerm;
  long numbers[4] = {};
  for (int i = 0; i < 4; ++i) {
    if (!fixed && i < 2) continue;  // a commuted life sentence has no sentence boxes
    auto number = SmallNumber(req, kFields[i]);
    if (!number) return {"", kFields[i], "error_number"};
    if ((i == 1 || i == 3) && *number > 11) return {"", kFields[i], "error_months"};
    numbers[i] = *number;
  }
  const long sentence = numbers[0] * 12 + numbers[1], served = numbers[2] * 12 + numbers[3];
  auto option_id = selfcheck::TimeOption(rules.CurrentRound(), question.time, sentence, served);
  if (!option_id.ok()) {
    // TimeOption checks the time served first; say which box to change.
    const bool served_wrong = served > 100 * 12 || (fixed && sentence > 0 &&
                                                    sentence <= 100 * 12 && served > sentence);
    return served_wrong ? Computed{"", "served_years", "error_served"}
                        : Computed{"", "sentence_years", "error_sentence"};
  }
  const selfcheck::Option* option = question.FindOption(*option_id);
  if (!option) return {"", "served_years", "error_served"};
  return {option->outcome.empty() ? paths::SelfCheck(lang, option->next)
                                  : paths::SelfCheckResult(lang, option->outcome),
          "", ""};
}

// The question's own page with the message next to the wrong box (marked for screen readers)
// and the numbers typed put back; 400, as the answer could not be worked out.
void ServeWithError(const httplib::Request& req, httplib::Response& res,
                    const StaticHandler& fallback, const std::string& field,
                    const std::string& message) {
  httplib::Request plain = req;  // the whole page, uncompressed, whatever the reader's cache has
  for (const char* header : {"Accept-Encoding", "Range", "If-None-Match", "If-Modified-Since"}) {
    plain.headers.erase(header);
  }
  fallback(plain, res);
  if (res.status != 200 && res.status != -1) return;  // -1: httplib sends it as 200
  std::string body = res.body;
  const std::string marker = "<!--error:" + field + "-->";
  const size_t at = body.find(marker);
  if (at == std::string::npos) return;
  body.replace(at, marker.size(),
               " <strong class=\"field-error\" id=\"" + field + "-error\">" + EscapeHtml(message) +
                   "</strong>");
  const std::string input = "id=\"" + field + "\"";
  const size_t box = body.find("<input " + input);
  if (box != std::string::npos) {
    body.insert(box + 7 + input.size(),
                " aria-invalid=\"true\" aria-describedby=\"" + field + "-error\"");
  }
  for (const char* name : kFields) {
    const std::string attr = "name=\"" + std::string(name) + "\"";
    const size_t pos = body.find(attr);
    if (pos == std::string::npos || !req.has_param(name)) continue;
    body.insert(pos + attr.size(),
                " value=\"" + EscapeHtml(req.get_param_value(name).substr(0, 8)) + "\"");
  }
  for (const char* header : {"ETag", "Last-Modified", "Accept-Ranges", "Cache-Control"}) {
    res.headers.erase(header);
  }
  res.status = 400;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_content(body, "text/html; charset=utf-8");
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
    const Computed computed = Compute(req, rules, *question, lang);
    if (computed.target.empty()) {
      return ServeWithError(req, res, fallback, computed.field,
                            rules.String(computed.message_key, lang));
    }
    Redirect(res, 303, computed.target);
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
