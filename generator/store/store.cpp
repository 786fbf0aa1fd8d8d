#include "store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include <sqlite3.h>

#include "core/fs.h"
#include "store/migrations.h"

namespace clemency {
namespace {

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
  // Fails, leaving no mark, before migration 11 made the table. Reset at once: a statement left
  // on a row would hold its read open past the commit.
  (void)WithCached("SELECT coalesce(max(id), 0) FROM page_changes", [this](Statement& mark) {
    if (mark.Step()) change_mark_ = mark.Int(0);
    mark.Reset();
    return Status::Ok();
  });
  return Status::Ok();
}

Status Store::Commit() {
  if (change_mark_ >= 0) {
    Status s = WithCached(
        "UPDATE page_changes SET visible_unix = unixepoch('now') "
        "WHERE id > ?1 AND visible_unix < unixepoch('now')",
        [this](Statement& restamp) { return restamp.Bind(1, change_mark_).Run(); });
    if (!s.ok()) return s;
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

int Store::LatestSchemaVersion() { return static_cast<int>(kMigrationCount); }

int Store::SchemaVersion() {
  auto stmt = Prepare("PRAGMA user_version");
  if (!stmt.ok() || !stmt->Step()) return -1;
  return static_cast<int>(stmt->Int(0));
}

Status Store::Migrate() {
  const int target = static_cast<int>(kMigrationCount);
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
