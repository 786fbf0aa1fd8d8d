// Loading and checking site/selfcheck/*.yaml: problems named by file:line: field.
#include "selfcheck/rules.h"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace clemency;
using namespace clemency::selfcheck;

namespace {

SiteConfig TwoLanguages() {
  SiteConfig config;
  config.default_language = "vi";
  config.languages = {{"vi", "Tiếng Việt", "vi_VN", "Đặc xá"},
                      {"en", "English", "en_GB", "Amnesty"}};
  return config;
}

const char* kRounds = R"(round: law
rounds:
  - id: law
    share: 1/3
    life_years: 14
    source: {title: {vi: Luật Đặc xá, en: Law on Special Amnesty}, number: 30/2018/QH14, article: {vi: Điều 11, en: Article 11}}
    name: {vi: luật, en: the law}
    share_text: {vi: một phần ba, en: one third}
)";

const char* kRules = R"(rules:
  - id: time
    source: {title: {vi: Luật Đặc xá, en: Law on Special Amnesty}, article: {vi: Điều 11, en: Article 11}}
    guide: guides/a
    anchor: {vi: a, en: a}
    text: {vi: đủ, en: enough}
    failed: {vi: chưa đủ, en: not enough}
)";

std::string Strings() {
  std::string out = "strings:\n";
  for (const auto& key : RequiredStrings()) out += "  " + key + ": {vi: x, en: x}\n";
  return out;
}

std::string Questions(const std::string& options) {
  return "start: q1\n" + Strings() +
         "verdicts:\n  may: {vi: a, en: a}\n  not: {vi: b, en: b}\n  ask: {vi: c, en: c}\n"
         "questions:\n"
         "  - id: q1\n    rule: time\n    title: {vi: hỏi, en: ask}\n    options:\n" +
         options +
         "outcomes:\n"
         "  - id: yes\n    verdict: may\n    reasons: [time]\n    next_steps: {vi: a, en: a}\n"
         "  - id: no\n    verdict: not\n    reasons: [time]\n    next_steps: {vi: b, en: b}\n";
}

const char* kGoodOptions =
    "      - {id: a, label: {vi: có, en: yes}, outcome: yes}\n"
    "      - {id: b, label: {vi: không, en: no}, outcome: no}\n";

struct Loaded {
  Result<RuleSet> rules = Status::Error("not loaded");
  Diagnostics diagnostics;
};

Loaded Load(const std::string& rounds, const std::string& rules, const std::string& questions) {
  MemoryFileSystem fs;
  fs.Add("site/selfcheck/rounds.yaml", rounds);
  fs.Add("site/selfcheck/rules.yaml", rules);
  fs.Add("site/selfcheck/questions.yaml", questions);
  Loaded out;
  out.rules = LoadRuleSet(fs, "site/selfcheck", TwoLanguages(), &out.diagnostics);
  return out;
}

// The line of questions.yaml where the options given to Questions() begin.
std::string OptionsLine() {
  const std::string text = Questions(kGoodOptions);
  const size_t at = text.find(kGoodOptions);
  return std::to_string(1 + std::count(text.begin(), text.begin() + at, '\n'));
}

}  // namespace

TEST_CASE("a small valid self-check loads") {
  Loaded l = Load(kRounds, kRules, Questions(kGoodOptions));
  INFO(l.diagnostics.ToString());
  REQUIRE(l.rules.ok());
  CHECK(l.rules->CurrentRound().share_denominator == 3);
  CHECK(l.rules->FindQuestion("q1")->options.size() == 2);
  CHECK(l.rules->String("start", "en") == "x");
}

TEST_CASE("a site without site/selfcheck has no self-check") {
  MemoryFileSystem fs;
  Diagnostics d;
  auto rules = LoadRuleSet(fs, "site/selfcheck", TwoLanguages(), &d);
  REQUIRE(rules.ok());
  CHECK(rules->empty());
  CHECK(d.empty());
}

TEST_CASE("a missing language names file, line and field") {
  std::string rules = kRules;
  const std::string full = "text: {vi: đủ, en: enough}";
  rules.replace(rules.find(full), full.size(), "text: {vi: đủ}");
  Loaded l = Load(kRounds, rules, Questions(kGoodOptions));
  INFO(l.diagnostics.ToString());
  REQUIRE_FALSE(l.rules.ok());
  CHECK(l.diagnostics.ToString().find(
            "site/selfcheck/rules.yaml:6: rules[0].text.en: missing: every language of the site "
            "needs this text") != std::string::npos);
}

TEST_CASE("an empty text counts as missing") {
  std::string rules = kRules;
  const std::string full = "text: {vi: đủ, en: enough}";
  rules.replace(rules.find(full), full.size(), "text: {vi: đủ, en: \" \"}");
  Loaded l = Load(kRounds, rules, Questions(kGoodOptions));
  INFO(l.diagnostics.ToString());
  REQUIRE_FALSE(l.rules.ok());
  CHECK(l.diagnostics.ToString().find("rules.yaml:6: rules[0].text.en: is empty") !=
        std::string::npos);
}

