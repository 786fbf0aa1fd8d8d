// What text says about amnesty rounds (content/round_mentions).
#include "content/round_mentions.h"

#include <catch2/catch.hpp>

using namespace clemency;

TEST_CASE("round mentions: decision numbers in any case, with Đ or D, and their lines") {
  auto found = RoundMentions(
      "Xin chào.\nChủ tịch nước ký Quyết định số 1244/2025/QĐ-CTN ngày 3/7/2025.\n"
      "Bản cũ: 669/2024/qd-ctn.\n",
      5, "vi");
  REQUIRE(found.size() == 2);
  CHECK(found[0].decision == "1244/2025");
  CHECK(found[0].named == "1244/2025/QĐ-CTN");
  CHECK(found[0].year == 2025);
  CHECK(found[0].line == 6);
  CHECK(found[1].decision == "669/2024");
  CHECK(found[1].line == 7);
  CHECK(DecisionKey("1244/2025/QĐ-CTN") == "1244/2025");
  CHECK(DecisionKey("số 12/2026/Qđ-CTN") == "12/2026");
  CHECK(DecisionKey("30/2018/QH14").empty());  // a law, not a decision on a round
}

TEST_CASE("round mentions: an amnesty's year in Vietnamese and English words only") {
  auto vi = RoundMentions(
      "Đặc xá năm 2026 sẽ xét hồ sơ.\nĐợt thứ hai năm 2025 đã xong.\n"
      "Luật Đặc xá năm 2018.\nTừ năm 2026, hồ sơ nộp trực tuyến. Ngày 1/7/2025.\n",
      1, "vi");
  REQUIRE(vi.size() == 3);
  CHECK(vi[0].year == 2026);
  CHECK(vi[0].named == "đặc xá năm 2026");
  CHECK(vi[0].decision.empty());
  CHECK(vi[1].year == 2025);
  CHECK(vi[2].year == 2018);  // older than any round: the check lets it be
  auto en = RoundMentions(
      "The 2026 amnesty opens soon. The amnesty round of 2025 ended.\n"
      "A round in 2024. Since 2025 the rules say more. Decision No. 5/2026/QĐ-CTN.\n",
      1, "en");
  REQUIRE(en.size() == 4);
  CHECK(en[0].year == 2026);
  CHECK(en[1].year == 2025);
  CHECK(en[2].decision == "5/2026");  // each line's decisions, then its years
  CHECK(en[3].year == 2024);
  // Khmer is read for decision numbers only.
  CHECK(RoundMentions("ឆ្នាំ 2026 ការលើកលែងទោស", 1, "km").empty());
  CHECK(RoundMentions("លេខ 5/2026/QĐ-CTN", 1, "km").size() == 1);
}
