#pragma once
// The editor API and the admin through the real server, with the real workflow on a temporary
// store and a fake site (ContentPort): the fixture the server's editor and admin tests share.
#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "accounts/sessions.h"
#include "accounts/signin_limits.h"
#include "core/json.h"
#include "editor_api/json_reader.h"
#include "editorial/workflow.h"
#include "server/server.h"
#include "store/users.h"
#include "support/fixture.h"

namespace clemency::editor_test {

inline const std::string kPath = "content/guides/quy-trinh.vi.md";
inline const std::string kText =
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

inline SiteConfig Config() {
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
inline PageRow GuideRow(const std::string& slug, const std::string& lang, const std::string& title,
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

inline httplib::Headers With(httplib::Headers headers, const std::string& name, const std::string& value) {
  headers.emplace(name, value);
  return headers;
}

inline JsonValue Json(const httplib::Result& res) {
  std::string error;
  auto value = ParseJson(res->body, &error);
  INFO(res->body);
  REQUIRE(value);
  return *value;
}

inline std::string Text(const JsonValue& value, const std::string& key) {
  bool wrong = false;
  return value.StringField(key, &wrong).value_or("(none)");
}

inline std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

inline std::string TextBody(const std::string& text) {
  JsonWriter json;
  json.BeginObject().Field("text", text).EndObject();
  return json.str();
}

}  // namespace clemency::editor_test
