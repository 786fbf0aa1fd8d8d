#pragma once
// Who is signed in to the admin: sessions held in memory (a restart signs everyone out), the
// limit on failed sign-ins, and bearer tokens for automation (kept hashed in the store).
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.h"
#include "store/store.h"
#include "store/users.h"

namespace clemency {

struct Session {
  std::string user;
  std::string csrf;  // sent back with every form and editor API write
  int64_t started = 0, seen = 0;  // unix seconds
};

class SessionTable {
 public:
  struct Limits {
    int64_t idle_seconds = 30 * 60;         // no request for this long ends it
    int64_t absolute_seconds = 12 * 3600;   // however busy, a day's work at most
  };
  SessionTable() = default;
  explicit SessionTable(Limits limits) : limits_(limits) {}
  // Starts a session for `user` under a new random id (so signing in always rotates the id);
  // returns the id, which only the cookie holds (the table keeps its hash).
  std::string Start(const std::string& user, int64_t now);
  // The session with cookie id `id` when it is live (marking it seen at `now`); nullopt when
  // unknown, ended, idle too long or too old (and then it is ended).
  std::optional<Session> Find(const std::string& id, int64_t now);
  // Ends the session (signing out): its id is never accepted again.
  void End(const std::string& id);
  // Ends every session of `user` (an account disabled or its password changed).
  void EndAllFor(const std::string& user);
  size_t size() const;

 private:
  Limits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, Session> sessions_;  // by SecretHash(id)
};

// Failed sign-ins: after `max_failures` within `window_seconds` for one account or one address,
// further attempts for it are refused (HTTP 429) until the oldest failure leaves the window.
class LoginLimiter {
 public:
  LoginLimiter(int max_failures = 10, int64_t window_seconds = 60)
      : max_failures_(max_failures), window_seconds_(window_seconds) {}
  // Seconds to wait before `account` may try again from `address` (0: it may try now).
  int64_t RetryAfter(const std::string& account, const std::string& address, int64_t now);
  void Failed(const std::string& account, const std::string& address, int64_t now);
  // A success clears the account's failures (not the address's: one address may guess at many).
  void Succeeded(const std::string& account);

 private:
  int64_t Wait(std::deque<int64_t>* failures, int64_t now) const;  // REQUIRES: mutex_ held
  int max_failures_;
  int64_t window_seconds_;
  std::mutex mutex_;
  std::map<std::string, std::deque<int64_t>> by_account_, by_address_;
};

// Makes a bearer token for `user` (an enabled account), recorded as done by `actor`; returns the
// token, which is shown once and stored only as a hash.
Result<std::string> CreateToken(Store* store, const std::string& actor, const std::string& user,
                                const std::string& label, const std::string& now);
// The enabled account a live (not revoked) bearer token belongs to; an error otherwise.
Result<UserRow> AuthenticateToken(Store* store, const std::string& token);
// The account `name` when it exists and is not disabled (every request checks it again, so a
// disabled account's session stops working at once).
Result<UserRow> ActiveUser(Store* store, const std::string& name);

}  // namespace clemency
