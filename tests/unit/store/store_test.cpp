#include "store/store.h"

#include <catch2/catch.hpp>
#include <cstdio>

#include "support/fixture.h"

using namespace clemency;

TEST_CASE("a new store file is created and migrated") {
  testing::TempDir dir;
  std::string path = dir / "clemency.db";
  {
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    CHECK(store.value()->SchemaVersion() == 1);
    PageRepository pages(store.value().get());
    PageRow row;
    row.section = "guides";
    row.slug = "a";
    row.lang = "vi";
    row.kind = "guide";
    row.title = "Tiêu đề; DROP TABLE pages; --";
    row.content_hash = "1";
    REQUIRE(pages.Upsert(row).ok());
    CHECK(*pages.Count() == 1);
  }
  // Closed cleanly although statements were cached: the write-ahead log is folded in and gone.
  CHECK_FALSE(testing::Exists(path + "-wal"));
  // Reopening keeps the data and does not migrate twice.
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  PageRepository pages(store.value().get());
  CHECK(*pages.Count() == 1);
  auto row = pages.Get("guides", "a", "vi");
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((*row)->title == "Tiêu đề; DROP TABLE pages; --");
}

TEST_CASE("upserts keep the row id and update changed content") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  PageRepository pages(store.value().get());
  PageRow row;
  row.section = "guides";
  row.slug = "a";
  row.lang = "vi";
  row.title = "One";
  row.content_hash = "1";
  REQUIRE(pages.Upsert(row).ok());
  int64_t id = (**pages.Get("guides", "a", "vi")).id;
  row.title = "Two";
  row.content_hash = "2";
  REQUIRE(pages.Upsert(row).ok());
  CHECK(*pages.Count() == 1);
  auto again = **pages.Get("guides", "a", "vi");
  CHECK(again.id == id);
  CHECK(again.title == "Two");
}

TEST_CASE("a store from a newer program is refused") {
  testing::TempDir dir;
  std::string path = dir / "future.db";
  {
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    REQUIRE(store.value()->Exec("PRAGMA user_version = 99").ok());
  }
  auto store = Store::Open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().message().find("newer than this program") != std::string::npos);
}

TEST_CASE("an unwritable path gives an error, not a crash") {
  auto store = Store::Open("/nonexistent-dir/x/clemency.db");
  CHECK_FALSE(store.ok());
}

TEST_CASE("a store's health check sees a deleted, replaced or damaged file") {
  testing::TempDir dir;
  std::string path = dir / "clemency.db";
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  PageRepository pages(store.value().get());
  for (int i = 0; i < 200; ++i) {  // enough rows for the file to span many pages
    PageRow row;
    row.section = "guides";
    row.slug = "p" + std::to_string(i);
    row.lang = "vi";
    row.kind = "guide";
    row.title = std::string(500, 'a');
    row.content_hash = std::to_string(i);
    REQUIRE(pages.Upsert(row).ok());
  }
  REQUIRE(store.value()->Exec("PRAGMA wal_checkpoint(TRUNCATE)").ok());
  CHECK(store.value()->CheckHealth().ok());
  {  // damage every page after the first
    std::string bytes = testing::ReadFile(path);
    for (size_t i = 4096; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
    std::FILE* file = std::fopen(path.c_str(), "r+b");
    REQUIRE(file);
    std::fwrite(bytes.data(), 1, bytes.size(), file);
    std::fclose(file);
  }
  Status damaged = store.value()->CheckHealth();
  CHECK_FALSE(damaged.ok());
  CHECK(damaged.message().find("fails its check") != std::string::npos);
  std::remove(path.c_str());
  Status gone = store.value()->CheckHealth();
  CHECK_FALSE(gone.ok());
  CHECK(gone.message().find("is gone or was replaced") != std::string::npos);
  testing::WriteFile(path, "");  // another file at the same path
  CHECK_FALSE(store.value()->CheckHealth().ok());
}
