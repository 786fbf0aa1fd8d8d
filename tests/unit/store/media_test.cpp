#include "store/media.h"

#include <catch2/catch.hpp>

using namespace clemency;

TEST_CASE("media: an image and its copies are stored, found, listed by alt text") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  MediaRepository media(store.value().get());
  MediaRow row;
  row.hash = "00ff";
  row.path = "/media/00ff-960x480.jpg";
  row.width = 960;
  row.height = 480;
  row.alt = {{"vi", "Một gia đình \"ở\" nhà"}, {"en", "A family at home"}};
  row.alt_search = "mot gia dinh o nha a family at home";
  row.consent_basis = "personal";
  row.consent_given_by = "N.V.A.";
  row.uploaded_by = "editor";
  row.uploaded_at = "2026-12-07T12:00:00Z";
  std::string bytes("\xFF\xD8\xFF\x00\x01", 5);
  auto id = media.Insert(row, {{"/media/00ff-960x480.jpg", bytes}, {"/media/00ff-480x240.jpg", "b"}});
  REQUIRE(id.ok());
  auto again = media.Insert(row, {{"/media/00ff-960x480.jpg", bytes}});
  REQUIRE(again.ok());
  CHECK(*again == *id);
  auto found = media.FindByHash("00ff");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  CHECK((*found)->alt.at("vi") == "Một gia đình \"ở\" nhà");
  CHECK((*found)->consent_given_by == "N.V.A.");
  auto file = media.FileBytes("/media/00ff-960x480.jpg");
  REQUIRE(file.ok());
  REQUIRE(file->has_value());
  CHECK(**file == bytes);
  CHECK(media.FileBytes("/media/none.jpg")->has_value() == false);
  CHECK(media.FilePaths()->size() == 2);
  CHECK(media.List("", 10)->size() == 1);
  CHECK(media.List("gia dinh", 10)->size() == 1);
  CHECK(media.List("fam", 10)->size() == 1);
  CHECK(media.List("gia cat", 10)->empty());
}
