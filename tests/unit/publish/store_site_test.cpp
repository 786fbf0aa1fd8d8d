// The store as the source of record: import, export, support contacts, republishing.
#include "publish/store_site.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "publish_test_support.h"
#include "render/site.h"
#include "support/fixture.h"

using namespace clemency;
namespace fs = std::filesystem;

namespace {

// Every file under `dir`, by relative path, with its bytes.
std::map<std::string, std::string> Tree(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), dir).string()] = testing::ReadFile(entry.path().string());
    }
  }
  return files;
}

void BuildInto(const std::string& source, const std::string& out) {
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), source, &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(site);
  BuildOptions options;
  options.out_dir = out;
  REQUIRE(site->Build(options).ok());
}

// The multilingual fixture in `dir`/src.
void MakeSource(const testing::TempDir& dir) {
  fs::create_directories(dir / "src");
  testing::MakeFixtureSite("multilingual", dir / "src");
}

const char kContacts[] =
    "slug,phone,address,hours,verified,verified_by\nquy,0238 3 123 456,,,2026-11-30,Công an xã\n";

}  // namespace

TEST_CASE("content imported into the store and exported back builds the same site") {
  testing::TempDir dir;
  MakeSource(dir);
  Diagnostics diagnostics;
  auto pages = ImportContent(dir / "src", dir / "var/clemency.db", &diagnostics);
  REQUIRE(pages.ok());
  CHECK(*pages > 5);
  auto store = Store::Open(dir / "var/clemency.db");
  REQUIRE(store.ok());
  REQUIRE(ExportContent(store->get(), dir / "src", dir / "exported").ok());
  CHECK(Tree(dir / "exported/content") == Tree(dir / "src/content"));
  BuildInto(dir / "src", dir / "src/public");
  BuildInto(dir / "exported", dir / "exported/public");
  CHECK(Tree(dir / "exported/public") == Tree(dir / "src/public"));
  // An export never writes into a folder that holds anything.
  Status again = ExportContent(store->get(), dir / "src", dir / "exported");
  CHECK_FALSE(again.ok());
  CHECK(again.message().find("exists and is not an empty folder") != std::string::npos);
}

TEST_CASE("content with a problem is not imported, and the store keeps what it had") {
  publish_test::StoredFixture s;
  const testing::TempDir& dir = s.dir;
  const auto& store = s.store;
  const auto before = PageRepository(store.get()).Count();
  testing::WriteFile(dir / "src/content/guides/alpha.vi.md", "---\ntitle: no closing line\n");
  testing::WriteFile(dir / "src/content/guides/new-page.vi.md", "---\ntitle: T\n---\nText\n");
  Diagnostics problems;
  auto result = ImportContent(dir / "src", dir / "clemency.db", &problems);
  CHECK_FALSE(result.ok());
  CHECK(problems.ToString().find("alpha.vi.md") != std::string::npos);
  CHECK(*PageRepository(store.get()).Count() == *before);
  auto alpha = PageRepository(store.get()).Get("guides", "alpha", "vi");
  REQUIRE((alpha.ok() && alpha->has_value()));
  CHECK((*alpha)->title != "no closing line");
}

TEST_CASE("support contacts go into the store, checked with the whole site") {
  publish_test::StoredFixture s;
  const testing::TempDir& dir = s.dir;
  Store* store = s.store.get();
  Diagnostics diagnostics;
  auto changed = ImportSupportIntoStore(store, dir / "src", "contacts.csv", kContacts,
                                        &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(changed.ok());
  CHECK(*changed == 1);
  auto entry = PageRepository(store).Get("support", "quy", "vi");
  REQUIRE((entry.ok() && entry->has_value()));
  CHECK((*entry)->support->phone == "0238 3 123 456");
  CHECK((*entry)->support->verified_by == "Công an xã");
  CHECK((*entry)->support->services == std::vector<std::string>{"loans", "club"});
  // content/ on disk is not the store: it is left as it was.
  CHECK(testing::ReadFile(dir / "src/content/support/quy.vi.md").find("0238") == std::string::npos);
  // A bad row changes nothing.
  Diagnostics problems;
  auto bad = ImportSupportIntoStore(store, dir / "src", "bad.csv",
                                    "slug,phone,address,hours,verified,verified_by\n"
                                    "none,1,,,2026-11-30,Công an xã\n",
                                    &problems);
  CHECK_FALSE(bad.ok());
  CHECK(problems.ToString().find("bad.csv:2") != std::string::npos);
}

TEST_CASE("a running live rebuilds the output folder when the store changes") {
  publish_test::StoredFixture s;
  const testing::TempDir& dir = s.dir;
  Diagnostics diagnostics;
  auto started = s.StartLiveSite(std::chrono::milliseconds(20));
  LiveSite& live = *started;
  REQUIRE(live.RepublishNow().ok());  // the site as stored
  const std::string page = dir / "public/vi/support/quy/index.html";
  CHECK(testing::ReadFile(page).find("0238 3 123 456") == std::string::npos);
  {  // another connection writes, as `clemency import support` would
    auto writer = Store::Open(dir / "clemency.db");
    REQUIRE(writer.ok());
    REQUIRE(ImportSupportIntoStore(writer->get(), dir / "src", "c.csv", kContacts, &diagnostics)
                .ok());
  }
  for (int i = 0; i < 250 && live.republished() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(live.republished() == 2);
  CHECK(testing::ReadFile(page).find("0238 3 123 456") != std::string::npos);
  live.Stop();
}
