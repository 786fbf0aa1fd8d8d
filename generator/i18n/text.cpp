#include "i18n/text.h"

#include <string.h>
#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/coll.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>

#include "i18n/icu_strings.h"

namespace clemency {
namespace {

using icu_strings::ToUnicode;
using icu_strings::ToUtf8;

// ICU services are not safe to share between threads while in use, so each thread keeps its own.
icu::Transliterator& AsciiTransliterator() {
  thread_local std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
        "Any-Latin; Latin-ASCII; Lower()", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  return *instance;
}

icu::BreakIterator* Breaker(const std::string& locale, bool sentences) {
  thread_local std::map<std::string, std::unique_ptr<icu::BreakIterator>> cache;
  std::string key = (sentences ? "s:" : "w:") + locale;
  auto it = cache.find(key);
  if (it == cache.end()) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale loc(locale.c_str());
    std::unique_ptr<icu::BreakIterator> iterator(
        sentences ? icu::BreakIterator::createSentenceInstance(loc, status)
                  : icu::BreakIterator::createWordInstance(loc, status));
    if (U_FAILURE(status)) iterator.reset();
    it = cache.emplace(key, std::move(iterator)).first;
  }
  return it->second.get();
}

}  // namespace

std::string ToNfc(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  // Almost every file is already NFC: check the UTF-8 as it is, without converting it.
  icu::StringPiece piece(text.data(), static_cast<int32_t>(text.size()));
  if (nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  icu::UnicodeString output = nfc->normalize(ToUnicode(text), status);
  return U_SUCCESS(status) ? ToUtf8(output) : std::string(text);
}

namespace {

// Latin text with diacritics (all of Vietnamese) as ASCII: decompose, drop the combining marks,
// đ -> d. Returns false when anything else is left, for the (much slower) transliterator.
bool LatinToAscii(std::string_view text, std::string* out) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return false;
  icu::UnicodeString decomposed = nfd->normalize(ToUnicode(text), status);
  if (U_FAILURE(status)) return false;
  out->clear();
  for (int32_t i = 0; i < decomposed.length(); ++i) {
    char16_t c = decomposed.charAt(i);
    if (c < 0x80) {
      *out += static_cast<char>(c);
    } else if (c == 0x0111 || c == 0x0110) {  // đ Đ
      *out += 'd';
    } else if (c == 0x00A0 || (c >= 0x2000 && c <= 0x200D) || (c >= 0x2010 && c <= 0x2027)) {
      *out += ' ';  // spaces, dashes, quotes, bullets, ellipsis: separators in a slug either way
    } else if ((c >= 0x1780 && c <= 0x17DD) || (c >= 0x19E0 && c <= 0x19FF)) {
      // Khmer letters, signs and symbols: ICU has no Khmer-Latin transliteration, so the
      // transliterator would keep them and the slug would drop them (Khmer digits still go to it).
      *out += ' ';
    } else if (!(c >= 0x0300 && c <= 0x036F)) {  // not a combining diacritic
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Slugify(std::string_view text) {
  std::string ascii;
  if (!LatinToAscii(text, &ascii)) {
    icu::UnicodeString value = ToUnicode(text);
    AsciiTransliterator().transliterate(value);
    ascii = ToUtf8(value);
  }
  std::string out;
  bool pending_hyphen = false;
  for (char c : ascii) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
      keep = true;
    }
    if (keep) {
      if (pending_hyphen && !out.empty()) out += '-';
      pending_hyphen = false;
      out += c;
    } else {
      pending_hyphen = true;
    }
  }
  return out;
}

std::string AnchorId(std::string_view text) {
  std::string slug = Slugify(text);
  // Khmer has no ASCII transliteration in ICU and a bare number is a poor anchor.
  bool only_digits = slug.find_first_not_of("0123456789-") == std::string::npos;
  if (!only_digits) return slug;
  std::string out;
  for (const auto& word : SplitWords(text, "")) out += (out.empty() ? "" : "-") + word;
  return ToNfc(out);
}

std::string ToLower(std::string_view text, const std::string& locale) {
  // Straight from UTF-8 to UTF-8 (no UTF-16 copy of a whole page).
  std::string out;
  out.reserve(text.size());
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(text.size()));
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToLower(locale.c_str(), 0,
                            icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink,
                            nullptr, status);
  if (U_SUCCESS(status)) return out;
  icu::UnicodeString value = ToUnicode(text);
  value.toLower(icu::Locale(locale.c_str()));
  return ToUtf8(value);
}

std::vector<size_t> FindTerm(std::string_view haystack, std::string_view needle, bool whole_words) {
  std::vector<size_t> out;
  if (needle.empty()) return out;
  // glibc's memmem (two-way search) rather than find(): a page is searched once per term, and
  // terms often start with common letters.
  auto next = [&](size_t from) -> size_t {
    if (from >= haystack.size()) return std::string_view::npos;
    const void* hit =
        ::memmem(haystack.data() + from, haystack.size() - from, needle.data(), needle.size());
    return hit ? static_cast<size_t>(static_cast<const char*>(hit) - haystack.data())
               : std::string_view::npos;
  };
  for (size_t at = next(0); at != std::string_view::npos; at = next(at + 1)) {
    if (whole_words) {
      // Decode the code points just before and just after the match.
      UChar32 before = U_SENTINEL, after = U_SENTINEL;
      if (at > 0) {
        int32_t i = static_cast<int32_t>(at);
        U8_PREV(reinterpret_cast<const uint8_t*>(haystack.data()), 0, i, before);
      }
      if (at + needle.size() < haystack.size()) {
        int32_t i = static_cast<int32_t>(at + needle.size());
        U8_NEXT(reinterpret_cast<const uint8_t*>(haystack.data()), i,
                static_cast<int32_t>(haystack.size()), after);
      }
      auto is_word = [](UChar32 c) {
        return c >= 0 && (u_isalnum(c) || u_getCombiningClass(c) > 0 || c == '-');
      };
      if (is_word(before) || is_word(after)) continue;
    }
    out.push_back(at);
  }
  return out;
}

std::string TruncateAtWord(std::string_view text, size_t max_chars, const std::string& locale) {
  icu::UnicodeString value = ToUnicode(text);
  if (static_cast<size_t>(value.countChar32()) <= max_chars) return std::string(text);
  int32_t limit = value.moveIndex32(0, static_cast<int32_t>(max_chars));
  icu::BreakIterator* words = Breaker(locale, false);
  int32_t cut = limit;
  if (words) {
    words->setText(value);
    int32_t boundary = words->preceding(limit + 1);
    if (boundary != icu::BreakIterator::DONE && boundary > 0) cut = boundary;
  }
  icu::UnicodeString head = value.tempSubString(0, cut);
  head.trim();
  // Drop trailing punctuation so the ellipsis does not follow a comma.
  while (head.length() > 0 && u_ispunct(head.char32At(head.length() - 1))) {
    head.truncate(head.moveIndex32(head.length(), -1));
  }
  return ToUtf8(head) + "…";
}

std::string CollationKey(std::string_view text, const std::string& locale) {
  thread_local std::map<std::string, std::unique_ptr<icu::Collator>> collators;
  auto it = collators.find(locale);
  if (it == collators.end()) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> collator(
        icu::Collator::createInstance(icu::Locale(locale.c_str()), status));
    if (U_FAILURE(status)) collator.reset();
    it = collators.emplace(locale, std::move(collator)).first;
  }
  if (!it->second) return std::string(text);
  icu::UnicodeString value = ToUnicode(text);
  std::string key(value.length() * 4 + 16, '\0');
  int32_t size = it->second->getSortKey(value, reinterpret_cast<uint8_t*>(key.data()),
                                        static_cast<int32_t>(key.size()));
  if (static_cast<size_t>(size) > key.size()) {
    key.resize(size);
    size = it->second->getSortKey(value, reinterpret_cast<uint8_t*>(key.data()), size);
  }
  key.resize(size > 0 ? size - 1 : 0);  // drop the terminating zero
  return key;
}

