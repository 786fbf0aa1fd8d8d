#pragma once
// Three-way merge of content files: two editors' copies of one page, each made from the same
// stored text, brought together unit by unit.
#include <string>
#include <string_view>
#include <vector>

namespace clemency {

// A part both sides changed differently (or one changed and the other deleted): the editor
// chooses. Texts are as written in each file ("" where that side has no such part).
struct MergeConflict {
  std::string label;  // the front-matter field ("title") or body block ("paragraph 3")
  std::string base_text, mine_text, theirs_text;
};

struct MergeResult {
  bool clean = false;
  std::string merged;  // the merged file, when clean
  std::vector<MergeConflict> conflicts;
};

// Merges `mine` and `theirs`, both edits of `base`. A content file is YAML front matter between
// "---" lines, then a Markdown body; its units are the top-level front-matter fields (a key line
// with its indented and list lines) and the body's blocks (paragraphs, lists, headings between
// blank lines). Each side is aligned with `base` unit by unit (trailing spaces and blank lines
// aside); a part one side left as in `base` takes the other side's version, a part both changed
// alike takes that change, and different changes to one unit, a deletion against an edit, or
// different insertions at one place are conflicts. No change of either side is ever dropped.
MergeResult ThreeWayMerge(std::string_view base, std::string_view mine, std::string_view theirs);

}  // namespace clemency
