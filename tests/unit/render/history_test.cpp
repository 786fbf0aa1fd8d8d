// Pages' public histories: a page per page and language under <page>/history/ where there is
// history to show (more than one announced revision, or a withdrawal), linked from the page,
// listing announced changes newest first with a major change's word diff.
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/site_paths.h"
#include "render/manifest.h"
#include "render_test_support.h"
#include "textdiff/textdiff.h"

using namespace clemency;
using render_test::Contains;
using render_test::LoadOrFail;
using testing::ReadFile;

namespace {

DateTime At(const std::string& text) { return *ParseDateTime(text, 7 * 60); }

// Builds `site` into `dir`/public after the last build there; the outputs rendered again when
// `keys` plans a partial build.
BuildSummary Rebuild(const Site& site, const std::string& dir,
                     std::optional<std::set<std::string>> keys = std::nullopt) {
  BuildManifest previous = BuildManifest::Load(dir + "/public");
  BuildOptions options;
  options.out_dir = dir + "/public";
  options.previous_manifest = &previous;
  options.changed_keys = std::move(keys);
  auto summary = site.Build(options);
  REQUIRE(summary.ok());
  return *summary;
}

// Two major revisions of alpha.vi.md, the newer changing "5 ngày" and adding a word.
std::vector<PageRevision> TwoMajorRevisions() {
  const std::string older = "Bạn viết đơn.\n\nNộp đơn trong 5 ngày <script>.";
  const std::string newer = "Bạn tự viết đơn.\n\nNộp đơn trong 10 ngày <script>.";
  return {{At("2026-04-02T09:00:00+07:00"), "major", "Đổi thời hạn nộp đơn.",
           WordDiff(older, newer, "vi"), false},
          {At("2026-03-01T10:00:00+07:00"), "major", "Thêm bước 2.", {}, false}};
}

}  // namespace

TEST_CASE("a site from files has no history pages: the page shows its one revision itself") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  auto site = LoadOrFail(dir.path());
  Rebuild(*site, dir.path());
  CHECK(paths::PageHistory("vi", "guides", "alpha") == "/vi/guides/alpha/history/");
  const std::string page = ReadFile(dir / "public/vi/guides/alpha/index.html");
  // The file's `updated` and change note are on the page; nothing links to a history page.
  CHECK(Contains(page, "Thêm bước 2."));
  CHECK_FALSE(Contains(page, "/history/"));
  for (const char* lang : {"vi", "en", "km"}) {
    INFO(lang);
    CHECK_FALSE(testing::Exists(dir / ("public/" + std::string(lang) + "/guides/alpha/history")));
    CHECK_FALSE(testing::Exists(dir / ("public/" + std::string(lang) + "/guides/beta/history")));
  }
}

TEST_CASE("a page with announced revisions has a history page, linked from it") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  auto site = LoadOrFail(dir.path());
  render_test::SetHistory(&site, "guides/alpha", "vi", TwoMajorRevisions());
  Rebuild(*site, dir.path());
  const std::string page = ReadFile(dir / "public/vi/guides/alpha/index.html");
  CHECK(Contains(page, "<a href=\"/vi/guides/alpha/history/\">Xem tất cả các lần cập nhật"));
  const std::string history = ReadFile(dir / "public/vi/guides/alpha/history/index.html");
  CHECK(Contains(history, "<html lang=\"vi\">"));
  CHECK(Contains(history, "<h1>Các lần cập nhật trang này</h1>"));
  CHECK(Contains(history, "<a href=\"/vi/guides/alpha/\">Điều kiện đặc xá</a>"));
  CHECK(Contains(history,
                 "<link rel=\"canonical\" "
                 "href=\"https://dacxa.example.gov.vn/vi/guides/alpha/history/\">"));
  // The English translation has no revisions of its own: no history page, so the switcher
  // leads to the English page and no alternate names a history page that is not there.
  CHECK_FALSE(testing::Exists(dir / "public/en/guides/alpha/history/index.html"));
  CHECK_FALSE(Contains(ReadFile(dir / "public/en/guides/alpha/index.html"), "/history/"));
  CHECK_FALSE(Contains(history, "/en/guides/alpha/history/"));
  CHECK(Contains(history, "href=\"/en/guides/alpha/\""));
  // Khmer shows the Vietnamese page, so its history too, not indexed.
  const std::string km = ReadFile(dir / "public/km/guides/alpha/history/index.html");
  CHECK(Contains(km, "<html lang=\"km\">"));
  CHECK(Contains(km, "<meta name=\"robots\" content=\"noindex\">"));
  CHECK(Contains(km, "lang=\"vi\">Điều kiện đặc xá</a>"));
  CHECK(Contains(km, "Thêm bước 2."));
  CHECK(Contains(ReadFile(dir / "public/km/guides/alpha/index.html"),
                 "href=\"/km/guides/alpha/history/\""));
  // Lists have none; the sitemap is as it was.
  CHECK_FALSE(testing::Exists(dir / "public/vi/guides/history/index.html"));
  CHECK_FALSE(Contains(ReadFile(dir / "public/sitemap.xml"), "/history/"));
}

