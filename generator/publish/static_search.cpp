#include "publish/static_search.h"

#include <algorithm>
#include <set>
#include <sstream>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/json.h"
#include "core/site_paths.h"
#include "i18n/search_text.h"
#include "store/search.h"

namespace clemency {
namespace {

// Pages per page-table file: ten results touch at most ten small files.
constexpr size_t kChunk = 16;
// A shard bigger than this is split by one more character of its words.
constexpr size_t kShardBytes = 8 * 1024;
constexpr size_t kExcerptBytes = 200;

// Mirrors SearchIndex::Find's published pages (list pages are not results).
const char kPages[] = R"sql(
SELECT p.section, p.slug, p.title, p.summary, p.body_text,
       s.title, s.headings, s.terms, s.body
FROM search_fts s JOIN pages p ON p.id = s.rowid
WHERE p.status = 'published' AND p.draft = 0 AND p.slug <> '' AND p.lang = ?1
  AND unixepoch(p.published) <= ?2
ORDER BY p.section, p.slug)sql";

const char kSections[] = R"sql(
SELECT section, title FROM pages
WHERE slug = '' AND section <> '' AND lang = ?1 AND status = 'published' ORDER BY section)sql";

struct Posting {
  uint32_t page = 0;
  uint8_t field = 0;
};
// Looked up by string_view: most words are already there, and a string per lookup was most of
// the time taken.
struct WordHash {
  using is_transparent = void;
  size_t operator()(std::string_view word) const { return std::hash<std::string_view>()(word); }
};
using Postings =
    std::unordered_map<std::string, std::vector<Posting>, WordHash, std::equal_to<>>;

// Whether a folded word is Khmer (its first character is in U+1780..U+17FF).
bool IsKhmer(std::string_view word) {
  return word.size() >= 3 && static_cast<unsigned char>(word[0]) == 0xE1 &&
         (static_cast<unsigned char>(word[1]) == 0x9E ||
          static_cast<unsigned char>(word[1]) == 0x9F);
}

void Add(Postings* postings, std::string_view word, uint32_t page, uint8_t field) {
  auto it = postings->find(word);
  if (it == postings->end()) it = postings->emplace(std::string(word), std::vector<Posting>()).first;
  std::vector<Posting>& list = it->second;
  if (!list.empty() && list.back().page == page) {
    list.back().field = std::max(list.back().field, field);
  } else {
    list.push_back({page, field});
  }
}

// Adds the words of one field's folded text: Khmer words in adjacent pairs (see the header).
void AddField(Postings* postings, const std::string& folded, uint32_t page, uint8_t field) {
  std::vector<std::string_view> words;
  for (size_t i = 0; i < folded.size();) {
    size_t end = folded.find(' ', i);
    if (end == std::string::npos) end = folded.size();
    if (end > i) words.push_back(std::string_view(folded).substr(i, end - i));
    i = end + 1;
  }
  std::string pair;
  for (size_t i = 0; i < words.size(); ++i) {
    if (IsKhmer(words[i]) && i + 1 < words.size() && IsKhmer(words[i + 1])) {
      pair.assign(words[i]).append(words[i + 1]);
      Add(postings, pair, page, field);
    } else {
      Add(postings, words[i], page, field);
    }
  }
}

std::string Base36(uint64_t n) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out += kDigits[n % 36];
    n /= 36;
  } while (n > 0);
  return {out.rbegin(), out.rend()};
}

std::string Line(const std::string& word, const std::vector<Posting>& list) {
  std::string out = word + ' ';
  uint32_t previous = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out += ',';
    out += Base36(static_cast<uint64_t>(list[i].page - previous) * 4 + list[i].field);
    previous = list[i].page;
  }
  return out + '\n';
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

using Lines = std::vector<std::pair<std::string_view, std::string>>;  // word, line; by word

