#include "store/users.h"

namespace clemency {
namespace {

UserRow ReadUser(const Statement& stmt) {
  return {stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3), stmt.Text(4), stmt.Text(5),
          stmt.Text(6)};
}

}  // namespace

Status UserRepository::Add(const UserRow& user) {
  if (auto existing = Get(user.name); !existing.ok() || existing->has_value()) {
    return existing.ok() ? Status::Error("there is already an account named '" + user.name + "'")
                         : existing.status();
  }
  auto stmt = store_->Prepare(
      "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, user.name).Bind(2, user.role).Bind(3, user.password_hash).Bind(4, user.created_at);
  return stmt->Run();
}

Result<std::vector<UserRow>> UserRepository::List() {
  auto stmt = store_->Prepare(
      "SELECT name, role, password_hash, disabled_at, created_at, email, lang FROM users "
      "ORDER BY name");
  if (!stmt.ok()) return stmt.status();
  std::vector<UserRow> out;
  while (stmt->Step()) {
    out.push_back(ReadUser(stmt.value()));
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

Result<std::optional<UserRow>> UserRepository::Get(const std::string& name) {
  auto stmt = store_->Prepare(
      "SELECT name, role, password_hash, disabled_at, created_at, email, lang FROM users "
      "WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  if (!stmt->Step()) {
    if (!stmt->status().ok()) return stmt->status();
    return std::optional<UserRow>();
  }
  return std::optional<UserRow>(ReadUser(stmt.value()));
}

Status UserRepository::Disable(const std::string& name, const std::string& at) {
  auto user = Get(name);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return Status::Error("no account named '" + name + "'");
  if (!(*user)->disabled_at.empty()) return Status::Error("'" + name + "' is already disabled");
  auto stmt = store_->Prepare("UPDATE users SET disabled_at = ?2 WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name).Bind(2, at);
  return stmt->Run();
}

Status UserRepository::SetContact(const std::string& name, const std::string& email,
                                  const std::string& lang) {
  auto user = Get(name);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return Status::Error("no account named '" + name + "'");
  auto stmt = store_->Prepare("UPDATE users SET email = ?2, lang = ?3 WHERE name = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name).Bind(2, email).Bind(3, lang);
  return stmt->Run();
}

Status AuditLog::Record(const std::string& actor, const std::string& action,
                        const std::string& subject, const std::string& detail) {
  auto stmt = store_->Prepare(
      "INSERT INTO audit_log (actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, actor).Bind(2, action).Bind(3, subject).Bind(4, detail);
  return stmt->Run();
}

Result<bool> AuditLog::Has(const std::string& actor, const std::string& action,
                           const std::string& subject, const std::string& detail) {
  auto stmt = store_->Prepare(
      "SELECT 1 FROM audit_log WHERE actor = ?1 AND action = ?2 AND subject = ?3 AND detail = ?4 "
      "LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, actor).Bind(2, action).Bind(3, subject).Bind(4, detail);
  bool found = stmt->Step();
  if (!stmt->status().ok()) return stmt->status();
  return found;
}

Result<std::vector<AuditRow>> AuditLog::Recent(int limit) {
  auto stmt = store_->Prepare(
      "SELECT at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(limit));
  std::vector<AuditRow> out;
  while (stmt->Step()) {
    out.push_back({stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Text(3), stmt->Text(4)});
  }
  if (!stmt->status().ok()) return stmt->status();
  return out;
}

}  // namespace clemency
