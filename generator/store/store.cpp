#include "store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include <sqlite3.h>

#include "core/fs.h"

namespace clemency {
namespace {

// Each entry moves the schema from version i to i+1. Never edit one that has shipped.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE pages (
  id INTEGER PRIMARY KEY,
  section TEXT NOT NULL,
  slug TEXT NOT NULL,
  lang TEXT NOT NULL,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  published TEXT NOT NULL,
  updated TEXT NOT NULL,
  updated_unix INTEGER NOT NULL,
  draft INTEGER NOT NULL DEFAULT 0,
  weight INTEGER NOT NULL DEFAULT 0,
  source_path TEXT NOT NULL,
  source_text TEXT NOT NULL,
  body_html TEXT NOT NULL,
  body_text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  change_note TEXT NOT NULL DEFAULT '',
  meta_json TEXT NOT NULL DEFAULT '{}',
  UNIQUE (section, slug, lang)
);
CREATE INDEX pages_by_update ON pages (updated_unix DESC, id DESC);
CREATE TABLE page_revisions (
  id INTEGER PRIMARY KEY,
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  source_text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  updated TEXT NOT NULL,
  change_note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (page_id, content_hash)
);
CREATE TABLE support_entries (
  page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
  province TEXT NOT NULL,
  district TEXT NOT NULL,
  organisation TEXT NOT NULL,
  services TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  hours TEXT NOT NULL DEFAULT '',
  lat REAL,
  lon REAL,
  verified TEXT NOT NULL
);
CREATE INDEX support_by_province ON support_entries (province);
)sql",
    // A support entry's services as rows, not a comma-joined text matched with LIKE.
    R"sql(
CREATE TABLE support_services (
  page_id INTEGER NOT NULL REFERENCES support_entries(page_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  service TEXT NOT NULL,
  PRIMARY KEY (page_id, position)
) WITHOUT ROWID;
CREATE INDEX support_services_by_service ON support_services (service, page_id);
WITH RECURSIVE split(page_id, position, service, rest) AS (
  SELECT page_id, -1, NULL, services || ',' FROM support_entries
  UNION ALL
  SELECT page_id, position + 1, substr(rest, 1, instr(rest, ',') - 1),
         substr(rest, instr(rest, ',') + 1)
  FROM split WHERE rest <> ''
)
INSERT INTO support_services (page_id, position, service)
SELECT page_id, position, service FROM split WHERE position >= 0 AND service <> '';
ALTER TABLE support_entries DROP COLUMN services;
)sql",
    // Revisions with a change type; the last announced change apart from the last change; a log
    // of what each publish did.
    R"sql(
ALTER TABLE pages ADD COLUMN public_updated TEXT NOT NULL DEFAULT '';
UPDATE pages SET public_updated = updated;
ALTER TABLE page_revisions ADD COLUMN change_type TEXT NOT NULL DEFAULT 'major';
CREATE TABLE publish_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor TEXT NOT NULL,
  what TEXT NOT NULL,
  steps TEXT NOT NULL
);
)sql",
    // Removals are records: a withdrawn page keeps its row as a tombstone.
    R"sql(
ALTER TABLE pages ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE pages ADD COLUMN withdrawn_at TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
)sql",
    // What changed since a copy was read, from an index alone (the rows hold whole pages).
    R"sql(
CREATE INDEX pages_by_status_path ON pages (status, source_path, content_hash);
)sql",
    // Places after the 2025 reform (the province merged into, a commune) and who confirmed an
    // entry; `verified` is '' for an entry nobody has confirmed.
    R"sql(
ALTER TABLE support_entries ADD COLUMN current_province TEXT NOT NULL DEFAULT '';
ALTER TABLE support_entries ADD COLUMN commune TEXT NOT NULL DEFAULT '';
ALTER TABLE support_entries ADD COLUMN verified_by TEXT NOT NULL DEFAULT '';
CREATE INDEX support_by_current_province ON support_entries (current_province);
)sql",
    // Editors' accounts (passwords as Argon2id strings) and the audit log of what people did.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('editor', 'publisher', 'admin')),
  password_hash TEXT NOT NULL,
  disabled_at TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL
);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);
)sql",
    // The editorial workflow: who wrote, approved and published each revision; edits not yet
    // published (at most one open per page file) with every saved version; bearer tokens, hashed.
    R"sql(
