// The home text checked against the round pages (render/site_home_check.cpp): the box under the
// home text shows the current round, so news of a round the round pages lack is a problem.
#include <catch2/catch.hpp>
#include <filesystem>

#include "render/site.h"
#include "render_test_support.h"
#include "support/fixture.h"

using namespace clemency;
using render_test::LoadOrFail;
using render_test::Reload;
using render_test::RoundFile;

namespace {

std::string HomeFile(const std::string& news) {
  return "---\ntitle: Trang thử nghiệm\nsummary: Trang chủ của bộ dữ liệu thử.\n---\n"
         "Xin chào. Xem [quy trình](/vi/guides/alpha/#buoc-1-nop-don).\n\n" +
         news + "\n";
}

// The argument `name` of `d` ("" when it has none).
std::string Arg(const Diagnostic& d, const std::string& name) {
  for (const auto& [key, value] : d.args) {
    if (key == name) return value;
  }
  return "";
}

// The problems of loading the site in `dir` (none: the site loaded).
std::vector<Diagnostic> LoadProblems(const std::filesystem::path& dir) {
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), dir.string(), &diagnostics);
  CHECK((site == nullptr) == !diagnostics.empty());
  return diagnostics.items();
}

}  // namespace

TEST_CASE("home text naming a round no round page has is refused at its line, in its words") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  testing::WriteFile(dir / "content/rounds/dot-2025.vi.md",
                     RoundFile("Đợt 2025", "released", "2025-07-03", "1244/2025/QĐ-CTN"));
  testing::WriteFile(dir / "content/_index.vi.md",
                     HomeFile("Chủ tịch nước đã ký Quyết định số 5/2026/QĐ-CTN về đặc xá năm 2026."));
  auto problems = LoadProblems(dir.path());
  REQUIRE(problems.size() == 2);
  for (const Diagnostic& d : problems) {
    CHECK(d.file == "content/_index.vi.md");
    CHECK(d.line == 7);
    CHECK(d.field == "body");
    CHECK(d.code == "check_home_round");
    CHECK(Arg(d, "round") == "Đợt 2025");
    CHECK(Arg(d, "status").rfind("Đã tha", 0) == 0);
  }
  CHECK(Arg(problems[0], "named") == "5/2026/QĐ-CTN");
  CHECK(Arg(problems[1], "named") == "đặc xá năm 2026");

  // What the round pages know, and older years (the law of 2018), are fine.
  testing::WriteFile(dir / "content/_index.vi.md",
                     HomeFile("Đợt đặc xá năm 2025 (Quyết định 1244/2025/QĐ-CTN) đã xong. Luật "
                              "Đặc xá năm 2018 vẫn áp dụng."));
  CHECK(LoadProblems(dir.path()).empty());

  // Once the new round's page is published, the news passes.
  testing::WriteFile(dir / "content/rounds/dot-2026.vi.md",
                     RoundFile("Đợt 2026", "announced", "2026-11-01", "5/2026/QĐ-CTN"));
  testing::WriteFile(dir / "content/_index.vi.md",
                     HomeFile("Chủ tịch nước đã ký Quyết định số 5/2026/QĐ-CTN về đặc xá năm 2026."));
  CHECK(LoadProblems(dir.path()).empty());
}

TEST_CASE("a published edit of the home text is checked; withdrawing a round is never blocked") {
  testing::TempDir dir;
  testing::MakeFixtureSite("multilingual", dir.path());
  testing::WriteFile(dir / "content/rounds/dot-2026.vi.md",
                     RoundFile("Đợt 2026", "announced", "2026-11-01", "5/2026/QĐ-CTN"));
  testing::WriteFile(dir / "content/_index.vi.md", HomeFile("Xem Quyết định 5/2026/QĐ-CTN."));
  auto site = LoadOrFail(dir.path());
  std::set<std::string> keys;
  Diagnostics diagnostics;

  testing::WriteFile(dir / "content/_index.vi.md", HomeFile("Sắp có đợt đặc xá năm 2027."));
  CHECK_FALSE(Reload(&site, {"content/_index.vi.md"}, &diagnostics, &keys));
  REQUIRE(diagnostics.size() == 1);
  CHECK(diagnostics.items()[0].code == "check_home_round");
  CHECK(Arg(diagnostics.items()[0], "round") == "Đợt 2026");

  // The round page taken down: the home text still names its decision, but that does not stop
  // the withdrawal; the home text's next edit is held to the pages then.
  testing::WriteFile(dir / "content/_index.vi.md", HomeFile("Xem Quyết định 5/2026/QĐ-CTN."));
  std::filesystem::remove(dir / "content/rounds/dot-2026.vi.md");
  Diagnostics withdrawal;
  CHECK(Reload(&site, {"content/rounds/dot-2026.vi.md"}, &withdrawal, &keys));
  CHECK(withdrawal.empty());
}
