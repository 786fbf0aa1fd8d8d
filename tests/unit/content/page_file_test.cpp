// The page-file component: splitting a file at its "---" lines, reading and replacing fields
// (leaving the rest as written), quoting values, and content paths.
#include "content/page_file.h"

#include <catch2/catch.hpp>

#include "config/yaml_tree.h"

using namespace clemency;

TEST_CASE("the Markdown body is what follows the closing --- line") {
  CHECK(MarkdownBody("---\ntitle: A\n---\n## One\n\nText.\n") == "## One\n\nText.\n");
  CHECK(MarkdownBody("---\r\ntitle: A\r\n---\r\nText.\r\n") == "Text.\r\n");
  // A "---" inside a value, or a rule in the body, is not the end of the front matter.
  CHECK(MarkdownBody("---\ntitle: a---b\n---\nx\n\n---\n\ny\n") == "x\n\n---\n\ny\n");
  CHECK(MarkdownBody("---\ntitle: A\n---") == "");
  // No front matter, or one never closed: the whole text.
  CHECK(MarkdownBody("Just text.\n") == "Just text.\n");
  CHECK(MarkdownBody("---\ntitle: A\n") == "---\ntitle: A\n");
}

TEST_CASE("a page file splits into front-matter lines with their line numbers and a body") {
  const std::string text = "---\ntitle: A\ntags:\n  - x\n---\n\nBody.\n";
  PageFileParts parts = SplitPageFile(text);
  REQUIRE(parts.closed);
  REQUIRE(parts.front_matter.size() == 3);
  CHECK(parts.front_matter[0].text == "title: A\n");
  CHECK(parts.front_matter[0].number == 2);
  CHECK(parts.front_matter[2].number == 4);
  CHECK(parts.closing.number == 5);
  CHECK(parts.body_first_line == 6);
  CHECK(text.substr(parts.body_offset) == "\nBody.\n");
  CHECK(text.substr(parts.front_matter_offset, parts.closing_offset - parts.front_matter_offset) ==
        "title: A\ntags:\n  - x\n");
  // "\r\n" files split the same way; lines keep their ends as written.
  PageFileParts crlf = SplitPageFile("---\r\ntitle: A\r\n---\r\nB\r\n");
  REQUIRE(crlf.closed);
  CHECK(crlf.front_matter[0].text == "title: A\r\n");
  CHECK(crlf.body_first_line == 4);
  // Not opened, or never closed: all body. A "----" line does not close.
  CHECK_FALSE(SplitPageFile("Text\n").opened);
  PageFileParts open = SplitPageFile("---\ntitle: A\n----\n");
  CHECK(open.opened);
  CHECK_FALSE(open.closed);
  CHECK(open.body_offset == 0);
}

TEST_CASE("field starts and names") {
  CHECK(IsFieldStart("title: A\n"));
  CHECK(IsFieldStart("\"odd key\": 1"));
  CHECK_FALSE(IsFieldStart("  - x\n"));
  CHECK_FALSE(IsFieldStart("- x"));
  CHECK_FALSE(IsFieldStart("# a: comment"));
  CHECK_FALSE(IsFieldStart("\n"));
  CHECK_FALSE(IsFieldStart("no colon"));
  CHECK(FieldName("title : A\r\n") == "title");
  CHECK(FieldName("'odd key': 1") == "odd key");
}

TEST_CASE("fields are read, removed and replaced with their lines, the rest as written") {
  const std::string text =
      "---\ntitle: A # note\ntags:\n- x\n- y\nsummary: \"S: s\"\n---\nBody: b\n";
  CHECK(FrontMatterFieldLines(text, {"tags"}) == "tags:\n- x\n- y\n");
  CHECK(ReplaceFrontMatterFields(text, {"tags"}, "tags: [z]\n") ==
        "---\ntitle: A # note\nsummary: \"S: s\"\ntags: [z]\n---\nBody: b\n");
  CHECK(FieldValue(text, "title") == "A");
  CHECK(FieldValue(text, "summary") == "S: s");
  CHECK_FALSE(FieldValue(text, "tags"));  // a list is not one scalar
  CHECK_FALSE(FieldValue(text, "Body"));  // the body is not front matter
  CHECK(ReplaceField(text, "title", "B \"b\"") ==
        "---\ntags:\n- x\n- y\nsummary: \"S: s\"\ntitle: \"B \\\"b\\\"\"\n---\nBody: b\n");
  // No closed front matter: nothing to replace in.
  CHECK(ReplaceField("Just text\n", "title", "T") == "Just text\n");
  CHECK(FrontMatterFieldLines("title: A\n", {"title"}) == "");
}

TEST_CASE("quoted values read back as written through the YAML parser") {
  const std::vector<std::string> values = {
      "plain",
      "line one\nline two\n\nafter a blank line",
      "windows\r\nline",
      "say \"hi\" and \\ back",
      "key: value # not a comment",
      "#hash first",
      "   leading and trailing spaces   ",
      "tab\there",
      "bell\x07 and delete\x7f",
      "Thủ tục cấp Căn cước: hồ sơ & lệ phí",
      "ការស្នើសុំ អត្តសញ្ញាណប័ណ្ណ: ឯកសារ",
      "line\u2028separator\u2029and next\u0085line",
      "",
      "- not a list",
      "true",
  };
  for (const std::string& value : values) {
    const std::string yaml = "v: " + YamlQuoted(value) + "\n";
    INFO(yaml);
    YamlNode root;
    YamlError error;
    REQUIRE(ParseYaml(yaml, &root, &error));
    REQUIRE(root.Find("v"));
    CHECK(root.Find("v")->scalar == value);
    CHECK(root.Find("v")->quoted);
    CHECK(yaml.find('\n') == yaml.size() - 1);  // one line, whatever the value holds
    // The same value through a page file's field.
    CHECK(FieldValue(ReplaceField("---\nx: 1\n---\nB\n", "v", value), "v") == value);
  }
  CHECK(YamlQuoted("a\nb") == "\"a\\nb\"");
}

TEST_CASE("content paths parse and format") {
  const std::vector<std::string> langs = {"vi", "en"};
  auto page = ParseContentPath("content/guides/quy-trinh.vi.md", langs);
  REQUIRE(page);
  CHECK(page->section == "guides");
  CHECK(page->slug == "quy-trinh");
  CHECK(page->lang == "vi");
  CHECK(ContentPathOf(*page) == "content/guides/quy-trinh.vi.md");
  auto index = ParseContentPath("content/guides/_index.en.md", langs);
  REQUIRE(index);
  CHECK(index->slug.empty());
  CHECK(ContentPathOf(*index) == "content/guides/_index.en.md");
  auto home = ParseContentPath("content/_index.vi.md", langs);
  REQUIRE(home);
  CHECK(home->section.empty());
  CHECK(ContentPathOf(*home) == "content/_index.vi.md");
  CHECK_FALSE(ParseContentPath("content/guides/quy-trinh.km.md", langs));
  CHECK_FALSE(ParseContentPath("content/../x/a.vi.md", langs));
  CHECK_FALSE(ParseContentPath("content/a.vi.md", langs));  // pages live in sections
  CHECK_FALSE(ParseContentPath("content/guides/Quy.vi.md", langs));
  CHECK_FALSE(ParseContentPath("static/guides/a.vi.md", langs));
}
