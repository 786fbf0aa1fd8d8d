// The change stream's rows (GET /api/v1/changes): read in the order of their index, with a
// translation's change held back to its scheduled source's time when it is written.
#include <catch2/catch.hpp>
#include <string>

#include "core/datetime.h"
#include "store/store.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

// A published guide `slug` in `lang` at `published_unix`; a translation (not the default
// language) carries translation_status, as the loader requires.
PageRow Guide(const std::string& slug, const std::string& lang, int64_t published_unix) {
  PageRow row;
  row.section = "guides";
  row.slug = slug;
  row.lang = lang;
  row.kind = "guide";
  row.title = slug + " " + lang;
  row.published = DateTime{published_unix, 0, true}.ToRfc3339();
  row.updated = row.published;
  row.updated_unix = published_unix;
  row.content_hash = slug + lang + row.published;
  if (lang != "vi") row.meta_json = R"({"translation_status":"current"})";
  return row;
}

// The ids ("slug/lang") of the stream's changes readers may see at `now`, in stream order.
std::vector<std::string> Stream(PageRepository& pages, int64_t now) {
  auto rows = pages.Changes({0, 0}, now, 1000);
  REQUIRE(rows.ok());
  std::vector<std::string> out;
  for (const ChangeRow& row : *rows) out.push_back(row.slug + "/" + row.lang);
  return out;
}

// visible_unix of the newest change of slug/lang, as stored.
int64_t StoredVisible(Store& store, const std::string& slug, const std::string& lang) {
  auto stmt = store.Prepare(
      "SELECT c.visible_unix FROM page_changes c JOIN pages p ON p.id = c.page_id "
      "WHERE p.slug = ?1 AND p.lang = ?2 ORDER BY c.id DESC LIMIT 1");
  REQUIRE(stmt.ok());
  stmt->Bind(1, slug).Bind(2, lang);
  REQUIRE(stmt->Step());
  return stmt->Int(0);
}

// The triggers of migration 10, as a store of schema version 14 has them.
const char kVersion14Triggers[] = R"sql(
DROP TRIGGER page_change_on_insert;
DROP TRIGGER page_change_on_update;
DROP TRIGGER page_change_hold_translations_on_insert;
DROP TRIGGER page_change_hold_translations_on_update;
DROP INDEX page_changes_by_page;
ALTER TABLE pages DROP COLUMN is_translation;
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
PRAGMA user_version = 14;
)sql";

}  // namespace

TEST_CASE("the change stream's read walks its index, in its order, with no sort") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  PageRepository pages(store.value().get());
  auto plan = pages.ChangesQueryPlan();
  REQUIRE(plan.ok());
  INFO(*plan);
  CHECK(plan->find("USING INDEX page_changes_in_order (visible_unix>? AND visible_unix<?)") !=
        std::string::npos);
  CHECK(plan->find("USING INTEGER PRIMARY KEY") != std::string::npos);  // each row's page
  CHECK(plan->find("SCAN") == std::string::npos);
  CHECK(plan->find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("a translation's change is stamped with its scheduled source's time, either order") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  PageRepository pages(store.value().get());
  const int64_t now = Now(0).unix_seconds, due = now + 1000;
  // The source first, then its translation (dated before it, published now).
  REQUIRE(pages.Upsert(Guide("first", "vi", due)).ok());
  REQUIRE(pages.Upsert(Guide("first", "en", now - 100)).ok());
  CHECK(StoredVisible(**store, "first", "en") == due);
  // The translation first; the source, scheduled later, moves the translation's change.
  REQUIRE(pages.Upsert(Guide("second", "en", now - 100)).ok());
  CHECK(StoredVisible(**store, "second", "en") <= now + 1);
  REQUIRE(pages.Upsert(Guide("second", "vi", due + 5)).ok());
  CHECK(StoredVisible(**store, "second", "en") == due + 5);
  // A live source holds nothing back.
  REQUIRE(pages.Upsert(Guide("live", "vi", now - 200)).ok());
  REQUIRE(pages.Upsert(Guide("live", "en", now - 100)).ok());
  CHECK(StoredVisible(**store, "live", "en") <= now + 1);

  CHECK(Stream(pages, now + 1) == std::vector<std::string>{"live/vi", "live/en"});
  CHECK(Stream(pages, due) ==
        std::vector<std::string>{"live/vi", "live/en", "first/vi", "first/en"});
  CHECK(Stream(pages, due + 5) == std::vector<std::string>{"live/vi", "live/en", "first/vi",
                                                           "first/en", "second/en", "second/vi"});
  // A cursor in the middle of a second resumes after the row it names.
  auto all = pages.Changes({0, 0}, due + 5, 1000);
  REQUIRE((all.ok() && all->size() == 6));
  auto rest = pages.Changes({(*all)[2].visible_unix, (*all)[2].id}, due + 5, 1000);
  REQUIRE(rest.ok());
  REQUIRE(rest->size() == 3);
  CHECK((*rest)[0].id == (*all)[3].id);
}

TEST_CASE("a version-14 store migrates: its translations' changes are stamped as it read them") {
  testing::TempDir dir;
  const std::string path = dir / "v14.db";
  const int64_t now = Now(0).unix_seconds, due = now + 1000;
  {
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    REQUIRE((*store)->Exec(kVersion14Triggers).ok());
    PageRepository pages(store->get());
    REQUIRE(pages.Upsert(Guide("held", "vi", due)).ok());
    REQUIRE(pages.Upsert(Guide("held", "en", now - 100)).ok());
    REQUIRE(StoredVisible(**store, "held", "en") <= now + 1);  // version 14 held it at the read
    // Nor had version 14 search's filter table (migration 16).
    REQUIRE((*store)->Exec("DROP TABLE search_pages").ok());
  }
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  CHECK((*store)->SchemaVersion() == Store::LatestSchemaVersion());
  CHECK(StoredVisible(**store, "held", "en") == due);
  PageRepository pages(store->get());
  CHECK(Stream(pages, now + 1).empty());
  CHECK(Stream(pages, due) == std::vector<std::string>{"held/vi", "held/en"});
  // The migrated store's triggers hold back what is written from now on too.
  REQUIRE(pages.Upsert(Guide("held", "km", now - 50)).ok());
  CHECK(StoredVisible(**store, "held", "km") == due);
}

TEST_CASE("a transaction's changes are stamped with its commit's second, never earlier") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  PageRepository pages(store.value().get());
  const int64_t now = Now(0).unix_seconds, due = now + 1000;
  REQUIRE(pages.Upsert(Guide("before", "vi", now - 100)).ok());
  REQUIRE((*store)->Begin().ok());
  REQUIRE(pages.Upsert(Guide("slow", "vi", now - 100)).ok());
  REQUIRE(pages.Upsert(Guide("scheduled", "vi", due)).ok());
  // As if "slow" had been written long before the commit: a reader meanwhile could have been
  // handed a cursor past its stamp.
  REQUIRE((*store)->Exec("UPDATE page_changes SET visible_unix = 5 WHERE page_id = "
                         "(SELECT id FROM pages WHERE slug = 'slow')").ok());
  REQUIRE((*store)->Exec("UPDATE page_changes SET visible_unix = 7 WHERE page_id = "
                         "(SELECT id FROM pages WHERE slug = 'before')").ok());
  REQUIRE((*store)->Commit().ok());
  CHECK(StoredVisible(**store, "slow", "vi") >= now);
  CHECK(StoredVisible(**store, "scheduled", "vi") == due);  // a later time is kept
  CHECK(StoredVisible(**store, "before", "vi") == 7);  // a row of an earlier transaction is not moved
}
