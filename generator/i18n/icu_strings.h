#pragma once
// UTF-8 <-> ICU strings, for the i18n module's own files only (ICU stays inside i18n).
#include <unicode/unistr.h>

#include <string>
#include <string_view>

namespace clemency::icu_strings {

inline icu::UnicodeString ToUnicode(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

inline std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace clemency::icu_strings
