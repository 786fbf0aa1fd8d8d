#include "accounts/sessions.h"

#include <algorithm>

#include "accounts/secrets.h"
#include "store/edits.h"

namespace clemency {

std::string SessionTable::Start(const std::string& user, int64_t now) {
  std::string id = RandomSecret();
  Session session{user, RandomSecret(), now, now};
  std::lock_guard<std::mutex> lock(mutex_);
  // Ended and stale sessions leave as others start, so the table does not grow without end.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    bool stale = now - it->second.seen > limits_.idle_seconds ||
                 now - it->second.started > limits_.absolute_seconds;
    it = stale ? sessions_.erase(it) : std::next(it);
  }
  sessions_[SecretHash(id)] = session;
  return id;
}

std::optional<Session> SessionTable::Find(const std::string& id, int64_t now) {
  if (id.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(SecretHash(id));
  if (it == sessions_.end()) return std::nullopt;
  Session& session = it->second;
  if (now - session.seen > limits_.idle_seconds ||
      now - session.started > limits_.absolute_seconds) {
    sessions_.erase(it);
    return std::nullopt;
  }
  session.seen = now;
  return session;
}

void SessionTable::End(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.erase(SecretHash(id));
}

void SessionTable::EndAllFor(const std::string& user) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = it->second.user == user ? sessions_.erase(it) : std::next(it);
  }
}

size_t SessionTable::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

Result<UserRow> ActiveUser(Store* store, const std::string& name) {
  auto user = UserRepository(store).Get(name);
  if (!user.ok()) return user.status();
  if (!user->has_value() || !(*user)->disabled_at.empty()) {
    return Status::Error("the account '" + name + "' may not sign in");
  }
  return std::move(user).value().value();
}

Result<std::string> CreateToken(Store* store, const std::string& actor, const std::string& user,
                                const std::string& label, const std::string& now) {
  auto account = ActiveUser(store, user);
  if (!account.ok()) return account.status();
  std::string token = "clm_" + RandomSecret();
  auto id = TokenRepository(store).Add(user, SecretHash(token), label, now);
  if (!id.ok()) return id.status();
  Status s = AuditLog(store).Record(actor, "token.create", user,
                                    "token #" + std::to_string(*id) + " " + label);
  if (!s.ok()) return s;
  return token;
}

Result<UserRow> AuthenticateToken(Store* store, const std::string& token) {
  auto row = TokenRepository(store).FindByHash(SecretHash(token));
  if (!row.ok()) return row.status();
  if (!row->has_value() || !(*row)->revoked_at.empty()) {
    return Status::Error("the token is not valid");
  }
  return ActiveUser(store, (*row)->user_name);
}

}  // namespace clemency
