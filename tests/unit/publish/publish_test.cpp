// `clemency publish`: a file checked with the stored site, then stored as a dated revision.
#include "publish/publish.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "publish/store_site.h"
#include "support/fixture.h"

using namespace clemency;
namespace fs = std::filesystem;

namespace {

struct Stored {
  testing::TempDir dir;
  std::unique_ptr<Store> store;
  Stored() {
    fs::create_directories(dir / "src");
    testing::MakeFixtureSite("multilingual", dir / "src");
    Diagnostics diagnostics;
    REQUIRE(ImportContent(dir / "src", dir / "clemency.db", &diagnostics).ok());
    auto opened = Store::Open(dir / "clemency.db");
    REQUIRE(opened.ok());
    store = std::move(opened).value();
  }
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
    PublishRequest request{file, type, note, *ParseDateTime(now, 420)};
    return PublishFile(store.get(), dir / "src", request, diagnostics);
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
