// PageRepository: published pages, their revisions, support entries and the publish log.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "core/text.h"
#include "store/store.h"

namespace clemency {

namespace {

const char* kSummaryColumns =
    "p.id, p.section, p.slug, p.lang, p.kind, p.title, p.summary, p.published, p.updated, "
    "p.updated_unix, p.draft, p.weight, p.source_path, p.content_hash, p.change_note, p.meta_json, "
    "p.public_updated, p.status, p.withdrawn_at, p.withdrawn_reason, p.withdrawn_reason_lang, "
    "p.retold_report, p.change_type";
constexpr int kSummaryCount = 23;  // columns in kSummaryColumns

PageRow ReadSummary(const Statement& stmt) {
  PageRow r;
  r.id = stmt.Int(0);
  r.section = stmt.Text(1);
  r.slug = stmt.Text(2);
  r.lang = stmt.Text(3);
  r.kind = stmt.Text(4);
  r.title = stmt.Text(5);
  r.summary = stmt.Text(6);
  r.published = stmt.Text(7);
  r.updated = stmt.Text(8);
  r.updated_unix = stmt.Int(9);
  r.draft = stmt.Int(10) != 0;
  r.weight = stmt.Int(11);
  r.source_path = stmt.Text(12);
  r.content_hash = stmt.Text(13);
  r.change_note = stmt.Text(14);
  r.meta_json = stmt.Text(15);
  r.public_updated = stmt.Text(16);
  r.status = stmt.Text(17);
  r.withdrawn_at = stmt.Text(18);
  r.withdrawn_reason = stmt.Text(19);
  r.withdrawn_reason_lang = stmt.Text(20);
  r.retold_report = stmt.Int(21) != 0;
  r.change_type = stmt.Text(22);
  return r;
}

// The condition that row p is one readers see (PublicView), for a statement whose parameters
// `now` and `now + 1` are the view's time and source language (both NULL: every row). Times
// are compared as instants: `published` is RFC 3339 with an offset.
std::string VisibleTo(int now) {
  const std::string at = "?" + std::to_string(now), source = "?" + std::to_string(now + 1);
  return "(" + at + " IS NULL OR p.status <> 'published' OR (unixepoch(p.published) <= " + at +
         " AND NOT EXISTS (SELECT 1 FROM pages src WHERE src.section = p.section AND "
         "src.slug = p.slug AND src.lang = " + source +
         " AND src.draft = 0 AND src.status = 'published' AND unixepoch(src.published) > " + at +
         ")))";
}

void BindView(Statement& stmt, int now, const std::optional<PublicView>& view) {
  if (view) {
    stmt.Bind(now, view->now_unix).Bind(now + 1, view->source_lang);
  } else {
    stmt.BindNull(now).BindNull(now + 1);
  }
}

// Columns of a query that LEFT JOINs support_entries s, after kSummaryColumns (and any others).
const char* kSupportColumns =
    "s.page_id, s.province, s.district, s.organisation, s.phone, s.address, s.hours, s.lat, "
    "s.lon, s.verified, s.current_province, s.commune, s.verified_by";

void ReadSupport(const Statement& stmt, int first, PageRow* row) {
  if (stmt.IsNull(first)) return;
  SupportRow s;
  s.province = stmt.Text(first + 1);
  s.district = stmt.Text(first + 2);
  s.organisation = stmt.Text(first + 3);
  s.phone = stmt.Text(first + 4);
  s.address = stmt.Text(first + 5);
  s.hours = stmt.Text(first + 6);
  if (!stmt.IsNull(first + 7)) s.lat = stmt.Real(first + 7);
  if (!stmt.IsNull(first + 8)) s.lon = stmt.Real(first + 8);
  s.verified = stmt.Text(first + 9);
  s.current_province = stmt.Text(first + 10);
  s.commune = stmt.Text(first + 11);
  s.verified_by = stmt.Text(first + 12);
  row->support = s;
}

}  // namespace

namespace {

const char kUpsertPage[] = R"sql(
INSERT INTO pages (section, slug, lang, kind, title, summary, published, updated, updated_unix,
                   draft, weight, source_path, source_text, body_html, body_text, content_hash,
                   change_note, meta_json, public_updated, retold_report, change_type)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
        ?21)
ON CONFLICT (section, slug, lang) DO UPDATE SET
  kind = excluded.kind, title = excluded.title, summary = excluded.summary,
  published = excluded.published, updated = excluded.updated, updated_unix = excluded.updated_unix,
  draft = excluded.draft, weight = excluded.weight, source_path = excluded.source_path,
  source_text = excluded.source_text, body_html = excluded.body_html,
  body_text = excluded.body_text, content_hash = excluded.content_hash,
  change_note = excluded.change_note, meta_json = excluded.meta_json,
  public_updated = excluded.public_updated, status = 'published', withdrawn_at = '',
  withdrawn_reason = '', withdrawn_reason_lang = '', retold_report = excluded.retold_report,
  change_type = excluded.change_type
WHERE pages.content_hash <> excluded.content_hash OR pages.meta_json <> excluded.meta_json
   OR pages.status <> 'published')sql";

