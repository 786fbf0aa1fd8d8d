#include "config/site_config.h"

#include <catch2/catch.hpp>

#include "config/yaml_tree.h"

using namespace clemency;

namespace {
const char* kValid = R"(base_url: https://example.org/
default_language: vi
languages:
  - {code: vi, name: Tiếng Việt, locale: vi_VN, title: Đặc xá}
  - {code: en, name: English, locale: en_GB, title: Amnesty}
sections:
  - {name: guides, kind: guide}
)";
}

TEST_CASE("a valid config loads") {
  MemoryFileSystem fs;
  fs.Add("site/config.yaml", kValid);
  Diagnostics d;
  auto config = LoadSiteConfig(fs, "site/config.yaml", &d);
  REQUIRE(config.ok());
  CHECK(d.empty());
  CHECK(config->base_url == "https://example.org");
  CHECK(config->languages.size() == 2);
  CHECK(config->DefaultLanguage().title == "Đặc xá");
  CHECK(config->FindSection("guides")->kind == "guide");
  CHECK(config->utc_offset_minutes == 420);
}

TEST_CASE("config errors name the line and field") {
  MemoryFileSystem fs;
  fs.Add("site/config.yaml", R"(base_url: example.org
default_language: fr
colour: blue
languages:
  - {code: vi, name: V, locale: vi_VN, title: T}
sections:
  - {name: guides, kind: blog}
)");
  Diagnostics d;
  auto config = LoadSiteConfig(fs, "site/config.yaml", &d);
  CHECK_FALSE(config.ok());
  CHECK(
      d.ToString() ==
      "site/config.yaml:1: base_url: must start with http:// or https://\n"
      "site/config.yaml:2: default_language: 'fr' is not one of the languages\n"
      "site/config.yaml:3: colour: unknown field (allowed: base_url, default_language, languages, "
      "sections, time_zone, utc_offset, summary_length, feed_limit, max_content_file_mb, "
        "readability)\n"
      "site/config.yaml:7: sections[0].kind: must be one of guide, story, support, round, page, not "
      "'blog'\n");
}

TEST_CASE("YAML syntax errors and repeated keys are reported with a line") {
  YamlNode node;
  YamlError error;
  CHECK_FALSE(ParseYaml("a: 1\nb: [1, 2\n", &node, &error));
  CHECK(error.line >= 2);
  CHECK_FALSE(ParseYaml("title: a\ntitle: b\n", &node, &error));
  CHECK(error.line == 2);
  CHECK(error.message == "'title' appears twice");
  REQUIRE(ParseYaml("a: \"true\"\nb: true\n", &node, &error));
  CHECK(node.Find("a")->quoted);
  CHECK_FALSE(node.Find("b")->quoted);
}
