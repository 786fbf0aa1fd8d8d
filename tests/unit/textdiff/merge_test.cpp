// Three-way merge of content files: front-matter fields and body blocks as units.
#include "textdiff/merge.h"

#include <catch2/catch.hpp>

using namespace clemency;

namespace {

const std::string kBase = R"(---
title: Điều kiện đặc xá
summary: Ai có thể được xét.
date: 2026-01-01
tags:
  - điều kiện
  - hồ sơ
---
## Bước 1: Nộp đơn

Bạn viết đơn gửi trại giam.

## Bước 2: Chờ

Hội đồng xét trong 30 ngày.

Bạn được báo kết quả.
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("merge: changes to different paragraphs are both kept") {
  const std::string mine = Replace(kBase, "gửi trại giam", "gửi ban giám thị trại giam");
  const std::string theirs = Replace(kBase, "trong 30 ngày", "trong 20 ngày");
  auto result = ThreeWayMerge(kBase, mine, theirs);
  INFO(result.merged);
  REQUIRE(result.clean);
  CHECK(result.conflicts.empty());
  CHECK(result.merged == Replace(mine, "trong 30 ngày", "trong 20 ngày"));
  // Neighbouring blocks (a heading and the paragraph under it) are units of their own.
  const std::string heading = Replace(kBase, "## Bước 2: Chờ", "## Bước 2: Chờ kết quả");
  auto next_to = ThreeWayMerge(kBase, heading, theirs);
  REQUIRE(next_to.clean);
  CHECK(next_to.merged == Replace(heading, "trong 30 ngày", "trong 20 ngày"));
}

TEST_CASE("merge: changes to different front-matter fields are both kept") {
  const std::string mine = Replace(kBase, "title: Điều kiện đặc xá", "title: Ai được đặc xá");
  // The next field, a list field's items, and a new field at the end.
  std::string theirs = Replace(kBase, "summary: Ai có thể được xét.", "summary: Điều kiện.");
  theirs = Replace(theirs, "  - hồ sơ\n", "  - hồ sơ\n  - thời hạn\n");
  theirs = Replace(theirs, "  - thời hạn\n---", "  - thời hạn\nchange_note: Thêm.\n---");
  auto result = ThreeWayMerge(kBase, mine, theirs);
  INFO(result.merged);
  REQUIRE(result.clean);
  CHECK(result.merged == Replace(theirs, "title: Điều kiện đặc xá", "title: Ai được đặc xá"));
}

TEST_CASE("merge: one paragraph changed differently is a conflict that names it") {
  const std::string mine = Replace(kBase, "trong 30 ngày", "trong 20 ngày");
  const std::string theirs = Replace(kBase, "trong 30 ngày", "trong một tháng");
  auto result = ThreeWayMerge(kBase, mine, theirs);
  CHECK_FALSE(result.clean);
  CHECK(result.merged.empty());
  REQUIRE(result.conflicts.size() == 1);
  const MergeConflict& c = result.conflicts[0];
  CHECK(c.label == "paragraph 4");
  CHECK(c.base_text == "Hội đồng xét trong 30 ngày.\n\n");
  CHECK(c.mine_text == "Hội đồng xét trong 20 ngày.\n\n");
  CHECK(c.theirs_text == "Hội đồng xét trong một tháng.\n\n");
  // A field changed differently names the field.
  auto field = ThreeWayMerge(kBase, Replace(kBase, "date: 2026-01-01", "date: 2026-01-02"),
                             Replace(kBase, "date: 2026-01-01", "date: 2026-01-03"));
  REQUIRE(field.conflicts.size() == 1);
  CHECK(field.conflicts[0].label == "date");
  CHECK(field.conflicts[0].mine_text == "date: 2026-01-02\n");
}

TEST_CASE("merge: a deleted paragraph that the other side edited is a conflict") {
  const std::string mine = Replace(kBase, "Hội đồng xét trong 30 ngày.\n\n", "");
  const std::string theirs = Replace(kBase, "trong 30 ngày", "trong 20 ngày");
  for (bool swapped : {false, true}) {
    auto result = swapped ? ThreeWayMerge(kBase, theirs, mine) : ThreeWayMerge(kBase, mine, theirs);
    CHECK_FALSE(result.clean);
    REQUIRE(result.conflicts.size() == 1);
    CHECK(result.conflicts[0].label == "paragraph 4");
    CHECK((swapped ? result.conflicts[0].theirs_text : result.conflicts[0].mine_text).empty());
    CHECK((swapped ? result.conflicts[0].mine_text : result.conflicts[0].theirs_text) ==
          "Hội đồng xét trong 20 ngày.\n\n");
  }
  // A deletion the other side did not touch goes through.
  auto clean = ThreeWayMerge(kBase, mine, Replace(kBase, "gửi trại giam", "gửi trại"));
  REQUIRE(clean.clean);
  CHECK(clean.merged == Replace(mine, "gửi trại giam", "gửi trại"));
}

TEST_CASE("merge: the identical change on both sides is taken once") {
  const std::string both = Replace(kBase, "trong 30 ngày", "trong 20 ngày");
  auto result = ThreeWayMerge(kBase, both, both);
  REQUIRE(result.clean);
  CHECK(result.merged == both);
  // And with another change on one side next to it.
  auto more = ThreeWayMerge(kBase, both, Replace(both, "Bạn được báo", "Trại báo"));
  REQUIRE(more.clean);
  CHECK(more.merged == Replace(both, "Bạn được báo", "Trại báo"));
}

TEST_CASE("merge: different insertions at one place conflict, at different places do not") {
  const std::string after_first = "Bạn viết đơn gửi trại giam.\n\n";
  const std::string mine = Replace(kBase, after_first, after_first + "Mẫu đơn ở trại.\n\n");
  const std::string theirs = Replace(kBase, after_first, after_first + "Gia đình có thể giúp.\n\n");
  auto result = ThreeWayMerge(kBase, mine, theirs);
  CHECK_FALSE(result.clean);
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].label == "paragraph 3");
  CHECK(result.conflicts[0].base_text.empty());
  CHECK(result.conflicts[0].mine_text == "Mẫu đơn ở trại.\n\n");
  CHECK(result.conflicts[0].theirs_text == "Gia đình có thể giúp.\n\n");
  // A paragraph added at the end by one side and one at the start by the other.
  const std::string end = kBase + "\nHỏi công an xã.\n";
  const std::string start = Replace(kBase, "---\n## Bước 1", "---\nĐọc kỹ.\n\n## Bước 1");
  auto apart = ThreeWayMerge(kBase, end, start);
  INFO(apart.merged);
  REQUIRE(apart.clean);
  CHECK(apart.merged == Replace(end, "---\n## Bước 1", "---\nĐọc kỹ.\n\n## Bước 1"));
}

TEST_CASE("merge: a block appended after a last paragraph without a blank line stays apart") {
  const std::string base = "---\ntitle: A\n---\nOne.\n\nTwo.";
  const std::string mine = "---\ntitle: B\n---\nOne.\n\nTwo.";
  const std::string theirs = "---\ntitle: A\n---\nOne.\n\nTwo.\n\nThree.\n";
  auto result = ThreeWayMerge(base, mine, theirs);
  REQUIRE(result.clean);
  CHECK(result.merged == "---\ntitle: B\n---\nOne.\n\nTwo.\n\nThree.\n");
  // A file without front matter is all body.
  auto plain = ThreeWayMerge("a\n\nb\n", "a2\n\nb\n", "a\n\nb2\n");
  REQUIRE(plain.clean);
  CHECK(plain.merged == "a2\n\nb2\n");
}
