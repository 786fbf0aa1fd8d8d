// The admin's edit screens through the real server: no draft until the first save, conflicts
// between editors, the unpublish confirmation, presence and review notices, the translator's view.
#include <string>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "editor_server.h"

using namespace clemency;
using namespace clemency::editor_test;

namespace {
// The value of the first `name="NAME" value="…"` in an admin page.
std::string HiddenValue(const std::string& body, const std::string& name) {
  std::string marker = "name=\"" + name + "\" value=\"";
  size_t at = body.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return body.substr(at, body.find('"', at) - at);
}

}  // namespace
TEST_CASE("admin: opening a page to edit makes no draft; the first save does") {
  EditorServer s;
  auto lan = s.SignedIn("lan");
  const std::string open = "/admin/edit?path=" + kPath;
  auto page = s.Client().Get(open, lan);
  REQUIRE(page->status == 200);
  CHECK(page->body.find("Đoạn hai.") != std::string::npos);
  CHECK(page->body.find("data-keep-key=") != std::string::npos);  // nothing to autosave into yet
  CHECK(page->body.find("data-save-url=") == std::string::npos);
  // Text restored after signing in again is not saved by itself here: the message says so.
  CHECK(page->body.find("Bấm Lưu bản nháp để giữ lại") != std::string::npos);
  CHECK(page->body.find("sẽ được tự động lưu") == std::string::npos);
  CHECK(s.Client().Get("/api/v1/editor/edits/1", lan)->status == 404);
  auto preview = s.Client().Get("/admin/edit/preview?path=" + kPath, lan);
  REQUIRE(preview->status == 200);
  CHECK(preview->body.find("Đoạn ba.") != std::string::npos);
  CHECK(s.Client().Get("/api/v1/editor/edits/1", lan)->status == 404);

  std::string csrf = lan.find("X-CSRF-Token")->second;
  httplib::Headers cookie{{"Cookie", lan.find("Cookie")->second}};
  std::string etag = HiddenValue(page->body, "etag");
  REQUIRE(etag.rfind("start:", 0) == 0);
  // A save from a text that is no longer the live one is refused, and nothing is made.
  httplib::MultipartFormDataItems stale{{"csrf", csrf, "", ""}, {"etag", "start:0", "", ""},
                                        {"text", Replaced(kText, "Đoạn một.", "Một."), "", ""}};
  CHECK(s.Client().Post(open, cookie, stale)->status == 409);
  CHECK(s.Client().Get("/api/v1/editor/edits/1", lan)->status == 404);

  httplib::MultipartFormDataItems save{{"csrf", csrf, "", ""}, {"etag", etag, "", ""},
                                       {"text", Replaced(kText, "Đoạn một.", "Đoạn một, mới."), "", ""},
                                       {"note", "Sửa đoạn một", "", ""}};
  auto saved = s.Client().Post(open, cookie, save);
  REQUIRE(saved->status == 303);
  CHECK(saved->get_header_value("Location") == "/admin/edits/1?done=saved");
  auto edit = Json(s.Client().Get("/api/v1/editor/edits/1", lan));
  CHECK(Text(edit, "state") == "draft");
  CHECK(Text(edit, "text").find("Đoạn một, mới.") != std::string::npos);
  CHECK(Text(edit, "note") == "Sửa đoạn một");
  // Opening the page again leads to its open edit.
  auto again = s.Client().Get(open, lan);
  CHECK(again->status == 303);
  CHECK(again->get_header_value("Location") == "/admin/edits/1");
}

TEST_CASE("admin: a second editor's first save against an edit started meanwhile is a conflict") {
  EditorServer s;
  auto lan = s.SignedIn("lan"), minh = s.SignedIn("minh");
  const std::string open = "/admin/edit?path=" + kPath;
  auto page = s.Client().Get(open, minh);
  REQUIRE(page->status == 200);
  auto started = s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                                 "application/json");
  REQUIRE(started->status == 201);
  REQUIRE(s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                         TextBody(Replaced(kText, "Đoạn ba.", "Đoạn ba, của Lan.")),
                         "application/json")->status == 200);
  httplib::MultipartFormDataItems save{
      {"csrf", minh.find("X-CSRF-Token")->second, "", ""},
      {"etag", HiddenValue(page->body, "etag"), "", ""},
      {"text", Replaced(kText, "Đoạn một.", "Đoạn một, của Minh."), "", ""}};
  auto conflict = s.Client().Post(open, httplib::Headers{{"Cookie", minh.find("Cookie")->second}}, save);
  REQUIRE(conflict->status == 412);
  size_t merged_at = conflict->body.find("id=\"merged-text\"");
  REQUIRE(merged_at != std::string::npos);
  std::string merged = conflict->body.substr(merged_at, conflict->body.find("</textarea>", merged_at) - merged_at);
  CHECK(merged.find("Đoạn một, của Minh.") != std::string::npos);
  CHECK(merged.find("Đoạn ba, của Lan.") != std::string::npos);
}

