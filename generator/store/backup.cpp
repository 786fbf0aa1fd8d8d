// Backups of the store (SQLite's online backup into a new file) and the checks a file must pass
// before it may replace the store.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <sqlite3.h>

#include "store/store.h"

namespace clemency {
namespace {

std::string Errno() { return std::strerror(errno); }

// A new empty owner-only file beside `target` (the same folder, so a rename is atomic); "" when
// none can be made.
std::string MakeTempBeside(const std::string& target) {
  std::string name = target + ".tmp-XXXXXX";
  int fd = ::mkstemp(name.data());  // mode 0600
  if (fd < 0) return "";
  ::close(fd);
  return name;
}

void RemoveWithJournals(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
}

// Flushes `path` (a file or a folder) to the disk, so a rename that follows survives a crash.
Status SyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error("cannot open " + path + ": " + Errno());
  int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) return Status::Error("cannot write " + path + " to the disk: " + Errno());
  return Status::Ok();
}

std::string FolderOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

// The first column of the first row of `sql` on `db`, or the error.
Result<std::string> FirstText(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    Status error = Status::Error(sqlite3_errmsg(db));
    sqlite3_finalize(stmt);
    return error;
  }
  const unsigned char* text = sqlite3_column_text(stmt, 0);
  std::string out = text ? reinterpret_cast<const char*>(text) : "";
  sqlite3_finalize(stmt);
  return out;
}

// CheckStoreFile's checks on an open connection; problems are named after `shown`.
Status CheckOpened(sqlite3* db, const std::string& shown) {
  auto verdict = FirstText(db, "PRAGMA integrity_check");
  if (!verdict.ok()) {
    if (sqlite3_errcode(db) == SQLITE_NOTADB) {
      return Status::Error(shown + " is not a SQLite database (nor a Clemency store)");
    }
    return Status::Error(shown + " cannot be read as a SQLite database: " +
                         verdict.status().message());
  }
  if (*verdict != "ok") {
    return Status::Error(shown + " fails SQLite's integrity check: " + *verdict);
  }
  auto version = FirstText(db, "PRAGMA user_version");
  if (!version.ok()) return Status::Error(shown + ": " + version.status().message());
  const int schema = std::atoi(version->c_str());
  if (schema > Store::LatestSchemaVersion()) {
    return Status::Error(shown + " has schema version " + *version + ", newer than this program's (" +
                         std::to_string(Store::LatestSchemaVersion()) +
                         "): use the clemency that wrote it");
  }
  auto tables = FirstText(db,
                          "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                          "AND name IN ('pages', 'page_revisions', 'edits')");
  if (!tables.ok()) return Status::Error(shown + ": " + tables.status().message());
  if (*tables != "3") {
    return Status::Error(shown + " is a SQLite database but not a Clemency store (it lacks the "
                         "pages, page_revisions or edits table)");
  }
  return Status::Ok();
}

// CheckStoreFile for `path`, its problems named after `shown`.
Status CheckFileAs(const std::string& path, const std::string& shown) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) return Status::Error(shown + ": " + Errno());
  if (!S_ISREG(info.st_mode)) return Status::Error(shown + " is not a file");
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  Status s = rc == SQLITE_OK ? CheckOpened(db, shown)
                             : Status::Error(shown + ": cannot open: " + sqlite3_errstr(rc));
  sqlite3_close(db);
  return s;
}

// Copies the bytes of `from` into the existing file `to`.
Status CopyBytes(const std::string& from, const std::string& to) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Status::Error("cannot read " + from + ": " + Errno());
  int out = ::open(to.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  Status s = out < 0 ? Status::Error("cannot write " + to + ": " + Errno()) : Status::Ok();
  char buffer[1 << 16];
  while (s.ok()) {
    ssize_t n = ::read(in, buffer, sizeof buffer);
    if (n < 0) s = Status::Error("cannot read " + from + ": " + Errno());
    if (n <= 0) break;
    for (ssize_t done = 0; s.ok() && done < n;) {
      ssize_t w = ::write(out, buffer + done, static_cast<size_t>(n - done));
      if (w < 0) s = Status::Error("cannot write " + to + ": " + Errno());
      done += w;
    }
  }
  ::close(in);
  if (out >= 0) ::close(out);
  return s;
}

// Folds the write-ahead log of the store at `db_path` into its main file, so the file alone holds
// every commit.
Status SettleLog(const std::string& db_path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  Status s = rc == SQLITE_OK ? Status::Ok()
                             : Status::Error("store: " + db_path + ": " + sqlite3_errmsg(db));
  sqlite3_close(db);
  return s;
}

// Renames `from` to `to` unless `to` exists.
Status RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) != 0) {
    return Status::Error("cannot rename " + from + " to " + to + ": " + Errno());
  }
  return Status::Ok();
}

