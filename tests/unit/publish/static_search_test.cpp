// The static search index kept by serve: updated page by page, its files are always the bytes a
// whole index of the same store makes.
#include "publish/static_search.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "config/site_config.h"
#include "core/fs.h"
#include "core/text.h"
#include "publish/publish.h"
#include "render/manifest.h"
#include "publish_test_support.h"

using namespace clemency;
namespace fs = std::filesystem;

namespace {

// Words enough that shards split (over 8 KiB) and merge again as pages come and go.
std::string Words(int seed, int count) {
  static const char* kSyllables[] = {"đơn", "xin", "đặc", "xá", "trại", "giam", "hồ", "sơ",
                                     "gia", "đình", "thăm", "gặp", "luật", "sư", "toà", "án",
                                     "giảm", "án", "tha", "tù"};
  std::string out;
  for (int i = 0; i < count; ++i) {
    const int n = (seed * 7 + i * 13) % 20;
    out += kSyllables[n];
    out += (i % 3 == 0 ? std::to_string(seed * 31 + i) : "");
    out += (i % 11 == 10 ? ".\n\n" : " ");
  }
  return out;
}

struct Indexed : publish_test::StoredFixture {
  SiteConfig config;
  int64_t now = Now(0).unix_seconds;
  Indexed() {
    Diagnostics diagnostics;
    auto loaded = LoadSiteConfig(DiskFileSystem(), dir / "src/site/config.yaml", &diagnostics);
    REQUIRE(loaded.ok());
    config = *loaded;
  }
  // Stores `text` as content/<path> the way `clemency publish` does.
  void Store(const std::string& path, const std::string& text) {
    testing::WriteFile(dir / ("edits/" + path), text);
    auto request = ReadPublishRequest(dir / ("edits/" + path));
    REQUIRE(request.ok());
    request->stored_path = "content/" + path;
    request->note = "Sửa.";
    request->now = Now(420);
    Diagnostics diagnostics;
    auto published = PublishFile(store.get(), dir / "src", *request, &diagnostics);
    INFO(diagnostics.ToString());
    REQUIRE(published.ok());
  }
  void Guide(const std::string& name, const std::string& title, const std::string& body,
             const std::string& date = "2026-02-01") {
    Store("guides/" + name, "---\ntitle: " + title + "\ndate: " + date +
                                "\nreviewed: 2026-02-01\nsources:\n  - title: Hiến pháp 2013\n"
                                "    article: Điều 88\n---\n" + body + "\n");
  }
  void Withdraw(const std::string& slug, const std::string& lang) {
    UnpublishRequest request{"guides", slug, lang, "Không còn đúng.", false, Now(420), "test"};
    Diagnostics diagnostics;
    auto withdrawn = UnpublishPage(store.get(), dir / "src", request, &diagnostics);
    INFO(diagnostics.ToString());
    REQUIRE(withdrawn.ok());
  }
  // Checks `files` (output path -> bytes) are a whole index's of the store at `at`.
  void CheckWhole(const std::map<std::string, std::string>& files, int64_t at) {
    auto whole = StaticSearchOutputs(store.get(), config, at);
    REQUIRE(whole.ok());
    for (const auto& [path, bytes] : *whole) {
      INFO(path);
      auto it = files.find(path);
      REQUIRE(it != files.end());
      CHECK(it->second == bytes);
    }
    for (const auto& [path, bytes] : files) {
      INFO(path);
      CHECK(whole->count(path) == 1);
    }
  }
  void UpdateAndCheck(StaticSearchIndex* index, int64_t at) {
    REQUIRE(index->Update(store.get(), config, at).ok());
    CheckWhole(index->outputs(), at);
    // The hashes a publish's build keys the files by are the bytes' own.
    REQUIRE(index->output_hashes().size() == index->outputs().size());
    for (const auto& [path, bytes] : index->outputs()) {
      INFO(path);
      CHECK(index->output_hashes().at(path) == HashHex(bytes));
    }
  }
};

// Checks the manifest of `dir`/public keys every file of `files` by its bytes, as a whole build
// would: a publish plans only the index files that changed and keeps the others' keys.
void CheckManifestKeys(const std::string& dir, const std::map<std::string, std::string>& files) {
  const BuildManifest manifest = BuildManifest::Load((fs::path(dir) / "public").string());
  for (const auto& [path, bytes] : files) {
    INFO(path);
    CHECK(manifest.KeyOf(path) == "extra:" + HashHex(bytes));
  }
}

// Every file under `dir`/public/search-index, as output paths.
std::map<std::string, std::string> IndexFiles(const std::string& dir) {
  std::map<std::string, std::string> files;
  const fs::path root = fs::path(dir) / "public";
  for (const auto& entry : fs::recursive_directory_iterator(root / "search-index")) {
    if (!entry.is_regular_file() || entry.path().extension() == ".gz") continue;
    files[fs::relative(entry.path(), root).string()] = testing::ReadFile(entry.path());
  }
  return files;
}

}  // namespace

