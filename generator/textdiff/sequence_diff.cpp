#include "textdiff/sequence_diff.h"

#include <algorithm>
#include <utility>

namespace clemency {
namespace {

// Myers' bidirectional search for the middle snake, recursing on both halves (as in Myers 1986,
// section 4b, and diff-match-patch's bisect): memory linear in the inputs, time O((N+M)·D).
class Differ {
 public:
  Differ(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b, long max_d)
      : a_(a), b_(b), max_d_(max_d) {}

  // Appends the edit of a[a0, a1) into b[b0, b1) to `out_`. False when its middle snake lies
  // beyond max_d_ (only ever at the top: a part's distance is at most its whole's).
  bool Diff(size_t a0, size_t a1, size_t b0, size_t b1) {
    while (a0 < a1 && b0 < b1 && a_[a0] == b_[b0]) Add(DiffKind::kEqual, a0++, b0++, 1);
    size_t suffix = 0;
    while (a1 - suffix > a0 && b1 - suffix > b0 && a_[a1 - suffix - 1] == b_[b1 - suffix - 1]) {
      ++suffix;
    }
    a1 -= suffix;
    b1 -= suffix;
    bool found = true;
    if (a0 == a1 || b0 == b1) {
      AddChange(a0, a1, b0, b1);
    } else if (auto split = MiddleSnake(a0, a1 - a0, b0, b1 - b0)) {
      found = Diff(a0, a0 + split->first, b0, b0 + split->second) &&
              Diff(a0 + split->first, a1, b0 + split->second, b1);
    } else {
      found = false;
    }
    for (size_t i = 0; found && i < suffix; ++i) Add(DiffKind::kEqual, a1 + i, b1 + i, 1);
    return found;
  }

  std::vector<SequenceEdit>& out() { return out_; }

 private:
  // Where a shortest path from (0,0) to (n,m) of a[a0..] and b[b0..] crosses its middle: a split
  // point strictly inside, or nullopt when none is found within max_d_ steps from each end.
  std::optional<std::pair<size_t, size_t>> MiddleSnake(size_t a0, size_t n_size, size_t b0,
                                                       size_t m_size) const {
    const long n = static_cast<long>(n_size), m = static_cast<long>(m_size);
    // A path has at most n+m steps, so each end meets the other within (n+m+1)/2 of its own.
    const long max_d = std::min((n + m + 1) / 2 + 1, max_d_);
    const long offset = max_d + 1, size = 2 * max_d + 3;
    std::vector<long> forward(size, -1), reverse(size, -1);
    forward[offset + 1] = 0;
    reverse[offset + 1] = 0;
    const long delta = n - m;
    const bool odd = delta % 2 != 0;  // the forward pass meets the reverse one, else vice versa
    long f_start = 0, f_end = 0, r_start = 0, r_end = 0;
    auto inside = [&](long x, long y) -> std::optional<std::pair<size_t, size_t>> {
      if ((x == 0 && y == 0) || (x == n && y == m)) return std::nullopt;  // no progress: give up
      return std::make_pair(static_cast<size_t>(x), static_cast<size_t>(y));
    };
    for (long d = 0; d < max_d; ++d) {
      for (long k = -d + f_start; k <= d - f_end; k += 2) {
        const long i = offset + k;
        long x = (k == -d || (k != d && forward[i - 1] < forward[i + 1])) ? forward[i + 1]
                                                                          : forward[i - 1] + 1;
        long y = x - k;
        while (x < n && y < m && a_[a0 + x] == b_[b0 + y]) ++x, ++y;
        forward[i] = x;
        if (x > n) {
          f_end += 2;
        } else if (y > m) {
          f_start += 2;
        } else if (odd) {
          const long j = offset + delta - k;
          if (j >= 0 && j < size && reverse[j] != -1 && x >= n - reverse[j]) return inside(x, y);
        }
      }
      for (long k = -d + r_start; k <= d - r_end; k += 2) {
        const long j = offset + k;
        long x = (k == -d || (k != d && reverse[j - 1] < reverse[j + 1])) ? reverse[j + 1]
                                                                          : reverse[j - 1] + 1;
        long y = x - k;
        while (x < n && y < m && a_[a0 + n - x - 1] == b_[b0 + m - y - 1]) ++x, ++y;
        reverse[j] = x;
        if (x > n) {
          r_end += 2;
        } else if (y > m) {
          r_start += 2;
        } else if (!odd) {
          const long i = offset + delta - k;
          if (i >= 0 && i < size && forward[i] != -1) {
            const long fx = forward[i], fy = fx - (delta - k);
            if (fx >= n - x) return inside(fx, fy);
          }
        }
      }
    }
    return std::nullopt;
  }

