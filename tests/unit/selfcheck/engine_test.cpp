// The rules engine over the real site/selfcheck/: the situations of situations.txt, every path of
// the decision tree against FACTS.md's exclusions, and the time thresholds of each round.
#include "selfcheck/engine.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "config/site_config.h"
#include "situations.h"

using namespace clemency;
using namespace clemency::selfcheck;

namespace {

using selfcheck_test::RealRules;

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

bool IsClearing(const std::string& question, const std::string& answer) {
  for (const auto& [id, clear] : selfcheck_test::Exclusions()) {
    if (id == question) return std::find(clear.begin(), clear.end(), answer) != clear.end();
  }
  return true;
}

}  // namespace

TEST_CASE("every situation of the table ends as FACTS.md says, with the right reason") {
  const RuleSet& rules = RealRules();
  const auto situations = selfcheck_test::Situations();
  CHECK(situations.size() >= 40);
  for (const auto& s : situations) {
    INFO("situations.txt:" << s.line << ": " << s.text);
    auto result = Evaluate(rules, s.answers);
    REQUIRE(result.ok());
    REQUIRE(result->outcome != nullptr);
    CHECK(result->outcome->id == s.outcome);
    CHECK(VerdictName(result->outcome->verdict) == s.verdict);
    CHECK(result->asked == s.order);  // every answer given was asked, in that order
    const Reason* found = nullptr;
    for (const Reason& r : result->reasons) {
      if (r.rule->id == s.rule) found = &r;
    }
    REQUIRE(found != nullptr);
    CHECK(found->finding == selfcheck_test::FindingNamed(s.finding));
    // "Probably not" and "ask" give the one condition the answer was about.
    if (s.verdict != "may") CHECK(result->reasons.size() == 1);
    for (const char* lang : {"vi", "en", "km"}) {
      INFO(lang);
      const std::string text = ReasonText(rules, *found, lang);
      const auto& source = found->finding == Finding::kFailed ? found->rule->failed : found->rule->text;
      CHECK_FALSE(text.empty());
      CHECK(text.find('{') == std::string::npos);
      if (found->finding == Finding::kFailed) {
        CHECK(text != ReasonText(rules, {found->rule, Finding::kMet}, lang));
        CHECK(source.at(lang).substr(0, 12) == text.substr(0, 12));
      }
    }
  }
}

TEST_CASE("the situations reach every outcome of the real self-check") {
  std::set<std::string> reached;
  for (const auto& s : selfcheck_test::Situations()) reached.insert(s.outcome);
  for (const Outcome& o : RealRules().outcomes) {
    INFO(o.id);
    CHECK(reached.count(o.id) == 1);
  }
}

// The property issue 21 asks for: whatever the answers, "may be considered" is reached only when
// every exclusion of FACTS.md was asked and answered with the one answer that clears it.
TEST_CASE("no path reaches may while an exclusion is unanswered or yes") {
  const RuleSet& rules = RealRules();
  const auto paths = AllPaths(rules);
  REQUIRE_FALSE(paths.empty());
  size_t may = 0;
  for (const Path& path : paths) {
    REQUIRE(path.outcome != nullptr);
    std::string walked;
    for (const auto& id : path.asked) walked += id + "=" + path.answers.at(id) + " ";
    INFO(walked);
    for (const auto& [question, answer] : path.answers) {
      // Any answer that does not clear an exclusion ends on "not" or "ask".
      if (!IsClearing(question, answer)) {
        CHECK(path.outcome->verdict != Verdict::kMayBeConsidered);
      }
    }
    if (path.outcome->verdict != Verdict::kMayBeConsidered) continue;
    ++may;
    for (const auto& [question, clear] : selfcheck_test::Exclusions()) {
      INFO(question);
      REQUIRE(path.answers.count(question) == 1);
      CHECK(IsClearing(question, path.answers.at(question)));
    }
  }
  CHECK(may > 0);
}

