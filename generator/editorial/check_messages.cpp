#include "editorial/check_messages.h"

#include <regex>

namespace clemency {
namespace {

struct Pattern {
  const char* field;  // the diagnostic's field ("" any)
  std::regex text;
  const char* key;
  std::vector<const char*> args;  // one name per capture group
};

// The message texts of content/checks.cpp, termbase.cpp, loader.cpp and render/site.cpp.
const std::vector<Pattern>& Patterns() {
  static const std::vector<Pattern> patterns = {
      {"wording", std::regex("'(.+)' labels a person by their past; write '(.+)'"),
       "check_wording", {"term", "use"}},
      {"terms", std::regex("'(.+)' is not the site's term for (.+); write '(.+)' \\(site/terms.yaml\\)"),
       "check_term", {"variant", "concept", "preferred"}},
      {"numerals", std::regex("'(.+)' is written with .+; this language writes numbers with (\\S+) .*"),
       "check_numerals", {"token", "digits"}},
      {"readability", std::regex("one sentence has (\\d+) (\\S+) \\(at most (\\d+)\\): '(.*)'; split it"),
       "check_sentence", {"count", "unit", "limit", "start"}},
      {"readability", std::regex("(.+); use shorter sentences and everyday words .*"),
       "check_readability", {"score"}},
      {"", std::regex("link '(.+)' points to .+, which is not a page of this site"),
       "check_link", {"href"}},
      {"", std::regex("link '(.+)': .+ has no heading with id '(.+)'"),
       "check_anchor", {"href", "id"}},
      {"", std::regex("link '(.+)' links to .+, which is scheduled for (\\S+?)[;,].*"),
       "check_link_scheduled", {"href", "date"}},
      {"", std::regex("image '(.+)' has no alt text.*"), "check_alt", {"src"}},
      {"", std::regex("is required"), "check_required", {}},
      {"body", std::regex("is empty"), "check_body_empty", {}},
      {"", std::regex("is empty"), "check_not_empty", {}},
      {"", std::regex("must not be empty"), "check_not_empty", {}},
      {"", std::regex("must be non-empty text"), "check_text", {}},
      {"", std::regex("must list at least one item"), "check_list", {}},
      {"", std::regex("must start with YAML front matter between --- lines"),
       "check_no_front_matter", {}},
      {"", std::regex("front matter is not closed by a --- line"), "check_front_matter_open", {}},
      {"", std::regex("invalid YAML: (.*)"), "check_yaml", {"detail"}},
      {"", std::regex("unknown field; did you mean '(.+)'\\?"), "check_unknown_field_hint", {"hint"}},
      {"", std::regex("unknown field \\(allowed: (.*)\\)"), "check_unknown_field", {"allowed"}},
  };
  return patterns;
}

}  // namespace

CheckMessage ClassifyCheck(const Diagnostic& diagnostic) {
  for (const Pattern& pattern : Patterns()) {
    if (*pattern.field && diagnostic.field != pattern.field) continue;
    std::smatch match;
    if (!std::regex_match(diagnostic.message, match, pattern.text)) continue;
    CheckMessage message{pattern.key, {{"field", diagnostic.field}}};
    for (size_t i = 0; i < pattern.args.size(); ++i) {
      message.args.emplace_back(pattern.args[i], match[i + 1].str());
    }
    return message;
  }
  return {};
}

}  // namespace clemency