// Moves the store at `db_path` and its log aside to `kept`, owner-only.
Status KeepOldStore(const std::string& db_path, const std::string& kept) {
  // A store that cannot be read (a corrupted file: what a restore is for) cannot settle its log;
  // it is kept as it is, its log moved beside it below.
  (void)SettleLog(db_path);
  if (Status s = RenameNoReplace(db_path, kept); !s.ok()) return s;
  ::chmod(kept.c_str(), 0600);
  struct stat info;
  // A log left beside the store would be replayed into the restored file: it goes with the old.
  if (::stat((db_path + "-wal").c_str(), &info) == 0) {
    ::rename((db_path + "-wal").c_str(), (kept + "-wal").c_str());
    ::chmod((kept + "-wal").c_str(), 0600);
  }
  ::unlink((db_path + "-shm").c_str());
  return Status::Ok();
}

// Runs `copy` (a backup from `source`) to the end a few MiB at a time with a pause between, so
// a store of hundreds of MiB is not read and written in one burst beside a serving site. The
// steps are read inside one read transaction on `source`, held throughout: the copy is the store
// as of one commit, and in WAL mode writers on other connections are not held up by it (steps
// outside one would restart the copy whenever another connection commits). Returns the
// backup's result code.
int CopyPaced(sqlite3_backup* copy, sqlite3* source) {
  constexpr int kPagesPerStep = 1024, kPauseMs = 4;
  int rc = sqlite3_exec(source, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_schema", nullptr,
                        nullptr, nullptr);
  for (int busy = 0; rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED;) {
    rc = sqlite3_backup_step(copy, kPagesPerStep);
    if (rc == SQLITE_DONE) break;
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && ++busy > 200) break;
    sqlite3_sleep(rc == SQLITE_OK ? kPauseMs : 50);
  }
  const int finished = sqlite3_backup_finish(copy);
  sqlite3_exec(source, "COMMIT", nullptr, nullptr, nullptr);
  return rc == SQLITE_DONE ? finished : rc;
}

}  // namespace

Status CheckStoreFile(const std::string& path) { return CheckFileAs(path, path); }

Status Store::BackupTo(const std::string& to, bool overwrite) {
  struct stat target, own;
  if (::stat(to.c_str(), &target) == 0) {
    if (::stat(path_.c_str(), &own) == 0 && own.st_dev == target.st_dev &&
        own.st_ino == target.st_ino) {
      return Status::Error("backup: " + to + " is the store itself");
    }
    if (!overwrite) return Status::Error("backup: " + to + " already exists (--force replaces it)");
  }
  const std::string temp = MakeTempBeside(to);
  if (temp.empty()) return Status::Error("backup: cannot create a file beside " + to + ": " + Errno());
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(temp.c_str(), &dest, SQLITE_OPEN_READWRITE, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_backup* copy = sqlite3_backup_init(dest, "main", db_, "main");
    rc = copy ? CopyPaced(copy, db_) : sqlite3_errcode(dest);
  }
  // The copy stands alone in one file, without a write-ahead log.
  if (rc == SQLITE_OK) rc = sqlite3_exec(dest, "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr);
  Status s = rc == SQLITE_OK ? Status::Ok()
                             : Status::Error("backup: " + std::string(dest ? sqlite3_errmsg(dest)
                                                                          : sqlite3_errstr(rc)));
  sqlite3_close(dest);
  if (s.ok()) s = CheckFileAs(temp, "backup: the copy");
  if (s.ok()) s = SyncPath(temp);
  if (s.ok()) {
    s = overwrite ? (::rename(temp.c_str(), to.c_str()) == 0
                         ? Status::Ok()
                         : Status::Error("backup: cannot write " + to + ": " + Errno()))
                  : RenameNoReplace(temp, to);
  }
  if (!s.ok()) {
    RemoveWithJournals(temp);
    return s;
  }
  return SyncPath(FolderOf(to));
}

Status ReplaceStoreFile(const std::string& db_path, const std::string& backup,
                        const std::string& kept) {
  // A restore onto a new server: the store's folder may not be there yet (made owner-only).
  const std::string folder = FolderOf(db_path);
  std::error_code ec;
  if (std::filesystem::create_directories(folder, ec)) {
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all, ec);
  }
  if (ec) return Status::Error("restore: cannot create the folder " + folder + ": " + ec.message());
  const std::string temp = MakeTempBeside(db_path);
  if (temp.empty()) return Status::Error("restore: cannot create a file beside " + db_path + ": " + Errno());
  Status s = CopyBytes(backup, temp);
  if (s.ok()) s = CheckFileAs(temp, backup);
  if (s.ok()) s = SyncPath(temp);
  struct stat info;
  const bool had_store = ::stat(db_path.c_str(), &info) == 0;
  if (s.ok() && had_store) s = KeepOldStore(db_path, kept);
  if (!s.ok()) {
    RemoveWithJournals(temp);
    return s;
  }
  if (::rename(temp.c_str(), db_path.c_str()) != 0) {
    s = Status::Error("restore: cannot move the copy to " + db_path + ": " + Errno());
    if (had_store) ::rename(kept.c_str(), db_path.c_str());  // the old store back in its place
    RemoveWithJournals(temp);
    return s;
  }
  return SyncPath(FolderOf(db_path));
}

}  // namespace clemency
