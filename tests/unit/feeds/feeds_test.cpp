#include "feeds/feeds.h"

#include <catch2/catch.hpp>

using namespace clemency;

namespace {
std::vector<FeedEntry> Entries() {
  FeedEntry e;
  e.id = TagUri("https://example.org", *ParseDateTime("2026-01-01", 420), "/vi/guides/a/");
  e.url = "https://example.org/vi/guides/a/";
  e.title = "Điều kiện <đặc xá>";
  e.summary = "Tóm tắt";
  e.content_html = "<p>Nội dung &amp; thêm</p>";
  e.change_note = "Thêm bước 2";
  e.lang = "vi";
  e.published = *ParseDateTime("2026-01-01", 420);
  e.updated = *ParseDateTime("2026-03-01T10:00:00+07:00", 420);
  return {e};
}
FeedInfo Info() {
  FeedInfo info;
  info.id = "https://example.org/vi/";
  info.title = "Đặc xá";
  info.lang = "vi";
  info.author = "Đặc xá";
  info.home_url = "https://example.org/vi/";
  info.feed_url = "https://example.org/vi/feed.atom";
  info.base_url = "https://example.org";
  info.updated = *ParseDateTime("2026-03-01T10:00:00+07:00", 420);
  return info;
}
}  // namespace

TEST_CASE("feed ids are stable tag URIs") {
  CHECK(Entries()[0].id == "tag:example.org,2026-01-01:/vi/guides/a/");
  CHECK(TagUri("http://localhost:8080/", *ParseDateTime("2026-01-01", 0), "/x/") ==
        "tag:localhost,2026-01-01:/x/");
}

TEST_CASE("Atom has self link, RFC 3339 dates, escaped content and the change note apart") {
  std::vector<FeedEntry> entries = Entries();
  entries[0].change_type = "major";
  std::string atom = RenderAtom(Info(), entries);
  CHECK(atom.find("<link rel=\"self\" type=\"application/atom+xml\" "
                  "href=\"https://example.org/vi/feed.atom\"/>") != std::string::npos);
  CHECK(atom.find("<updated>2026-03-01T10:00:00+07:00</updated>") != std::string::npos);
  CHECK(atom.find("<published>2026-01-01T00:00:00+07:00</published>") != std::string::npos);
  CHECK(atom.find("<title>Điều kiện &lt;đặc xá&gt;</title>") != std::string::npos);
  // The change is machine-readable and kept out of the content, which partners paste as is.
  CHECK(atom.find("<category scheme=\"https://example.org/api/v1/#change-type\" term=\"major\"/>") !=
        std::string::npos);
  CHECK(atom.find("<clemency:change type=\"major\" updated=\"2026-03-01T10:00:00+07:00\">Thêm "
                  "bước 2</clemency:change>") != std::string::npos);
  CHECK(atom.find("<content type=\"html\">&lt;p&gt;Nội dung &amp;amp; thêm&lt;/p&gt;</content>") !=
        std::string::npos);
  CHECK(atom.find("xmlns:clemency=\"https://example.org/api/v1/#feed-extension\"") !=
        std::string::npos);
}

TEST_CASE("a withdrawal is an RFC 6721 deleted-entry in Atom, a category in RSS, a status in JSON") {
  FeedEntry e = Entries()[0];
  e.change_type = "gone";
  e.change_note.clear();
  e.withdrawn_reason = "Thông tin đã cũ.";
  e.updated = *ParseDateTime("2026-04-01T08:00:00+07:00", 420);
  std::string atom = RenderAtom(Info(), {e});
  CHECK(atom.find("xmlns:at=\"http://purl.org/atompub/tombstones/1.0\"") != std::string::npos);
  CHECK(atom.find("<at:deleted-entry ref=\"tag:example.org,2026-01-01:/vi/guides/a/\" "
                  "when=\"2026-04-01T08:00:00+07:00\">") != std::string::npos);
  CHECK(atom.find("<at:comment xml:lang=\"vi\">Thông tin đã cũ.</at:comment>") !=
        std::string::npos);
  std::string rss = RenderRss(Info(), {e});
  CHECK(rss.find("<category domain=\"https://example.org/api/v1/#change-type\">gone</category>") !=
        std::string::npos);
  CHECK(rss.find("<atom:updated>2026-04-01T08:00:00+07:00</atom:updated>") != std::string::npos);
  std::string json = RenderJsonFeed(Info(), {e});
  CHECK(json.find("\"status\": \"gone\", \"withdrawn_reason\": \"Thông tin đã cũ.\", "
                  "\"withdrawn_reason_lang\": \"vi\"") != std::string::npos);
}

TEST_CASE("RSS uses RFC 822 dates and non-permalink guids") {
  std::string rss = RenderRss(Info(), Entries());
  CHECK(rss.find("<pubDate>Thu, 01 Jan 2026 00:00:00 +0700</pubDate>") != std::string::npos);
  CHECK(rss.find("<guid isPermaLink=\"false\">tag:example.org,2026-01-01:/vi/guides/a/</guid>") !=
        std::string::npos);
  CHECK(rss.find("<atom:link rel=\"self\"") != std::string::npos);
}

