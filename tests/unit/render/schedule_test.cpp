// Scheduled pages: a page dated later than the site's now() is checked but not shown, listed,
// linked, or in any feed or the sitemap until its time; links to it from pages shown earlier are
// errors.
#include <catch2/catch.hpp>
#include <filesystem>

#include "render/manifest.h"
#include "render_test_support.h"

using namespace clemency;
using render_test::Contains;
using render_test::LoadOrFail;
using testing::Exists;
using testing::ReadFile;

namespace {

const char kLaterVi[] = R"(---
title: Hướng dẫn sắp có
date: 2030-01-01
reviewed: 2026-02-01
sources:
  - title: Hiến pháp 2013
    article: Điều 88
---
Trang này có sau.
)";

// Dated long before its source: it still waits for it.
const char kLaterEn[] = R"(---
title: A guide to come
date: 2026-01-01
reviewed: 2026-02-01
translation_status: reviewed
translated_from: 2026-01-01
sources:
  - title: Constitution 2013
    article: Article 88
---
This page comes later.
)";

int64_t Due() { return ParseDateTime("2030-01-01", 420)->unix_seconds; }

// The multilingual fixture with guides/later (vi and en) scheduled for 2030-01-01.
void MakeScheduledSite(const testing::TempDir& dir) {
  testing::MakeFixtureSite("multilingual", dir.path());
  testing::WriteFile(dir / "content/guides/later.vi.md", kLaterVi);
  testing::WriteFile(dir / "content/guides/later.en.md", kLaterEn);
}

// Files of the site that name guides/later in any language.
std::vector<std::string> FilesNamingLater(const std::string& out) {
  std::vector<std::string> naming;
  for (const auto& [path, bytes] : render_test::Tree(out)) {
    if (Contains(bytes, "/guides/later/")) naming.push_back(path);
  }
  return naming;
}

}  // namespace

TEST_CASE("a page dated later is not shown anywhere until its time, then appears") {
  testing::TempDir dir;
  MakeScheduledSite(dir);
  auto site = LoadOrFail(dir.path());
  REQUIRE(site->now() < Due());
  CHECK(site->Scheduled().pages == 2);
  REQUIRE(site->Scheduled().next);
  CHECK(site->Scheduled().next->unix_seconds == Due());
  BuildOptions options;
  options.out_dir = dir / "public";
  options.input_fingerprint = "inputs";
  auto before = site->Build(options);
  REQUIRE(before.ok());
  CHECK(Contains(before->ToString(), "; 2 pages scheduled, the next at 2030-01-01T00:00:00+07:00"));
  const std::string out = dir / "public";
  for (const char* lang : {"vi", "en", "km"}) {
    CHECK_FALSE(Exists(out + "/" + lang + "/guides/later/index.html"));
  }
  // Not in a list, feed, sitemap, switcher or the 404 page: no file names it.
  CHECK(FilesNamingLater(out).empty());
  CHECK(Contains(ReadFile(out + "/vi/guides/index.html"), "/vi/guides/alpha/"));  // lists work
  // A build of the same files is due again when the page goes live.
  BuildManifest manifest = BuildManifest::Load(out);
  CHECK(manifest.schedule().next == Due());
  CHECK(manifest.UpToDate("inputs", Due() - 1));
  CHECK_FALSE(manifest.UpToDate("inputs", Due()));

  // Its time comes: serve's way, a partial build of the pages that went live.
  std::set<std::string> keys;
  render_test::ShowAt(&site, Due(), &keys);
  CHECK(keys == std::set<std::string>{"guides/later"});
  options.changed_keys = keys;
  auto after = site->Build(options);
  REQUIRE(after.ok());
  CHECK(after->scheduled_pages == 0);
  CHECK_FALSE(BuildManifest::Load(out).schedule().next);
  const std::string vi = ReadFile(out + "/vi/guides/later/index.html");
  CHECK(Contains(vi, "Hướng dẫn sắp có"));
  CHECK(Contains(vi, "hreflang=\"en\" href=\"https://dacxa.example.gov.vn/en/guides/later/\""));
  CHECK(Contains(ReadFile(out + "/en/guides/later/index.html"), "A guide to come"));
  CHECK(Contains(ReadFile(out + "/vi/guides/index.html"), "/vi/guides/later/"));
  CHECK(Contains(ReadFile(out + "/vi/guides/feed.atom"), "/vi/guides/later/"));
  CHECK(Contains(ReadFile(out + "/en/feed.json"), "/en/guides/later/"));
  CHECK(Contains(ReadFile(out + "/sitemap.xml"), "/en/guides/later/"));

  // The partial build left what a whole build at that time makes.
  testing::TempDir fresh;
  MakeScheduledSite(fresh);
  auto whole = LoadOrFail(fresh.path());
  render_test::ShowAt(&whole, Due());
  BuildOptions full;
  full.out_dir = fresh / "public";
  REQUIRE(whole->Build(full).ok());
  auto built = render_test::Tree(out), expected = render_test::Tree(fresh / "public");
  CHECK(built.size() == expected.size());
  for (const auto& [path, bytes] : expected) {
    INFO(path);
    CHECK(built[path] == bytes);
  }
}

