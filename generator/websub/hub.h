#pragma once
// serve's WebSub hub (W3C Recommendation, 2018): partners subscribe to a feed of this site and
// are sent the feed whenever a publish changes it.
// - Request(): a subscription or unsubscription (hub.mode, hub.topic, hub.callback,
//   hub.lease_seconds, hub.secret), checked at once (4xx naming the field) and answered 202;
//   its intent is verified later, off the request's thread, by a GET to the callback with
//   hub.challenge, and only then stored (websub_subscriptions, store/subscriptions).
// - Notify(): a publish committed and its files are live. It only wakes the hub: the hub's own
//   threads compare each subscribed feed file with what they last sent and queue one delivery
//   per subscriber of each changed feed, so publishing never waits for a subscriber.
// - Deliveries: a POST of the feed's bytes with Link headers (rel="hub", rel="self") and, when
//   the subscriber gave a secret, X-Hub-Signature: sha256=HMAC(secret, body); a failed one is
//   retried with growing delays, then given up and logged. The queue is bounded: beyond it a
//   task is dropped and logged, never waited for.
// - Denials: when the hub ends a subscription itself (its feed is no longer published, or its
//   secret can no longer be read), it tells the callback with a GET carrying hub.mode=denied and
//   hub.reason, as WebSub asks; a request refused at once gets its 4xx instead.
// - Secrets are stored sealed (accounts/sealed_secrets.h) under a key file beside the store
//   (`key_path`), so a backup of the store alone does not carry them.
// Callbacks on private or loopback addresses are refused (see websub/callback.h) unless
// `allow_private_callbacks` (tests on loopback).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "accounts/sealed_secrets.h"
#include "core/status.h"
#include "store/store.h"

namespace clemency::websub {

struct HubOptions {
  std::string db_path;     // the store (the hub opens a connection of its own)
  std::string key_path;    // the secrets' key file ("": db_path + ".websub-key")
  std::string public_dir;  // where the feeds' files are
  std::string base_url;    // the site's: a topic is base_url + a feed's path
  std::vector<std::string> callback_hosts{};  // allowed callback hosts (empty: any public host)
  bool allow_private_callbacks = false;
  int64_t min_lease_seconds = 3600, max_lease_seconds = 30 * 86400;
  int64_t default_lease_seconds = 10 * 86400;
  size_t queue_limit = 10000;  // verifications and deliveries waiting
  // Subscriptions one callback host may hold, stored or waiting for verification: a partner
  // needs one per feed and endpoint, and one host cannot fill the store or the queue.
  size_t max_per_host = 50;
  // The delay before each retry of a delivery; after the last, the delivery is given up.
  std::vector<std::chrono::milliseconds> retry_delays{
      std::chrono::seconds(1), std::chrono::seconds(5), std::chrono::seconds(30),
      std::chrono::minutes(2), std::chrono::minutes(10)};
  std::chrono::seconds connect_timeout{3}, io_timeout{5};
  int threads = 4;  // deliveries at once: a slow subscriber holds one of them at most io_timeout
  std::function<void(const std::string&)> log;
  std::function<int64_t()> clock;  // unix seconds (none: the system clock)
};

// The hub's answer to a request: 202 (accepted, verification follows) or a 4xx naming the
// request field at fault.
struct HubAnswer {
  int status = 202;
  std::string field, message;
};

class Hub {
 public:
  explicit Hub(HubOptions options);
  ~Hub();
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;
  // Opens the hub's store connection, notes the feeds' present contents and starts its threads.
  Status Start();
  // Stops the threads; queued tasks are dropped.
  void Stop();
  // A subscription request's fields (form-decoded). Returns 202 or a 4xx.
  HubAnswer Request(const std::map<std::string, std::string>& fields);
  // Tells the hub a publish is live; returns at once.
  void Notify();
  // The hub's URL (base_url + paths::kWebSubHub).
  std::string hub_url() const;
  // Returns the hub's counters in Prometheus text format, for serve's /metrics.
  std::string Metrics() const;
  // Returns the tasks waiting (for tests and /metrics).
  size_t pending() const;
  // Returns deliveries sent (2xx), failed for good, and tasks dropped from a full queue.
  struct Counts {
    uint64_t delivered = 0, given_up = 0, dropped = 0;
  };
  Counts counts() const;

 private:
  struct Task;
  void Work();
  void Enqueue(Task task, std::chrono::steady_clock::time_point due);
  void CheckFeeds();
  // Verifies the intent of `task` with the callback, records it, and takes it off verifying_.
  void Verify(const std::shared_ptr<Task>& task);
  // True when the callback echoed the challenge of a GET for `task`; logs why not.
  bool Confirmed(const Task& task);
  // Stores or removes the subscription `task` confirmed. REQUIRES: store_mutex_ held.
  void Record(const Task& task);
  void Deliver(Task task);
  // Removes the subscription of `task`; returns its denial notice with `reason`, to queue.
  // REQUIRES: store_mutex_ held.
  Task End(Task task, const std::string& reason);
  // Sends `task`'s denial notice (one attempt: the subscription is gone either way).
  void Deny(const Task& task);
  // Seals the secrets a store from before sealing holds in plaintext.
  Status SealPlainSecrets();
  // Returns how many subscriptions other than (topic, callback) the callback's `host` holds,
  // stored or waiting for verification.
  size_t HeldBy(const std::string& host, const std::string& topic, const std::string& callback);
  // The feed file of `topic` under public_dir, or "" when topic is not one of this site's feeds.
  std::string FeedFile(const std::string& topic) const;
  int64_t NowUnix() const;
  void Log(const std::string& line) const;

  HubOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SecretSealer> sealer_;
  std::mutex store_mutex_;  // store_ and sent_; taken before mutex_ when both are
  std::map<std::string, std::string> sent_;  // topic -> hash of the content last announced
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<std::chrono::steady_clock::time_point, std::shared_ptr<Task>> queue_;
  std::vector<std::shared_ptr<Task>> verifying_;  // taken off queue_, not yet recorded
  bool notified_ = false, stopping_ = false;
  Counts counts_;
  std::vector<std::thread> threads_;
};

}  // namespace clemency::websub
