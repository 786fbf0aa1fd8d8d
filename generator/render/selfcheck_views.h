#pragma once
// The views of the self-check's pages (start, one per question, one per outcome) in one
// language, from the rule set of site/selfcheck/. jobs_selfcheck.cpp plans their jobs and adds
// the layout every page shares.
#include <functional>
#include <map>
#include <string>

#include "selfcheck/engine.h"
#include "selfcheck/rules.h"
#include "templates/view.h"

namespace clemency {

class SelfCheckViews {
 public:
  using GuideHref =
      std::function<std::string(const std::string& guide, const selfcheck::Localized& anchor)>;
  // `guide_href` gives the link to a guide's section in `lang` ("/en/guides/x/#anchor"), for a
  // rule's reason and a question's glossary words.
  SelfCheckViews(const selfcheck::RuleSet& rules, std::string lang,
                 GuideHref guide_href);

  // Each fills the page's part of `view` and returns the page's title.
  std::string Start(View* view) const;
  std::string Question(const selfcheck::Question& question, View* view) const;
  std::string Outcome(const selfcheck::Outcome& outcome, View* view) const;

  // A duration in months in words: "4 years and 6 months".
  std::string Duration(long months) const;
  // The time a question asks about in words, for the current round ("one third (1/3)", "14").
  std::string Fill(const std::string& key, const std::map<std::string, std::string>& values) const;

 private:
  std::string S(const std::string& key) const { return rules_.String(key, lang_); }
  std::string Text(const selfcheck::Localized& text) const;
  View Reason(const selfcheck::Reason& reason) const;
  void AddTimeHelp(const selfcheck::Question& question, View* view) const;

  const selfcheck::RuleSet& rules_;
  std::string lang_;
  GuideHref guide_href_;
  std::map<std::string, int> depth_;  // question id -> its number on the shortest way there
  int total_ = 0;                     // the most questions any path asks
};

}  // namespace clemency
