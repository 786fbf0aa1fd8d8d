#include "store/edits.h"

namespace clemency {
namespace {

const char kEditColumns[] =
    "id, source_path, base_hash, source_text, state, change_type, note, author, approver, "
    "publisher, legal_review, review_comment, publish_at, publish_at_unix, version, created_at, "
    "updated_at, published_at";
// The same without the text, for lists.
const char kEditSummaryColumns[] =
    "id, source_path, base_hash, '', state, change_type, note, author, approver, "
    "publisher, legal_review, review_comment, publish_at, publish_at_unix, version, created_at, "
    "updated_at, published_at";


EditRow ReadEdit(const Statement& stmt) {
  EditRow row;
  row.id = stmt.Int(0);
  row.source_path = stmt.Text(1);
  row.base_hash = stmt.Text(2);
  row.source_text = stmt.Text(3);
  row.state = stmt.Text(4);
  row.change_type = stmt.Text(5);
  row.note = stmt.Text(6);
  row.author = stmt.Text(7);
  row.approver = stmt.Text(8);
  row.publisher = stmt.Text(9);
  row.legal_review = stmt.Int(10) != 0;
  row.review_comment = stmt.Text(11);
  row.publish_at = stmt.Text(12);
  row.publish_at_unix = stmt.Int(13);
  row.version = stmt.Int(14);
  row.created_at = stmt.Text(15);
  row.updated_at = stmt.Text(16);
  row.published_at = stmt.Text(17);
  return row;
}

// Binds the writable fields of `row` at ?2 … ?14.
void BindEditFields(Statement& stmt, const EditRow& row) {
  stmt.Bind(2, row.source_text).Bind(3, row.state).Bind(4, row.change_type).Bind(5, row.note);
  stmt.Bind(6, row.approver).Bind(7, row.publisher);
  stmt.Bind(8, static_cast<int64_t>(row.legal_review ? 1 : 0)).Bind(9, row.review_comment);
  stmt.Bind(10, row.publish_at).Bind(11, row.publish_at_unix).Bind(12, row.updated_at);
  stmt.Bind(13, row.published_at).Bind(14, row.base_hash);
}

Result<std::vector<EditRow>> ReadEdits(Statement& stmt) {
  std::vector<EditRow> out;
  while (stmt.Step()) out.push_back(ReadEdit(stmt));
  if (!stmt.status().ok()) return stmt.status();
  return out;
}

Result<std::optional<EditRow>> ReadOneEdit(Statement& stmt) {
  auto rows = ReadEdits(stmt);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<EditRow>();
  return std::optional<EditRow>(std::move(rows.value().front()));
}

Status AddVersion(Store* store, int64_t edit_id, int64_t version, const std::string& text,
                  const std::string& saved_by, const std::string& at) {
  auto stmt = store->Prepare(
      "INSERT INTO edit_versions (edit_id, version, source_text, saved_by, saved_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, edit_id).Bind(2, version).Bind(3, text).Bind(4, saved_by).Bind(5, at);
  return stmt->Run();
}

// Runs `body` in a write transaction, rolling back when it fails.
template <typename T, typename Body>
Result<T> InTransaction(Store* store, Body&& body) {
  // Inside a caller's transaction (a publish storing the edit's state with its revision), the
  // caller commits or rolls back the whole.
  if (store->InTransaction()) return body();
  if (Status s = store->Begin(); !s.ok()) return s;
  Result<T> result = body();
  Status s = result.ok() ? store->Commit() : Status::Error("");
  if (!s.ok()) {
    store->Rollback();
    if (result.ok()) return s;
  }
  return result;
}

RevisionRecord ReadRevision(const Statement& stmt) {
  RevisionRecord r;
  r.id = stmt.Int(0);
  r.source_text = stmt.Text(1);
  r.content_hash = stmt.Text(2);
  r.updated = stmt.Text(3);
  r.recorded = stmt.Text(4);
  r.change_note = stmt.Text(5);
  r.change_type = stmt.Text(6);
  r.people = {stmt.Text(7), stmt.Text(8), stmt.Text(9)};
  return r;
}

const char kRevisionColumns[] =
    "r.id, r.source_text, r.content_hash, r.updated, r.created_at, r.change_note, r.change_type, "
    "r.author, r.approver, r.publisher";

// `states` as a JSON array, bound to one prepared statement whatever the states asked for.
std::string StatesJson(const std::vector<std::string>& states) {
  std::string json = "[";
  for (const auto& state : states) {
    if (json.size() > 1) json += ",";
    json += "\"" + state + "\"";  // states are fixed words (see EditRow::state)
  }
  return json + "]";
}

}  // namespace

const std::vector<std::string>& OpenEditStates() {
  static const std::vector<std::string> states = {"draft", "submitted", "approved", "scheduled"};
  return states;
}

Result<int64_t> EditRepository::Insert(const EditRow& row, const std::string& saved_by) {
  return InTransaction<int64_t>(store_, [&]() -> Result<int64_t> {
    auto open = OpenFor(row.source_path);
    if (!open.ok()) return open.status();
    if (open->has_value()) {
      return Status::Error(row.source_path + " already has an open edit (#" +
                           std::to_string((*open)->id) + ")");
    }
    auto stmt = store_->Prepare(
        "INSERT INTO edits (source_path, source_text, state, change_type, note, approver, "
        "publisher, legal_review, review_comment, publish_at, publish_at_unix, updated_at, "
        "published_at, base_hash, author, created_at, version) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 1)");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, row.source_path);
    BindEditFields(stmt.value(), row);
    stmt->Bind(15, row.author).Bind(16, row.created_at);
    if (Status s = stmt->Run(); !s.ok()) return s;
    auto id = store_->Prepare("SELECT last_insert_rowid()");
    if (!id.ok() || !id->Step()) return Status::Error("store: no id for the new edit");
    int64_t edit_id = id->Int(0);
    if (Status s = AddVersion(store_, edit_id, 1, row.source_text, saved_by, row.created_at);
        !s.ok()) {
      return s;
    }
    return edit_id;
  });
}

Result<std::optional<EditRow>> EditRepository::Get(int64_t id) {
  auto stmt = store_->Prepare(std::string("SELECT ") + kEditColumns + " FROM edits WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  return ReadOneEdit(stmt.value());
}

Result<std::optional<EditRow>> EditRepository::OpenFor(const std::string& source_path) {
  auto stmt = store_->Prepare(std::string("SELECT ") + kEditColumns +
                              " FROM edits WHERE source_path = ?1 AND state IN "
                              "(SELECT value FROM json_each(?2))");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, source_path).Bind(2, StatesJson(OpenEditStates()));
  return ReadOneEdit(stmt.value());
}

Result<std::vector<EditRow>> EditRepository::List(const std::vector<std::string>& states) {
  const std::string json = StatesJson(states);
  auto stmt = store_->Prepare(std::string("SELECT ") + kEditSummaryColumns +
                              " FROM edits WHERE ?1 = '[]' OR state IN (SELECT value FROM "
                              "json_each(?1)) ORDER BY updated_at DESC, id DESC");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, json);
  return ReadEdits(stmt.value());
}

