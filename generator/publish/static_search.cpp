#include "publish/static_search.h"

#include <algorithm>
#include <set>
#include <cstdint>
#include <deque>
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

// Looked up by string_view: most words are already there, and a string per lookup was most of
// the time taken. Its keys are the words' own texts (IndexWord::text, never moved).
struct WordHash {
  using is_transparent = void;
  size_t operator()(std::string_view word) const { return std::hash<std::string_view>()(word); }
};
using Intern = std::unordered_map<std::string_view, uint32_t, WordHash, std::equal_to<>>;

// Begins and joins the pair of two adjacent non-Khmer words (no folded word holds it).
constexpr char kPairMark = '~';

// Whether a folded word is Khmer (its first character is in U+1780..U+17FF).
bool IsKhmer(std::string_view word) {
  return word.size() >= 3 && static_cast<unsigned char>(word[0]) == 0xE1 &&
         (static_cast<unsigned char>(word[1]) == 0x9E ||
          static_cast<unsigned char>(word[1]) == 0x9F);
}

// Calls `add(word)` for the words of one field's folded text: Khmer words in adjacent pairs
// (see the header).
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

Result<std::map<std::string, std::string>> SectionTitles(Store* store, const std::string& lang) {
  std::map<std::string, std::string> out;
  auto stmt = store->Prepare(kSections);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, lang);
  while (stmt->Step()) out[stmt->Text(0)] = stmt->Text(1);
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

// The characters a word's group is named by: its first, a pair's first two ("~v"), so that
// pairs are never in the shards of the words a typed prefix fetches.
size_t GroupLength(std::string_view word) { return word[0] == kPairMark ? 2 : 1; }

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

Result<std::vector<SearchSynonym>> SortedSynonyms(Store* store, const std::string& lang) {
  auto synonyms = SearchIndex(store).Synonyms(lang);
  if (!synonyms.ok()) return synonyms.status();
  std::sort(synonyms->begin(), synonyms->end(), [](const auto& a, const auto& b) {
    return std::tie(a.variant, a.term_folded) < std::tie(b.variant, b.term_folded);
  });
  return synonyms;
}

// A page of the index: what its page-table entry shows and its words (ids).
struct IndexPage {
  std::string section, slug, title, excerpt;
  std::vector<uint32_t> words;
};

// A word of the index with its postings (page * 4 + field, by page).
struct IndexWord {
  std::string text;
  std::vector<uint32_t> postings;
  size_t line_bytes = 0;  // its shard line's length, as last laid out
};

// The search fields of a page row from column `first` on (title, headings, names, body) as
// (word, best field) in the order the words first occur.
template <typename Add>
void RowWords(const Statement& row, int first, Add&& add) {
  for (int field = 0; field < 4; ++field) {
    const std::string text = row.Text(first + field);
    FieldWords(text, [&](std::string_view word) { add(word, static_cast<uint8_t>(3 - field)); });
  }
}

}  // namespace

struct StaticSearchIndex::Language {
  std::string code;
  std::map<std::string, std::string> sections;
  std::vector<SearchSynonym> synonyms;
  std::vector<IndexPage> pages;  // by (section, slug): a page's number is its place here
  // By id; a word without postings is free. A deque: its texts stay where they are, so the
  // maps below hold views of them (one copy of each word: pairs made them most of the memory).
  std::deque<IndexWord> words;
  std::vector<uint32_t> free_ids;
  std::map<std::string_view, uint32_t, std::less<>> by_word;
  std::set<std::string> shard_keys;
  size_t table_files = 0;  // p<n>.json files written
  // What changed since the files were last emitted.
  std::set<uint32_t> dirty_words;
  std::set<std::string> dirty_groups, stale_shards;
  std::set<size_t> dirty_tables;
  size_t dirty_from = SIZE_MAX;  // page tables from this one on
  bool all_tables = false;

  // Returns the id of `word`, a new one when it has none.
  uint32_t WordId(std::string_view word) {
    auto it = by_word.find(word);
    if (it != by_word.end()) return it->second;
    uint32_t id;
    if (!free_ids.empty()) {
      id = free_ids.back();
      free_ids.pop_back();
    } else {
      id = static_cast<uint32_t>(words.size());
      words.emplace_back();
    }
    words[id].text = std::string(word);
    by_word.emplace(words[id].text, id);
    dirty_groups.insert(Group(word));
    return id;
  }