TEST_CASE("a translation dated before its source waits for the source") {
  testing::TempDir dir;
  MakeScheduledSite(dir);
  auto site = LoadOrFail(dir.path());
  const RenderedPage* en = nullptr;
  for (const auto& rendered : site->pages()) {
    if (rendered.page.source_path == "content/guides/later.en.md") en = &rendered;
  }
  REQUIRE(en);
  CHECK(en->live_at == Due());
  CHECK_FALSE(en->live);
  CHECK(site->Find("guides/later", "en") == nullptr);
  render_test::ShowAt(&site, Due());
  REQUIRE(site->Find("guides/later", "en"));
  CHECK(site->Find("guides/later", "en")->page.lang == "en");
}

TEST_CASE("a page re-dated into the future leaves the site until then") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  auto site = LoadOrFail(dir.path());
  BuildOptions options;
  options.out_dir = dir / "public";
  REQUIRE(site->Build(options).ok());
  REQUIRE(Exists(dir / "public/vi/guides/beta/index.html"));
  std::string beta = ReadFile(dir / "content/guides/beta.vi.md");
  beta.replace(beta.find("date: 2026-02-01"), 16, "date: 2030-01-01");
  testing::WriteFile(dir / "content/guides/beta.vi.md", beta);
  Diagnostics diagnostics;
  std::set<std::string> keys;
  REQUIRE(render_test::Reload(&site, {"content/guides/beta.vi.md"}, &diagnostics, &keys));
  BuildManifest previous = BuildManifest::Load(dir / "public");
  options.previous_manifest = &previous;
  options.changed_keys = keys;
  REQUIRE(site->Build(options).ok());
  CHECK_FALSE(Exists(dir / "public/vi/guides/beta/index.html"));
  CHECK_FALSE(Exists(dir / "public/km/guides/beta/index.html"));  // its fallback page too
  CHECK_FALSE(Contains(ReadFile(dir / "public/vi/guides/index.html"), "/vi/guides/beta/"));
  CHECK_FALSE(Contains(ReadFile(dir / "public/sitemap.xml"), "/vi/guides/beta/"));
}

TEST_CASE("a link to a page scheduled after the linking page is shown is an error") {
  testing::TempDir dir;
  MakeScheduledSite(dir);
  // A live page links to it: broken until 2030.
  std::string beta = ReadFile(dir / "content/guides/beta.vi.md");
  testing::WriteFile(dir / "content/guides/beta.vi.md",
                     beta + "\nXem [trang sau](/vi/guides/later/).\n");
  // A page scheduled for 2031 links to one of 2030 (fine: live by then); one of 2030 links to
  // one of 2031 (broken for a year).
  std::string last = kLaterVi;
  last.replace(last.find("2030-01-01"), 10, "2031-01-01");
  testing::WriteFile(dir / "content/guides/last.vi.md", last + "Xem [trước](/vi/guides/later/).\n");
  testing::WriteFile(dir / "content/guides/later.vi.md",
                     std::string(kLaterVi) + "Xem [cuối](../last/).\n");
  Diagnostics diagnostics;
  CHECK_FALSE(Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &diagnostics));
  const std::string problems = diagnostics.ToString();
  INFO(problems);
  CHECK(diagnostics.size() == 2);
  CHECK(Contains(problems,
                 "content/guides/beta.vi.md:12: body: link '/vi/guides/later/' links to "
                 "/vi/guides/later/, which is scheduled for 2030-01-01T00:00:00+07:00; the link "
                 "would be broken until then"));
  CHECK(Contains(problems,
                 "content/guides/later.vi.md:10: body: link '../last/' links to /vi/guides/last/, "
                 "which is scheduled for 2031-01-01T00:00:00+07:00, after this page goes live "
                 "(2030-01-01T00:00:00+07:00)"));
  CHECK_FALSE(Contains(problems, "last.vi.md"));
}

TEST_CASE("clemency check checks scheduled pages and says when the next goes live") {
  testing::TempDir dir;
  MakeScheduledSite(dir);
  std::string output;
  const std::string check = std::string(CLEMENCY_BINARY) + " check --source " + dir.path();
  CHECK(testing::RunCommand(check, &output) == 0);
  CHECK(Contains(output, "(2 scheduled, the next at 2030-01-01T00:00:00+07:00)"));
  // A scheduled page's own problems are reported like any other's.
  testing::WriteFile(dir / "content/guides/later.vi.md",
                     std::string(kLaterVi) + "Xem [trang](/vi/guides/khong-co/).\n");
  CHECK(testing::RunCommand(check, &output) != 0);
  CHECK(Contains(output, "content/guides/later.vi.md:10: body: link '/vi/guides/khong-co/'"));
}