  void AddChange(size_t a0, size_t a1, size_t b0, size_t b1) {
    if (a1 > a0) Add(DiffKind::kRemove, a0, b0, a1 - a0);
    if (b1 > b0) Add(DiffKind::kInsert, a1, b0, b1 - b0);
  }

  // Appends a run of `length` at (a, b), extending the last run when it is of the same kind.
  void Add(DiffKind kind, size_t a, size_t b, size_t length) {
    const size_t a_length = kind == DiffKind::kInsert ? 0 : length;
    const size_t b_length = kind == DiffKind::kRemove ? 0 : length;
    if (!out_.empty() && out_.back().kind == kind && out_.back().a_to == a &&
        out_.back().b_to == b) {
      out_.back().a_to += a_length;
      out_.back().b_to += b_length;
      return;
    }
    out_.push_back({kind, a, a + a_length, b, b + b_length});
  }

  const std::vector<uint32_t>& a_;
  const std::vector<uint32_t>& b_;
  const long max_d_;
  std::vector<SequenceEdit> out_;
};

// Joins each run of changes (removes and inserts with no equal run between) into one remove
// followed by one insert: recursion can leave insert, remove, insert side by side.
std::vector<SequenceEdit> JoinChanges(const std::vector<SequenceEdit>& edits) {
  std::vector<SequenceEdit> out;
  for (size_t i = 0; i < edits.size();) {
    if (edits[i].kind == DiffKind::kEqual) {
      out.push_back(edits[i++]);
      continue;
    }
    const size_t a_from = edits[i].a_from, b_from = edits[i].b_from;
    size_t a_to = a_from, b_to = b_from;
    for (; i < edits.size() && edits[i].kind != DiffKind::kEqual; ++i) {
      a_to = edits[i].a_to;
      b_to = edits[i].b_to;
    }
    if (a_to > a_from) out.push_back({DiffKind::kRemove, a_from, a_to, b_from, b_from});
    if (b_to > b_from) out.push_back({DiffKind::kInsert, a_to, a_to, b_from, b_to});
  }
  return out;
}

}  // namespace

std::vector<SequenceEdit> DiffSequences(const std::vector<uint32_t>& a,
                                        const std::vector<uint32_t>& b,
                                        std::optional<size_t> cost_limit) {
  // Each end of the search covers about half of the removed and inserted ids (the forward end
  // one more when their number is odd).
  const size_t whole = a.size() + b.size();
  const long max_d = static_cast<long>(std::min(cost_limit.value_or(whole), whole) / 2 + 2);
  Differ differ(a, b, max_d);
  if (!differ.Diff(0, a.size(), 0, b.size())) {
    // Beyond the limit: the common start and end as they are, the middle replaced whole.
    size_t prefix = 0, suffix = 0;
    while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a[a.size() - suffix - 1] == b[b.size() - suffix - 1]) {
      ++suffix;
    }
    std::vector<SequenceEdit> out;
    if (prefix > 0) out.push_back({DiffKind::kEqual, 0, prefix, 0, prefix});
    const size_t a_end = a.size() - suffix, b_end = b.size() - suffix;
    if (a_end > prefix) out.push_back({DiffKind::kRemove, prefix, a_end, prefix, prefix});
    if (b_end > prefix) out.push_back({DiffKind::kInsert, a_end, a_end, prefix, b_end});
    if (suffix > 0) {
      out.push_back({DiffKind::kEqual, a.size() - suffix, a.size(), b.size() - suffix, b.size()});
    }
    return out;
  }
  return JoinChanges(differ.out());
}

}  // namespace clemency
