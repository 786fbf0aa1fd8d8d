#include "render/selfcheck_views.h"

#include <algorithm>
#include <deque>

#include "core/site_paths.h"
#include "selfcheck/engine.h"

namespace clemency {

using selfcheck::Rule;
using selfcheck::TimeRule;

namespace {

std::string Replace(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string marker = "{" + name + "}";
    for (size_t at = text.find(marker); at != std::string::npos;
         at = text.find(marker, at + value.size())) {
      text.replace(at, marker.size(), value);
    }
  }
  return text;
}

std::string Cite(const selfcheck::Citation& source, const std::string& lang) {
  auto text = [&lang](const selfcheck::Localized& texts) {
    auto it = texts.find(lang);
    return it == texts.end() ? std::string() : it->second;
  };
  std::string out = text(source.title);
  if (!source.number.empty()) out += " (" + source.number + ")";
  if (!source.article.empty()) out += ", " + text(source.article);
  return out;
}

}  // namespace

SelfCheckViews::SelfCheckViews(const selfcheck::RuleSet& rules, std::string lang,
                               GuideHref guide_href)
    : rules_(rules), lang_(std::move(lang)), guide_href_(std::move(guide_href)) {
  // Breadth first: a question's number is where it comes on the shortest way from the start.
  std::deque<std::string> queue = {rules_.start};
  depth_[rules_.start] = 1;
  while (!queue.empty()) {
    const selfcheck::Question* q = rules_.FindQuestion(queue.front());
    queue.pop_front();
    if (!q) continue;
    total_ = std::max(total_, depth_[q->id]);
    for (const auto& option : q->options) {
      if (!option.next.empty() && !depth_.count(option.next)) {
        depth_[option.next] = depth_[q->id] + 1;
        queue.push_back(option.next);
      }
    }
  }
}

std::string SelfCheckViews::Text(const selfcheck::Localized& text) const {
  auto it = text.find(lang_);
  return it == text.end() ? "" : it->second;
}

std::string SelfCheckViews::Fill(const std::string& key,
                                 const std::map<std::string, std::string>& values) const {
  return Replace(S(key), values);
}

std::string SelfCheckViews::Duration(long months) const {
  const std::string years = rules_.Number(months / 12, lang_);
  if (months % 12 == 0) return Fill("duration_years", {{"years", years}});
  return Fill("duration_years_months",
              {{"years", years}, {"months", rules_.Number(months % 12, lang_)}});
}

std::string SelfCheckViews::Start(View* view) const {
  view->Set("is_start", View(true));
  view->Set("intro", View(S("intro")));
  view->Set("start_label", View(S("start")));
  view->Set("start_href", View(paths::SelfCheck(lang_, rules_.start)));
  view->Set("stores_nothing", View(S("stores_nothing")));
  return S("title");
}

void SelfCheckViews::AddTimeHelp(const selfcheck::Question& question, View* view) const {
  const selfcheck::Round& round = rules_.CurrentRound();
  const std::string round_name = Text(round.name);
  const std::string share = Text(round.share_text);
  if (question.time == TimeRule::kFixedTerm) {
    view->Set("threshold",
              View(Fill("threshold_fixed", {{"share", share}, {"round", round_name}})));
    const long sentence = question.example_years * 12;
    view->Set("example",
              View(Fill("example", {{"sentence", Duration(sentence)},
                                    {"share", share},
                                    {"required", Duration(selfcheck::RequiredMonths(
                                                     round, question.time, sentence))}})));
  } else {
    view->Set("threshold", View(Fill("threshold_life", {{"years", rules_.Number(round.life_years, lang_)},
                                                        {"round", round_name}})));
  }
  view->Set("round_note", View(S("round_note")));
  View form;
  form.Set("intro", View(S("compute_intro")));
  form.Set("fixed_term", View(question.time == TimeRule::kFixedTerm));
  for (const char* key : {"sentence_years", "sentence_months", "served_years", "served_months"}) {
    form.Set(std::string(key) + "_label", View(S(key)));
  }
  form.Set("submit", View(S("compute")));
  view->Set("compute", form);
}

