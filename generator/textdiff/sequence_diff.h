#pragma once
// The shortest edit between two sequences of ids (Myers' O(ND) algorithm, linear space), the
// engine under WordDiff (word tokens) and ThreeWayMerge (front-matter fields and body blocks).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace clemency {

enum class DiffKind { kEqual, kInsert, kRemove };

// One run of the edit: a_from..a_to of `a` and b_from..b_to of `b` (half-open). An equal run
// spans the same length in both; a remove spans only `a` (b_from == b_to, where it happens in
// `b`), an insert only `b`.
struct SequenceEdit {
  DiffKind kind;
  size_t a_from, a_to, b_from, b_to;
};

// The runs that turn `a` into `b`, in order, with as few removed plus inserted ids as Myers'
// algorithm finds. When that number exceeds `cost_limit`, the part between the common start and
// end is one remove and one insert (the search stops there: two unrelated long texts stay fast);
// nullopt `cost_limit` never stops. Adjacent runs of one kind are merged; a remove comes before
// the insert it sits beside.
std::vector<SequenceEdit> DiffSequences(const std::vector<uint32_t>& a,
                                        const std::vector<uint32_t>& b,
                                        std::optional<size_t> cost_limit);

}  // namespace clemency