TEST_CASE("admin: unpublishing asks for confirmation on its form first") {
  EditorServer s;
  auto hoa = s.SignedIn("hoa");
  auto form = s.Client().Get("/admin/unpublish?path=" + kPath, hoa);
  REQUIRE(form->status == 200);
  CHECK(form->body.find("name=\"confirm\"") != std::string::npos);
  httplib::Params sent{{"csrf", hoa.find("X-CSRF-Token")->second}, {"path", kPath},
                       {"reason", "Lý do gỡ"}};
  auto refused = s.Client().Post("/admin/unpublish", httplib::Headers{{"Cookie", hoa.find("Cookie")->second}}, sent);
  REQUIRE(refused->status == 400);
  CHECK(refused->body.find("id=\"confirm-error\"") != std::string::npos);
  CHECK(refused->body.find("Lý do gỡ") != std::string::npos);  // what was typed is kept
  auto live = PageRepository(s.store.get()).Get("guides", "quy-trinh", "vi");
  REQUIRE(live.ok());
  CHECK((*live)->status == "published");
}

TEST_CASE("admin: who else is editing a page, and what waits for a publisher's review") {
  EditorServer s;
  auto lan = s.SignedIn("lan"), minh = s.SignedIn("minh"), hoa = s.SignedIn("hoa");
  REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                          "application/json")->status == 201);
  auto saved = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                              TextBody(Replaced(kText, "Đoạn một.", "Đoạn một, của Lan.")),
                              "application/json");
  REQUIRE(saved->status == 200);
  // Another editor sees Lan on the edit screen and in the page list; Lan does not see herself.
  auto other = s.Client().Get("/admin/edits/1", minh);
  REQUIRE(other->status == 200);
  CHECK(other->body.find("id=\"presence\"") != std::string::npos);
  CHECK(other->body.find("lan (lưu lúc") != std::string::npos);
  auto list = s.Client().Get("/admin/pages", minh);
  CHECK(list->body.find("class=\"presence\"") != std::string::npos);
  auto own = s.Client().Get("/admin/edits/1", lan);
  size_t own_presence = own->body.find("id=\"presence\"");
  INFO((own_presence == std::string::npos ? std::string() : own->body.substr(own_presence, 300)));
  CHECK(own_presence == std::string::npos);
  CHECK(s.Client().Get("/admin/pages", lan)->body.find("class=\"presence\"") == std::string::npos);

  // A publisher's dashboard counts nothing until the edit is submitted; an editor's has no count.
  CHECK(s.Client().Get("/admin/", hoa)->body.find("Không có thay đổi nào đang chờ bạn duyệt") !=
        std::string::npos);
  auto typed = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", saved->get_header_value("ETag")),
                              "{\"change_type\":\"minor\"}", "application/json");
  REQUIRE(typed->status == 200);
  REQUIRE(s.Client().Post("/api/v1/editor/edits/1/submit",
                          With(lan, "If-Match", typed->get_header_value("ETag")), "", "")->status == 200);
  auto dashboard = s.Client().Get("/admin/", hoa);
  CHECK(dashboard->body.find("Có 1 thay đổi đang chờ bạn duyệt") != std::string::npos);
  CHECK(dashboard->body.find("id=\"waiting\"") != std::string::npos);
  CHECK(s.Client().Get("/admin/", lan)->body.find("id=\"waiting\"") == std::string::npos);
}

TEST_CASE("admin: the translator sees the source beside the form; saving sets translated_from") {
  EditorServer s;
  const std::string en_path = "content/guides/quy-trinh.en.md";
  const std::string en_text =
      "---\ntitle: \"Process\"\ntranslation_status: complete\ntranslated_from: 2026-10-01\n"
      "summary: \"The steps\"\n---\n\nPara one.\n";
  PageRow row = GuideRow("quy-trinh", "en", "Process", en_path, en_text);
  row.meta_json = "{\"translated_from\":\"2026-10-01T00:00:00+07:00\"}";
  REQUIRE(PageRepository(s.store.get()).Upsert(row).ok());
  auto lan = s.SignedIn("lan");
  auto page = s.Client().Get("/admin/edit?path=" + en_path, lan);
  REQUIRE(page->status == 200);
  size_t source = page->body.find("id=\"source-body\"");
  REQUIRE(source != std::string::npos);
  CHECK(page->body.find("Đoạn hai.", source) != std::string::npos);  // the Vietnamese source
  CHECK(page->body.find("Bản gốc (") != std::string::npos);

  httplib::MultipartFormDataItems save{{"csrf", lan.find("X-CSRF-Token")->second, "", ""},
                                       {"etag", HiddenValue(page->body, "etag"), "", ""},
                                       {"text", Replaced(en_text, "Para one.", "Paragraph one."), "", ""}};
  auto saved = s.Client().Post("/admin/edit?path=" + en_path,
                               httplib::Headers{{"Cookie", lan.find("Cookie")->second}}, save);
  REQUIRE(saved->status == 303);
  auto edit = Json(s.Client().Get("/api/v1/editor/edits/1", lan));
  const std::string text = Text(edit, "text");
  CHECK(text.find("translated_from: 2026-11-01T00:00:00+07:00\n") != std::string::npos);
  CHECK(text.find("2026-10-01") == std::string::npos);
  // The field keeps its place among the others.
  CHECK(text.find("translated_from:") < text.find("summary:"));
}
