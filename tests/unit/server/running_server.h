#pragma once
// A server on a free loopback port against the multilingual fixture site, built and stored in a
// temporary SQLite file, driven over real HTTP (shared by the server's test files).
#include "server/server.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <set>
#include <thread>

#include "http/http.h"
#include "public_api/public_api.h"
#include "public_api/selfcheck_route.h"
#include "publish/store_site.h"
#include "render/site.h"
#include "support/fixture.h"

namespace clemency::testing {

struct RunningServer {
  testing::TempDir dir;
  std::unique_ptr<Site> site;
  std::unique_ptr<Store> store;
  selfcheck::RuleSet rules;  // the real site's self-check (its routes need no built pages)
  std::thread thread;
  int port = 0;

  // `prepare` may add files to the fixture site before it is loaded.
  explicit RunningServer(const std::function<void(const std::string&)>& prepare = {}) {
    testing::MakeFixtureSite("multilingual", dir.path());
    if (prepare) prepare(dir.path());
    testing::WriteFile(dir / "secret.txt", "outside the site");
    Diagnostics diagnostics;
    site = Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &diagnostics);
    REQUIRE(site);
    auto opened = Store::Open(dir / "clemency.db");
    REQUIRE(opened.ok());
    store = std::move(opened).value();
    REQUIRE(ImportSite(*site, store.get()).ok());
    BuildOptions build;
    build.out_dir = dir / "public";
    auto summary = site->Build(build);
    REQUIRE(summary.ok());
    ServerOptions options;
    options.public_dir = dir / "public";
    options.port = 0;
    options.config = &site->config();
    options.store = store.get();
    auto loaded = selfcheck::LoadRuleSet(DiskFileSystem(),
                                         std::string(CLEMENCY_SOURCE_DIR) + "/site/selfcheck",
                                         site->config(), &diagnostics);
    REQUIRE(loaded.ok());
    rules = std::move(loaded).value();
    options.selfcheck = &rules;
    options.build.built = true;
    options.build.pages_per_language = summary->pages_per_language;
    options.log_requests = false;
    std::atomic<int> bound{0};
    options.on_listening = [&bound](int p) { bound = p; };
    thread = std::thread([options]() { Serve(options); });
    for (int i = 0; i < 500 && bound == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    port = bound;
    REQUIRE(port > 0);
  }
  ~RunningServer() {
    RequestStop();
    thread.join();
  }
  httplib::Client Client() const {
    httplib::Client client("127.0.0.1", port);
    client.set_decompress(false);
    return client;
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) const {
    return Client().Get(path.c_str(), headers);
  }
};

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace clemency::testing
