#include "editorial/workflow.h"

#include <algorithm>
#include <cstdlib>

#include "content/page_file.h"
#include "editorial/edit_rules.h"
#include "editorial/review.h"

namespace clemency {
std::string Subject(const EditRow& edit) {
  return "#" + std::to_string(edit.id) + " " + edit.source_path;
}

bool IsOpenState(const std::string& state) {
  const auto& open = OpenEditStates();
  return std::find(open.begin(), open.end(), state) != open.end();
}

int64_t VersionInETag(const std::string& if_match, int64_t id) {
  std::string tag = if_match;
  if (tag.rfind("W/", 0) == 0) tag = tag.substr(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') tag = tag.substr(1, tag.size() - 2);
  const std::string prefix = "e" + std::to_string(id) + ".";
  if (tag.rfind(prefix, 0) != 0 || tag.size() == prefix.size()) return -1;
  char* end = nullptr;
  long long version = std::strtoll(tag.c_str() + prefix.size(), &end, 10);
  return *end == '\0' && version > 0 ? version : -1;
}

Refusal Refuse(int status, std::string message, std::string key,
               std::map<std::string, std::string> args) {
  Refusal refusal;
  refusal.status = status;
  refusal.message = std::move(message);
  refusal.key = std::move(key);
  refusal.args = std::move(args);
  return refusal;
}

std::string MergeDetail(int64_t version) { return "version " + std::to_string(version); }

Refusal StoreFailure(const Status& status) { return Refuse(500, status.message()); }

bool May(const std::string& role, Permission permission) {
  if (role == "admin") return true;
  if (role == "publisher") return permission != Permission::kManageUsers;
  return role == "editor" && permission == Permission::kEdit;
}

std::string EditETag(const EditRow& edit) {
  return "\"e" + std::to_string(edit.id) + "." + std::to_string(edit.version) + "\"";
}

Workflow::Workflow(std::unique_ptr<Store> store, ContentPort* port, Options options)
    : store_(std::move(store)), port_(port), options_(std::move(options)) {
  if (!options_.now) options_.now = [] { return clemency::Now(0); };
}

std::string Workflow::Now() const { return options_.now().ToRfc3339(); }

void Workflow::Audit(const std::string& actor, const std::string& action,
                     const std::string& subject, const std::string& detail) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  AuditLog(store_.get()).Record(actor, action, subject, detail);
}

Outcome<std::vector<AuditRow>> Workflow::RecentAudit(int limit) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto rows = AuditLog(store_.get()).Recent(limit);
  if (!rows.ok()) return StoreFailure(rows.status());
  return std::move(rows).value();
}

Outcome<EditRow> Workflow::Get(int64_t id) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto edit = EditRepository(store_.get()).Get(id);
  if (!edit.ok()) return StoreFailure(edit.status());
  if (!edit->has_value()) return Refuse(404, "no edit #" + std::to_string(id), "no_edit", {{"id", std::to_string(id)}});
  return std::move(edit).value().value();
}

Outcome<std::optional<EditRow>> Workflow::OpenFor(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto edit = EditRepository(store_.get()).OpenFor(path);
  if (!edit.ok()) return StoreFailure(edit.status());
  return std::move(edit).value();
}

Outcome<EditRow> Workflow::Load(int64_t id, const std::string& if_match, bool* stale) {
  auto edit = Get(id);
  if (!edit.ok()) return edit;
  if (if_match.empty()) return Refuse(428, "send If-Match with the ETag of the version you edited", "if_match");
  int64_t version = VersionInETag(if_match, id);
  if (version <= 0 || version > edit->version) {
    return Refuse(412, "If-Match does not name a version of edit #" + std::to_string(id), "if_match");
  }
  *stale = version != edit->version;
  return edit;
}

Refusal Workflow::Stale(const EditRow& current, int64_t mine_version, const std::string& mine_text) {
  Refusal refusal =
      Refuse(412, "someone saved this edit after the version you had; compare them", "stale");
  refusal.current = current;
  refusal.mine = mine_text;
  auto base = EditRepository(store_.get()).Version(current.id, mine_version);
  if (base.ok() && base->has_value()) {
    refusal.merge = OfferMerge((*base)->source_text, mine_text, current.source_text);
  }
  return refusal;
}

Outcome<EditRow> Workflow::Write(const Actor& actor, EditRow edit, int64_t expected,
                                 const std::string& action, const std::string& detail,
                                 bool written) {
  edit.updated_at = Now();
  auto stored =
      EditRepository(store_.get()).Update(edit, expected, actor.name, edit.updated_at, written);
  if (!stored.ok()) return StoreFailure(stored.status());
  if (!*stored) {
    auto current = Get(edit.id);
    if (!current.ok()) return current;
    return Stale(current.value(), expected, edit.source_text);
  }
  AuditLog(store_.get()).Record(actor.name, action, Subject(edit), detail);
  return Get(edit.id);
}

}  // namespace clemency
