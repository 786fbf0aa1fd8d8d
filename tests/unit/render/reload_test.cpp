// Site::Changed() and partial builds: a new site is made from a loaded one with one changed
// file, checked with the pages that may link to it, and only the outputs that show it render.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "render/manifest.h"
#include "render_test_support.h"

using namespace clemency;
using render_test::Contains;
using render_test::LoadOrFail;
using testing::ReadFile;

namespace {

// The multilingual fixture, built once into public/, with its site kept loaded.
struct Loaded {
  testing::TempDir dir;
  std::unique_ptr<Site> site;
  Loaded() {
    testing::MakeFixtureSite("multilingual", dir.path());
    site = LoadOrFail(dir.path());
    BuildOptions options;
    options.out_dir = dir / "public";
    REQUIRE(site->Build(options).ok());
  }
  // Reloads `path` and builds what it changed; the outputs rendered again.
  std::vector<std::string> ReloadAndBuild(const std::string& path) {
    Diagnostics diagnostics;
    std::set<std::string> keys;
    bool reloaded = render_test::Reload(&site, {path}, &diagnostics, &keys);
    INFO(diagnostics.ToString());
    REQUIRE(reloaded);
    BuildManifest previous = BuildManifest::Load(dir / "public");
    BuildOptions options;
    options.out_dir = dir / "public";
    options.previous_manifest = &previous;
    options.changed_keys = keys;
    auto summary = site->Build(options);
    REQUIRE(summary.ok());
    CHECK(summary->in_place);
    return summary->rendered;
  }
};

}  // namespace

TEST_CASE("a one-page change renders its page in every language, its lists, feeds and sitemap") {
  Loaded loaded;
  const std::string path = "content/stories/mot.vi.md";
  testing::WriteFile(loaded.dir / path, ReadFile(loaded.dir / path) + "\nChị H. mở một cửa hàng.\n");
  std::vector<std::string> rendered = loaded.ReloadAndBuild(path);
  // The page (shown as the fallback in en and km) and every feed that lists it. Its list entry
  // and date did not change, so the lists and the sitemap keep their keys and are not rendered.
  CHECK(rendered == std::vector<std::string>{
                        "en/stories/mot/index.html", "km/stories/mot/index.html",
                        "vi/feed.atom", "vi/feed.json", "vi/feed.rss",
                        "vi/stories/feed.atom", "vi/stories/feed.json", "vi/stories/feed.rss",
                        "vi/stories/mot/index.html"});
  CHECK(Contains(ReadFile(loaded.dir / "public/km/stories/mot/index.html"), "mở một cửa hàng"));
  render_test::CheckEqualsFullBuild(loaded.dir.path());
}

TEST_CASE("a new page is added to its section's lists, feeds and the sitemap in place") {
  Loaded loaded;
  std::string text = ReadFile(loaded.dir / "content/stories/mot.vi.md");
  text.replace(text.find("title: "), text.find('\n', text.find("title: ")) - text.find("title: "),
               "title: \"Câu chuyện thứ hai\"");
  testing::WriteFile(loaded.dir / "content/stories/hai.vi.md", text);
  std::vector<std::string> rendered = loaded.ReloadAndBuild("content/stories/hai.vi.md");
  for (const char* output : {"vi/stories/hai/index.html", "en/stories/hai/index.html",
                             "vi/stories/index.html", "en/stories/index.html", "sitemap.xml"}) {
    INFO(output);
    CHECK(std::count(rendered.begin(), rendered.end(), output) == 1);
  }
  CHECK(std::none_of(rendered.begin(), rendered.end(), [](const std::string& output) {
    return output.rfind("vi/guides/", 0) == 0;  // another section: untouched
  }));
  CHECK(Contains(ReadFile(loaded.dir / "public/vi/stories/index.html"), "Câu chuyện thứ hai"));
  render_test::CheckEqualsFullBuild(loaded.dir.path());
}

