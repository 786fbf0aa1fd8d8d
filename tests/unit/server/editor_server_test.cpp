// The editor API and the admin through the real server, with the real workflow on a temporary
// store and a fake site (ContentPort): ETags and If-Match, the 412 body with both versions and
// the merge, the 422 body with the checks' problems, no-store and CSP headers, the preview's
// frame-ancestors, problems shown next to their field, the interface language switch.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "accounts/sessions.h"
#include "accounts/signin_limits.h"
#include "admin/admin_ui.h"
#include "editor_api/json_reader.h"
#include "server/server.h"
#include "core/json.h"
#include "editorial/workflow.h"
#include "i18n/search_text.h"
#include "store/edits.h"
#include "store/media.h"
#include "store/users.h"
#include "support/fixture.h"
#include "unit/media/test_images.h"

using namespace clemency;

namespace {

const std::string kPath = "content/guides/quy-trinh.vi.md";
const std::string kText =
    "---\ntitle: \"Quy trình\"\nsummary: \"Các bước\"\n---\n\nĐoạn một.\n\nĐoạn hai.\n\nĐoạn ba.\n";

// A site that accepts everything unless told a problem; it publishes nothing here.
class FakeSite : public ContentPort {
 public:
  Status Check(const std::string& path, const std::string&, Diagnostics* d) override {
    if (problem) d->Add(path, 3, "summary", *problem);
    return !problem ? Status::Ok() : Status::Error("fails");
  }
  Result<std::string> Preview(const std::string&, const std::string& text, Diagnostics*) override {
    return "<!DOCTYPE html><html lang=\"vi\"><body><main>" + text + "</main></body></html>";
  }
  Result<PublishReport> Publish(const PublishOrder&, Diagnostics*) override {
    return Status::Error("not in this test");
  }
  Result<std::vector<std::string>> Unpublish(const UnpublishOrder&, Diagnostics*) override {
    return Status::Error("not in this test");
  }
  void Schedule(const DateTime&) override {}
  std::optional<Problem> problem;
};

SiteConfig Config() {
  SiteConfig config;
  config.default_language = "vi";
  for (const char* code : {"vi", "en", "km"}) {
    LanguageConfig language;
    language.code = code;
    language.name = code;
    language.locale = code;
    config.languages.push_back(language);
  }
  config.sections = {{"guides", "guide"}};
  return config;
}

// A published guide's row: guides/<slug> in `lang`, from `path` holding `text`.
PageRow GuideRow(const std::string& slug, const std::string& lang, const std::string& title,
                 const std::string& path, const std::string& text) {
  PageRow row;
  row.section = "guides";
  row.slug = slug;
  row.lang = lang;
  row.kind = "guide";
  row.title = title;
  row.published = row.updated = row.public_updated = "2026-11-01T00:00:00+07:00";
  row.source_path = path;
  row.source_text = text;
  row.content_hash = "h-" + slug + "-" + lang;
  return row;
}

struct EditorServer {
  testing::TempDir dir;
  SiteConfig config = Config();
  std::unique_ptr<Store> store;
  FakeSite site;
  std::unique_ptr<Workflow> workflow;
  SessionTable sessions;
  LoginLimiter limiter;
  std::thread thread;
  int port = 0;

