// The rules engine over the real site/selfcheck/: every path of the decision tree, table-driven,
// and the time thresholds of each round.
#include "selfcheck/engine.h"

#include <catch2/catch.hpp>
#include <set>

#include "config/site_config.h"

using namespace clemency;
using namespace clemency::selfcheck;

namespace {

const RuleSet& RealRules() {
  static const RuleSet rules = [] {
    DiskFileSystem fs;
    Diagnostics d;
    auto config = LoadSiteConfig(fs, std::string(CLEMENCY_SOURCE_DIR) + "/site/config.yaml", &d);
    INFO(d.ToString());
    REQUIRE(config.ok());
    auto loaded =
        LoadRuleSet(fs, std::string(CLEMENCY_SOURCE_DIR) + "/site/selfcheck", *config, &d);
    INFO(d.ToString());
    REQUIRE(loaded.ok());
    REQUIRE(d.empty());
    return *loaded;
  }();
  return rules;
}

// "sentence=fixed time-fixed=enough …" -> answers
Answers Parse(const std::string& text) {
  Answers out;
  size_t start = 0;
  while (start < text.size()) {
    size_t space = text.find(' ', start);
    std::string pair =
        text.substr(start, space == std::string::npos ? std::string::npos : space - start);
    size_t eq = pair.find('=');
    out[pair.substr(0, eq)] = pair.substr(eq + 1);
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return out;
}

struct Row {
  std::string answers;
  std::string outcome;
  Verdict verdict;
  std::vector<std::string> reasons;
};

const std::vector<std::string> kAllConditions = {
    "sentence-type",     "time-served",     "conduct",          "payments",
    "excluded-offences", "earlier-amnesty", "prior-convictions"};

// Every path: the sentence question's ends, then for each kind of time question the same chain.
std::vector<Row> Table() {
  using V = Verdict;
  std::vector<Row> rows = {
      {"sentence=life", "not-life", V::kProbablyNot, {"sentence-type"}},
      {"sentence=suspended", "ask-suspended", V::kAsk, {"suspended"}},
      {"sentence=unsure", "ask-sentence", V::kAsk, {"sentence-type"}},
  };
  for (const std::string time : {"time-fixed", "time-life"}) {
    const std::string kind = time == "time-fixed" ? "fixed" : "life-commuted";
    const std::string t = "sentence=" + kind + " " + time + "=";
    const std::string c = t + "enough conduct=";
    const std::string p = c + "good payments=";
    const std::string x = p + "paid excluded=";
    const std::string e = x + "none earlier=";
    const std::string r = e + "no prior=";
    std::vector<Row> chain = {
        {t + "short", "not-time", V::kProbablyNot, {"time-served"}},
        {t + "unsure", "ask-time", V::kAsk, {"time-served"}},
        {c + "lower", "not-conduct", V::kProbablyNot, {"conduct"}},
        {c + "unsure", "ask-conduct", V::kAsk, {"conduct"}},
        {p + "corruption-unpaid", "not-corruption", V::kProbablyNot, {"payments"}},
        {p + "other-unpaid", "ask-payments", V::kAsk, {"payments"}},
        {p + "unsure", "ask-payments", V::kAsk, {"payments"}},
        {x + "one", "not-excluded", V::kProbablyNot, {"excluded-offences"}},
        {x + "unsure", "ask-excluded", V::kAsk, {"excluded-offences"}},
        {e + "yes", "not-earlier", V::kProbablyNot, {"earlier-amnesty"}},
        {e + "unsure", "ask-earlier", V::kAsk, {"earlier-amnesty"}},
        {r + "none-or-one", "may", V::kMayBeConsidered, kAllConditions},
        {r + "two-or-more", "not-prior", V::kProbablyNot, {"prior-convictions"}},
        {r + "unsure", "ask-prior", V::kAsk, {"prior-convictions"}},
    };
    rows.insert(rows.end(), chain.begin(), chain.end());
  }
  return rows;
}

}  // namespace

TEST_CASE("every path of the real self-check ends as the table says") {
  const RuleSet& rules = RealRules();
  for (const Row& row : Table()) {
    INFO(row.answers);
    auto result = Evaluate(rules, Parse(row.answers));
    REQUIRE(result.ok());
    REQUIRE(result->outcome != nullptr);
    CHECK(result->outcome->id == row.outcome);
    CHECK(result->outcome->verdict == row.verdict);
    CHECK(result->outcome->reasons == row.reasons);
  }
}

TEST_CASE("the table covers every path of the real self-check, and no other") {
  const RuleSet& rules = RealRules();
  std::set<Answers> table, paths;
  for (const Row& row : Table()) table.insert(Parse(row.answers));
  for (const Path& path : AllPaths(rules)) {
    paths.insert(path.answers);
    REQUIRE(path.outcome != nullptr);
  }
  CHECK(paths.size() == AllPaths(rules).size());  // no path twice
  CHECK(table == paths);
  CHECK(paths.size() == 31);
}

TEST_CASE("every outcome is one of the three verdicts and none promises amnesty") {
  const RuleSet& rules = RealRules();
  std::set<Verdict> seen;
  for (const Outcome& o : rules.outcomes) {
    seen.insert(o.verdict);
    for (const auto& [lang, text] : o.next_steps) {
      CHECK(text.find("eligible") == std::string::npos);
    }
  }
  CHECK(seen.size() == 3);
  for (const auto& [verdict, texts] : rules.verdicts) {
    CHECK(texts.at("en").find("ligible") == std::string::npos);
  }
}

TEST_CASE("an unanswered or unknown answer names the question") {
  const RuleSet& rules = RealRules();
  auto missing = Evaluate(rules, Parse("sentence=fixed"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "question 'time-fixed' has no answer");
  auto unknown = Evaluate(rules, Parse("sentence=fixed time-fixed=maybe"));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message() == "question 'time-fixed' has no option 'maybe'");
}

TEST_CASE("time served: the law's minimum and the stricter rounds") {
  const RuleSet& rules = RealRules();
  REQUIRE(rules.round == "law");
  const Round& law = *rules.FindRound("law");
  // 9 years -> 3 years; a commuted life sentence -> 14 years.
  CHECK(RequiredMonths(law, TimeRule::kFixedTerm, 9 * 12) == 3 * 12);
  CHECK(RequiredMonths(law, TimeRule::kCommutedLife, 0) == 14 * 12);
  // Rounded up to a whole month: a third of 10 months is 4 months.
  CHECK(RequiredMonths(law, TimeRule::kFixedTerm, 10) == 4);
  for (const char* id : {"2021", "2022", "2024"}) {
    INFO(id);
    const Round* round = rules.FindRound(id);
    REQUIRE(round != nullptr);
    CHECK(RequiredMonths(*round, TimeRule::kFixedTerm, 9 * 12) == 4 * 12 + 6);
    CHECK(RequiredMonths(*round, TimeRule::kCommutedLife, 0) == 15 * 12);
  }
  CHECK(RequiredMonths(*rules.FindRound("2025-1"), TimeRule::kFixedTerm, 9 * 12) == 36);
}

TEST_CASE("time served chooses the computed question's option") {
  const RuleSet& rules = RealRules();
  const Round& law = *rules.FindRound("law");
  const Round& y2024 = *rules.FindRound("2024");
  using T = TimeRule;
  CHECK(*TimeOption(law, T::kFixedTerm, 108, 36) == "enough");
  CHECK(*TimeOption(law, T::kFixedTerm, 108, 35) == "short");
  CHECK(*TimeOption(y2024, T::kFixedTerm, 108, 36) == "short");
  CHECK(*TimeOption(y2024, T::kFixedTerm, 108, 54) == "enough");
  CHECK(*TimeOption(law, T::kCommutedLife, 0, 14 * 12) == "enough");
  CHECK(*TimeOption(law, T::kCommutedLife, 0, 14 * 12 - 1) == "short");
  CHECK(*TimeOption(y2024, T::kCommutedLife, 0, 14 * 12) == "short");
  CHECK(TimeOption(law, T::kFixedTerm, 0, 0).status().message() ==
        "the sentence must be more than 0 and at most 100 years");
  CHECK(TimeOption(law, T::kFixedTerm, 12, 13).status().message() ==
        "the time served cannot be longer than the sentence");
  CHECK(TimeOption(law, T::kFixedTerm, 12, -1).status().message() ==
        "the time served must be between 0 and 100 years");
}
