// The public JSON API through a real server (tests/unit/server/running_server.h).
#include "running_server.h"

using namespace clemency;
using testing::Contains;
using testing::RunningServer;

TEST_CASE("API: languages, page lists with cursors and Link headers, one page, support") {
  RunningServer s;
  auto languages = s.Get("/api/v1/languages");
  CHECK(languages->get_header_value("Content-Type") == "application/json");
  CHECK(languages->get_header_value("Access-Control-Allow-Origin") == "*");
  CHECK(Contains(languages->body, "{\"code\":\"vi\",\"name\":\"Tiếng Việt\",\"locale\":\"vi_VN\""));
  CHECK(Contains(languages->body, "\"default\":true"));

  auto first = s.Get("/api/v1/pages?limit=2");
  CHECK(first->status == 200);
  // Newest updated first: alpha.vi was updated on 2026-03-01.
  CHECK(first->body.find("\"id\":\"guides/alpha/vi\"") < first->body.find("\"items\"") + 20);
  std::string link = first->get_header_value("Link");
  REQUIRE(Contains(link, "rel=\"next\""));
  std::string next = link.substr(1, link.find('>') - 1);
  CHECK(Contains(first->body, "\"next\":\"" + next + "\""));
  auto second = s.Get(next);
  CHECK(second->status == 200);
  CHECK_FALSE(Contains(second->body, "\"id\":\"guides/alpha/vi\""));

  auto en = s.Get("/api/v1/pages?lang=en&section=guides");
  CHECK(Contains(en->body, "\"id\":\"guides/alpha/en\""));
  CHECK(Contains(en->body, "\"next\":null"));
  CHECK_FALSE(Contains(en->body, "\"lang\":\"vi\""));
  auto since = s.Get("/api/v1/pages?updated_since=2026-02-20");
  CHECK(Contains(since->body, "guides/alpha/vi"));
  CHECK_FALSE(Contains(since->body, "guides/beta/vi"));
  CHECK_FALSE(Contains(s.Get("/api/v1/pages?limit=100")->body, "hidden"));  // drafts stay private

  auto page = s.Get("/api/v1/pages/guides/alpha?lang=vi");
  CHECK(page->status == 200);
  for (const char* field :
       {"\"body_html\":\"<h2 id=\\\"buoc-1-nop-don\\\">", "\"body_text\":\"Bước 1: Nộp đơn",
        "\"sources\":[{\"title\":\"Luật Đặc xá\",\"number\":\"30/2018/QH14\"",
        "\"reviewed\":\"2026-02-15T00:00:00+07:00\"", "\"translation_status\":null",
        "\"change_note\":\"Thêm bước 2.\"",
        "\"lang\":\"en\",\"url\":\"https://dacxa.example.gov.vn/en/guides/alpha/\"",
        "\"history\":[{\"updated\":\"2026-03-01T10:00:00+07:00\""}) {
    INFO(field);
    CHECK(Contains(page->body, field));
  }
  CHECK(Contains(s.Get("/api/v1/pages/guides/alpha?lang=en")->body,
                 "\"translation_status\":\"machine-assisted\""));

  // The province the source named (Long An) and the one it belongs to since 2025 (Tây Ninh)
  // both find the entry; another province does not.
  auto support = s.Get("/api/v1/support?province=Long%20An&service=loans");
  CHECK(Contains(support->body, "\"id\":\"support/quy/vi\""));
  CHECK(s.Get("/api/v1/support?province=T%C3%A2y%20Ninh")->body == support->body);
  // A name that is no province is refused (issue 26), with the codes there are.
  auto unknown = s.Get("/api/v1/support?province=Atlantis");
  CHECK(unknown->status == 400);
  CHECK(Contains(unknown->body, "tay-ninh"));
  CHECK(Contains(support->body,
                 "\"province\":\"Long An\",\"current_province\":\"Tây Ninh\","
                 "\"commune\":\"Mỹ Yên\",\"district\":\"Bến Lức\",\"former_district\":\"Bến Lức\""));
  CHECK(Contains(support->body, "\"verified_by\":\"Công an xã Mỹ Yên\""));
  CHECK(Contains(support->body, "\"services\":[\"loans\",\"club\"]"));
  CHECK(Contains(support->body, "\"contact\":{}"));
  CHECK(Contains(s.Get("/api/v1/support?service=housing")->body, "\"items\":[]"));
  auto csv = s.Get("/api/v1/support", {{"Accept", "text/csv"}});
  CHECK(csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(csv->body.rfind("\xEF\xBB\xBF"  // a UTF-8 BOM, for Excel on Windows
                        "id,lang,title,province,current_province,commune,district,organisation,"
                        "services,phone,address,hours,verified,verified_by,url\r\n",
                        0) == 0);
  CHECK(Contains(csv->body, "support/quy/vi,vi,Quỹ hỗ trợ thử,Long An,Tây Ninh,Mỹ Yên,Bến Lức,"
                            "Công an xã,\"loans,club\",,,,2026-02-10T00:00:00+07:00,"
                            "Công an xã Mỹ Yên,"));
  CHECK(s.Get("/api/v1/support.csv")->body == csv->body);

  auto openapi = s.Get("/api/v1/openapi.json");
  CHECK(openapi->status == 200);
  CHECK(openapi->body ==
        testing::ReadFile(std::string(CLEMENCY_SOURCE_DIR) + "/generator/public_api/openapi.json"));
}

TEST_CASE("API pages state the licence and what it covers of a story retold from a report") {
  RunningServer s([](const std::string& dir) {
    testing::WriteFile(dir + "/content/stories/bao.vi.md",
                       "---\ntitle: Chuyện từ báo\ndate: 2026-02-11\nconsent:\n"
                       "  basis: published-report\nsource:\n  title: Bài báo gốc\n"
                       "  publisher: Báo thử\n  url: https://bao.example/a\n---\nAnh H. đã về. "
                       "[Hướng dẫn](/vi/guides/alpha/)\n");
  });
  const std::string licence =
      "\"licence\":{\"name\":\"CC BY 4.0\",\"spdx\":\"CC-BY-4.0\","
      "\"url\":\"https://creativecommons.org/licenses/by/4.0/\",";
  auto own = s.Get("/api/v1/pages/guides/alpha?lang=en");
  CHECK(Contains(own->body, licence + "\"attribution\":\"Source: Special amnesty information "
                                      "(https://dacxa.example.gov.vn)\",\"covers\":\"all\"}"));
  auto retold = s.Get("/api/v1/pages/stories/bao?lang=vi");
  REQUIRE(retold->status == 200);
  CHECK(Contains(retold->body, licence + "\"attribution\":\"Nguồn: Thông tin đặc xá "
                                         "(https://dacxa.example.gov.vn)\",\"covers\":"
                                         "\"retelling\",\"note\":\"Giấy phép"));
  CHECK(Contains(retold->body, "\"url\":\"https://bao.example/a\""));  // the report, linked
  // Links in body_html and feed content are absolute, to work where a partner pastes them.
  CHECK(Contains(retold->body,
                 "<a href=\\\"https://dacxa.example.gov.vn/vi/guides/alpha/\\\">Hướng dẫn</a>"));
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/stories/feed.json"),
                 "<a href=\\\"https://dacxa.example.gov.vn/vi/guides/alpha/\\\">"));
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/stories/bao/index.html"),
                 "<a href=\"/vi/guides/alpha/\">"));  // the site's own pages keep site paths
  CHECK(Contains(s.Get("/api/v1/pages?lang=vi")->body, licence));
  // The story's feed entry says the same.
  std::string atom = testing::ReadFile(s.dir / "public/vi/stories/feed.atom");
  CHECK(Contains(atom, "<rights>CC BY 4.0 https://creativecommons.org/licenses/by/4.0/. Nguồn: "
                       "Thông tin đặc xá (https://dacxa.example.gov.vn)</rights>"));
  CHECK(Contains(atom, "    <rights>Giấy phép của trang chỉ áp dụng cho phần kể lại của trang, "
                       "không áp dụng cho bài báo gốc. (Bài báo gốc, Báo thử, "
                       "https://bao.example/a)</rights>"));
  std::string footer = testing::ReadFile(s.dir / "public/vi/stories/bao/index.html");
  CHECK(Contains(footer, "<p class=\"licence\"><a rel=\"license\" "
                         "href=\"https://creativecommons.org/licenses/by/4.0/\">CC BY 4.0</a>. "
                         "Nguồn: Thông tin đặc xá (https://dacxa.example.gov.vn)</p>"));
}