// Every "probably not" says what is wrong: the failed condition's own text, never the condition
// as if it were met; every outcome says which answer led there.
TEST_CASE("every probably-not outcome gives the failed condition's text") {
  const RuleSet& rules = RealRules();
  for (const Outcome& o : rules.outcomes) {
    INFO(o.id);
    CHECK_FALSE(o.led_by_question.empty());
    const Question* q = rules.FindQuestion(o.led_by_question);
    REQUIRE(q != nullptr);
    CHECK(q->FindOption(o.led_by_option) != nullptr);
    if (o.verdict == Verdict::kMayBeConsidered) continue;
    const auto reasons = Reasons(rules, o);
    REQUIRE(reasons.size() == 1);
    CHECK(reasons[0].rule->id == q->RuleOf(*q->FindOption(o.led_by_option)));
    if (o.verdict != Verdict::kProbablyNot) continue;
    for (const char* lang : {"vi", "en", "km"}) {
      INFO(lang);
      CHECK(reasons[0].finding == Finding::kFailed);
      CHECK(ReasonText(rules, reasons[0], lang).find(reasons[0].rule->failed.at(lang).substr(0, 8)) == 0);
      CHECK(reasons[0].rule->failed.at(lang) != reasons[0].rule->text.at(lang));
    }
  }
}

// Every excluded offence FACTS.md names ("Who cannot") can be recognised in the question.
TEST_CASE("the exclusion question lists every excluded offence FACTS.md names") {
  const Question* q = RealRules().FindQuestion("excluded");
  REQUIRE(q != nullptr);
  const std::map<std::string, std::vector<std::string>> kNames = {
      {"en",
       {"treason", "overthrow the people's government", "spying", "territory", "riot",
        "terrorism against the people's government", "sabotage", "propaganda against the State",
        "disrupting security", "places of detention", "Terrorism.", "against peace",
        "crimes against humanity", "war crimes"}},
      {"vi",
       {"phản bội Tổ quốc", "lật đổ chính quyền nhân dân", "gián điệp", "an ninh lãnh thổ",
        "bạo loạn", "khủng bố nhằm chống chính quyền nhân dân", "phá hoại cơ sở",
        "tuyên truyền chống Nhà nước", "phá rối an ninh", "chống phá cơ sở giam giữ", "Khủng bố.",
        "phá hoại hòa bình", "chống loài người", "tội phạm chiến tranh"}},
      {"km",
       {"ក្បត់មាតុភូមិ", "ផ្តួលរំលំអំណាចប្រជាជន", "ចារកម្ម", "រំលោភសន្តិសុខទឹកដី", "កុប្បកម្ម",
        "ភេរវកម្មប្រឆាំងអំណាចប្រជាជន", "បំផ្លិចបំផ្លាញ", "ឃោសនាប្រឆាំងរដ្ឋ",
        "បង្កភាពវឹកវរដល់សន្តិសុខ", "កន្លែងឃុំឃាំង", "ប្រឆាំងសន្តិភាព", "ប្រឆាំងមនុស្សជាតិ",
        "ឧក្រិដ្ឋកម្មសង្គ្រាម"}}};
  for (const auto& [lang, names] : kNames) {
    std::string shown = q->title.at(lang) + " " + q->help.at(lang);
    for (const auto& item : q->list) shown += " " + item.at(lang);
    for (const auto& name : names) {
      INFO(lang << ": " << name);
      CHECK(shown.find(name) != std::string::npos);
    }
  }
  // "Not sure" asks, never goes on.
  const Option* unsure = q->FindOption("unsure");
  REQUIRE(unsure != nullptr);
  REQUIRE(RealRules().FindOutcome(unsure->outcome) != nullptr);
  CHECK(RealRules().FindOutcome(unsure->outcome)->verdict == Verdict::kAsk);
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
  CHECK(Evaluate(rules, Parse("sentence=fixed time-fixed=enough")).status().message() ==
        "question 'excluded' has no answer");
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
