#include "publish/static_search.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <deque>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/json.h"
#include "core/parallel.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "publish/static_search_format.h"
#include "store/search.h"

namespace clemency {

using namespace static_search;  // the files' format

namespace {

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

Result<std::map<std::string, std::string>> SectionTitles(Store* store, const std::string& lang) {
  std::map<std::string, std::string> out;
  auto stmt = store->Prepare(kSections);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, lang);
  while (stmt->Step()) out[stmt->Text(0)] = stmt->Text(1);
  if (!stmt->status().ok()) return stmt->status();
  return out;
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
    if (!list.empty() && list.back() / 4 == page) {  // the word again in the page just added
      list.back() = std::max(list.back(), posting);
      return;
    }
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
  hashes_.clear();
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

void StaticSearchIndex::Put(const std::string& path, std::string bytes) {
  hashes_[path] = HashHex(bytes);
  outputs_[path] = std::move(bytes);
}

void StaticSearchIndex::Drop(const std::string& path) {
  outputs_.erase(path);
  hashes_.erase(path);
}

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
    Drop(file("p" + std::to_string(n) + ".json"));
  }
  for (size_t n = 0; n < tables; ++n) {
    if (all || l.all_tables || n >= l.dirty_from || l.dirty_tables.count(n)) {
      Put(file("p" + std::to_string(n) + ".json"), l.Table(n));
    }
  }
  l.table_files = tables;
  Put(file("meta.json"), Meta(l.code, l.pages.size(), l.sections, l.synonyms, l.shard_keys));
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
    Drop(file(key));
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
    Put(file(key), std::move(bytes));
    l.shard_keys.insert(key);
  }
  if (all || !same) {
    const std::string keys_file = paths::OutputFile(folder + KeysFile(group));
    std::string keys;
    for (const auto& [key, shard] : layout) keys.append(key).push_back('\n');
    if (keys.empty()) {
      Drop(keys_file);
    } else {
      Put(keys_file, std::move(keys));
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
  // A language's files depend on its own pages only: languages are made on all cores (the
  // store's connection is serialised, and most of the work is outside SQLite), each one's words
  // and postings freed once its files are taken, so a build holds as many languages' indexes as
  // it has cores, not all of them (the word pairs make them most of a build's peak memory).
  const size_t n = config.languages.size();
  std::vector<Result<std::map<std::string, std::string>>> made(n, Status::Error(""));
  ParallelFor(n, DefaultThreads(), [&](size_t i) {
    SiteConfig one;
    one.languages.push_back(config.languages[i]);
    auto index = StaticSearchIndex::Make(store, one, now_unix);
    made[i] = index.ok() ? Result<std::map<std::string, std::string>>(index->TakeOutputs())
                         : Result<std::map<std::string, std::string>>(index.status());
  });
  std::map<std::string, std::string> out;
  for (auto& files : made) {
    if (!files.ok()) return files.status();
    out.merge(std::move(files).value());
  }
  return out;
}

}  // namespace clemency
