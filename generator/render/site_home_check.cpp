// The home page's text against the round pages: the box under the home text shows the current
// round from the round pages, so text that announces a round they do not have contradicts it.
#include <set>

#include "config/page_kinds.h"
#include "content/round_mentions.h"
#include "render/site.h"

namespace clemency {

std::vector<const RenderedPage*> Site::RoundPages() const {
  // One bisection per round section, so the home job of a publish does not walk every page.
  std::vector<const RenderedPage*> out;
  for (const auto& section : config_.sections) {
    if (!FindPageKind(section.kind)->round_fields) continue;
    const auto [first, last] = PagesOfSection(section.name);
    for (auto it = first; it != last; ++it) {
      if (it->page.round) out.push_back(&*it);
    }
  }
  return out;
}

const RenderedPage* Site::CurrentRoundShown(const std::string& lang) const {
  const RenderedPage* best = nullptr;
  for (const RenderedPage* round : RoundPages()) {
    const RenderedPage& rendered = *round;
    const RenderedPage* shown = Find(rendered.key, lang);
    if (shown && shown->page.round && (!best || LessCurrentRound(best->page, shown->page))) {
      best = shown;
    }
  }
  return best;
}

void Site::CheckHomeRounds(Diagnostics* diagnostics) const {
  std::set<std::string> decisions;  // "1244/2025" of every live round page
  int newest_year = 0;
  for (const RenderedPage* page : RoundPages()) {
    if (!page->live) continue;
    const RoundInfo& round = *page->page.round;
    if (std::string key = DecisionKey(round.decision); !key.empty()) decisions.insert(key);
    if (round.decision_date) {
      newest_year = std::max(newest_year, std::stoi(round.decision_date->ToDateString()));
    }
  }
  for (const auto& language : config_.languages) {
    const RenderedPage* home = Find("", language.code);
    const RenderedPage* current = CurrentRoundShown(language.code);
    if (!home || home->page.lang != language.code || !current) continue;
    auto text = SourceText(*home);
    if (!text.ok()) continue;  // reported where the page is rendered
    const std::string_view body = std::string_view(*text).substr(home->page.body_offset);
    for (const RoundMention& mention :
         RoundMentions(body, home->page.body_first_line, language.locale)) {
      const bool known = mention.decision.empty() ? mention.year <= newest_year
                                                  : decisions.count(mention.decision) > 0;
      if (known) continue;
      const std::string status = "round_status_" + current->page.round->status;
      diagnostics->Add(home->page.source_path, mention.line, "body",
                       {Diag::check_home_round,
                        {{"named", mention.named},
                         {"round", current->page.title},
                         {"status", catalogs_.Format(language.code, status, {})}}});
    }
  }
}

}  // namespace clemency
