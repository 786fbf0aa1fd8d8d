// The hub against a real subscriber on loopback: secrets sealed at rest, and the denial notice
// when the hub ends a subscription itself.
#include "websub/hub.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

#include "accounts/secrets.h"
#include "store/subscriptions.h"
#include "support/fixture.h"

using namespace clemency;
using namespace clemency::websub;

namespace {

// Waits up to 10 s for `done` to hold; returns whether it did.
bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// A subscriber that confirms every intent and keeps what it was sent.
struct Subscriber {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mutex;
  std::vector<std::string> deliveries, signatures, denials;

  Subscriber() {
    server.Get("/cb", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mutex);
      if (req.get_param_value("hub.mode") == "denied") {
        denials.push_back(req.get_param_value("hub.topic") + " " + req.get_param_value("hub.reason"));
        return;
      }
      res.set_content(req.get_param_value("hub.challenge"), "text/plain");
    });
    server.Post("/cb", [this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard<std::mutex> lock(mutex);
      deliveries.push_back(req.body);
      signatures.push_back(req.get_header_value("X-Hub-Signature"));
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~Subscriber() {
    server.stop();
    thread.join();
  }
  std::string callback() const { return "http://127.0.0.1:" + std::to_string(port) + "/cb"; }
  // Waits up to 10 s for `done` to hold.
  bool WaitFor(const std::function<bool()>& done) {
    return Eventually([&] {
      std::lock_guard<std::mutex> lock(mutex);
      return done();
    });
  }
};

HubOptions Options(const testing::TempDir& dir) {
  HubOptions options;
  options.db_path = dir / "clemency.db";
  options.public_dir = dir / "public";
  options.base_url = "https://example.org";
  options.allow_private_callbacks = true;
  options.retry_delays = {};
  return options;
}

const char* kTopic = "https://example.org/vi/feed.atom";

// Subscribes `subscriber` with `secret` and waits until the subscription is stored.
void Subscribe(Hub& hub, Store* store, Subscriber& subscriber, const std::string& secret) {
  auto answer = hub.Request({{"hub.mode", "subscribe"}, {"hub.topic", kTopic},
                             {"hub.callback", subscriber.callback()}, {"hub.secret", secret}});
  REQUIRE(answer.status == 202);
  const bool stored = Eventually([&] {
    auto active = SubscriptionRepository(store).Active(kTopic, 0);
    return active.ok() && !active->empty();
  });
  if (!stored) FAIL("the subscription was not stored");
}

// A site with one feed, its store, and a subscriber (the hub is made by each test).
struct Site {
  testing::TempDir dir;
  Subscriber subscriber;
  std::unique_ptr<Store> store;
  Site() {
    testing::WriteFile(dir / "public/vi/feed.atom", "<feed>1</feed>");
    auto opened = Store::Open(dir / "clemency.db");
    REQUIRE(opened.ok());
    store = std::move(opened).value();
  }
  // Returns the subscriptions of the feed stored now.
  std::vector<Subscription> Stored() {
    auto stored = SubscriptionRepository(store.get()).Active(kTopic, 0);
    REQUIRE(stored.ok());
    return *stored;
  }
};

}  // namespace

TEST_CASE("websub: a secret is stored sealed, and deliveries are still signed with it") {
  Site site;
  Subscriber& subscriber = site.subscriber;
  Hub hub(Options(site.dir));
  REQUIRE(hub.Start().ok());
  Subscribe(hub, site.store.get(), subscriber, "partner secret");
  CHECK(site.Stored().at(0).secret.rfind("sealed1:", 0) == 0);
  CHECK(site.Stored().at(0).secret.find("partner") == std::string::npos);
  CHECK((std::filesystem::status(site.dir / "clemency.db.websub-key").permissions() &
         std::filesystem::perms::group_all) == std::filesystem::perms::none);

  testing::WriteFile(site.dir / "public/vi/feed.atom", "<feed>2</feed>");
  hub.Notify();
  REQUIRE(subscriber.WaitFor([&] { return !subscriber.deliveries.empty(); }));
  CHECK(subscriber.deliveries[0] == "<feed>2</feed>");
  CHECK(subscriber.signatures[0] == "sha256=" + HmacSha256Hex("partner secret", "<feed>2</feed>"));
}

TEST_CASE("websub: a subscription whose secret cannot be read is ended with a denial notice") {
  Site site;
  Subscriber& subscriber = site.subscriber;
  {
    Hub hub(Options(site.dir));
    REQUIRE(hub.Start().ok());
    Subscribe(hub, site.store.get(), subscriber, "partner secret");
  }
  // The store restored on a machine without the key file: a new key is made, the old box fails.
  std::filesystem::remove(site.dir / "clemency.db.websub-key");
  Hub hub(Options(site.dir));
  REQUIRE(hub.Start().ok());
  testing::WriteFile(site.dir / "public/vi/feed.atom", "<feed>2</feed>");
  hub.Notify();
  REQUIRE(subscriber.WaitFor([&] { return !subscriber.denials.empty(); }));
  CHECK(subscriber.denials[0] ==
        std::string(kTopic) + " the hub can no longer sign for this subscription; please subscribe again");
  CHECK(subscriber.deliveries.empty());  // never sent unsigned
  CHECK(site.Stored().empty());
}

TEST_CASE("websub: a feed no longer published ends its subscriptions with a denial notice") {
  Site site;
  Subscriber& subscriber = site.subscriber;
  Hub hub(Options(site.dir));
  REQUIRE(hub.Start().ok());
  Subscribe(hub, site.store.get(), subscriber, "");
  std::filesystem::remove(site.dir / "public/vi/feed.atom");
  hub.Notify();
  REQUIRE(subscriber.WaitFor([&] { return !subscriber.denials.empty(); }));
  CHECK(subscriber.denials[0] == std::string(kTopic) + " this feed is no longer published");
  CHECK(site.Stored().empty());
}

TEST_CASE("websub: plaintext secrets of an older store are sealed when the hub starts") {
  Site site;
  REQUIRE(SubscriptionRepository(site.store.get())
              .Put({kTopic, "http://127.0.0.1:9/cb", "old secret", 3600, 2000000000, 0})
              .ok());
  Hub hub(Options(site.dir));
  REQUIRE(hub.Start().ok());
  auto sealer = SecretSealer::Open(site.dir / "clemency.db.websub-key");
  REQUIRE(sealer.ok());
  CHECK(sealer->Unseal(site.Stored().at(0).secret).value() == "old secret");
}
