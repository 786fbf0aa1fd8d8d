#include "websub/hub.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "accounts/secrets.h"
#include "core/fs.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "http/http.h"
#include "http/static_files.h"
#include "store/subscriptions.h"
#include "websub/callback.h"

namespace clemency::websub {

using Clock = std::chrono::steady_clock;

struct Hub::Task {
  enum Kind { kVerify, kDeliver, kDeny } kind = kVerify;
  std::string mode;  // subscribe or unsubscribe (kVerify)
  std::string topic, callback, secret;
  int64_t lease_seconds = 0;
  std::string body, content_type;  // kDeliver
  std::string reason;              // kDeny
  size_t attempt = 0;
};

namespace {

// `target` with `query` appended to the query it already has.
std::string WithQuery(const std::string& target, const std::string& query) {
  return target + (target.find('?') == std::string::npos ? "?" : "&") + query;
}

// The callback's URL with the verification's query appended to its own.
std::string VerifyTarget(const CallbackUrl& url, const std::string& mode, const std::string& topic,
                         const std::string& challenge, int64_t lease) {
  std::string query = "hub.mode=" + mode + "&hub.topic=" + http::PercentEncode(topic) +
                      "&hub.challenge=" + http::PercentEncode(challenge);
  if (mode == "subscribe") query += "&hub.lease_seconds=" + std::to_string(lease);
  return WithQuery(url.target, query);
}

// A client for `url` connected to `address` (resolved and judged already), never redirected.
std::unique_ptr<httplib::Client> ClientFor(const CallbackUrl& url, const std::string& address,
                                           const HubOptions& options) {
  auto client = std::make_unique<httplib::Client>(url.Origin());
  client->set_hostname_addr_map({{url.host, address}});
  client->set_follow_location(false);
  client->set_url_encode(false);
  client->set_keep_alive(false);
  client->set_connection_timeout(options.connect_timeout);
  client->set_read_timeout(options.io_timeout);
  client->set_write_timeout(options.io_timeout);
  return client;
}

// A callback's URL and a client connected to it. The host is resolved and judged at each contact,
// not only at subscription: a name may point at a private address later.
struct Callback {
  CallbackUrl url;
  std::unique_ptr<httplib::Client> client;
};

// Returns the connected callback, or why it may not be contacted.
Result<Callback> Connect(const std::string& callback, const HubOptions& options) {
  auto url = ParseCallback(callback);
  if (!url.ok()) return url.status();
  auto address = ResolveCallbackHost(url->host, options.allow_private_callbacks);
  if (!address.ok()) return address.status();
  auto client = ClientFor(*url, *address, options);
  return Callback{std::move(url).value(), std::move(client)};
}

}  // namespace

Hub::Hub(HubOptions options) : options_(std::move(options)) {}

Hub::~Hub() { Stop(); }

std::string Hub::hub_url() const { return options_.base_url + paths::kWebSubHub; }

int64_t Hub::NowUnix() const {
  if (options_.clock) return options_.clock();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Hub::Log(const std::string& line) const {
  if (options_.log) options_.log("websub: " + line);
}

Status Hub::Start() {
  auto store = Store::Open(options_.db_path);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  auto sealer = SecretSealer::Open(options_.key_path.empty() ? options_.db_path + ".websub-key"
                                                             : options_.key_path);
  if (!sealer.ok()) return sealer.status();
  sealer_ = std::make_unique<SecretSealer>(std::move(sealer).value());
  if (Status sealed = SealPlainSecrets(); !sealed.ok()) return sealed;
  auto topics = SubscriptionRepository(store_.get()).ActiveTopics(NowUnix());
  if (!topics.ok()) return topics.status();
  for (const auto& topic : *topics) {
    auto text = DiskFileSystem().ReadFile(FeedFile(topic));
    if (text.ok()) sent_[topic] = HashHex(*text);
  }
  for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this] { Work(); });
  return Status::Ok();
}

void Hub::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

void Hub::Notify() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    notified_ = true;
  }
  wake_.notify_one();
}

size_t Hub::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

