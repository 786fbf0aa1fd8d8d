// The admin's media library and page search through the real server: uploads with alt text,
// stripped metadata, the list and its search, deletion of unused images only.
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "editor_server.h"
#include "i18n/search_text.h"
#include "store/media.h"
#include "unit/media/test_images.h"

using namespace clemency;
using namespace clemency::editor_test;

TEST_CASE("admin: an image is uploaded with its alt text, stripped, listed, found; bad input is 4xx") {
  EditorServer s;
  auto lan = s.SignedIn("lan");
  std::string csrf = lan.find("X-CSRF-Token")->second;
  httplib::Headers cookie{{"Cookie", lan.find("Cookie")->second}};
  const std::string jpeg = testing::WithExif(testing::MakeImage("jpg", 1200, 800), 1);
  auto form = [&](const std::string& bytes, const std::string& km_alt) {
    return httplib::MultipartFormDataItems{
        {"csrf", csrf, "", ""},
        {"file", bytes, "photo.jpg", "image/jpeg"},
        {"alt_vi", "Một gia đình đoàn tụ", "", ""},
        {"alt_en", "A family together again", "", ""},
        {"alt_km", km_alt, "", ""},
        {"caption", "Tết 2026", "", ""},
        {"consent_basis", "personal", "", ""},
        {"consent_given_by", "N.V.A., 2026-11-02", "", ""}};
  };
  auto screen = s.Client().Get("/admin/media", cookie);
  REQUIRE(screen->status == 200);
  CHECK(screen->body.find("enctype=\"multipart/form-data\"") != std::string::npos);

  SECTION("no CSRF token: refused, nothing stored") {
    auto items = form(jpeg, "ក្រុមគ្រួសារ");
    items.erase(items.begin());
    auto refused = s.Client().Post("/admin/media", cookie, items);
    CHECK(refused->status == 403);
    CHECK(MediaRepository(s.store.get()).List("", 10)->empty());
  }
  SECTION("not an image, cut short, no alt text: 422 with the problem by its field") {
    auto svg = s.Client().Post("/admin/media", cookie,
                               form("<svg><script>alert(1)</script></svg>", "ក្រុមគ្រួសារ"));
    CHECK(svg->status == 422);
    CHECK(svg->body.find("id=\"media-file-error\"") != std::string::npos);
    CHECK(svg->body.find("không phải ảnh JPEG") != std::string::npos);
    CHECK(svg->body.find("Một gia đình đoàn tụ") != std::string::npos);  // what was typed is kept
    auto cut = s.Client().Post("/admin/media", cookie, form(jpeg.substr(0, jpeg.size() / 2), "x"));
    CHECK(cut->status == 422);
    CHECK(cut->body.find("bị hỏng") != std::string::npos);
    auto no_alt = s.Client().Post("/admin/media", cookie, form(jpeg, " "));
    CHECK(no_alt->status == 422);
    CHECK(no_alt->body.find("id=\"media-alt-km-error\"") != std::string::npos);
    auto not_multipart = s.Client().Post("/admin/media", cookie, httplib::Params{{"csrf", csrf}});
    CHECK(not_multipart->status == 400);
    CHECK(MediaRepository(s.store.get()).List("", 10)->empty());
  }
  SECTION("a good upload: stored without metadata, listed with its Markdown, found by alt text") {
    auto added = s.Client().Post("/admin/media", cookie, form(jpeg, "ក្រុមគ្រួសារ"));
    REQUIRE(added->status == 303);
    auto rows = MediaRepository(s.store.get()).List("", 10);
    REQUIRE(rows->size() == 1);
    const MediaRow& row = rows->front();
    CHECK(row.width == 1200);
    CHECK(row.consent_given_by == "N.V.A., 2026-11-02");
    auto list = s.Client().Get("/admin/media?q=gia+dinh", cookie);
    REQUIRE(list->status == 200);
    CHECK(list->body.find("![Một gia đình đoàn tụ](" + row.path + ")") != std::string::npos);
    auto none = s.Client().Get("/admin/media?q=xyz", cookie);
    CHECK(none->body.find(row.path) == std::string::npos);
    auto file = s.Client().Get("/admin/media/file/" + row.path.substr(7), cookie);
    REQUIRE(file->status == 200);
    CHECK(file->get_header_value("Content-Type") == "image/jpeg");
    CHECK_FALSE(testing::HasApp1(file->body));
    CHECK(file->body.find("SECRET-PLACE") == std::string::npos);
    auto small = s.Client().Get("/admin/media/file/" + row.hash + "-480x320.jpg", cookie);
    CHECK(small->status == 200);
    auto anonymous = s.Client().Get("/admin/media/file/" + row.path.substr(7));
    CHECK(anonymous->status == 303);  // to the sign-in page
  }
}