Result<bool> EditRepository::Update(const EditRow& row, int64_t expected_version,
                                    const std::string& saved_by, const std::string& at,
                                    bool written) {
  return InTransaction<bool>(store_, [&]() -> Result<bool> {
    auto before = Get(row.id);
    if (!before.ok()) return before.status();
    if (!before->has_value() || (*before)->version != expected_version) return false;
    auto stmt = store_->Prepare(
        "UPDATE edits SET source_text = ?2, state = ?3, change_type = ?4, note = ?5, "
        "approver = ?6, publisher = ?7, legal_review = ?8, review_comment = ?9, publish_at = ?10, "
        "publish_at_unix = ?11, updated_at = ?12, published_at = ?13, base_hash = ?14, "
        "version = version + 1 WHERE id = ?1 AND version = ?15");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, row.id);
    BindEditFields(stmt.value(), row);
    stmt->Bind(15, expected_version);
    if (Status s = stmt->Run(); !s.ok()) return s;
    if (!written) return true;
    if (Status s = AddVersion(store_, row.id, expected_version + 1, row.source_text, saved_by, at);
        !s.ok()) {
      return s;
    }
    return true;
  });
}

Result<std::optional<EditVersionRow>> EditRepository::Version(int64_t edit_id, int64_t version) {
  // The text of `version` is that of the newest saved version at or before it (a write that
  // changed only the state keeps no text of its own).
  auto stmt = store_->Prepare(
      "SELECT edit_id, version, source_text, saved_by, saved_at FROM edit_versions "
      "WHERE edit_id = ?1 AND version <= ?2 ORDER BY version DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, edit_id).Bind(2, version);
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return std::optional<EditVersionRow>();
  }
  return std::optional<EditVersionRow>(
      EditVersionRow{stmt->Int(0), stmt->Int(1), stmt->Text(2), stmt->Text(3), stmt->Text(4)});
}

