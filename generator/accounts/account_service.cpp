#include "accounts/account_service.h"

#include <algorithm>
#include <ctime>

#include "accounts/accounts.h"

namespace clemency {
namespace {

// Password checks at once: each holds Argon2id's 256 MiB for about a second, so serve's memory
// under any sign-in load stays within this (one check at a time with libsodium's moderate cost).
constexpr size_t kPasswordMemoryBudget = 288u << 20;
// Beyond the checks running, a few sign-ins wait briefly for their turn; the rest are told to
// come back at once, so neither threads nor memory pile up.
constexpr int kPasswordWaiting = 4;
constexpr int64_t kPasswordWaitMs = 3000;
constexpr int64_t kBusyRetrySeconds = 2;

}  // namespace

AccountService::AccountService(Store* store, Options options)
    : store_(store),
      options_(std::move(options)),
      gate_(PasswordCheckGate::SlotsWithin(kPasswordMemoryBudget), kPasswordWaiting,
            kPasswordWaitMs) {
  if (!options_.now) options_.now = [] { return static_cast<int64_t>(std::time(nullptr)); };
}

AccountService::AccountService(Store* store) : AccountService(store, Options()) {}

void AccountService::Audit(const std::string& actor, const std::string& action,
                           const std::string& subject, const std::string& detail) {
  if (options_.audit) return options_.audit(actor, action, subject, detail);
  AuditLog(store_).Record(actor, action, subject, detail);
}

Status AccountService::Record(const std::string& actor, const std::string& action,
                              const std::string& subject, const std::string& detail) {
  if (!options_.audit) return AuditLog(store_).Record(actor, action, subject, detail);
  options_.audit(actor, action, subject, detail);
  return Status::Ok();
}

AccountService::SignIn AccountService::SignInWith(const std::string& name,
                                                  const std::string& password,
                                                  const std::string& address,
                                                  const std::string& address_label,
                                                  const std::string& old_session_id) {
  SignIn out;
  const int64_t now = options_.now();
  LoginLimiter::Decision decision = options_.limiter->Reserve(name, address, now);
  if (decision.retry_after > 0) {
    out.result = SignIn::Result::kLimited;
    out.retry_after = decision.retry_after;
    return out;
  }
  if (!gate_.Enter()) {
    options_.limiter->Release(name, address, now);
    out.result = SignIn::Result::kBusy;
    out.retry_after = kBusyRetrySeconds;
    return out;
  }
  auto user = Authenticate(store_, name, password);
  gate_.Leave();
  if (!user.ok()) {
    AuditFailure(name, address_label, decision.started);
    out.result = SignIn::Result::kRefused;
    return out;
  }
  options_.limiter->Succeeded(user->name, address, now);
  if (!old_session_id.empty()) options_.sessions->End(old_session_id);
  out.session_id = options_.sessions->Start(user->name, now);
  Audit(user->name, "login", user->name, "from " + address_label);
  out.result = SignIn::Result::kOk;
  return out;
}

bool AccountService::IsAccount(const std::string& name) const {
  if (!IsAccountName(name)) return false;
  auto known = UserRepository(store_).Get(name);
  return known.ok() && known->has_value();
}

void AccountService::AuditFailure(const std::string& name, const std::string& address_label,
                                  LoginLimiter::Limit started) {
  // The name typed is recorded only when it is an account's: a password typed into the name
  // field by mistake must not reach the audit log.
  const bool account = IsAccount(name);
  const std::string actor = account ? name : "-";
  const std::string subject = account ? name : "(no such account)";
  const std::string from = "from " + address_label;
  Audit(actor, "login.failed", subject, from);
  const LoginRules& rules = options_.limiter->rules();
  const std::string window = " in " + std::to_string(rules.window_seconds / 60) + " minutes";
  switch (started) {
    case LoginLimiter::Limit::kNone:
      return;
    case LoginLimiter::Limit::kPair:
      return Audit(actor, "login.limited", subject,
                   from + ": " + std::to_string(rules.pair_failures) +
                       " failed sign-ins for this account" + window + "; this address must wait");
    case LoginLimiter::Limit::kAddress:
      return Audit(actor, "login.limited", subject,
                   from + ": " + std::to_string(rules.address_failures) +
                       " failed sign-ins at any accounts" + window + "; this address must wait");
    case LoginLimiter::Limit::kAccount:
      return Audit(actor, "login.limited", subject,
                   std::to_string(rules.account_failures) + " failed sign-ins" + window +
                       ", the last " + from +
                       "; the account is slowed down: one check every " +
                       std::to_string(rules.slow_seconds) +
                       " s from addresses it has not signed in from");
  }
}

std::vector<LoginLimiter::Attack> AccountService::Attacks() const {
  std::vector<LoginLimiter::Attack> out;
  LoginLimiter::Attack unknown;
  for (LoginLimiter::Attack& attack : options_.limiter->Attacks(options_.now())) {
    if (IsAccount(attack.account)) {
      out.push_back(std::move(attack));
      continue;
    }
    unknown.failures += attack.failures;
    unknown.addresses += attack.addresses;  // an address may count twice here: an upper bound
  }
  if (unknown.failures > 0) out.push_back(unknown);
  return out;
}

void AccountService::SignOut(const std::string& name, const std::string& session_id) {
  if (session_id.empty()) return;
  options_.sessions->End(session_id);
  Audit(name, "logout", name, "");
}

Result<std::pair<UserRow, Session>> AccountService::SessionUser(const std::string& session_id) {
  std::optional<Session> session = options_.sessions->Find(session_id, options_.now());
  if (!session) return Status::Error("no live session");
  auto user = ActiveUser(store_, session->user);
  if (!user.ok()) {
    // Disabled (or gone) since signing in: every session of the account stops now.
    options_.sessions->EndAllFor(session->user);
    return user.status();
  }
  return std::make_pair(std::move(user).value(), std::move(*session));
}

Result<UserRow> AccountService::TokenUser(const std::string& token) {
  return AuthenticateToken(store_, token);
}

Status AccountService::CreateUser(const std::string& actor, const std::string& name,
                                  const std::string& role, const std::string& password,
                                  const std::string& now) {
  return AddUser(store_, actor, name, role, password, now);
}

Status AccountService::DisableUser(const std::string& actor, const std::string& name,
                                   const std::string& now) {
  return ::clemency::DisableUser(store_, actor, name, now);
}

Status AccountService::SetContact(const std::string& actor, const std::string& name,
                                  const std::string& email, const std::string& lang,
                                  const std::vector<std::string>& languages) {
  // One address, nothing a mail header or a command line could read as more.
  const bool plain = email.find_first_of(" \t\r\n,;<>\"'") == std::string::npos;
  const size_t at = email.find('@');
  if (!email.empty() && (!plain || at == 0 || at == std::string::npos || at + 1 == email.size() ||
                         email[0] == '-')) {
    return Status::Error("'" + email + "' is not an e-mail address");
  }
  if (!lang.empty() && std::find(languages.begin(), languages.end(), lang) == languages.end()) {
    return Status::Error("--lang must be one of the site's languages, not '" + lang + "'");
  }
  if (Status s = store_->Begin(); !s.ok()) return s;
  Status s = UserRepository(store_).SetContact(name, email, lang);
  if (s.ok()) s = AuditLog(store_).Record(actor, "user.contact", name, email.empty() ? "no e-mail" : "e-mail set");
  if (s.ok()) return store_->Commit();
  store_->Rollback();
  return s;
}

Result<std::vector<UserRow>> AccountService::ListUsers() { return UserRepository(store_).List(); }

Result<std::string> AccountService::CreateToken(const std::string& actor, const std::string& user,
                                                const std::string& label, const std::string& now) {
  return ::clemency::CreateToken(store_, actor, user, label, now);
}

Status AccountService::RevokeToken(const std::string& actor, int64_t id, const std::string& now) {
  auto tokens = TokenRepository(store_).List();
  if (!tokens.ok()) return tokens.status();
  bool live = std::any_of(tokens->begin(), tokens->end(),
                          [id](const TokenRow& t) { return t.id == id && t.revoked_at.empty(); });
  const std::string number = "#" + std::to_string(id);
  if (!live) return Status::Error("no live token " + number);
  if (Status s = TokenRepository(store_).Revoke(id, now); !s.ok()) return s;
  return Record(actor, "token.revoke", number, "");
}

Result<std::vector<TokenRow>> AccountService::ListTokens() { return TokenRepository(store_).List(); }

}  // namespace clemency
