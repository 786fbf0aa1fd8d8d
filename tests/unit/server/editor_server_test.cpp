// The editor API and the admin through the real server: ETags and If-Match, the 412 body with both
// versions and the merge, the 422 body with the checks' problems, no-store and CSP headers, the
// preview's frame-ancestors, the interface language switch, a merge after a publish.
#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "admin/admin_ui.h"
#include "editor_server.h"

using namespace clemency;
using namespace clemency::editor_test;

TEST_CASE("editor API: ETags, If-Match, and a stale write answered with both versions and the merge") {
  EditorServer s;
  auto lan = s.SignedIn("lan"), minh = s.SignedIn("minh");
  auto created = s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                                 "application/json");
  REQUIRE(created);
  REQUIRE(created->status == 201);
  CHECK(created->get_header_value("ETag") == "\"e1.1\"");
  CHECK(created->get_header_value("Location") == "/api/v1/editor/edits/1");
  CHECK(created->get_header_value("Cache-Control") == "no-store");
  CHECK_FALSE(created->has_header("Access-Control-Allow-Origin"));
  CHECK(Text(Json(created), "text") == kText);

  auto no_if_match = s.Client().Put("/api/v1/editor/edits/1", lan, TextBody("x"), "application/json");
  CHECK(no_if_match->status == 428);
  std::string mine_first = Replaced(kText, "Đoạn một.", "Đoạn một, đã sửa.");
  auto saved = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                              TextBody(mine_first), "application/json");
  REQUIRE(saved->status == 200);
  CHECK(saved->get_header_value("ETag") == "\"e1.2\"");

  // minh still has version 1 and changes another paragraph: refused, with a clean merge.
  std::string theirs = Replaced(kText, "Đoạn ba.", "Đoạn ba, của Minh.");
  auto stale = s.Client().Put("/api/v1/editor/edits/1", With(minh, "If-Match", "\"e1.1\""),
                              TextBody(theirs), "application/json");
  REQUIRE(stale->status == 412);
  JsonValue problem = Json(stale);
  REQUIRE(problem.Find("current"));
  CHECK(Text(*problem.Find("current"), "text") == mine_first);
  CHECK(Text(*problem.Find("current"), "etag") == "\"e1.2\"");
  CHECK(Text(*problem.Find("mine"), "text") == theirs);
  const JsonValue* merge = problem.Find("merge");
  REQUIRE(merge);
  CHECK(merge->Find("clean")->flag());
  CHECK(Text(*merge, "merged").find("Đoạn một, đã sửa.") != std::string::npos);
  CHECK(Text(*merge, "merged").find("Đoạn ba, của Minh.") != std::string::npos);

  // Both change the same paragraph: the conflict is named, nothing merged.
  auto clash = s.Client().Put("/api/v1/editor/edits/1", With(minh, "If-Match", "\"e1.1\""),
                              TextBody(Replaced(kText, "Đoạn một.", "Đoạn một của Minh.")),
                              "application/json");
  REQUIRE(clash->status == 412);
  JsonValue clash_body = Json(clash);
  CHECK_FALSE(clash_body.Find("merge")->Find("clean")->flag());
  REQUIRE(clash_body.Find("merge")->Find("conflicts")->items().size() == 1);
  const JsonValue& conflict = clash_body.Find("merge")->Find("conflicts")->items()[0];
  CHECK(Text(conflict, "mine").find("của Minh") != std::string::npos);
  CHECK(Text(conflict, "theirs").find("đã sửa") != std::string::npos);
  auto after = s.Client().Get("/api/v1/editor/edits/1", lan);
  CHECK(after->get_header_value("ETag") == "\"e1.2\"");  // the refused writes changed nothing
}

TEST_CASE("editor API: a member the request does not take, or a type that is not JSON, is refused") {
  EditorServer s;
  auto lan = s.SignedIn("lan");
  auto created = s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                                 "application/json; charset=utf-8");
  REQUIRE(created->status == 201);  // parameters after the media type are fine
  // additionalProperties: false in openapi.json: a misspelt member is named, nothing changes.
  auto misspelt = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                                 "{\"text\":\"x\",\"chnage_type\":\"minor\"}",
                                 "application/json");
  CHECK(misspelt->status == 400);
  CHECK(misspelt->get_header_value("Content-Type") == "application/problem+json");
  CHECK(misspelt->body.find("chnage_type") != std::string::npos);
  auto extra = s.Client().Post("/api/v1/editor/edits/1/submit",
                               With(lan, "If-Match", "\"e1.1\""), "{\"comment\":\"x\"}",
                               "application/json");
  CHECK(extra->status == 400);
  CHECK(extra->body.find("comment") != std::string::npos);
  auto empty = s.Client().Post("/api/v1/editor/preview", lan, "{}", "application/json");
  INFO(empty->body);
  CHECK(empty->status == 400);  // an object without members is no extra member: path is missing
  CHECK(empty->body.find("unknown member") == std::string::npos);
  CHECK(empty->body.find("path and text are required") != std::string::npos);
  for (const char* type : {"application/jsonxyz", "application/json-seq", "text/json"}) {
    auto wrong = s.Client().Post("/api/v1/editor/preview", lan,
                                 "{\"path\":\"" + kPath + "\",\"text\":\"x\"}", type);
    CHECK(wrong->status == 415);
    CHECK(wrong->get_header_value("Content-Type") == "application/problem+json");
  }
  auto after = s.Client().Get("/api/v1/editor/edits/1", lan);
  CHECK(Text(Json(after), "text") == kText);  // the refused save changed nothing
  CHECK(after->get_header_value("ETag") == "\"e1.1\"");
}

