#include "i18n/search_text.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <unordered_map>

#include "core/json.h"
#include "core/text.h"
#include "i18n/icu_strings.h"

namespace clemency {
namespace {

using icu_strings::ToUnicode;
using icu_strings::ToUtf8;

// ICU break iterators are not safe to share between threads while in use: one per thread.
icu::BreakIterator* WordBreaker(const std::string& locale) {
  thread_local std::map<std::string, std::unique_ptr<icu::BreakIterator>> cache;
  auto it = cache.find(locale);
  if (it == cache.end()) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> iterator(
        icu::BreakIterator::createWordInstance(icu::Locale(locale.c_str()), status));
    if (U_FAILURE(status)) iterator.reset();
    it = cache.emplace(locale, std::move(iterator)).first;
  }
  return it->second.get();
}

// Combining marks that sit on Latin letters (Vietnamese tones, breve, horn, circumflex …). Marks
// of other scripts (Khmer vowel signs) are part of their letters and stay.
bool IsLatinMark(UChar32 c) {
  for (const SearchCodeRange& range : kSearchLatinMarks) {
    if (static_cast<char32_t>(c) >= range.first && static_cast<char32_t>(c) <= range.last) {
      return true;
    }
  }
  return false;
}

// Latin letters with a stroke, which no decomposition splits: đ is Vietnamese's.
UChar32 WithoutStroke(UChar32 c) {
  for (const SearchStrokeLetter& stroke : kSearchStrokeLetters) {
    if (static_cast<char32_t>(c) == stroke.letter) return stroke.base;
  }
  return c;
}

bool IsAscii(std::string_view text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string FoldUnicode(const icu::UnicodeString& word) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return ToUtf8(word);
  icu::UnicodeString decomposed = nfd->normalize(casefold->normalize(word, status), status);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (!IsLatinMark(c)) kept.append(WithoutStroke(c));
  }
  icu::UnicodeString out = nfc->normalize(kept, status);
  return U_SUCCESS(status) ? ToUtf8(out) : ToUtf8(kept);
}

size_t Utf8Length(const icu::UnicodeString& value, int32_t start, int32_t end) {
  size_t n = 0;
  for (int32_t i = start; i < end;) {
    UChar32 c = value.char32At(i);
    i += U16_LENGTH(c);
    n += U8_LENGTH(c);
  }
  return n;
}

bool StartsKhmerCluster(UChar32 c) {
  return static_cast<char32_t>(c) >= kSearchKhmerClusterStart.first &&
         static_cast<char32_t>(c) <= kSearchKhmerClusterStart.last;
}

// Where the pieces of the word value[start, end) end: one piece for most words; a Khmer word is
// cut into its orthographic clusters (a consonant or independent vowel with its subscripts,
// vowel signs and marks). ICU's dictionary finds Khmer words by context, so the same word may be
// one token in one run and part of a longer one ("ការលើកលែង") in another; clusters in order
// match whatever the segmentation, as phrases of clusters (ParseSearchQuery joins them).
std::vector<int32_t> KhmerClusterEnds(const icu::UnicodeString& value, int32_t start,
                                      int32_t end) {
  std::vector<int32_t> ends;
  UChar32 previous = 0;
  for (int32_t i = start; i < end;) {
    UChar32 c = value.char32At(i);
    if (i > start && StartsKhmerCluster(c) && previous != static_cast<UChar32>(kSearchKhmerCoeng)) ends.push_back(i);
    previous = c;
    i += U16_LENGTH(c);
  }
  ends.push_back(end);
  return ends;
}

// `piece` folded (FoldForSearch), remembered per thread: a language has a few thousand distinct
// words and Khmer clusters, and ICU's three normalisations per word were most of the time taken
// by indexing and snippets.
std::string FoldUtf8(std::string utf8, const icu::UnicodeString* piece) {
  thread_local std::unordered_map<std::string, std::string> folded;
  auto it = folded.find(utf8);
  if (it != folded.end()) return it->second;
  if (folded.size() > 100000) folded.clear();  // a bound for text in many scripts
  std::string out = IsAscii(utf8) ? FoldForSearch(utf8)
                    : piece       ? FoldUnicode(*piece)
                                  : FoldUnicode(ToUnicode(utf8));
  return folded.emplace(std::move(utf8), std::move(out)).first->second;
}

