// The search file a build writes beside public/ (publish/search_index): rewritten whole only
// when site/ or the program changed; otherwise the changed pages' rows, in one transaction. It
// holds search's rows (RowContent::kSearch), not the pages' sources or HTML.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "publish/search_index.h"
#include "render/site.h"
#include "support/fixture.h"

using namespace clemency;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<Site> Load(const fs::path& source) {
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), source.string(), &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(site);
  return site;
}

// `column` of the page `slug` (Vietnamese) as the file at `path` holds it ("" when it has none).
std::string Stored(const fs::path& path, const std::string& column, const std::string& slug) {
  auto store = Store::Open(path.string());
  REQUIRE(store.ok());
  auto stmt = (*store)->Prepare("SELECT " + column +
                                " FROM pages WHERE section = 'guides' AND lang = 'vi' AND slug = ?1");
  REQUIRE(stmt.ok());
  stmt->Bind(1, slug);
  return stmt->Step() ? stmt->Text(0) : "";
}

void SetTitle(const fs::path& path, const std::string& slug, const std::string& title) {
  auto store = Store::Open(path.string());
  REQUIRE(store.ok());
  auto stmt = (*store)->Prepare("UPDATE pages SET title = ?1 WHERE slug = ?2 AND lang = 'vi'");
  REQUIRE(stmt.ok());
  stmt->Bind(1, title).Bind(2, slug);
  REQUIRE(stmt->Run().ok());
}

}  // namespace

TEST_CASE("a rebuild's search file: new rows for changed pages only, whole when site/ changed") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  const fs::path file = dir / "public.search.sqlite";
  REQUIRE(WriteSearchFile(*Load(dir.path()), file.string()).ok());
  REQUIRE(Stored(file, "title", "beta") == "Đặc xá là gì");
  // What search needs, not the page's source or HTML (those are the store's, for serve).
  CHECK(Stored(file, "body_text", "beta").find("Chỉ có tiếng Việt") != std::string::npos);
  CHECK(Stored(file, "source_text", "beta").empty());
  CHECK(Stored(file, "body_html", "beta").empty());

  // alpha changes and beta is deleted: their rows follow.
  testing::WriteFile(dir / "content/guides/alpha.vi.md",
                     testing::ReadFile(dir / "content/guides/alpha.vi.md") +
                         "\nMột câu mới.\n");
  const std::string hash_before = Stored(file, "content_hash", "alpha");
  fs::remove(dir / "content/guides/beta.vi.md");
  REQUIRE(WriteSearchFile(*Load(dir.path()), file.string()).ok());
  CHECK(Stored(file, "content_hash", "alpha") != hash_before);
  CHECK(Stored(file, "body_text", "alpha").find("Một câu mới.") != std::string::npos);
  CHECK(Stored(file, "status", "beta") != "published");

  testing::WriteFile(dir / "content/guides/beta.vi.md",
                     "---\ntitle: Đặc xá là gì\ndate: 2026-02-01\nreviewed: 2026-02-01\n"
                     "sources: [{title: Hiến pháp 2013, article: Điều 88}]\n---\nChỉ có tiếng Việt.");
  // A mark on a stored row shows whether the next write made that row again.
  SetTitle(file, "alpha", "marked");
  REQUIRE(WriteSearchFile(*Load(dir.path()), file.string()).ok());
  CHECK(Stored(file, "status", "beta") == "published");
  CHECK(Stored(file, "title", "alpha") == "marked");  // unchanged text: the stored row stays

  // Anything under site/ may change every row (the base URL of body_html): a new file.
  std::ofstream(dir / "site/i18n/en.yaml", std::ios::app) << "\n# changed\n";
  REQUIRE(WriteSearchFile(*Load(dir.path()), file.string()).ok());
  CHECK(Stored(file, "title", "alpha") != "marked");
  CHECK(Stored(file, "status", "beta") == "published");
}