  explicit EditorServer(NotifyConfig notify = {}) {
    config.notify = std::move(notify);
    std::filesystem::create_directories(dir / "public");
    store = std::move(Store::Open(dir / "clemency.db")).value();
    REQUIRE(PageRepository(store.get()).Upsert(GuideRow("quy-trinh", "vi", "Quy trình", kPath, kText)).ok());
    for (const auto& [name, role] : {std::pair{"lan", "editor"}, {"minh", "editor"}, {"hoa", "publisher"}}) {
      REQUIRE(UserRepository(store.get()).Add({name, role, "not used here", "", "2026-11-01T00:00:00Z"}).ok());
    }
    Workflow::Options options;
    options.languages = {"vi", "en", "km"};
    options.now = [] { return DateTime{1'800'000'000, 420, true}; };
    options.section_kind = [](const std::string&) { return "guide"; };
    workflow = std::make_unique<Workflow>(std::move(Store::Open(dir / "clemency.db")).value(), &site,
                                          options);
    ServerOptions server;
    server.public_dir = dir / "public";
    server.port = 0;
    server.config = &config;
    server.store = store.get();
    server.workflow = workflow.get();
    server.sessions = &sessions;
    server.login_limiter = &limiter;
    server.log_requests = false;
    std::atomic<int> bound{0};
    server.on_listening = [&bound](int p) { bound = p; };
    thread = std::thread([server]() { Serve(server); });
    for (int i = 0; i < 500 && bound == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    port = bound;
    REQUIRE(port > 0);
  }
  ~EditorServer() {
    RequestStop();
    thread.join();
  }
  // Cookie and CSRF headers of a new session of `user`.
  httplib::Headers SignedIn(const std::string& user) {
    std::string id = sessions.Start(user, std::time(nullptr));
    auto session = sessions.Find(id, std::time(nullptr));
    REQUIRE(session);
    return {{"Cookie", "clemency_session=" + id}, {"X-CSRF-Token", session->csrf}};
  }
  httplib::Client Client() const { return httplib::Client("127.0.0.1", port); }
};

httplib::Headers With(httplib::Headers headers, const std::string& name, const std::string& value) {
  headers.emplace(name, value);
  return headers;
}

JsonValue Json(const httplib::Result& res) {
  std::string error;
  auto value = ParseJson(res->body, &error);
  INFO(res->body);
  REQUIRE(value);
  return *value;
}

std::string Text(const JsonValue& value, const std::string& key) {
  bool wrong = false;
  return value.StringField(key, &wrong).value_or("(none)");
}

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

std::string TextBody(const std::string& text) {
  JsonWriter json;
  json.BeginObject().Field("text", text).EndObject();
  return json.str();
}

}  // namespace

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

// A sendmail that appends its arguments and the message to `log`, or fails with status 75.
std::string FakeSendmail(const std::string& dir, const std::string& log, bool fail) {
  const std::string script = dir + (fail ? "/failing-sendmail" : "/sendmail");
  testing::WriteFile(script, fail ? "#!/bin/sh\ncat >/dev/null\nexit 75\n"
                                  : "#!/bin/sh\n{ echo \"ARGS: $*\"; cat; echo '--END--'; } >> '" +
                                        log + "'\n");
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  return script;
}

// Waits up to 10 s for `path` to hold `count` messages; returns what it holds.
std::string WaitForMail(const std::string& path, size_t count) {
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text = testing::Exists(path) ? testing::ReadFile(path) : "";
    size_t seen = 0;
    for (size_t at = text.find("--END--"); at != std::string::npos; at = text.find("--END--", at + 1)) ++seen;
    if (seen >= count) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return text;
}

TEST_CASE("admin: a change submitted for review is mailed to the publishers in their language") {
  testing::TempDir mail;
  const std::string log = mail / "mails.txt";
  NotifyConfig notify;
  notify.sendmail = FakeSendmail(mail.path(), log, false);
  notify.from = "clemency@example.org";
  notify.admin_url = "https://admin.example.org";
  EditorServer s(notify);
  UserRepository users(s.store.get());
  REQUIRE(users.Add({"tuan", "admin", "not used here", "", "2026-11-01T00:00:00Z"}).ok());
  REQUIRE(users.SetContact("hoa", "hoa@example.org", "en").ok());
  REQUIRE(users.SetContact("tuan", "tuan@example.org", "").ok());
  REQUIRE(users.SetContact("minh", "minh@example.org", "vi").ok());  // an editor: not told
  REQUIRE(users.SetContact("lan", "lan@example.org", "vi").ok());    // the submitter: not told
  auto lan = s.SignedIn("lan");
  REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                          "application/json")->status == 201);
  auto typed = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                              "{\"change_type\":\"minor\"}", "application/json");
  REQUIRE(typed->status == 200);
  CHECK_FALSE(testing::Exists(log));  // a save tells nobody
  REQUIRE(s.Client().Post("/api/v1/editor/edits/1/submit",
                          With(lan, "If-Match", typed->get_header_value("ETag")), "", "")->status == 200);
  const std::string mails = WaitForMail(log, 2);
  INFO(mails);
  CHECK(mails.find("ARGS: -i -- hoa@example.org\n") != std::string::npos);
  CHECK(mails.find("ARGS: -i -- tuan@example.org\n") != std::string::npos);
  CHECK(mails.find("minh@") == std::string::npos);
  CHECK(mails.find("lan@") == std::string::npos);
  CHECK(mails.find("From: clemency@example.org\nTo: hoa@example.org\n") != std::string::npos);
  CHECK(mails.find("Content-Type: text/plain; charset=UTF-8") != std::string::npos);
  // In English for Hoa, in Vietnamese (the admin's first language) for Tuan: title and link.
  CHECK(mails.find("lan submitted a change to “Quy trình” (" + kPath + ") for review.") != std::string::npos);
  CHECK(mails.find("https://admin.example.org/admin/edits/1?lang=en") != std::string::npos);
  CHECK(mails.find("lan đã gửi bản sửa trang “Quy trình”") != std::string::npos);
  CHECK(mails.find("https://admin.example.org/admin/edits/1?lang=vi") != std::string::npos);
  // The subject is RFC 2047: "Waiting for review: Quy trình" in base64.
  CHECK(mails.find("Subject: =?UTF-8?B?V2FpdGluZyBmb3IgcmV2aWV3OiBRdXkgdHLDrG5o?=") != std::string::npos);
}