ALTER TABLE page_revisions ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE page_revisions ADD COLUMN approver TEXT NOT NULL DEFAULT '';
ALTER TABLE page_revisions ADD COLUMN publisher TEXT NOT NULL DEFAULT '';
CREATE TABLE edits (
  id INTEGER PRIMARY KEY,
  source_path TEXT NOT NULL,
  base_hash TEXT NOT NULL,
  source_text TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'scheduled',
                                       'published', 'discarded')),
  change_type TEXT NOT NULL DEFAULT 'major',
  note TEXT NOT NULL DEFAULT '',
  author TEXT NOT NULL,
  approver TEXT NOT NULL DEFAULT '',
  publisher TEXT NOT NULL DEFAULT '',
  legal_review INTEGER NOT NULL DEFAULT 0,
  review_comment TEXT NOT NULL DEFAULT '',
  publish_at TEXT NOT NULL DEFAULT '',
  publish_at_unix INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  published_at TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX edits_one_open ON edits (source_path)
  WHERE state IN ('draft', 'submitted', 'approved', 'scheduled');
CREATE INDEX edits_due ON edits (publish_at_unix) WHERE state = 'scheduled';
CREATE TABLE edit_versions (
  edit_id INTEGER NOT NULL REFERENCES edits(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  source_text TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  saved_at TEXT NOT NULL,
  PRIMARY KEY (edit_id, version)
) WITHOUT ROWID;
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  revoked_at TEXT NOT NULL DEFAULT ''
);
)sql",
    // The language a withdrawal's reason is written in, when it is not the page's own (a
    // translation withdrawn with the default language's reason): readers are told so.
    R"sql(
ALTER TABLE pages ADD COLUMN withdrawn_reason_lang TEXT NOT NULL DEFAULT '';
)sql",
    // Search: each published page's words, folded by i18n's search text (so FTS5's ascii
    // tokenizer only splits at spaces and never has to understand Khmer), rowid = pages.id; and
    // the termbase's variants of a language as synonyms of the site's term.
    R"sql(
CREATE VIRTUAL TABLE search_fts USING fts5(title, headings, terms, body, tokenize = 'ascii',
                                           prefix = '1 2 3');
CREATE TABLE search_synonyms (
  lang TEXT NOT NULL,
  variant TEXT NOT NULL,
  term TEXT NOT NULL,
  term_folded TEXT NOT NULL,
  PRIMARY KEY (lang, variant)
) WITHOUT ROWID;
)sql",
    // Partners: whether a page is a story retold from a press report (set from its parsed front
    // matter; rows stored before are read from the consent basis their meta records); the type
    // of each row's last change; and the change stream (GET /api/v1/changes): one row per change
    // of a page's record, written by triggers in the transaction that changes it, so every path
    // that writes pages (import, publish, unpublish, a translation's arrival) is in it, in commit
    // order. `visible_unix` is when readers may see it: the commit, or a scheduled page's time.
    R"sql(