TEST_CASE("a rule without a source, or a source without number or article, is refused") {
  std::string no_source = kRules;
  no_source.replace(no_source.find("    source:"),
                    no_source.find("    guide") - no_source.find("    source:"), "");
  Loaded l = Load(kRounds, no_source, Questions(kGoodOptions));
  INFO(l.diagnostics.ToString());
  REQUIRE_FALSE(l.rules.ok());
  CHECK(l.diagnostics.ToString().find("rules.yaml:2: rules[0].source: is required") !=
        std::string::npos);
  std::string bare = kRules;
  const std::string article = ", article: {vi: Điều 11, en: Article 11}";
  bare.replace(bare.find(article), article.size(), "");
  Loaded b = Load(kRounds, bare, Questions(kGoodOptions));
  REQUIRE_FALSE(b.rules.ok());
  CHECK(b.diagnostics.ToString().find(
            "rules.yaml:3: rules[0].source: needs a number or an article to cite") !=
        std::string::npos);
}

TEST_CASE("an option that leads nowhere, or back, or to nothing known, is refused") {
  Loaded neither = Load(kRounds, kRules,
                        Questions("      - {id: a, label: {vi: có, en: yes}}\n"
                                  "      - {id: b, label: {vi: không, en: no}, outcome: no}\n"));
  INFO(neither.diagnostics.ToString());
  CHECK(neither.diagnostics.ToString().find(
            "questions.yaml:" + OptionsLine() + ": questions[0].options[0]: needs exactly one of `next` (a question) "
            "or `outcome` (an end)") != std::string::npos);
  Loaded loop = Load(kRounds, kRules,
                     Questions("      - {id: a, label: {vi: có, en: yes}, next: q1}\n"
                               "      - {id: b, label: {vi: không, en: no}, outcome: no}\n"));
  INFO(loop.diagnostics.ToString());
  CHECK(loop.diagnostics.ToString().find(
            "questions.yaml:" + OptionsLine() + ": next: leads back to 'q1': this path never ends in an outcome") !=
        std::string::npos);
  CHECK(loop.diagnostics.ToString().find("outcome 'yes' is never reached") != std::string::npos);
  Loaded unknown = Load(kRounds, kRules,
                        Questions("      - {id: a, label: {vi: có, en: yes}, outcome: maybe}\n"
                                  "      - {id: b, label: {vi: không, en: no}, outcome: no}\n"));
  INFO(unknown.diagnostics.ToString());
  CHECK(unknown.diagnostics.ToString().find(
            "questions.yaml:" + OptionsLine() + ": outcome: no outcome has the id 'maybe'") != std::string::npos);
}

TEST_CASE("each outcome is reached from one answer, which its reasons and texts must fit") {
  Loaded good = Load(kRounds, kRules, Questions(kGoodOptions));
  REQUIRE(good.rules.ok());
  CHECK(good.rules->FindOutcome("no")->led_by_question == "q1");
  CHECK(good.rules->FindOutcome("no")->led_by_option == "b");
  // Two answers to one outcome: its page could not say which answer led there.
  Loaded twice = Load(kRounds, kRules,
                      Questions(std::string(kGoodOptions) +
                                "      - {id: c, label: {vi: c, en: c}, outcome: no}\n"));
  INFO(twice.diagnostics.ToString());
  REQUIRE_FALSE(twice.rules.ok());
  CHECK(twice.diagnostics.ToString().find(
            "id: outcome 'no' is reached from more than one answer (q1=b, q1=c)") !=
        std::string::npos);
  // A "probably not" whose rule has no failure text would print the condition as if met.
  std::string no_failed = kRules;
  no_failed.erase(no_failed.find("    failed:"));
  Loaded unfailed = Load(kRounds, no_failed, Questions(kGoodOptions));
  INFO(unfailed.diagnostics.ToString());
  REQUIRE_FALSE(unfailed.rules.ok());
  CHECK(unfailed.diagnostics.ToString().find(
            "rules.yaml:2: failed: rule 'time' needs a `failed` text: outcome 'no' says it is not "
            "met") != std::string::npos);
  // An answer about another rule than its outcome gives.
  std::string two_rules = std::string(kRules) +
                          "  - id: other\n    source: {title: {vi: a, en: a}, number: '1'}\n"
                          "    guide: guides/a\n    anchor: {vi: a, en: a}\n"
                          "    text: {vi: a, en: a}\n";
  Loaded wrong = Load(kRounds, two_rules,
                      Questions("      - {id: a, label: {vi: có, en: yes}, outcome: yes}\n"
                                "      - {id: b, label: {vi: không, en: no}, outcome: no, "
                                "rule: other}\n"));
  INFO(wrong.diagnostics.ToString());
  REQUIRE_FALSE(wrong.rules.ok());
  CHECK(wrong.diagnostics.ToString().find("reasons: must name 'other', the rule of the answer "
                                          "'q1=b' that leads here") != std::string::npos);
}

TEST_CASE("a bad share and an unknown current round are refused") {
  std::string rounds = kRounds;
  rounds.replace(rounds.find("share: 1/3"), 10, "share: 3/1");
  Loaded l = Load(rounds, kRules, Questions(kGoodOptions));
  CHECK(l.diagnostics.ToString().find(
            "rounds.yaml:4: rounds[0].share: must be a fraction such as 1/3 (at most 1)") !=
        std::string::npos);
  std::string other = kRounds;
  other.replace(other.find("round: law"), 10, "round: 2030");
  Loaded o = Load(other, kRules, Questions(kGoodOptions));
  CHECK(o.diagnostics.ToString().find("round: no round has the id '2030'") != std::string::npos);
}
