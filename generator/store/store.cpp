#include "store/store.h"

#include <sqlite3.h>

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
  UNIQUE (section, slug, lang)
);
CREATE INDEX pages_by_update ON pages (updated_unix DESC, id DESC);
CREATE TABLE page_revisions (
  id INTEGER PRIMARY KEY,
  page_id INTEGER NOT NULL REFERENCES pages(id),
  source_text TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
)sql",
};

Status SqliteError(sqlite3* db, const std::string& what) {
  return Status::Error("store: " + what + ": " + sqlite3_errmsg(db));
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

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  return text
             ? std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column))
             : std::string();
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
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
  for (const char* pragma :
       {"PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"}) {
    if (Status s = store->Exec(pragma); !s.ok()) return s;
  }
  if (Status s = store->Migrate(); !s.ok()) return s;
  return store;
}

Store::~Store() { sqlite3_close(db_); }

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

Status PageRepository::Upsert(const PageRow& row) {
  auto stmt = store_->Prepare(R"sql(
INSERT INTO pages (section, slug, lang, kind, title, summary, published, updated, updated_unix,
                   draft, weight, source_path, source_text, body_html, body_text, content_hash)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
ON CONFLICT (section, slug, lang) DO UPDATE SET
  kind = excluded.kind, title = excluded.title, summary = excluded.summary,
  published = excluded.published, updated = excluded.updated, updated_unix = excluded.updated_unix,
  draft = excluded.draft, weight = excluded.weight, source_path = excluded.source_path,
  source_text = excluded.source_text, body_html = excluded.body_html,
  body_text = excluded.body_text, content_hash = excluded.content_hash
WHERE pages.content_hash <> excluded.content_hash)sql");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang).Bind(4, row.kind);
  stmt->Bind(5, row.title).Bind(6, row.summary).Bind(7, row.published).Bind(8, row.updated);
  stmt->Bind(9, row.updated_unix).Bind(10, static_cast<int64_t>(row.draft)).Bind(11, row.weight);
  stmt->Bind(12, row.source_path).Bind(13, row.source_text).Bind(14, row.body_html);
  stmt->Bind(15, row.body_text).Bind(16, row.content_hash);
  return stmt->Run();
}

Result<std::vector<PageRow>> PageRepository::All() {
  auto stmt = store_->Prepare(
      "SELECT id, section, slug, lang, kind, title, summary, published, updated, updated_unix, "
      "draft, weight, source_path, source_text, body_html, body_text, content_hash FROM pages "
      "ORDER BY section, slug, lang");
  if (!stmt.ok()) return stmt.status();
  std::vector<PageRow> rows;
  while (stmt->Step()) {
    PageRow r;
    r.id = stmt->Int(0);
    r.section = stmt->Text(1);
    r.slug = stmt->Text(2);
    r.lang = stmt->Text(3);
    r.kind = stmt->Text(4);
    r.title = stmt->Text(5);
    r.summary = stmt->Text(6);
    r.published = stmt->Text(7);
    r.updated = stmt->Text(8);
    r.updated_unix = stmt->Int(9);
    r.draft = stmt->Int(10) != 0;
    r.weight = stmt->Int(11);
    r.source_path = stmt->Text(12);
    r.source_text = stmt->Text(13);
    r.body_html = stmt->Text(14);
    r.body_text = stmt->Text(15);
    r.content_hash = stmt->Text(16);
    rows.push_back(std::move(r));
  }
  if (!stmt->status().ok()) return stmt->status();
  return rows;
}

Result<int64_t> PageRepository::Count() {
  auto stmt = store_->Prepare("SELECT count(*) FROM pages");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step())
    return stmt->status().ok() ? Status::Error("store: count failed") : stmt->status();
  return stmt->Int(0);
}

}  // namespace clemency