TEST_CASE("the static search index updated page by page is a whole index's bytes") {
  Indexed f;
  auto made = StaticSearchIndex::Make(f.store.get(), f.config, f.now);
  REQUIRE(made.ok());
  StaticSearchIndex index = std::move(made).value();
  f.CheckWhole(index.outputs(), f.now);
  f.UpdateAndCheck(&index, f.now);  // nothing changed

  SECTION("new pages, edited words, each language, withdrawals") {
    // A new page in the middle.
    f.Guide("gamma.vi.md", "Thăm gặp người thân", Words(1, 200) + " quasar.");
    f.UpdateAndCheck(&index, f.now);
    // Words gained and lost.
    f.Guide("alpha.vi.md", "Điều kiện đặc xá mới",
            "## Bước 1: Nộp đơn\n\n" + Words(2, 150) + " quokka.", "2026-01-01");
    f.UpdateAndCheck(&index, f.now);
    // A word gone from the site whose shard has no other change (quokka's).
    f.Guide("gamma.vi.md", "Thăm gặp người thân", Words(1, 200));
    f.UpdateAndCheck(&index, f.now);
    f.Store("guides/beta.en.md",
            "---\ntitle: What special amnesty is\ndate: 2026-02-01\nreviewed: 2026-02-01\n"
            "translation_status: machine-assisted\ntranslated_from: 2026-02-01\nsources:\n"
            "  - title: Constitution 2013\n---\nA petition and a visit to the prison.\n");
    f.Store("guides/beta.km.md",
            "---\ntitle: ការលើកលែងទោសពិសេស\ndate: 2026-02-01\nreviewed: 2026-02-01\n"
            "translation_status: machine-assisted\ntranslated_from: 2026-02-01\nsources:\n"
            "  - title: រដ្ឋធម្មនុញ្ញ\n---\nការលើកលែងទោសពិសេស និងការដោះលែងអ្នកជាប់ពន្ធនាគារ។\n");
    f.UpdateAndCheck(&index, f.now);
    // Many pages in one update: groups split into longer shard keys.
    for (int i = 0; i < 30; ++i) {
      f.Guide("nhieu-" + std::to_string(100 + i) + ".vi.md", "Trang số " + std::to_string(i),
              Words(i + 10, 300));
    }
    f.UpdateAndCheck(&index, f.now);
    // A shard of the words beginning with two characters or more ("th", deeper now that
    // word pairs are indexed too) proves the split, and the group's key list names it.
    auto th = index.outputs().lower_bound("search-index/vi/s7468");
    REQUIRE(th != index.outputs().end());
    CHECK(th->first.rfind("search-index/vi/s7468", 0) == 0);
    CHECK(index.outputs().at("search-index/vi/k74.txt").find("\nth") != std::string::npos);
    // One word's line changes in the last shard of a split group ("ty", after "th" and "tu").
    f.Guide("zy.vi.md", "Năm", "Tỵ.");  // so the word stays when zz loses it
    f.Guide("zz.vi.md", "Tỵ", "Mùa đông.");
    f.UpdateAndCheck(&index, f.now);
    CHECK(index.outputs().count("search-index/vi/s7479.txt") == 1);
    f.Guide("zz.vi.md", "Mùa đông", "Tỵ.");
    f.UpdateAndCheck(&index, f.now);
    f.Guide("nhieu-105.vi.md", "Trang đã sửa", Words(99, 40));
    f.UpdateAndCheck(&index, f.now);
    f.Withdraw("gamma", "vi");  // a page leaves: later pages' numbers move
    f.UpdateAndCheck(&index, f.now);
    for (int i = 0; i < 30; i += 2) f.Withdraw("nhieu-" + std::to_string(100 + i), "vi");
    f.UpdateAndCheck(&index, f.now);  // shards merge again
    f.Withdraw("beta", "km");
    f.UpdateAndCheck(&index, f.now);
  }

  SECTION("a section's title shows in its pages' table entries") {
    f.Store("guides/_index.vi.md", "---\ntitle: Hướng dẫn mới\n---\nCác hướng dẫn.\n");
    f.UpdateAndCheck(&index, f.now);
  }

  SECTION("a page dated later joins when its time comes") {
    const int64_t due = f.now + 3600;
    f.Guide("sau.vi.md", "Trang có sau", Words(5, 50), DateTime{due, 420, true}.ToRfc3339());
    f.UpdateAndCheck(&index, f.now);  // not yet
    f.UpdateAndCheck(&index, due);    // now live, nothing stored since
    f.UpdateAndCheck(&index, f.now);  // a clock set back
  }
}

