#include "store/store.h"

#include <sqlite3.h>

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
    CHECK(store.value()->SchemaVersion() == 7);
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

TEST_CASE("a version-1 store's comma-joined services become rows, matched exactly") {
  testing::TempDir dir;
  std::string path = dir / "old.db";
  {  // the schema and a row as version 1 of the program wrote them
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    const char* v1 = R"sql(
CREATE TABLE pages (id INTEGER PRIMARY KEY, section TEXT NOT NULL, slug TEXT NOT NULL,
  lang TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,
  published TEXT NOT NULL, updated TEXT NOT NULL, updated_unix INTEGER NOT NULL,
  draft INTEGER NOT NULL DEFAULT 0, weight INTEGER NOT NULL DEFAULT 0, source_path TEXT NOT NULL,
  source_text TEXT NOT NULL, body_html TEXT NOT NULL, body_text TEXT NOT NULL,
  content_hash TEXT NOT NULL, change_note TEXT NOT NULL DEFAULT '',
  meta_json TEXT NOT NULL DEFAULT '{}', UNIQUE (section, slug, lang));
CREATE INDEX pages_by_update ON pages (updated_unix DESC, id DESC);
CREATE TABLE page_revisions (id INTEGER PRIMARY KEY,
  page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE, source_text TEXT NOT NULL,
  content_hash TEXT NOT NULL, updated TEXT NOT NULL, change_note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (page_id, content_hash));
CREATE TABLE support_entries (page_id INTEGER PRIMARY KEY REFERENCES pages(id) ON DELETE CASCADE,
  province TEXT NOT NULL, district TEXT NOT NULL, organisation TEXT NOT NULL,
  services TEXT NOT NULL, phone TEXT NOT NULL DEFAULT '', address TEXT NOT NULL DEFAULT '',
  hours TEXT NOT NULL DEFAULT '', lat REAL, lon REAL, verified TEXT NOT NULL);
CREATE INDEX support_by_province ON support_entries (province);
INSERT INTO pages VALUES (1, 'support', 'a', 'vi', 'support', 'A', '', '2026-01-01T00:00:00Z',
  '2026-01-01T00:00:00Z', 0, 0, 0, 'support/a.vi.md', '', '', '', 'h', '', '{}');
INSERT INTO support_entries VALUES (1, 'Huế', 'X', 'Org', 'job-placement,loans,vocational-training',
  '', '', '', NULL, NULL, '2026-01-01T00:00:00Z');
PRAGMA user_version = 1;
)sql";
    REQUIRE(sqlite3_exec(db, v1, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  CHECK(store.value()->SchemaVersion() == 7);
  PageRepository pages(store.value().get());
  SupportQuery query;
  query.lang = "vi";
  query.service = "loans";
  auto rows = pages.ListSupport(query);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK(rows->front().support->services ==
        std::vector<std::string>{"job-placement", "loans", "vocational-training"});
  query.service = "loan";  // a part of a name is not a match (LIKE once made it one)
  CHECK(pages.ListSupport(query)->empty());
  // An update replaces the list.
  auto row = pages.Get("support", "a", "vi");
  REQUIRE((row.ok() && row->has_value()));
  PageRow changed = **row;
  changed.content_hash = "h2";
  changed.support->services = {"housing"};
  REQUIRE(pages.Upsert(changed).ok());
  CHECK((*pages.Get("support", "a", "vi"))->support->services ==
        std::vector<std::string>{"housing"});
  // A version-1 entry reads as never confirmed, with no current province, until it is written
  // again; then the province filter finds it by the source's name and by the current one.
  CHECK(changed.support->current_province.empty());
  CHECK(changed.support->verified_by.empty());
  changed.content_hash = "h3";
  changed.support->current_province = "Huế mới";
  changed.support->commune = "Phú Hội";
  changed.support->verified = "";
  REQUIRE(pages.Upsert(changed).ok());
  query.service = "";
  for (const char* province : {"Huế", "Huế mới"}) {
    query.province = province;
    auto found = pages.ListSupport(query);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK(found->front().support->commune == "Phú Hội");
    CHECK(found->front().support->verified.empty());
  }
  query.province = "Đà Nẵng";
  CHECK(pages.ListSupport(query)->empty());
}

TEST_CASE("announced revisions: each published page's newest first, minor ones left out") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  PageRepository pages(store.value().get());
  PageRow row;
  row.section = "guides";
  row.slug = "a";
  row.lang = "vi";
  auto revise = [&](const std::string& text, const std::string& type, const std::string& note) {
    row.source_text = text;
    row.content_hash = text;
    row.change_type = type;
    row.change_note = note;
    row.updated = "2026-0" + std::to_string(text.size()) + "-01T00:00:00Z";
    REQUIRE(pages.Upsert(row).ok());
  };
  revise("one", "major", "");
  revise("two!", "minor", "not announced");
  revise("three", "major", "Bigger.");
  revise("four!!", "correction", "Fixed.");
  row.slug = "b";
  revise("other", "major", "");
  auto all = pages.AnnouncedRevisions(std::nullopt);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 4);
  CHECK((*all)[0].change_type == "correction");
  CHECK((*all)[0].change_note == "Fixed.");
  CHECK((*all)[1].change_note == "Bigger.");
  CHECK((*all)[1].updated == "2026-05-01T00:00:00Z");
  CHECK((*all)[2].content_hash == "one");
  CHECK((*all)[3].slug == "b");
  auto text = pages.RevisionText((*all)[1].id);
  REQUIRE(text.ok());
  CHECK(*text == "three");
  CHECK_FALSE(pages.RevisionText(999).ok());
  // One page's, and none of a withdrawn page.
  auto a = pages.AnnouncedRevisions(std::make_pair(std::string("guides"), std::string("a")));
  REQUIRE(a.ok());
  CHECK(a->size() == 3);
  REQUIRE(pages.Withdraw("guides", "b", "vi", {"2026-09-01T00:00:00Z", 0, "gone", false}).ok());
  auto b = pages.AnnouncedRevisions(std::make_pair(std::string("guides"), std::string("b")));
  REQUIRE(b.ok());
  CHECK(b->empty());
}
