#pragma once
// Accounts as a service: everything the command line, the editor API and the admin do with
// accounts, sessions and bearer tokens, each change with its audit entry. Callers never reach
// the account, token or audit repositories themselves.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "accounts/sessions.h"
#include "accounts/signin_limits.h"
#include "core/status.h"
#include "store/edits.h"
#include "store/store.h"
#include "store/users.h"

namespace clemency {

class AccountService {
 public:
  // Where an audit entry goes: serve's editor side records through the editorial workflow's
  // connection (the one that writes); without one it goes to `store`'s audit log.
  using AuditSink = std::function<void(const std::string& actor, const std::string& action,
                                       const std::string& subject, const std::string& detail)>;
  struct Options {
    SessionTable* sessions = nullptr;  // required for sign-in, sign-out and SessionUser
    LoginLimiter* limiter = nullptr;   // required for sign-in and Attacks
    AuditSink audit;                   // none: `store`'s audit log
    std::function<int64_t()> now;      // unix seconds (the system clock when null)
  };
  // REQUIRES: `store` (and the options' pointers) outlive this object; `store` may be used from
  // many threads (the server's read connection) as long as no sink is needed for writes.
  AccountService(Store* store, Options options);
  // The command line's service: no sessions, audit entries to `store`'s log.
  explicit AccountService(Store* store);

  struct SignIn {
    // kBusy: as many passwords as memory allows are being checked; try again in a moment.
    enum class Result { kOk, kRefused, kLimited, kBusy } result = Result::kRefused;
    std::string session_id;   // kOk: a new id (the old session, if any, is ended)
    int64_t retry_after = 0;  // kLimited, kBusy: seconds
  };
  // Signs `name` in from `address` with `password`, limited per account and address (the attempt
  // reserved before the password is checked) and bounded in checks at once. Audited as login or
  // login.failed, and login.limited when a limit starts. `address_label` is what the audit log
  // keeps of the address (its network).
  SignIn SignInWith(const std::string& name, const std::string& password,
                    const std::string& address, const std::string& address_label,
                    const std::string& old_session_id);
  // Ends session `session_id` of `name` (audited as logout); nothing for an empty id.
  void SignOut(const std::string& name, const std::string& session_id);
  // The enabled account of a live session (marked seen now) and the session; an error when there
  // is none. A session whose account was disabled since ends with all of that account's.
  Result<std::pair<UserRow, Session>> SessionUser(const std::string& session_id);
  // The enabled account a live bearer token belongs to; an error otherwise.
  Result<UserRow> TokenUser(const std::string& token);
  // True when `name` is an existing account's name.
  bool IsAccount(const std::string& name) const;
  // Accounts being guessed at now; names that are no account are summed up under the account ""
  // (what was typed is not shown: it may be someone's password).
  std::vector<LoginLimiter::Attack> Attacks() const;

  // Creates the account `name` (see AddUser), recorded as done by `actor`.
  Status CreateUser(const std::string& actor, const std::string& name, const std::string& role,
                    const std::string& password, const std::string& now);
  // Stops `name` from signing in (see DisableUser), recorded as done by `actor`.
  Status DisableUser(const std::string& actor, const std::string& name, const std::string& now);
  // Sets where `name`'s notices go (an e-mail address, "" for none) and their language (one of
  // `languages`, "" for the site's default), recorded as done by `actor`.
  Status SetContact(const std::string& actor, const std::string& name, const std::string& email,
                    const std::string& lang, const std::vector<std::string>& languages);
  // Every account, by name.
  Result<std::vector<UserRow>> ListUsers();
  // A new bearer token for `user` (see CreateToken), shown once, recorded as done by `actor`.
  Result<std::string> CreateToken(const std::string& actor, const std::string& user,
                                  const std::string& label, const std::string& now);
  // Revokes live token `id` (an error when there is none), recorded as done by `actor`.
  Status RevokeToken(const std::string& actor, int64_t id, const std::string& now);
  // Every token (never the token itself: the store has only its hash).
  Result<std::vector<TokenRow>> ListTokens();
  // Records a change made outside the editorial workflow (an import from the command line).
  Status Record(const std::string& actor, const std::string& action, const std::string& subject,
                const std::string& detail);

 private:
  void Audit(const std::string& actor, const std::string& action, const std::string& subject,
             const std::string& detail);
  void AuditFailure(const std::string& name, const std::string& address_label,
                    LoginLimiter::Limit started);
  Store* store_;
  Options options_;
  PasswordCheckGate gate_;
};

}  // namespace clemency
