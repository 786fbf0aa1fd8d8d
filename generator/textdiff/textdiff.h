#pragma once
// Word-level differences between two texts, for readers (the public history of a page shows
// how its text changed) and editors (what a draft changes).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "textdiff/sequence_diff.h"

namespace clemency {

struct DiffOp {
  DiffKind kind = DiffKind::kEqual;
  std::string text;
  size_t words = 0;  // words in `text` (spaces and punctuation are not counted)
  bool operator==(const DiffOp& other) const {
    return kind == other.kind && text == other.text && words == other.words;
  }
};

// The most removed plus inserted tokens WordDiff looks for a closer match through: about two
// thousand changed words. Beyond it two texts are treated as unrelated (a rewrite).
inline constexpr size_t kWordDiffCostLimit = 4000;

// The changes that turn `before` into `after`, as runs of equal, removed and inserted text.
// Tokens are words and the runs of spaces and punctuation between them, by ICU word breaks of
// `locale` (Khmer, written without spaces, is compared word by word). Adjacent runs of one kind
// are merged; a space or punctuation left equal between two replacements joins them, so
// "a b" -> "c d" reads as one replacement, not two. Joined, the equal and removed runs give
// `before` and the equal and inserted runs give `after`. Past `cost_limit` changed tokens the
// text between the common start and end is removed and inserted whole.
std::vector<DiffOp> WordDiff(std::string_view before, std::string_view after,
                             const std::string& locale,
                             std::optional<size_t> cost_limit = kWordDiffCostLimit);

// `ops` for reading a long text's change: an equal run across paragraphs (text separated by
// blank lines) keeps only the paragraph it shares with the change before it and the one it
// shares with the change after it; the paragraphs between become `gap` on a paragraph of its
// own. Removed and inserted runs are kept whole; an equal run's `words` is left as it was.
std::vector<DiffOp> ChangedParagraphs(const std::vector<DiffOp>& ops, const std::string& gap);

// Words to say what <ins> and <del> mean, for readers who do not see colour or lines (screen
// readers mostly do not announce them). Empty: no label.
struct DiffLabels {
  std::string inserted, removed;
};

// `ops` as HTML: every text escaped, insertions in <ins>, removals in <del>, each opening with
// its label and a space in a <span class="visually-hidden"> when `labels` has one.
std::string DiffHtml(const std::vector<DiffOp>& ops, const DiffLabels& labels = {});

struct DiffCounts {
  size_t words_added = 0, words_removed = 0;
};
// How many words `ops` inserts and removes, for one-line summaries of a change.
DiffCounts DiffStats(const std::vector<DiffOp>& ops);

}  // namespace clemency
