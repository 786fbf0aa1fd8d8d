#pragma once
// The editorial workflow's records as the store keeps them: edits (changes to one page file not
// yet published, at most one open per file), every saved version of an edit, the published
// revisions with their authors, and bearer tokens. The rules live in the editorial module; this
// file holds the SQL only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace clemency {

// One proposed change to one page file ("content/<section>/<slug>.<lang>.md").
struct EditRow {
  int64_t id = 0;
  std::string source_path;
  std::string base_hash;  // content hash of the published text it started from ("" new page)
  std::string source_text;
  std::string state = "draft";  // draft, submitted, approved, scheduled, published, discarded
  std::string change_type = "major", note;
  std::string author, approver, publisher;
  bool legal_review = false;    // the approver signed off the legal review
  std::string review_comment;   // why it was sent back, or the approval's remark
  std::string publish_at;       // RFC 3339, when scheduled
  int64_t publish_at_unix = 0;
  int64_t version = 1;          // grows with every write: the ETag
  std::string created_at, updated_at, published_at;
};

struct EditVersionRow {
  int64_t edit_id = 0, version = 0;
  std::string source_text, saved_by, saved_at;
};

// A published revision of a page translation (page_revisions) with who made it.
struct RevisionRecord {
  int64_t id = 0;
  std::string source_text, content_hash, updated, recorded, change_note, change_type;
  RevisionPeople people;
};

// A published page translation, as the dashboard's translation check needs it.
struct TranslationState {
  std::string section, slug, lang, source_path, title;
  std::string updated;          // its last announced change (RFC 3339)
  std::string translated_from;  // RFC 3339, "" when not a translation or not given
};

// The states in which an edit can still change or be published; a page file has at most one
// edit in them (the schema's edits_one_open index lists them too).
const std::vector<std::string>& OpenEditStates();

class EditRepository {
 public:
  explicit EditRepository(Store* store) : store_(store) {}
  // Inserts `row` as version 1 saved by `saved_by`; returns its id. An error when the file
  // already has an open edit (see OpenFor).
  Result<int64_t> Insert(const EditRow& row, const std::string& saved_by);
  Result<std::optional<EditRow>> Get(int64_t id);
  // The edit of `source_path` in state draft, submitted, approved or scheduled, if any.
  Result<std::optional<EditRow>> OpenFor(const std::string& source_path);
  // Edits in any of `states` (every edit when empty), newest first, without their texts.
  Result<std::vector<EditRow>> List(const std::vector<std::string>& states);
  // Writes `row` (its id) as version `expected_version` + 1 when the stored version is still
  // `expected_version`; with `written` (a change to the text, type or note, not a step of the
  // workflow) that version is kept with its text, saved by `saved_by`. Returns false, changing
  // nothing, when someone wrote in between.
  Result<bool> Update(const EditRow& row, int64_t expected_version, const std::string& saved_by,
                      const std::string& at, bool written);
  Result<std::optional<EditVersionRow>> Version(int64_t edit_id, int64_t version);
  // Every saved version of the edit, oldest first, without texts.
  Result<std::vector<EditVersionRow>> Versions(int64_t edit_id);
  // Everyone who saved a version of the edit.
  Result<std::vector<std::string>> Writers(int64_t edit_id);
  // Scheduled edits whose time is at or before `now_unix`, oldest time first.
  Result<std::vector<EditRow>> Due(int64_t now_unix);
  // The earliest time any edit is scheduled for (nullopt: none is).
  Result<std::optional<int64_t>> NextDue();
  // The published revisions of the page file `source_path`, newest first, with texts.
  Result<std::vector<RevisionRecord>> Revisions(const std::string& source_path);
  Result<std::optional<RevisionRecord>> Revision(int64_t revision_id);
  // Every published page translation by section, slug and language; list pages (the home
  // page and section indexes) too when `with_index`.
  Result<std::vector<TranslationState>> Translations(bool with_index);

 private:
  Store* store_;
};

struct TokenRow {
  int64_t id = 0;
  std::string user_name, label, created_at, revoked_at;
};

class TokenRepository {
 public:
  explicit TokenRepository(Store* store) : store_(store) {}
  // Keeps a token by its hash (the token itself is never stored); returns its id.
  Result<int64_t> Add(const std::string& user_name, const std::string& token_hash,
                      const std::string& label, const std::string& created_at);
  // The token with `token_hash`, revoked or not.
  Result<std::optional<TokenRow>> FindByHash(const std::string& token_hash);
  Result<std::vector<TokenRow>> List();
  Status Revoke(int64_t id, const std::string& at);

 private:
  Store* store_;
};

}  // namespace clemency