TEST_CASE("editor API: an approval blocked by the checks lists their problems (422)") {
  EditorServer s;
  auto lan = s.SignedIn("lan"), hoa = s.SignedIn("hoa");
  auto created = s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                                 "application/json");
  REQUIRE(created->status == 201);
  auto saved = s.Client().Put(
      "/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
      "{\"text\":" + std::string("\"---\\ntitle: \\\"Quy trình\\\"\\nsummary: \\\"Ngắn\\\"\\n---\\n\\nMới.\\n\"") +
          ",\"change_type\":\"minor\",\"note\":\"Rút gọn\"}",
      "application/json");
  REQUIRE(saved->status == 200);
  auto submitted = s.Client().Post("/api/v1/editor/edits/1/submit",
                                   With(lan, "If-Match", saved->get_header_value("ETag")), "", "");
  REQUIRE(submitted->status == 200);
  s.site.problem = PlainProblem("is too short");
  auto approved = s.Client().Post("/api/v1/editor/edits/1/approve",
                                  With(hoa, "If-Match", submitted->get_header_value("ETag")),
                                  "{\"legal_review\":true}", "application/json");
  REQUIRE(approved->status == 422);
  JsonValue problem = Json(approved);
  REQUIRE(problem.Find("diagnostics"));
  REQUIRE(problem.Find("diagnostics")->items().size() == 1);
  const JsonValue& d = problem.Find("diagnostics")->items()[0];
  CHECK(Text(d, "file") == kPath);
  CHECK(d.Find("line")->number() == 3);
  CHECK(Text(d, "field") == "summary");
  CHECK(Text(d, "message") == "is too short");

  // The admin shows the problem next to the summary field, linked from the summary at the top.
  auto page = s.Client().Get("/admin/edits/1", hoa);
  REQUIRE(page->status == 200);
  CHECK(page->body.find("href=\"#f-summary\"") != std::string::npos);
  CHECK(page->body.find("id=\"f-summary-errors\"") != std::string::npos);
  CHECK(page->body.find("aria-describedby=\"f-summary-errors\"") != std::string::npos);
  // A problem is said in the editor's language by its code (the checks write English).
  s.site.problem = Problem(Diag::check_not_empty);
  auto vi = s.Client().Get("/admin/edits/1", hoa);
  CHECK(vi->body.find("Không được để trống.") != std::string::npos);
  CHECK(vi->body.find("must not be empty") == std::string::npos);
  auto en = s.Client().Get("/admin/edits/1?lang=en", hoa);
  CHECK(en->body.find("Must not be empty.") != std::string::npos);
}

