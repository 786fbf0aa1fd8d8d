#pragma once
// Text for search (ICU): words by the language's word breaks (Khmer by dictionary, so every word
// inside an unspaced run is its own token), folded so that what a reader types on any keyboard
// matches: NFKC, case-folded, marks of Latin letters removed and đ -> d ("Đặc xá" -> "dac xa").
// The index and the query are folded by these same functions, so SQLite's FTS5 only ever sees
// space-separated folded words and never has to understand Khmer or Vietnamese.
#include <string>
#include <string_view>
#include <vector>

namespace clemency {

// One word of a text, folded, with where it stands in the text (UTF-8 byte offsets).
struct SearchToken {
  std::string folded;
  size_t begin = 0, end = 0;
  // Follows the previous word with nothing between them (words of one unspaced Khmer run).
  bool joined = false;
};

// Returns `word` folded for matching: NFKC, case-folded, Latin marks removed, đ -> d.
std::string FoldForSearch(std::string_view word);
// Returns the words of `text` by `locale`'s ICU word breaks (punctuation and spaces dropped),
// each folded (FoldForSearch).
std::vector<SearchToken> SearchTokens(std::string_view text, const std::string& locale);
// Returns the folded words of `text` joined by single spaces: what the index stores.
std::string SearchIndexText(std::string_view text, const std::string& locale);

// A part of a reader's query: one word, or words that must stand together (a "quoted phrase",
// or the words ICU finds inside one unspaced Khmer run or a word like "don't").
struct SearchQueryPart {
  std::vector<std::string> words;  // folded
  bool prefix = false;             // the last word may be the start of a longer one
};
// Returns the parts of `query`: words in any order, "quoted phrases", and the last word (when
// the query does not end in a space or a quote) as a prefix, so "vay v" finds "vay vốn".
std::vector<SearchQueryPart> ParseSearchQuery(std::string_view query, const std::string& locale);

// Returns up to about `max_chars` characters of `text` around the first word matching a part of
// `parts` (the text's start when none does), HTML-escaped, each matching word wrapped in
// <mark>, with "…" where text was cut. The text shown is the original, not the folded form.
std::string SearchSnippet(std::string_view text, const std::vector<SearchQueryPart>& parts,
                          const std::string& locale, size_t max_chars);

}  // namespace clemency
