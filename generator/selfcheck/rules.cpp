#include "selfcheck/rules.h"

#include <algorithm>
#include <functional>
#include <set>

#include "config/yaml_fields.h"
#include "core/site_paths.h"

namespace clemency::selfcheck {
namespace {

// Reads YAML fields of one file into the model, reporting every problem with its line.
class Reader {
 public:
  Reader(std::string file, const SiteConfig& config, Diagnostics* diagnostics)
      : read_(std::move(file), diagnostics), config_(config) {}

  FieldReader& fields() { return read_; }
  Origin OriginOf(const YamlNode& node) const { return {read_.file(), node.line}; }

  // A mapping of language -> text with every language of the site and no other.
  Localized Strings(const YamlNode& map, const std::string& key, const std::string& field,
                    bool required = true) {
    Localized out;
    const YamlNode* node = read_.Map(map, key, required, Prefix(field));
    if (!node) return out;
    for (const auto& language : config_.languages) {
      if (auto text = read_.Text(*node, language.code, false, field + ".")) {
        if (text->find_first_not_of(" \t\n") == std::string::npos) {
          read_.Error(node->Find(language.code)->line, field + "." + language.code,
                      PlainProblem("is empty: every language of the site needs this text"));
        }
        out[language.code] = *text;
      } else if (!node->Find(language.code)) {
        read_.Error(node->line, field + "." + language.code,
                    PlainProblem("missing: every language of the site needs this text"));
      }
    }
    std::vector<std::string> codes;
    for (const auto& language : config_.languages) codes.push_back(language.code);
    read_.RejectUnknown(*node, codes, field + ".");
    return out;
  }

  // `source:` with a title and a number or an article.
  Citation Source(const YamlNode& map, const std::string& field) {
    Citation out;
    const YamlNode* node = read_.Map(map, "source", true, Prefix(field));
    if (!node) return out;
    const std::string prefix = field + ".source.";
    read_.RejectUnknown(*node, {"title", "number", "article"}, prefix);
    out.title = Strings(*node, "title", prefix + "title");
    out.number = read_.Text(*node, "number", false, prefix).value_or("");
    if (node->Find("article")) out.article = Strings(*node, "article", prefix + "article");
    if (out.number.empty() && out.article.empty()) {
      read_.Error(node->line, field + ".source",
                  PlainProblem("needs a number or an article to cite"));
    }
    return out;
  }

  // Each item of the list `key` as a mapping, with its field name (`key[i]`).
  void EachItem(const YamlNode& map, const std::string& key,
                const std::function<void(const YamlNode&, const std::string&)>& each) {
    const YamlNode* list = read_.List(map, key, true);
    if (!list) return;
    if (list->items.empty()) read_.Error(list->line, key, PlainProblem("must not be empty"));
    for (size_t i = 0; i < list->items.size(); ++i) {
      const std::string field = key + "[" + std::to_string(i) + "]";
      if (!list->items[i].IsMap()) {
        read_.Error(list->items[i].line, field, PlainProblem("must be a mapping"));
        continue;
      }
      each(list->items[i], field);
    }
  }

