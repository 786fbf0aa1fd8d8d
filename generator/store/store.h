#pragma once
// The SQLite store: one connection, prepared statements only, schema migrations.
// The only module that includes sqlite3.h.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace clemency {

class Statement {
 public:
  Statement(Statement&&) noexcept;
  ~Statement();
  Statement& Bind(int index, const std::string& value);
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, double value);
  Statement& BindNull(int index);
  Statement& BindBlob(int index, std::string_view bytes);
  // Steps once: true when a row is ready. Errors are kept and returned by status().
  bool Step();
  Status Run();  // steps to the end and resets
  void Reset();
  std::string Text(int column) const;
  std::string Blob(int column) const;
  int64_t Int(int column) const;
  double Real(int column) const;
  bool IsNull(int column) const;
  Status status() const { return status_; }

 private:
  friend class Store;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status status_;
};

class Store {
 public:
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  // Opens (creating if needed) the SQLite file at `path`, or ":memory:", and migrates it to the
  // current schema.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  // Returns the schema version this program's migrations bring a store to.
  static int LatestSchemaVersion();
  ~Store();
  Result<Statement> Prepare(const std::string& sql);
  // Runs `use` with a statement prepared once per store and reused (bindings cleared first),
  // under a lock, for statements run many times in a row (imports, indexing).
  template <typename Use>
  Status WithCached(const char* sql, Use&& use) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      auto prepared = Prepare(sql);
      if (!prepared.ok()) return prepared.status();
      it = cache_.emplace(sql, std::make_unique<Statement>(std::move(prepared).value())).first;
    }
    it->second->Reset();
    return use(*it->second);
  }
  Status Exec(const std::string& sql);  // for fixed SQL without parameters only
  // Begins a write transaction (BEGIN IMMEDIATE).
  Status Begin();
  // Commits the transaction Begin() began. First moves the change-stream rows it wrote up to the
  // commit's second (never earlier): rows are stamped when written, and a reader must not be
  // handed a cursor past a row that commits later (see kChangeSettleSeconds).
  Status Commit();
  Status Rollback() { return Exec("ROLLBACK"); }
  // True inside a transaction this connection began (Begin() and not yet Commit/Rollback).
  bool InTransaction() const;
  // A read transaction: every read until EndSnapshot() sees the store as of the first one, so
  // a listing and the texts read after it agree while others commit. Reads only in between.
  Status BeginSnapshot() { return Exec("BEGIN DEFERRED"); }
  Status EndSnapshot() { return Exec("COMMIT"); }
  int SchemaVersion();
  // Changes whenever the store's content may have changed (writes through this connection or
  // any other, seen at once): a key for caches of query results. Runs a tiny read transaction.
  int64_t DataVersion();
  // Changes whenever another connection (of this process or another) commits to the store:
  // SQLite's data_version, read in a transaction of its own.
  Result<int64_t> CommitCounter();
  const std::string& path() const { return path_; }
  // Ok when the file is still the one opened and passes SQLite's quick check, read through a
  // connection of its own (this one's page cache could hide damage). Thread-safe; a healthy
  // verdict is reused while the file and its write-ahead log keep their size and times.
  Status CheckHealth();
  // Copies the whole store as of one moment into the new file `to` through SQLite's online
  // backup (other connections keep reading and writing meanwhile). The copy is written owner-only
  // beside `to`, passes integrity_check, and only then takes that name. An existing `to` is
  // refused unless `overwrite`; the store's own file always is.
  Status BackupTo(const std::string& to, bool overwrite = false);

 private:
  Store(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Migrate();
  // The stamps (size, times) of the file and its log, or "" when the file is gone or replaced.
  std::string FileStamp() const;
  sqlite3* db_;
  std::string path_;
  uint64_t device_ = 0, inode_ = 0;  // of the file opened
  std::atomic<uint64_t> failed_reads_{0};  // DataVersion's answers when the store is unreadable
  std::mutex health_mutex_;
  std::string healthy_stamp_;  // FileStamp() at the last healthy check
  std::mutex cache_mutex_;
  std::map<const char*, std::unique_ptr<Statement>> cache_;  // keyed by the SQL literal's address
  int64_t change_mark_ = -1;  // the last change-stream row before Begin(); -1: no such table
};

// Ok when `path` is a SQLite file that passes integrity_check, holds a Clemency store (its pages
// and edits tables) and has a schema no newer than this program's; else says which it fails.
Status CheckStoreFile(const std::string& path);

// Replaces the store file at `db_path` with a verified copy of `backup`: the copy is made and
// checked (CheckStoreFile) beside the store first, the old store (with its write-ahead log) is
// kept owner-only as `kept`, then the copy takes the store's name; a missing folder of the store
// is made (owner-only). REQUIRES: no process has the store open. On an error before the swap
// nothing has changed.
Status ReplaceStoreFile(const std::string& db_path, const std::string& backup,
                        const std::string& kept);

