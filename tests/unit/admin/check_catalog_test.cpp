// The admin's catalogs say every code of the diagnostic catalog, in Vietnamese and English, with
// the code's arguments (a key missing, a pattern that does not format, or a message that asks for
// an argument the code does not give fails here).
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>

#include "admin/admin_ui.h"
#include "config/yaml_tree.h"
#include "core/fs.h"
#include "editorial/check_messages.h"

using namespace clemency;

namespace {

std::shared_ptr<const AdminText> Text() {
  Diagnostics diagnostics;
  auto text = AdminText::Load(&diagnostics);
  INFO(diagnostics.ToString());
  REQUIRE(text.ok());
  return text.value();
}

MessageArgs Args(const CheckMessage& kind) {
  MessageArgs args;
  for (const auto& [name, value] : kind.args) args.emplace_back(name, "<" + name + ">");
  return args;
}

}  // namespace

TEST_CASE("check catalog: every kind has a message in vi and en that formats with its arguments") {
  auto text = Text();
  const std::regex unfilled(R"(\{[a-z_]+\})");  // what ICU leaves for an argument not given
  for (const CheckMessage& kind : CheckMessageKinds()) {
    INFO(kind.key);
    const std::string vi = text->Format("vi", kind.key, Args(kind));
    const std::string en = text->Format("en", kind.key, Args(kind));
    CHECK(vi != kind.key);  // Format answers the key itself when it is missing or fails
    CHECK(en != kind.key);
    CHECK_FALSE(std::regex_search(vi, unfilled));
    CHECK_FALSE(std::regex_search(en, unfilled));
    if (kind.key != "check_other") CHECK(vi != en);  // translated, not copied (but a site file's)
    // Apostrophes quote in ICU patterns: one in a message would swallow what follows it.
    CHECK(vi.find('\'') == std::string::npos);
    CHECK(en.find('\'') == std::string::npos);
  }
}

// The argument names a catalog's message for `key` uses ("{name}", "{name, select, …}").
std::set<std::string> UsedNames(const YamlNode& catalog, const std::string& key) {
  std::set<std::string> names;
  const YamlNode* message = catalog.Find(key);
  if (!message) return names;
  // Only braces at the top level name arguments: those inside are a select's words.
  const std::string& text = message->scalar;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') --depth;
    if (text[i] != '{') continue;
    if (depth++ > 0) continue;
    size_t end = text.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", i + 1);
    if (end != std::string::npos && end > i + 1) names.insert(text.substr(i + 1, end - i - 1));
  }
  return names;
}

YamlNode Catalog(const std::string& lang) {
  const std::filesystem::path path =
      std::filesystem::path(CLEMENCY_SOURCE_DIR) / "generator/admin/assets/i18n" / (lang + ".yaml");
  auto text = DiskFileSystem().ReadFile(path.string());
  REQUIRE(text.ok());
  YamlNode root;
  YamlError error;
  REQUIRE(ParseYaml(*text, &root, &error));
  return root;
}

TEST_CASE("check catalog: vi and en say each code with the English text's argument names") {
  const YamlNode vi = Catalog("vi");
  const YamlNode en = Catalog("en");
  // Parts the English text shows that the admin may leave out (in one language or both): where a
  // link points once resolved, the digits a number was written with, a reserved name's section, a
  // term's concept id.
  const std::set<std::pair<std::string, std::string>> left_out = {
      {"check_file_reserved", "section"}, {"check_numerals", "written"},
      {"check_link", "target"},           {"check_anchor", "target"},
      {"check_link_scheduled", "target"}, {"check_link_scheduled_later", "target"},
      {"check_term", "concept"},
  };
  for (const CheckMessage& kind : CheckMessageKinds()) {
    INFO(kind.key);
    REQUIRE(vi.Find(kind.key) != nullptr);
    REQUIRE(en.Find(kind.key) != nullptr);
    std::set<std::string> english;
    for (const auto& [name, value] : kind.args) english.insert(name);
    for (const YamlNode* catalog : {&vi, &en}) {
      const std::set<std::string> names = UsedNames(*catalog, kind.key);
      for (const std::string& name : names) CHECK(english.count(name) == 1);
      for (const std::string& name : english) {
        INFO(name);
        if (name == "field" || left_out.count({kind.key, name})) continue;
        CHECK(names.count(name) == 1);
      }
    }
  }
}

TEST_CASE("check catalog: a word part picks the words of each language") {
  auto text = Text();
  Diagnostics diagnostics;
  diagnostics.Add("f.md", 5, "title", {Diag::check_type_text, {{"kind", "a_list"}}});
  diagnostics.Add("f.md", 5, "", Diag::check_yaml_map_open);
  CheckMessage list = CheckMessageOf(diagnostics.items()[0]);
  MessageArgs args;
  for (const auto& [name, value] : list.args) args.emplace_back(name, value);
  CHECK(text->Format("vi", list.key, args) == "Phải là chữ, không phải danh sách.");
  CHECK(text->Format("en", list.key, args) == "Must be text, not a list.");
  CheckMessage braces = CheckMessageOf(diagnostics.items()[1]);
  CHECK(text->Format("en", braces.key) ==
        "A group in { } is not closed. Add the closing } on this line, or put a value that starts "
        "with { in double quotes.");
}
