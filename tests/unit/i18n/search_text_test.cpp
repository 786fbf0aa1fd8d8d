#include <catch2/catch.hpp>

#include <sstream>

#include "core/json.h"
#include "i18n/search_text.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

std::vector<std::string> Folded(std::string_view text, const std::string& locale) {
  std::vector<std::string> out;
  for (const SearchToken& token : SearchTokens(text, locale)) out.push_back(token.folded);
  return out;
}

// The folded words of `needle`, in order, inside those of `haystack`: what a phrase query finds.
bool ContainsRun(std::string_view haystack, std::string_view needle, const std::string& locale) {
  const auto words = Folded(haystack, locale), run = Folded(needle, locale);
  if (run.empty()) return false;
  for (size_t i = 0; i + run.size() <= words.size(); ++i) {
    if (std::equal(run.begin(), run.end(), words.begin() + i)) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("search folding: case, Vietnamese marks and đ") {
  CHECK(FoldForSearch("Đặc Xá") == "dac xa");
  CHECK(FoldForSearch("ĐƯỢC") == "duoc");
  CHECK(FoldForSearch("tiền án") == "tien an");
  CHECK(FoldForSearch("HELLO") == "hello");
  // NFKC: the full-width and ligature forms a phone keyboard may send.
  CHECK(FoldForSearch("ＡＢＣ ﬁ") == "abc fi");
  CHECK(SearchIndexText("Ai được xét đặc xá?", "vi") == "ai duoc xet dac xa");
}

TEST_CASE("search folding: NFC and NFD input fold alike") {
  const std::string nfc = "đặc xá";                                // precomposed
  const std::string nfd = "\xC4\x91" "a\xCC\xA3\xCC\x82" "c xa\xCC\x81";  // d-stroke, a + dot + circumflex
  CHECK(SearchIndexText(nfc, "vi") == SearchIndexText(nfd, "vi"));
  CHECK(SearchIndexText(nfd, "vi") == "dac xa");
}

TEST_CASE("search tokens: a Khmer word inside an unspaced run is found") {
  // ICU's dictionary makes ការលើកលែង one word here; the word លើកលែង alone is still found.
  const std::string run = "ការលើកលែងទោសពិសេសសម្រាប់អ្នកទោស";
  CHECK(ContainsRun(run, "លើកលែង", "km"));
  CHECK(ContainsRun(run, "ការលើកលែងទោស", "km"));
  CHECK(ContainsRun(run, "ពិសេស", "km"));
  CHECK_FALSE(ContainsRun(run, "បាត់ដំបង", "km"));
  // The words of one run are joined (a phrase); a space starts a new part.
  auto tokens = SearchTokens("ការលើកលែង ទោស", "km");
  REQUIRE(tokens.size() > 2);
  CHECK_FALSE(tokens.front().joined);
  CHECK(tokens[1].joined);
}

TEST_CASE("search tokens: mixed scripts keep each script's words and their offsets") {
  const std::string text = "អ្នកទោសនៅខេត្តបាត់ដំបង Hà Nội";
  auto tokens = SearchTokens(text, "km");
  REQUIRE(tokens.size() >= 2);
  CHECK(tokens[tokens.size() - 2].folded == "ha");
  CHECK(tokens.back().folded == "noi");
  CHECK(text.substr(tokens.back().begin, tokens.back().end - tokens.back().begin) == "Nội");
  CHECK(ContainsRun(text, "បាត់ដំបង", "km"));
  CHECK(ContainsRun("Hỗ trợ ở Hà Nội và ខេត្តកណ្ដាល", "ha noi", "vi"));
}

TEST_CASE("search queries: words, phrases, prefix on the last word") {
  auto parts = ParseSearchQuery("vay v", "vi");
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].words == std::vector<std::string>{"vay"});
  CHECK_FALSE(parts[0].prefix);
  CHECK(parts[1].words == std::vector<std::string>{"v"});
  CHECK(parts[1].prefix);
  CHECK_FALSE(ParseSearchQuery("vay ", "vi").back().prefix);

  parts = ParseSearchQuery("\"Đặc xá\" ai", "vi");
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].words == std::vector<std::string>{"dac", "xa"});
  CHECK(parts[1].words == std::vector<std::string>{"ai"});
  CHECK_FALSE(ParseSearchQuery("“đặc xá”", "vi").back().prefix);

  // A Khmer run is one part whatever the dictionary makes of it.
  parts = ParseSearchQuery("លើកលែងទោស", "km");
  REQUIRE(parts.size() == 1);
  CHECK(parts[0].words.size() > 1);
  CHECK(ParseSearchQuery("  ", "vi").empty());
}

