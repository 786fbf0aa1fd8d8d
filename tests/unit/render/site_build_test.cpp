// Whole builds of the fixture sites in tests/sites/, through Site::Load and Site::Build.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "render/manifest.h"
#include "render/site.h"
#include "render_test_support.h"
#include "support/fixture.h"

using namespace clemency;
using render_test::CheckEqualsFullBuild;
using render_test::Contains;
using render_test::LoadOrFail;
using render_test::RoundFile;
using testing::Exists;
using testing::ReadFile;

namespace {

struct Built {
  testing::TempDir dir;
  std::unique_ptr<Site> site;
  std::string out;
};

std::unique_ptr<Built> BuildFixture(const std::string& name, BuildOptions options = {}) {
  auto built = std::make_unique<Built>();
  testing::MakeFixtureSite(name, built->dir.path());
  Diagnostics diagnostics;
  built->site = Site::Load(std::make_shared<DiskFileSystem>(), built->dir.path(), &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(built->site);
  built->out = built->dir / "public";
  options.out_dir = built->out;
  auto summary = built->site->Build(options);
  REQUIRE(summary.ok());
  return built;
}

}  // namespace

TEST_CASE("the multilingual fixture builds every page kind in every language") {
  auto b = BuildFixture("multilingual");
  for (const char* lang : {"vi", "en", "km"}) {
    std::string l = lang;
    CHECK(Exists(b->out + "/" + l + "/index.html"));
    CHECK(Exists(b->out + "/" + l + "/404.html"));
    for (const char* section : {"guides", "stories", "support"}) {
      CHECK(Exists(b->out + "/" + l + "/" + section + "/index.html"));
      for (const char* feed : {"feed.atom", "feed.rss", "feed.json"}) {
        CHECK(Exists(b->out + "/" + l + "/" + section + "/" + feed));
      }
    }
    CHECK(Exists(b->out + "/" + l + "/guides/alpha/index.html"));
    CHECK(Exists(b->out + "/" + l + "/guides/beta/index.html"));
    CHECK_FALSE(Exists(b->out + "/" + l + "/guides/hidden/index.html"));  // a draft
  }
  CHECK(Exists(b->out + "/index.html"));
  CHECK(Exists(b->out + "/404.html"));
  CHECK(Exists(b->out + "/robots.txt"));
  CHECK(Exists(b->out + "/assets/style.css"));
  CHECK_FALSE(Exists(b->dir / "public.staging-" + std::to_string(getpid())));
}

TEST_CASE("a translated page has html lang, hreflang for real translations and x-default") {
  auto b = BuildFixture("multilingual");
  std::string en = ReadFile(b->out + "/en/guides/alpha/index.html");
  CHECK(Contains(en, "<html lang=\"en\">"));
  CHECK(Contains(
      en, "<link rel=\"canonical\" href=\"https://dacxa.example.gov.vn/en/guides/alpha/\">"));
  CHECK(Contains(en, "hreflang=\"vi\" href=\"https://dacxa.example.gov.vn/vi/guides/alpha/\""));
  CHECK(Contains(en, "hreflang=\"en\" href=\"https://dacxa.example.gov.vn/en/guides/alpha/\""));
  CHECK_FALSE(Contains(en, "<link rel=\"alternate\" hreflang=\"km\""));  // no Khmer translation
  CHECK(Contains(en,
                 "hreflang=\"x-default\" href=\"https://dacxa.example.gov.vn/vi/guides/alpha/\""));
  CHECK(Contains(en, "<meta property=\"og:title\" content=\"Conditions for special amnesty\">"));
  // Summary cut from the body on a word boundary.
  CHECK(Contains(en, "<p class=\"lead\">You write a petition."));
}

TEST_CASE("an old translation says it may be out of date; machine help is shown") {
  auto b = BuildFixture("multilingual");
  std::string en = ReadFile(b->out + "/en/guides/alpha/index.html");
  CHECK(Contains(en, "This translation may be out of date"));
  CHECK(Contains(en, "has not yet been checked by a person"));
  std::string vi = ReadFile(b->out + "/vi/guides/alpha/index.html");
  CHECK_FALSE(Contains(vi, "notice"));
}

TEST_CASE("a missing translation shows the source page with a notice and no false hreflang") {
  auto b = BuildFixture("multilingual");
  std::string km = ReadFile(b->out + "/km/guides/beta/index.html");
  CHECK(Contains(km, "<html lang=\"km\">"));
  CHECK(Contains(km, "<article lang=\"vi\">"));
  CHECK(Contains(km, "ទំព័រនេះមិនទាន់មានជាភាសាខ្មែរនៅឡើយទេ"));
  CHECK(Contains(km, "<h1>Đặc xá là gì</h1>"));
  // Khmer pages write numbers with Khmer digits (numerals: khmer in site/config.yaml), dates too.
  CHECK(Contains(ReadFile(b->out + "/km/guides/alpha/index.html"), "២០២៦"));
  CHECK_FALSE(Contains(ReadFile(b->out + "/vi/guides/alpha/index.html"), "២០២៦"));
  CHECK(Contains(km,
                 "<link rel=\"canonical\" href=\"https://dacxa.example.gov.vn/vi/guides/beta/\">"));
  CHECK(Contains(km, "<meta name=\"robots\" content=\"noindex\">"));
  CHECK_FALSE(Contains(km, "hreflang=\"km\" href"));
  CHECK_FALSE(Contains(km, "hreflang=\"x-default\""));
}

TEST_CASE("a missing translation offers every language the page exists in") {
  auto b = BuildFixture("multilingual");
  // alpha exists in vi and en, not km: the Khmer reader is offered both, not only Vietnamese.
  auto notice_of = [](const std::string& html) {
    size_t at = html.find("<div class=\"notice\"");
    return at == std::string::npos ? std::string() : html.substr(at, html.find("</div>", at) - at);
  };
  std::string km = notice_of(ReadFile(b->out + "/km/guides/alpha/index.html"));
  CHECK(Contains(km, "<a href=\"/vi/guides/alpha/\" hreflang=\"vi\" lang=\"vi\">Tiếng Việt</a>"));
  CHECK(Contains(km, "<a href=\"/en/guides/alpha/\" hreflang=\"en\" lang=\"en\">English</a>"));
  CHECK_FALSE(Contains(km, "<a href=\"/km/guides/alpha/\" hreflang=\"km\""));
  // beta exists in vi only.
  std::string en = notice_of(ReadFile(b->out + "/en/guides/beta/index.html"));
  CHECK(Contains(en, "This page is available in: <a href=\"/vi/guides/beta/\" hreflang=\"vi\""));
  CHECK_FALSE(Contains(en, "<a href=\"/en/guides/beta/\" hreflang=\"en\""));
}

TEST_CASE("guides show sources, the review date and the legal note") {
  auto b = BuildFixture("multilingual");
  std::string vi = ReadFile(b->out + "/vi/guides/alpha/index.html");
  CHECK(
      Contains(vi, "<a href=\"https://example.org/luat\">Luật Đặc xá</a> (30/2018/QH14), Điều 11"));
  CHECK(Contains(vi, "Rà soát pháp lý lần cuối: 15 tháng 2, 2026"));
  CHECK(Contains(vi, "không phải tư vấn pháp lý"));
  CHECK(Contains(vi, "<h2 id=\"buoc-1-nop-don\">Bước 1: Nộp đơn</h2>"));
  CHECK(Contains(vi, "&lt;script&gt;"));
  CHECK_FALSE(Contains(vi, "<script"));
  CHECK(Contains(vi, "Thêm bước 2."));
}

TEST_CASE("lists follow weight then the language's collation; counts use plurals") {
  auto b = BuildFixture("multilingual");
  std::string en = ReadFile(b->out + "/en/guides/index.html");
  CHECK(Contains(en, "2 pages"));
  CHECK(en.find("/en/guides/beta/") < en.find("/en/guides/alpha/"));  // weight 1 before 2
  std::string support = ReadFile(b->out + "/vi/support/quy/index.html");
  CHECK(Contains(support, "Chưa có thông tin liên hệ đã kiểm tra"));
  CHECK(Contains(support, "Vay vốn"));
  std::string story = ReadFile(b->out + "/vi/stories/mot/index.html");
  CHECK(Contains(story, "chỉ dùng chữ cái đầu"));
}

TEST_CASE("sitemap lists published translations with alternates; feeds have stable ids") {
  auto b = BuildFixture("multilingual");
  std::string sitemap = ReadFile(b->out + "/sitemap.xml");
  CHECK(Contains(sitemap, "<loc>https://dacxa.example.gov.vn/en/guides/alpha/</loc>"));
  CHECK(Contains(sitemap,
                 "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" "
                 "href=\"https://dacxa.example.gov.vn/vi/guides/alpha/\"/>"));
  CHECK_FALSE(Contains(sitemap, "/km/guides/beta/"));  // fallbacks are not listed
  CHECK_FALSE(Contains(sitemap, "hidden"));
  std::string atom = ReadFile(b->out + "/vi/feed.atom");
  CHECK(Contains(atom, "<id>tag:dacxa.example.gov.vn,2026-01-01:/vi/guides/alpha/</id>"));
  CHECK(Contains(atom, "<updated>2026-03-01T10:00:00+07:00</updated>"));
  auto again = BuildFixture("multilingual");
  CHECK(ReadFile(again->out + "/vi/feed.atom") == atom);  // same bytes on a rebuild
}

TEST_CASE("sitemap: a list page changes when what it lists does; big sitemaps split") {
  auto b = BuildFixture("multilingual");
  std::string sitemap = ReadFile(b->out + "/sitemap.xml");
  // The vi guides section has no date of its own; its newest guide changed on 1 March.
  CHECK(Contains(sitemap,
                 "<loc>https://dacxa.example.gov.vn/vi/guides/</loc>\n"
                 "    <lastmod>2026-03-01T10:00:00+07:00</lastmod>"));
  CHECK(Contains(sitemap,
                 "<loc>https://dacxa.example.gov.vn/vi/</loc>\n"
                 "    <lastmod>2026-03-01T10:00:00+07:00</lastmod>"));
  CHECK(Contains(sitemap,
                 "<loc>https://dacxa.example.gov.vn/en/</loc>\n"
                 "    <lastmod>2026-01-01T00:00:00+07:00</lastmod>"));
  CHECK_FALSE(Contains(sitemap, "1970"));
  // Sections with no _index file at all are pages too; one shown from another language is not.
  CHECK(Contains(sitemap,
                 "<loc>https://dacxa.example.gov.vn/km/stories/</loc>\n"
                 "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" "
                 "href=\"https://dacxa.example.gov.vn/vi/stories/\"/>\n  </url>"));
  CHECK(Contains(sitemap,
                 "<loc>https://dacxa.example.gov.vn/vi/support/</loc>\n"
                 "    <lastmod>2026-02-10T00:00:00+07:00</lastmod>"));
  CHECK_FALSE(Contains(sitemap, "<loc>https://dacxa.example.gov.vn/km/guides/</loc>"));

  // Split into files of 3 URLs: an index, and the same URLs in the same order across the files.
  auto locs = [](const std::string& xml) {
    std::vector<std::string> out;
    for (size_t at = xml.find("<loc>"); at != std::string::npos; at = xml.find("<loc>", at + 1)) {
      out.push_back(xml.substr(at + 5, xml.find("</loc>", at) - at - 5));
    }
    return out;
  };
  const std::vector<std::string> all = locs(sitemap);
  REQUIRE(all.size() == 17);  // with the (empty) rounds list page of each language
  BuildOptions small;
  small.sitemap_max_urls = 3;
  auto split = BuildFixture("multilingual", small);
  std::string index = ReadFile(split->out + "/sitemap.xml");
  CHECK(Contains(index, "<sitemapindex "));
  std::vector<std::string> files;
  for (int i = 1; i <= 6; ++i) {
    files.push_back("https://dacxa.example.gov.vn/sitemap-" + std::to_string(i) + ".xml");
  }
  CHECK(locs(index) == files);
  std::vector<std::string> joined;
  for (int i = 1; i <= 6; ++i) {
    std::vector<std::string> part =
        locs(ReadFile(split->out + "/sitemap-" + std::to_string(i) + ".xml"));
    CHECK(part.size() <= 3);
    joined.insert(joined.end(), part.begin(), part.end());
  }
  CHECK(joined == all);
  CHECK_FALSE(Exists(split->out + "/sitemap-7.xml"));

  // Rebuilt into the same folder with one file allowed again: back to a single urlset.
  BuildOptions whole;
  whole.out_dir = split->out;
  REQUIRE(split->site->Build(whole).ok());
  CHECK(ReadFile(split->out + "/sitemap.xml") == sitemap);
  CHECK_FALSE(Exists(split->out + "/sitemap-1.xml"));
}

TEST_CASE("the coverage report lists missing and older translations") {
  auto b = BuildFixture("multilingual");
  std::string report = b->site->Coverage().ToString();
  CHECK(Contains(report, "  missing  en  guides/beta\n"));
  CHECK(Contains(report, "  missing  km  guides/alpha\n"));
  CHECK(Contains(
      report,
      "  older    en  guides/alpha  translated from 2026-01-01, source updated 2026-03-01\n"));
  CHECK_FALSE(Contains(report, "hidden"));
}

TEST_CASE("a rebuild after one change writes only what changed, and equals a full build") {
  testing::TempDir incremental;
  testing::MakeFixtureSite("multilingual", incremental.path());
  BuildOptions options;
  options.out_dir = incremental / "public";
  auto first = LoadOrFail(incremental.path())->Build(options);
  REQUIRE(first.ok());
  CHECK(first->files_reused == 0);

  // Unchanged: every rendered output is reused.
  auto same = LoadOrFail(incremental.path())->Build(options);
  REQUIRE(same.ok());
  CHECK(same->files_reused > 50);
  CHECK(same->files_written < 10);  // the root files, robots.txt, sitemap and static assets

  // One page changes: its outputs, its section lists and feeds are rendered again.
  std::string changed = "content/stories/mot.vi.md";
  testing::WriteFile(incremental / changed,
                     ReadFile(incremental / changed) + "\nChị H. mở một cửa hàng nhỏ.\n");
  auto again = LoadOrFail(incremental.path())->Build(options);
  REQUIRE(again.ok());
  CHECK(again->files_reused > 40);
  CHECK(
      Contains(ReadFile(incremental / "public/vi/stories/mot/index.html"), "mở một cửa hàng nhỏ"));
  CHECK(
      Contains(ReadFile(incremental / "public/km/stories/mot/index.html"), "mở một cửa hàng nhỏ"));

  // The same inputs built from scratch give the same files, byte for byte.
  render_test::CheckEqualsFullBuild(incremental.path());
}

TEST_CASE("a page edited after it was checked stops the build; public/ stays as it was") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  auto site = LoadOrFail(dir.path());
  testing::WriteFile(dir / "content/guides/beta.vi.md", "---\ntitle: [not checked\n---\n");
  BuildOptions options;
  options.out_dir = dir / "public";
  auto result = site->Build(options);
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().message() ==
        "content/guides/beta.vi.md: changed while the site was being built; build again");
  CHECK_FALSE(Exists(dir / "public"));
}

