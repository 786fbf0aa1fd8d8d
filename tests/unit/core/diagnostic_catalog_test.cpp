// The diagnostic catalog: one key and one English text per code, every text formats with its own
// argument names, and Diagnostics keep the code and arguments beside the English message.
#include "core/diagnostic_catalog.h"

#include <catch2/catch.hpp>
#include <set>

#include "core/status.h"

using namespace clemency;

TEST_CASE("diagnostic catalog: every code has its own key and an English text") {
  std::set<std::string> keys;
  for (size_t i = 0; i < DiagnosticCodeCount(); ++i) {
    const Diag code = static_cast<Diag>(i);
    INFO(DiagnosticKey(code));
    CHECK(keys.insert(DiagnosticKey(code)).second);
    CHECK(std::string(DiagnosticKey(code)).rfind("check_", 0) == 0);
    CHECK_FALSE(std::string(DiagnosticPattern(code)).empty());
  }
  CHECK(std::string(DiagnosticKey(Diag::check_file_deep)) == "check_file_deep");
  CHECK(std::string(DiagnosticKey(Diag::check_other)) == "check_other");
}

TEST_CASE("diagnostic catalog: every text formats with its argument names, leaving no part") {
  for (size_t i = 0; i < DiagnosticCodeCount(); ++i) {
    const Diag code = static_cast<Diag>(i);
    INFO(DiagnosticKey(code));
    DiagnosticArgs args;
    for (const std::string& name : DiagnosticArgNames(code)) args.emplace_back(name, "<v>");
    const std::string text = FormatDiagnostic({code, args});
    for (const std::string& name : DiagnosticArgNames(code)) {
      CHECK(text.find("{" + name) == std::string::npos);
    }
  }
  CHECK(DiagnosticArgNames(Diag::check_choice) == std::vector<std::string>{"choices", "value"});
  CHECK(DiagnosticArgNames(Diag::check_type_text) == std::vector<std::string>{"kind"});
  CHECK(DiagnosticArgNames(Diag::check_yaml_map_open).empty());  // "{ }" is plain text
}

TEST_CASE("diagnostic catalog: a word part shows the word its keyword names") {
  CHECK(FormatDiagnostic({Diag::check_type_list, {{"kind", "an_empty_value"}}}) ==
        "must be a list, not an empty value");
  CHECK(FormatDiagnostic({Diag::check_readability,
                          {{"value", "31.0"}, {"unit", "words"}, {"limit", "25"}}}) ==
        "31.0 words per sentence (at most 25); use shorter sentences and everyday words (see "
        "site/config.yaml readability)");
}

TEST_CASE("diagnostics keep the code and arguments, the message in English, a warning marked") {
  Diagnostics d;
  d.Add("a.md", 2, "title", {Diag::check_whole_number, {{"value", "một"}}});
  d.Warn("a.md", 4, "body", {Diag::check_raw_html, {{"tag", "<b>"}}});
  REQUIRE(d.size() == 1);
  const Diagnostic& item = d.items().front();
  CHECK(item.code == "check_whole_number");
  CHECK(item.args == DiagnosticArgs{{"value", "một"}});
  CHECK(item.message == "must be a whole number, not 'một'");
  REQUIRE(d.warnings().size() == 1);
  CHECK(d.warnings().front().code == "check_raw_html");
  CHECK(d.warnings().front().message.rfind("warning: raw HTML <b> is not published", 0) == 0);
}
