// The page cache kept between builds, and small rebuilds that update public/ in place.
#include "render/page_cache.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "render/site.h"
#include "render_test_support.h"
#include "support/fixture.h"

using namespace clemency;
using render_test::Contains;
using render_test::LoadOrFail;
using testing::Exists;
using testing::ReadFile;

namespace {

ino_t Inode(const std::string& path) {
  struct stat info;
  REQUIRE(stat(path.c_str(), &info) == 0);
  return info.st_ino;
}

// Every field a cached page keeps set to a value other than its default.
Page SamplePage() {
  Page p;
  p.section = "support";
  p.slug = "quy";
  p.lang = "vi";
  p.kind = "support";
  p.source_path = "content/support/quy.vi.md";
  p.title = "Quỹ hỗ trợ";
  p.summary = "Tóm tắt";
  p.change_note = "Sửa số điện thoại";
  p.translation_status = "reviewed";
  p.date = {1767225600, 420, false};
  p.updated = {1767312000, 420, true};
  p.reviewed = DateTime{1767398400, 0, false};
  p.translated_from = DateTime{1767484800, 420, false};
  p.draft = true;
  p.weight = -3;
  p.tags = {"vay vốn", "việc làm"};
  p.sources = {{"Luật Đặc xá", "30/2018/QH14", "Điều 11", "https://example.org/luat"}};
  p.consent = Consent{"personal", "Chị H.", DateTime{1767571200, 420, false}, "initials-only",
                      "allowed"};
  p.story_source = StorySource{"Bài báo", "Báo X", "https://example.org/bai", std::nullopt};
  SupportInfo info;
  info.province = "An Giang";
  info.current_province = "An Giang mới";
  info.commune = "Lương Phi";
  info.former_district = "Tri Tôn";
  info.organisation = "Hội LHPN";
  info.services = {"loans", "club"};
  info.contact = {"0296 123 456", "Số 1", "Thứ Hai–Thứ Sáu"};
  info.coordinates = Coordinates{10.41, 104.99};
  info.verified = DateTime{1767657600, 420, false};
  info.verified_by = "Công an xã";
  p.support = info;
  RoundInfo round;
  round.decision = "1244/2025/QĐ-CTN";
  round.status = "released";
  round.key_dates = {{"Công bố", {1756400000, 420, false}}, {"Hiệu lực", {1756660000, 420, false}}};
  round.conditions = {"14 trường hợp"};
  p.round = round;
  p.body_offset = 321;
  p.body_first_line = 17;
  return p;
}

RenderedPage SampleRenderedPage() {
  RenderedPage r;
  r.page = SamplePage();
  r.body.links = {{"/vi/guides/a/", true}, {"javascript:x", false}};
  r.body.images = {{"/assets/a.png", "Ảnh", true}};
  r.body.headings = {{2, "", "muc-mot"}, {3, "", "muc-hai"}};
  r.readability = {"syllables_per_sentence", 12.5, 20, false, 8, 100, true};
  r.source_hash = "0123456789abcdef";
  r.source_stamp = "10:20:30.40:50.60";
  r.sort_keys = {"title-key", "place-key"};
  r.list_hash = "fedcba9876543210";
  return r;
}

}  // namespace

TEST_CASE("a page survives the cache's encoding field for field") {
  const RenderedPage r = SampleRenderedPage();
  const Page& p = r.page;
  std::string bytes = PageCache::Encode(r);
  RenderedPage back;
  REQUIRE(PageCache::Decode(bytes, &back));
  CHECK(PageCache::Encode(back) == bytes);
  CHECK(back.page.title == p.title);
  CHECK(back.page.updated.has_time);
  CHECK(back.page.support->coordinates->lon == 104.99);
  CHECK(back.page.consent->scope == "initials-only");
  CHECK(back.page.consent->images == "allowed");
  CHECK(back.page.consent->basis == "personal");
  CHECK(back.page.consent->date->unix_seconds == 1767571200);
  CHECK(back.page.support->current_province == "An Giang mới");
  CHECK(back.page.support->commune == "Lương Phi");
  CHECK(back.page.support->former_district == "Tri Tôn");
  CHECK(back.page.support->verified_by == "Công an xã");
  REQUIRE(back.page.round);
  CHECK_FALSE(back.page.round->decision_date);
  CHECK(back.page.round->key_dates[1].label == "Hiệu lực");
  CHECK(back.page.round->key_dates[1].date.unix_seconds == 1756660000);
  CHECK(back.page.round->conditions == std::vector<std::string>{"14 trường hợp"});
  CHECK_FALSE(back.page.story_source->date);
  CHECK(back.body.links[1].safe == false);
  CHECK(back.body.headings[1].id == "muc-hai");
  CHECK(back.readability.words == 100);
  CHECK(back.sort_keys.place == "place-key");
  CHECK(back.list_hash == "fedcba9876543210");

  // A damaged record is refused, never half read.
  CHECK_FALSE(PageCache::Decode(bytes.substr(0, bytes.size() / 2), &back));
  CHECK_FALSE(PageCache::Decode(bytes + "x", &back));
}

