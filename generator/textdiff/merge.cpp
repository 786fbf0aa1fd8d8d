#include "textdiff/merge.h"

#include <algorithm>
#include <map>
#include <optional>

#include "content/page_file.h"
#include "textdiff/sequence_diff.h"

namespace clemency {
namespace {

// A front-matter field or a body block.
struct Unit {
  std::string text;   // as written, line ends included
  std::string key;    // the text without trailing spaces and blank lines: what is compared
  std::string label;  // the field's name, "paragraph N" or "front matter"
  bool body = false;
};

// The lines of `text`, each with its '\n' (the last may have none).
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return lines;
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void Finish(std::vector<Unit>* units) {
  for (Unit& unit : *units) {
    const size_t end = unit.text.find_last_not_of(" \t\r\n");
    unit.key = end == std::string::npos ? "" : unit.text.substr(0, end + 1);
  }
}

// The fields of the front-matter lines.
void AddFields(const std::vector<PageFileLine>& lines, std::vector<Unit>* units) {
  bool open = false;
  for (const PageFileLine& line : lines) {
    if (!open || IsFieldStart(line.text)) {
      units->push_back({"", "", IsFieldStart(line.text) ? FieldName(line.text) : "front matter"});
      open = true;
    }
    units->back().text += line.text;
  }
}

// The blocks of body lines [first, end): a block is its lines and the blank lines after it.
void AddBlocks(const std::vector<std::string_view>& lines, size_t first, std::vector<Unit>* units) {
  size_t number = 0;
  bool has_text = false;  // the block being built has a line that is not blank
  for (size_t i = first; i < lines.size(); ++i) {
    const bool blank = IsBlank(lines[i]);
    if (number == 0 || (!blank && has_text && IsBlank(lines[i - 1]))) {
      units->push_back({"", "", "paragraph " + std::to_string(++number), true});
      has_text = false;
    }
    units->back().text += lines[i];
    has_text = has_text || !blank;
  }
}

std::vector<Unit> SplitUnits(std::string_view file) {
  const PageFileParts parts = SplitPageFile(file);
  std::vector<Unit> units;
  if (parts.closed) {
    units.push_back({std::string(parts.opening.text), "", "front matter"});
    AddFields(parts.front_matter, &units);
    units.push_back({std::string(parts.closing.text), "", "front matter"});
  }
  AddBlocks(Lines(file.substr(parts.body_offset)), 0, &units);
  Finish(&units);
  return units;
}

// One side's change of base units [from, to) into its own units [side_from, side_to).
struct Hunk {
  size_t from, to, side_from, side_to;
  int side;  // 0: mine, 1: theirs
  // The hunk in doubled coordinates, where two hunks of different sides conflict exactly when
  // these closed ranges meet: units [from, to) are 2·from+1 … 2·to-1, an insertion before unit
  // p is the point 2·p (so it meets a change of p-1 or p only when inserting inside it).
  size_t lo() const { return from == to ? 2 * from : 2 * from + 1; }
  size_t hi() const { return from == to ? 2 * from : 2 * to - 1; }
};

// The hunks of one side's edit of base. A change of as many units as it replaces is one hunk
// per unit, so edits of neighbouring units by the two sides do not meet.
std::vector<Hunk> Hunks(const std::vector<SequenceEdit>& edits, int side) {
  std::vector<Hunk> hunks;
  for (size_t i = 0; i < edits.size(); ++i) {
    const SequenceEdit& e = edits[i];
    if (e.kind == DiffKind::kEqual) continue;
    Hunk hunk{e.a_from, e.a_to, e.b_from, e.b_to, side};
    if (e.kind == DiffKind::kRemove && i + 1 < edits.size() &&
        edits[i + 1].kind == DiffKind::kInsert) {
      hunk.side_to = edits[++i].b_to;
    }
    if (hunk.to - hunk.from == hunk.side_to - hunk.side_from) {
      for (size_t k = 0; k < hunk.to - hunk.from; ++k) {
        hunks.push_back(
            {hunk.from + k, hunk.from + k + 1, hunk.side_from + k, hunk.side_from + k + 1, side});
      }
    } else {
      hunks.push_back(hunk);
    }
  }
  return hunks;
}

std::vector<SequenceEdit> Align(const std::vector<Unit>& base, const std::vector<Unit>& side) {
  std::map<std::string_view, uint32_t> ids;
  auto of = [&ids](const std::vector<Unit>& units) {
    std::vector<uint32_t> out;
    for (const Unit& unit : units) {
      out.push_back(ids.emplace(unit.key, static_cast<uint32_t>(ids.size())).first->second);
    }
    return out;
  };
  std::vector<uint32_t> base_ids = of(base);
  return DiffSequences(base_ids, of(side), std::nullopt);
}

// The texts the merge is made of, and where it goes.
class Merger {
 public:
  Merger(std::string_view base, std::string_view mine, std::string_view theirs)
      : base_(SplitUnits(base)), sides_{SplitUnits(mine), SplitUnits(theirs)} {}