struct SupportRow {
  // province as the source named it; current_province when the 2025 reform merged it ("" else);
  // district: the former district (the level no longer exists since 1 July 2025).
  std::string province, current_province, commune, district, organisation;
  std::vector<std::string> services;  // service names, in the order the entry gives them
  std::string phone, address, hours;
  std::string verified, verified_by;  // "" when nobody has confirmed the entry still runs
  std::optional<double> lat, lon;
};

// Who made a revision: wrote it, approved it, published it ("" when not known, e.g. imported
// from files; the command line records its user as author and publisher).
struct RevisionPeople {
  std::string author, approver, publisher;
  // Published outside the workflow (the command line): nobody approved it. Revisions stored
  // from content/ name nobody and are the site's starting point, not a skipped review.
  bool SkippedReview() const { return approver.empty() && !publisher.empty(); }
};

// A page's words as search matches them (i18n's SearchIndexText: folded words joined by spaces),
// by weight: title, then headings and summary, then other names it is found by (a support
// entry's places and services), then the body.
struct SearchFields {
  std::string title, headings, terms, body;
};

// One published or draft translation as stored: its metadata for lists and queries, its
// source text (front matter + Markdown) and rendered body.
struct PageRow {
  int64_t id = 0;
  std::string section, slug, lang, kind, title, summary;
  std::string published, updated;  // RFC 3339
  int64_t updated_unix = 0;
  bool draft = false;
  int64_t weight = 0;
  std::string source_path, source_text, body_html, body_text, content_hash;
  std::string change_note;
  std::string meta_json = "{}";  // sources, reviewed, translation status, tags … as JSON
  std::optional<SupportRow> support;
  // `updated` is the time of the last revision; this one of the last announced one (major or
  // correction), which readers see.
  std::string public_updated;
  std::string change_type = "major";  // of the revision an Upsert records: major, minor, correction
  // "published", or a tombstone: "withdrawn" (its URL shows a notice) or "gone" (410).
  std::string status = "published";
  std::string withdrawn_at, withdrawn_reason;
  std::string withdrawn_reason_lang;  // the reason's language when not `lang` ("": lang's own)
  RevisionPeople people;  // of the revision an Upsert records
  // Its search index row, written by Upsert with the page (none: the page is not findable).
  std::optional<SearchFields> search = std::nullopt;
  // A story retold from a press report (Page::IsRetoldReport, from its parsed front matter):
  // the licence covers the retelling only.
  bool retold_report = false;
};

// Why and when pages leave the site.
struct Withdrawal {
  std::string at;  // RFC 3339
  int64_t at_unix = 0;
  std::string reason;
  bool gone = false;  // removed (410) rather than withdrawn with a notice
  std::string by;     // who withdrew it ("" when not known)
  std::string reason_lang = "";  // the language `reason` is written in ("": each page's own)
};

struct RevisionRow {
  std::string updated, recorded, change_note, change_type;
};

// What readers may see at `now_unix`, as the site shows it: a page whose publish time
// (`published`, the front matter's date) has come, and a translation only once its page in
// `source_lang` has too. Tombstones are not held back (partners must learn of removals).
struct PublicView {
  int64_t now_unix = 0;
  std::string source_lang;
};

// An announced revision (major, correction or withdrawal) of a published page, for its public
// history; its text is read on its own (RevisionText), only when a diff needs it.
struct AnnouncedRevision {
  int64_t id = 0;
  std::string section, slug, lang;
  std::string updated, change_note, change_type, content_hash;
  RevisionPeople people;
};

// Keyset pagination: newest updated first, ties broken by id, so a cursor stays valid while
// pages change (a changed page moves to the front and is not repeated on later pages).
struct PageQuery {
  std::string lang, section;
  std::optional<int64_t> updated_since_unix;
  std::optional<std::pair<int64_t, int64_t>> after;  // (updated_unix, id) of the last item seen
  int limit = 20;
  std::optional<PublicView> view;  // none: scheduled rows too (editors' tools)
};

// One change of a page's record, as the change stream (GET /api/v1/changes) lists it: a revision
// (status published) or a tombstone (withdrawn, gone). change_type: major, minor or correction;
// withdrawn or gone; `translations` when only the list of the page's translations changed.
struct ChangeRow {
  int64_t id = 0, visible_unix = 0;  // the stream's order: (visible_unix, id)
  std::string section, slug, lang, status, change_type, at;
};

struct SupportQuery {
  std::string lang, province, service;
  std::optional<PublicView> view;  // none: scheduled rows too
  // When not empty: entries whose province or current province is one of these names.
  std::vector<std::string> provinces{};
};