TEST_CASE("a page with two major revisions lists both, newest first, with the word diff") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  auto site = LoadOrFail(dir.path());
  render_test::SetHistory(&site, "guides/alpha", "vi", TwoMajorRevisions());
  Rebuild(*site, dir.path());
  const std::string history = ReadFile(dir / "public/vi/guides/alpha/history/index.html");
  INFO(history);
  const size_t newer = history.find("Đổi thời hạn nộp đơn."), older = history.find("Thêm bước 2.");
  REQUIRE(newer != std::string::npos);
  REQUIRE(older != std::string::npos);
  CHECK(newer < older);
  CHECK(Contains(history, "Thay đổi lớn</span> – <time datetime=\"2026-04-02T09:00:00+07:00\">"));
  CHECK(Contains(history, "<ins><span class=\"visually-hidden\">thêm: </span>tự </ins>"));
  CHECK(Contains(history, "<del><span class=\"visually-hidden\">bỏ: </span>5</del>"));
  CHECK(Contains(history, "<ins><span class=\"visually-hidden\">thêm: </span>10</ins>"));
  CHECK(Contains(history, "Thêm 2 chữ, bỏ 1 chữ."));
  CHECK(Contains(history, "&lt;script&gt;"));  // the compared text is escaped
  CHECK_FALSE(Contains(history, "<script>"));
  // Khmer shows the Vietnamese page, so its history too, in a Khmer frame.
  const std::string km = ReadFile(dir / "public/km/guides/alpha/history/index.html");
  CHECK(Contains(km, "ការផ្លាស់ប្តូរធំ"));
  CHECK(Contains(km, "<div class=\"diff\" lang=\"vi\">"));
  CHECK(Contains(km, "Đổi thời hạn nộp đơn."));
  // The English page has no revisions given: its own last change, shown on the page, as from
  // files.
  CHECK_FALSE(testing::Exists(dir / "public/en/guides/alpha/history/index.html"));
}