TEST_CASE("the invalid fixture reports every problem and writes nothing") {
  testing::TempDir dir;
  testing::MakeFixtureSite("invalid", dir.path());
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &diagnostics);
  CHECK_FALSE(site);
  std::string expected =
      ReadFile(std::string(CLEMENCY_SOURCE_DIR) + "/tests/sites/invalid/expected-errors.txt");
  std::string actual = diagnostics.ToString() + "clemency: " + std::to_string(diagnostics.size()) +
                       " problems found; nothing was written\n";
  CHECK(actual == expected);
}

TEST_CASE("the CLI exits non-zero on invalid content and leaves public/ untouched") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  std::string output;
  std::string cli = std::string(CLEMENCY_BINARY) + " build --source " + dir.path();
  REQUIRE(testing::RunCommand(cli, &output) == 0);
  CHECK(Contains(output, "Built 30 pages (en 10, km 10, vi 10)"));  // a province page each
  REQUIRE(testing::RunCommand(cli, &output) == 0);
  CHECK(
      Contains(output, "Up to date: no file under site/ or content/ changed since the last build"));
  std::string before = ReadFile(dir / "public/vi/guides/alpha/index.html");
  testing::WriteFile(dir / "content/guides/alpha.vi.md", "---\ntitle: [broken\n---\n");
  CHECK(testing::RunCommand(cli, &output) == 1);
  // Plain words, at the line of the unclosed [ (not libyaml's "did not find expected ',' or ']'").
  CHECK(Contains(output, "content/guides/alpha.vi.md:2: invalid YAML: a list in [ ] is not closed; "
                         "add the closing ] on this line, or quote a value that starts with ["));
  CHECK_FALSE(Contains(output, "did not find expected"));
  CHECK(ReadFile(dir / "public/vi/guides/alpha/index.html") == before);
  CHECK(testing::RunCommand(std::string(CLEMENCY_BINARY) + " build --bogus", &output) == 2);
  CHECK(testing::RunCommand(std::string(CLEMENCY_BINARY) + " check --help", &output) == 0);
  CHECK(Contains(output, "Usage: clemency check"));
}

