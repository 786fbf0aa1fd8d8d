#include "store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>

#include "core/datetime.h"
#include "support/fixture.h"

using namespace clemency;

TEST_CASE("a new store file is created and migrated") {
  testing::TempDir dir;
  std::string path = dir / "clemency.db";
  {
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    CHECK(store.value()->SchemaVersion() == 16);
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
  CHECK(store.value()->SchemaVersion() == 16);
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

namespace {

PageRow PublishedRow(const std::string& slug, const std::string& lang,
                     const std::string& published) {
  PageRow row;
  row.section = slug == "quy" ? "support" : "guides";
  row.slug = slug;
  row.lang = lang;
  row.kind = slug == "quy" ? "support" : "guide";
  row.title = slug + " " + lang;
  row.published = published;
  row.updated = published;
  row.updated_unix = ParseDateTime(published, 0)->unix_seconds;
  row.content_hash = slug + lang + published;
  return row;
}

std::vector<std::string> Ids(const std::vector<PageRow>& rows) {
  std::vector<std::string> ids;
  for (const auto& row : rows) ids.push_back(row.slug + "/" + row.lang + " " + row.status);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

TEST_CASE("readers' view of the store leaves out pages whose publish time has not come") {
  auto opened = Store::Open(":memory:");
  REQUIRE(opened.ok());
  PageRepository pages(opened.value().get());
  const std::string now_text = "2026-12-02T10:00:00+07:00";
  const int64_t now = ParseDateTime(now_text, 0)->unix_seconds;
  REQUIRE(pages.Upsert(PublishedRow("past", "vi", "2026-12-01T00:00:00+07:00")).ok());
  REQUIRE(pages.Upsert(PublishedRow("exact", "vi", now_text)).ok());  // due at this very second
  // Due in one second (written in another offset); its translation, dated earlier, waits for it.
  REQUIRE(pages.Upsert(PublishedRow("soon", "vi", "2026-12-02T03:00:01Z")).ok());
  REQUIRE(pages.Upsert(PublishedRow("soon", "en", "2026-01-01T00:00:00+07:00")).ok());
  // A live page whose translation is scheduled.
  REQUIRE(pages.Upsert(PublishedRow("later-en", "vi", "2026-11-01T00:00:00+07:00")).ok());
  REQUIRE(pages.Upsert(PublishedRow("later-en", "en", "2027-01-01T00:00:00+07:00")).ok());
  PageRow support = PublishedRow("quy", "vi", "2027-01-01T00:00:00+07:00");
  support.support = SupportRow{};
  support.support->province = "Cà Mau";
  REQUIRE(pages.Upsert(support).ok());
  // A scheduled page withdrawn before its time: partners still learn of the removal.
  REQUIRE(pages.Upsert(PublishedRow("dropped", "vi", "2027-01-01T00:00:00+07:00")).ok());
  REQUIRE(pages.Withdraw("guides", "dropped", "vi", {now_text, now, "trùng", false, ""}).ok());

  const PublicView view{now, "vi"};
  PageQuery query;
  query.view = view;
  auto listed = pages.List(query);
  REQUIRE(listed.ok());
  CHECK(Ids(*listed) == std::vector<std::string>{"exact/vi published", "later-en/vi published",
                                                 "past/vi published"});
  query.updated_since_unix = 0;  // tombstones too
  CHECK(Ids(*pages.List(query)) ==
        std::vector<std::string>{"dropped/vi withdrawn", "exact/vi published",
                                 "later-en/vi published", "past/vi published"});
  CHECK(pages.List(PageQuery{})->size() == 7);  // editors' tools see every published row

  CHECK_FALSE(pages.Get("guides", "soon", "vi", view)->has_value());
  CHECK_FALSE(pages.Get("guides", "soon", "en", view)->has_value());
  CHECK(pages.Get("guides", "soon", "vi")->has_value());
  CHECK(pages.Get("guides", "dropped", "vi", view)->has_value());  // the tombstone (410)
  CHECK(*pages.Translations("guides", "later-en", view) == std::vector<std::string>{"vi"});
  CHECK(*pages.Translations("guides", "later-en") == std::vector<std::string>{"en", "vi"});
  CHECK(pages.Translations("guides", "soon", view)->empty());
  CHECK(pages.ListSupport({"vi", "", "", view})->empty());
  CHECK(pages.ListSupport({"vi", "", "", std::nullopt})->size() == 1);
  CHECK(**pages.NextPublishTime(now) == now + 1);

  // A second later the page and its translation are there.
  const PublicView later{now + 1, "vi"};
  CHECK(pages.Get("guides", "soon", "vi", later)->has_value());
  CHECK(pages.Get("guides", "soon", "en", later)->has_value());
  CHECK(*pages.Translations("guides", "soon", later) == std::vector<std::string>{"en", "vi"});
  CHECK(**pages.NextPublishTime(now + 1) == ParseDateTime("2027-01-01", 420)->unix_seconds);
  CHECK_FALSE(pages.NextPublishTime(ParseDateTime("2027-01-01", 420)->unix_seconds)->has_value());
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
  REQUIRE(pages.Withdraw("guides", "b", "vi", {"2026-09-01T00:00:00Z", 0, "gone", false, ""}).ok());
  auto b = pages.AnnouncedRevisions(std::make_pair(std::string("guides"), std::string("b")));
  REQUIRE(b.ok());
  CHECK(b->empty());
}