TEST_CASE("a history page is rendered again when its revisions change, and only then") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  auto site = LoadOrFail(dir.path());
  render_test::SetHistory(&site, "guides/alpha", "vi", TwoMajorRevisions());
  Rebuild(*site, dir.path());
  // The same revisions: nothing planned for alpha renders.
  auto same = Rebuild(*site, dir.path(), std::set<std::string>{"guides/alpha"});
  CHECK(same.rendered.empty());
  // A correction announced on top: the history pages that show it (vi, and km's fallback) and
  // the vi feeds, whose entries state the newest announced change type; not the page itself,
  // whose file did not change.
  std::vector<PageRevision> revisions = TwoMajorRevisions();
  revisions.insert(revisions.begin(),
                   {At("2026-04-03T08:00:00+07:00"), "correction", "Sửa lỗi chính tả.", {}, false});
  render_test::SetHistory(&site, "guides/alpha", "vi", revisions);
  auto changed = Rebuild(*site, dir.path(), std::set<std::string>{"guides/alpha"});
  CHECK(changed.rendered ==
        std::vector<std::string>{"km/guides/alpha/history/index.html", "vi/feed.atom",
                                 "vi/feed.json", "vi/feed.rss",
                                 "vi/guides/alpha/history/index.html", "vi/guides/feed.atom",
                                 "vi/guides/feed.json", "vi/guides/feed.rss"});
  CHECK(Contains(ReadFile(dir / "public/vi/feed.atom"), "correction"));
  CHECK(Contains(ReadFile(dir / "public/vi/guides/alpha/history/index.html"), "Đính chính"));
  CHECK_FALSE(Contains(ReadFile(dir / "public/vi/guides/alpha/history/index.html"),
                       "không qua bước người thứ hai duyệt"));
  // The same correction published from the command line: readers are told it was not reviewed.
  revisions.front().skipped_review = true;
  render_test::SetHistory(&site, "guides/alpha", "vi", revisions);
  changed = Rebuild(*site, dir.path(), std::set<std::string>{"guides/alpha"});
  CHECK(changed.rendered.size() == 2);
  CHECK(Contains(ReadFile(dir / "public/vi/guides/alpha/history/index.html"),
                 "không qua bước người thứ hai duyệt"));
  // Forgotten, the history is the page's own last change again: the page shows it, and the
  // history pages and the links to them go.
  render_test::SetHistory(&site, "guides/alpha", "vi", std::nullopt);
  Rebuild(*site, dir.path(), std::set<std::string>{"guides/alpha"});
  CHECK_FALSE(testing::Exists(dir / "public/vi/guides/alpha/history/index.html"));
  CHECK_FALSE(testing::Exists(dir / "public/km/guides/alpha/history/index.html"));
  CHECK_FALSE(Contains(ReadFile(dir / "public/vi/guides/alpha/index.html"), "/history/"));
  render_test::CheckEqualsFullBuild(dir.path());
}

TEST_CASE("a reloaded page's new change note renders the page; removing it removes that") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  auto site = LoadOrFail(dir.path());
  Rebuild(*site, dir.path());
  const std::string path = "content/guides/alpha.vi.md";
  std::string text = ReadFile(dir / path);
  text.replace(text.find("change_note: Thêm bước 2."), 25, "change_note: Thêm bảng thời gian.");
  testing::WriteFile(dir / path, text);
  Diagnostics diagnostics;
  std::set<std::string> keys;
  REQUIRE(render_test::Reload(&site, {path}, &diagnostics, &keys));
  auto summary = Rebuild(*site, dir.path(), keys);
  // A site from files has one revision per page: the page shows it, no history page is made.
  for (const char* output : {"vi/guides/alpha/index.html", "km/guides/alpha/index.html"}) {
    INFO(output);
    CHECK(std::count(summary.rendered.begin(), summary.rendered.end(), output) == 1);
  }
  CHECK(Contains(ReadFile(dir / "public/vi/guides/alpha/index.html"), "Thêm bảng thời gian."));
  CHECK_FALSE(testing::Exists(dir / "public/vi/guides/alpha/history/index.html"));
  render_test::CheckEqualsFullBuild(dir.path());
  // beta (Vietnamese only, nothing links to it) removed: no history page is left of it.
  std::filesystem::remove(dir / "content/guides/beta.vi.md");
  REQUIRE(render_test::Reload(&site, {"content/guides/beta.vi.md"}, &diagnostics, &keys));
  INFO(diagnostics.ToString());
  Rebuild(*site, dir.path(), keys);
  CHECK_FALSE(testing::Exists(dir / "public/vi/guides/beta/history/index.html"));
  CHECK_FALSE(testing::Exists(dir / "public/km/guides/beta/history/index.html"));
  render_test::CheckEqualsFullBuild(dir.path());
}
