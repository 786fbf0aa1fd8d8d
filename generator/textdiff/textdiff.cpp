#include "textdiff/textdiff.h"

#include <unordered_map>

#include "core/text.h"
#include "i18n/text.h"

namespace clemency {
namespace {

// Each distinct token text as a number, so the diff compares integers.
class TokenIds {
 public:
  std::vector<uint32_t> Of(const std::vector<TextToken>& tokens) {
    std::vector<uint32_t> out;
    out.reserve(tokens.size());
    for (const TextToken& token : tokens) {
      auto it = ids_.emplace(token.text, static_cast<uint32_t>(ids_.size())).first;
      out.push_back(it->second);
    }
    return out;
  }

 private:
  std::unordered_map<std::string_view, uint32_t> ids_;  // views into the callers' tokens
};

DiffOp OpOf(DiffKind kind, const std::vector<TextToken>& tokens, size_t from, size_t to) {
  DiffOp op;
  op.kind = kind;
  for (size_t i = from; i < to; ++i) {
    op.text += tokens[i].text;
    op.words += tokens[i].word ? 1 : 0;
  }
  return op;
}

// A replacement: what was removed and what was inserted in its place (either may be empty).
struct Change {
  DiffOp removed{DiffKind::kRemove, "", 0}, inserted{DiffKind::kInsert, "", 0};
  bool both() const { return !removed.text.empty() && !inserted.text.empty(); }
  void Add(const DiffOp& op) {
    DiffOp& into = op.kind == DiffKind::kRemove ? removed : inserted;
    into.text += op.text;
    into.words += op.words;
  }
};

// Folds an equal run of only spaces and punctuation that sits between two replacements into
// both (it is then removed and inserted as it was): "<del>a</del><ins>c</ins> <del>b</del>
// <ins>d</ins>" becomes "<del>a b</del><ins>c d</ins>". Removes come before inserts.
std::vector<DiffOp> JoinReplacements(const std::vector<DiffOp>& ops) {
  std::vector<DiffOp> out;
  Change open;  // the replacement being built (empty: none)
  auto close = [&] {
    if (!open.removed.text.empty()) out.push_back(std::move(open.removed));
    if (!open.inserted.text.empty()) out.push_back(std::move(open.inserted));
    open = Change();
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    const DiffOp& op = ops[i];
    if (op.kind != DiffKind::kEqual) {
      open.Add(op);
      continue;
    }
    // A separator between this replacement and a next one that also removes and inserts.
    Change next;
    for (size_t j = i + 1; j < ops.size() && ops[j].kind != DiffKind::kEqual; ++j) next.Add(ops[j]);
    if (open.both() && op.words == 0 && next.both()) {
      open.Add({DiffKind::kRemove, op.text, 0});
      open.Add({DiffKind::kInsert, op.text, 0});
      continue;
    }
    close();
    out.push_back(op);
  }
  close();
  return out;
}

}  // namespace

std::vector<DiffOp> WordDiff(std::string_view before, std::string_view after,
                             const std::string& locale, std::optional<size_t> cost_limit) {
  const std::vector<TextToken> a = SplitTokens(before, locale), b = SplitTokens(after, locale);
  TokenIds ids;
  const std::vector<uint32_t> a_ids = ids.Of(a), b_ids = ids.Of(b);
  std::vector<DiffOp> ops;
  for (const SequenceEdit& edit : DiffSequences(a_ids, b_ids, cost_limit)) {
    if (edit.kind == DiffKind::kInsert) {
      ops.push_back(OpOf(edit.kind, b, edit.b_from, edit.b_to));
    } else {
      ops.push_back(OpOf(edit.kind, a, edit.a_from, edit.a_to));
    }
  }
  return JoinReplacements(ops);
}

std::vector<DiffOp> ChangedParagraphs(const std::vector<DiffOp>& ops, const std::string& gap) {
  std::vector<DiffOp> out = ops;
  for (size_t i = 0; i < out.size(); ++i) {
    std::string& text = out[i].text;
    const size_t first = text.find("\n\n"), last = text.rfind("\n\n");
    if (out[i].kind != DiffKind::kEqual || first == std::string::npos) continue;
    const bool before = i > 0, after = i + 1 < out.size();  // a change on that side
    // Up to the first paragraph break when it ends the changed paragraph before, from the last
    // one when it starts the changed paragraph after.
    const size_t keep_to = before ? first : 0, keep_from = after ? last + 2 : text.size();
    const std::string_view left_out = std::string_view(text).substr(keep_to, keep_from - keep_to);
    if (left_out.find_first_not_of("\n") == std::string_view::npos) continue;
    text = text.substr(0, keep_to) + (before ? "\n\n" : "") + gap + (after ? "\n\n" : "") +
           text.substr(keep_from);
  }
  return out;
}

std::string DiffHtml(const std::vector<DiffOp>& ops, const DiffLabels& labels) {
  std::string html;
  auto label = [&html](const std::string& text) {
    if (!text.empty()) html += "<span class=\"visually-hidden\">" + EscapeHtml(text) + " </span>";
  };
  for (const DiffOp& op : ops) {
    switch (op.kind) {
      case DiffKind::kEqual:
        html += EscapeHtml(op.text);
        break;
      case DiffKind::kInsert:
        html += "<ins>";
        label(labels.inserted);
        html += EscapeHtml(op.text) + "</ins>";
        break;
      case DiffKind::kRemove:
        html += "<del>";
        label(labels.removed);
        html += EscapeHtml(op.text) + "</del>";
        break;
    }
  }
  return html;
}

DiffCounts DiffStats(const std::vector<DiffOp>& ops) {
  DiffCounts counts;
  for (const DiffOp& op : ops) {
    if (op.kind == DiffKind::kInsert) counts.words_added += op.words;
    if (op.kind == DiffKind::kRemove) counts.words_removed += op.words;
  }
  return counts;
}

}  // namespace clemency
