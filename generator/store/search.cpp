#include "store/search.h"

#include <vector>

namespace clemency {
namespace {

const char kUnindexPage[] = R"sql(
DELETE FROM search_fts WHERE rowid IN
  (SELECT id FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3))sql";
const char kUnlistPage[] = R"sql(
DELETE FROM search_pages WHERE id IN
  (SELECT id FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3))sql";

// A batch's staging (BeginSearchBatch): the pages whose rows go, the rows that come.
const char kStageUnindex[] = R"sql(
INSERT OR IGNORE INTO temp.search_unindexed (id)
SELECT id FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3)sql";
const char kUnstage[] = R"sql(
DELETE FROM temp.search_staged WHERE id IN
  (SELECT id FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3))sql";
const char kStageIndex[] = R"sql(
INSERT OR REPLACE INTO temp.search_staged (id, title, headings, terms, body)
SELECT id, ?4, ?5, ?6, ?7 FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3)sql";
const char kIndexPage[] = R"sql(
INSERT INTO search_fts (rowid, title, headings, terms, body)
SELECT id, ?4, ?5, ?6, ?7 FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3)sql";
// What a search filters by (store migration 16): list pages and drafts are never results.
const char kListPage[] = R"sql(
INSERT INTO search_pages (id, lang, section, published_unix)
SELECT id, lang, section, unixepoch(published) FROM pages
WHERE section = ?1 AND slug = ?2 AND lang = ?3 AND slug <> '' AND draft = 0)sql";

// Titles weigh most, then headings and summaries, then the names a page is found by, then the
// body. List pages (home, sections) are not results: they only repeat their pages' titles. A
// translation of a scheduled page is not held back here (the API holds it). Only published
// pages have index rows (WriteSearch; a withdrawal deletes its page's in its transaction). The
// matches are filtered through `search_pages` (a few bytes a page, so it stays in the cache)
// and ranked by id and score alone; only the rows shown are read from `pages`, whose rows span
// database pages of their own: reading them for every match of a common query (~4,800 on the
// 15k-page bench) was most of a search's time.
#define CLEMENCY_SEARCH_FIND(KEYS, ORDER)                                                   \
  "SELECT p.id, p.section, p.slug, p.lang, p.kind, p.title, p.summary, p.body_text FROM "  \
  "(SELECT search_fts.rowid AS rid, " KEYS "bm25(search_fts, 10.0, 5.0, 4.0, 1.0) AS score " \
  "FROM search_fts JOIN search_pages m ON m.id = search_fts.rowid "                        \
  "WHERE search_fts MATCH ?1 "                                                             \
  "AND (?2 = '' OR m.lang = ?2) AND (?3 = '' OR m.section = ?3) "                           \
  "AND (?4 IS NULL OR m.published_unix <= ?4) "                                            \
  "ORDER BY " ORDER "score, rid LIMIT ?5 OFFSET ?6) r "                                     \
  "JOIN pages p ON p.id = r.rid ORDER BY " ORDER "r.score, r.rid"
const char kFind[] = CLEMENCY_SEARCH_FIND("", "");
// The reader's words together in a title or heading first (a glossary's entry), then anywhere.
const char kFindTogether[] = CLEMENCY_SEARCH_FIND(
    "search_fts.rowid NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?8) AS k1, "
    "search_fts.rowid NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?7) AS k2, ",
    "k1, k2, ");
#undef CLEMENCY_SEARCH_FIND

const char kInsertSynonym[] =
    "INSERT OR REPLACE INTO search_synonyms (lang, variant, term, term_folded) VALUES (?1, ?2, ?3, ?4)";
const char kSelectSynonyms[] =
    "SELECT lang, variant, term, term_folded FROM search_synonyms WHERE lang = ?1";

std::string Quoted(const std::string& word) {
  std::string out = "\"";
  for (char c : word) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

std::string Phrase(const std::vector<std::string>& words, bool prefix) {
  std::string joined;
  for (const std::string& word : words) joined += (joined.empty() ? "" : " ") + word;
  return Quoted(joined) + (prefix ? " *" : "");
}

}  // namespace

Status PageRepository::BeginSearchBatch() {
  Status s = store_->Exec(
      "CREATE TEMP TABLE IF NOT EXISTS search_unindexed (id INTEGER PRIMARY KEY);"
      "CREATE TEMP TABLE IF NOT EXISTS search_staged (id INTEGER PRIMARY KEY, title, headings, "
      "terms, body);"
      "DELETE FROM temp.search_unindexed; DELETE FROM temp.search_staged");
  search_batch_ = s.ok();
  return s;
}

