#pragma once
// The static search index's files as bytes (publish-private; the format is described in
// static_search.h): how a field's folded words become indexed words (Khmer pairs, "~a~b"
// pairs), a shard's lines, how a group's words are laid out in shards, the page-table excerpt,
// meta.json and the files' names. No store and no state: static_search.cpp keeps the index.
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/search.h"

namespace clemency::static_search {

// Pages per page-table file: ten results touch at most ten small files.
constexpr size_t kChunk = 16;
// A shard bigger than this is split by one more character of its words.
constexpr size_t kShardBytes = 8 * 1024;
constexpr size_t kExcerptBytes = 200;
// Begins and joins the pair of two adjacent non-Khmer words (no folded word holds it).
constexpr char kPairMark = '~';

// Returns whether a folded word is Khmer (its first character is in U+1780..U+17FF).
inline bool IsKhmer(std::string_view word) {
  return word.size() >= 3 && static_cast<unsigned char>(word[0]) == 0xE1 &&
         (static_cast<unsigned char>(word[1]) == 0x9E ||
          static_cast<unsigned char>(word[1]) == 0x9F);
}

// Calls `add(word)` for the words of one field's folded text: Khmer words in adjacent pairs,
// and each two adjacent non-Khmer words also as their "~first~second" pair.
template <typename Add>
void FieldWords(const std::string& folded, Add&& add) {
  std::vector<std::string_view> words;
  for (size_t i = 0; i < folded.size();) {
    size_t end = folded.find(' ', i);
    if (end == std::string::npos) end = folded.size();
    if (end > i) words.push_back(std::string_view(folded).substr(i, end - i));
    i = end + 1;
  }
  std::string pair;
  for (size_t i = 0; i < words.size(); ++i) {
    const bool next = i + 1 < words.size();
    if (IsKhmer(words[i]) && next && IsKhmer(words[i + 1])) {
      pair.assign(words[i]).append(words[i + 1]);
      add(std::string_view(pair));
      continue;
    }
    add(words[i]);
    if (!IsKhmer(words[i]) && next && !IsKhmer(words[i + 1])) {
      pair.assign(1, kPairMark).append(words[i]).append(1, kPairMark).append(words[i + 1]);
      add(std::string_view(pair));
    }
  }
}

// Appends a shard's line: "word postings", each posting (page - previous page) * 4 + field.
// REQUIRES: `postings` are page * 4 + field, by page.
void AppendLine(const std::string& word, const std::vector<uint32_t>& postings, std::string* out);

// Returns the byte length of the first `n` characters of `word`, or npos when it has fewer.
size_t PrefixBytes(std::string_view word, size_t n);

// A word of a group (see GroupLength), with its line's length.
struct Item {
  std::string_view word;
  uint32_t id = 0;
  size_t bytes = 0;
};
using ShardLayout = std::map<std::string, std::vector<size_t>>;  // key -> items, by word

// Puts `members` of `items` (words beginning with `key`, `length` characters) into shards: one
// when their lines are small, else the words longer than the key split by their next character.
void Layout(const std::vector<Item>& items, const std::vector<size_t>& members,
            const std::string& key, size_t length, ShardLayout* shards);

// Returns `bytes` as lowercase hexadecimal.
std::string Hex(std::string_view bytes);

// Returns the first ~kExcerptBytes of `text`, cut at a space (or a character) with "…".
std::string Excerpt(const std::string& text);

// Returns the characters a word's group is named by: its first, a pair's first two ("~v"), so
// that pairs are never in the shards of the words a typed prefix fetches.
inline size_t GroupLength(std::string_view word) { return word[0] == kPairMark ? 2 : 1; }

// Returns the group of `word` (see GroupLength).
std::string Group(std::string_view word);

// Returns the first string after every string beginning with `prefix`. REQUIRES: `prefix` is
// whole UTF-8 characters, not empty (so its last byte is never 0xFF).
std::string PrefixEnd(std::string prefix);

// Returns meta.json of `lang`'s index (see static_search.h).
std::string Meta(const std::string& lang, size_t pages,
                 const std::map<std::string, std::string>& sections,
                 const std::vector<SearchSynonym>& synonyms,
                 const std::set<std::string>& shard_keys);

// Returns the file name of the shard of `key`.
inline std::string ShardFile(const std::string& key) { return "s" + Hex(key) + ".txt"; }
// Returns the file name of the key list of `group`.
inline std::string KeysFile(const std::string& group) { return "k" + Hex(group) + ".txt"; }

}  // namespace clemency::static_search