class PageRepository {
 public:
  explicit PageRepository(Store* store) : store_(store) {}
  // Inserts or updates by (section, slug, lang); keeps the row id stable across updates and
  // records a revision whenever the source text changes.
  Status Upsert(const PageRow& row);
  // Calls `use(source_path, source_text)` for every published row, one at a time (to load the site from
  // the store without holding rows and rendered bodies too).
  Status ForEachSource(const std::function<void(const std::string&, std::string)>& use);
  // Calls `use(source_path, content_hash)` for every published row: what changed since a copy
  // was read, without reading the texts.
  Status ForEachHash(const std::function<void(const std::string&, const std::string&)>& use);
  // The stored text of the published page file at `source_path` ("content/...").
  Result<std::string> SourceText(const std::string& source_path);
  Result<int64_t> Count();
  // Published, non-index pages matching `query` (bodies and sources left empty); with
  // updated_since, tombstones changed since then too (partners must learn of removals).
  Result<std::vector<PageRow>> List(const PageQuery& query);
  // With `view`, a scheduled row is not found.
  Result<std::optional<PageRow>> Get(const std::string& section, const std::string& slug,
                                     const std::string& lang,
                                     const std::optional<PublicView>& view = std::nullopt);
  // Languages with a published translation of section/slug (with `view`, those readers see).
  Result<std::vector<std::string>> Translations(
      const std::string& section, const std::string& slug,
      const std::optional<PublicView>& view = std::nullopt);
  // The first publish time of a published page after `after` (unix seconds), or none: when
  // what readers see changes without a commit.
  Result<std::optional<int64_t>> NextPublishTime(int64_t after);
  Result<std::vector<RevisionRow>> History(int64_t page_id);
  // The announced revisions (not minor ones) of the published pages, by section, slug and
  // language, each page's newest first: every page's, or only section/slug's (`page`).
  Result<std::vector<AnnouncedRevision>> AnnouncedRevisions(
      const std::optional<std::pair<std::string, std::string>>& page);
  // The source text (front matter and Markdown) of the revision numbered `revision_id`.
  Result<std::string> RevisionText(int64_t revision_id);
  // Records what a publish did (`actor`: the command or the server) and its steps' timings.
  Status LogPublish(const std::string& actor, const std::string& what, const std::string& steps);
  Result<std::vector<PageRow>> ListSupport(const SupportQuery& query);
  // Returns each distinct (province, current_province) pair of the published support entries.
  Result<std::vector<std::pair<std::string, std::string>>> SupportPlaces();
  // Withdraws the published pages whose (section, slug, lang) is not in `keep` (content files
  // deleted on disk): they stay as tombstones.
  Status WithdrawAllExcept(
      const std::vector<std::tuple<std::string, std::string, std::string>>& keep,
      const Withdrawal& withdrawal);
  // Makes a published page a tombstone, `updated` at the withdrawal, with a revision recording it
  // (change type "withdrawal"). A page that is not published is left as it is.
  Status Withdraw(const std::string& section, const std::string& slug, const std::string& lang,
                  const Withdrawal& withdrawal);
  // Before `lang` of section/slug is published (`publishing`) or withdrawn: when that changes
  // whether it is published, moves `updated` of the other published translations forward to
  // `at` (their API records list the translations, so partners asking updated_since learn of it).
  Status NoteLanguageChange(const std::string& section, const std::string& slug,
                            const std::string& lang, bool publishing, const std::string& at,
                            int64_t at_unix);
  // How far behind the clock the change stream is read: Commit() stamps a transaction's rows
  // with its last second, so rows that old are committed unless the commit itself took over a
  // second; a newer second could still gain rows placed before a cursor handed out now.
  static constexpr int64_t kChangeSettleSeconds = 2;
  // Returns up to `limit` changes after `after` (visible_unix, id) in stream order: those readers
  // may see at `now_unix` (a caller serving followers passes now - kChangeSettleSeconds), of pages (not list pages), not of drafts. A translation's change is
  // at its source's publish time when that is later (stamped when the change is written).
  Result<std::vector<ChangeRow>> Changes(std::pair<int64_t, int64_t> after, int64_t now_unix,
                                         int limit);
  // Returns SQLite's plan of Changes' query (EXPLAIN QUERY PLAN), one step a line: whether the
  // read walks the stream's index.
  Result<std::string> ChangesQueryPlan();
  // Every tombstone (summary columns).
  Result<std::vector<PageRow>> Tombstones();
  // Replaces the search row of row's page (section, slug, lang) with `row.search`: none when
  // it has none or is not published (Upsert does this too). In store/search.cpp.
  Status WriteSearch(const PageRow& row);
  // From here until EndSearchBatch(), WriteSearch stages its full-text rows (and removals) in
  // temporary tables instead of writing them one statement a page. REQUIRES: a transaction.
  // Why: SQLite 3.40's FTS5 flushes its pending terms into a new segment at every statement
  // inside a transaction, so a statement a page costs a segment a page and their merges.
  Status BeginSearchBatch();
  // Writes the staged rows into the full-text index, two statements in all, and ends the batch.
  Status EndSearchBatch();

 private:
  // Fills in the services of each row that has a support entry.
  Status ReadServices(std::vector<PageRow*> rows);
  Status WriteServices(const PageRow& row);
  Store* store_;
  bool search_batch_ = false;  // between BeginSearchBatch() and EndSearchBatch()
};

}  // namespace clemency