// The revision this upsert made (none when the text is one the page already had).
const char kRecordRevision[] = R"sql(
INSERT OR IGNORE INTO page_revisions (page_id, source_text, content_hash, updated, change_note,
                                      change_type, author, approver, publisher)
SELECT id, source_text, content_hash, updated, ?4, ?5, ?6, ?7, ?8 FROM pages
WHERE section = ?1 AND slug = ?2 AND lang = ?3)sql";

const char kUpsertSupport[] = R"sql(
INSERT INTO support_entries (page_id, province, district, organisation, phone, address, hours,
                             lat, lon, verified, current_province, commune, verified_by)
SELECT id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15 FROM pages
WHERE section = ?1 AND slug = ?2 AND lang = ?3
ON CONFLICT (page_id) DO UPDATE SET province = excluded.province, district = excluded.district,
  organisation = excluded.organisation, phone = excluded.phone,
  address = excluded.address, hours = excluded.hours, lat = excluded.lat, lon = excluded.lon,
  verified = excluded.verified, current_province = excluded.current_province,
  commune = excluded.commune, verified_by = excluded.verified_by)sql";

const char kDeleteSupport[] = R"sql(
DELETE FROM support_entries WHERE page_id IN
  (SELECT id FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3))sql";

}  // namespace

Status PageRepository::Upsert(const PageRow& row) {
  Status s = store_->WithCached(kUpsertPage, [&](Statement& stmt) {
    stmt.Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang).Bind(4, row.kind);
    stmt.Bind(5, row.title).Bind(6, row.summary).Bind(7, row.published).Bind(8, row.updated);
    stmt.Bind(9, row.updated_unix).Bind(10, static_cast<int64_t>(row.draft)).Bind(11, row.weight);
    stmt.Bind(12, row.source_path).Bind(13, row.source_text).Bind(14, row.body_html);
    stmt.Bind(15, row.body_text).Bind(16, row.content_hash).Bind(17, row.change_note);
    stmt.Bind(18, row.meta_json).Bind(19, row.public_updated);
    stmt.Bind(20, static_cast<int64_t>(row.retold_report)).Bind(21, row.change_type);
    return stmt.Run();
  });
  if (!s.ok()) return s;
  s = store_->WithCached(kRecordRevision, [&](Statement& stmt) {
    stmt.Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang);
    stmt.Bind(4, row.change_type == "minor" ? std::string() : row.change_note);
    stmt.Bind(5, row.change_type);
    stmt.Bind(6, row.people.author).Bind(7, row.people.approver).Bind(8, row.people.publisher);
    return stmt.Run();
  });
  if (!s.ok()) return s;
  s = store_->WithCached(row.support ? kUpsertSupport : kDeleteSupport, [&](Statement& stmt) {
    stmt.Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang);
    if (row.support) {
      const SupportRow& e = *row.support;
      stmt.Bind(4, e.province).Bind(5, e.district).Bind(6, e.organisation);
      stmt.Bind(7, e.phone).Bind(8, e.address).Bind(9, e.hours);
      if (e.lat)
        stmt.Bind(10, *e.lat);
      else
        stmt.BindNull(10);
      if (e.lon)
        stmt.Bind(11, *e.lon);
      else
        stmt.BindNull(11);
      stmt.Bind(12, e.verified).Bind(13, e.current_province).Bind(14, e.commune);
      stmt.Bind(15, e.verified_by);
    }
    return stmt.Run();
  });
  if (s.ok() && row.support) s = WriteServices(row);
  return s.ok() ? WriteSearch(row) : s;
}

namespace {

const char kDeleteServices[] = R"sql(
DELETE FROM support_services WHERE page_id IN
  (SELECT id FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3))sql";

