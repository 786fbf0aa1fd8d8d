#include "store/subscriptions.h"

namespace clemency {

Status SubscriptionRepository::Put(const Subscription& s) {
  auto stmt = store_->Prepare(
      "INSERT INTO websub_subscriptions (topic, callback, secret, lease_seconds, expires_unix, "
      "verified_unix) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (topic, callback) DO UPDATE SET "
      "secret = excluded.secret, lease_seconds = excluded.lease_seconds, "
      "expires_unix = excluded.expires_unix, verified_unix = excluded.verified_unix");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, s.topic)
      .Bind(2, s.callback)
      .Bind(3, s.secret)
      .Bind(4, s.lease_seconds)
      .Bind(5, s.expires_unix)
      .Bind(6, s.verified_unix)
      .Run();
}

Status SubscriptionRepository::Remove(const std::string& topic, const std::string& callback) {
  auto stmt =
      store_->Prepare("DELETE FROM websub_subscriptions WHERE topic = ? AND callback = ?");
  if (!stmt.ok()) return stmt.status();
  return stmt->Bind(1, topic).Bind(2, callback).Run();
}

Result<std::vector<Subscription>> SubscriptionRepository::Active(const std::string& topic,
                                                                 int64_t now_unix) {
  auto stmt = store_->Prepare(
      "SELECT topic, callback, secret, lease_seconds, expires_unix, verified_unix "
      "FROM websub_subscriptions WHERE topic = ? AND expires_unix > ? ORDER BY callback");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, topic).Bind(2, now_unix);
  std::vector<Subscription> found;
  while (stmt->Step()) {
    found.push_back({stmt->Text(0), stmt->Text(1), stmt->Text(2), stmt->Int(3), stmt->Int(4),
                     stmt->Int(5)});
  }
  if (!stmt->status().ok()) return stmt->status();
  return found;
}

Result<std::vector<std::pair<std::string, std::string>>> SubscriptionRepository::ActivePairs(
    int64_t now_unix) {
  auto stmt = store_->Prepare(
      "SELECT topic, callback FROM websub_subscriptions WHERE expires_unix > ? ORDER BY callback");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, now_unix);
  std::vector<std::pair<std::string, std::string>> pairs;
  while (stmt->Step()) pairs.emplace_back(stmt->Text(0), stmt->Text(1));
  if (!stmt->status().ok()) return stmt->status();
  return pairs;
}

Result<std::vector<std::string>> SubscriptionRepository::ActiveTopics(int64_t now_unix) {
  auto stmt = store_->Prepare(
      "SELECT DISTINCT topic FROM websub_subscriptions WHERE expires_unix > ? ORDER BY topic");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, now_unix);
  std::vector<std::string> topics;
  while (stmt->Step()) topics.push_back(stmt->Text(0));
  if (!stmt->status().ok()) return stmt->status();
  return topics;
}

Result<int64_t> SubscriptionRepository::RemoveExpired(int64_t now_unix) {
  auto stmt = store_->Prepare("DELETE FROM websub_subscriptions WHERE expires_unix <= ?");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, now_unix);
  if (Status s = stmt->Run(); !s.ok()) return s;
  auto count = store_->Prepare("SELECT changes()");
  if (!count.ok() || !count->Step()) return int64_t{0};
  return count->Int(0);
}

}  // namespace clemency
