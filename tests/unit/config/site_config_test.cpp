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
      "sections, time_zone, utc_offset, summary_length, feed_limit, list_page_size, "
        "max_content_file_mb, command_line_publishing, "
        "readability, licence, websub, notify, review)\n"
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

TEST_CASE("YAML mistakes are told in plain words, on the line of the mistake, with a hint") {
  YamlNode node;
  YamlError error;
  // A colon and a space inside an unquoted value.
  CHECK_FALSE(ParseYaml("title: X\nsummary: Hỏi đáp: giúp gia đình\n", &node, &error));
  CHECK(error.line == 2);
  CHECK(error.message ==
        "a value holds ': ' (a colon and a space); put the whole value in double quotes");
  // A quote that is never closed: the line where it opens, not the end of the file.
  CHECK_FALSE(ParseYaml("title: \"X\nsummary: Y\ndate: 2026-01-01\n", &node, &error));
  CHECK(error.line == 1);
  CHECK(error.message == "a quoted value is not closed; add the closing quote on this line");
  // A tab used for indentation.
  CHECK_FALSE(ParseYaml("source:\n\ttitle: X\n", &node, &error));
  CHECK(error.message.find("libyaml") == std::string::npos);
  CHECK(error.message.find("use spaces") != std::string::npos);
}

TEST_CASE("a language's numerals are khmer or western, and set how dates are formatted") {
  LanguageConfig km{"km", "ខ្មែរ", "km_KH", "T", "khmer"};
  CHECK(km.FormatLocale() == "km_KH@numbers=khmr");
  LanguageConfig vi{"vi", "V", "vi_VN", "T", ""};
  CHECK(vi.FormatLocale() == "vi_VN");
  MemoryFileSystem fs;
  fs.Add("site/config.yaml",
         "base_url: https://example.org\ndefault_language: km\nlanguages:\n"
         "  - {code: km, name: K, locale: km_KH, title: T, numerals: roman}\n"
         "sections: [{name: guides, kind: guide}]\n");
  Diagnostics d;
  CHECK_FALSE(LoadSiteConfig(fs, "site/config.yaml", &d).ok());
  CHECK(d.ToString() ==
        "site/config.yaml:4: languages[0].numerals: must be one of khmer, western, not 'roman'\n");
}

TEST_CASE("the licence and each language's attribution line") {
  MemoryFileSystem fs;
  fs.Add("site/config.yaml", std::string(kValid) +
                                 "licence: {name: CC BY 4.0, spdx: CC-BY-4.0, url: "
                                 "https://creativecommons.org/licenses/by/4.0/}\n");
  Diagnostics d;
  auto config = LoadSiteConfig(fs, "site/config.yaml", &d);
  REQUIRE(config.ok());
  CHECK(config->RightsLine("vi") == "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/.");
  config->languages[0].attribution = "Nguồn: {title} ({base_url})";
  config->languages[0].retelling_note = "Chỉ phần kể lại.";
  CHECK(config->Attribution("vi") == "Nguồn: Đặc xá (https://example.org)");
  // A language without its own line falls back to the default language's.
  CHECK(config->Attribution("en") == "Nguồn: Amnesty (https://example.org)");
  CHECK(config->RetellingNote("en") == "Chỉ phần kể lại.");
  CHECK(config->RightsLine("vi") ==
        "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/. Nguồn: Đặc xá "
        "(https://example.org)");
}

TEST_CASE("the province list beside the config loads, and its errors name the line and field") {
  MemoryFileSystem fs;
  fs.Add("site/config.yaml", kValid);
  fs.Add("site/provinces.yaml", R"(provinces:
  - {code: tay-ninh, vi: "Tây Ninh", en: "Tay Ninh", former: ["Long An"]}
  - {code: nghe-an, vi: "Nghệ An"}
nationwide: {code: toan-quoc, vi: "Toàn quốc", en: "Nationwide"}
)");
  Diagnostics d;
  auto config = LoadSiteConfig(fs, "site/config.yaml", &d);
  REQUIRE(config.ok());
  CHECK(d.empty());
  REQUIRE(config->provinces.size() == 3);
  CHECK(config->provinces[0].former == std::vector<std::string>{"Long An"});
  CHECK(config->provinces[1].Name("en", "vi") == "Nghệ An");  // no English name: the default's
  CHECK(config->provinces[2].nationwide);

  fs.Add("site/provinces.yaml", R"(provinces:
  - {code: Tay Ninh, en: "Tay Ninh", km: "x"}
  - {code: nghe-an, vi: "Nghệ An"}
  - {code: nghe-an, vi: "Nghệ An 2"}
)");
  Diagnostics bad;
  CHECK_FALSE(LoadSiteConfig(fs, "site/config.yaml", &bad).ok());
  CHECK(bad.ToString() ==
        "site/provinces.yaml:2: provinces[0].km: unknown field (allowed: vi, en, code, former)\n"
        "site/provinces.yaml:2: provinces[0].code: 'Tay Ninh' must be lowercase letters, digits "
        "and hyphens\n"
        "site/provinces.yaml:2: provinces[0].vi: is required\n"
        "site/provinces.yaml:4: provinces[2].code: 'nghe-an' is used twice\n");
}

TEST_CASE("a site without a province list has none") {
  MemoryFileSystem fs;
  fs.Add("site/config.yaml", kValid);
  Diagnostics d;
  auto config = LoadSiteConfig(fs, "site/config.yaml", &d);
  REQUIRE(config.ok());
  CHECK(config->provinces.empty());
}