Status PageRepository::EndSearchBatch() {
  search_batch_ = false;
  return store_->Exec(
      "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM temp.search_unindexed);"
      "INSERT INTO search_fts (rowid, title, headings, terms, body) "
      "SELECT id, title, headings, terms, body FROM temp.search_staged ORDER BY id;"
      "DELETE FROM temp.search_unindexed; DELETE FROM temp.search_staged");
}

Status PageRepository::WriteSearch(const PageRow& row) {
  Status s;
  static const std::vector<const char*> kBatched = {kStageUnindex, kUnstage, kUnlistPage};
  static const std::vector<const char*> kAtOnce = {kUnindexPage, kUnlistPage};
  for (const char* sql : search_batch_ ? kBatched : kAtOnce) {
    if (s.ok()) {
      s = store_->WithCached(sql, [&](Statement& stmt) {
        stmt.Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang);
        return stmt.Run();
      });
    }
  }
  if (!s.ok() || !row.search || row.status != "published" || row.draft) return s;
  s = store_->WithCached(search_batch_ ? kStageIndex : kIndexPage, [&](Statement& stmt) {
    stmt.Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang);
    stmt.Bind(4, row.search->title).Bind(5, row.search->headings);
    stmt.Bind(6, row.search->terms).Bind(7, row.search->body);
    return stmt.Run();
  });
  if (!s.ok()) return s;
  return store_->WithCached(kListPage, [&](Statement& stmt) {
    stmt.Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang);
    return stmt.Run();
  });
}

std::string SearchIndex::MatchExpression(const std::vector<SearchTerm>& terms) {
  std::string out;
  for (const SearchTerm& term : terms) {
    std::vector<std::string> phrases;
    for (const auto& words : term.alternatives) {
      if (!words.empty()) phrases.push_back(Phrase(words, term.prefix));
    }
    if (phrases.empty()) continue;
    std::string group = phrases[0];
    for (size_t i = 1; i < phrases.size(); ++i) group += " OR " + phrases[i];
    if (phrases.size() > 1) group = "(" + group + ")";
    out += (out.empty() ? "" : " AND ") + group;
  }
  return out;
}

Result<SearchResults> SearchIndex::Find(const SearchRequest& request) {
  SearchResults results;
  const std::string match = MatchExpression(request.terms);
  if (match.empty() || request.limit <= 0) return results;
  const std::string together = MatchExpression({request.together});
  Status s = store_->WithCached(together.empty() ? kFind : kFindTogether, [&](Statement& stmt) {
    stmt.Bind(1, match).Bind(2, request.lang).Bind(3, request.section);
    if (!together.empty()) {
      stmt.Bind(7, together).Bind(8, "{title headings} : (" + together + ")");
    }
    if (request.view) {
      stmt.Bind(4, request.view->now_unix);
    } else {
      stmt.BindNull(4);
    }
    stmt.Bind(5, static_cast<int64_t>(request.limit) + 1).Bind(6, request.offset);
    while (stmt.Step()) {
      results.hits.push_back({stmt.Int(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), stmt.Text(4),
                              stmt.Text(5), stmt.Text(6), stmt.Text(7)});
    }
    Status result = stmt.status();
    stmt.Reset();
    return result;
  });
  if (!s.ok()) return s;
  if (results.hits.size() > static_cast<size_t>(request.limit)) {
    results.hits.pop_back();
    results.more = true;
  }
  return results;
}

Status SearchIndex::ReplaceSynonyms(const std::vector<SearchSynonym>& synonyms) {
  Status s = store_->Exec("DELETE FROM search_synonyms");
  for (size_t i = 0; s.ok() && i < synonyms.size(); ++i) {
    s = store_->WithCached(kInsertSynonym, [&](Statement& stmt) {
      const SearchSynonym& synonym = synonyms[i];
      stmt.Bind(1, synonym.lang).Bind(2, synonym.variant).Bind(3, synonym.term);
      stmt.Bind(4, synonym.term_folded);
      return stmt.Run();
    });
  }
  return s;
}

Result<std::vector<SearchSynonym>> SearchIndex::Synonyms(const std::string& lang) {
  std::vector<SearchSynonym> out;
  Status s = store_->WithCached(kSelectSynonyms, [&](Statement& stmt) {
    stmt.Bind(1, lang);
    while (stmt.Step()) out.push_back({stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3)});
    Status result = stmt.status();
    stmt.Reset();
    return result;
  });
  if (!s.ok()) return s;
  return out;
}

Result<int64_t> SearchIndex::Count() {
  auto stmt = store_->Prepare("SELECT count(*) FROM search_fts");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step()) return stmt->status().ok() ? Status::Error("store: no count") : stmt->status();
  return stmt->Int(0);
}

}  // namespace clemency
