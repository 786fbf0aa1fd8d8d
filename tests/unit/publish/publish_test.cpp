// `clemency publish`: a file checked with the stored site, then stored as a dated revision.
#include "publish/publish.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "publish_test_support.h"

using namespace clemency;
namespace fs = std::filesystem;

namespace {

struct Stored : publish_test::StoredFixture {
  // The editor's copy of guides/alpha.vi.md with `title` changed.
  std::string EditAlpha(const std::string& title) {
    std::string text = testing::ReadFile(dir / "src/content/guides/alpha.vi.md");
    text.replace(text.find("title: "), text.find('\n', text.find("title: ")) - text.find("title: "),
                 "title: " + title);
    testing::WriteFile(dir / "edits/guides/alpha.vi.md", text);
    return dir / "edits/guides/alpha.vi.md";
  }
  Result<PublishResult> Publish(const std::string& file, const std::string& type,
                                const std::string& note, const std::string& now,
                                Diagnostics* diagnostics) {
    auto request = ReadPublishRequest(file);
    if (!request.ok()) return request.status();
    request->change_type = type;
    request->note = note;
    request->now = *ParseDateTime(now, 420);
    return PublishFile(store.get(), dir / "src", *request, diagnostics);
  }
  PageRow Alpha() {
    auto row = PageRepository(store.get()).Get("guides", "alpha", "vi");
    REQUIRE((row.ok() && row->has_value()));
    return **row;
  }
};

}  // namespace