TEST_CASE("admin: strict CSP, no-store, a frameable preview, the language switch kept") {
  EditorServer s;
  auto lan = s.SignedIn("lan");
  REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                          "application/json")->status == 201);
  auto page = s.Client().Get("/admin/edits/1", lan);
  REQUIRE(page->status == 200);
  CHECK(page->get_header_value("Content-Security-Policy") == kAdminCsp);
  CHECK(page->get_header_value_count("Content-Security-Policy") == 1);
  CHECK(page->get_header_value("X-Frame-Options") == "DENY");
  CHECK(page->get_header_value("Cache-Control") == "no-store");
  CHECK(page->body.find("<html lang=\"vi\">") != std::string::npos);
  CHECK(page->body.find("<script>") == std::string::npos);
  CHECK(page->body.find("style=") == std::string::npos);

  auto preview = s.Client().Get("/admin/edits/1/preview", lan);
  REQUIRE(preview->status == 200);
  CHECK(preview->get_header_value("Content-Security-Policy").find("frame-ancestors 'self'") !=
        std::string::npos);
  CHECK(preview->get_header_value_count("Content-Security-Policy") == 1);
  CHECK(preview->body.find("Đoạn hai.") != std::string::npos);

  auto english = s.Client().Get("/admin/edits/1?lang=en", lan);
  CHECK(english->body.find("<html lang=\"en\">") != std::string::npos);
  CHECK(english->get_header_value("Set-Cookie").rfind("clemency_admin_lang=en;", 0) == 0);
  auto kept = s.Client().Get("/admin/", With(httplib::Headers{{"Cookie", lan.find("Cookie")->second +
                                                                          "; clemency_admin_lang=en"}},
                                             "X-Unused", "1"));
  CHECK(kept->body.find("<html lang=\"en\">") != std::string::npos);
  auto unknown = s.Client().Get("/admin/?lang=xx", lan);
  CHECK(unknown->body.find("<html lang=\"vi\">") != std::string::npos);

  auto signed_out = s.Client().Get("/admin/edits/1");
  CHECK(signed_out->status == 303);
  CHECK(signed_out->get_header_value("Location") == "/admin/login");
  auto login = s.Client().Get("/admin/login");
  REQUIRE(login->status == 200);
  CHECK(login->get_header_value("Set-Cookie").find("clemency_login=") == 0);
  CHECK(login->get_header_value("Set-Cookie").find("SameSite=Strict") != std::string::npos);
}

TEST_CASE("admin: a page published behind the edit's back leads to the merge, saved with rebase") {
  EditorServer s;
  auto lan = s.SignedIn("lan"), hoa = s.SignedIn("hoa");
  REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                          "application/json")->status == 201);
  std::string mine = Replaced(kText, "Đoạn một.", "Đoạn một, của Lan.");
  auto saved = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                              TextBody(mine), "application/json");
  REQUIRE(saved->status == 200);
  auto typed = s.Client().Put("/api/v1/editor/edits/1",
                              With(lan, "If-Match", saved->get_header_value("ETag")),
                              "{\"change_type\":\"minor\",\"note\":\"Sửa đoạn một\"}", "application/json");
  REQUIRE(typed->status == 200);
  auto submitted = s.Client().Post("/api/v1/editor/edits/1/submit",
                                   With(lan, "If-Match", typed->get_header_value("ETag")), "", "");
  REQUIRE(submitted->status == 200);
  auto approved = s.Client().Post("/api/v1/editor/edits/1/approve",
                                  With(hoa, "If-Match", submitted->get_header_value("ETag")), "{}",
                                  "application/json");
  REQUIRE(approved->status == 200);
  // Someone publishes another change to the page meanwhile (as `clemency publish` would).
  auto live = PageRepository(s.store.get()).Get("guides", "quy-trinh", "vi");
  REQUIRE(live.ok());
  PageRow row = **live;
  row.source_text = Replaced(kText, "Đoạn ba.", "Đoạn ba, đã đăng.");
  row.content_hash = "h2";
  REQUIRE(PageRepository(s.store.get()).Upsert(row).ok());

  std::string csrf = hoa.find("X-CSRF-Token")->second;
  httplib::Headers cookie{{"Cookie", hoa.find("Cookie")->second}};
  httplib::Params form{{"csrf", csrf}, {"etag", approved->get_header_value("ETag")}};
  auto refused = s.Client().Post("/admin/edits/1/publish", cookie, form);
  REQUIRE(refused->status == 409);
  CHECK(refused->body.find("name=\"rebase\" value=\"1\"") != std::string::npos);
  CHECK(refused->body.find("Đoạn ba, đã đăng.") != std::string::npos);  // the live text
  size_t merged_at = refused->body.find("id=\"merged-text\"");
  REQUIRE(merged_at != std::string::npos);
  std::string merged = refused->body.substr(merged_at, refused->body.find("</textarea>", merged_at) - merged_at);
  CHECK(merged.find("Đoạn một, của Lan.") != std::string::npos);
  CHECK(merged.find("Đoạn ba, đã đăng.") != std::string::npos);

  httplib::MultipartFormDataItems take{
      {"csrf", csrf, "", ""},
      {"etag", approved->get_header_value("ETag"), "", ""},
      {"rebase", "1", "", ""},
      {"text", Replaced(Replaced(kText, "Đoạn một.", "Đoạn một, của Lan."), "Đoạn ba.", "Đoạn ba, đã đăng."), "", ""}};
  auto rebased = s.Client().Post("/admin/edits/1", cookie, take);
  REQUIRE(rebased->status == 303);
  auto edit = Json(s.Client().Get("/api/v1/editor/edits/1", lan));
  CHECK(Text(edit, "state") == "draft");  // reviewed again before it may go out
  CHECK(Text(edit, "text").find("Đoạn ba, đã đăng.") != std::string::npos);
}