ALTER TABLE pages ADD COLUMN retold_report INTEGER NOT NULL DEFAULT 0;
UPDATE pages SET retold_report = 1 WHERE meta_json LIKE '%"basis":"published-report"%';
ALTER TABLE pages ADD COLUMN change_type TEXT NOT NULL DEFAULT 'major';
CREATE TABLE page_changes (
  id INTEGER PRIMARY KEY,
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  change_type TEXT NOT NULL,
  at TEXT NOT NULL,
  visible_unix INTEGER NOT NULL,
  draft INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX page_changes_in_order ON page_changes (visible_unix, id);
INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
SELECT id, status, CASE WHEN status <> 'published' THEN status ELSE 'major' END, updated,
       CASE WHEN status = 'published' THEN max(updated_unix, coalesce(unixepoch(published), 0))
            ELSE updated_unix END, draft
FROM pages ORDER BY updated_unix, id;
CREATE TRIGGER page_change_on_insert AFTER INSERT ON pages BEGIN
  INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
  VALUES (new.id, new.status,
          CASE WHEN new.status <> 'published' THEN new.status ELSE new.change_type END,
          new.updated,
          max(unixepoch('now'), CASE WHEN new.status = 'published'
                                     THEN coalesce(unixepoch(new.published), 0) ELSE 0 END),
          new.draft);
END;
CREATE TRIGGER page_change_on_update AFTER UPDATE ON pages
WHEN old.content_hash IS NOT new.content_hash OR old.status IS NOT new.status
  OR old.updated_unix IS NOT new.updated_unix OR old.meta_json IS NOT new.meta_json
  OR old.draft IS NOT new.draft
BEGIN
  INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
  VALUES (new.id, new.status,
          CASE WHEN new.status <> 'published' THEN new.status
               WHEN old.status <> 'published' THEN new.change_type
               WHEN old.content_hash = new.content_hash AND old.meta_json = new.meta_json
                    AND old.draft = new.draft THEN 'translations'
               ELSE new.change_type END,
          new.updated,
          max(unixepoch('now'), CASE WHEN new.status = 'published'
                                     THEN coalesce(unixepoch(new.published), 0) ELSE 0 END),
          old.draft AND new.draft);
END;
)sql",
    // WebSub (W3C) subscriptions of serve's hub: a subscriber's callback for one feed (topic),
    // verified before it is stored; its secret signs the content it is sent (HMAC), so it is
    // kept as given; a lease ends at expires_unix.
    R"sql(
CREATE TABLE websub_subscriptions (
  topic TEXT NOT NULL,
  callback TEXT NOT NULL,
  secret TEXT NOT NULL DEFAULT '',
  lease_seconds INTEGER NOT NULL,
  expires_unix INTEGER NOT NULL,
  verified_unix INTEGER NOT NULL,
  PRIMARY KEY (topic, callback)
) WITHOUT ROWID;
CREATE INDEX websub_by_expiry ON websub_subscriptions (expires_unix);
)sql",
    // Uploaded images (media): one row per image with its alt text in each language (JSON),
    // caption, credit and the consent basis of the people it shows; its written copies (full
    // width and narrower ones, already stripped of metadata) by site path.
    R"sql(
CREATE TABLE media (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  path TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  alt_json TEXT NOT NULL,
  alt_search TEXT NOT NULL,
  caption TEXT NOT NULL DEFAULT '',
  credit TEXT NOT NULL DEFAULT '',
  consent_basis TEXT NOT NULL,
  consent_given_by TEXT NOT NULL DEFAULT '',
  uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL
);
CREATE TABLE media_files (
  path TEXT PRIMARY KEY,
  media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
  bytes BLOB NOT NULL
);
)sql",
    // Editors' e-mail addresses and the language of the notices sent there (submitted for
    // review: the publishers are told).
    R"sql(
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '';
)sql",
    // The change stream read in its index's order: a translation's change is stamped, when it is
    // written, with the time its source goes live when that is later (its page answers 404 until
    // then), instead of being worked out per row at every read. `is_translation`: the row's front
    // matter has `translation_status`, which the loader requires of every language but the
    // default one and refuses in it. A source written as scheduled moves its translations'
    // changes to its time (never earlier: no follower's cursor passes a change it has not seen).
    // Rows already written are stamped as the read placed them, so cursors given out stay valid.
    R"sql(
ALTER TABLE pages ADD COLUMN is_translation INTEGER GENERATED ALWAYS AS (
  CASE WHEN json_valid(meta_json) THEN json_extract(meta_json, '$.translation_status') IS NOT NULL
       ELSE 0 END) VIRTUAL;
