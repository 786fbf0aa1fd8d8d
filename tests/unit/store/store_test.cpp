#include "store/store.h"

#include <catch2/catch.hpp>

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
