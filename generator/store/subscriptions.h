#pragma once
// WebSub subscriptions of serve's hub (migration 12): who is told when a feed changes.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace clemency {

// One verified subscription: `callback` is sent `topic`'s content whenever it changes, until
// `expires_unix`; a non-empty `secret` signs each delivery.
struct Subscription {
  std::string topic, callback, secret;
  int64_t lease_seconds = 0, expires_unix = 0, verified_unix = 0;
};

class SubscriptionRepository {
 public:
  explicit SubscriptionRepository(Store* store) : store_(store) {}
  // Stores `subscription`, replacing the one of the same topic and callback (a renewal).
  Status Put(const Subscription& subscription);
  // Removes topic's subscription of `callback` (none: nothing to do).
  Status Remove(const std::string& topic, const std::string& callback);
  // Returns the subscriptions of `topic` whose lease has not ended at `now_unix`.
  Result<std::vector<Subscription>> Active(const std::string& topic, int64_t now_unix);
  // Returns the callback of every subscription whose lease has not ended at `now_unix`, with
  // its topic: (topic, callback) pairs.
  Result<std::vector<std::pair<std::string, std::string>>> ActivePairs(int64_t now_unix);
  // Returns the topics that have a subscription whose lease has not ended at `now_unix`.
  Result<std::vector<std::string>> ActiveTopics(int64_t now_unix);
  // Removes the subscriptions whose lease ended before `now_unix`; returns how many.
  Result<int64_t> RemoveExpired(int64_t now_unix);

 private:
  Store* store_;
};

}  // namespace clemency