TEST_CASE("API: every bad input is a 400 or 404 problem, never a 500") {
  RunningServer s;
  struct Case {
    const char* path;
    int status;
    const char* detail;
  };
  for (const Case& c : std::vector<Case>{
           {"/api/v1/pages?lang=fr", 400, "lang 'fr' is not one of: vi, en, km"},
           {"/api/v1/pages?section=news", 400,
            "section 'news' is not one of: guides, stories, support"},
           {"/api/v1/pages?updated_since=yesterday", 400,
            "updated_since 'yesterday' is not an RFC 3339"},
           {"/api/v1/pages?updated_since=2026-02-30", 400, "updated_since '2026-02-30'"},
           {"/api/v1/pages?limit=0", 400, "limit must be a whole number from 1 to 100"},
           {"/api/v1/pages?limit=101", 400, "limit must be a whole number from 1 to 100"},
           {"/api/v1/pages?limit=ten", 400, "limit must be"},
           {"/api/v1/pages?cursor=not-a-cursor", 400, "cursor is not one this API issued"},
           {"/api/v1/pages?cursor=", 400, "cursor is not one this API issued"},
           {"/api/v1/pages/guides/alpha?lang=xx", 400, "lang 'xx'"},
           {"/api/v1/pages/guides/nope", 404, "no page guides/nope in 'vi'"},
           {"/api/v1/pages/guides/beta?lang=en", 404,
            "no page guides/beta in 'en'; available in: vi"},
           {"/api/v1/pages/news/alpha", 404, "no section 'news'"},
           {"/api/v1/pages/guides/hidden", 404, "no page guides/hidden"},
           {"/api/v1/support?service=cash", 400, "service 'cash' is not one of"},
           {"/api/v1/pages?lang=vi&sectoin=guides", 400,
            "unknown query parameter 'sectoin'; this endpoint reads lang, section, updated_since, "
            "limit, cursor"},
           {"/api/v1/support?lang=vi&limit=100", 400, "unknown query parameter 'limit'"},
           {"/api/v1/languages?x=1", 400, "unknown query parameter 'x'; this endpoint reads none"},
           {"/api/v2/pages", 404, "no such API endpoint"},
       }) {
    INFO(c.path);
    auto res = s.Get(c.path);
    REQUIRE(res);
    CHECK(res->status == c.status);
    CHECK(res->get_header_value("Content-Type") == "application/problem+json");
    CHECK(Contains(res->body, std::string("\"detail\":\"") + c.detail));
    CHECK(Contains(res->body, "\"status\":" + std::to_string(c.status)));
  }
}

