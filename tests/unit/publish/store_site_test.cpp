// The store as the source of record: import, export, support contacts, republishing.
#include "publish/store_site.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "publish/media_files.h"
#include "publish_test_support.h"
#include "store/media.h"
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

namespace {

// An image of the library as an upload leaves it: its record and three copies (bytes stand in
// for the encoded files, which nothing here decodes).
void StoreImage(Store* store) {
  MediaRow row;
  row.hash = "abcd";
  row.path = "/media/abcd-1000x500.png";
  row.width = 1000;
  row.height = 500;
  row.alt = {{"vi", "Ảnh thử"}, {"en", "A test image"}};
  row.alt_search = "anh thu a test image";
  row.caption = "Chú thích";
  row.credit = "Bộ Tư pháp";
  row.consent_basis = "no-person";
  row.uploaded_by = "lan";
  row.uploaded_at = "2026-12-01T09:00:00+07:00";
  REQUIRE(MediaRepository(store)
              .Insert(row, {{"/media/abcd-1000x500.png", "full"},
                            {"/media/abcd-960x480.png", "960"},
                            {"/media/abcd-480x240.png", "480"}})
              .ok());
}

}  // namespace

TEST_CASE("a library image a page shows goes out with every copy; export and import carry it") {
  publish_test::StoredFixture s;
  const testing::TempDir& dir = s.dir;
  StoreImage(s.store.get());
  const std::string page = dir / "src/content/guides/beta.vi.md";
  const std::string text = testing::ReadFile(page);
  {
    // Not stored: refused at its file and line, never a broken image.
    testing::WriteFile(page, text + "\n![Không có](/media/ffff-100x100.png)\n");
    Diagnostics problems;
    CHECK_FALSE(ImportContent(dir / "src", dir / "clemency.db", &problems).ok());
    CHECK(problems.ToString().find("beta.vi.md:12: body: image '/media/ffff-100x100.png'") !=
          std::string::npos);
  }
  testing::WriteFile(page, text + "\n![Ảnh thử](/media/abcd-1000x500.png)\n");
  Diagnostics diagnostics;
  REQUIRE(ImportContent(dir / "src", dir / "clemency.db", &diagnostics).ok());
  auto site = LoadStoredSite(s.store.get(), dir / "src", &diagnostics);
  REQUIRE(site.ok());
  INFO(diagnostics.ToString());
  REQUIRE(*site);
  auto outputs = StoredMediaOutputs(**site, s.store.get());
  REQUIRE(outputs.ok());
  CHECK(*outputs == std::map<std::string, std::string>{{"media/abcd-1000x500.png", "full"},
                                                       {"media/abcd-480x240.png", "480"},
                                                       {"media/abcd-960x480.png", "960"}});

  REQUIRE(ExportContent(s.store.get(), dir / "src", dir / "exported").ok());
  CHECK(testing::ReadFile(dir / "exported/media/abcd-480x240.png") == "480");
  CHECK(FolderMedia(dir / "exported")->files.size() == 3);
  // A new store made from the export has the image with its record.
  Diagnostics again;
  REQUIRE(ImportContent(dir / "exported", dir / "new.db", &again).ok());
  auto fresh = Store::Open(dir / "new.db");
  REQUIRE(fresh.ok());
  auto row = MediaRepository(fresh->get()).FindByHash("abcd");
  REQUIRE(row.ok());
  REQUIRE(row->has_value());
  CHECK((*row)->alt.at("vi") == "Ảnh thử");
  CHECK((*row)->credit == "Bộ Tư pháp");
  CHECK((*row)->consent_basis == "no-person");
  auto bytes = MediaRepository(fresh->get()).FileBytes("/media/abcd-960x480.png");
  REQUIRE(bytes.ok());
  CHECK(bytes->value_or("") == "960");
}