TEST_CASE("a change that breaks a link on another page is refused; the site is as it was") {
  Loaded loaded;
  const std::string path = "content/guides/alpha.vi.md";
  const std::string before = ReadFile(loaded.dir / path);
  std::string text = before;
  // The home page links to /vi/guides/alpha/#buoc-1-nop-don: rename that heading.
  const std::string old_heading = "## Bước 1";
  size_t heading = text.find(old_heading);
  REQUIRE(heading != std::string::npos);
  text.replace(heading, old_heading.size(), "## Phần một");
  testing::WriteFile(loaded.dir / path, text);
  Diagnostics diagnostics;
  std::set<std::string> keys;
  CHECK_FALSE(render_test::Reload(&loaded.site, {path}, &diagnostics, &keys));
  CHECK(keys.empty());
  CHECK(Contains(diagnostics.ToString(), "content/_index.vi.md:"));
  CHECK(Contains(diagnostics.ToString(), "has no heading with id 'buoc-1-nop-don'"));
  // Removing a page its translation and other pages need is refused the same way.
  std::filesystem::remove(loaded.dir / path);
  diagnostics = Diagnostics();
  CHECK_FALSE(render_test::Reload(&loaded.site, {path}, &diagnostics, &keys));
  CHECK(Contains(diagnostics.ToString(), "content/guides/alpha.en.md: translation without a vi page"));
  CHECK(Contains(diagnostics.ToString(), "content/_index.vi.md:"));
  // The held site is the one last loaded: built again, it changes nothing.
  testing::WriteFile(loaded.dir / path, before);
  BuildManifest previous = BuildManifest::Load(loaded.dir / "public");
  BuildOptions options;
  options.out_dir = loaded.dir / "public";
  options.previous_manifest = &previous;
  auto again = loaded.site->Build(options);
  REQUIRE(again.ok());
  CHECK(again->files_written < 10);  // the root files, robots.txt, sitemap and static assets
  render_test::CheckEqualsFullBuild(loaded.dir.path());
}

TEST_CASE("a long section list is split into pages that link to each other") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  testing::WriteFile(dir / "site/config.yaml",
                     ReadFile(dir / "site/config.yaml") + "list_page_size: 1\n");
  auto site = LoadOrFail(dir.path());
  BuildOptions options;
  options.out_dir = dir / "public";
  REQUIRE(site->Build(options).ok());
  // Two published guides (alpha, beta): two pages of one item, the total on both.
  std::string first = ReadFile(dir / "public/vi/guides/index.html");
  std::string second = ReadFile(dir / "public/vi/guides/page/2/index.html");
  CHECK(Contains(first, "Trang 1 trên 2"));
  CHECK(Contains(first, "href=\"/vi/guides/page/2/\" rel=\"next\""));
  CHECK(Contains(first, "href=\"/vi/guides/\" aria-current=\"page\""));
  CHECK(Contains(second, "href=\"/vi/guides/\" rel=\"prev\""));
  CHECK(Contains(second, "<link rel=\"canonical\" href=\"https://dacxa.example.gov.vn/vi/guides/page/2/\""));
  CHECK(Contains(first, "2 trang"));
  CHECK(Contains(second, "2 trang"));
  CHECK_FALSE(testing::Exists(dir / "public/vi/guides/page/3/index.html"));
  // A guide more makes a third page in place; removed again, the third page goes.
  std::string text = ReadFile(dir / "content/guides/beta.vi.md");
  testing::WriteFile(dir / "content/guides/gamma.vi.md", text);
  BuildManifest previous = BuildManifest::Load(dir / "public");
  options.previous_manifest = &previous;
  Diagnostics diagnostics;
  std::set<std::string> keys;
  REQUIRE(render_test::Reload(&site, {"content/guides/gamma.vi.md"}, &diagnostics, &keys));
  options.changed_keys = keys;
  REQUIRE(site->Build(options).ok());
  CHECK(testing::Exists(dir / "public/vi/guides/page/3/index.html"));
  render_test::CheckEqualsFullBuild(dir.path());
  std::filesystem::remove(dir / "content/guides/gamma.vi.md");
  previous = BuildManifest::Load(dir / "public");
  keys.clear();
  REQUIRE(render_test::Reload(&site, {"content/guides/gamma.vi.md"}, &diagnostics, &keys));
  REQUIRE(site->Build(options).ok());
  CHECK_FALSE(testing::Exists(dir / "public/vi/guides/page/3/index.html"));
  render_test::CheckEqualsFullBuild(dir.path());
}

