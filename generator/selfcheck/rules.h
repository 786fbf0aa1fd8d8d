#pragma once
// The eligibility self-check as data: rounds and their thresholds, the rules (each citing its
// source), the questions (a decision tree) and the outcomes, read from site/selfcheck/*.yaml.
// Nothing here knows HTML or HTTP: render makes the pages, api answers the time question.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency::selfcheck {

// One string in every language of the site: language code -> text.
using Localized = std::map<std::string, std::string>;

// Where a rule comes from: a law, decree or decision, and the article.
struct Citation {
  Localized title;
  std::string number;  // "30/2018/QH14" (the same in every language)
  Localized article;   // "Article 11", or none
};

// A place in a YAML file, for diagnostics about references found after parsing.
struct Origin {
  std::string file;
  int line = 0;
};

// The thresholds of one amnesty round: the share of a fixed-term sentence and the years of a
// commuted life sentence a person must have served.
struct Round {
  std::string id;
  long share_numerator = 1, share_denominator = 3;
  long life_years = 14;
  Citation source;
  Localized name;        // "the law's minimum", "2024 round"
  Localized share_text;  // "one third"
  Origin origin;
};

// A condition of the law, shown as a reason: its plain-words text, its source and the guide
// section that explains it (the guide's heading id in each language). `text` states the
// condition (shown when it is met or still to be checked); `failed` states what is wrong when it
// is not met (required of every rule a "probably not" outcome names).
struct Rule {
  std::string id;
  Citation source;
  std::string guide;  // translation key of the guide page, e.g. guides/ai-duoc-xet-dac-xa
  Localized anchor;   // heading id in that guide, per language
  Localized text;
  Localized failed;
  Origin origin;
};

// What a question's time answer is computed against (when the question has one).
enum class TimeRule { kNone, kFixedTerm, kCommutedLife };

// A legal word a question uses, linked to its glossary entry (a guide's heading, like a rule's).
struct Word {
  Localized text;
  std::string guide;
  Localized anchor;
  Origin origin;
};

struct Option {
  std::string id;
  Localized label;
  std::string next;     // the next question's id, or
  std::string outcome;  // the outcome's id
  std::string rule;     // the rule this answer is about, when not its question's
  Origin origin;
};

struct Question {
  std::string id;
  std::string rule;  // the rule this question checks
  Localized title, help;
  std::vector<Localized> list;      // items shown after the help (the excluded offences' groups)
  std::vector<Word> words;          // legal words it uses, linked to the glossary
  TimeRule time = TimeRule::kNone;  // computed questions have options enough, short and unsure
  long example_years = 0;           // the worked example's sentence (fixed term)
  std::vector<Option> options;
  Origin origin;
  const Option* FindOption(const std::string& id) const;
  // The rule `option` is about: its own, else the question's.
  const std::string& RuleOf(const Option& option) const {
    return option.rule.empty() ? rule : option.rule;
  }
};

enum class Verdict { kMayBeConsidered, kProbablyNot, kAsk };
const char* VerdictName(Verdict verdict);  // "may", "not", "ask"

struct Outcome {
  std::string id;
  Verdict verdict = Verdict::kAsk;
  std::vector<std::string> reasons;  // rule ids, in the order shown
  Localized next_steps;
  // The one answer that leads here (set when the rule set is checked), so the page can say it.
  std::string led_by_question, led_by_option;
  Origin origin;
};

struct RuleSet {
  std::string round;  // the round whose thresholds the pages use (rounds.yaml `round`)
  std::string start;  // the first question
  std::vector<Round> rounds;
  std::vector<Rule> rules;
  std::vector<Question> questions;
  std::vector<Outcome> outcomes;
  std::map<std::string, Localized> strings;  // page texts: title, intro, labels…
  std::map<Verdict, Localized> verdicts;     // the heading of each kind of outcome
  Localized numerals;  // language -> its `numerals` in site/config.yaml ("khmer", "western", "")

  bool empty() const { return questions.empty(); }
  const Round* FindRound(const std::string& id) const;
  const Round& CurrentRound() const;  // FindRound(round); only on a valid rule set
  const Rule* FindRule(const std::string& id) const;
  const Question* FindQuestion(const std::string& id) const;
  const Outcome* FindOutcome(const std::string& id) const;
  // The text of `key` in `lang` ("" when missing: a loaded rule set has every one).
  std::string String(const std::string& key, const std::string& lang) const;
  // `number` written in `lang`'s numerals (Khmer digits ០–៩ for "khmer"), for the numbers filled
  // into texts.
  std::string Number(long number, const std::string& lang) const;
};

// Fixed names of the page texts every language must have (strings: in questions.yaml).
const std::vector<std::string>& RequiredStrings();

// Reads site/selfcheck/{rounds,rules,questions}.yaml under `dir` and checks them: every field
// known and typed, every string in every language of `config`, every rule with a source, every
// reference resolved, every path from the start ending in an outcome without a loop. Problems go
// to `diagnostics` as file:line: field: message. A site without the folder has no self-check
// (an empty rule set).
Result<RuleSet> LoadRuleSet(const FileSystem& fs, const std::string& dir, const SiteConfig& config,
                            Diagnostics* diagnostics);

}  // namespace clemency::selfcheck
