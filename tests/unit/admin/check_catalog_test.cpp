// The admin's catalogs say every kind of content-check problem ClassifyCheck knows, in Vietnamese
// and English, with the arguments the table gives (a key missing, a pattern that does not format,
// or a message that asks for an argument the table does not give fails here).
#include <catch2/catch.hpp>
#include <regex>

#include "admin/admin_ui.h"
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
    CHECK(vi != en);  // translated, not copied
    // Apostrophes quote in ICU patterns: one in a message would swallow what follows it.
    CHECK(vi.find('\'') == std::string::npos);
    CHECK(en.find('\'') == std::string::npos);
  }
}

TEST_CASE("check catalog: a word part picks the words of each language") {
  auto text = Text();
  CheckMessage list = ClassifyCheck({"f.md", 5, "title", "must be text, not a list"});
  MessageArgs args;
  for (const auto& [name, value] : list.args) args.emplace_back(name, value);
  CHECK(text->Format("vi", list.key, args) == "Phải là chữ, không phải danh sách.");
  CHECK(text->Format("en", list.key, args) == "Must be text, not a list.");
  CheckMessage braces = ClassifyCheck(
      {"f.md", 5, "",
       "invalid YAML: a mapping in { } is not closed; add the closing } on this line, "
       "or quote a value that starts with {"});
  CHECK(text->Format("en", braces.key) ==
        "A group in { } is not closed. Add the closing } on this line, or put a value that starts "
        "with { in double quotes.");
}
