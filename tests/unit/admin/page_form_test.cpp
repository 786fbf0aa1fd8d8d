// The edit form's view of a page file: split into fields and joined back without changing it.
#include "admin/page_form.h"

#include <catch2/catch.hpp>

#include "support/fixture.h"

using namespace clemency;

TEST_CASE("a real guide splits into its fields and joins back byte for byte") {
  std::string text = testing::ReadFile(std::string(CLEMENCY_SOURCE_DIR) +
                                       "/content/guides/quy-trinh-dac-xa.vi.md");
  PageForm form = SplitPage(text);
  REQUIRE(form.title);
  CHECK(*form.title == "Quy trình đặc xá");
  REQUIRE(form.summary);
  CHECK(form.summary->rfind("Các bước của một đợt đặc xá", 0) == 0);
  CHECK(form.front_matter.rfind("date: 2026-11-20\n", 0) == 0);  // title and summary taken out
  CHECK(form.front_matter.find("sources:\n  - title: \"Hiến pháp") != std::string::npos);
  CHECK(form.body.rfind("Mỗi đợt [đặc xá]", 0) == 0);
  CHECK(form.title_line == 2);
  CHECK(form.summary_line == 3);
  // "---", 15 lines of front matter, "---", a blank line: the body starts on line 19.
  CHECK(form.body_first_line == 19);
  CHECK(JoinPage(form) == text);
}

TEST_CASE("the form's parts come back as a page file with \\n line ends") {
  PageForm form;
  form.has_front_matter = true;
  form.title = "Tiêu đề \"mới\"";
  form.summary = "Một dòng\r\nhai dòng";
  form.front_matter = "date: 2026-11-20\r\ntags: [\"a\"]\r\n\r\n";
  form.body = "Đoạn một.\r\n\r\nĐoạn hai.";
  CHECK(JoinPage(form) ==
        "---\ntitle: \"Tiêu đề \\\"mới\\\"\"\nsummary: \"Một dòng\\nhai dòng\"\n"
        "date: 2026-11-20\ntags: [\"a\"]\n---\n\nĐoạn một.\n\nĐoạn hai.\n");
  PageForm again = SplitPage(JoinPage(form));
  CHECK(again.title == form.title);
  CHECK(again.summary == std::optional<std::string>("Một dòng\nhai dòng"));
}

TEST_CASE("fields that are not one text stay in the YAML, and a file without front matter is body") {
  PageForm form = SplitPage("---\ntitle:\n  - a\n  - b\nsummary: >\n  folded\n  text\n---\nBody\n");
  CHECK_FALSE(form.title);  // a list: shown as written in the YAML box
  CHECK(form.front_matter == "title:\n  - a\n  - b\n");
  REQUIRE(form.summary);
  CHECK(*form.summary == "folded text\n");
  CHECK(form.body == "Body\n");
  CHECK(form.body_first_line == 9);

  PageForm bare = SplitPage("No front matter\n---\n");
  CHECK_FALSE(bare.has_front_matter);
  CHECK(bare.body == "No front matter\n---\n");
  CHECK(JoinPage(bare) == "No front matter\n---\n");
  PageForm open = SplitPage("---\ntitle: x\n");  // never closed
  CHECK_FALSE(open.has_front_matter);
  CHECK(JoinPage(open) == "---\ntitle: x\n");
}

TEST_CASE("problems are placed next to the field or body line they name") {
  const std::string path = "content/guides/a.vi.md";
  PageForm form = SplitPage("---\ntitle: \"A\"\nsummary: \"S\"\ndate: 2026-11-20\n---\n\nL1\nL2\n");
  REQUIRE(form.body_first_line == 7);
  std::vector<Diagnostic> items = {
      {path, 2, "title", "is required", "", {}},
      {"/tmp/x/" + path, 4, "date", "must be a date", "", {}},
      {path, 8, "readability", "too long", "", {}},
      {path, 3, "terms", "use 'đặc xá'", "", {}},
      {path, 0, "", "translation without a source page", "", {}},
      {"content/guides/b.vi.md", 9, "body", "links to a.vi.md#gone", "", {}},
      {"x/other-" + path, 4, "date", "not this file", "", {}},
  };
  auto placed = PlaceDiagnostics(form, path, items);
  REQUIRE(placed.size() == 7);
  CHECK(placed[0].place == FormPlace::kTitle);
  CHECK(placed[1].place == FormPlace::kFrontMatter);
  CHECK(placed[2].place == FormPlace::kBody);
  CHECK(placed[2].body_line == 2);
  CHECK(placed[3].place == FormPlace::kSummary);  // by its line: the summary's
  CHECK(placed[4].place == FormPlace::kOther);
  CHECK(placed[5].place == FormPlace::kOther);  // another page's problem
  CHECK(placed[6].place == FormPlace::kOther);
}
