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

// The folding table, the one definition of what the C++ side and the static search script
// (site/static/assets/search.js, which reads it from the index's meta.json) fold: marks on Latin
// letters are dropped, letters with a stroke lose it, and a Khmer cluster starts at a consonant
// or independent vowel not preceded by the coeng (subscript sign).
struct SearchCodeRange {
  char32_t first = 0, last = 0;
};
inline constexpr SearchCodeRange kSearchLatinMarks[] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x20D0, 0x20FF}, {0xFE20, 0xFE2F}};
struct SearchStrokeLetter {
  char32_t letter = 0;
  char base = 0;
};
// Case folding has already made Đ đ.
inline constexpr SearchStrokeLetter kSearchStrokeLetters[] = {
    {0x0111, 'd'}, {0x00F8, 'o'}, {0x0142, 'l'}, {0x0127, 'h'}};
inline constexpr SearchCodeRange kSearchKhmerClusterStart = {0x1780, 0x17B3};
inline constexpr char32_t kSearchKhmerCoeng = 0x17D2;

// Returns the folding table above as a JSON object (marks, strokes, khmer_start, coeng).
std::string SearchFoldTableJson();

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
