// serve's side of publishing: the control socket, and a publish checked against the held site
// that is live when the command gets its answer.
#include "publish/live_site.h"

#include <pwd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <functional>
#include <regex>
#include <thread>

#include "publish/control_socket.h"
#include "publish/publish.h"
#include "publish_test_support.h"
#include "render/site.h"
#include "store/media.h"

using namespace clemency;

namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The fixture's store served by a live with a control socket, its site built.
struct Served : publish_test::StoredFixture {
  std::string socket = ControlSocketPath(dir / "clemency.db");
  std::unique_ptr<LiveSite> live;
  Served() {
    live = std::make_unique<LiveSite>(LiveSite::Options{
        dir / "clemency.db", dir / "src", dir / "public", std::chrono::milliseconds(1000), 2,
        nullptr, socket});
    REQUIRE(live->Watch().ok());
    REQUIRE(live->Start().ok());
    REQUIRE(live->RepublishNow().ok());
  }
  PublishRequest Edit(const std::string& from, const std::string& to) {
    std::string text = testing::ReadFile(dir / "src/content/guides/alpha.vi.md");
    text.replace(text.find(from), from.size(), to);
    testing::WriteFile(dir / "edits/guides/alpha.vi.md", text);
    auto request = ReadPublishRequest(dir / "edits/guides/alpha.vi.md");
    REQUIRE(request.ok());
    request->note = "Sửa.";
    return *request;
  }
  std::string Stored() {
    auto text = PageRepository(store.get()).SourceText("content/guides/alpha.vi.md");
    REQUIRE(text.ok());
    return *text;
  }
};

}  // namespace

TEST_CASE("control messages keep every byte and refuse what is malformed") {
  ControlMessage message{{"text", std::string("a\nb\0c", 5)}, {"op", "publish"}, {"empty", ""}};
  auto decoded = DecodeControlMessage(EncodeControlMessage(message));
  REQUIRE(decoded.has_value());
  CHECK(*decoded == message);
  for (const char* bad : {"", "op 3\nab\n", "op x\nabc\n", "op 3\nabc\n\n", "op 3\nabc"}) {
    INFO(bad);
    CHECK_FALSE(DecodeControlMessage(bad).has_value());
  }
  // Only a content file's path is published.
  const ControlPeer peer{1000, "lan"};
  auto escape = PublishRequestFrom({{"file", "x"}, {"path", "content/../site/config.yaml"},
                                   {"text", ""}, {"change", "major"}, {"note", ""}}, peer);
  CHECK_FALSE(escape.ok());
  CHECK_FALSE(PublishRequestFrom({{"file", "x"}}, peer).ok());
  // People come from the socket's peer, never from the message.
  auto named = PublishRequestFrom({{"file", "x"}, {"path", "content/guides/a.vi.md"}, {"text", ""},
                                  {"change", "major"}, {"note", ""}, {"author", "Bộ trưởng"},
                                  {"publisher", "Bộ trưởng"}}, peer);
  REQUIRE(named.ok());
  CHECK(named->people.author == "system user lan");
  CHECK(named->people.publisher == "system user lan");
  CHECK(named->people.approver.empty());
  CHECK(named->audit_actor == "system user lan");
}

TEST_CASE("no serve listening: the command is told so and publishes itself") {
  testing::TempDir dir;
  auto answer = PublishThroughServe(ControlSocketPath(dir / "none.db"), PublishRequest());
  REQUIRE(answer.ok());
  CHECK_FALSE(answer->has_value());
}

TEST_CASE("a publish through serve's socket is stored and live when it answers") {
  Served s;
  auto published = PublishThroughServe(s.socket, s.Edit("Bước 2: Chờ", "Bước 2: Chờ kết quả"));
  REQUIRE(published.ok());
  REQUIRE(published->has_value());
  CHECK((*published)->changed);
  CHECK((*published)->page == "guides/alpha/vi");
  // Already on disk and in the store: nobody waited for a watcher.
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html"), "Chờ kết quả"));
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/feed.atom"), "Chờ kết quả"));
  CHECK(Contains(s.Stored(), "Chờ kết quả"));
  CHECK(Contains((*published)->steps, "republish"));
  // The publish log says what was rendered again.
  auto last = s.store->Prepare(
      "SELECT what FROM publish_log WHERE actor = 'serve' ORDER BY id DESC LIMIT 1");
  REQUIRE(last.ok());
  REQUIRE(last->Step());
  CHECK(Contains(last->Text(0), "guides/alpha:"));
}