TEST_CASE("JSON Feed 1.1 carries full content and the change note") {
  std::string json = RenderJsonFeed(Info(), Entries());
  CHECK(json.find("\"version\": \"https://jsonfeed.org/version/1.1\"") != std::string::npos);
  CHECK(json.find("\"date_modified\": \"2026-03-01T10:00:00+07:00\"") != std::string::npos);
  CHECK(json.find("\"_clemency\": {\"change_note\": \"Thêm bước 2\"}") != std::string::npos);
  CHECK(json.find("\"content_html\": \"<p>Nội dung &amp; thêm</p>\"") != std::string::npos);
  std::vector<FeedEntry> typed = Entries();
  typed[0].change_type = "correction";
  CHECK(RenderJsonFeed(Info(), typed)
            .find("\"_clemency\": {\"change_note\": \"Thêm bước 2\", \"change_type\": "
                  "\"correction\", \"updated\": \"2026-03-01T10:00:00+07:00\"}") != std::string::npos);
  CHECK(RenderJsonFeed(Info(), {}).find("\"items\": []") != std::string::npos);
}

TEST_CASE("sitemap: each URL with its alternates, lastmod only when known, any range of URLs") {
  std::vector<SitemapGroup> groups(2);
  groups[0].alternates = {{"vi", "https://example.org/vi/a/"}, {"en", "https://example.org/en/a/"}};
  groups[0].urls = {{"https://example.org/vi/a/", *ParseDateTime("2026-03-01", 420)},
                    {"https://example.org/en/a/", DateTime()}};
  groups[1].alternates = {{"vi", "https://example.org/vi/b/?x=1&y=2"}};
  groups[1].urls = {{"https://example.org/vi/b/?x=1&y=2", *ParseDateTime("2026-02-01", 420)}};

  std::string all = RenderSitemap(groups, 0, kSitemapMaxUrls);
  CHECK(all.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset ", 0) == 0);
  CHECK(all.find("<loc>https://example.org/vi/a/</loc>\n    <lastmod>2026-03-01T00:00:00+07:00"
                 "</lastmod>\n    <xhtml:link rel=\"alternate\" hreflang=\"vi\" "
                 "href=\"https://example.org/vi/a/\"/>") != std::string::npos);
  // No date known: no lastmod at all rather than 1970.
  CHECK(all.find("<loc>https://example.org/en/a/</loc>\n    <xhtml:link") != std::string::npos);
  CHECK(all.find("1970") == std::string::npos);
  CHECK(all.find("<loc>https://example.org/vi/b/?x=1&amp;y=2</loc>") != std::string::npos);

  // URL 2 alone (the second of group 0), and the last one alone, with their group's alternates.
  std::string second = RenderSitemap(groups, 1, 1);
  CHECK(second.find("<loc>https://example.org/en/a/</loc>") != std::string::npos);
  CHECK(second.find("<loc>https://example.org/vi/a/</loc>") == std::string::npos);
  CHECK(second.find("hreflang=\"vi\" href=\"https://example.org/vi/a/\"") != std::string::npos);
  std::string third = RenderSitemap(groups, 2, 5);
  CHECK(third.find("<url>") == third.rfind("<url>"));
  CHECK(third.find("/vi/b/") != std::string::npos);
  CHECK(RenderSitemap(groups, 3, 5).find("<url>") == std::string::npos);

  std::string index = RenderSitemapIndex({"https://example.org/sitemap-1.xml"});
  CHECK(index.find("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">") !=
        std::string::npos);
  CHECK(index.find("<sitemap>\n    <loc>https://example.org/sitemap-1.xml</loc>\n  </sitemap>") !=
        std::string::npos);
}

TEST_CASE("feeds state the licence, and what it covers of a retold report") {
  FeedInfo info = Info();
  info.licence = {"CC BY 4.0", "CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/",
                  "Nguồn: Đặc xá (https://example.org)",
                  "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/. Nguồn: Đặc xá "
                  "(https://example.org)"};
  std::vector<FeedEntry> entries = Entries();
  entries[0].rights = "Chỉ phần kể lại (Báo A)";
  std::string atom = RenderAtom(info, entries);
  CHECK(atom.find("  <rights>CC BY 4.0 https://creativecommons.org/licenses/by/4.0/. Nguồn: Đặc "
                  "xá (https://example.org)</rights>\n") != std::string::npos);
  CHECK(atom.find("    <rights>Chỉ phần kể lại (Báo A)</rights>\n") != std::string::npos);
  std::string rss = RenderRss(info, entries);
  CHECK(rss.find("  <copyright>CC BY 4.0 https://creativecommons.org/licenses/by/4.0/. Nguồn: "
                 "Đặc xá (https://example.org)</copyright>\n") != std::string::npos);
  std::string json = RenderJsonFeed(info, entries);
  CHECK(json.find("\"_clemency\": {\"license\": {\"name\": \"CC BY 4.0\", \"spdx\": "
                  "\"CC-BY-4.0\", \"url\": \"https://creativecommons.org/licenses/by/4.0/\", "
                  "\"attribution\": \"Nguồn: Đặc xá (https://example.org)\"}}") !=
        std::string::npos);
  CHECK(json.find("\"_clemency\": {\"change_note\": \"Thêm bước 2\", \"rights\": \"Chỉ phần kể "
                  "lại (Báo A)\"}") != std::string::npos);
  // No licence stated: nothing said.
  CHECK(RenderAtom(Info(), Entries()).find("<rights>") == std::string::npos);
  CHECK(RenderRss(Info(), Entries()).find("<copyright>") == std::string::npos);
  CHECK(RenderJsonFeed(Info(), Entries()).find("license") == std::string::npos);
}
