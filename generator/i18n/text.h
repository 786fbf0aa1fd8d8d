#pragma once
// Unicode text operations (ICU): normalisation, slugs, word-boundary cuts, collation keys.
#include <string>
#include <string_view>
#include <vector>

namespace clemency {

// Unicode NFC, so the same word always has the same bytes (search, sorting, comparisons).
std::string ToNfc(std::string_view text);
// Transliterates to ASCII and joins words with '-': "Điều kiện đặc xá" -> "dieu-kien-dac-xa".
std::string Slugify(std::string_view text);
// An id for a heading: its slug, or, for scripts with no ASCII transliteration (Khmer), its
// words joined with '-' so every heading still gets a readable, unique-able anchor.
std::string AnchorId(std::string_view text);
// Cuts `text` to at most `max_chars` characters at a word boundary of `locale` (ICU word breaks, so
// Khmer without spaces is cut between words) and appends "…" when something was cut.
std::string TruncateAtWord(std::string_view text, size_t max_chars, const std::string& locale);
// A byte string whose byte order is the language's alphabetical order (ICU collation).
std::string CollationKey(std::string_view text, const std::string& locale);
// Words of `text` by ICU word breaks (letters and numbers only, punctuation dropped).
std::vector<std::string> SplitWords(std::string_view text, const std::string& locale);
// `text` as words (ICU word breaks of `locale`, so Khmer without spaces is cut between words) and
// the runs of spaces and punctuation between them, in order: joined, they give `text` (valid
// UTF-8) back.
struct TextToken {
  std::string text;
  bool word = false;  // a word (letters, numbers), else a run of spaces and punctuation
};
std::vector<TextToken> SplitTokens(std::string_view text, const std::string& locale);
// Sentences that hold at least one word, and the words, in one pass (ICU sentence and word
// breaks; Khmer sentences also end at ។ and ៕). `words` (optional) receives every word.
struct TextCounts {
  size_t sentences = 0, words = 0;
};
TextCounts CountSentencesAndWords(std::string_view text, const std::string& locale,
                                  std::vector<std::string>* words = nullptr);
// Each sentence that holds a word, with its number of words (ICU breaks, as above): the
// per-sentence view of CountSentencesAndWords, to find the one sentence that runs on.
struct SentenceWords {
  std::string text;
  size_t words = 0;
};
std::vector<SentenceWords> WordsPerSentence(std::string_view text, const std::string& locale);
// Lowercase by the rules of `locale` (ICU full case mapping).
std::string ToLower(std::string_view text, const std::string& locale);
// Byte offsets where `needle` occurs in `haystack`. With `whole_words`, a match must not touch a
// letter or digit on either side (for scripts written with spaces).
std::vector<size_t> FindTerm(std::string_view haystack, std::string_view needle, bool whole_words);

}  // namespace clemency