TEST_CASE("a major change is announced: the store keeps its time, note and type") {
  Stored s;
  Diagnostics diagnostics;
  std::string file = s.EditAlpha("Điều kiện mới");
  auto refused = s.Publish(file, "major", "", "2026-12-01T09:00:00+07:00", &diagnostics);
  CHECK_FALSE(refused.ok());
  CHECK(refused.status().message().find("--note is required") != std::string::npos);
  auto published = s.Publish(file, "major", "Đổi tiêu đề.", "2026-12-01T09:00:00+07:00", &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(published.ok());
  CHECK(published->page == "guides/alpha/vi");
  CHECK(published->changed);
  PageRow alpha = s.Alpha();
  CHECK(alpha.title == "Điều kiện mới");
  CHECK(alpha.updated == "2026-12-01T09:00:00+07:00");
  CHECK(alpha.public_updated == "2026-12-01T09:00:00+07:00");
  CHECK(alpha.change_note == "Đổi tiêu đề.");
  auto history = PageRepository(s.store.get()).History(alpha.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK(history->front().change_type == "major");
  CHECK(history->front().change_note == "Đổi tiêu đề.");
  CHECK(history->front().updated == "2026-12-01T09:00:00+07:00");
}

TEST_CASE("a minor change is a dated revision that announces nothing") {
  Stored s;
  Diagnostics diagnostics;
  REQUIRE(s.Publish(s.EditAlpha("Điều kiện mới"), "major", "Đổi tiêu đề.",
                    "2026-12-01T09:00:00+07:00", &diagnostics)
              .ok());
  // The editor's copy never had the announced date and note: they stay as stored.
  REQUIRE(s.Publish(s.EditAlpha("Điều kiện  mới"), "minor", "", "2026-12-02T10:00:00+07:00",
                    &diagnostics)
              .ok());
  PageRow alpha = s.Alpha();
  CHECK(alpha.title == "Điều kiện  mới");
  CHECK(alpha.updated == "2026-12-02T10:00:00+07:00");          // updated_since sees it
  CHECK(alpha.public_updated == "2026-12-01T09:00:00+07:00");   // readers are not told
  CHECK(alpha.change_note == "Đổi tiêu đề.");
  auto history = PageRepository(s.store.get()).History(alpha.id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  CHECK(history->front().change_type == "minor");
  CHECK(history->front().change_note.empty());
  // The same text again is no revision.
  auto again = s.Publish(s.EditAlpha("Điều kiện  mới"), "minor", "", "2026-12-03T10:00:00+07:00",
                         &diagnostics);
  REQUIRE(again.ok());
  CHECK_FALSE(again->changed);
  CHECK(s.Alpha().updated == "2026-12-02T10:00:00+07:00");
}

TEST_CASE("a change that breaks a link elsewhere is refused, and nothing is stored") {
  Stored s;
  // The home page links to alpha's first heading; an edit without it breaks that link.
  std::string text = testing::ReadFile(s.dir / "src/content/guides/alpha.vi.md");
  text.replace(text.find("## Bước 1: Nộp đơn"), std::string("## Bước 1: Nộp đơn").size(),
               "## Nộp đơn");
  testing::WriteFile(s.dir / "edits/guides/alpha.vi.md", text);
  const PageRow before = s.Alpha();
  Diagnostics diagnostics;
  auto refused = s.Publish(s.dir / "edits/guides/alpha.vi.md", "major", "Gộp bước.",
                           "2026-12-01T09:00:00+07:00", &diagnostics);
  CHECK_FALSE(refused.ok());
  CHECK(diagnostics.ToString().find("content/_index.vi.md") != std::string::npos);
  CHECK(diagnostics.ToString().find("buoc-1-nop-don") != std::string::npos);
  CHECK(s.Alpha().content_hash == before.content_hash);
  CHECK(s.Alpha().updated == before.updated);
}

TEST_CASE("publish names what it cannot take") {
  Stored s;
  Diagnostics diagnostics;
  auto bad_type = s.Publish(s.EditAlpha("X"), "huge", "n", "2026-12-01T09:00:00+07:00", &diagnostics);
  CHECK(bad_type.status().message() == "--change must be major, minor or correction, not 'huge'");
  testing::WriteFile(s.dir / "edits/notes.txt", "x");
  auto not_content = s.Publish(s.dir / "edits/notes.txt", "minor", "", "2026-12-01T09:00:00+07:00",
                               &diagnostics);
  CHECK(not_content.status().message().find("not a content file") != std::string::npos);
  testing::WriteFile(s.dir / "edits/guides/broken.vi.md", "---\ntitle: no end\n");
  auto broken = s.Publish(s.dir / "edits/guides/broken.vi.md", "major", "n",
                          "2026-12-01T09:00:00+07:00", &diagnostics);
  CHECK_FALSE(broken.ok());
  CHECK(diagnostics.ToString().find("content/guides/broken.vi.md") != std::string::npos);
}

TEST_CASE("an unpublished page stays a record: notice, feed entry, API tombstone") {
  Stored s;
  Diagnostics diagnostics;
  UnpublishRequest request{"stories", "mot", "", "Người trong câu chuyện xin gỡ.", false,
                           *ParseDateTime("2026-12-01T09:00:00+07:00", 420), "", ""};
  auto withdrawn = UnpublishPage(s.store.get(), s.dir / "src", request, &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(withdrawn.ok());
  CHECK(*withdrawn == std::vector<std::string>{"stories/mot/vi"});
  PageRepository pages(s.store.get());
  auto row = pages.Get("stories", "mot", "vi");
  REQUIRE((row.ok() && row->has_value()));
  CHECK((*row)->status == "withdrawn");
  CHECK((*row)->withdrawn_reason == "Người trong câu chuyện xin gỡ.");
  CHECK((*row)->updated == "2026-12-01T09:00:00+07:00");
  CHECK(pages.History((*row)->id)->front().change_type == "withdrawal");
  // Partners pulling changes see the tombstone; a plain list does not show it.
  PageQuery since;
  since.updated_since_unix = ParseDateTime("2026-11-30", 420)->unix_seconds;
  auto changed = pages.List(since);
  REQUIRE(changed.ok());
  REQUIRE(changed->size() == 1);
  CHECK(changed->front().status == "withdrawn");
  auto all = pages.List(PageQuery{});
  REQUIRE(all.ok());
  for (const auto& listed : *all) CHECK(listed.slug != "mot");
  // The site built from the store shows the notice at the page's URL and announces it in the feed.
  auto started = s.StartLiveSite();
  LiveSite& live = *started;
  REQUIRE(live.RepublishNow().ok());
  std::string notice = testing::ReadFile(s.dir / "public/vi/stories/mot/index.html");
  CHECK(notice.find("Người trong câu chuyện xin gỡ.") != std::string::npos);
  CHECK(notice.find("noindex") != std::string::npos);
  CHECK(notice.find("Anh T. đã trở về.") == std::string::npos);
  // The story had no English page: /en/ showed the Vietnamese one, and now shows the notice.
  CHECK(testing::ReadFile(s.dir / "public/en/stories/mot/index.html").find("Người trong câu chuyện xin gỡ.") !=
        std::string::npos);
  std::string feed = testing::ReadFile(s.dir / "public/vi/feed.atom");
  CHECK(feed.find("Đã gỡ xuống: Câu chuyện thử") != std::string::npos);
  CHECK(testing::ReadFile(s.dir / "public/sitemap.xml").find("/vi/stories/mot/") == std::string::npos);
  // An export is of the published pages only.
  REQUIRE(ExportContent(s.store.get(), s.dir / "src", s.dir / "exported").ok());
  CHECK_FALSE(testing::Exists(s.dir / "exported/content/stories/mot.vi.md"));
  // Published again, it is a page again.
  testing::WriteFile(s.dir / "edits/stories/mot.vi.md",
                     testing::ReadFile(s.dir / "src/content/stories/mot.vi.md"));
  REQUIRE(s.Publish(s.dir / "edits/stories/mot.vi.md", "correction", "Đăng lại.",
                    "2026-12-02T09:00:00+07:00", &diagnostics)
              .ok());
  CHECK((*pages.Get("stories", "mot", "vi"))->status == "published");
  REQUIRE(live.RepublishNow().ok());
  CHECK(testing::ReadFile(s.dir / "public/vi/stories/mot/index.html").find("Anh T. đã trở về.") !=
        std::string::npos);
  live.Stop();
}

TEST_CASE("a page removed as gone leaves the server's marker instead of a notice") {
  Stored s;
  Diagnostics diagnostics;
  UnpublishRequest request{"stories", "mot", "vi", "Sai sự thật.", true,
                           *ParseDateTime("2026-12-01T09:00:00+07:00", 420), "", ""};
  REQUIRE(UnpublishPage(s.store.get(), s.dir / "src", request, &diagnostics).ok());
  auto started = s.StartLiveSite();
  LiveSite& live = *started;
  REQUIRE(live.RepublishNow().ok());
  CHECK(testing::Exists(s.dir / "public/vi/stories/mot/.gone"));
  CHECK(testing::Exists(s.dir / "public/km/stories/mot/.gone"));
  CHECK_FALSE(testing::Exists(s.dir / "public/vi/stories/mot/index.html"));
  live.Stop();
}

TEST_CASE("unpublishing a page another page links to is refused with that page's file:line") {
  Stored s;
  Diagnostics diagnostics;
  UnpublishRequest request{"guides", "alpha", "", "Cũ.", false,
                           *ParseDateTime("2026-12-01T09:00:00+07:00", 420), "", ""};
  auto refused = UnpublishPage(s.store.get(), s.dir / "src", request, &diagnostics);
  CHECK_FALSE(refused.ok());
  CHECK(diagnostics.ToString().find("content/_index.vi.md:") != std::string::npos);
  CHECK(s.Alpha().status == "published");
  request.slug = "none";
  CHECK(UnpublishPage(s.store.get(), s.dir / "src", request, &diagnostics).status().message() ==
        "no published page guides/none");
  request.slug = "alpha";
  request.reason = "";
  CHECK_FALSE(UnpublishPage(s.store.get(), s.dir / "src", request, &diagnostics).ok());
}

TEST_CASE("a page published ahead of its date is announced at that date") {
  Stored s;
  testing::WriteFile(s.dir / "edits/guides/sau.vi.md",
                     "---\ntitle: Hướng dẫn sau\ndate: 2030-01-01\nreviewed: 2026-02-01\n"
                     "sources:\n  - title: Hiến pháp 2013\n    article: Điều 88\n---\n"
                     "Trang này có sau.\n");
  Diagnostics diagnostics;
  auto published = s.Publish(s.dir / "edits/guides/sau.vi.md", "major", "Thêm.",
                             "2026-12-01T09:00:00+07:00", &diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(published.ok());
  auto row = PageRepository(s.store.get()).Get("guides", "sau", "vi");
  REQUIRE((row.ok() && row->has_value()));
  // Not the publish time: `updated` may not be earlier than `date`, and partners asking for
  // changes since their last look must find the page when it goes live.
  CHECK((*row)->updated == "2030-01-01T00:00:00+07:00");
  CHECK((*row)->updated_unix == ParseDateTime("2030-01-01", 420)->unix_seconds);
  auto text = PageRepository(s.store.get()).SourceText("content/guides/sau.vi.md");
  REQUIRE(text.ok());
  CHECK(text->find("updated: 2030-01-01T00:00:00+07:00") != std::string::npos);
  CHECK((*row)->published == "2030-01-01T00:00:00+07:00");
}
