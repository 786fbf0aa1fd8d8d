#include "accounts/accounts.h"

#include "accounts/password.h"

namespace clemency {

bool IsAccountName(const std::string& name) {
  if (name.size() < 2 || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '-';
    if (!ok) return false;
  }
  return true;
}

bool IsRole(const std::string& role) {
  return role == "editor" || role == "publisher" || role == "admin";
}

std::string PasswordProblem(const std::string& name, const std::string& password) {
  if (password.size() < 12) return "a password needs at least 12 characters";
  if (password == name) return "a password may not be the account's name";
  return "";
}

Status AddUser(Store* store, const std::string& actor, const std::string& name,
               const std::string& role, const std::string& password, const std::string& now) {
  if (!IsAccountName(name)) {
    return Status::Error("'" + name + "' is not an account name (2 to 64 of a-z, 0-9, . _ -)");
  }
  if (!IsRole(role)) return Status::Error("--role must be editor, publisher or admin, not '" + role + "'");
  if (std::string problem = PasswordProblem(name, password); !problem.empty()) {
    return Status::Error(problem);
  }
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  if (Status s = store->Begin(); !s.ok()) return s;
  Status s = UserRepository(store).Add({name, role, *hash, "", now});
  if (s.ok()) s = AuditLog(store).Record(actor, "user.add", name, "role " + role);
  if (s.ok()) return store->Commit();
  store->Rollback();
  return s;
}

Status DisableUser(Store* store, const std::string& actor, const std::string& name,
                   const std::string& now) {
  if (Status s = store->Begin(); !s.ok()) return s;
  Status s = UserRepository(store).Disable(name, now);
  if (s.ok()) s = AuditLog(store).Record(actor, "user.disable", name);
  if (s.ok()) return store->Commit();
  store->Rollback();
  return s;
}

Result<UserRow> Authenticate(Store* store, const std::string& name, const std::string& password) {
  auto user = UserRepository(store).Get(name);
  if (!user.ok()) return user.status();
  // A missing account costs a hash too, so the answer's time does not tell which names exist.
  static const std::string kDummy = [] {
    auto dummy = HashPassword("not a password of anyone");
    return dummy.ok() ? *dummy : std::string();
  }();
  const std::string& hash = user->has_value() ? (*user)->password_hash : kDummy;
  const bool matches = VerifyPassword(hash, password);
  if (!user->has_value() || !matches || !(*user)->disabled_at.empty()) {
    return Status::Error("wrong name or password, or the account is disabled");
  }
  return **user;
}

}  // namespace clemency