CREATE INDEX page_changes_by_page ON page_changes (page_id);
UPDATE page_changes SET visible_unix = max(visible_unix, coalesce(
  (SELECT unixepoch(src.published) FROM pages p JOIN pages src
     ON src.section = p.section AND src.slug = p.slug AND NOT src.is_translation
    AND src.draft = 0 AND src.status = 'published'
   WHERE p.id = page_changes.page_id AND p.is_translation), 0));
DROP TRIGGER page_change_on_insert;
DROP TRIGGER page_change_on_update;
CREATE TRIGGER page_change_on_insert AFTER INSERT ON pages BEGIN
  INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
  VALUES (new.id, new.status,
          CASE WHEN new.status <> 'published' THEN new.status ELSE new.change_type END,
          new.updated,
          max(unixepoch('now'),
              CASE WHEN new.status = 'published'
                   THEN coalesce(unixepoch(new.published), 0) ELSE 0 END,
              CASE WHEN new.is_translation THEN coalesce(
                (SELECT unixepoch(src.published) FROM pages src
                 WHERE src.section = new.section AND src.slug = new.slug
                   AND NOT src.is_translation AND src.draft = 0 AND src.status = 'published'), 0)
                   ELSE 0 END),
          new.draft);
END;
CREATE TRIGGER page_change_on_update AFTER UPDATE ON pages
WHEN old.content_hash IS NOT new.content_hash OR old.status IS NOT new.status
  OR old.updated_unix IS NOT new.updated_unix OR old.meta_json IS NOT new.meta_json
  OR old.draft IS NOT new.draft
BEGIN
  INSERT INTO page_changes (page_id, status, change_type, at, visible_unix, draft)
  VALUES (new.id, new.status,
          CASE WHEN new.status <> 'published' THEN new.status
               WHEN old.status <> 'published' THEN new.change_type
               WHEN old.content_hash = new.content_hash AND old.meta_json = new.meta_json
                    AND old.draft = new.draft THEN 'translations'
               ELSE new.change_type END,
          new.updated,
          max(unixepoch('now'),
              CASE WHEN new.status = 'published'
                   THEN coalesce(unixepoch(new.published), 0) ELSE 0 END,
              CASE WHEN new.is_translation THEN coalesce(
                (SELECT unixepoch(src.published) FROM pages src
                 WHERE src.section = new.section AND src.slug = new.slug
                   AND NOT src.is_translation AND src.draft = 0 AND src.status = 'published'), 0)
                   ELSE 0 END),
          old.draft AND new.draft);
END;
CREATE TRIGGER page_change_hold_translations_on_insert AFTER INSERT ON pages
WHEN NOT new.is_translation AND new.status = 'published' AND new.draft = 0
  AND unixepoch(new.published) > unixepoch('now')
BEGIN
  UPDATE page_changes SET visible_unix = unixepoch(new.published)
  WHERE page_id IN (SELECT t.id FROM pages t WHERE t.section = new.section
                      AND t.slug = new.slug AND t.is_translation)
    AND visible_unix < unixepoch(new.published);
END;
CREATE TRIGGER page_change_hold_translations_on_update AFTER UPDATE ON pages
WHEN NOT new.is_translation AND new.status = 'published' AND new.draft = 0
  AND unixepoch(new.published) > unixepoch('now')
BEGIN
  UPDATE page_changes SET visible_unix = unixepoch(new.published)
  WHERE page_id IN (SELECT t.id FROM pages t WHERE t.section = new.section
                      AND t.slug = new.slug AND t.is_translation)
    AND visible_unix < unixepoch(new.published);
END;
)sql",
    // Search: what a search filters its matches by, one small row per page a reader's search
    // can find (an indexed page that is neither a draft nor a list page), so a query never
    // reads `pages` for a match: a common two-word query matches ~4,800 pages of the 15k-page
    // bench, and each `pages` row spans database pages of its own (source, HTML, text).
    // published_unix is unixepoch(published): NULL when that is not a date (never found then).
    R"sql(