const char kInsertService[] = R"sql(
INSERT INTO support_services (page_id, position, service)
SELECT id, ?4, ?5 FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3)sql";

const char kSelectServices[] =
    "SELECT service FROM support_services WHERE page_id = ?1 ORDER BY position";

}  // namespace

Status PageRepository::WriteServices(const PageRow& row) {
  Status s = store_->WithCached(kDeleteServices, [&](Statement& stmt) {
    stmt.Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang);
    return stmt.Run();
  });
  const auto& services = row.support->services;
  for (size_t i = 0; s.ok() && i < services.size(); ++i) {
    s = store_->WithCached(kInsertService, [&](Statement& stmt) {
      stmt.Bind(1, row.section).Bind(2, row.slug).Bind(3, row.lang);
      stmt.Bind(4, static_cast<int64_t>(i)).Bind(5, services[i]);
      return stmt.Run();
    });
  }
  return s;
}

Status PageRepository::ReadServices(std::vector<PageRow*> rows) {
  for (PageRow* row : rows) {
    if (!row->support) continue;
    Status s = store_->WithCached(kSelectServices, [&](Statement& stmt) {
      stmt.Bind(1, row->id);
      while (stmt.Step()) row->support->services.push_back(stmt.Text(0));
      return stmt.status();
    });
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status PageRepository::LogPublish(const std::string& actor, const std::string& what,
                                  const std::string& steps) {
  auto stmt = store_->Prepare("INSERT INTO publish_log (actor, what, steps) VALUES (?1, ?2, ?3)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, actor).Bind(2, what).Bind(3, steps);
  return stmt->Run();
}

Status PageRepository::ForEachSource(
    const std::function<void(const std::string&, std::string)>& use) {
  auto stmt = store_->Prepare(
      "SELECT source_path, source_text FROM pages WHERE status = 'published' ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  while (stmt->Step()) use(stmt->Text(0), stmt->Text(1));
  return stmt->status();
}

Status PageRepository::ForEachHash(
    const std::function<void(const std::string&, const std::string&)>& use) {
  auto stmt =
      store_->Prepare("SELECT source_path, content_hash FROM pages WHERE status = 'published'");
  if (!stmt.ok()) return stmt.status();
  while (stmt->Step()) use(stmt->Text(0), stmt->Text(1));
  return stmt->status();
}

namespace {

// Published rows only, which also lets the lookup use pages_by_status_path.
const char kSourceText[] =
    "SELECT source_text FROM pages WHERE status = 'published' AND source_path = ?1";

}  // namespace

Result<std::string> PageRepository::SourceText(const std::string& source_path) {
  // Run once per page a load reads: prepared once per store, not once per page.
  std::string text;
  Status s = store_->WithCached(kSourceText, [&](Statement& stmt) {
    stmt.Bind(1, source_path);
    bool found = stmt.Step();
    if (found) text = stmt.Text(0);
    Status status = stmt.status();
    // Reset now: a statement left on a row holds its read transaction, and the connection would
    // keep seeing the store as it was.
    stmt.Reset();
    if (!status.ok()) return status;
    return found ? Status::Ok() : Status::Error("store: no page file " + source_path);
  });
  if (!s.ok()) return s;
  return text;
}

Result<int64_t> PageRepository::Count() {
  auto stmt = store_->Prepare("SELECT count(*) FROM pages");
  if (!stmt.ok()) return stmt.status();
  if (!stmt->Step())
    return stmt->status().ok() ? Status::Error("store: count failed") : stmt->status();
  return stmt->Int(0);
}

Result<std::vector<PageRow>> PageRepository::List(const PageQuery& query) {
  auto stmt = store_->Prepare(std::string("SELECT ") + kSummaryColumns + R"sql( FROM pages p
WHERE p.draft = 0 AND p.slug <> ''
  AND (p.status = 'published' OR ?3 IS NOT NULL)
  AND (?1 = '' OR p.lang = ?1)
  AND (?2 = '' OR p.section = ?2)
  AND (?3 IS NULL OR p.updated_unix >= ?3)
  AND (?4 IS NULL OR p.updated_unix < ?4 OR (p.updated_unix = ?4 AND p.id < ?5))
  AND )sql" + VisibleTo(7) + R"sql(
ORDER BY p.updated_unix DESC, p.id DESC
LIMIT ?6)sql");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, query.lang).Bind(2, query.section);
  if (query.updated_since_unix)
    stmt->Bind(3, *query.updated_since_unix);
  else
    stmt->BindNull(3);
  if (query.after) {
    stmt->Bind(4, query.after->first).Bind(5, query.after->second);
  } else {
    stmt->BindNull(4).BindNull(5);
  }
  stmt->Bind(6, static_cast<int64_t>(query.limit));
  BindView(stmt.value(), 7, query.view);
  std::vector<PageRow> rows;
  while (stmt->Step()) rows.push_back(ReadSummary(*stmt));
  if (!stmt->status().ok()) return stmt->status();
  return rows;
}

Result<std::optional<PageRow>> PageRepository::Get(const std::string& section,
                                                   const std::string& slug,
                                                   const std::string& lang,
                                                   const std::optional<PublicView>& view) {
  auto stmt = store_->Prepare(
      std::string("SELECT ") + kSummaryColumns + ", p.body_html, p.body_text, " + kSupportColumns +
      " FROM pages p LEFT JOIN support_entries s ON s.page_id = p.id "
      "WHERE p.section = ?1 AND p.slug = ?2 AND p.lang = ?3 AND p.draft = 0 AND " +
      VisibleTo(4));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, section).Bind(2, slug).Bind(3, lang);
  BindView(stmt.value(), 4, view);
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return std::optional<PageRow>();
  }
  PageRow row = ReadSummary(*stmt);
  row.body_html = stmt->Text(kSummaryCount);
  row.body_text = stmt->Text(kSummaryCount + 1);
  ReadSupport(*stmt, kSummaryCount + 2, &row);
  if (Status s = ReadServices({&row}); !s.ok()) return s;
  return std::optional<PageRow>(std::move(row));
}

Result<std::vector<std::string>> PageRepository::Translations(
    const std::string& section, const std::string& slug, const std::optional<PublicView>& view) {
  auto stmt = store_->Prepare(
      "SELECT p.lang FROM pages p WHERE p.section = ?1 AND p.slug = ?2 AND p.draft = 0 AND "
      "p.status = 'published' AND " + VisibleTo(3) + " ORDER BY p.lang");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, section).Bind(2, slug);
  BindView(stmt.value(), 3, view);
  std::vector<std::string> out;
  while (stmt->Step()) out.push_back(stmt->Text(0));
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<std::optional<int64_t>> PageRepository::NextPublishTime(int64_t after) {
  auto stmt = store_->Prepare(
      "SELECT min(unixepoch(published)) FROM pages "
      "WHERE status = 'published' AND draft = 0 AND unixepoch(published) > ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after);
  if (!stmt->Step()) return stmt->status().ok() ? Status::Error("store: no minimum") : stmt->status();
  return stmt->IsNull(0) ? std::optional<int64_t>() : std::optional<int64_t>(stmt->Int(0));
}

Result<std::vector<RevisionRow>> PageRepository::History(int64_t page_id) {
  auto stmt = store_->Prepare(
      "SELECT updated, created_at, change_note, change_type FROM page_revisions "
      "WHERE page_id = ?1 ORDER BY id DESC");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, page_id);
  std::vector<RevisionRow> out;
  while (stmt->Step()) {
    out.push_back({stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Text(3)});
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<std::vector<AnnouncedRevision>> PageRepository::AnnouncedRevisions(
    const std::optional<std::pair<std::string, std::string>>& page) {
  auto stmt = store_->Prepare(
      std::string("SELECT r.id, p.section, p.slug, p.lang, r.updated, r.change_note, "
                  "r.change_type, r.content_hash, r.author, r.approver, r.publisher "
                  "FROM page_revisions r JOIN pages p ON "
                  "p.id = r.page_id WHERE p.status = 'published' AND p.draft = 0 AND "
                  "r.change_type <> 'minor'") +
      (page ? " AND p.section = ?1 AND p.slug = ?2" : "") +
      " ORDER BY p.section, p.slug, p.lang, r.id DESC");
  if (!stmt.ok()) return stmt.status();
  if (page) stmt->Bind(1, page->first).Bind(2, page->second);
  std::vector<AnnouncedRevision> out;
  while (stmt->Step()) {
    out.push_back({stmt->Int(0), stmt->Text(1), stmt->Text(2), stmt->Text(3), stmt->Text(4),
                   stmt->Text(5), stmt->Text(6), stmt->Text(7),
                   {stmt->Text(8), stmt->Text(9), stmt->Text(10)}});
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<std::string> PageRepository::RevisionText(int64_t revision_id) {
  auto stmt = store_->Prepare("SELECT source_text FROM page_revisions WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, revision_id);
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return Status::Error("store: no revision " + std::to_string(revision_id));
  }
  return stmt->Text(0);
}

Result<std::vector<PageRow>> PageRepository::ListSupport(const SupportQuery& query) {
  auto stmt = store_->Prepare(std::string("SELECT ") + kSummaryColumns + ", " + kSupportColumns +
                              R"sql( FROM pages p JOIN support_entries s ON s.page_id = p.id
WHERE p.draft = 0 AND p.status = 'published' AND p.lang = ?1
  AND (?2 = '' OR s.province = ?2 OR s.current_province = ?2)
  AND (?6 IS NULL OR EXISTS (SELECT 1 FROM json_each(?6) j
                             WHERE j.value = s.province OR j.value = s.current_province))
  AND (?3 = '' OR EXISTS (SELECT 1 FROM support_services v
                          WHERE v.page_id = s.page_id AND v.service = ?3))
  AND )sql" + VisibleTo(4) + R"sql(
ORDER BY s.province, s.district, p.title)sql");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, query.lang).Bind(2, query.province).Bind(3, query.service);
  BindView(stmt.value(), 4, query.view);
  if (query.provinces.empty()) {
    stmt->BindNull(6);
  } else {
    std::string names = "[";
    for (const auto& name : query.provinces) names += (names.size() > 1 ? "," : "") + JsonString(name);
    stmt->Bind(6, names + "]");
  }
  std::vector<PageRow> rows;
  while (stmt->Step()) {
    PageRow row = ReadSummary(*stmt);
    ReadSupport(*stmt, kSummaryCount, &row);
    rows.push_back(std::move(row));
  }
  if (!stmt->status().ok()) return stmt->status();
  std::vector<PageRow*> pointers;
  for (auto& row : rows) pointers.push_back(&row);
  if (Status s = ReadServices(std::move(pointers)); !s.ok()) return s;
  return rows;
}

Result<std::vector<std::pair<std::string, std::string>>> PageRepository::SupportPlaces() {
  auto stmt = store_->Prepare(
      "SELECT DISTINCT s.province, s.current_province FROM support_entries s "
      "JOIN pages p ON p.id = s.page_id WHERE p.status = 'published' AND p.draft = 0 "
      "ORDER BY s.current_province DESC, s.province");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::pair<std::string, std::string>> out;
  while (stmt->Step()) out.emplace_back(stmt->Text(0), stmt->Text(1));
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Status PageRepository::WithdrawAllExcept(
    const std::vector<std::tuple<std::string, std::string, std::string>>& keep,
    const Withdrawal& withdrawal) {
  if (Status s = store_->Exec(
          "CREATE TEMP TABLE IF NOT EXISTS keep_pages (section TEXT, slug TEXT, lang TEXT, "
          "PRIMARY KEY (section, slug, lang)) WITHOUT ROWID");
      !s.ok()) {
    return s;
  }
  if (Status s = store_->Exec("DELETE FROM keep_pages"); !s.ok()) return s;
  auto insert = store_->Prepare("INSERT OR IGNORE INTO keep_pages VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.status();
  for (const auto& [section, slug, lang] : keep) {
    insert->Bind(1, section).Bind(2, slug).Bind(3, lang);
    if (Status s = insert->Run(); !s.ok()) return s;
  }
  auto gone = store_->Prepare(
      "SELECT section, slug, lang FROM pages WHERE status = 'published' AND NOT EXISTS "
      "(SELECT 1 FROM keep_pages k WHERE k.section = pages.section AND k.slug = pages.slug AND "
      "k.lang = pages.lang)");
  if (!gone.ok()) return gone.status();
  std::vector<std::tuple<std::string, std::string, std::string>> withdrawn;
  while (gone->Step()) withdrawn.emplace_back(gone->Text(0), gone->Text(1), gone->Text(2));
  if (!gone->status().ok()) return gone->status();
  for (const auto& [section, slug, lang] : withdrawn) {
    if (Status s = Withdraw(section, slug, lang, withdrawal); !s.ok()) return s;
  }
  return Status::Ok();
}

namespace {

const char kNoteLanguageChange[] = R"sql(
UPDATE pages SET updated = ?4, updated_unix = ?5
WHERE section = ?1 AND slug = ?2 AND lang <> ?3 AND status = 'published' AND draft = 0
  AND updated_unix < ?5
  AND EXISTS (SELECT 1 FROM pages o WHERE o.section = ?1 AND o.slug = ?2 AND o.lang = ?3
              AND o.status = 'published' AND o.draft = 0) <> ?6)sql";

const char kWithdraw[] = R"sql(
UPDATE pages SET status = ?4, withdrawn_at = ?5, withdrawn_reason = ?6, updated = ?5,
                 updated_unix = ?7, withdrawn_reason_lang = ?8
WHERE section = ?1 AND slug = ?2 AND lang = ?3 AND status = 'published')sql";

// A withdrawn page is no longer found by search, in the withdrawal's transaction (as
// WriteSearch removes a page's rows: its FTS5 row and what search filters it by).
const char kUnindexWithdrawn[] = R"sql(
DELETE FROM search_fts WHERE rowid IN
  (SELECT id FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3))sql";
const char kUnlistWithdrawn[] = R"sql(
DELETE FROM search_pages WHERE id IN
  (SELECT id FROM pages WHERE section = ?1 AND slug = ?2 AND lang = ?3))sql";

const char kRecordWithdrawal[] = R"sql(
INSERT OR IGNORE INTO page_revisions (page_id, source_text, content_hash, updated, change_note,
                                      change_type, publisher)
SELECT id, source_text, 'withdrawn ' || ?4, ?4, ?5, 'withdrawal', ?6 FROM pages
WHERE section = ?1 AND slug = ?2 AND lang = ?3)sql";

}  // namespace

Status PageRepository::NoteLanguageChange(const std::string& section, const std::string& slug,
                                          const std::string& lang, bool publishing,
                                          const std::string& at, int64_t at_unix) {
  return store_->WithCached(kNoteLanguageChange, [&](Statement& stmt) {
    stmt.Bind(1, section).Bind(2, slug).Bind(3, lang).Bind(4, at).Bind(5, at_unix);
    stmt.Bind(6, static_cast<int64_t>(publishing));
    return stmt.Run();
  });
}

Status PageRepository::Withdraw(const std::string& section, const std::string& slug,
                                const std::string& lang, const Withdrawal& withdrawal) {
  Status s = NoteLanguageChange(section, slug, lang, false, withdrawal.at, withdrawal.at_unix);
  if (!s.ok()) return s;
  s = store_->WithCached(kWithdraw, [&](Statement& stmt) {
    stmt.Bind(1, section).Bind(2, slug).Bind(3, lang);
    stmt.Bind(4, withdrawal.gone ? std::string("gone") : std::string("withdrawn"));
    stmt.Bind(5, withdrawal.at).Bind(6, withdrawal.reason).Bind(7, withdrawal.at_unix);
    stmt.Bind(8, withdrawal.reason_lang == lang ? std::string() : withdrawal.reason_lang);
    return stmt.Run();
  });
  if (!s.ok()) return s;
  for (const char* sql : {kUnindexWithdrawn, kUnlistWithdrawn}) {
    s = store_->WithCached(sql, [&](Statement& stmt) {
      stmt.Bind(1, section).Bind(2, slug).Bind(3, lang);
      return stmt.Run();
    });
    if (!s.ok()) return s;
  }
  return store_->WithCached(kRecordWithdrawal, [&](Statement& stmt) {
    stmt.Bind(1, section).Bind(2, slug).Bind(3, lang);
    stmt.Bind(4, withdrawal.at).Bind(5, withdrawal.reason).Bind(6, withdrawal.by);
    return stmt.Run();
  });
}

Result<std::vector<PageRow>> PageRepository::Tombstones() {
  // Found through the status index (both sides of 'published'): a scan of the table reads every
  // page's whole row, texts and all, since status is one of its last columns.
  auto stmt = store_->Prepare(std::string("SELECT ") + kSummaryColumns +
                              " FROM pages p WHERE p.id IN (SELECT id FROM pages WHERE status < "
                              "'published' UNION ALL SELECT id FROM pages WHERE status > "
                              "'published') ORDER BY p.id");
  if (!stmt.ok()) return stmt.status();
  std::vector<PageRow> rows;
  while (stmt->Step()) rows.push_back(ReadSummary(*stmt));
  if (!stmt->status().ok()) return stmt->status();
  return rows;
}

}  // namespace clemency
