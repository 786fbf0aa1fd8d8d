#include "store/media.h"

#include "core/json.h"

namespace clemency {
namespace {

const char kMediaColumns[] =
    "id, hash, path, width, height, alt_search, caption, credit, consent_basis, "
    "consent_given_by, uploaded_by, uploaded_at";

MediaRow ReadMedia(const Statement& stmt) {
  MediaRow r;
  r.id = stmt.Int(0);
  r.hash = stmt.Text(1);
  r.path = stmt.Text(2);
  r.width = stmt.Int(3);
  r.height = stmt.Int(4);
  r.alt_search = stmt.Text(5);
  r.caption = stmt.Text(6);
  r.credit = stmt.Text(7);
  r.consent_basis = stmt.Text(8);
  r.consent_given_by = stmt.Text(9);
  r.uploaded_by = stmt.Text(10);
  r.uploaded_at = stmt.Text(11);
  return r;
}

// Fills each row's alt texts from its alt_json (read by SQLite's json_each).
Status ReadAlts(Store* store, std::vector<MediaRow>* rows) {
  auto stmt = store->Prepare("SELECT key, value FROM media, json_each(media.alt_json) "
                             "WHERE media.id = ?1");
  if (!stmt.ok()) return stmt.status();
  for (auto& row : *rows) {
    stmt->Reset();
    stmt->Bind(1, row.id);
    while (stmt->Step()) row.alt[stmt->Text(0)] = stmt->Text(1);
    if (!stmt->status().ok()) return stmt->status();
  }
  return Status::Ok();
}

Result<std::vector<MediaRow>> Query(Store* store, Statement& stmt) {
  std::vector<MediaRow> rows;
  while (stmt.Step()) rows.push_back(ReadMedia(stmt));
  if (!stmt.status().ok()) return stmt.status();
  if (Status s = ReadAlts(store, &rows); !s.ok()) return s;
  return rows;
}

Status InsertFiles(Store* store, int64_t id, const std::vector<MediaFileRow>& files) {
  auto stmt = store->Prepare(
      "INSERT OR IGNORE INTO media_files (path, media_id, bytes) VALUES (?1, ?2, ?3)");
  if (!stmt.ok()) return stmt.status();
  for (const auto& file : files) {
    stmt->Bind(1, file.path).Bind(2, id).BindBlob(3, file.bytes);
    if (Status s = stmt->Run(); !s.ok()) return s;
  }
  return Status::Ok();
}

Result<int64_t> InsertRow(Store* store, const MediaRow& row) {
  JsonWriter alt;
  alt.BeginObject();
  for (const auto& [lang, text] : row.alt) alt.Key(lang).String(text);
  alt.EndObject();
  auto stmt = store->Prepare(
      "INSERT INTO media (hash, path, width, height, alt_json, alt_search, caption, credit, "
      "consent_basis, consent_given_by, uploaded_by, uploaded_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
      "ON CONFLICT (hash) DO NOTHING");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, row.hash).Bind(2, row.path).Bind(3, row.width).Bind(4, row.height);
  stmt->Bind(5, alt.str()).Bind(6, row.alt_search).Bind(7, row.caption).Bind(8, row.credit);
  stmt->Bind(9, row.consent_basis).Bind(10, row.consent_given_by).Bind(11, row.uploaded_by);
  stmt->Bind(12, row.uploaded_at);
  if (Status s = stmt->Run(); !s.ok()) return s;
  auto id = store->Prepare("SELECT id FROM media WHERE hash = ?1");
  if (!id.ok()) return id.status();
  id->Bind(1, row.hash);
  if (!id->Step()) return id->status().ok() ? Status::Error("store: media row lost") : id->status();
  return id->Int(0);
}

}  // namespace

Result<int64_t> MediaRepository::Insert(const MediaRow& row,
                                        const std::vector<MediaFileRow>& files) {
  if (Status s = store_->Begin(); !s.ok()) return s;
  Result<int64_t> id = InsertRow(store_, row);
  Status s = id.ok() ? InsertFiles(store_, *id, files) : id.status();
  if (s.ok()) s = store_->Commit();
  if (!s.ok()) {
    store_->Rollback();
    return s;
  }
  return id;
}

