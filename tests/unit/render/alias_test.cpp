// A page's `aliases`: its old URLs get a redirect page and a moved marker, stay out of the
// sitemap and feeds, are checked site-wide, and rebuilds give what a full build gives.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "render/manifest.h"
#include "render_test_support.h"

using namespace clemency;
using render_test::CheckEqualsFullBuild;
using render_test::Contains;
using render_test::LoadOrFail;
using testing::Exists;
using testing::ReadFile;

namespace {

// Writes `field` (whole lines) as the first lines of the front matter of `path` in `dir`.
void AddFrontMatter(const std::string& dir, const std::string& path, const std::string& field) {
  std::string text = ReadFile(dir + "/" + path);
  testing::WriteFile(dir + "/" + path, "---\n" + field + text.substr(4));
}

void Build(const std::string& dir) {
  BuildOptions options;
  options.out_dir = dir + "/public";
  REQUIRE(LoadOrFail(dir)->Build(options).ok());
}

std::string LoadProblems(const std::string& dir) {
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), dir, &diagnostics);
  CHECK_FALSE(site);
  return diagnostics.ToString();
}

}  // namespace

TEST_CASE("an alias writes a redirect page in each language to the page, not in sitemap or feeds") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  AddFrontMatter(dir.path(), "content/support/quy.vi.md", "aliases: [quy-cu]\n");
  Build(dir.path());

  const std::string vi = ReadFile(dir / "public/vi/support/quy-cu/index.html");
  CHECK(Contains(vi, "<html lang=\"vi\">"));
  CHECK(Contains(vi, "<meta http-equiv=\"refresh\" content=\"0; url=/vi/support/quy/\">"));
  CHECK(Contains(vi, "<link rel=\"canonical\" href=\"https://"));
  CHECK(Contains(vi, "/vi/support/quy/\">\n"));
  CHECK(Contains(vi, "<meta name=\"robots\" content=\"noindex\">"));
  CHECK(Contains(vi, "Trang này đã chuyển. Mở trang mới: "
                     "<a href=\"/vi/support/quy/\">Quỹ hỗ trợ thử</a>"));
  CHECK_FALSE(Contains(vi, "<script"));
  CHECK(ReadFile(dir / "public/vi/support/quy-cu/.moved") == "/vi/support/quy/");
  // The page has no English file: the English old URL goes to the English URL (the fallback).
  const std::string en = ReadFile(dir / "public/en/support/quy-cu/index.html");
  CHECK(Contains(en, "This page has moved. Open the new page: <a href=\"/en/support/quy/\">"));
  CHECK(ReadFile(dir / "public/en/support/quy-cu/.moved") == "/en/support/quy/");
  CHECK(Exists(dir / "public/vi/support/quy/index.html"));

  CHECK(Contains(ReadFile(dir / "public/sitemap.xml"), "/vi/support/quy/"));
  for (const char* file : {"sitemap.xml", "vi/feed.atom", "vi/support/feed.rss",
                           "vi/support/feed.json", "vi/support/index.html"}) {
    INFO(file);
    CHECK_FALSE(Contains(ReadFile(dir / ("public/" + std::string(file))), "quy-cu"));
  }
}

TEST_CASE("changing aliases and rebuilding, whole or in place, equals a full build") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  const std::string path = "content/support/quy.vi.md";
  const std::string original = ReadFile(dir / path);
  AddFrontMatter(dir.path(), path, "aliases: [quy-cu, quy-xua]\n");
  Build(dir.path());
  CHECK(Exists(dir / "public/km/support/quy-xua/index.html"));

  SECTION("a rebuild of every job") {
    testing::WriteFile(dir / path, original);
    AddFrontMatter(dir.path(), path, "aliases: [quy-cu]\n");
    Build(dir.path());
  }
  SECTION("a partial build of the changed page (as publish and serve do)") {
    auto site = LoadOrFail(dir.path());
    testing::WriteFile(dir / path, original);
    AddFrontMatter(dir.path(), path, "aliases: [quy-cu]\n");
    Diagnostics diagnostics;
    std::set<std::string> keys;
    REQUIRE(render_test::Reload(&site, {path}, &diagnostics, &keys));
    BuildManifest previous = BuildManifest::Load(dir / "public");
    BuildOptions options;
    options.out_dir = dir / "public";
    options.previous_manifest = &previous;
    options.changed_keys = keys;
    auto summary = site->Build(options);
    REQUIRE(summary.ok());
    CHECK(summary->in_place);
  }
  CHECK(Exists(dir / "public/vi/support/quy-cu/index.html"));
  for (const char* gone : {"vi/support/quy-xua/index.html", "km/support/quy-xua/.moved"}) {
    INFO(gone);
    CHECK_FALSE(Exists(dir / ("public/" + std::string(gone))));
  }
  CheckEqualsFullBuild(dir.path());
}

TEST_CASE("an alias may not be another page's slug or another page's alias") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  SECTION("a page's slug") {
    AddFrontMatter(dir.path(), "content/guides/alpha.vi.md", "aliases: [beta]\n");
    CHECK(Contains(LoadProblems(dir.path()),
                   "content/guides/alpha.vi.md:2: aliases: 'beta' is the slug of a page of this "
                   "section (content/guides/beta.<lang>.md)"));
  }
  SECTION("another page's alias") {
    AddFrontMatter(dir.path(), "content/guides/alpha.vi.md", "aliases: [cu]\n");
    AddFrontMatter(dir.path(), "content/guides/beta.vi.md", "aliases: [cu]\n");
    std::string problems = LoadProblems(dir.path());
    CHECK(Contains(problems, ": aliases: 'cu' is already an alias of guides/"));
  }
  SECTION("the same alias in two translations of one page is one old URL") {
    AddFrontMatter(dir.path(), "content/guides/alpha.vi.md", "aliases: [cu]\n");
    AddFrontMatter(dir.path(), "content/guides/alpha.en.md", "aliases: [cu]\n");
    LoadOrFail(dir.path());
  }
}