TEST_CASE("a list is keyed by what it shows: a body edit leaves it, a title edit renders it") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  BuildOptions options;
  options.out_dir = dir / "public";
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  auto list_key = [&dir]() {
    return std::string(BuildManifest::Load(dir / "public").KeyOf("vi/guides/index.html"));
  };
  auto page_key = [&dir]() {
    return std::string(BuildManifest::Load(dir / "public").KeyOf("vi/guides/alpha/index.html"));
  };
  std::string list_before = list_key(), page_before = page_key();
  REQUIRE_FALSE(list_before.empty());

  std::string file = dir / "content/guides/alpha.vi.md";
  testing::WriteFile(file, ReadFile(file) + "\nMột đoạn mới ở cuối trang.\n");
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  CHECK(page_key() != page_before);
  CHECK(list_key() == list_before);

  std::string text = ReadFile(file);
  size_t title = text.find("title: ");
  REQUIRE(title != std::string::npos);
  testing::WriteFile(file, text.insert(title + 7, "Mới - "));
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  CHECK(list_key() != list_before);
  CHECK(Contains(ReadFile(dir / "public/vi/guides/index.html"), "Mới - Điều kiện"));
}

TEST_CASE("one root cause gives one error: a page without a title is not also missing elsewhere") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  // alpha.vi.md has an English translation and is linked from other pages.
  const std::string original = ReadFile(dir / "content/guides/alpha.vi.md");
  std::string alpha = original;
  alpha.erase(alpha.find("title:"), alpha.find('\n', alpha.find("title:")) - alpha.find("title:") + 1);
  testing::WriteFile(dir / "content/guides/alpha.vi.md", alpha);
  Diagnostics diagnostics;
  CHECK_FALSE(Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &diagnostics));
  CHECK(diagnostics.ToString() == "content/guides/alpha.vi.md:2: title: is required\n");
  // An invalid translation: the English home page's link to its heading is not reported too.
  testing::WriteFile(dir / "content/guides/alpha.vi.md", original);
  std::string english = ReadFile(dir / "content/guides/alpha.en.md");
  english.replace(english.find("date:"), 5, "date: soon\nx:");
  testing::WriteFile(dir / "content/guides/alpha.en.md", english);
  Diagnostics again;
  CHECK_FALSE(Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &again));
  INFO(again.ToString());
  CHECK(again.size() == 2);  // the bad date, and the unknown field: two mistakes in the file
  CHECK(again.ToString().find("_index.en.md") == std::string::npos);
}