 private:
  static std::string Prefix(const std::string& field) { return field.empty() ? "" : field + "."; }
  FieldReader read_;
  const SiteConfig& config_;
};

bool ReadRoot(const FileSystem& fs, const std::string& path, YamlNode* root,
              Diagnostics* diagnostics) {
  if (!ReadYamlFile(fs, path, "cannot read this self-check file", root, diagnostics)) return false;
  if (root->IsMap()) return true;
  diagnostics->Add(path, root->line, "", PlainProblem("must be a mapping"));
  return false;
}

void ReadRounds(const FileSystem& fs, const std::string& path, const SiteConfig& config,
                RuleSet* out, Diagnostics* diagnostics) {
  YamlNode root;
  if (!ReadRoot(fs, path, &root, diagnostics)) return;
  Reader r(path, config, diagnostics);
  r.fields().RejectUnknown(root, {"round", "rounds"});
  out->round = r.fields().Text(root, "round", true).value_or("");
  r.EachItem(root, "rounds", [&](const YamlNode& item, const std::string& field) {
    r.fields().RejectUnknown(item, {"id", "share", "life_years", "source", "name", "share_text"},
                             field + ".");
    Round round;
    round.origin = r.OriginOf(item);
    round.id = r.fields().Text(item, "id", true, field + ".").value_or("");
    if (auto share = r.fields().Text(item, "share", true, field + ".")) {
      size_t slash = share->find('/');
      char* end = nullptr;
      round.share_numerator = std::strtol(share->c_str(), &end, 10);
      round.share_denominator =
          slash == std::string::npos ? 0 : std::strtol(share->c_str() + slash + 1, nullptr, 10);
      if (slash == std::string::npos || end != share->c_str() + slash ||
          round.share_numerator <= 0 || round.share_denominator < round.share_numerator) {
        r.fields().Error(item.Find("share")->line, field + ".share",
                         PlainProblem("must be a fraction such as 1/3 (at most 1)"));
        round.share_denominator = std::max(round.share_denominator, 1L);
      }
    }
    if (auto years = r.fields().Integer(item, "life_years", true, field + ".")) {
      round.life_years = *years;
      if (*years < 1 || *years > 30) {
        r.fields().Error(item.Find("life_years")->line, field + ".life_years",
                         PlainProblem("must be 1 to 30"));
      }
    }
    round.source = r.Source(item, field);
    round.name = r.Strings(item, "name", field + ".name");
    round.share_text = r.Strings(item, "share_text", field + ".share_text");
    out->rounds.push_back(std::move(round));
  });
}

void ReadRules(const FileSystem& fs, const std::string& path, const SiteConfig& config,
               RuleSet* out, Diagnostics* diagnostics) {
  YamlNode root;
  if (!ReadRoot(fs, path, &root, diagnostics)) return;
  Reader r(path, config, diagnostics);
  r.fields().RejectUnknown(root, {"rules"});
  r.EachItem(root, "rules", [&](const YamlNode& item, const std::string& field) {
    r.fields().RejectUnknown(item, {"id", "source", "guide", "anchor", "text", "failed"},
                             field + ".");
    Rule rule;
    rule.origin = r.OriginOf(item);
    rule.id = r.fields().Text(item, "id", true, field + ".").value_or("");
    rule.source = r.Source(item, field);
    rule.guide = r.fields().Text(item, "guide", true, field + ".").value_or("");
    rule.anchor = r.Strings(item, "anchor", field + ".anchor");
    rule.text = r.Strings(item, "text", field + ".text");
    if (item.Find("failed")) rule.failed = r.Strings(item, "failed", field + ".failed");
    out->rules.push_back(std::move(rule));
  });
}

void ReadOptions(Reader& r, const YamlNode& item, const std::string& field, Question* question) {
  r.EachItem(item, "options", [&](const YamlNode& node, const std::string& base) {
    const std::string option_field = field + "." + base;
    r.fields().RejectUnknown(node, {"id", "label", "next", "outcome", "rule"},
                             option_field + ".");
    Option option;
    option.origin = r.OriginOf(node);
    option.id = r.fields().Text(node, "id", true, option_field + ".").value_or("");
    option.label = r.Strings(node, "label", option_field + ".label");
    option.next = r.fields().Text(node, "next", false, option_field + ".").value_or("");
    option.outcome = r.fields().Text(node, "outcome", false, option_field + ".").value_or("");
    option.rule = r.fields().Text(node, "rule", false, option_field + ".").value_or("");
    if (option.next.empty() == option.outcome.empty()) {
      r.fields().Error(
          node.line, option_field,
          PlainProblem("needs exactly one of `next` (a question) or `outcome` (an end)"));
    }
    question->options.push_back(std::move(option));
  });
}

void ReadQuestion(Reader& r, const YamlNode& item, const std::string& field, RuleSet* out) {
  r.fields().RejectUnknown(
      item, {"id", "rule", "title", "help", "list", "words", "time", "example_years", "options"},
      field + ".");
  Question question;
  question.origin = r.OriginOf(item);
  question.id = r.fields().Text(item, "id", true, field + ".").value_or("");
  question.rule = r.fields().Text(item, "rule", true, field + ".").value_or("");
  question.title = r.Strings(item, "title", field + ".title");
  if (item.Find("help")) question.help = r.Strings(item, "help", field + ".help");
  if (item.Find("list")) {
    r.EachItem(item, "list", [&](const YamlNode& node, const std::string& base) {
      r.fields().RejectUnknown(node, {"text"}, field + "." + base + ".");
      question.list.push_back(r.Strings(node, "text", field + "." + base + ".text"));
    });
  }
  if (item.Find("words")) {
    r.EachItem(item, "words", [&](const YamlNode& node, const std::string& base) {
      const std::string word_field = field + "." + base;
      r.fields().RejectUnknown(node, {"text", "guide", "anchor"}, word_field + ".");
      Word word;
      word.origin = r.OriginOf(node);
      word.text = r.Strings(node, "text", word_field + ".text");
      word.guide = r.fields().Text(node, "guide", true, word_field + ".").value_or("");
      word.anchor = r.Strings(node, "anchor", word_field + ".anchor");
      question.words.push_back(std::move(word));
    });
  }
  auto time = r.fields().Choice(item, "time", false, {"fixed-term", "commuted-life"}, field + ".");
  if (time) question.time = *time == "fixed-term" ? TimeRule::kFixedTerm : TimeRule::kCommutedLife;
  question.example_years =
      r.fields()
          .Integer(item, "example_years", question.time == TimeRule::kFixedTerm, field + ".")
          .value_or(0);
  ReadOptions(r, item, field, &question);
  if (question.time != TimeRule::kNone) {
    std::set<std::string> ids;
    for (const auto& option : question.options) ids.insert(option.id);
    if (ids != std::set<std::string>{"enough", "short", "unsure"}) {
      r.fields().Error(
          item.line, field + ".options",
          PlainProblem("a question with `time` has exactly the options enough, short and unsure"));
    }
  }
  out->questions.push_back(std::move(question));
}

void ReadOutcome(Reader& r, const YamlNode& item, const std::string& field, RuleSet* out) {
  r.fields().RejectUnknown(item, {"id", "verdict", "reasons", "next_steps"}, field + ".");
  Outcome outcome;
  outcome.origin = r.OriginOf(item);
  outcome.id = r.fields().Text(item, "id", true, field + ".").value_or("");
  auto verdict = r.fields().Choice(item, "verdict", true, {"may", "not", "ask"}, field + ".");
  outcome.verdict = !verdict || *verdict == "ask" ? Verdict::kAsk
                    : *verdict == "may"           ? Verdict::kMayBeConsidered
                                                  : Verdict::kProbablyNot;
  outcome.reasons =
      r.fields().TextList(item, "reasons", true, field + ".").value_or(std::vector<std::string>{});
  if (item.Find("reasons") && outcome.reasons.empty()) {
    r.fields().Error(item.Find("reasons")->line, field + ".reasons",
                     PlainProblem("must name at least one rule"));
  }
  outcome.next_steps = r.Strings(item, "next_steps", field + ".next_steps");
  out->outcomes.push_back(std::move(outcome));
}

void ReadQuestions(const FileSystem& fs, const std::string& path, const SiteConfig& config,
                   RuleSet* out, Diagnostics* diagnostics) {
  YamlNode root;
  if (!ReadRoot(fs, path, &root, diagnostics)) return;
  Reader r(path, config, diagnostics);
  r.fields().RejectUnknown(root, {"start", "strings", "verdicts", "questions", "outcomes"});
  out->start = r.fields().Text(root, "start", true).value_or("");
  if (const YamlNode* strings = r.fields().Map(root, "strings", true)) {
    for (const std::string& key : RequiredStrings()) {
      out->strings[key] = r.Strings(*strings, key, "strings." + key);
    }
    r.fields().RejectUnknown(*strings, RequiredStrings(), "strings.");
  }
  if (const YamlNode* verdicts = r.fields().Map(root, "verdicts", true)) {
    r.fields().RejectUnknown(*verdicts, {"may", "not", "ask"}, "verdicts.");
    out->verdicts[Verdict::kMayBeConsidered] = r.Strings(*verdicts, "may", "verdicts.may");
    out->verdicts[Verdict::kProbablyNot] = r.Strings(*verdicts, "not", "verdicts.not");
    out->verdicts[Verdict::kAsk] = r.Strings(*verdicts, "ask", "verdicts.ask");
  }
  r.EachItem(root, "questions", [&](const YamlNode& item, const std::string& field) {
    ReadQuestion(r, item, field, out);
  });
  r.EachItem(root, "outcomes", [&](const YamlNode& item, const std::string& field) {
    ReadOutcome(r, item, field, out);
  });
}

void Report(Diagnostics* diagnostics, const Origin& at, const std::string& field,
            const std::string& message) {
  diagnostics->Add(at.file, at.line, field, PlainProblem(message));
}

// Ids unique within their kind; every reference names something that exists.
void CheckReferences(const RuleSet& set, Diagnostics* diagnostics) {
  auto unique = [&](const auto& items, const char* kind) {
    std::set<std::string> seen;
    for (const auto& item : items) {
      if (!item.id.empty() && !seen.insert(item.id).second) {
        Report(diagnostics, item.origin, "id",
               std::string("another ") + kind + " has the id '" + item.id + "'");
      }
    }
  };
  unique(set.rounds, "round");
  unique(set.rules, "rule");
  unique(set.questions, "question");
  unique(set.outcomes, "outcome");
  if (!set.rounds.empty() && !set.FindRound(set.round)) {
    Report(diagnostics, set.rounds.front().origin, "round",
           "no round has the id '" + set.round + "'");
  }
  for (const auto& q : set.questions) {
    if (q.id == paths::kSelfCheckResultFolder) {
      Report(diagnostics, q.origin, "id",
             "'result' is the folder of the outcomes' pages; choose another id");
    }
    if (!set.FindRule(q.rule))
      Report(diagnostics, q.origin, "rule", "no rule has the id '" + q.rule + "'");
    for (const auto& o : q.options) {
      if (!o.next.empty() && !set.FindQuestion(o.next))
        Report(diagnostics, o.origin, "next", "no question has the id '" + o.next + "'");
      if (!o.outcome.empty() && !set.FindOutcome(o.outcome))
        Report(diagnostics, o.origin, "outcome", "no outcome has the id '" + o.outcome + "'");
      if (!o.rule.empty() && !set.FindRule(o.rule))
        Report(diagnostics, o.origin, "rule", "no rule has the id '" + o.rule + "'");
    }
  }
  for (const auto& outcome : set.outcomes) {
    for (const auto& reason : outcome.reasons) {
      if (!set.FindRule(reason))
        Report(diagnostics, outcome.origin, "reasons", "no rule has the id '" + reason + "'");
    }
  }
}

// Each outcome is reached from exactly one answer, so its page can say which answer led there;
// a "probably not" or "ask" outcome names the rule of that answer's question, and every rule a
// "probably not" outcome names says what is wrong when it fails.
void CheckOutcomeAnswers(RuleSet* set, Diagnostics* diagnostics) {
  std::map<std::string, std::vector<std::pair<const Question*, const Option*>>> leads;
  for (const auto& q : set->questions) {
    for (const auto& o : q.options) {
      if (!o.outcome.empty()) leads[o.outcome].push_back({&q, &o});
    }
  }
  for (auto& outcome : set->outcomes) {
    const auto& from = leads[outcome.id];
    if (from.size() > 1) {
      std::string names;
      for (const auto& [q, o] : from) names += (names.empty() ? "" : ", ") + q->id + "=" + o->id;
      Report(diagnostics, outcome.origin, "id",
             "outcome '" + outcome.id + "' is reached from more than one answer (" + names +
                 "): give each answer its own outcome, so its page can say which answer led there");
      continue;
    }
    if (from.empty()) continue;  // reported by CheckPaths
    outcome.led_by_question = from[0].first->id;
    outcome.led_by_option = from[0].second->id;
    const auto& reasons = outcome.reasons;
    const std::string& rule = from[0].first->RuleOf(*from[0].second);
    if (outcome.verdict != Verdict::kMayBeConsidered &&
        std::find(reasons.begin(), reasons.end(), rule) == reasons.end()) {
      Report(diagnostics, outcome.origin, "reasons",
             "must name '" + rule + "', the rule of the answer '" + from[0].first->id + "=" +
                 from[0].second->id + "' that leads here");
    }
    for (const auto& id : reasons) {
      const Rule* rule = set->FindRule(id);
      if (outcome.verdict == Verdict::kProbablyNot && rule && rule->failed.empty()) {
        Report(diagnostics, rule->origin, "failed",
               "rule '" + id + "' needs a `failed` text: outcome '" + outcome.id +
                   "' says it is not met");
      }
    }
  }
}

// From the start every path ends in an outcome: no loop, and every question and outcome is
// reached (an unreachable one is a mistake an editor would not see on the site).
void CheckPaths(const RuleSet& set, const std::string& questions_file, Diagnostics* diagnostics) {
  const Question* start = set.FindQuestion(set.start);
  if (!start) {
    diagnostics->Add(questions_file, 0, "start",
                     PlainProblem("no question has the id '" + set.start + "'"));
    return;
  }
  std::set<std::string> reached_questions, reached_outcomes, on_path;
  std::function<void(const Question&)> walk = [&](const Question& q) {
    if (on_path.count(q.id)) return;
    on_path.insert(q.id);
    reached_questions.insert(q.id);
    for (const auto& o : q.options) {
      if (!o.outcome.empty()) reached_outcomes.insert(o.outcome);
      const Question* next = o.next.empty() ? nullptr : set.FindQuestion(o.next);
      if (next && on_path.count(next->id)) {
        Report(diagnostics, o.origin, "next",
               "leads back to '" + next->id + "': this path never ends in an outcome");
      } else if (next) {
        walk(*next);
      }
    }
    on_path.erase(q.id);
  };
  walk(*start);
  for (const auto& q : set.questions) {
    if (!reached_questions.count(q.id))
      Report(diagnostics, q.origin, "id", "question '" + q.id + "' is never asked");
  }
  for (const auto& o : set.outcomes) {
    if (!reached_outcomes.count(o.id))
      Report(diagnostics, o.origin, "id", "outcome '" + o.id + "' is never reached");
  }
}

template <typename T>
const T* FindById(const std::vector<T>& items, const std::string& id) {
  for (const auto& item : items) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

}  // namespace

const char* VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kMayBeConsidered:
      return "may";
    case Verdict::kProbablyNot:
      return "not";
    case Verdict::kAsk:
      return "ask";
  }
  return "ask";
}

