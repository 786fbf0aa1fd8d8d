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

struct Evaluation {
  const Outcome* outcome = nullptr;
  std::vector<std::string> asked;  // question ids in the order asked
};

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
