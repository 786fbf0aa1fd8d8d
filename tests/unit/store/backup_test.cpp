#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

// Every row of every table of the SQLite file at `path`, as text, table by table in rowid order.
std::vector<std::string> Rows(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::vector<std::string> tables, rows;
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                             -1, &stmt, nullptr) == SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    tables.push_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  for (const auto& table : tables) {
    const std::string sql = "SELECT * FROM \"" + table + "\"";
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::string row = table;
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const unsigned char* text = sqlite3_column_text(stmt, i);
        row += "|" + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      rows.push_back(row);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return rows;
}

PageRow Page(const std::string& slug, const std::string& text) {
  PageRow row;
  row.section = "guides";
  row.slug = slug;
  row.lang = "vi";
  row.kind = "guide";
  row.title = slug;
  row.source_text = text;
  row.content_hash = text;
  return row;
}

}  // namespace

TEST_CASE("a backup equals the store row for row, owner-only, and never overwrites by accident") {
  testing::TempDir dir;
  const std::string path = dir / "clemency.db", to = dir / "backup.db";
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  PageRepository pages(store->get());
  REQUIRE(pages.Upsert(Page("a", "one")).ok());
  REQUIRE(pages.Upsert(Page("a", "two")).ok());  // a second revision
  REQUIRE((*store)->Exec("INSERT INTO audit_log (actor, action, subject) "
                         "VALUES ('system:root', 'content.import', 'content/')").ok());
  REQUIRE(pages.LogPublish("cli", "guides/a", "{}").ok());

  // Another connection's write not yet committed is not in the copy: it is one moment's store.
  auto writer = Store::Open(path);
  REQUIRE(writer.ok());
  REQUIRE((*writer)->Begin().ok());
  REQUIRE(PageRepository(writer->get()).Upsert(Page("b", "uncommitted")).ok());
  const std::vector<std::string> before = Rows(path);
  REQUIRE((*store)->BackupTo(to).ok());
  REQUIRE((*writer)->Rollback().ok());

  CHECK(Rows(to) == before);
  CHECK(CheckStoreFile(to).ok());
  struct stat info;
  REQUIRE(::stat(to.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK_FALSE(testing::Exists(to + "-wal"));  // the copy stands alone in one file

  // An existing file is refused unless overwriting is asked for; the store itself always is.
  REQUIRE(pages.Upsert(Page("c", "three")).ok());
  Status again = (*store)->BackupTo(to);
  CHECK_FALSE(again.ok());
  CHECK(again.message().find("already exists") != std::string::npos);
  CHECK(Rows(to) == before);
  CHECK((*store)->BackupTo(to, true).ok());
  CHECK(Rows(to) == Rows(path));
  CHECK_FALSE((*store)->BackupTo(path, true).ok());
}

TEST_CASE("a file that is not a whole Clemency store is refused") {
  testing::TempDir dir;
  const std::string text = dir / "notes.txt", other = dir / "other.db";
  std::ofstream(text) << "not a database\n";
  CHECK(CheckStoreFile(text).message().find("not a SQLite database") != std::string::npos);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(other.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "CREATE TABLE notes (x)", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK(CheckStoreFile(other).message().find("not a Clemency store") != std::string::npos);

  const std::string newer = dir / "newer.db";
  {
    auto store = Store::Open(newer);
    REQUIRE(store.ok());
    REQUIRE((*store)->Exec("PRAGMA user_version = 999").ok());
  }
  CHECK(CheckStoreFile(newer).message().find("newer than this program") != std::string::npos);
}

TEST_CASE("a restore keeps the old store and puts a verified copy in its place") {
  testing::TempDir dir;
  const std::string path = dir / "clemency.db", backup = dir / "backup.db";
  const std::string kept = dir / "clemency.db.before-restore-1";
  {
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    REQUIRE(PageRepository(store->get()).Upsert(Page("a", "one")).ok());
    REQUIRE((*store)->BackupTo(backup).ok());
    REQUIRE(PageRepository(store->get()).Upsert(Page("a", "two")).ok());
  }
  const std::vector<std::string> later = Rows(path), saved = Rows(backup);
  const std::string text = dir / "notes.txt";
  std::ofstream(text) << "not a database\n";
  CHECK_FALSE(ReplaceStoreFile(path, text, kept).ok());
  CHECK(Rows(path) == later);  // nothing changed
  CHECK_FALSE(testing::Exists(kept));

  REQUIRE(ReplaceStoreFile(path, backup, kept).ok());
  CHECK(Rows(path) == saved);
  CHECK(Rows(kept) == later);
  struct stat info;
  REQUIRE(::stat(kept.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("a restore onto a new server makes the store's folder, owner-only") {
  testing::TempDir dir;
  const std::string backup = dir / "backup.db";
  {
    auto store = Store::Open(dir / "clemency.db");
    REQUIRE(store.ok());
    REQUIRE(PageRepository(store->get()).Upsert(Page("a", "one")).ok());
    REQUIRE((*store)->BackupTo(backup).ok());
  }
  const std::string path = dir / "new/var/clemency.db";
  REQUIRE(ReplaceStoreFile(path, backup, path + ".kept").ok());
  CHECK(Rows(path) == Rows(backup));
  struct stat info;
  REQUIRE(::stat((dir / "new/var").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
}

TEST_CASE("a backup copied in steps is one moment's store while another connection commits") {
  testing::TempDir dir;
  const std::string path = dir / "clemency.db", to = dir / "backup.db";
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  {
    PageRepository pages(store->get());
    REQUIRE((*store)->Begin().ok());
    for (int i = 0; i < 3000; ++i) {  // ~25 MiB: several steps of the paced copy
      REQUIRE(pages.Upsert(Page("p" + std::to_string(i), std::string(8000, 'a' + i % 26))).ok());
    }
    REQUIRE((*store)->Commit().ok());
  }
  auto writer = Store::Open(path);
  REQUIRE(writer.ok());
  std::atomic<bool> done{false};
  std::atomic<int> commits_during{0};
  std::thread backup([&] {
    CHECK((*store)->BackupTo(to).ok());
    done = true;
  });
  // Each commit adds two rows; the copy must hold an even number of them. The writer goes on
  // until the copy is done: a copy restarted by every commit would never finish (10 s cap).
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done && std::chrono::steady_clock::now() < until) {
    REQUIRE((*writer)->Exec("BEGIN IMMEDIATE; INSERT INTO audit_log (actor, action, subject) "
                            "VALUES ('t', 'pair', 'a'), ('t', 'pair', 'b'); COMMIT").ok());
    ++commits_during;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const bool finished_while_writing = done.load();
  backup.join();
  CHECK(finished_while_writing);
  CHECK(commits_during > 0);
  int pairs = 0;
  for (const std::string& row : Rows(to)) pairs += row.find("|pair|") != std::string::npos;
  CHECK(pairs % 2 == 0);
  CHECK(pairs <= 2 * commits_during);
}
