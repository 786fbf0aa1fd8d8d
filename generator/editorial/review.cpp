#include "editorial/review.h"

#include "textdiff/merge.h"
#include "textdiff/textdiff.h"

namespace clemency {

MergeOffer OfferMerge(const std::string& base, const std::string& mine, const std::string& theirs) {
  MergeResult result = ThreeWayMerge(base, mine, theirs);
  MergeOffer offer;
  offer.clean = result.clean;
  offer.merged = result.merged;
  for (const auto& conflict : result.conflicts) {
    offer.conflicts.push_back(
        {conflict.label, conflict.base_text, conflict.mine_text, conflict.theirs_text});
  }
  return offer;
}

std::string WordDiffHtml(const std::string& before, const std::string& after,
                         const std::string& lang) {
  return DiffHtml(WordDiff(before, after, lang), DiffLabels{"+", "−"});
}

}  // namespace clemency