std::string FoldPiece(const icu::UnicodeString& piece) { return FoldUtf8(ToUtf8(piece), &piece); }

// Whether `c` (a code point) is a letter or digit that Unicode's word-break rules treat alike
// (ALetter or Numeric) in every locale: ASCII letters and digits, and precomposed Latin letters
// (Latin-1's letters, Latin Extended-A and -B, Latin Extended Additional: Vietnamese's).
bool IsPlainWordChar(UChar32 c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x1E00 && c <= 0x1EFF);
}

// Punctuation that, before or after a run of plain word characters with nothing else around,
// is a segment of its own under the word-break rules (no rule joins it to the run).
bool IsPlainPunctuation(UChar32 c) {
  switch (c) {
    case '.': case ',': case ';': case ':': case '!': case '?': case '(': case ')': case '"':
    case '[': case ']': case '\'': case 0x201C: case 0x201D: case 0x2018: case 0x2019:
    case 0x2026: case 0x2013: case 0x2014:
      return true;
    default:
      return false;
  }
}

// The byte range [*begin, *end) of the one word of `chunk` (no spaces in it) when it is
// punctuation, plain word characters, punctuation (each part may be empty, the word not);
// false for anything else, which the break iterator segments.
bool PlainWord(std::string_view chunk, size_t* begin, size_t* end) {
  int32_t i = 0;
  const int32_t n = static_cast<int32_t>(chunk.size());
  int phase = 0;  // 0: leading punctuation, 1: the word, 2: trailing punctuation
  *begin = *end = 0;
  while (i < n) {
    const int32_t at = i;
    UChar32 c;
    U8_NEXT(chunk.data(), i, n, c);
    if (c < 0) return false;
    if (IsPlainWordChar(c)) {
      if (phase == 2) return false;
      if (phase == 0) *begin = static_cast<size_t>(at), phase = 1;
      *end = static_cast<size_t>(i);
    } else if (IsPlainPunctuation(c)) {
      if (phase == 1) phase = 2;
    } else {
      return false;
    }
  }
  return phase != 0;
}

bool IsChunkSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

bool IsQuote(std::string_view text, size_t i, size_t* length) {
  if (text[i] == '"') return *length = 1, true;
  // “ and ” (U+201C, U+201D), which phones type for a quote.
  if (text.compare(i, 3, "\xE2\x80\x9C") == 0 || text.compare(i, 3, "\xE2\x80\x9D") == 0) {
    return *length = 3, true;
  }
  return false;
}

// Adds the words of `segment` to `parts`: one part for a quoted segment, else one per run of
// joined words.
void AddParts(std::string_view segment, bool quoted, const std::string& locale,
              std::vector<SearchQueryPart>* parts) {
  std::vector<SearchToken> tokens = SearchTokens(segment, locale);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i == 0 || !(quoted || tokens[i].joined)) parts->push_back({});
    parts->back().words.push_back(std::move(tokens[i].folded));
  }
}

bool WordMatches(const std::string& folded, const SearchQueryPart& part, size_t i) {
  const std::string& word = part.words[i];
  if (part.prefix && i + 1 == part.words.size()) return folded.compare(0, word.size(), word) == 0;
  return folded == word;
}

// Which of `tokens` are inside a match of a part of `parts` (all of a phrase's words in order).
std::vector<bool> MarkMatches(const std::vector<SearchToken>& tokens,
                              const std::vector<SearchQueryPart>& parts) {
  std::vector<bool> marked(tokens.size(), false);
  for (const SearchQueryPart& part : parts) {
    const size_t n = part.words.size();
    for (size_t i = 0; n > 0 && i + n <= tokens.size(); ++i) {
      size_t k = 0;
      while (k < n && WordMatches(tokens[i + k].folded, part, k)) ++k;
      if (k == n) std::fill(marked.begin() + i, marked.begin() + i + n, true);
    }
  }
  return marked;
}

