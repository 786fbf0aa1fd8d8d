#pragma once
// Who is signed in to the admin: sessions held in memory (a restart signs everyone out), the
// bearer tokens for automation (kept hashed in the store).
#include <cstdint>
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
