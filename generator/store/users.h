#pragma once
// Editors' accounts and the audit log, as the store keeps them. Passwords arrive hashed (the
// accounts module hashes them); this file holds the SQL only.
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace clemency {

struct UserRow {
  std::string name, role, password_hash;
  std::string disabled_at;  // "" while the account may sign in
  std::string created_at;
  // Where the workflow's notices go ("": none) and their language ("": the site's default).
  std::string email{}, lang{};
};

struct AuditRow {
  std::string at, actor, action, subject, detail;
};

class UserRepository {
 public:
  explicit UserRepository(Store* store) : store_(store) {}
  // Adds `user`; an error when the name is taken.
  Status Add(const UserRow& user);
  // Every account, by name.
  Result<std::vector<UserRow>> List();
  Result<std::optional<UserRow>> Get(const std::string& name);
  // Marks the account disabled at `at`; an error when there is no such (enabled) account.
  Status Disable(const std::string& name, const std::string& at);
  // Sets the account's e-mail address and notice language; an error when there is no such
  // account.
  Status SetContact(const std::string& name, const std::string& email, const std::string& lang);

 private:
  Store* store_;
};

class AuditLog {
 public:
  explicit AuditLog(Store* store) : store_(store) {}
  Status Record(const std::string& actor, const std::string& action, const std::string& subject,
                const std::string& detail = "");
  // The newest `limit` entries, newest first.
  Result<std::vector<AuditRow>> Recent(int limit);
  // Whether an entry with exactly these fields was recorded.
  Result<bool> Has(const std::string& actor, const std::string& action, const std::string& subject,
                   const std::string& detail);

 private:
  Store* store_;
};

}  // namespace clemency