size_t Hub::HeldBy(const std::string& host, const std::string& topic,
                   const std::string& callback) {
  auto same_host = [&host](const std::string& other) {
    auto url = ParseCallback(other);
    return url.ok() && HostAllowed(url->host, {host});
  };
  size_t held = 0;
  std::lock_guard<std::mutex> store_lock(store_mutex_);  // held throughout: see Verify
  if (!store_) return 0;
  auto pairs = SubscriptionRepository(store_.get()).ActivePairs(NowUnix());
  if (pairs.ok()) {
    for (const auto& [t, c] : *pairs) held += (t != topic || c != callback) && same_host(c);
  }
  auto other_subscribe = [&](const Task& task) {
    return task.kind == Task::kVerify && task.mode == "subscribe" &&
           (task.topic != topic || task.callback != callback) && same_host(task.callback);
  };
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& entry : queue_) held += other_subscribe(*entry.second);
  for (const auto& task : verifying_) held += other_subscribe(*task);
  return held;
}

std::string Hub::Metrics() const {
  const Counts now = counts();
  std::string out =
      "# HELP clemency_websub_deliveries_total Feed pushes to subscribers, by how they ended.\n"
      "# TYPE clemency_websub_deliveries_total counter\n";
  out += "clemency_websub_deliveries_total{outcome=\"delivered\"} " +
         std::to_string(now.delivered) + "\n";
  out += "clemency_websub_deliveries_total{outcome=\"given_up\"} " +
         std::to_string(now.given_up) + "\n";
  out += "# HELP clemency_websub_dropped_total Tasks dropped because the hub's queue was full.\n"
         "# TYPE clemency_websub_dropped_total counter\n";
  out += "clemency_websub_dropped_total " + std::to_string(now.dropped) + "\n";
  out += "# HELP clemency_websub_pending Verifications and deliveries waiting.\n"
         "# TYPE clemency_websub_pending gauge\n";
  out += "clemency_websub_pending " + std::to_string(pending()) + "\n";
  return out;
}

Hub::Counts Hub::counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

std::string Hub::FeedFile(const std::string& topic) const {
  if (topic.compare(0, options_.base_url.size(), options_.base_url) != 0) return "";
  const std::string path = topic.substr(options_.base_url.size());
  if (path.empty() || path[0] != '/' || path.find("..") != std::string::npos ||
      path.find_first_of("?#%\\") != std::string::npos) {
    return "";
  }
  const std::string name = path.substr(path.rfind('/') + 1);
  if (name != "feed.atom" && name != "feed.rss" && name != "feed.json") return "";
  return JoinPath(options_.public_dir, path.substr(1));
}

void Hub::Enqueue(Task task, Clock::time_point due) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= options_.queue_limit) {
      ++counts_.dropped;
      Log("queue full (" + std::to_string(options_.queue_limit) + "): dropped a " +
          (task.kind == Task::kVerify ? "verification" : "delivery") + " for " + task.callback);
      return;
    }
    queue_.emplace(due, std::make_shared<Task>(std::move(task)));
  }
  wake_.notify_one();
}

void Hub::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (notified_) {
      notified_ = false;
      lock.unlock();
      CheckFeeds();
      lock.lock();
      continue;
    }
    if (queue_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = queue_.begin();
    if (first->first > Clock::now()) {
      wake_.wait_until(lock, first->first);
      continue;
    }
    std::shared_ptr<Task> task = first->second;
    queue_.erase(first);
    if (task->kind == Task::kVerify) verifying_.push_back(task);
    lock.unlock();
    if (task->kind == Task::kVerify) {
      Verify(task);
    } else if (task->kind == Task::kDeny) {
      Deny(*task);
    } else {
      Deliver(*task);
    }
    lock.lock();
  }
}