TEST_CASE("a new site from a changed file leaves the site it was made from as it was") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  std::shared_ptr<const Site> before = LoadOrFail(dir.path());
  const std::string path = "content/guides/alpha.vi.md";
  std::string text = ReadFile(dir / path);
  const size_t title = text.find("title: ");
  REQUIRE(title != std::string::npos);
  text.insert(title + 7, "Mới - ");
  SiteChange change;
  change.paths = {path};
  change.fs = std::make_shared<FileOverlay>(std::make_shared<DiskFileSystem>(), dir / path, text);
  Diagnostics diagnostics;
  std::set<std::string> keys;
  std::unique_ptr<Site> after = before->Changed(change, &diagnostics, &keys);
  INFO(diagnostics.ToString());
  REQUIRE(after);
  CHECK(keys == std::set<std::string>{"guides/alpha"});
  const RenderedPage* old_page = before->Find("guides/alpha", "vi");
  const RenderedPage* new_page = after->Find("guides/alpha", "vi");
  REQUIRE(old_page);
  REQUIRE(new_page);
  CHECK(old_page != new_page);
  CHECK(new_page->page.title.rfind("Mới - ", 0) == 0);
  CHECK(old_page->page.title.rfind("Mới - ", 0) == std::string::npos);
  // The old site still renders the file as it is on disk; the new one the text laid over it.
  auto old_html = before->PageDocument(path);
  auto new_html = after->PageDocument(path);
  REQUIRE(old_html.ok());
  REQUIRE(new_html.ok());
  CHECK_FALSE(Contains(*old_html, "Mới - "));
  CHECK(Contains(*new_html, "Mới - "));
  // Pages the change did not touch are shared, not copied.
  CHECK(before->Find("guides/beta", "vi") == after->Find("guides/beta", "vi"));
}

TEST_CASE("a change kept with its problems reports fields, wording and links at once, and renders") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  std::shared_ptr<const Site> before = LoadOrFail(dir.path());
  const std::string path = "content/guides/alpha.vi.md";
  std::string text = ReadFile(dir / path);
  // A wrong date (a field), a labelling word (wording) and a link to no page, in one save.
  const size_t date = text.find("date: 2026-01-01");
  REQUIRE(date != std::string::npos);
  text.replace(date, 16, "date: 2026-13-45");
  text += "\nĐối tượng này cần giúp đỡ. Xem [trang khác](/vi/guides/khong-co-trang-nay/).\n";
  SiteChange change;
  change.paths = {path};
  change.fs = std::make_shared<FileOverlay>(std::make_shared<DiskFileSystem>(), dir / path, text);
  {
    Diagnostics diagnostics;
    std::set<std::string> keys;
    CHECK_FALSE(before->Changed(change, &diagnostics, &keys));  // a publish stops at the fields
  }
  change.keep_problems = true;
  Diagnostics diagnostics;
  std::set<std::string> keys;
  std::unique_ptr<Site> after = before->Changed(change, &diagnostics, &keys);
  INFO(diagnostics.ToString());
  REQUIRE(after);
  std::set<std::string> fields;
  bool wording = false, link = false;
  for (const Diagnostic& d : diagnostics.items()) {
    fields.insert(d.field);
    wording = wording || d.code == "check_wording";
    link = link || d.message.find("khong-co-trang-nay") != std::string::npos;
  }
  CHECK(fields.count("date") == 1);
  CHECK(wording);
  CHECK(link);
  // The page still renders for a preview, with the new text.
  auto html = after->PageDocument(path);
  REQUIRE(html.ok());
  CHECK(Contains(*html, "cần giúp đỡ"));
}