TEST_CASE("story and support pages show only what their records support") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  BuildOptions options;
  options.out_dir = dir / "public";
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  std::string story = ReadFile(dir / "public/vi/stories/mot/index.html");
  CHECK(Contains(story, "Câu chuyện được kể khi có sự đồng ý, chỉ dùng chữ cái đầu của tên"));
  std::string support = ReadFile(dir / "public/en/support/quy/index.html");
  CHECK(Contains(support, "Mỹ Yên, Bến Lức, Long An (now part of Tây Ninh)"));
  CHECK(Contains(support, "by Công an xã Mỹ Yên"));
  std::string list = ReadFile(dir / "public/vi/support/index.html");
  CHECK(Contains(list, "Mỹ Yên, Bến Lức, Long An (nay thuộc Tây Ninh)"));

  // Retold from a report, not confirmed, no services named: the pages say exactly that.
  std::string mot = ReadFile(dir / "content/stories/mot.vi.md");
  mot.replace(mot.find("consent:"), mot.find("source:") - mot.find("consent:"),
              "consent:\n  basis: published-report\n");
  testing::WriteFile(dir / "content/stories/mot.vi.md", mot);
  testing::WriteFile(dir / "content/support/quy.vi.md",
                     "---\ntitle: Quỹ hỗ trợ thử\ndate: 2026-02-10\nprovince: Nghệ An\n"
                     "organisation: Công an xã\n---\nHỏi công an xã.\n");
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  story = ReadFile(dir / "public/vi/stories/mot/index.html");
  CHECK(Contains(story, "Câu chuyện được kể lại từ một bài báo đã đăng. Chúng tôi chưa liên lạc "
                        "với những người trong chuyện."));
  CHECK_FALSE(Contains(story, "đồng ý"));
  CHECK(Contains(ReadFile(dir / "public/en/stories/mot/index.html"),
                 "Retold from a published news report; the people in it were not contacted."));
  support = ReadFile(dir / "public/en/support/quy/index.html");
  CHECK(Contains(support, "Not yet confirmed — ask the commune police or People&apos;s Committee "
                          "whether it still runs."));
  CHECK(Contains(support, "The report does not say what help is offered."));
  CHECK_FALSE(Contains(support, "Confirmed still running"));
}