TEST_CASE("admin: a failing sendmail never blocks a submit; without the setting nothing is sent") {
  testing::TempDir mail;
  const std::string log = mail / "mails.txt";
  for (bool configured : {true, false}) {
    NotifyConfig notify;
    if (configured) notify.sendmail = FakeSendmail(mail.path(), log, true);
    EditorServer s(notify);
    REQUIRE(UserRepository(s.store.get()).SetContact("hoa", "hoa@example.org", "").ok());
    auto lan = s.SignedIn("lan");
    REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                            "application/json")->status == 201);
    auto typed = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                                "{\"change_type\":\"minor\"}", "application/json");
    auto submitted = s.Client().Post("/api/v1/editor/edits/1/submit",
                                     With(lan, "If-Match", typed->get_header_value("ETag")), "", "");
    CHECK(submitted->status == 200);
    CHECK(s.workflow->Get(1)->state == "submitted");
  }
  CHECK_FALSE(testing::Exists(log));
}

namespace {

// A free TCP port on 127.0.0.1 (the system's pick; free again when returned).
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

// Through a real SMTP server: Debian's python3-aiosmtpd as a local sink, reached by a
// sendmail-compatible script that speaks SMTP (tests/support/smtp_sendmail.py). ctest server.smtp.
TEST_CASE("admin: the review notice reaches a local SMTP sink", "[smtp]") {
  testing::TempDir mail;
  const int port = FreePort();
  const std::string sink_log = mail / "sink.txt", pid_file = mail / "sink.pid";
  REQUIRE(std::system(("/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:" + std::to_string(port) +
                       " -c aiosmtpd.handlers.Debugging > '" + sink_log + "' 2>&1 & echo $! > '" +
                       pid_file + "'").c_str()) == 0);
  for (int i = 0; i < 200 && !Accepts(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const int sink_pid = std::stoi(testing::ReadFile(pid_file));
  INFO(testing::ReadFile(sink_log));
  REQUIRE(Accepts(port));
  ::setenv("CLEMENCY_SMTP_PORT", std::to_string(port).c_str(), 1);
  NotifyConfig notify;
  notify.sendmail = std::string(CLEMENCY_SOURCE_DIR) + "/tests/support/smtp_sendmail.py";
  notify.admin_url = "https://admin.example.org";
  {
    EditorServer s(notify);
    REQUIRE(UserRepository(s.store.get()).SetContact("hoa", "hoa@example.org", "vi").ok());
    auto lan = s.SignedIn("lan");
    REQUIRE(s.Client().Post("/api/v1/editor/edits", lan, "{\"path\":\"" + kPath + "\"}",
                            "application/json")->status == 201);
    auto typed = s.Client().Put("/api/v1/editor/edits/1", With(lan, "If-Match", "\"e1.1\""),
                                "{\"change_type\":\"minor\"}", "application/json");
    REQUIRE(s.Client().Post("/api/v1/editor/edits/1/submit",
                            With(lan, "If-Match", typed->get_header_value("ETag")), "", "")->status == 200);
    std::string received;
    for (int i = 0; i < 200 && received.find("admin/edits/1") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      received = testing::ReadFile(sink_log);
    }
    INFO(received);
    CHECK(received.find("To: hoa@example.org") != std::string::npos);
    CHECK(received.find("https://admin.example.org/admin/edits/1?lang=vi") != std::string::npos);
  }
  ::kill(sink_pid, SIGTERM);
}
