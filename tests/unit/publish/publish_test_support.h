#pragma once
// Helpers shared by the publish module's tests: the multilingual fixture imported into a store.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "publish/republisher.h"
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
  // A started republisher of this store into `dir`/public, polling every `poll`.
  std::unique_ptr<Republisher> StartRepublisher(
      std::chrono::milliseconds poll = std::chrono::milliseconds(1000)) const {
    auto republisher = std::make_unique<Republisher>(
        Republisher::Options{dir / "clemency.db", dir / "src", dir / "public", poll, 2, nullptr, ""});
    REQUIRE(republisher->Watch().ok());
    REQUIRE(republisher->Start().ok());
    return republisher;
  }
};

}  // namespace clemency::publish_test
