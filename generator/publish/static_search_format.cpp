#include "publish/static_search_format.h"

#include "core/json.h"
#include "i18n/search_text.h"

namespace clemency::static_search {

namespace {

void AppendBase36(uint64_t n, std::string* out) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  char buf[16];
  size_t i = sizeof buf;
  do {
    buf[--i] = kDigits[n % 36];
    n /= 36;
  } while (n > 0);
  out->append(buf + i, sizeof buf - i);
}

}  // namespace

// Appends a shard's line: "word postings", each posting (page - previous page) * 4 + field.
// `postings` are page * 4 + field, by page.
void AppendLine(const std::string& word, const std::vector<uint32_t>& postings, std::string* out) {
  out->append(word).push_back(' ');
  uint64_t previous = 0;
  for (size_t i = 0; i < postings.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendBase36(postings[i] - previous * 4, out);
    previous = postings[i] / 4;
  }
  out->push_back('\n');
}

// The byte length of the first `n` characters of `word`, or npos when it has fewer.
size_t PrefixBytes(std::string_view word, size_t n) {
  size_t i = 0;
  for (size_t k = 0; k < n; ++k) {
    if (i >= word.size()) return std::string::npos;
    ++i;
    while (i < word.size() && (static_cast<unsigned char>(word[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// Puts `members` of `items` (words beginning with `key`, `length` characters) into shards: one
// when their lines are small, else the words longer than the key split by their next character.
void Layout(const std::vector<Item>& items, const std::vector<size_t>& members,
            const std::string& key, size_t length, ShardLayout* shards) {
  size_t bytes = 0;
  for (size_t i : members) bytes += items[i].bytes;
  std::vector<size_t> own;
  std::map<std::string, std::vector<size_t>> longer;
  for (size_t i : members) {
    std::string_view word = items[i].word;
    const size_t cut = bytes > kShardBytes ? PrefixBytes(word, length + 1) : std::string::npos;
    if (cut == std::string::npos) {
      own.push_back(i);
    } else {
      longer[std::string(word.substr(0, cut))].push_back(i);
    }
  }
  if (!own.empty()) (*shards)[key] = std::move(own);
  for (const auto& [next, part] : longer) Layout(items, part, next, length + 1, shards);
}

std::string Hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// The first ~kExcerptBytes of `text`, cut at a space (or a character) with "…".
std::string Excerpt(const std::string& text) {
  if (text.size() <= kExcerptBytes) return text;
  size_t cut = text.rfind(' ', kExcerptBytes);
  if (cut == std::string::npos || cut < kExcerptBytes / 2) {
    cut = kExcerptBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  }
  return text.substr(0, cut) + "…";
}

// Returns the group of `word` (see GroupLength).
std::string Group(std::string_view word) {
  return std::string(word.substr(0, PrefixBytes(word, GroupLength(word))));
}

std::string Meta(const std::string& lang, size_t pages,
                 const std::map<std::string, std::string>& sections,
                 const std::vector<SearchSynonym>& synonyms,
                 const std::set<std::string>& shard_keys) {
  JsonWriter json;
  json.BeginObject().Key("v").Int(1).Field("lang", lang);
  json.Key("pages").Int(static_cast<int64_t>(pages)).Key("chunk").Int(kChunk);
  json.Key("sections").BeginObject();
  for (const auto& [key, title] : sections) json.Field(key, title);
  json.EndObject().Key("synonyms").BeginArray();
  for (const SearchSynonym& synonym : synonyms) {
    json.BeginArray().String(synonym.variant).String(synonym.term_folded).String(synonym.term);
    json.EndArray();
  }
  json.EndArray().Key("fold").Raw(SearchFoldTableJson()).Key("groups").BeginArray();
  std::string last;
  for (const auto& key : shard_keys) {
    std::string group = Group(key);
    if (group != last) json.String(group);
    last = std::move(group);
  }
  return json.EndArray().EndObject().str() + "\n";
}

std::string PrefixEnd(std::string prefix) {
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace clemency::static_search
