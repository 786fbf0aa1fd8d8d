#pragma once
// What editors compare: two texts as a word-level difference, and a stale edit merged with the
// version saved since (through the textdiff module).
#include <string>

#include "editorial/workflow.h"

namespace clemency {

// The three-way merge of `mine` and `theirs`, both made from `base`: clean when they changed
// different fields or paragraphs.
MergeOffer OfferMerge(const std::string& base, const std::string& mine, const std::string& theirs);
// The word-level difference from `before` to `after` in `lang`, as HTML with <ins> and <del>.
std::string WordDiffHtml(const std::string& before, const std::string& after,
                         const std::string& lang);

}  // namespace clemency
