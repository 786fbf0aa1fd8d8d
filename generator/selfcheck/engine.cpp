#include "selfcheck/engine.h"

#include <functional>

namespace clemency::selfcheck {

Result<Evaluation> Evaluate(const RuleSet& rules, const Answers& answers) {
  Evaluation out;
  const Question* question = rules.FindQuestion(rules.start);
  // A valid rule set has no loops, so at most one step per question.
  for (size_t step = 0; question && step <= rules.questions.size(); ++step) {
    out.asked.push_back(question->id);
    auto answer = answers.find(question->id);
    if (answer == answers.end()) {
      return Status::Error("question '" + question->id + "' has no answer");
    }
    const Option* option = question->FindOption(answer->second);
    if (!option) {
      return Status::Error("question '" + question->id + "' has no option '" + answer->second +
                           "'");
    }
    if (!option->outcome.empty()) {
      out.outcome = rules.FindOutcome(option->outcome);
      if (out.outcome) out.reasons = Reasons(rules, *out.outcome);
      return out;
    }
    question = rules.FindQuestion(option->next);
  }
  return Status::Error("the self-check's questions do not end in an outcome");
}

std::vector<Reason> Reasons(const RuleSet& rules, const Outcome& outcome) {
  const Finding finding = outcome.verdict == Verdict::kProbablyNot       ? Finding::kFailed
                          : outcome.verdict == Verdict::kMayBeConsidered ? Finding::kMet
                                                                         : Finding::kUnknown;
  std::vector<Reason> out;
  for (const auto& id : outcome.reasons) {
    if (const Rule* rule = rules.FindRule(id)) out.push_back({rule, finding});
  }
  return out;
}

std::string ReasonText(const RuleSet& rules, const Reason& reason, const std::string& lang) {
  const Localized& texts =
      reason.finding == Finding::kFailed ? reason.rule->failed : reason.rule->text;
  auto it = texts.find(lang);
  std::string text = it == texts.end() ? "" : it->second;
  const Round* round = rules.FindRound(rules.round);
  if (!round) return text;
  auto share = round->share_text.find(lang);
  const std::map<std::string, std::string> values = {
      {"{share}", share == round->share_text.end() ? "" : share->second},
      {"{years}", rules.Number(round->life_years, lang)}};
  for (const auto& [marker, value] : values) {
    for (size_t at = text.find(marker); at != std::string::npos;
         at = text.find(marker, at + value.size())) {
      text.replace(at, marker.size(), value);
    }
  }
  return text;
}

long RequiredMonths(const Round& round, TimeRule rule, long sentence_months) {
  if (rule == TimeRule::kCommutedLife) return round.life_years * 12;
  // Rounded up: "at least one third" of 10 months is 4 months, not 3.
  return (sentence_months * round.share_numerator + round.share_denominator - 1) /
         round.share_denominator;
}

Result<std::string> TimeOption(const Round& round, TimeRule rule, long sentence_months,
                               long served_months) {
  constexpr long kMaxMonths = 100 * 12;
  if (served_months < 0 || served_months > kMaxMonths) {
    return Status::Error("the time served must be between 0 and 100 years");
  }
  if (rule == TimeRule::kFixedTerm) {
    if (sentence_months <= 0 || sentence_months > kMaxMonths) {
      return Status::Error("the sentence must be more than 0 and at most 100 years");
    }
    if (served_months > sentence_months) {
      return Status::Error("the time served cannot be longer than the sentence");
    }
  }
  return std::string(served_months >= RequiredMonths(round, rule, sentence_months) ? "enough"
                                                                                   : "short");
}

std::vector<Path> AllPaths(const RuleSet& rules) {
  std::vector<Path> out;
  Path current;
  std::function<void(const Question&)> walk = [&](const Question& q) {
    current.asked.push_back(q.id);
    for (const Option& option : q.options) {
      current.answers[q.id] = option.id;
      if (!option.outcome.empty()) {
        Path done = current;
        done.outcome = rules.FindOutcome(option.outcome);
        out.push_back(std::move(done));
      } else if (const Question* next = rules.FindQuestion(option.next)) {
        walk(*next);
      }
    }
    current.answers.erase(q.id);
    current.asked.pop_back();
  };
  if (const Question* start = rules.FindQuestion(rules.start)) walk(*start);
  return out;
}

}  // namespace clemency::selfcheck
