// Public histories from the store: a published major change is listed on the page's history page
// with its note and word diff, live when the publish answers; minor changes are not listed.
#include "publish/history.h"

#include <catch2/catch.hpp>

#include "publish/control_socket.h"
#include "publish/publish.h"
#include "publish_test_support.h"

using namespace clemency;

namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

size_t Count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// The fixture's store served with a control socket, its site built.
struct Served : publish_test::StoredFixture {
  std::string socket = ControlSocketPath(dir / "clemency.db");
  std::unique_ptr<LiveSite> live;
  Served() {
    live = std::make_unique<LiveSite>(
        LiveSite::Options{dir / "clemency.db", dir / "src", dir / "public",
                             std::chrono::milliseconds(1000), 2, nullptr, socket});
    REQUIRE(live->Watch().ok());
    REQUIRE(live->Start().ok());
    REQUIRE(live->RepublishNow().ok());
  }
  // The stored guides/<page>.vi.md with `from` replaced by `to`, as an editor's file to publish.
  PublishRequest Edit(const std::string& from, const std::string& to, const std::string& type,
                      const std::string& note, const std::string& page = "alpha") {
    const std::string name = "guides/" + page + ".vi.md";
    auto stored = PageRepository(store.get()).SourceText("content/" + name);
    REQUIRE(stored.ok());
    std::string text = *stored;
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), to);
    testing::WriteFile(dir / ("edits/" + name), text);
    auto request = ReadPublishRequest(dir / ("edits/" + name));
    REQUIRE(request.ok());
    request->change_type = type;
    request->note = note;
    return *request;
  }
  void Publish(const PublishRequest& request) {
    auto published = PublishThroughServe(socket, request);
    REQUIRE(published.ok());
    REQUIRE(published->has_value());
    CHECK((*published)->changed);
  }
  std::string History(const std::string& lang = "vi") {
    return testing::ReadFile(dir / ("public/" + lang + "/guides/alpha/history/index.html"));
  }
};

}  // namespace

TEST_CASE("a major change published through serve shows on the history page as a word diff") {
  Served s;
  // The imported revision alone is the page's own last change, which the page shows: no history
  // page and no link to one.
  CHECK_FALSE(testing::Exists(s.dir / "public/vi/guides/alpha/history/index.html"));
  CHECK_FALSE(Contains(testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html"),
                       "href=\"/vi/guides/alpha/history/\""));
  s.Publish(
      s.Edit("Bạn viết đơn.", "Bạn tự viết đơn gửi trại giam.", "major", "Nói rõ nơi gửi đơn."));
  const std::string after = s.History();
  INFO(after);
  CHECK(Count(after, "<li>\n<h2>") == 2);
  CHECK(after.find("Nói rõ nơi gửi đơn.") < after.find("Thêm bước 2."));  // newest first
  CHECK(Contains(after, "<span class=\"change-type\">Thay đổi lớn</span>"));
  CHECK(Contains(after, "<ins><span class=\"visually-hidden\">thêm: </span>tự </ins>"));
  CHECK(Contains(after, "<ins><span class=\"visually-hidden\">thêm: </span> gửi trại giam</ins>"));
  CHECK(Contains(after, "Thêm 4 chữ, bỏ 0 chữ."));
  // The body's Markdown is compared as readers see it: the heading without its ##.
  CHECK_FALSE(Contains(after, "## Bước"));
  // Khmer shows the Vietnamese page, and so its history.
  CHECK(Contains(s.History("km"), "Nói rõ nơi gửi đơn."));
  // The page links to it.
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html"),
                 "href=\"/vi/guides/alpha/history/\""));

  // A minor change is not announced: not listed, though the page changed.
  s.Publish(s.Edit("Bạn tự viết đơn", "Bạn tự viết một lá đơn", "minor", ""));
  CHECK(Contains(testing::ReadFile(s.dir / "public/vi/guides/alpha/index.html"), "một lá đơn"));
  CHECK(Count(s.History(), "<li>\n<h2>") == 2);
  // The next major change is compared with the last announced text: the minor change is in it.
  s.Publish(s.Edit("gửi trại giam", "gửi ban giám thị trại giam", "major", "Ghi rõ người nhận."));
  const std::string third = s.History();
  INFO(third);
  CHECK(Count(third, "<li>\n<h2>") == 3);
  CHECK(Contains(third, "<ins><span class=\"visually-hidden\">thêm: </span>một lá </ins>đơn"));
  CHECK(Contains(third, "<ins><span class=\"visually-hidden\">thêm: </span> ban giám thị</ins>"));
}

TEST_CASE("a major change stored without serve is shown once serve's watcher republishes it") {
  Served s;
  PublishRequest request = s.Edit("Bạn viết đơn.", "Bạn viết đơn ngắn.", "major", "Đơn ngắn.");
  request.now = *ParseDateTime("2026-12-01T09:00:00+07:00", 420);
  Diagnostics diagnostics;
  auto published = PublishFile(s.store.get(), s.dir / "src", request, &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(published.ok());
  REQUIRE(s.live->RepublishNow().ok());
  const std::string history = s.History();
  CHECK(Contains(history, "<time datetime=\"2026-12-01T09:00:00+07:00\">"));
  CHECK(Contains(history, "<ins><span class=\"visually-hidden\">thêm: </span> ngắn</ins>"));
  // A site loaded from the store whole shows the same history (serve's start, `build --db`).
  Diagnostics problems;
  auto site = LoadStoredSite(s.store.get(), s.dir / "src", &problems);
  REQUIRE(site.ok());
  REQUIRE(*site);
  BuildOptions options;
  options.out_dir = s.dir / "fresh";
  REQUIRE((*site)->Build(options).ok());
  CHECK(testing::ReadFile(s.dir / "fresh/vi/guides/alpha/history/index.html") == history);
}

TEST_CASE("a withdrawn page's history page goes with it") {
  Served s;
  s.Publish(s.Edit("Chỉ có tiếng Việt.", "Trang này chỉ có tiếng Việt.", "major", "Nói rõ hơn.",
                   "beta"));
  REQUIRE(testing::Exists(s.dir / "public/vi/guides/beta/history/index.html"));
  UnpublishRequest request;
  request.section = "guides";
  request.slug = "beta";
  request.reason = "Đã gộp vào trang khác.";
  request.now = *ParseDateTime("2026-12-01T09:00:00+07:00", 420);
  Diagnostics diagnostics;
  auto withdrawn = UnpublishPage(s.store.get(), s.dir / "src", request, &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(withdrawn.ok());
  REQUIRE(s.live->RepublishNow().ok());
  CHECK(testing::Exists(s.dir / "public/vi/guides/beta/index.html"));  // the notice
  CHECK_FALSE(testing::Exists(s.dir / "public/vi/guides/beta/history/index.html"));
}