HubAnswer Hub::Request(const std::map<std::string, std::string>& fields) {
  auto field = [&fields](const char* name) {
    auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  };
  auto refuse = [](const char* name, const std::string& message) {
    return HubAnswer{400, name, std::string(name) + " " + message};
  };
  Task task;
  task.mode = field("hub.mode");
  if (task.mode != "subscribe" && task.mode != "unsubscribe") {
    return refuse("hub.mode", "must be subscribe or unsubscribe");
  }
  task.topic = field("hub.topic");
  if (FeedFile(task.topic).empty() || !std::filesystem::is_regular_file(FeedFile(task.topic))) {
    return refuse("hub.topic", "must be one of this site's feeds (" + options_.base_url +
                                   "/<lang>/feed.atom, .rss or .json, or a section's)");
  }
  task.callback = field("hub.callback");
  auto url = ParseCallback(task.callback);
  if (!url.ok()) return refuse("hub.callback", url.status().message());
  if (!HostAllowed(url->host, options_.callback_hosts)) {
    return {403, "hub.callback", "hub.callback: host " + url->host + " is not one this hub may contact"};
  }
  if (auto address = ResolveCallbackHost(url->host, options_.allow_private_callbacks); !address.ok()) {
    return refuse("hub.callback", address.status().message());
  }
  if (task.mode == "subscribe" &&
      HeldBy(url->host, task.topic, task.callback) >= options_.max_per_host) {
    return {403, "hub.callback",
            "hub.callback: host " + url->host + " already holds " +
                std::to_string(options_.max_per_host) +
                " subscriptions, the most one host may; unsubscribe some first"};
  }
  task.secret = field("hub.secret");
  if (task.secret.size() > 200) return refuse("hub.secret", "must be at most 200 bytes");
  task.lease_seconds = options_.default_lease_seconds;
  if (const std::string lease = field("hub.lease_seconds"); !lease.empty()) {
    if (lease.size() > 12 || lease.find_first_not_of("0123456789") != std::string::npos) {
      return refuse("hub.lease_seconds", "must be a whole number of seconds");
    }
    // Bounded, as WebSub lets a hub choose: the verification tells the subscriber the lease.
    task.lease_seconds = std::clamp<int64_t>(std::stoll(lease), options_.min_lease_seconds,
                                             options_.max_lease_seconds);
  }
  Enqueue(std::move(task), Clock::now());
  return {};
}

bool Hub::Confirmed(const Task& task) {
  auto callback = Connect(task.callback, options_);
  if (!callback.ok()) {
    Log("not verified, " + task.callback + ": " + callback.status().message());
    return false;
  }
  const std::string challenge = RandomSecret(24);
  auto res = callback->client->Get(
      VerifyTarget(callback->url, task.mode, task.topic, challenge, task.lease_seconds));
  if (!res || res->status < 200 || res->status > 299 || res->body != challenge) {
    Log(task.mode + " of " + task.topic + " by " + task.callback + " not verified (" +
        (res ? "status " + std::to_string(res->status) : httplib::to_string(res.error())) + ")");
    return false;
  }
  return true;
}

void Hub::Verify(const std::shared_ptr<Task>& task) {
  const bool confirmed = Confirmed(*task);
  // The task leaves verifying_ in the same store lock as its subscription is stored, so HeldBy
  // counts it exactly once at every moment.
  std::lock_guard<std::mutex> lock(store_mutex_);
  if (confirmed) Record(*task);
  std::lock_guard<std::mutex> queue_lock(mutex_);
  verifying_.erase(std::find(verifying_.begin(), verifying_.end(), task));
}

void Hub::Record(const Task& task) {
  SubscriptionRepository subscriptions(store_.get());
  Status s;
  if (task.mode == "unsubscribe") {
    s = subscriptions.Remove(task.topic, task.callback);
  } else {
    const int64_t now = NowUnix();
    const std::string secret = task.secret.empty() ? "" : sealer_->Seal(task.secret);
    s = subscriptions.Put({task.topic, task.callback, secret, task.lease_seconds,
                           now + task.lease_seconds, now});
    if (!sent_.count(task.topic)) {  // what the subscriber has now: the next change is news
      auto text = DiskFileSystem().ReadFile(FeedFile(task.topic));
      if (text.ok()) sent_[task.topic] = HashHex(*text);
    }
  }
  Log(s.ok() ? task.mode + "d " + task.callback + " to " + task.topic
             : "cannot store the " + task.mode + ": " + s.message());
}

