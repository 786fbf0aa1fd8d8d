// The situations of situations.txt walked through the built static pages, in every language: from
// the start page, each answer is the link with that answer's label, followed to the file it
// names, until the result page; that page must show the verdict, the reason's text (the failure
// text on "probably not", never the condition as if met) and the answer that led there.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "render/site.h"
#include "situations.h"
#include "support/fixture.h"
#include "unit/render/render_test_support.h"

using namespace clemency;
using render_test::Contains;
using testing::ReadFile;

namespace {

// The project's site/ (or CLEMENCY_SELFCHECK_SITE's selfcheck/ over it) and content/, built once.
const testing::TempDir& BuiltSite() {
  static const auto dir = [] {
    auto out = std::make_unique<testing::TempDir>();
    for (const char* folder : {"site", "content"}) {
      std::filesystem::copy(std::string(CLEMENCY_SOURCE_DIR) + "/" + folder, *out / folder,
                            std::filesystem::copy_options::recursive);
    }
    if (selfcheck_test::SiteDir() != std::string(CLEMENCY_SOURCE_DIR) + "/site") {
      std::filesystem::remove_all(*out / "site/selfcheck");
      std::filesystem::copy(selfcheck_test::SiteDir() + "/selfcheck", *out / "site/selfcheck",
                            std::filesystem::copy_options::recursive);
    }
    BuildOptions options;
    options.out_dir = *out / "public";
    REQUIRE(render_test::LoadOrFail(out->path())->Build(options).ok());
    return out;
  }();
  return *dir;
}

// `html` with the entities the renderer writes turned back into characters, so texts compare as
// written in the YAML whichever escaping the renderer chose.
std::string Unescape(std::string html) {
  for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{
           {"&apos;", "'"}, {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"},
           {"&amp;", "&"}}) {
    for (size_t at = html.find(entity); at != std::string::npos; at = html.find(entity, at + 1)) {
      html.replace(at, entity.size(), c);
    }
  }
  return html;
}

std::string PageAt(const std::string& href) {
  REQUIRE(href.size() > 1);
  REQUIRE(href.back() == '/');
  const std::string file = BuiltSite() / ("public" + href + "index.html");
  INFO(href);
  REQUIRE(testing::Exists(file));
  return Unescape(ReadFile(file));
}

// The href of the link whose text is exactly `label` in `html` ("" when none).
std::string LinkTo(const std::string& html, const std::string& label) {
  const std::string text = ">" + label + "</a>";
  size_t end = html.find(text);
  if (end == std::string::npos) return "";
  size_t href = html.rfind("href=\"", end);
  if (href == std::string::npos) return "";
  href += 6;
  return html.substr(href, html.find('"', href) - href);
}

}  // namespace

TEST_CASE("every situation, walked through the built pages in every language, ends as expected") {
  const selfcheck::RuleSet& rules = selfcheck_test::RealRules();
  for (const auto& s : selfcheck_test::Situations()) {
    for (const std::string lang : {"vi", "en", "km"}) {
      INFO("situations.txt:" << s.line << " (" << lang << "): " << s.text);
      const std::string start = "/" + lang + "/self-check/";
      std::string href = LinkTo(PageAt(start), rules.String("start", lang));
      REQUIRE(href == start + rules.start + "/");
      std::string last_question, last_label;
      for (const std::string& id : s.order) {
        INFO("at " << href << ", answering " << id << "=" << s.answers.at(id));
        REQUIRE(href == start + id + "/");  // the links lead to the question the table answers
        const selfcheck::Question* q = rules.FindQuestion(id);
        REQUIRE(q != nullptr);
        const selfcheck::Option* option = q->FindOption(s.answers.at(id));
        REQUIRE(option != nullptr);
        last_question = q->title.at(lang);
        last_label = option->label.at(lang);
        href = LinkTo(PageAt(href), last_label);
        REQUIRE_FALSE(href.empty());
      }
      REQUIRE(href == start + "result/" + s.outcome + "/");
      const std::string page = PageAt(href);
      CHECK(Contains(page, "verdict verdict-" + s.verdict + "\""));
      const selfcheck::Rule* rule = rules.FindRule(s.rule);
      REQUIRE(rule != nullptr);
      const selfcheck::Reason reason{rule, selfcheck_test::FindingNamed(s.finding)};
      CHECK(Contains(page, "<p>" + selfcheck::ReasonText(rules, reason, lang) + "</p>"));
      if (reason.finding == selfcheck::Finding::kFailed) {
        // The condition is never stated as met on a "probably not" page.
        const selfcheck::Reason met{rule, selfcheck::Finding::kMet};
        CHECK_FALSE(Contains(page, selfcheck::ReasonText(rules, met, lang)));
      }
      // The page says which answer led there.
      const size_t said = page.find("<p class=\"your-answer\">");
      REQUIRE(said != std::string::npos);
      const std::string answer = page.substr(said, page.find("</p>", said) - said);
      CHECK(Contains(answer, last_label));
      CHECK(Contains(answer, last_question));
    }
  }
}

// Every result page in every language: each reason is the text of what its outcome found (the
// failed condition on "probably not").
TEST_CASE("every built result page gives its outcome's reasons as found") {
  const selfcheck::RuleSet& rules = selfcheck_test::RealRules();
  for (const auto& outcome : rules.outcomes) {
    for (const std::string lang : {"vi", "en", "km"}) {
      INFO(outcome.id << " (" << lang << ")");
      const std::string page = PageAt("/" + lang + "/self-check/result/" + outcome.id + "/");
      for (const auto& reason : selfcheck::Reasons(rules, outcome)) {
        CHECK(Contains(page, "<p>" + selfcheck::ReasonText(rules, reason, lang) + "</p>"));
        if (outcome.verdict == selfcheck::Verdict::kProbablyNot) {
          CHECK(reason.finding == selfcheck::Finding::kFailed);
          const selfcheck::Reason met{reason.rule, selfcheck::Finding::kMet};
          CHECK_FALSE(Contains(page, selfcheck::ReasonText(rules, met, lang)));
        }
      }
    }
  }
}