  // Adds `page`'s posting with `field` to word `id` (the best field when it has one).
  void AddPosting(uint32_t id, uint32_t page, uint8_t field) {
    std::vector<uint32_t>& list = words[id].postings;
    const uint32_t posting = page * 4 + field;
    auto at = list.end();
    if (!list.empty() && list.back() / 4 >= page) {
      at = std::lower_bound(list.begin(), list.end(), page * 4);
    }
    if (at != list.end() && *at / 4 == page) {
      *at = std::max(*at, posting);
    } else {
      list.insert(at, posting);
      pages[page].words.push_back(id);
    }
  }

  // Removes page `page`'s postings; words left without any are freed.
  void RemovePostings(uint32_t page) {
    for (uint32_t id : pages[page].words) {
      IndexWord& word = words[id];
      auto at = std::lower_bound(word.postings.begin(), word.postings.end(), page * 4);
      if (at != word.postings.end() && *at / 4 == page) word.postings.erase(at);
      dirty_words.insert(id);
      if (!word.postings.empty()) continue;
      stale_shards.insert(ShardOf(word.text));
      dirty_groups.insert(Group(word.text));
      by_word.erase(std::string_view(word.text));
      word.text.clear();
      free_ids.push_back(id);
    }
    pages[page].words.clear();
  }

  // Moves every posting of page `from` or later by `delta` pages.
  void Shift(uint32_t from, int delta) {
    for (uint32_t id = 0; id < words.size(); ++id) {
      std::vector<uint32_t>& list = words[id].postings;
      if (list.empty() || list.back() / 4 < from) continue;
      for (auto at = std::lower_bound(list.begin(), list.end(), from * 4); at != list.end(); ++at) {
        *at = static_cast<uint32_t>(static_cast<int64_t>(*at) + delta * 4);
      }
      dirty_words.insert(id);
    }
  }

  // The shard `word` is in now: the longest shard key it begins with.
  std::string ShardOf(const std::string& word) const {
    for (size_t n = word.size(); n > 0; --n) {
      if (shard_keys.count(word.substr(0, n))) return word.substr(0, n);
    }
    return "";
  }

  // Adds a page row's words (columns from `first` on) as page `page`'s, marking them changed.
  void AddRowWords(const Statement& row, int first, uint32_t page) {
    RowWords(row, first, [&](std::string_view word, uint8_t field) {
      const uint32_t id = WordId(word);
      AddPosting(id, page, field);
      dirty_words.insert(id);
    });
  }

  // Reads the live pages whole (see kPages), words interned by hash: as fast as a whole build.
  Status Read(Store* store, int64_t now_unix);
  // Brings page `row` (kPageRow's columns) to the index: added, changed or removed.
  void Apply(const Statement& row, bool live);
  // The page-table file `n`.
  std::string Table(size_t n) const;
};

StaticSearchIndex::StaticSearchIndex() = default;
StaticSearchIndex::StaticSearchIndex(StaticSearchIndex&&) noexcept = default;
StaticSearchIndex& StaticSearchIndex::operator=(StaticSearchIndex&&) noexcept = default;
StaticSearchIndex::~StaticSearchIndex() = default;

namespace {

// The columns kPageRow selects before the search fields.
constexpr int kRowFields = 5;

// One page by id: its language and place, its due time (unixepoch(published)), whether it is
// live once due (published, not a draft, not a list page, indexed), its search fields and its
// page-table entry.
const char kPageRow[] = R"sql(
SELECT p.lang, p.section, p.slug, unixepoch(p.published),
       p.status = 'published' AND p.draft = 0 AND p.slug <> '' AND s.rowid IS NOT NULL,
       s.title, s.headings, s.terms, s.body, p.title, p.summary, p.body_text
FROM pages p LEFT JOIN search_fts s ON s.rowid = p.id WHERE p.id = ?1)sql";

// The first time after ?1 a page not yet live goes live.
const char kNextDue[] = R"sql(
SELECT min(unixepoch(published)) FROM pages
WHERE status = 'published' AND draft = 0 AND slug <> '' AND unixepoch(published) > ?1)sql";