std::string SelfCheckViews::Question(const selfcheck::Question& question, View* view) const {
  view->Set("is_question", View(true));
  auto depth = depth_.find(question.id);
  view->Set("progress", View(Fill("question_of",
                                  {{"n", rules_.Number(depth == depth_.end() ? 0 : depth->second, lang_)},
                                   {"total", rules_.Number(total_, lang_)}})));
  if (!question.help.empty()) view->Set("help", View(Text(question.help)));
  if (!question.list.empty()) {
    View list = View::List();
    for (const auto& item : question.list) list.Push(View().Set("text", View(Text(item))));
    view->Set("list", list);
    view->Set("has_list", View(true));
  }
  if (!question.words.empty()) {
    View words = View::List();
    for (const auto& word : question.words) {
      words.Push(View()
                     .Set("text", View(Text(word.text)))
                     .Set("href", View(guide_href_(word.guide, word.anchor))));
    }
    view->Set("words", words);
    view->Set("words_label", View(S("words")));
  }
  view->Set("choose", View(S("choose")));
  View options = View::List();
  for (const auto& option : question.options) {
    options.Push(View()
                     .Set("label", View(Text(option.label)))
                     .Set("href", View(option.outcome.empty()
                                           ? paths::SelfCheck(lang_, option.next)
                                           : paths::SelfCheckResult(lang_, option.outcome))));
  }
  view->Set("options", options);
  if (question.time != TimeRule::kNone) AddTimeHelp(question, view);
  view->Set("start_again", View(S("start_again")));
  view->Set("start_again_href", View(paths::SelfCheck(lang_)));
  return Text(question.title);
}

View SelfCheckViews::Reason(const selfcheck::Reason& found) const {
  const Rule& rule = *found.rule;
  const selfcheck::Round& round = rules_.CurrentRound();
  View reason;
  reason.Set("text", View(selfcheck::ReasonText(rules_, found, lang_)));
  std::string law = Cite(rule.source, lang_);
  // The time a round asks for comes from its decision when that is not the law itself.
  const bool timed = std::any_of(rules_.questions.begin(), rules_.questions.end(),
                                 [&rule](const selfcheck::Question& q) {
                                   return q.rule == rule.id && q.time != TimeRule::kNone;
                                 });
  const std::string round_law = Cite(round.source, lang_);
  if (timed && round_law != law) law += "; " + round_law;
  reason.Set("law", View(law));
  reason.Set("law_label", View(S("law")));
  reason.Set("guide_href", View(guide_href_(rule.guide, rule.anchor)));
  reason.Set("guide_label", View(S("guide_link")));
  return reason;
}

std::string SelfCheckViews::Outcome(const selfcheck::Outcome& outcome, View* view) const {
  view->Set("is_outcome", View(true));
  view->Set("verdict", View(selfcheck::VerdictName(outcome.verdict)));
  // "Probably not, because" reads on into its reasons; the other verdicts introduce them.
  if (outcome.verdict != selfcheck::Verdict::kProbablyNot) {
    view->Set("reasons_heading", View(S("reasons")));
  }
  View reasons = View::List();
  for (const auto& reason : selfcheck::Reasons(rules_, outcome)) reasons.Push(Reason(reason));
  view->Set("reasons", reasons);
  const selfcheck::Question* question = rules_.FindQuestion(outcome.led_by_question);
  const selfcheck::Option* option = question ? question->FindOption(outcome.led_by_option) : nullptr;
  if (option) {
    view->Set("your_answer", View(Fill("your_answer", {{"answer", Text(option->label)},
                                                       {"question", Text(question->title)}})));
  }
  view->Set("next_steps_heading", View(S("next_steps")));
  view->Set("next_steps", View(Text(outcome.next_steps)));
  view->Set("start_again", View(S("start_again")));
  view->Set("start_again_href", View(paths::SelfCheck(lang_)));
  view->Set("stores_nothing", View(S("stores_nothing")));
  auto verdict = rules_.verdicts.find(outcome.verdict);
  return verdict == rules_.verdicts.end() ? "" : Text(verdict->second);
}

}  // namespace clemency