Result<std::optional<MediaRow>> MediaRepository::FindByHash(const std::string& hash) {
  auto stmt = store_->Prepare(std::string("SELECT ") + kMediaColumns +
                              " FROM media WHERE hash = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, hash);
  auto rows = Query(store_, stmt.value());
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<MediaRow>();
  return std::optional<MediaRow>(std::move(rows.value().front()));
}

Result<std::vector<MediaRow>> MediaRepository::List(const std::string& folded_query, int limit) {
  // Every word must occur: instr() per word, bound as one JSON array so the SQL stays fixed.
  JsonWriter words;
  words.BeginArray();
  size_t at = 0;
  while (at < folded_query.size()) {
    size_t end = folded_query.find(' ', at);
    if (end == std::string::npos) end = folded_query.size();
    if (end > at) words.String(folded_query.substr(at, end - at));
    at = end + 1;
  }
  words.EndArray();
  auto stmt = store_->Prepare(
      std::string("SELECT ") + kMediaColumns +
      " FROM media WHERE NOT EXISTS (SELECT 1 FROM json_each(?1) "
      "WHERE instr(' ' || media.alt_search || ' ', json_each.value) = 0) "
      "ORDER BY id DESC LIMIT ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, words.str()).Bind(2, int64_t{limit});
  return Query(store_, stmt.value());
}

Result<std::optional<std::string>> MediaRepository::FileBytes(const std::string& path) {
  auto stmt = store_->Prepare("SELECT bytes FROM media_files WHERE path = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, path);
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return std::optional<std::string>();
  }
  return std::optional<std::string>(stmt->Blob(0));
}

Result<std::vector<MediaUse>> MediaRepository::Uses(const std::string& hash) {
  // Every copy's site path starts so (paths::MediaFile), whatever its size.
  const std::string prefix = "/media/" + hash + "-";
  auto stmt = store_->Prepare(
      "SELECT source_path, title, 0 FROM pages WHERE status = 'published' "
      "AND instr(source_text, ?1) > 0 "
      "UNION ALL SELECT source_path, '', 1 FROM edits "
      "WHERE state IN ('draft', 'submitted', 'approved', 'scheduled') "
      "AND instr(source_text, ?1) > 0 ORDER BY 3, 1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, prefix);
  std::vector<MediaUse> uses;
  while (stmt->Step()) uses.push_back({stmt->Text(0), stmt->Text(1), stmt->Int(2) != 0});
  if (!stmt->status().ok()) return stmt->status();
  return uses;
}

Result<bool> MediaRepository::DeleteUnused(const std::string& hash, std::vector<MediaUse>* uses) {
  uses->clear();
  if (Status s = store_->Begin(); !s.ok()) return s;
  Status s = Status::Ok();
  bool deleted = false;
  auto existing = FindByHash(hash);
  auto found = existing.ok() ? Uses(hash) : Result<std::vector<MediaUse>>(existing.status());
  if (!found.ok()) s = found.status();
  if (s.ok()) *uses = std::move(found).value();
  if (s.ok() && existing->has_value() && uses->empty()) {
    auto stmt = store_->Prepare("DELETE FROM media WHERE hash = ?1");  // its files cascade
    s = stmt.ok() ? stmt->Bind(1, hash).Run() : stmt.status();
    deleted = s.ok();
  }
  if (s.ok() && deleted) s = store_->Commit();
  if (!s.ok() || !deleted) store_->Rollback();
  if (!s.ok()) return s;
  return deleted;
}

Result<std::map<std::string, std::string>> MediaRepository::PeopleBases() {
  auto stmt = store_->Prepare(
      "SELECT hash, consent_basis FROM media WHERE consent_basis <> 'no-person'");
  if (!stmt.ok()) return stmt.status();
  std::map<std::string, std::string> bases;
  while (stmt->Step()) bases[stmt->Text(0)] = stmt->Text(1);
  if (!stmt->status().ok()) return stmt->status();
  return bases;
}

Result<std::vector<std::string>> MediaRepository::FilePaths() {
  auto stmt = store_->Prepare("SELECT path FROM media_files ORDER BY path");
  if (!stmt.ok()) return stmt.status();
  std::vector<std::string> paths;
  while (stmt->Step()) paths.push_back(stmt->Text(0));
  if (!stmt->status().ok()) return stmt->status();
  return paths;
}

}  // namespace clemency