TEST_CASE("admin: the page list's search uses the site's index: words of the body, no diacritics") {
  EditorServer s;
  const std::string body = "Mang theo giấy chứng nhận chấp hành xong án. Xem quy trình trước.";
  PageRow row = GuideRow("giay-to", "vi", "Giấy tờ cần có", "content/guides/giay-to.vi.md",
                         "---\ntitle: Giấy tờ cần có\n---\n" + body + "\n");
  row.search = SearchFields{SearchIndexText(row.title, "vi_VN"), "", "", SearchIndexText(body, "vi_VN")};
  REQUIRE(PageRepository(s.store.get()).Upsert(row).ok());
  auto lan = s.SignedIn("lan");
  auto list = [&](const std::string& q) {
    auto res = s.Client().Get("/admin/pages?q=" + q, lan);
    REQUIRE(res->status == 200);
    return res->body;
  };
  // In the body only, typed without diacritics: found through the index.
  CHECK(list("chap+hanh+xong").find("content/guides/giay-to.vi.md") != std::string::npos);
  CHECK(list("chap+hanh+xong").find(kPath) == std::string::npos);
  // Titles and slugs still match as before (the first page has no index row here).
  // A title that holds the query comes before a page only the index finds.
  const std::string both = list("quy+trinh");
  CHECK(both.find(kPath) != std::string::npos);
  CHECK(both.find(kPath) < both.find("content/guides/giay-to.vi.md"));
  CHECK(list("khong+co+trang+nay").find("content/guides/") == std::string::npos);
}

TEST_CASE("admin: an unused image is deleted; one a live page or an open edit shows is not") {
  EditorServer s;
  auto lan = s.SignedIn("lan");
  std::string csrf = lan.find("X-CSRF-Token")->second;
  httplib::Headers cookie{{"Cookie", lan.find("Cookie")->second}};
  auto upload = [&](int width) {
    httplib::MultipartFormDataItems items{
        {"csrf", csrf, "", ""},
        {"file", testing::MakeImage("jpg", width, 400), "photo.jpg", "image/jpeg"},
        {"alt_vi", "Ảnh " + std::to_string(width), "", ""},
        {"alt_en", "Picture", "", ""},
        {"alt_km", "រូបភាព", "", ""},
        {"consent_basis", "no-person", "", ""}};
    REQUIRE(s.Client().Post("/admin/media", cookie, items)->status == 303);
    auto stored = MediaRepository(s.store.get()).List(SearchIndexText("Ảnh " + std::to_string(width), "vi_VN"), 1);
    REQUIRE(stored->size() == 1);
    return stored->front();
  };
  const MediaRow live = upload(600), drafted = upload(700), unused = upload(800);
  REQUIRE(PageRepository(s.store.get())
              .Upsert(GuideRow("co-anh", "vi", "Trang có ảnh", "content/guides/co-anh.vi.md",
                               "---\ntitle: Trang có ảnh\n---\n![Ảnh](" + live.path + ")\n"))
              .ok());
  REQUIRE(s.workflow->Create({"minh", "editor"}, "content/guides/moi.vi.md",
                             "---\ntitle: Mới\n---\n![Ảnh](" + drafted.path + ")\n").ok());
  auto del = [&](const std::string& hash, const std::string& lang = "vi") {
    return s.Client().Post("/admin/media/" + hash + "/delete?lang=" + lang, cookie,
                           httplib::Params{{"csrf", csrf}});
  };
  auto refused = del(live.hash);
  CHECK(refused->status == 409);
  CHECK(refused->body.find("id=\"media-delete-refused\"") != std::string::npos);
  CHECK(refused->body.find("Trang có ảnh") != std::string::npos);
  CHECK(refused->body.find("Chưa xoá được ảnh này") != std::string::npos);
  auto refused_en = del(drafted.hash, "en");
  CHECK(refused_en->status == 409);
  CHECK(refused_en->body.find("the open edit of content/guides/moi.vi.md") != std::string::npos);
  CHECK(MediaRepository(s.store.get()).FindByHash(live.hash)->has_value());
  CHECK(MediaRepository(s.store.get()).FindByHash(drafted.hash)->has_value());
  auto deleted = del(unused.hash);
  CHECK(deleted->status == 303);
  CHECK_FALSE(MediaRepository(s.store.get()).FindByHash(unused.hash)->has_value());
  CHECK_FALSE(MediaRepository(s.store.get()).FileBytes(unused.path)->has_value());
  CHECK(del(unused.hash)->status == 404);
  // Without the CSRF token nothing happens.
  CHECK(s.Client().Post("/admin/media/" + live.hash + "/delete", cookie, httplib::Params{})->status == 403);
}