TEST_CASE("a rebuild takes unchanged pages from the cache and reads changed files again") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  std::string out = dir / "public";
  auto first = LoadOrFail(dir.path());
  CHECK(first->pages_from_cache() == 0);
  REQUIRE(PageCache::Save(out, *first).ok());

  std::string changed = "content/guides/alpha.vi.md";
  testing::WriteFile(dir / changed,
                     ReadFile(dir / changed) + "\n## Mục mới\n\nMột đoạn ngắn mới.\n");
  PageCache cache = PageCache::Load(out);
  CHECK(cache.size() == first->pages().size());
  auto second = LoadOrFail(dir.path(), &cache);
  CHECK(second->pages_from_cache() == first->pages().size() - 1);
  // The edited page was parsed again: its new heading is known to link checks.
  bool found = false;
  for (const auto& page : second->pages()) {
    if (page.page.source_path != changed) continue;
    for (const auto& heading : page.body.headings) found = found || heading.id == "muc-moi";
  }
  CHECK(found);

  // Storing again appends just the edited page; the next load takes everything from the cache.
  auto size_of = [&out]() { return std::filesystem::file_size(PageCache::PathFor(out)); };
  auto full_size = size_of();
  REQUIRE(PageCache::Save(out, *second, &cache).ok());
  CHECK(size_of() > full_size);
  CHECK(size_of() < full_size + full_size / 2);
  PageCache appended = PageCache::Load(out);
  CHECK(appended.size() == first->pages().size());
  CHECK(LoadOrFail(dir.path(), &appended)->pages_from_cache() == first->pages().size());
  // A record cut short (a build stopped while appending) voids the cache, never misleads it.
  std::filesystem::resize_file(PageCache::PathFor(out), size_of() - 3);
  CHECK(PageCache::Load(out).size() == 0);

  // Another site/ (here: a template) voids the whole cache; Usable() tells without reading it.
  REQUIRE(PageCache::Save(out, *first).ok());
  CHECK(PageCache::Usable(out, dir / "site"));
  CHECK_FALSE(PageCache::Usable(dir / "elsewhere", dir / "site"));
  testing::WriteFile(dir / "site/templates/partials/extra.mustache", "<p>x</p>\n");
  CHECK_FALSE(PageCache::Usable(out, dir / "site"));
  REQUIRE(PageCache::Save(out, *first).ok());
  PageCache stale = PageCache::Load(out);
  auto third = LoadOrFail(dir.path(), &stale);
  CHECK(third->pages_from_cache() == 0);
}

TEST_CASE("pages from the cache are checked again when what their links point to changes") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  std::string out = dir / "public";
  auto first = LoadOrFail(dir.path());
  REQUIRE(PageCache::Save(out, *first).ok());
  PageCache cache = PageCache::Load(out);
  CHECK(cache.link_targets() == first->link_targets());

  // A body edit that keeps every heading leaves the targets alone: the home page (which links to
  // alpha's first heading) passes from the cache.
  std::string alpha = dir / "content/guides/alpha.vi.md";
  std::string original = ReadFile(alpha);
  testing::WriteFile(alpha, original + "\nMột câu nữa.\n");
  auto second = LoadOrFail(dir.path(), &cache);
  CHECK(second->link_targets() == first->link_targets());
  REQUIRE(PageCache::Save(out, *second, &cache).ok());

  // Renaming the heading the home page links to changes the targets: the cached home page is
  // checked again and its link is reported.
  std::string heading = "## Bước 1: Nộp đơn";
  REQUIRE(Contains(original, heading));
  testing::WriteFile(
      alpha, std::string(original).replace(original.find(heading), heading.size(), "## Nộp đơn"));
  PageCache renamed = PageCache::Load(out);
  CHECK(renamed.link_targets() == second->link_targets());
  Diagnostics diagnostics;
  auto broken =
      Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &diagnostics, nullptr, &renamed);
  CHECK_FALSE(broken);
  CHECK(Contains(diagnostics.ToString(), "content/_index.vi.md"));
  CHECK(Contains(diagnostics.ToString(), "no heading with id 'buoc-1-nop-don'"));

  // So is a link to a page that is gone.
  testing::WriteFile(alpha, original);
  std::filesystem::remove(dir / "content/guides/alpha.en.md");
  PageCache again = PageCache::Load(out);
  Diagnostics gone;
  CHECK_FALSE(Site::Load(std::make_shared<DiskFileSystem>(), dir.path(), &gone, nullptr, &again));
  CHECK(Contains(gone.ToString(), "content/_index.en.md"));
}

TEST_CASE("a small rebuild updates public/ in place and equals a full build") {
  testing::TempDir incremental;
  testing::MakeFixtureSite("multilingual", incremental.path());
  BuildOptions options;
  options.out_dir = incremental / "public";
  options.in_place_limit = 1.0;  // the fixture is tiny: any change counts as small
  auto first = LoadOrFail(incremental.path())->Build(options);
  REQUIRE(first.ok());
  CHECK_FALSE(first->in_place);
  ino_t untouched = Inode(incremental / "public/vi/guides/alpha/index.html");

  std::string changed = "content/stories/mot.vi.md";
  testing::WriteFile(incremental / changed,
                     ReadFile(incremental / changed) + "\nChị H. mở một cửa hàng nhỏ.\n");
  std::filesystem::remove(incremental / "content/guides/beta.vi.md");
  auto again = LoadOrFail(incremental.path())->Build(options);
  REQUIRE(again.ok());
  CHECK(again->in_place);
  CHECK(again->files_written > 0);
  CHECK(again->files_reused > 40);
  CHECK(Contains(ReadFile(incremental / "public/vi/stories/mot/index.html"), "mở một cửa hàng"));
  // Files whose bytes did not change are the very same files (dates and ETags stay).
  CHECK(Inode(incremental / "public/vi/guides/alpha/index.html") == untouched);
  // A removed page's outputs and its folder are gone.
  CHECK_FALSE(Exists(incremental / "public/vi/guides/beta"));
  CHECK_FALSE(Exists(incremental / "public.staging-" + std::to_string(getpid())));

  render_test::CheckEqualsFullBuild(incremental.path());
}
