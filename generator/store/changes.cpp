// The change stream's read (GET /api/v1/changes): the rows are written by the triggers of
// store migrations 11 and 15 (store/migrations.cpp) and moved up to their commit by
// Store::Commit.
#include "store/store.h"

namespace clemency {

namespace {

// The change stream's read: a range of its index (visible_unix, id), in that order, joined to
// each row's page by its key. A translation's held-back time is stamped when its row is written
// (migration 15), so nothing here is worked out per row.
const char kChangesAfter[] = R"sql(
SELECT c.id, c.visible_unix, p.section, p.slug, p.lang, c.status, c.change_type, c.at
FROM page_changes c JOIN pages p ON p.id = c.page_id
WHERE c.visible_unix >= ?1 AND (c.visible_unix > ?1 OR c.id > ?2) AND c.visible_unix <= ?3
  AND c.draft = 0 AND p.slug <> ''
ORDER BY c.visible_unix, c.id
LIMIT ?4)sql";

}  // namespace

Result<std::vector<ChangeRow>> PageRepository::Changes(std::pair<int64_t, int64_t> after,
                                                       int64_t now_unix, int limit) {
  auto stmt = store_->Prepare(kChangesAfter);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after.first).Bind(2, after.second).Bind(3, now_unix);
  stmt->Bind(4, static_cast<int64_t>(limit));
  std::vector<ChangeRow> out;
  while (stmt->Step()) {
    out.push_back({stmt->Int(0), stmt->Int(1), stmt->Text(2), stmt->Text(3), stmt->Text(4),
                   stmt->Text(5), stmt->Text(6), stmt->Text(7)});
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<std::string> PageRepository::ChangesQueryPlan() {
  auto stmt = store_->Prepare(std::string("EXPLAIN QUERY PLAN ") + kChangesAfter);
  if (!stmt.ok()) return stmt.status();
  std::string plan;
  while (stmt->Step()) plan += stmt->Text(3) + "\n";
  if (!stmt->status().ok()) return stmt->status();
  return plan;
}

}  // namespace clemency
