// The self-check's pages, built from the real site/ and content/: one per question and outcome in
// every language, and the round selector of site/selfcheck/rounds.yaml changing what they say.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "render/site.h"
#include "render_test_support.h"
#include "support/fixture.h"

using namespace clemency;
using render_test::Contains;
using render_test::LoadOrFail;
using testing::ReadFile;

namespace {

// The project's site/ and content/ in a temporary folder, built into its public/.
std::unique_ptr<testing::TempDir> BuildRealSite(const std::string& rounds_from = "",
                                                const std::string& rounds_to = "") {
  auto dir = std::make_unique<testing::TempDir>();
  for (const char* folder : {"site", "content"}) {
    std::filesystem::copy(std::string(CLEMENCY_SOURCE_DIR) + "/" + folder, *dir / folder,
                          std::filesystem::copy_options::recursive);
  }
  if (!rounds_from.empty()) {
    std::string rounds = ReadFile(*dir / "site/selfcheck/rounds.yaml");
    REQUIRE(rounds.find(rounds_from) != std::string::npos);
    rounds.replace(rounds.find(rounds_from), rounds_from.size(), rounds_to);
    testing::WriteFile(*dir / "site/selfcheck/rounds.yaml", rounds);
  }
  BuildOptions options;
  options.out_dir = *dir / "public";
  REQUIRE(LoadOrFail(dir->path())->Build(options).ok());
  return dir;
}

}  // namespace

TEST_CASE("every question and outcome of the self-check is a page in every language") {
  auto dir = BuildRealSite();
  auto site = LoadOrFail(dir->path());
  const selfcheck::RuleSet& rules = site->selfcheck();
  REQUIRE_FALSE(rules.empty());
  for (const char* lang : {"vi", "en", "km"}) {
    INFO(lang);
    std::string start = ReadFile(*dir / ("public/" + std::string(lang) + "/self-check/index.html"));
    CHECK(Contains(start, "href=\"/" + std::string(lang) + "/self-check/sentence/\""));
    for (const auto& q : rules.questions) {
      std::string page =
          ReadFile(*dir / ("public/" + std::string(lang) + "/self-check/" + q.id + "/index.html"));
      INFO(q.id);
      CHECK(Contains(page, "<html lang=\"" + std::string(lang) + "\">"));
      for (const auto& o : q.options) {
        const std::string href =
            o.outcome.empty() ? "/" + std::string(lang) + "/self-check/" + o.next + "/"
                              : "/" + std::string(lang) + "/self-check/result/" + o.outcome + "/";
        CHECK(Contains(page, "<a href=\"" + href + "\">" + o.label.at(lang) + "</a>"));
      }
    }
    for (const auto& o : rules.outcomes) {
      std::string page = ReadFile(
          *dir / ("public/" + std::string(lang) + "/self-check/result/" + o.id + "/index.html"));
      INFO(o.id);
      CHECK(Contains(page, "verdict-" + std::string(selfcheck::VerdictName(o.verdict))));
      CHECK(Contains(page, "class=\"legal-note\""));
      // Each reason links to its guide section (which the build checked exists) and cites its law.
      for (const auto& id : o.reasons) {
        const selfcheck::Rule* rule = rules.FindRule(id);
        CHECK(Contains(page, "href=\"/" + std::string(lang) + "/" + rule->guide + "/#" +
                                 rule->anchor.at(lang) + "\""));
        CHECK(Contains(page, rule->source.number));
        CHECK(Contains(page, rule->source.title.at(lang)));
      }
    }
  }
  // The home page leads to the self-check.
  CHECK(Contains(ReadFile(*dir / "public/km/index.html"), "href=\"/km/self-check/\""));
}

TEST_CASE("the time question shows the selected round's threshold and a worked example") {
  auto law = BuildRealSite();
  std::string en = ReadFile(*law / "public/en/self-check/time-fixed/index.html");
  CHECK(Contains(en, "at least one third (1/3) of the sentence must have been served"));
  CHECK(Contains(en, "Example: for a sentence of 9 years, one third (1/3) of it is 3 years."));
  CHECK(Contains(ReadFile(*law / "public/en/self-check/time-life/index.html"),
                 "at least 14 years must have been served"));
  // An editor selects the 2024 round in rounds.yaml: the pages follow, no code changed.
  auto strict = BuildRealSite("round: law", "round: \"2024\"");
  en = ReadFile(*strict / "public/en/self-check/time-fixed/index.html");
  CHECK(Contains(en,
                 "at least one half (1/2) of the sentence must have been served (the 2024 round)"));
  CHECK(Contains(
      en, "Example: for a sentence of 9 years, one half (1/2) of it is 4 years and 6 months."));
  CHECK(
      Contains(ReadFile(*strict / "public/vi/self-check/time-life/index.html"), "ít nhất 15 năm"));
  // The reason cites the round's decision beside the law.
  CHECK(Contains(ReadFile(*strict / "public/en/self-check/result/not-time/index.html"),
                 "Decision of the President on special amnesty in 2024"));
}

TEST_CASE("a question's legal words link to their glossary entries, which must exist") {
  auto dir = BuildRealSite();
  auto site = LoadOrFail(dir->path());
  size_t words = 0;
  for (const auto& q : site->selfcheck().questions) {
    for (const auto& word : q.words) {
      for (const char* lang : {"vi", "en", "km"}) {
        INFO(q.id << " " << lang);
        ++words;
        CHECK(Contains(ReadFile(*dir / ("public/" + std::string(lang) + "/self-check/" + q.id +
                                        "/index.html")),
                       "<a href=\"/" + std::string(lang) + "/" + word.guide + "/#" +
                           word.anchor.at(lang) + "\">" + word.text.at(lang) + "</a>"));
      }
    }
  }
  CHECK(words >= 3 * 3);  // truy cứu, tiền án, xóa án tích, tạm đình chỉ in three languages
  // A word whose glossary heading does not exist stops the build, naming the field.
  std::string questions = ReadFile(*dir / "site/selfcheck/questions.yaml");
  const std::string anchor = "en: being-prosecuted-truy-cuu-trach-nhiem-hinh-su";
  REQUIRE(questions.find(anchor) != std::string::npos);
  questions.replace(questions.find(anchor), anchor.size(), "en: no-such-heading");
  testing::WriteFile(*dir / "site/selfcheck/questions.yaml", questions);
  Diagnostics diagnostics;
  CHECK_FALSE(Site::Load(std::make_shared<DiskFileSystem>(), dir->path(), &diagnostics));
  CHECK(Contains(diagnostics.ToString(),
                 "questions[prosecuted].words.anchor.en: /en/guides/tu-ngu-can-biet/ has no "
                 "heading with id 'no-such-heading'"));
}