// Puts `lines` (words beginning with `key`, `length` characters) into shards: one when small,
// else the words longer than the key split by their next character.
void Shard(const Lines& lines, const std::string& key, size_t length,
           std::map<std::string, std::string>* shards) {
  size_t bytes = 0;
  for (const auto& [word, line] : lines) bytes += line.size();
  std::string own;
  std::map<std::string, Lines> longer;
  for (const auto& [word, line] : lines) {
    const size_t cut = bytes > kShardBytes ? PrefixBytes(word, length + 1) : std::string::npos;
    if (cut == std::string::npos) {
      own += line;
    } else {
      longer[std::string(word.substr(0, cut))].emplace_back(word, line);
    }
  }
  if (!own.empty()) (*shards)[key] = std::move(own);
  for (const auto& [next, part] : longer) Shard(part, next, length + 1, shards);
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

Result<std::map<std::string, std::string>> SectionTitles(Store* store, const std::string& lang) {
  std::map<std::string, std::string> out;
  auto stmt = store->Prepare(kSections);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, lang);
  while (stmt->Step()) out[stmt->Text(0)] = stmt->Text(1);
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

std::string Meta(const std::string& lang, size_t pages,
                 const std::map<std::string, std::string>& sections,
                 const std::vector<SearchSynonym>& synonyms,
                 const std::map<std::string, std::string>& shards) {
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
  json.EndArray().Key("fold").Raw(SearchFoldTableJson()).Key("shards").BeginArray();
  for (const auto& [key, bytes] : shards) json.String(key);
  return json.EndArray().EndObject().str() + "\n";
}

}  // namespace

Result<std::map<std::string, std::string>> StaticSearchFiles(Store* store,
                                                             const std::string& lang,
                                                             int64_t now_unix) {
  auto sections = SectionTitles(store, lang);
  if (!sections.ok()) return sections.status();
  auto stmt = store->Prepare(kPages);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, lang).Bind(2, now_unix);
  std::map<std::string, std::string> files;
  Postings postings;
  JsonWriter table;
  uint32_t page = 0;
  for (; stmt->Step(); ++page) {
    if (page % kChunk == 0) table = JsonWriter().BeginArray();
    const std::string section = stmt->Text(0), slug = stmt->Text(1);
    auto title = sections->find(section);
    const std::string summary = stmt->Text(3);
    table.BeginArray().String(paths::Page(lang, section, slug)).String(stmt->Text(2));
    table.String(title == sections->end() ? section : title->second);
    table.String(Excerpt(summary.empty() ? stmt->Text(4) : summary)).EndArray();
    for (int field = 0; field < 4; ++field) {
      AddField(&postings, stmt->Text(5 + field), page, static_cast<uint8_t>(3 - field));
    }
    if (page % kChunk == kChunk - 1) {
      files["p" + std::to_string(page / kChunk) + ".json"] = table.EndArray().str() + "\n";
    }
  }
  if (!stmt->status().ok()) return stmt->status();
  if (page % kChunk != 0) {
    files["p" + std::to_string(page / kChunk) + ".json"] = table.EndArray().str() + "\n";
  }
  std::vector<std::string_view> words;
  words.reserve(postings.size());
  for (const auto& [word, list] : postings) words.push_back(word);
  std::sort(words.begin(), words.end());
  std::map<std::string, Lines> groups;  // by first character
  for (std::string_view word : words) {
    groups[std::string(word.substr(0, PrefixBytes(word, 1)))].emplace_back(
        word, Line(std::string(word), postings.find(word)->second));
  }
  std::map<std::string, std::string> shards;
  for (const auto& [key, lines] : groups) Shard(lines, key, 1, &shards);
  for (auto& [key, bytes] : shards) files["s" + Hex(key) + ".txt"] = bytes;
  auto synonyms = SearchIndex(store).Synonyms(lang);
  if (!synonyms.ok()) return synonyms.status();
  std::sort(synonyms->begin(), synonyms->end(), [](const auto& a, const auto& b) {
    return std::tie(a.variant, a.term_folded) < std::tie(b.variant, b.term_folded);
  });
  files["meta.json"] = Meta(lang, page, *sections, *synonyms, shards);
  return files;
}

Result<std::map<std::string, std::string>> StaticSearchOutputs(Store* store,
                                                               const SiteConfig& config,
                                                               int64_t now_unix) {
  std::map<std::string, std::string> out;
  for (const LanguageConfig& language : config.languages) {
    auto files = StaticSearchFiles(store, language.code, now_unix);
    if (!files.ok()) return files.status();
    const std::string folder = paths::SearchIndexFolder(language.code);
    for (auto& [name, bytes] : *files) {
      out.emplace(paths::OutputFile(folder + name), std::move(bytes));
    }
  }
  return out;
}

}  // namespace clemency