TEST_CASE("the home page shows the current round, and follows a newly published one") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  testing::WriteFile(dir / "content/rounds/dot-2024.vi.md",
                     RoundFile("Đợt 2024", "closed", "2024-09-30"));
  testing::WriteFile(dir / "content/rounds/dot-2025.vi.md",
                     RoundFile("Đợt 2025", "closed", "2025-09-01"));
  BuildOptions options;
  options.out_dir = dir / "public";
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  // All closed: the newest.
  std::string home = ReadFile(dir / "public/vi/index.html");
  CHECK(Contains(home, "<a href=\"/vi/rounds/dot-2025/\">Đợt 2025</a>"));
  CHECK(Contains(home, "status-closed"));
  CHECK(Contains(home, "<time datetime=\"2025-09-01\">"));
  CHECK_FALSE(Contains(home, "Đợt 2024"));
  // English has no translation: the Vietnamese round is shown there too.
  CHECK(Contains(ReadFile(dir / "public/en/index.html"),
                 "<a href=\"/en/rounds/dot-2025/\">Đợt 2025</a>"));
  // An editor publishes a new round being reviewed: the home page follows, untouched by hand,
  // and an older round not yet closed comes before a newer closed one.
  testing::WriteFile(dir / "content/rounds/dot-2026.vi.md",
                     RoundFile("Đợt 2026", "reviewing", "2026-11-01"));
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  home = ReadFile(dir / "public/vi/index.html");
  CHECK(Contains(home, "<a href=\"/vi/rounds/dot-2026/\">Đợt 2026</a>"));
  CHECK(Contains(home, "status-reviewing"));
  testing::WriteFile(dir / "content/rounds/dot-2026.vi.md",
                     RoundFile("Đợt 2026", "closed", "2026-11-01"));
  testing::WriteFile(dir / "content/rounds/dot-2024.vi.md",
                     RoundFile("Đợt 2024", "released", "2024-09-30"));
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  home = ReadFile(dir / "public/vi/index.html");
  CHECK(Contains(home, "<a href=\"/vi/rounds/dot-2024/\">Đợt 2024</a>"));
  CheckEqualsFullBuild(dir.path());
  // The round's own page shows its status, dates and the legal note.
  std::string page = ReadFile(dir / "public/vi/rounds/dot-2024/index.html");
  CHECK(Contains(page, "status-released"));
  CHECK(Contains(page, "Có hiệu lực"));
  CHECK(Contains(page, "class=\"legal-note\""));
}