TEST_CASE("API: Last-Modified from the newest page shown, and If-Modified-Since") {
  RunningServer s;
  // alpha.vi, the newest page, was updated 2026-03-01T10:00:00+07:00.
  const std::string newest = "Sun, 01 Mar 2026 03:00:00 GMT";
  auto page = s.Get("/api/v1/pages/guides/alpha?lang=vi");
  CHECK(page->get_header_value("Last-Modified") == newest);
  CHECK(s.Get("/api/v1/pages?lang=vi")->get_header_value("Last-Modified") == newest);
  CHECK_FALSE(s.Get("/api/v1/support")->get_header_value("Last-Modified").empty());
  auto same = s.Get("/api/v1/pages/guides/alpha?lang=vi", {{"If-Modified-Since", newest}});
  CHECK(same->status == 304);
  CHECK(same->get_header_value("Last-Modified") == newest);
  CHECK(s.Get("/api/v1/pages/guides/alpha?lang=vi",
              {{"If-Modified-Since", "Sat, 28 Feb 2026 00:00:00 GMT"}})
            ->status == 200);
  // An ETag, when sent, decides: a stale one gets the body though the date would say 304.
  CHECK(s.Get("/api/v1/pages/guides/alpha?lang=vi",
              {{"If-Modified-Since", newest}, {"If-None-Match", "\"stale\""}})
            ->status == 200);
  CHECK(s.Get("/api/v1/pages?lang=vi", {{"If-Modified-Since", newest}})->status == 304);
  // Nothing listed, nothing to date: no Last-Modified.
  CHECK(s.Get("/api/v1/pages?updated_since=2030-01-01")->get_header_value("Last-Modified").empty());
}