Result<std::vector<EditVersionRow>> EditRepository::Versions(int64_t edit_id) {
  auto stmt = store_->Prepare(
      "SELECT edit_id, version, '', saved_by, saved_at FROM edit_versions WHERE edit_id = ?1 "
      "ORDER BY version");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, edit_id);
  std::vector<EditVersionRow> out;
  while (stmt->Step()) {
    out.push_back({stmt->Int(0), stmt->Int(1), stmt->Text(2), stmt->Text(3), stmt->Text(4)});
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<std::vector<std::string>> EditRepository::Writers(int64_t edit_id) {
  auto stmt = store_->Prepare(
      "SELECT DISTINCT saved_by FROM edit_versions WHERE edit_id = ?1 UNION "
      "SELECT author FROM edits WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, edit_id);
  std::vector<std::string> out;
  while (stmt->Step()) out.push_back(stmt->Text(0));
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<std::vector<EditRow>> EditRepository::Due(int64_t now_unix) {
  auto stmt = store_->Prepare(std::string("SELECT ") + kEditColumns +
                              " FROM edits WHERE state = 'scheduled' AND publish_at_unix <= ?1 "
                              "ORDER BY publish_at_unix, id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, now_unix);
  return ReadEdits(stmt.value());
}

Result<std::optional<int64_t>> EditRepository::NextDue() {
  auto stmt = store_->Prepare(
      "SELECT MIN(publish_at_unix) FROM edits WHERE state = 'scheduled'");
  if (!stmt.ok()) return stmt.status();
  std::optional<int64_t> next;
  if (stmt->Step() && !stmt->IsNull(0)) next = stmt->Int(0);
  if (!stmt->status().ok()) return stmt->status();
  return next;
}

Result<std::vector<RevisionRecord>> EditRepository::Revisions(const std::string& source_path) {
  auto stmt = store_->Prepare(std::string("SELECT ") + kRevisionColumns +
                              " FROM page_revisions r JOIN pages p ON p.id = r.page_id "
                              "WHERE p.source_path = ?1 ORDER BY r.id DESC");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, source_path);
  std::vector<RevisionRecord> out;
  while (stmt->Step()) out.push_back(ReadRevision(stmt.value()));
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<std::optional<RevisionRecord>> EditRepository::Revision(int64_t revision_id) {
  auto stmt = store_->Prepare(std::string("SELECT ") + kRevisionColumns +
                              " FROM page_revisions r WHERE r.id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, revision_id);
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return std::optional<RevisionRecord>();
  }
  return std::optional<RevisionRecord>(ReadRevision(stmt.value()));
}

Result<std::vector<TranslationState>> EditRepository::Translations(bool with_index) {
  auto stmt = store_->Prepare(
      "SELECT section, slug, lang, source_path, title, public_updated, "
      "COALESCE(json_extract(meta_json, '$.translated_from'), '') FROM pages "
      "WHERE status = 'published' AND draft = 0 AND (slug <> '' OR ?1) "
      "ORDER BY section, slug, lang");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(with_index ? 1 : 0));
  std::vector<TranslationState> out;
  while (stmt->Step()) {
    out.push_back({stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Text(3), stmt->Text(4),
                   stmt->Text(5), stmt->Text(6)});
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<int64_t> TokenRepository::Add(const std::string& user_name, const std::string& token_hash,
                                     const std::string& label, const std::string& created_at) {
  auto stmt = store_->Prepare(
      "INSERT INTO api_tokens (user_name, token_hash, label, created_at) VALUES (?1, ?2, ?3, ?4) "
      "RETURNING id");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, user_name).Bind(2, token_hash).Bind(3, label).Bind(4, created_at);
  if (!stmt->Step()) {
    return stmt->status().ok() ? Status::Error("store: no id for the new token") : stmt->status();
  }
  int64_t id = stmt->Int(0);
  stmt->Step();  // to the end, so the insert completes
  if (!stmt->status().ok()) return stmt->status();
  return id;
}

Result<std::optional<TokenRow>> TokenRepository::FindByHash(const std::string& token_hash) {
  auto stmt = store_->Prepare(
      "SELECT id, user_name, label, created_at, revoked_at FROM api_tokens WHERE token_hash = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, token_hash);
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return std::optional<TokenRow>();
  }
  return std::optional<TokenRow>(
      TokenRow{stmt->Int(0), stmt->Text(1), stmt->Text(2), stmt->Text(3), stmt->Text(4)});
}

Result<std::vector<TokenRow>> TokenRepository::List() {
  auto stmt = store_->Prepare(
      "SELECT id, user_name, label, created_at, revoked_at FROM api_tokens ORDER BY id");
  if (!stmt.ok()) return stmt.status();
  std::vector<TokenRow> out;
  while (stmt->Step()) {
    out.push_back({stmt->Int(0), stmt->Text(1), stmt->Text(2), stmt->Text(3), stmt->Text(4)});
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Status TokenRepository::Revoke(int64_t id, const std::string& at) {
  auto stmt = store_->Prepare(
      "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at = ''");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id).Bind(2, at);
  return stmt->Run();
}

}  // namespace clemency
