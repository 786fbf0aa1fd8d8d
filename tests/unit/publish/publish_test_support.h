#pragma once
// Helpers shared by the publish module's tests: the multilingual fixture imported into a store.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "publish/live_site.h"
#include "publish/store_site.h"
#include "support/fixture.h"

namespace clemency::publish_test {

// The multilingual fixture in `dir`/src, its content imported into `dir`/clemency.db.
struct StoredFixture {
  testing::TempDir dir;
  std::unique_ptr<Store> store;
  StoredFixture() {
    std::filesystem::create_directories(dir / "src");
    testing::MakeFixtureSite("multilingual", dir / "src");
    Diagnostics diagnostics;
    REQUIRE(ImportContent(dir / "src", dir / "clemency.db", &diagnostics).ok());
    auto opened = Store::Open(dir / "clemency.db");
    REQUIRE(opened.ok());
    store = std::move(opened).value();
  }
  // A started live of this store into `dir`/public, polling every `poll`.
  std::unique_ptr<LiveSite> StartLiveSite(
      std::chrono::milliseconds poll = std::chrono::milliseconds(1000)) const {
    auto live = std::make_unique<LiveSite>(
        LiveSite::Options{dir / "clemency.db", dir / "src", dir / "public", poll, 2, nullptr, ""});
    REQUIRE(live->Watch().ok());
    REQUIRE(live->Start().ok());
    return live;
  }
};

}  // namespace clemency::publish_test