void Hub::CheckFeeds() {
  std::vector<Task> tasks;  // deliveries and denials, queued once the store lock is released
  {
    std::lock_guard<std::mutex> lock(store_mutex_);
    SubscriptionRepository subscriptions(store_.get());
    const int64_t now = NowUnix();
    (void)subscriptions.RemoveExpired(now);
    auto topics = subscriptions.ActiveTopics(now);
    if (!topics.ok()) return Log("cannot read subscriptions: " + topics.status().message());
    for (const auto& topic : *topics) {
      const std::string file = FeedFile(topic);
      auto text = DiskFileSystem().ReadFile(file);
      const bool gone = !text.ok() && !std::filesystem::exists(file);
      if (!text.ok() && !gone) continue;  // unreadable for now: try at the next publish
      if (!gone) {
        std::string hash = HashHex(*text);
        if (sent_[topic] == hash) continue;
        sent_[topic] = hash;
      }
      auto active = subscriptions.Active(topic, now);
      if (!active.ok()) continue;
      for (const auto& s : *active) {
        Task task;
        task.topic = topic;
        task.callback = s.callback;
        if (gone) {
          tasks.push_back(End(std::move(task), "this feed is no longer published"));
          continue;
        }
        auto secret = s.secret.empty() ? Result<std::string>(std::string())
                                       : sealer_->Unseal(s.secret);
        if (!secret.ok()) {
          Log("cannot read the secret of " + s.callback + ": " + secret.status().message());
          tasks.push_back(End(std::move(task), "the hub can no longer sign for this "
                                               "subscription; please subscribe again"));
          continue;
        }
        task.kind = Task::kDeliver;
        task.secret = *secret;
        task.body = *text;
        task.content_type = ContentTypeFor(file);
        tasks.push_back(std::move(task));
      }
    }
  }
  for (auto& task : tasks) Enqueue(std::move(task), Clock::now());
}

Hub::Task Hub::End(Task task, const std::string& reason) {
  (void)SubscriptionRepository(store_.get()).Remove(task.topic, task.callback);
  Log("ended " + task.callback + " of " + task.topic + ": " + reason);
  task.kind = Task::kDeny;
  task.reason = reason;
  return task;
}

void Hub::Deny(const Task& task) {
  auto callback = Connect(task.callback, options_);
  if (!callback.ok()) {
    return Log("no denial sent to " + task.callback + ": " + callback.status().message());
  }
  const std::string query = "hub.mode=denied&hub.topic=" + http::PercentEncode(task.topic) +
                            "&hub.reason=" + http::PercentEncode(task.reason);
  auto res = callback->client->Get(WithQuery(callback->url.target, query));
  Log("denial sent to " + task.callback + " (" +
      (res ? "status " + std::to_string(res->status) : httplib::to_string(res.error())) + ")");
}

Status Hub::SealPlainSecrets() {
  std::lock_guard<std::mutex> lock(store_mutex_);
  SubscriptionRepository subscriptions(store_.get());
  auto topics = subscriptions.ActiveTopics(NowUnix());
  if (!topics.ok()) return topics.status();
  for (const auto& topic : *topics) {
    auto active = subscriptions.Active(topic, NowUnix());
    if (!active.ok()) return active.status();
    for (Subscription s : *active) {
      if (s.secret.empty() || SecretSealer::IsSealed(s.secret)) continue;
      s.secret = sealer_->Seal(s.secret);
      if (Status put = subscriptions.Put(s); !put.ok()) return put;
    }
  }
  return Status::Ok();
}

void Hub::Deliver(Task task) {
  auto callback = Connect(task.callback, options_);
  int status = 0;
  std::string why;
  if (callback.ok()) {
    httplib::Headers headers = {
        {"Link", "<" + hub_url() + ">; rel=\"hub\", <" + task.topic + ">; rel=\"self\""}};
    if (!task.secret.empty()) {
      headers.emplace("X-Hub-Signature", "sha256=" + HmacSha256Hex(task.secret, task.body));
    }
    auto res = callback->client->Post(callback->url.target, headers, task.body, task.content_type);
    status = res ? res->status : 0;
    why = res ? "status " + std::to_string(status) : httplib::to_string(res.error());
  } else {
    why = callback.status().message();
  }
  if (status >= 200 && status <= 299) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_.delivered;
    return;
  }
  if (status == 410) {  // the subscriber says it is gone for good
    std::lock_guard<std::mutex> lock(store_mutex_);
    (void)SubscriptionRepository(store_.get()).Remove(task.topic, task.callback);
    return Log("removed " + task.callback + " (410 Gone) from " + task.topic);
  }
  if (task.attempt < options_.retry_delays.size()) {
    auto delay = options_.retry_delays[task.attempt++];
    return Enqueue(std::move(task), Clock::now() + delay);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++counts_.given_up;
  }
  Log("gave up sending " + task.topic + " to " + task.callback + " after " +
      std::to_string(task.attempt + 1) + " attempts (" + why + ")");
}

}  // namespace clemency::websub