CREATE TABLE search_pages (
  id INTEGER PRIMARY KEY,
  lang TEXT NOT NULL,
  section TEXT NOT NULL,
  published_unix INTEGER
);
INSERT INTO search_pages (id, lang, section, published_unix)
SELECT id, lang, section, unixepoch(published) FROM pages
WHERE draft = 0 AND slug <> '' AND id IN (SELECT rowid FROM search_fts);
)sql",
};

Status SqliteError(sqlite3* db, const std::string& what) {
  // An I/O error says what the system said ("disk I/O error (File too large)").
  const int system = sqlite3_system_errno(db);
  const bool io = (sqlite3_extended_errcode(db) & 0xFF) == SQLITE_IOERR ||
                  sqlite3_errcode(db) == SQLITE_FULL;
  return Status::Error("store: " + what + ": " + sqlite3_errmsg(db) +
                       (io && system != 0 ? " (" + std::string(std::strerror(system)) + ")" : ""));
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), status_(other.status_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, const std::string& value) {
  if (sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                        SQLITE_TRANSIENT) != SQLITE_OK) {
    status_ = SqliteError(db_, "bind");
  }
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) status_ = SqliteError(db_, "bind");
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) status_ = SqliteError(db_, "bind");
  return *this;
}

bool Statement::Step() {
  if (!status_.ok()) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = SqliteError(db_, "step");
  return false;
}

Status Statement::Run() {
  while (Step()) {
  }
  Status result = status_;
  Reset();
  return result;
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  status_ = Status::Ok();
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  if (sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT) !=
      SQLITE_OK) {
    status_ = SqliteError(db_, "bind");
  }
  return *this;
}

std::string Statement::Blob(int column) const {
  const void* bytes = sqlite3_column_blob(stmt_, column);
  return bytes ? std::string(static_cast<const char*>(bytes), sqlite3_column_bytes(stmt_, column))
               : std::string();
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  return text
             ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column))
             : std::string();
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::Real(int column) const { return sqlite3_column_double(stmt_, column); }

Statement& Statement::Bind(int index, double value) {
  if (sqlite3_bind_double(stmt_, index, value) != SQLITE_OK) status_ = SqliteError(db_, "bind");
  return *this;
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

namespace {

// The store holds password and token hashes, drafts and the audit log: owner only. SQLite gives
// the -wal and -shm files the main file's mode, so the main file is made 0600 before SQLite
// creates anything; files an older version made readable by others are narrowed too.
void MakeOwnerOnly(const std::string& path) {
  if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return;
  // O_EXCL: an existing file is never opened here, since closing a descriptor drops every POSIX
  // lock this process holds on the file, other connections' included (SQLite's "broken locks").
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    struct stat info;
    if (::stat(file.c_str(), &info) == 0 && (info.st_mode & 077) != 0) {
      ::chmod(file.c_str(), info.st_mode & 0700);  // fails harmlessly on another user's file
    }
  }
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  MakeOwnerOnly(path);
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status error = Status::Error("store: cannot open " + path + ": " +
                                 (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return error;
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<Store> store(new Store(db, path));
  struct stat info;
  if (::stat(path.c_str(), &info) == 0) {
    store->device_ = static_cast<uint64_t>(info.st_dev);
    store->inode_ = static_cast<uint64_t>(info.st_ino);
  }
  for (const char* pragma :
       {"PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"}) {
    if (Status s = store->Exec(pragma); !s.ok()) return s;
  }
  if (Status s = store->Migrate(); !s.ok()) return s;
  return store;
}

Store::~Store() {
  // Cached statements first: SQLite refuses to close a connection with statements still open,
  // which would leave the connection (and its write-ahead log) open until the process ends.
  cache_.clear();
  sqlite3_close(db_);
}

Result<Statement> Store::Prepare(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db_, "prepare");
  }
  return Statement(db_, stmt);
}

Status Store::Exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    return Status::Error("store: " + text);
  }
  return Status::Ok();
}