  MergeResult Run() {
    std::vector<Hunk> hunks = Hunks(Align(base_, sides_[0]), 0);
    for (const Hunk& h : Hunks(Align(base_, sides_[1]), 1)) hunks.push_back(h);
    std::stable_sort(hunks.begin(), hunks.end(),
                     [](const Hunk& a, const Hunk& b) { return a.lo() < b.lo(); });
    size_t next = 0;  // the first base unit not yet in the result
    for (size_t i = 0; i < hunks.size();) {
      size_t j = i + 1, hi = hunks[i].hi();
      for (; j < hunks.size() && hunks[j].lo() <= hi; ++j) hi = std::max(hi, hunks[j].hi());
      std::vector<Hunk> cluster(hunks.begin() + i, hunks.begin() + j);
      Resolve(cluster, &next);
      i = j;
    }
    for (; next < base_.size(); ++next) merged_.push_back(&base_[next]);
    MergeResult result;
    result.conflicts = std::move(conflicts_);
    result.clean = result.conflicts.empty();
    if (result.clean) result.merged = Assemble();
    return result;
  }

 private:
  // Hunks that meet: one side's alone are applied; the two sides' are applied when they give the
  // same units, else the part is a conflict (and the result keeps the base's units meanwhile).
  void Resolve(const std::vector<Hunk>& cluster, size_t* next) {
    size_t from = cluster.front().from, to = cluster.front().to;
    bool sides[2] = {false, false};
    for (const Hunk& h : cluster) {
      from = std::min(from, h.from);
      to = std::max(to, h.to);
      sides[h.side] = true;
    }
    for (; *next < from; ++*next) merged_.push_back(&base_[*next]);
    std::vector<const Unit*> mine = Version(cluster, 0, from, to);
    std::vector<const Unit*> theirs = Version(cluster, 1, from, to);
    if (sides[0] && sides[1] && Keys(mine) != Keys(theirs)) {
      conflicts_.push_back({Label(from, to, mine.empty() ? theirs : mine),
                            Text(BaseUnits(from, to)), Text(mine), Text(theirs)});
    }
    for (const Unit* unit : sides[0] ? mine : theirs) merged_.push_back(unit);
    *next = to;
  }

  // Base units [from, to) with `side`'s hunks of `cluster` applied.
  std::vector<const Unit*> Version(const std::vector<Hunk>& cluster, int side, size_t from,
                                   size_t to) const {
    std::vector<const Unit*> out;
    size_t at = from;
    for (const Hunk& h : cluster) {
      if (h.side != side) continue;
      for (; at < h.from; ++at) out.push_back(&base_[at]);
      for (size_t k = h.side_from; k < h.side_to; ++k) out.push_back(&sides_[side][k]);
      at = h.to;
    }
    for (; at < to; ++at) out.push_back(&base_[at]);
    return out;
  }

  std::vector<const Unit*> BaseUnits(size_t from, size_t to) const {
    std::vector<const Unit*> out;
    for (size_t i = from; i < to; ++i) out.push_back(&base_[i]);
    return out;
  }

  static std::vector<std::string_view> Keys(const std::vector<const Unit*>& units) {
    std::vector<std::string_view> keys;
    for (const Unit* unit : units) keys.push_back(unit->key);
    return keys;
  }

  static std::string Text(const std::vector<const Unit*>& units) {
    std::string text;
    for (const Unit* unit : units) text += unit->text;
    return text;
  }

  // The base units' names, or for insertions at one place, what was inserted: a field's name,
  // or the number the new block would have among the base's blocks.
  std::string Label(size_t from, size_t to, const std::vector<const Unit*>& inserted) const {
    std::string label;
    auto add = [&label](const std::string& name) {
      if (label.find(name) == std::string::npos) label += (label.empty() ? "" : ", ") + name;
    };
    for (size_t i = from; i < to; ++i) add(base_[i].label);
    if (!label.empty() || inserted.empty()) return label;
    if (!inserted.front()->body) return inserted.front()->label;
    size_t blocks = 0;
    for (size_t i = 0; i < from; ++i) blocks += base_[i].body ? 1 : 0;
    return "paragraph " + std::to_string(blocks + 1);
  }

  // The merged file. Units from different files may meet: a field ends its line, and a body
  // block followed by another ends with a blank line (else Markdown would join them).
  std::string Assemble() const {
    std::string out;
    for (size_t i = 0; i < merged_.size(); ++i) {
      std::string text = merged_[i]->text;
      const size_t needed = merged_[i]->body && i + 1 < merged_.size() ? 2 : 1;
      size_t ends = 0;
      for (size_t k = merged_[i]->key.size(); k < text.size(); ++k) ends += text[k] == '\n';
      if (i + 1 < merged_.size() || !merged_[i]->body)
        text.append(needed - std::min(needed, ends), '\n');
      out += text;
    }
    return out;
  }

  const std::vector<Unit> base_;
  const std::vector<Unit> sides_[2];
  std::vector<const Unit*> merged_;
  std::vector<MergeConflict> conflicts_;
};

}  // namespace

MergeResult ThreeWayMerge(std::string_view base, std::string_view mine, std::string_view theirs) {
  return Merger(base, mine, theirs).Run();
}

}  // namespace clemency