std::string PageExcerpt(const std::string& summary, const std::string& body) {
  return Excerpt(summary.empty() ? body : summary);
}

}  // namespace

Status StaticSearchIndex::Language::Read(Store* store, int64_t now_unix) {
  auto stmt = store->Prepare(kPages);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, code).Bind(2, now_unix);
  Intern intern;
  for (uint32_t page = 0; stmt->Step(); ++page) {
    IndexPage& entry = pages.emplace_back();
    entry.section = stmt->Text(0);
    entry.slug = stmt->Text(1);
    entry.title = stmt->Text(2);
    entry.excerpt = PageExcerpt(stmt->Text(3), stmt->Text(4));
    RowWords(*stmt, 5, [&](std::string_view word, uint8_t field) {
      auto it = intern.find(word);
      if (it == intern.end()) {
        const auto id = static_cast<uint32_t>(words.size());
        it = intern.emplace(words.emplace_back().text = std::string(word), id).first;
      }
      AddPosting(it->second, page, field);
    });
  }
  if (!stmt->status().ok()) return stmt->status();
  std::vector<std::pair<std::string_view, uint32_t>> sorted(intern.begin(), intern.end());
  std::sort(sorted.begin(), sorted.end());
  for (const auto& [word, id] : sorted) by_word.emplace_hint(by_word.end(), word, id);
  return Status::Ok();
}

void StaticSearchIndex::Language::Apply(const Statement& row, bool live) {
  IndexPage key;
  key.section = row.Text(1);
  key.slug = row.Text(2);
  auto at = std::lower_bound(pages.begin(), pages.end(), key, [](const auto& a, const auto& b) {
    return std::tie(a.section, a.slug) < std::tie(b.section, b.slug);
  });
  const auto page = static_cast<uint32_t>(at - pages.begin());
  const bool held = at != pages.end() && at->section == key.section && at->slug == key.slug;
  if (!held && !live) return;
  if (held) RemovePostings(page);
  if (held && live) {
    dirty_tables.insert(page / kChunk);
  } else {
    dirty_from = std::min<size_t>(dirty_from, page / kChunk);
  }
  if (held && !live) {
    pages.erase(at);
    Shift(page + 1, -1);
    return;
  }
  if (!held) {
    Shift(page, 1);
    pages.insert(at, std::move(key));
  }
  IndexPage& entry = pages[page];
  entry.title = row.Text(kRowFields + 4);
  entry.excerpt = PageExcerpt(row.Text(kRowFields + 5), row.Text(kRowFields + 6));
  AddRowWords(row, kRowFields, page);
}

std::string StaticSearchIndex::Language::Table(size_t n) const {
  JsonWriter table;
  table.BeginArray();
  for (size_t i = n * kChunk; i < std::min(pages.size(), (n + 1) * kChunk); ++i) {
    const IndexPage& page = pages[i];
    auto title = sections.find(page.section);
    table.BeginArray().String(paths::Page(code, page.section, page.slug)).String(page.title);
    table.String(title == sections.end() ? page.section : title->second);
    table.String(page.excerpt).EndArray();
  }
  return table.EndArray().str() + "\n";
}

Result<StaticSearchIndex> StaticSearchIndex::Make(Store* store, const SiteConfig& config,
                                                  int64_t now_unix) {
  StaticSearchIndex index;
  if (Status s = index.Load(store, config, now_unix); !s.ok()) return s;
  return index;
}

Status StaticSearchIndex::Load(Store* store, const SiteConfig& config, int64_t now_unix) {
  languages_.clear();
  outputs_.clear();
  auto last = store->Prepare("SELECT coalesce(max(id), 0) FROM page_changes");
  if (!last.ok()) return last.status();
  if (!last->Step()) return last->status();
  last_change_ = last->Int(0);
  auto due = store->Prepare(kNextDue);
  if (!due.ok()) return due.status();
  due->Bind(1, now_unix);
  if (!due->Step()) return due->status();
  next_due_ = due->IsNull(0) ? 0 : due->Int(0);
  now_ = now_unix;
  for (const LanguageConfig& config_language : config.languages) {
    auto language = std::make_unique<Language>();
    language->code = config_language.code;
    auto sections = SectionTitles(store, language->code);
    if (!sections.ok()) return sections.status();
    language->sections = std::move(sections).value();
    auto synonyms = SortedSynonyms(store, language->code);
    if (!synonyms.ok()) return synonyms.status();
    language->synonyms = std::move(synonyms).value();
    if (Status s = language->Read(store, now_unix); !s.ok()) return s;
    Emit(language.get(), true);
    languages_.push_back(std::move(language));
  }
  return Status::Ok();
}