const Option* Question::FindOption(const std::string& option_id) const {
  return FindById(options, option_id);
}
const Round* RuleSet::FindRound(const std::string& id) const { return FindById(rounds, id); }
const Round& RuleSet::CurrentRound() const { return *FindRound(round); }
const Rule* RuleSet::FindRule(const std::string& id) const { return FindById(rules, id); }
const Question* RuleSet::FindQuestion(const std::string& id) const {
  return FindById(questions, id);
}
const Outcome* RuleSet::FindOutcome(const std::string& id) const { return FindById(outcomes, id); }

std::string RuleSet::String(const std::string& key, const std::string& lang) const {
  auto it = strings.find(key);
  if (it == strings.end()) return "";
  auto text = it->second.find(lang);
  return text == it->second.end() ? "" : text->second;
}

std::string RuleSet::Number(long number, const std::string& lang) const {
  const std::string digits = std::to_string(number);
  auto it = numerals.find(lang);
  if (it == numerals.end() || it->second != "khmer") return digits;
  std::string out;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      out += c;
      continue;
    }
    // U+17E0 KHMER DIGIT ZERO + the digit, in UTF-8: E1 9F A0..A9.
    out += "\xE1\x9F";
    out += static_cast<char>(0xA0 + (c - '0'));
  }
  return out;
}

