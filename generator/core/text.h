#pragma once
// Small text helpers shared by every output format.
#include <cstdint>
#include <string>
#include <string_view>

namespace clemency {

// Escapes & < > " ' for HTML and XML text and attribute values.
std::string EscapeHtml(std::string_view text);
// Appends `text` as a JSON string literal (with quotes) to `out`.
void AppendJsonString(std::string& out, std::string_view text);
std::string JsonString(std::string_view text);
// 64-bit XXH3, as 16 hex digits: content fingerprints for ETags, the build manifest and caches.
std::string HashHex(std::string_view data);
// True when `text` is a slug: lowercase ASCII letters and digits in hyphen-separated runs.
bool IsSlug(std::string_view text);
// `text` without leading and trailing spaces and tabs.
std::string_view Trim(std::string_view text);
// True when `a` and `b` are equal but for ASCII letter case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace clemency
