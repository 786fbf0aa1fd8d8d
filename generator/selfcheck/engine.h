#pragma once
// Evaluates answers to the self-check: answers -> one outcome and its reasons. Pure: no I/O.
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "selfcheck/rules.h"

namespace clemency::selfcheck {

// question id -> option id
using Answers = std::map<std::string, std::string>;

// What an outcome says of each rule it gives as a reason.
enum class Finding { kMet, kFailed, kUnknown };

struct Reason {
  const Rule* rule = nullptr;
  Finding finding = Finding::kUnknown;
};

struct Evaluation {
  const Outcome* outcome = nullptr;
  std::vector<std::string> asked;  // question ids in the order asked
  std::vector<Reason> reasons;     // Reasons(outcome)
};

// The reasons an outcome gives: its rules, failed on "probably not", met on "may", still to be
// checked on "ask".
std::vector<Reason> Reasons(const RuleSet& rules, const Outcome& outcome);

// What a reason says in `lang`: the rule's failure text when it failed, else its condition, with
// the current round's {share} and {years} filled in.
std::string ReasonText(const RuleSet& rules, const Reason& reason, const std::string& lang);

// Walks the questions from the start with `answers`. An error names the first question without
// a (valid) answer.
Result<Evaluation> Evaluate(const RuleSet& rules, const Answers& answers);

// Months a person must have served: the round's share of a fixed-term sentence (rounded up to a
// whole month), or its years of a commuted life sentence (`sentence_months` unused).
long RequiredMonths(const Round& round, TimeRule rule, long sentence_months);

// The option of a computed question for the numbers given: "enough" or "short". An error when
// the numbers cannot be a sentence (negative, served longer than the sentence, over 100 years).
Result<std::string> TimeOption(const Round& round, TimeRule rule, long sentence_months,
                               long served_months);

// Every path from the start to an outcome: its answers and where it ends.
struct Path {
  Answers answers;
  std::vector<std::string> asked;
  const Outcome* outcome = nullptr;
};
std::vector<Path> AllPaths(const RuleSet& rules);

}  // namespace clemency::selfcheck