TEST_CASE("a publish through the socket is credited to the caller's system account and audited") {
  Served s;
  PublishRequest request = s.Edit("Bước 2: Chờ", "Bước 2: Chờ kết quả");
  request.people = {"Người khác", "Người duyệt", "Người khác"};  // never sent
  auto published = PublishThroughServe(s.socket, request);
  REQUIRE(published.ok());
  REQUIRE(published->has_value());
  passwd* me = ::getpwuid(::geteuid());
  REQUIRE(me != nullptr);
  const std::string actor = "system user " + std::string(me->pw_name);
  auto people = s.store->Prepare(
      "SELECT author, approver, publisher FROM page_revisions ORDER BY id DESC LIMIT 1");
  REQUIRE(people.ok());
  REQUIRE(people->Step());
  CHECK(people->Text(0) == actor);
  CHECK(people->Text(1).empty());
  CHECK(people->Text(2) == actor);
  auto audit = s.store->Prepare(
      "SELECT actor, action, subject FROM audit_log ORDER BY id DESC LIMIT 1");
  REQUIRE(audit.ok());
  REQUIRE(audit->Step());
  CHECK(audit->Text(0) == actor);
  CHECK(audit->Text(1) == "page.publish");
  CHECK(audit->Text(2) == "guides/alpha/vi");
}

TEST_CASE("a client dripping its request holds up no other publish, and is cut off") {
  Served s;
  int slow = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, s.socket.c_str(), sizeof address.sun_path - 1);
  REQUIRE(::connect(slow, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::send(slow, "999\n", 4, MSG_NOSIGNAL) == 4);  // a frame's length, then nothing
  const auto start = std::chrono::steady_clock::now();
  auto published = PublishThroughServe(s.socket, s.Edit("Bước 2: Chờ", "Bước 2: Đợi"));
  const auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE(published.ok());
  CHECK(published->has_value());
  CHECK(waited < std::chrono::seconds(ControlServer::kMessageSeconds));
  // Bytes now and then do not extend the deadline for the whole message.
  bool closed = false;
  for (int i = 0; i < 2 * ControlServer::kMessageSeconds && !closed; ++i) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    closed = ::send(slow, "x", 1, MSG_NOSIGNAL) != 1;
  }
  CHECK(closed);
  ::close(slow);
}