std::vector<TextToken> SplitTokens(std::string_view text, const std::string& locale) {
  std::vector<TextToken> out;
  if (text.empty()) return out;
  icu::BreakIterator* words = Breaker(locale, false);
  if (!words) return {{std::string(text), true}};  // no ICU data: one token, still exact
  icu::UnicodeString value = ToUnicode(text);
  words->setText(value);
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
       start = end, end = words->next()) {
    int32_t status = words->getRuleStatus();
    const bool word = !(status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT);
    std::string piece = ToUtf8(value.tempSubString(start, end - start));
    // ICU gives each space and mark on its own; a diff reads better with them as one run.
    if (!word && !out.empty() && !out.back().word) {
      out.back().text += piece;
    } else {
      out.push_back({std::move(piece), word});
    }
  }
  return out;
}

std::vector<std::string> SplitWords(std::string_view text, const std::string& locale) {
  std::vector<std::string> out;
  for (TextToken& token : SplitTokens(text, locale)) {
    if (token.word) out.push_back(std::move(token.text));
  }
  return out;
}

namespace {

// Sentence end offsets in `value`, ascending: ICU's sentence breaks, and Khmer's ។ and ៕.
std::vector<int32_t> SentenceEnds(icu::BreakIterator* sentence_breaks,
                                  const icu::UnicodeString& value) {
  std::vector<int32_t> ends;
  sentence_breaks->setText(value);
  for (int32_t end = sentence_breaks->next(); end != icu::BreakIterator::DONE;
       end = sentence_breaks->next()) {
    ends.push_back(end);
  }
  for (int32_t i = 0; i < value.length(); ++i) {
    if (value.charAt(i) == 0x17D4 || value.charAt(i) == 0x17D5) ends.push_back(i + 1);
  }
  std::sort(ends.begin(), ends.end());
  return ends;
}

// Calls `use(sentence, start, end)` for each word of `value` (not spaces or punctuation), with
// the index of the sentence it is in (`ends`: SentenceEnds).
void ForEachWord(icu::BreakIterator* word_breaks, const icu::UnicodeString& value,
                 const std::vector<int32_t>& ends,
                 const std::function<void(size_t, int32_t, int32_t)>& use) {
  word_breaks->setText(value);
  size_t sentence = 0;
  int32_t start = word_breaks->first();
  for (int32_t end = word_breaks->next(); end != icu::BreakIterator::DONE;
       start = end, end = word_breaks->next()) {
    int32_t status = word_breaks->getRuleStatus();
    if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT) continue;
    while (sentence < ends.size() && start >= ends[sentence]) ++sentence;
    use(sentence, start, end);
  }
}

}  // namespace

