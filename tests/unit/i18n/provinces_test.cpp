#include "i18n/provinces.h"

#include <catch2/catch.hpp>

using namespace clemency;

namespace {
const std::vector<Province> kListed = {
    {"tay-ninh", {{"vi", "Tây Ninh"}, {"en", "Tay Ninh"}}, {"Long An"}, false},
    {"lam-dong", {{"vi", "Lâm Đồng"}}, {"Đắk Nông", "Bình Thuận"}, false},
    {"toan-quoc", {{"vi", "Toàn quốc"}, {"en", "Nationwide"}, {"km", "ទូទាំងប្រទេស"}}, {}, true}};
}

TEST_CASE("a province is found by its code or any name, folded") {
  const ProvinceIndex index(kListed);
  for (const char* text : {"tay-ninh", "Tây Ninh", "TAY NINH", "tay ninh", "Ta\u0302y Ninh",
                           "Long An", "long-an"}) {
    const std::string* code = index.Find(text);
    REQUIRE(code);
    CHECK(*code == "tay-ninh");
  }
  CHECK(*index.Find("dak nong") == "lam-dong");
  CHECK(*index.Find("ទូទាំងប្រទេស") == "toan-quoc");
  CHECK(index.Find("Atlantis") == nullptr);
  CHECK(index.IsFormer("Long An"));
  CHECK_FALSE(index.IsFormer("Tây Ninh"));
  CHECK(index.Listed("lam-dong")->former.size() == 2);
  CHECK(index.Closest("Tay Nin") == std::vector<std::string>{"tay-ninh"});
  CHECK(index.Closest("Atlantis").empty());
}

TEST_CASE("names entries use beside the list keep their own codes") {
  // A site without a list: the slug of the current name; a former name joins its current one.
  const ProvinceIndex index({}, {{"Long An", "Tây Ninh"}, {"Nghệ An", ""}});
  CHECK(*index.Find("long an") == "tay-ninh");
  CHECK(*index.Find("Nghe An") == "nghe-an");
  CHECK(index.Listed("nghe-an") == nullptr);
  CHECK(index.Codes() == std::vector<std::string>{"nghe-an", "tay-ninh"});
  // With a list, an entry's spelling is one more name of the listed province.
  const ProvinceIndex both(kListed, {{"Tay Ninh province", "Tây Ninh"}});
  CHECK(*both.Find("tay ninh province") == "tay-ninh");
}
