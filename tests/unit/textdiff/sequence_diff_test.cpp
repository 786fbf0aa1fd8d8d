// The edit engine against a plain LCS table on many small random sequences.
#include "textdiff/sequence_diff.h"

#include <catch2/catch.hpp>
#include <random>

using namespace clemency;

namespace {

// Removed plus inserted items of the shortest edit: n + m - 2·LCS, by dynamic programming.
size_t ShortestEdit(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<std::vector<size_t>> lcs(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      lcs[i][j] =
          a[i - 1] == b[j - 1] ? lcs[i - 1][j - 1] + 1 : std::max(lcs[i - 1][j], lcs[i][j - 1]);
    }
  }
  return a.size() + b.size() - 2 * lcs[a.size()][b.size()];
}

// Applies `edits` to `a`, checking each run against `a` and `b`; returns the cost.
size_t CheckEdits(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b,
                  const std::vector<SequenceEdit>& edits) {
  std::vector<uint32_t> built;
  size_t at_a = 0, at_b = 0, cost = 0;
  for (size_t i = 0; i < edits.size(); ++i) {
    const SequenceEdit& e = edits[i];
    REQUIRE(e.a_from == at_a);
    REQUIRE(e.b_from == at_b);
    if (i > 0) CHECK(e.kind != edits[i - 1].kind);
    if (e.kind == DiffKind::kEqual) {
      REQUIRE(e.a_to - e.a_from == e.b_to - e.b_from);
      for (size_t k = 0; k < e.a_to - e.a_from; ++k) CHECK(a[e.a_from + k] == b[e.b_from + k]);
    }
    if (e.kind != DiffKind::kRemove)
      built.insert(built.end(), b.begin() + e.b_from, b.begin() + e.b_to);
    if (e.kind == DiffKind::kRemove) CHECK(e.b_to == e.b_from);
    if (e.kind == DiffKind::kInsert) CHECK(e.a_to == e.a_from);
    cost += e.kind == DiffKind::kEqual ? 0 : (e.a_to - e.a_from) + (e.b_to - e.b_from);
    at_a = e.a_to;
    at_b = e.b_to;
  }
  CHECK(at_a == a.size());
  CHECK(built == b);
  return cost;
}

}  // namespace

TEST_CASE("sequence diff: a shortest edit, on random sequences") {
  std::mt19937 random(2026);
  for (int round = 0; round < 2000; ++round) {
    const size_t n = random() % 12, m = random() % 12, alphabet = 1 + random() % 4;
    std::vector<uint32_t> a(n), b(m);
    for (auto& x : a) x = random() % alphabet;
    for (auto& x : b) x = random() % alphabet;
    INFO("round " << round);
    CHECK(CheckEdits(a, b, DiffSequences(a, b, std::nullopt)) == ShortestEdit(a, b));
  }
}

TEST_CASE("sequence diff: past the cost limit, the middle is replaced whole") {
  std::vector<uint32_t> a = {1, 2, 3, 4, 5, 6, 9}, b = {1, 7, 8, 9};
  // The shortest edit removes 5 and inserts 2: 7 > 4.
  auto edits = DiffSequences(a, b, 4);
  CHECK(CheckEdits(a, b, edits) == 7);
  REQUIRE(edits.size() == 4);
  CHECK(edits[1].kind == DiffKind::kRemove);
  CHECK(edits[2].kind == DiffKind::kInsert);
  // A limit at the cost, or above it, finds it all the same.
  CHECK(CheckEdits(a, b, DiffSequences(a, b, 7)) == 7);
  // Unrelated sequences with nothing in common are one remove and one insert either way.
  std::vector<uint32_t> c = {1, 2, 1, 2}, d = {3, 4};
  CHECK(DiffSequences(c, d, 1).size() == 2);
}