std::vector<SentenceWords> WordsPerSentence(std::string_view text, const std::string& locale) {
  std::vector<SentenceWords> out;
  icu::BreakIterator* sentence_breaks = Breaker(locale, true);
  icu::BreakIterator* word_breaks = Breaker(locale, false);
  if (!sentence_breaks || !word_breaks) return out;
  icu::UnicodeString value = ToUnicode(text);
  std::vector<int32_t> ends = SentenceEnds(sentence_breaks, value);
  std::vector<size_t> counts(ends.size() + 1, 0);
  ForEachWord(word_breaks, value, ends, [&](size_t sentence, int32_t, int32_t) { ++counts[sentence]; });
  int32_t from = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    int32_t to = i < ends.size() ? ends[i] : value.length();
    if (counts[i] > 0) out.push_back({ToUtf8(value.tempSubString(from, to - from)), counts[i]});
    from = to;
  }
  return out;
}

TextCounts CountSentencesAndWords(std::string_view text, const std::string& locale,
                                  std::vector<std::string>* words) {
  TextCounts counts;
  icu::BreakIterator* sentence_breaks = Breaker(locale, true);
  icu::BreakIterator* word_breaks = Breaker(locale, false);
  if (!sentence_breaks || !word_breaks) return counts;
  icu::UnicodeString value = ToUnicode(text);
  std::vector<int32_t> ends = SentenceEnds(sentence_breaks, value);
  size_t counted_sentence = static_cast<size_t>(-1);
  ForEachWord(word_breaks, value, ends, [&](size_t sentence, int32_t start, int32_t end) {
    if (sentence != counted_sentence) {
      ++counts.sentences;
      counted_sentence = sentence;
    }
    ++counts.words;
    if (words) words->push_back(ToUtf8(value.tempSubString(start, end - start)));
  });
  return counts;
}

}  // namespace clemency