TEST_CASE("API pagination stays consistent while pages are updated") {
  RunningServer s;
  // All published non-index pages, in order, one per request.
  std::vector<std::string> expected;
  {
    PageRepository pages(s.store.get());
    PageQuery all;
    all.limit = 100;
    auto rows = pages.List(all);
    REQUIRE(rows.ok());
    for (const auto& row : *rows) expected.push_back(row.section + "/" + row.slug + "/" + row.lang);
  }
  REQUIRE(expected.size() >= 4);
  std::set<std::string> seen;
  std::vector<std::string> order;
  std::string url = "/api/v1/pages?limit=1";
  bool updated = false;
  while (!url.empty()) {
    auto res = s.Get(url);
    REQUIRE(res->status == 200);
    size_t at = res->body.find("\"id\":\"");
    REQUIRE(at != std::string::npos);
    std::string id = res->body.substr(at + 6, res->body.find('"', at + 6) - at - 6);
    CHECK(seen.insert(id).second);  // never the same page twice
    order.push_back(id);
    if (!updated && order.size() == 2) {
      // An editor updates a page that was already seen and one not yet seen.
      PageRepository pages(s.store.get());
      int64_t days = 365;
      for (const std::string& key : {order[0], expected.back()}) {
        std::string section = key.substr(0, key.find('/'));
        std::string slug = key.substr(section.size() + 1, key.rfind('/') - section.size() - 1);
        auto row = pages.Get(section, slug, key.substr(key.rfind('/') + 1));
        REQUIRE(row.ok());
        REQUIRE(row->has_value());
        PageRow changed = **row;
        changed.updated_unix =
            1893456000 + (days++) * 86400;  // 2031; the unseen page ends up newest
        changed.updated = "2027-01-01T00:00:00+07:00";
        changed.content_hash += "-edited";
        changed.source_text = "edited";
        REQUIRE(pages.Upsert(changed).ok());
      }
      updated = true;
    }
    size_t next = res->body.find("\"next\":\"");
    url = next == std::string::npos
              ? ""
              : res->body.substr(next + 8, res->body.find('"', next + 8) - next - 8);
  }
  // Everything not moved to the front by the update was delivered, in order, exactly once.
  std::vector<std::string> unchanged;
  for (const auto& id : expected) {
    if (id != expected.back()) unchanged.push_back(id);
  }
  CHECK(order == unchanged);
  // The moved page is first on the next fresh poll.
  auto fresh = s.Get("/api/v1/pages?limit=1");
  INFO(fresh->body);
  CHECK(Contains(fresh->body, "\"id\":\"" + expected.back() + "\""));
}

TEST_CASE("cursors round-trip and reject tampering") {
  int64_t updated = 0, id = 0;
  std::string cursor = EncodeCursor(1795107600, 42);
  REQUIRE(DecodeCursor(cursor, &updated, &id));
  CHECK(updated == 1795107600);
  CHECK(id == 42);
  CHECK_FALSE(DecodeCursor("djI6MTo0Mg", &updated, &id));  // "v2:1:42"
  CHECK_FALSE(DecodeCursor(cursor + "!", &updated, &id));
  CHECK_FALSE(DecodeCursor("", &updated, &id));
}

namespace {

// Stores guide "alpha" in `lang` again as "hen-gio", published at `due` (0: as alpha was).
void StoreCopyOfAlpha(const RunningServer& s, const char* lang, int64_t due) {
  PageRepository pages(s.store.get());
  auto alpha = pages.Get("guides", "alpha", lang);
  REQUIRE((alpha.ok() && alpha->has_value()));
  PageRow row = **alpha;
  row.slug = "hen-gio";
  row.source_path = std::string("content/guides/hen-gio.") + lang + ".md";
  if (due != 0) {
    row.published = DateTime{due, 420, true}.ToRfc3339();
    row.updated = row.published;
    row.updated_unix = due;
  }
  row.content_hash += "-scheduled";
  REQUIRE(pages.Upsert(row).ok());
}

}  // namespace

TEST_CASE("the API shows a scheduled page from its publish time, without a store change") {
  RunningServer s;
  const int64_t due = Now(0).unix_seconds + 2;  // at least a second away
  StoreCopyOfAlpha(s, "vi", due);
  auto before = s.Get("/api/v1/pages?lang=vi");
  REQUIRE(before);
  REQUIRE(Now(0).unix_seconds < due);
  CHECK_FALSE(Contains(before->body, "guides/hen-gio/vi"));
  CHECK(s.Get("/api/v1/pages/guides/hen-gio?lang=vi")->status == 404);
  // The list above is cached until the store changes, or until the next publish time.
  while (Now(0).unix_seconds < due) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto after = s.Get("/api/v1/pages?lang=vi");
  REQUIRE(after);
  CHECK(Contains(after->body, "guides/hen-gio/vi"));
  CHECK(s.Get("/api/v1/pages/guides/hen-gio?lang=vi")->status == 200);
}