TEST_CASE("support is listed by today's province, with a page per province and tap-to-call") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  testing::WriteFile(dir / "content/support/ha-noi.vi.md",
                     "---\ntitle: Trung tâm thử\ndate: 2026-02-11\nprovince: Hà Nội\n"
                     "organisation: Sở thử\ncontact: {phone: \"024 3 555 0101\"}\n---\nGọi trước.\n");
  BuildOptions options;
  options.out_dir = dir / "public";
  REQUIRE(LoadOrFail(dir.path())->Build(options).ok());
  std::string list = ReadFile(dir / "public/vi/support/index.html");
  // The picker links to each province's page, in Vietnamese order; groups follow it.
  size_t ha_noi = list.find("<li><a href=\"/vi/support/province/ha-noi/\">Hà Nội</a></li>");
  size_t tay_ninh = list.find("<li><a href=\"/vi/support/province/tay-ninh/\">Tây Ninh</a></li>");
  REQUIRE(ha_noi != std::string::npos);
  REQUIRE(tay_ninh != std::string::npos);
  CHECK(ha_noi < tay_ninh);
  CHECK(Contains(list, "<h3 id=\"province-tay-ninh\">Tây Ninh</h3>"));
  CHECK(Contains(list, "href=\"tel:+842435550101\""));
  CHECK(Contains(list, "Chưa xác nhận. Hãy hỏi công an xã"));  // Hà Nội was never confirmed
  // A province's page lists its entries only, and leads back to every province.
  std::string tay = ReadFile(dir / "public/vi/support/province/tay-ninh/index.html");
  CHECK(Contains(tay, "Quỹ hỗ trợ thử"));
  CHECK_FALSE(Contains(tay, "Trung tâm thử"));
  CHECK(Contains(tay, "href=\"/vi/support/\""));
  // In English, where the entries are not translated, the same province pages exist.
  CHECK(Exists(dir / "public/en/support/province/ha-noi/index.html"));
  // The entry's own page calls the same number.
  CHECK(Contains(ReadFile(dir / "public/vi/support/ha-noi/index.html"), "href=\"tel:+842435550101\""));
}

