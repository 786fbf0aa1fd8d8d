#include "content/round_mentions.h"

#include <regex>

#include "i18n/text.h"

namespace clemency {
namespace {

// A decision of the President on special amnesty: number/year/QĐ-CTN (the Đ may be typed D).
const std::regex& DecisionPattern() {
  static const std::regex pattern(R"(\b(\d{1,5})/((?:19|20)\d\d)/q(?:đ|d)-ctn\b)");
  return pattern;
}

// An amnesty named by its year, in the words pages use. Lower-case text.
const std::regex* YearPattern(const std::string& locale) {
  static const std::regex vi(
      R"((?:đặc xá|đợt)(?: thứ [^ ,.;:\n]+| lần [^ ,.;:\n]+| \d)?(?: của| trong)? năm ((?:19|20)\d\d)\b)");
  static const std::regex en(
      R"(\b((?:19|20)\d\d)(?: special)? amnest(?:y|ies)\b|\bamnesty (?:round )?(?:of|in) ((?:19|20)\d\d)\b|\bround (?:of|in) ((?:19|20)\d\d)\b)");
  if (locale.rfind("vi", 0) == 0) return &vi;
  if (locale.rfind("en", 0) == 0) return &en;
  return nullptr;
}

// The first non-empty capture of `match` as a year.
int YearOf(const std::smatch& match) {
  for (size_t i = 1; i < match.size(); ++i) {
    if (match[i].matched) return std::stoi(match[i].str());
  }
  return 0;
}

}  // namespace

std::string DecisionKey(std::string_view decision) {
  const std::string lower = ToLower(decision, "vi");
  std::smatch match;
  if (!std::regex_search(lower, match, DecisionPattern())) return "";
  return match[1].str() + "/" + match[2].str();
}

std::vector<RoundMention> RoundMentions(std::string_view body, int first_line,
                                        const std::string& locale) {
  std::vector<RoundMention> found;
  const std::regex* years = YearPattern(locale);
  int line = first_line;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('\n', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string lower = ToLower(body.substr(start, end - start), locale);
    for (std::sregex_iterator it(lower.begin(), lower.end(), DecisionPattern()), last; it != last;
         ++it) {
      const std::string key = (*it)[1].str() + "/" + (*it)[2].str();
      found.push_back({key + "/QĐ-CTN", key, std::stoi((*it)[2].str()), line});
    }
    if (years) {
      for (std::sregex_iterator it(lower.begin(), lower.end(), *years), last; it != last; ++it) {
        found.push_back({it->str(), "", YearOf(*it), line});
      }
    }
    start = end + 1;
    ++line;
  }
  return found;
}

}  // namespace clemency