TEST_CASE("the change stream lists a translation of a scheduled page when its source goes live") {
  RunningServer s;
  const int64_t due = Now(0).unix_seconds + 4;  // seconds away, even on a loaded machine
  StoreCopyOfAlpha(s, "vi", due);  // the source is scheduled; its translation is published now
  StoreCopyOfAlpha(s, "en", 0);
  auto before = s.Get("/api/v1/changes?since=0&limit=1000");
  REQUIRE(before);
  REQUIRE(Now(0).unix_seconds < due);
  CHECK_FALSE(Contains(before->body, "guides/hen-gio"));
  CHECK(s.Get("/api/v1/pages/guides/hen-gio?lang=en")->status == 404);
  // The stream is read kChangeSettleSeconds behind the clock.
  while (Now(0).unix_seconds < due + PageRepository::kChangeSettleSeconds) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  // A follower whose cursor is the end of `before` gets both, the translation too.
  const size_t at = before->body.rfind("\"cursor\":\"");  // the list's, after its items'
  REQUIRE(at != std::string::npos);
  const std::string cursor = before->body.substr(at + 10, before->body.find('"', at + 10) - at - 10);
  auto after = s.Get("/api/v1/changes?since=" + cursor);
  REQUIRE(after);
  CHECK(Contains(after->body, "\"id\":\"guides/hen-gio/vi\""));
  CHECK(Contains(after->body, "\"id\":\"guides/hen-gio/en\""));
  CHECK(s.Get("/api/v1/pages/guides/hen-gio?lang=en")->status == 200);
}

TEST_CASE("API: with the site's province list, codes and names come from it, former names too") {
  const RunningServer s;  // the fixture has the real site/provinces.yaml
  auto list = s.Get("/api/v1/provinces");
  REQUIRE(list->status == 200);
  CHECK(Contains(list->body, "{\"code\":\"tay-ninh\",\"scope\":\"province\",\"names\":{\"vi\":"
                             "\"Tây Ninh\",\"en\":\"Tay Ninh\",\"km\":\"Tây Ninh\"},\"former\":[\"Long An\"]}"));
  CHECK(Contains(list->body, "{\"code\":\"toan-quoc\",\"scope\":\"nationwide\""));
  size_t provinces = 0;
  for (size_t at = 0; (at = list->body.find("\"scope\":\"province\"", at)) != std::string::npos; ++at)
    ++provinces;
  CHECK(provinces == 34);
  CHECK(s.Get("/api/v1/provinces?lang=vi")->status == 400);  // it reads no parameter

  // The entry names Long An (merged into Tây Ninh): its code and name are Tây Ninh's.
  auto page = s.Get("/api/v1/pages/support/quy?lang=vi");
  CHECK(Contains(page->body, "\"province_code\":\"tay-ninh\",\"province_name\":\"Tây Ninh\""));
  for (const char* province : {"tay-ninh", "long%20an", "TAY%20NINH", "Ta%CC%82y%20Ninh"}) {
    INFO(province);
    CHECK(Contains(s.Get(std::string("/api/v1/support?province=") + province)->body,
                   "\"id\":\"support/quy/vi\""));
  }
  // A listed province no entry names has no entries; a name no list knows is a 400.
  auto nghe_an = s.Get("/api/v1/support?province=nghe-an");
  CHECK(nghe_an->status == 200);
  CHECK(Contains(nghe_an->body, "\"items\":[]"));
  // A former province's name finds today's province: Bình Dương is in Ho Chi Minh City now.
  CHECK(s.Get("/api/v1/support?province=binh%20duong")->status == 200);
  auto atlantis = s.Get("/api/v1/support?province=Atlantis");
  CHECK(atlantis->status == 400);
  CHECK(Contains(atlantis->body, "codes: an-giang, bac-ninh"));
}

TEST_CASE("the change stream lists a change once it has settled, though the answer was cached") {
  RunningServer s;
  auto before = s.Get("/api/v1/changes?since=0&limit=1000");
  REQUIRE(before);
  REQUIRE_FALSE(Contains(before->body, "guides/hen-gio"));
  StoreCopyOfAlpha(s, "vi", 0);
  // Asked again and again by the same URL (the cached answer's key): the change arrives once
  // kChangeSettleSeconds have passed, not when the store next changes.
  const int64_t written = Now(0).unix_seconds;
  bool listed = false;
  while (!listed && Now(0).unix_seconds < written + 10) {
    auto now = s.Get("/api/v1/changes?since=0&limit=1000");
    REQUIRE(now);
    listed = Contains(now->body, "\"id\":\"guides/hen-gio/vi\"");
    if (!listed) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(listed);
  CHECK(Now(0).unix_seconds >= written + PageRepository::kChangeSettleSeconds - 1);
}
