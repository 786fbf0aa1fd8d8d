#pragma once
// What a page's text says about amnesty rounds, so a page that speaks of a round (the home page's
// news) can be checked against the round pages that the site shows as the current round.
#include <string>
#include <string_view>
#include <vector>

namespace clemency {

// A round named in text: a President's decision by its number ("1244/2025/QĐ-CTN") or an
// amnesty by its year ("đặc xá năm 2026", "the 2026 amnesty").
struct RoundMention {
  std::string named;     // as written, for the message
  std::string decision;  // "1244/2025" when a decision is named (see DecisionKey)
  int year = 0;          // the decision's or the amnesty's year
  int line = 0;          // line in the file
};

// Returns "1244/2025" for a decision numbered "1244/2025/QĐ-CTN" (any case, Đ or D), else "".
std::string DecisionKey(std::string_view decision);

// Returns the rounds `body` names, in order. `first_line` is the body's first line in its file;
// `locale` the page's language (years are read in Vietnamese and English text only).
std::vector<RoundMention> RoundMentions(std::string_view body, int first_line,
                                        const std::string& locale);

}  // namespace clemency
