#include "accounts/accounts.h"

#include <pwquality.h>

#include <cctype>

#include "accounts/password.h"

namespace clemency {

namespace {


// libpwquality passes a few guessable passwords whose letters are a dictionary word followed
// by digits ("password1234" scores 22, "Password1234" 27, "qwertyuiopas" 20) but scores them low;
// passphrases of a few words score 50 and more.
constexpr int kMinimumScore = 40;

bool ContainsName(const std::string& name, const std::string& password) {
  std::string lower = password;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Two-letter names ("an") are inside many good passwords: only the name itself is refused.
  return name.size() < 3 ? lower == name : lower.find(name) != std::string::npos;
}

// libpwquality's verdict (its defaults, not the machine's /etc/security/pwquality.conf, so every
// machine judges alike) with its English reason; "" when it finds nothing wrong.
std::string PwqualityProblem(const std::string& password) {
  pwquality_settings_t* settings = pwquality_default_settings();
  if (!settings) return "libpwquality could not be started";
  pwquality_set_int_value(settings, PWQ_SETTING_MIN_LENGTH, 12);
  void* aux = nullptr;
  // No user name for libpwquality: it refuses any password holding the name's letters, and a
  // two-letter name ("an") is inside many good Vietnamese passwords; ContainsName says it better.
  int score = pwquality_check(settings, password.c_str(), nullptr, nullptr, &aux);
  std::string problem;
  if (score < 0) {
    char buffer[PWQ_MAX_ERROR_MESSAGE_LEN];
    const char* text = pwquality_strerror(buffer, sizeof buffer, score, aux);
    problem = text ? text : "libpwquality refused it";
  } else if (score < kMinimumScore) {
    problem = "libpwquality rates it " + std::to_string(score) + " of 100, at least " +
              std::to_string(kMinimumScore) + " is needed";
  }
  pwquality_free_settings(settings);
  return problem;
}

}  // namespace

const char* PasswordRule() {
  return "A password needs at least 12 characters, must not contain the account's name, and "
         "must not be a dictionary word, a common password or a simple pattern (Debian's "
         "libpwquality judges it); a few words with dashes between them make a good one.";
}

Status CheckNewPassword(const std::string& name, const std::string& password) {
  std::string problem;
  if (password.size() < 12) {
    problem = "it is shorter than 12 characters";
  } else if (ContainsName(name, password)) {
    problem = "it contains the account's name";
  } else {
    problem = PwqualityProblem(password);
  }
  if (problem.empty()) return Status::Ok();
  return Status::Error("the password is refused (" + problem + "). " + PasswordRule());
}


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

Status AddUser(Store* store, const std::string& actor, const std::string& name,
               const std::string& role, const std::string& password, const std::string& now) {
  if (!IsAccountName(name)) {
    return Status::Error("'" + name + "' is not an account name (2 to 64 of a-z, 0-9, . _ -)");
  }
  if (!IsRole(role)) return Status::Error("--role must be editor, publisher or admin, not '" + role + "'");
  if (Status s = CheckNewPassword(name, password); !s.ok()) return s;
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