TEST_CASE("serve's static search index after publishes is a whole index's bytes") {
  Indexed f;
  auto live = f.StartLiveSite();
  REQUIRE(live->RepublishNow().ok());
  f.CheckWhole(IndexFiles(f.dir / ""), Now(0).unix_seconds);
  auto publish = [&](const std::string& path, const std::string& text) {
    testing::WriteFile(f.dir / ("edits/" + path), text);
    auto request = ReadPublishRequest(f.dir / ("edits/" + path));
    REQUIRE(request.ok());
    request->stored_path = "content/" + path;
    request->note = "Sửa.";
    Diagnostics diagnostics;
    auto published = live->Publish(*request, &diagnostics);
    INFO(diagnostics.ToString());
    REQUIRE(published.ok());
    f.CheckWhole(IndexFiles(f.dir / ""), Now(0).unix_seconds);
    CheckManifestKeys(f.dir / "", IndexFiles(f.dir / ""));
  };
  const std::string front = "---\ntitle: Thăm gặp\ndate: 2026-02-01\nreviewed: 2026-02-01\n"
                            "sources:\n  - title: Hiến pháp 2013\n    article: Điều 88\n---\n";
  publish("guides/gamma.vi.md", front + Words(3, 400));
  // Enough publishes that the keys appended to the manifest outgrow it and it is saved whole.
  for (int i = 0; i < 12; ++i) publish("guides/gamma.vi.md", front + Words(7 + i, 60));
  publish("guides/alpha.vi.md", front + "## Bước 1: Nộp đơn\n\n" + Words(4, 100));
  publish("guides/beta.km.md",
          "---\ntitle: ការលើកលែងទោសពិសេស\ndate: 2026-02-01\nreviewed: 2026-02-01\n"
          "translation_status: machine-assisted\ntranslated_from: 2026-02-01\nsources:\n"
          "  - title: រដ្ឋធម្មនុញ្ញ\n---\nការលើកលែងទោសពិសេស និងការដោះលែងអ្នកជាប់ពន្ធនាគារ។\n");
  Diagnostics diagnostics;
  UnpublishRequest withdraw{"guides", "gamma", "vi", "Không còn đúng.", false, Now(420), "test"};
  auto withdrawn = live->Unpublish(withdraw, &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(withdrawn.ok());
  f.CheckWhole(IndexFiles(f.dir / ""), Now(0).unix_seconds);
}

namespace {

// The postings of `word` in `lang`'s shards ("" when no shard holds it).
std::string Postings(const std::map<std::string, std::string>& files, const std::string& lang,
                     const std::string& word) {
  const std::string folder = "search-index/" + lang + "/s";
  for (auto it = files.lower_bound(folder); it != files.end(); ++it) {
    if (it->first.rfind(folder, 0) != 0) break;
    const std::string& text = it->second;
    for (size_t at = 0; at < text.size();) {
      size_t end = text.find('\n', at);
      if (text.compare(at, word.size() + 1, word + " ") == 0) {
        return text.substr(at + word.size() + 1, end - at - word.size() - 1);
      }
      at = end + 1;
    }
  }
  return "";
}

}  // namespace

TEST_CASE("a phrase's adjacent words are indexed as their pair, in their order") {
  Indexed f;
  // Pages 0 and 1 (by slug): "vay vốn" together on pa, apart and reversed on pb.
  f.Guide("pa.vi.md", "Một", "Được vay vốn ngân hàng.");
  f.Guide("pb.vi.md", "Hai", "Vốn nhỏ, vay của người thân.");
  auto made = StaticSearchIndex::Make(f.store.get(), f.config, f.now);
  REQUIRE(made.ok());
  const auto& files = made->outputs();
  const std::string vay = Postings(files, "vi", "vay"), von = Postings(files, "vi", "von");
  CHECK(std::count(vay.begin(), vay.end(), ',') >= 1);  // both pages have both words
  CHECK(std::count(von.begin(), von.end(), ',') >= 1);
  const std::string pair = Postings(files, "vi", "~vay~von");
  REQUIRE(!pair.empty());
  CHECK(pair.find(',') == std::string::npos);  // one page only
  const int first = std::stoi(pair, nullptr, 36) / 4;  // its page number
  CHECK(Postings(files, "vi", "~von~vay").empty());     // the order is kept
  CHECK(!Postings(files, "vi", "~vay~cua").empty());
  // Page `first` is pa, whichever other pages the fixture holds.
  auto table = files.find("search-index/vi/p" + std::to_string(first / 16) + ".json");
  REQUIRE(table != files.end());
  size_t entry = 0;
  for (int i = 0; i <= first % 16; ++i) entry = table->second.find("[\"/vi/", entry + 1);
  CHECK(table->second.compare(entry, 17, "[\"/vi/guides/pa/\"") == 0);
}