// The byte offset `chars` code points after `from` in `text` (or its end).
size_t AdvanceChars(std::string_view text, size_t from, size_t chars) {
  size_t i = from;
  for (size_t n = 0; i < text.size() && n < chars; ++n) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

size_t CharsBetween(std::string_view text, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

std::string SearchFoldTableJson() {
  JsonWriter json;
  json.BeginObject().Key("marks").BeginArray();
  for (const SearchCodeRange& range : kSearchLatinMarks) {
    json.BeginArray().Int(range.first).Int(range.last).EndArray();
  }
  json.EndArray().Key("strokes").BeginObject();
  for (const SearchStrokeLetter& stroke : kSearchStrokeLetters) {
    json.Key(std::to_string(stroke.letter)).String(std::string(1, stroke.base));
  }
  json.EndObject().Key("khmer_start").BeginArray();
  json.Int(kSearchKhmerClusterStart.first).Int(kSearchKhmerClusterStart.last).EndArray();
  json.Key("coeng").Int(kSearchKhmerCoeng).EndObject();
  return json.str();
}

std::string FoldForSearch(std::string_view word) {
  if (IsAscii(word)) {
    std::string out(word);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  return FoldUnicode(ToUnicode(word));
}

namespace {

// SearchTokens by ICU's word breaks, each token's offsets moved by `offset`.
void BreakTokens(std::string_view text, const std::string& locale, size_t offset,
                 std::vector<SearchToken>* out, size_t* last_end) {
  if (text.empty()) return;
  icu::BreakIterator* words = WordBreaker(locale);
  icu::UnicodeString value = ToUnicode(text);
  if (!words) {
    out->push_back({FoldForSearch(text), offset, offset + text.size(), offset == *last_end});
    *last_end = offset + text.size();
    return;
  }
  words->setText(value);
  size_t byte = offset;
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
       start = end, end = words->next()) {
    const size_t begin = byte;
    byte += Utf8Length(value, start, end);
    int32_t status = words->getRuleStatus();
    if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT) continue;
    size_t at = begin;
    for (int32_t piece_end : KhmerClusterEnds(value, start, end)) {
      const size_t piece_begin = at;
      at += Utf8Length(value, start, piece_end);
      icu::UnicodeString piece = value.tempSubString(start, piece_end - start);
      start = piece_end;
      std::string folded = FoldPiece(piece);
      if (folded.empty()) continue;
      out->push_back({std::move(folded), piece_begin, at, piece_begin == *last_end});
      *last_end = at;
    }
  }
}

}  // namespace

std::vector<SearchToken> SearchTokens(std::string_view text, const std::string& locale) {
  std::vector<SearchToken> out;
  size_t last_end = std::string::npos;
  // Vietnamese and English words are separated by spaces: a piece between spaces that is one
  // run of Latin letters and digits with punctuation around it is that one word, as the break
  // iterator would find, without running it; any other piece is segmented by ICU, alone (a
  // space before a character that is not a combining mark or format character is always a
  // word boundary). Khmer, written without spaces, is always segmented by ICU's dictionary.
  if (!locale.starts_with("vi") && !locale.starts_with("en")) {
    BreakTokens(text, locale, 0, &out, &last_end);
    return out;
  }
  size_t gap = 0;  // where the spaces before the piece at `from` begin
  for (size_t from = 0; from < text.size();) {
    if (IsChunkSpace(text[from])) {
      ++from;
      continue;
    }
    size_t to = from;
    while (to < text.size() && !IsChunkSpace(text[to])) ++to;
    const std::string_view chunk = text.substr(from, to - from);
    size_t begin = 0, end = 0;
    const unsigned char first = static_cast<unsigned char>(chunk[0]);
    if (first < 0x80 && PlainWord(chunk, &begin, &end)) {
      out.push_back({FoldUtf8(std::string(chunk.substr(begin, end - begin)), nullptr),
                     from + begin, from + end, from + begin == last_end});
      last_end = from + end;
    } else if (first < 0x80 || PlainWord(chunk, &begin, &end)) {
      BreakTokens(chunk, locale, from, &out, &last_end);
    } else {
      // Perhaps a combining mark, which joins the space before it: the rest, spaces included.
      BreakTokens(text.substr(gap), locale, gap, &out, &last_end);
      break;
    }
    from = gap = to;
  }
  return out;
}

std::string SearchIndexText(std::string_view text, const std::string& locale) {
  std::string out;
  for (const SearchToken& token : SearchTokens(text, locale)) {
    if (!out.empty()) out += ' ';
    out += token.folded;
  }
  return out;
}

std::vector<SearchQueryPart> ParseSearchQuery(std::string_view query, const std::string& locale) {
  std::vector<SearchQueryPart> parts;
  bool quoted = false;
  size_t segment = 0;
  for (size_t i = 0; i <= query.size();) {
    size_t length = 0;
    if (i < query.size() && !IsQuote(query, i, &length)) {
      ++i;
      continue;
    }
    AddParts(query.substr(segment, i - segment), quoted, locale, &parts);
    quoted = !quoted;
    i += i < query.size() ? length : 1;
    segment = i;
  }
  // Typing goes on at the end: the last word may be unfinished, unless a space or quote ends it.
  const bool open_end = !query.empty() && !std::isspace(static_cast<unsigned char>(query.back())) &&
                        query.back() != '"' && !query.ends_with("\xE2\x80\x9D");
  if (!parts.empty() && open_end) parts.back().prefix = true;
  return parts;
}

namespace {

// The end of a piece of `text` of about `bytes` from `from`, at a space or line end.
size_t ChunkEnd(std::string_view text, size_t from, size_t bytes) {
  if (from + bytes >= text.size()) return text.size();
  const size_t space = text.find_first_of(" \n", from + bytes);
  return space == std::string_view::npos ? text.size() : space + 1;
}

// The snippet of text[begin, end) (see SearchSnippet); "…" where it does not reach the text's
// start or end.
std::string SnippetOf(std::string_view whole, size_t begin, size_t end,
                      const std::vector<SearchQueryPart>& parts, const std::string& locale,
                      size_t max_chars) {
  const std::string_view text = whole.substr(begin, end - begin);
  const std::vector<SearchToken> tokens = SearchTokens(text, locale);
  const std::vector<bool> marked = MarkMatches(tokens, parts);
  const size_t first = std::find(marked.begin(), marked.end(), true) - marked.begin();
  size_t start = 0;
  if (first < tokens.size()) {
    // A little of what comes before the match, from a word's start.
    size_t j = first;
    while (j > 0 && CharsBetween(text, tokens[j - 1].begin, tokens[first].begin) < max_chars / 4) {
      --j;
    }
    start = tokens[j].begin;
    if (j == 0 && begin == 0) start = 0;
  }
  size_t stop = AdvanceChars(text, start, max_chars);
  if (stop < text.size()) {
    size_t snapped = start;
    for (const SearchToken& token : tokens) {
      if (token.end <= stop && token.end > snapped) snapped = token.end;
    }
    if (snapped > start) stop = snapped;
  }
  std::string out = begin + start > 0 ? "…" : "";
  size_t at = start;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!marked[i] || tokens[i].begin < start || tokens[i].end > stop) continue;
    // Joined marked words (the clusters of one Khmer word) share one <mark>.
    size_t last = i;
    while (last + 1 < tokens.size() && marked[last + 1] && tokens[last + 1].joined &&
           tokens[last + 1].end <= stop) {
      ++last;
    }
    out += EscapeHtml(text.substr(at, tokens[i].begin - at));
    out += "<mark>" + EscapeHtml(text.substr(tokens[i].begin, tokens[last].end - tokens[i].begin)) +
           "</mark>";
    at = tokens[last].end;
    i = last;
  }
  out += EscapeHtml(text.substr(at, stop - at));
  if (begin + stop < whole.size()) out += "…";
  return out;
}

}  // namespace

std::string SearchSnippet(std::string_view text, const std::vector<SearchQueryPart>& parts,
                          const std::string& locale, size_t max_chars) {
  // The text is read piece by piece, so a match near the start (the usual case) costs little.
  const size_t piece = std::max<size_t>(600, max_chars * 3);
  for (size_t from = 0, previous = 0; from < text.size();) {
    const size_t to = ChunkEnd(text, from, piece);
    const auto tokens = SearchTokens(text.substr(from, to - from), locale);
    const auto marked = MarkMatches(tokens, parts);
    if (std::find(marked.begin(), marked.end(), true) != marked.end()) {
      return SnippetOf(text, previous, ChunkEnd(text, to, max_chars * 4), parts, locale,
                       max_chars);
    }
    previous = from;
    from = to;
  }
  return SnippetOf(text, 0, ChunkEnd(text, 0, max_chars * 4), parts, locale, max_chars);
}

}  // namespace clemency