namespace {

// The first string after every string beginning with `prefix` (a whole UTF-8 character or more,
// so its last byte is never 0xFF).
std::string PrefixEnd(std::string prefix) {
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

std::string ShardFile(const std::string& key) { return "s" + Hex(key) + ".txt"; }
std::string KeysFile(const std::string& group) { return "k" + Hex(group) + ".txt"; }

}  // namespace

void StaticSearchIndex::Emit(Language* language, bool all) {
  Language& l = *language;
  const std::string folder = paths::SearchIndexFolder(l.code);
  auto file = [&folder](const std::string& name) { return paths::OutputFile(folder + name); };
  std::set<std::string> groups = l.dirty_groups;
  if (all) {
    for (auto it = l.by_word.begin(); it != l.by_word.end();) {
      const std::string group = Group(it->first);
      it = l.by_word.lower_bound(PrefixEnd(group));
      groups.insert(group);
    }
  } else {
    for (uint32_t id : l.dirty_words) {
      if (!l.words[id].text.empty()) groups.insert(Group(l.words[id].text));
    }
  }
  for (const std::string& group : groups) EmitGroup(language, group, all);
  const size_t tables = (l.pages.size() + kChunk - 1) / kChunk;
  for (size_t n = tables; n < l.table_files; ++n) {
    outputs_.erase(file("p" + std::to_string(n) + ".json"));
  }
  for (size_t n = 0; n < tables; ++n) {
    if (all || l.all_tables || n >= l.dirty_from || l.dirty_tables.count(n)) {
      outputs_[file("p" + std::to_string(n) + ".json")] = l.Table(n);
    }
  }
  l.table_files = tables;
  outputs_[file("meta.json")] = Meta(l.code, l.pages.size(), l.sections, l.synonyms, l.shard_keys);
  l.dirty_words.clear();
  l.dirty_groups.clear();
  l.stale_shards.clear();
  l.dirty_tables.clear();
  l.dirty_from = SIZE_MAX;
  l.all_tables = false;
}

void StaticSearchIndex::EmitGroup(Language* language, const std::string& group, bool all) {
  Language& l = *language;
  const std::string folder = paths::SearchIndexFolder(l.code);
  auto file = [&folder](const std::string& key) {
    return paths::OutputFile(folder + ShardFile(key));
  };
  const std::string end = PrefixEnd(group);
  std::vector<Item> items;
  std::unordered_map<uint32_t, std::string> lines;  // of the words that changed
  for (auto it = l.by_word.lower_bound(group); it != l.by_word.end() && it->first < end; ++it) {
    IndexWord& word = l.words[it->second];
    if (all || l.dirty_words.count(it->second)) {
      std::string line;
      AppendLine(word.text, word.postings, &line);
      word.line_bytes = line.size();
      lines.emplace(it->second, std::move(line));
    }
    items.push_back({it->first, it->second, word.line_bytes});
  }
  ShardLayout layout;
  std::vector<size_t> members(items.size());
  for (size_t i = 0; i < members.size(); ++i) members[i] = i;
  if (!items.empty()) Layout(items, members, group, GroupLength(group), &layout);
  const std::vector<std::string> old(l.shard_keys.lower_bound(group),
                                     l.shard_keys.lower_bound(end));
  bool same = old.size() == layout.size();
  for (const std::string& key : old) {
    if (layout.count(key)) continue;
    same = false;
    outputs_.erase(file(key));
    l.shard_keys.erase(key);
  }
  for (const auto& [key, shard] : layout) {
    bool write = all || !same || l.stale_shards.count(key);
    for (size_t i = 0; !write && i < shard.size(); ++i) {
      write = lines.count(items[shard[i]].id) > 0;
    }
    if (!write) continue;
    std::string bytes;
    for (size_t i : shard) {
      auto line = lines.find(items[i].id);
      if (line != lines.end()) {
        bytes += line->second;
      } else {
        AppendLine(l.words[items[i].id].text, l.words[items[i].id].postings, &bytes);
      }
    }
    outputs_[file(key)] = std::move(bytes);
    l.shard_keys.insert(key);
  }
  if (all || !same) {
    const std::string keys_file = paths::OutputFile(folder + KeysFile(group));
    std::string keys;
    for (const auto& [key, shard] : layout) keys.append(key).push_back('\n');
    if (keys.empty()) {
      outputs_.erase(keys_file);
    } else {
      outputs_[keys_file] = std::move(keys);
    }
  }
}

Status StaticSearchIndex::Update(Store* store, const SiteConfig& config, int64_t now_unix) {
  bool same_languages = config.languages.size() == languages_.size();
  for (size_t i = 0; same_languages && i < languages_.size(); ++i) {
    same_languages = config.languages[i].code == languages_[i]->code;
  }
  if (!same_languages || now_unix < now_ || (next_due_ != 0 && now_unix >= next_due_)) {
    return Load(store, config, now_unix);
  }
  auto changes = store->Prepare("SELECT id, page_id FROM page_changes WHERE id > ?1 ORDER BY id");
  if (!changes.ok()) return changes.status();
  changes->Bind(1, last_change_);
  std::set<int64_t> ids;
  int64_t last = last_change_;
  while (changes->Step()) {
    last = changes->Int(0);
    ids.insert(changes->Int(1));
  }
  if (!changes->status().ok()) return changes->status();
  auto row = store->Prepare(kPageRow);
  if (!row.ok()) return row.status();
  std::set<Language*> lists;  // whose section titles may have changed
  for (int64_t id : ids) {
    row->Reset();
    row->Bind(1, id);
    if (!row->Step()) {
      if (!row->status().ok()) return row->status();
      continue;
    }
    auto language = std::find_if(languages_.begin(), languages_.end(),
                                 [&](const auto& l) { return l->code == row->Text(0); });
    if (language == languages_.end()) continue;
    const bool indexed = row->Int(4) != 0 && !row->IsNull(3);
    if (indexed && row->Int(3) > now_unix) {
      next_due_ = next_due_ == 0 ? row->Int(3) : std::min(next_due_, row->Int(3));
    }
    if (row->Text(2).empty()) lists.insert(language->get());
    (*language)->Apply(*row, indexed && row->Int(3) <= now_unix);
  }
  for (auto& language : languages_) {
    auto synonyms = SortedSynonyms(store, language->code);
    if (!synonyms.ok()) return synonyms.status();
    language->synonyms = std::move(synonyms).value();
    if (lists.count(language.get())) {
      auto sections = SectionTitles(store, language->code);
      if (!sections.ok()) return sections.status();
      language->all_tables = *sections != language->sections;
      language->sections = std::move(sections).value();
    }
    Emit(language.get(), false);
  }
  last_change_ = last;
  now_ = now_unix;
  return Status::Ok();
}

Result<std::map<std::string, std::string>> StaticSearchFiles(Store* store,
                                                             const std::string& lang,
                                                             int64_t now_unix) {
  SiteConfig config;
  config.languages.emplace_back().code = lang;
  auto index = StaticSearchIndex::Make(store, config, now_unix);
  if (!index.ok()) return index.status();
  const std::string folder = paths::OutputFile(paths::SearchIndexFolder(lang) + "x");
  std::map<std::string, std::string> files;
  for (const auto& [path, bytes] : index->outputs()) {
    files.emplace(path.substr(folder.size() - 1), bytes);
  }
  return files;
}

Result<std::map<std::string, std::string>> StaticSearchOutputs(Store* store,
                                                               const SiteConfig& config,
                                                               int64_t now_unix) {
  auto index = StaticSearchIndex::Make(store, config, now_unix);
  if (!index.ok()) return index.status();
  return index->outputs();
}

}  // namespace clemency