TEST_CASE("a change refused by serve names the problem and changes nothing") {
  Served s;
  const std::string before = s.Stored();
  const std::string page = testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html");
  // The home page links to alpha's first heading.
  auto refused = PublishThroughServe(s.socket, s.Edit("## Bước 1: Nộp đơn", "## Nộp đơn"));
  REQUIRE_FALSE(refused.ok());
  CHECK(Contains(refused.status().message(), "content/_index.vi.md"));
  CHECK(Contains(refused.status().message(), "buoc-1-nop-don"));
  CHECK(s.Stored() == before);
  CHECK(testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html") == page);
  // The held site is as it was: a good change right after goes through.
  auto published = PublishThroughServe(s.socket, s.Edit("Bước 2: Chờ", "Bước 2: Đợi"));
  REQUIRE(published.ok());
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html"), "Đợi"));
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html"), "buoc-1-nop-don"));
}

TEST_CASE("a second serve on the same store does not take the socket") {
  Served s;
  ControlServer other;
  Status taken = other.Start(s.socket, [](const ControlMessage&, const ControlPeer&) {
    return ControlMessage();
  });
  CHECK_FALSE(taken.ok());
  CHECK(Contains(taken.message(), "another serve"));
  // The first still answers.
  auto answer = CallControl(s.socket, {{"op", "ping"}});
  REQUIRE(answer.ok());
  REQUIRE(answer->has_value());
  CHECK((**answer).at("status") == "ok");
}

TEST_CASE("readers during publishes see whole files, and lists and feeds link only to live pages") {
  Served s;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::vector<std::string> problems;
  std::thread reader([&] {
    const std::regex guide_link("/vi/guides/([a-z0-9-]+)/\"");
    while (!done) {
      for (const char* file : {"public/vi/guides/index.html", "public/vi/feed.atom"}) {
        const std::string text = testing::ReadFile(s.dir / file);
        const bool whole = Contains(text, "</html>") || Contains(text, "</feed>");
        if (!whole) problems.push_back(std::string(file) + " read cut short");
        for (std::sregex_iterator it(text.begin(), text.end(), guide_link), end; it != end; ++it) {
          const std::string page = "public/vi/guides/" + (*it)[1].str() + "/index.html";
          if (!testing::Exists(s.dir / page)) problems.push_back(std::string(file) + " links to " + page);
        }
        ++reads;
      }
    }
  });
  // New guides appear in the list and the feeds as they are published.
  const std::string alpha = testing::ReadFile(s.dir / "src/content/guides/alpha.vi.md");
  for (int i = 1; i <= 8; ++i) {
    std::string text = alpha;
    text.replace(text.find("title: "), text.find('\n', text.find("title: ")) - text.find("title: "),
                 "title: \"Hướng dẫn mới " + std::to_string(i) + "\"");
    const std::string file = s.dir / ("edits/guides/moi-" + std::to_string(i) + ".vi.md");
    testing::WriteFile(file, text);
    auto request = ReadPublishRequest(file);
    REQUIRE(request.ok());
    request->note = "Thêm.";
    auto published = PublishThroughServe(s.socket, *request);
    REQUIRE(published.ok());
  }
  done = true;
  reader.join();
  INFO((problems.empty() ? std::string() : problems.front()));
  CHECK(problems.empty());
  CHECK(reads > 8);
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/guides/index.html"), "Hướng dẫn mới 8"));
}

namespace {

// Waits up to `limit` for `done`; whether it came.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Stores guides/<slug>.vi.md dated `due` (unix seconds) as `clemency publish` does without a
// serve: a commit the watcher sees.
void StoreGuideDated(publish_test::StoredFixture& f, const std::string& slug, int64_t due) {
  const std::string file = f.dir / ("edits/guides/" + slug + ".vi.md");
  testing::WriteFile(file, "---\ntitle: Hướng dẫn " + slug + "\ndate: " +
                               DateTime{due, 420, true}.ToRfc3339() +
                               "\nreviewed: 2026-02-01\nsources:\n  - title: Hiến pháp 2013\n"
                               "    article: Điều 88\n---\nTrang này có sau.\n");
  auto request = ReadPublishRequest(file);
  REQUIRE(request.ok());
  request->note = "Thêm.";
  request->now = Now(420);
  Diagnostics diagnostics;
  auto published = PublishFile(f.store.get(), f.dir / "src", *request, &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(published.ok());
}

bool Listed(const publish_test::StoredFixture& f, const std::string& slug) {
  return Contains(testing::ReadFile(f.dir / "public/vi/guides/feed.atom"), "/vi/guides/" + slug + "/");
}

bool Live(const publish_test::StoredFixture& f, const std::string& slug) {
  return testing::Exists(f.dir / ("public/vi/guides/" + slug + "/index.html"));
}

std::string LastServeLog(Store* store) {
  auto last = store->Prepare(
      "SELECT what FROM publish_log WHERE actor = 'serve' ORDER BY id DESC LIMIT 1");
  REQUIRE(last.ok());
  REQUIRE(last->Step());
  return last->Text(0);
}

}  // namespace

TEST_CASE("serve publishes a page dated a little later at its time, with no store change") {
  publish_test::StoredFixture f;
  auto live = f.StartLiveSite(std::chrono::milliseconds(50));
  REQUIRE(live->RepublishNow().ok());
  const int64_t due = Now(0).unix_seconds + 2;
  StoreGuideDated(f, "hen-gio", due);
  REQUIRE(live->RepublishNow().ok());  // the watcher has taken the store's change
  REQUIRE(Now(0).unix_seconds < due);         // else the test proves nothing: too slow a machine
  CHECK_FALSE(Live(f, "hen-gio"));
  CHECK_FALSE(Listed(f, "hen-gio"));
  CHECK_FALSE(Contains(testing::ReadFile(f.dir / "public/vi/guides/index.html"), "hen-gio"));
  CHECK(WaitFor([&] { return Listed(f, "hen-gio"); }, std::chrono::seconds(6)));
  CHECK(Now(0).unix_seconds >= due);
  // Logged once the build is done, after its last file (the sitemap: renames go deepest first,
  // so the feed can be in place a moment before it).
  CHECK(WaitFor([&] { return Contains(LastServeLog(f.store.get()), "on schedule, guides/hen-gio: "); },
                std::chrono::seconds(2)));
  CHECK(Live(f, "hen-gio"));
  CHECK(Contains(testing::ReadFile(f.dir / "public/vi/guides/index.html"), "/vi/guides/hen-gio/"));
  CHECK(Contains(testing::ReadFile(f.dir / "public/sitemap.xml"), "/vi/guides/hen-gio/"));
}

TEST_CASE("after a restart, pages due while serve was down are live and later ones go live") {
  publish_test::StoredFixture f;
  int64_t due = 0, later = 0;
  {
    auto first = f.StartLiveSite(std::chrono::milliseconds(50));
    REQUIRE(first->RepublishNow().ok());
    due = Now(0).unix_seconds + 2;
    later = due + 2;
    StoreGuideDated(f, "trong-luc-nghi", due);
    StoreGuideDated(f, "sau-khi-mo", later);
    REQUIRE(first->RepublishNow().ok());
    REQUIRE(Now(0).unix_seconds < due);
    first->Stop();
  }
  CHECK_FALSE(Live(f, "trong-luc-nghi"));
  while (Now(0).unix_seconds < due) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(Live(f, "trong-luc-nghi"));  // nobody was running
  // A new serve on the same store and output folder (no start build, no store change).
  auto second = f.StartLiveSite(std::chrono::milliseconds(50));
  CHECK(WaitFor([&] { return Listed(f, "trong-luc-nghi"); }, std::chrono::seconds(2)));
  CHECK(Live(f, "trong-luc-nghi"));
  if (Now(0).unix_seconds < later) CHECK_FALSE(Live(f, "sau-khi-mo"));
  CHECK(WaitFor([&] { return Listed(f, "sau-khi-mo"); }, std::chrono::seconds(6)));
  CHECK(Live(f, "sau-khi-mo"));
}

TEST_CASE("an image uploaded while serve runs goes live with the page that shows it, and only then") {
  Served s;  // its watcher looks once a second: the publish itself sees the new image
  MediaRow row;
  row.hash = "abcd";
  row.path = "/media/abcd-1000x500.png";
  row.width = 1000;
  row.height = 500;
  row.alt = {{"vi", "Ảnh thử"}};
  row.consent_basis = "no-person";
  REQUIRE(MediaRepository(s.store.get())
              .Insert(row, {{"/media/abcd-1000x500.png", "full"},
                            {"/media/abcd-960x480.png", "960"},
                            {"/media/abcd-480x240.png", "480"}})
              .ok());
  const std::string media = s.dir / "public/media";
  CHECK_FALSE(std::filesystem::exists(media));  // uploaded, shown by no live page
  auto shown = PublishThroughServe(
      s.socket, s.Edit("Bước 2: Chờ", "![Ảnh thử](/media/abcd-1000x500.png)\n\nBước 2: Chờ"));
  REQUIRE(shown.ok());
  REQUIRE(shown->has_value());
  CHECK(testing::ReadFile(media + "/abcd-1000x500.png") == "full");
  CHECK(testing::ReadFile(media + "/abcd-960x480.png") == "960");
  CHECK(testing::ReadFile(media + "/abcd-480x240.png") == "480");
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html"),
                 "/media/abcd-480x240.png 480w"));
  // No live page shows it any more: it leaves the public site with the page's new version.
  auto hidden = PublishThroughServe(s.socket, s.Edit("Bước 2: Chờ", "Bước 2: Chờ lâu"));
  REQUIRE(hidden.ok());
  CHECK_FALSE(std::filesystem::exists(media + "/abcd-1000x500.png"));
}