const std::vector<std::string>& RequiredStrings() {
  static const std::vector<std::string> kStrings = {"title",
                                                    "intro",
                                                    "start",
                                                    "question_of",
                                                    "start_again",
                                                    "reasons",
                                                    "law",
                                                    "guide_link",
                                                    "next_steps",
                                                    "example",
                                                    "compute_intro",
                                                    "sentence_years",
                                                    "sentence_months",
                                                    "served_years",
                                                    "served_months",
                                                    "error_number",
                                                    "error_months",
                                                    "error_sentence",
                                                    "error_served",
                                                    "compute",
                                                    "stores_nothing",
                                                    "threshold_fixed",
                                                    "threshold_life",
                                                    "round_note",
                                                    "duration_years",
                                                    "duration_years_months",
                                                    "choose",
                                                    "your_answer",
                                                    "words",
                                                    "home_link"};
  return kStrings;
}

Result<RuleSet> LoadRuleSet(const FileSystem& fs, const std::string& dir, const SiteConfig& config,
                            Diagnostics* diagnostics) {
  RuleSet set;
  if (!fs.IsDirectory(dir)) return set;
  for (const auto& language : config.languages) set.numerals[language.code] = language.numerals;
  const size_t before = diagnostics->size();
  const std::string questions_file = JoinPath(dir, "questions.yaml");
  ReadRounds(fs, JoinPath(dir, "rounds.yaml"), config, &set, diagnostics);
  ReadRules(fs, JoinPath(dir, "rules.yaml"), config, &set, diagnostics);
  ReadQuestions(fs, questions_file, config, &set, diagnostics);
  if (diagnostics->size() == before) {
    CheckReferences(set, diagnostics);
    if (diagnostics->size() == before) CheckPaths(set, questions_file, diagnostics);
    if (diagnostics->size() == before) CheckOutcomeAnswers(&set, diagnostics);
  }
  if (diagnostics->size() != before) return Status::Error("invalid self-check in " + dir);
  return set;
}

}  // namespace clemency::selfcheck