TEST_CASE("search snippets show the original text with the match marked") {
  auto parts = ParseSearchQuery("dac xa ", "vi");
  std::string snippet =
      SearchSnippet("Ai được xét đặc xá năm nay? <b>", parts, "vi", 200);
  CHECK(snippet == "Ai được xét <mark>đặc</mark> <mark>xá</mark> năm nay? &lt;b&gt;");
  // Long text: cut around the first match, with ellipses.
  std::string long_text(300, 'x');
  long_text += " đặc xá ";
  long_text += std::string(300, 'y');
  snippet = SearchSnippet(long_text, parts, "vi", 80);
  CHECK(snippet.rfind("…", 0) == 0);
  CHECK(snippet.find("<mark>đặc</mark>") != std::string::npos);
  CHECK(snippet.size() < 400);
}

// The static search script (site/static/assets/search.js) cuts and folds as SearchTokens does:
// the texts of tests/search/fold_strings.txt, their words here and the folding table go to
// tests/search/fold_agree.mjs, which must get the same words in node.
TEST_CASE("search folding: the static script's words are these", "[fold-agree]") {
  const std::string source = CLEMENCY_SOURCE_DIR;
  std::istringstream lines(clemency::testing::ReadFile(source + "/tests/search/fold_strings.txt"));
  JsonWriter json;
  json.BeginObject().Key("table").Raw(SearchFoldTableJson()).Key("cases").BeginArray();
  size_t cases = 0;
  for (std::string line; std::getline(lines, line);) {
    const size_t tab = line.find('\t');
    if (line.empty() || line[0] == '#' || tab == std::string::npos) continue;
    const std::string locale = line.substr(0, tab), text = line.substr(tab + 1);
    json.BeginObject().Field("text", text).Key("words").BeginArray();
    for (const SearchToken& token : SearchTokens(text, locale)) {
      json.String((token.joined ? "+" : "") + token.folded);
    }
    json.EndArray().EndObject();
    ++cases;
  }
  CHECK(cases >= 20);
  clemency::testing::TempDir dir;
  clemency::testing::WriteFile(dir / "cases.json", json.EndArray().EndObject().str());
  std::string output;
  const int status = clemency::testing::RunCommand(
      "node " + source + "/tests/search/fold_agree.mjs " + (dir / "cases.json"), &output);
  INFO(output);
  CHECK(status == 0);
}

TEST_CASE("search tokens: Vietnamese and English pieces between spaces equal ICU's word breaks") {
  // fr_FR has no word-break tailoring and never takes the space-separated shortcut, so its tokens
  // are the break iterator's own.
  const std::vector<std::string> texts = {
      "Đặc xá là được Chủ tịch nước cho ra tù sớm.",
      "(Điều 30, khoản 2) “tiền án” - ‘tiền sự’; ngày 1.7.2025, 1,5 triệu đồng",
      "don't, don’t e.g. U.S.A. a_b 3rd 2025a ... ?! —dash– x×y",
      "  leading spaces\tand\ttabs\r\nand a combining mark: Tiê\xCC\x81" "ng  \xCC\x81" "a",
      "mixed ការលើកលែងទោស text, ngàyការ and 中文字 word",
      "",
      "   "};
  for (const std::string& text : texts) {
    for (const char* locale : {"vi_VN", "en_GB"}) {
      const auto fast = SearchTokens(text, locale);
      const auto icu = SearchTokens(text, "fr_FR");
      REQUIRE(fast.size() == icu.size());
      for (size_t i = 0; i < fast.size(); ++i) {
        CHECK(fast[i].folded == icu[i].folded);
        CHECK(fast[i].begin == icu[i].begin);
        CHECK(fast[i].end == icu[i].end);
        CHECK(fast[i].joined == icu[i].joined);
      }
    }
  }
}