TEST_CASE("a site without a template every build renders is refused at load, not mid-build") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  std::filesystem::remove(dir / "site/templates/history.mustache");
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &diagnostics);
  CHECK_FALSE(site);
  CHECK(Contains(diagnostics.ToString(), "templates/history.mustache"));
  CHECK(Contains(diagnostics.ToString(), "missing: every build renders this template"));
}

TEST_CASE("feeds: the home page's news is an entry of the language's feed, each change its own") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  const std::string home = dir / "content/_index.vi.md";
  std::string text = ReadFile(home);
  {
    auto site = LoadOrFail(dir.path());
    BuildOptions options;
    options.out_dir = dir / "public";
    REQUIRE(site->Build(options).ok());
    CHECK_FALSE(Contains(ReadFile(dir / "public/vi/feed.atom"), "Trang thử nghiệm"));  // no news
  }
  const size_t end = text.find("---", 3);
  REQUIRE(end != std::string::npos);
  text.insert(end, "updated: 2026-04-02T09:00:00+07:00\nchange_note: Đợt đặc xá mới đã bắt đầu.\n");
  testing::WriteFile(home, text);
  auto site = LoadOrFail(dir.path());
  BuildOptions options;
  options.out_dir = dir / "public2";
  REQUIRE(site->Build(options).ok());
  std::string atom = ReadFile(dir / "public2/vi/feed.atom");
  CHECK(Contains(atom, "Đợt đặc xá mới đã bắt đầu."));
  CHECK(Contains(atom, "<id>tag:dacxa.example.gov.vn,2026-04-02:/vi/</id>"));
  CHECK_FALSE(Contains(ReadFile(dir / "public2/vi/guides/feed.atom"), "Đợt đặc xá mới"));  // not a section's
}

TEST_CASE("a story shows a photo of a person only when its consent covers photos") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  const std::string story = dir / "content/stories/mot.vi.md";
  const std::string text = testing::ReadFile(story);
  auto media = std::make_shared<MediaIndex>();
  for (const char* hash : {"aa11", "bb22", "cc33"}) {
    for (const char* size : {"1000x500", "960x480", "480x240"}) {
      media->files.insert(std::string("/media/") + hash + "-" + size + ".jpg");
    }
  }
  media->people = {{"aa11", "personal"}, {"cc33", "published-report"}};
  // The problems of the site with the story's consent and body changed.
  auto problems = [&](const std::string& consent, const std::string& image) {
    std::string changed = text;
    changed.replace(changed.find("  scope: initials-only\n"), 23, consent);
    changed += "\n![Anh T. trước nhà](/media/" + image + "-1000x500.jpg)\n";
    testing::WriteFile(story, changed);
    Diagnostics diagnostics;
    LoadOptions options;
    options.media = media;
    Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &diagnostics, options);
    return diagnostics.items();
  };
  const std::string initials = "  scope: initials-only\n";
  auto refused = problems(initials, "aa11");
  REQUIRE(refused.size() == 1);
  CHECK(refused.front().code == "check_image_consent");
  CHECK(refused.front().field == "consent.images");
  CHECK(refused.front().line == std::count(text.begin(), text.end(), '\n') + 2);  // the image's
  CHECK(problems(initials + "  images: not-allowed\n", "aa11").size() == 1);
  CHECK(problems(initials + "  images: allowed\n", "aa11").empty());
  CHECK(problems(initials, "bb22").empty());  // nobody identifiable in it
  // Only a personal consent may say so; a retold report may show the report's photos only.
  CHECK(problems(initials + "  images: maybe\n", "bb22").front().code == "check_choice");
  CHECK(problems(initials, "cc33").size() == 1);
}