Status Store::Begin() {
  if (Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  change_mark_ = -1;
  auto mark = Prepare("SELECT coalesce(max(id), 0) FROM page_changes");
  if (mark.ok() && mark->Step()) change_mark_ = mark->Int(0);  // not before migration 11
  return Status::Ok();
}

Status Store::Commit() {
  if (change_mark_ >= 0) {
    auto restamp = Prepare(
        "UPDATE page_changes SET visible_unix = unixepoch('now') "
        "WHERE id > ?1 AND visible_unix < unixepoch('now')");
    if (!restamp.ok()) return restamp.status();
    restamp->Bind(1, change_mark_);
    if (Status s = restamp->Run(); !s.ok()) return s;
  }
  return Exec("COMMIT");
}

bool Store::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

int64_t Store::DataVersion() {
  // PRAGMA data_version starts a read transaction of its own, so it sees what other connections
  // committed since; the pager's counter (SQLITE_FCNTL_DATA_VERSION) is only brought up to date
  // by a query, and a cache hit runs none, so a poller would be served the old answer forever.
  auto external = CommitCounter();
  if (!external.ok()) return -1 - static_cast<int64_t>(failed_reads_++);  // never a cached key
  return static_cast<int64_t>(sqlite3_total_changes64(db_)) * 1000003 + *external;
}

std::string Store::FileStamp() const {
  struct stat info;
  if (::stat(path_.c_str(), &info) != 0 || static_cast<uint64_t>(info.st_dev) != device_ ||
      static_cast<uint64_t>(info.st_ino) != inode_) {
    return "";  // gone, or another file at the path
  }
  // The project's file stamps (size, inode, times); the log's is "" while it does not exist.
  DiskFileSystem disk;
  return disk.Stamp(path_) + ";" + disk.Stamp(path_ + "-wal");
}

Status Store::CheckHealth() {
  if (path_ == ":memory:") return Status::Ok();
  std::lock_guard<std::mutex> lock(health_mutex_);
  std::string stamp = FileStamp();
  if (stamp.empty()) return Status::Error("store: " + path_ + " is gone or was replaced");
  if (stamp == healthy_stamp_) return Status::Ok();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::string verdict;
  sqlite3_stmt* stmt = nullptr;
  if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &stmt, nullptr);
  if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    verdict = text ? reinterpret_cast<const char*>(text) : "";
  } else {
    verdict = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (verdict != "ok") return Status::Error("store: " + path_ + " fails its check: " + verdict);
  healthy_stamp_ = stamp;
  return Status::Ok();
}

Result<int64_t> Store::CommitCounter() {
  // Prepared once: DataVersion asks this on every public API request.
  int64_t counter = 0;
  Status s = WithCached("PRAGMA data_version", [&counter](Statement& stmt) {
    if (!stmt.Step()) return stmt.status().ok() ? Status::Error("store: no data_version") : stmt.status();
    counter = stmt.Int(0);
    stmt.Reset();  // ends its read transaction now, not at the next request
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return counter;
}

int Store::LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

int Store::SchemaVersion() {
  auto stmt = Prepare("PRAGMA user_version");
  if (!stmt.ok() || !stmt->Step()) return -1;
  return static_cast<int>(stmt->Int(0));
}

Status Store::Migrate() {
  const int target = static_cast<int>(std::size(kMigrations));
  int version = SchemaVersion();
  if (version < 0) return SqliteError(db_, "read schema version");
  if (version > target) {
    return Status::Error("store: " + path_ + " has schema version " + std::to_string(version) +
                         ", newer than this program (" + std::to_string(target) + ")");
  }
  for (; version < target; ++version) {
    if (Status s = Begin(); !s.ok()) return s;
    Status s = Exec(kMigrations[version]);
    if (s.ok()) s = Exec("PRAGMA user_version = " + std::to_string(version + 1));
    if (!s.ok()) {
      Rollback();
      return s;
    }
    if (Status c = Commit(); !c.ok()) return c;
  }
  return Status::Ok();
}


}  // namespace clemency
