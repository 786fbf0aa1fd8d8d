#include "media/media.h"

#include <catch2/catch.hpp>

#include "unit/media/test_images.h"

using namespace clemency;
using namespace clemency::media;
using clemency::testing::MakeImage;

namespace {

bool Contains(const std::string& bytes, const std::string& needle) {
  return bytes.find(needle) != std::string::npos;
}

// Every written file decodes to the size its name says, in the upload's format.
void CheckFiles(const ProcessedImage& image) {
  REQUIRE(!image.files.empty());
  for (const auto& file : image.files) {
    auto size = ImageSize(file.bytes);
    REQUIRE(size.ok());
    CHECK(size->first == file.name.width);
    CHECK(size->second == file.name.height);
    CHECK(file.name.hash == image.name.hash);
    CHECK(SniffFormat(file.bytes) == image.format);
  }
}

}  // namespace

TEST_CASE("media: a JPEG's EXIF (GPS, description) is gone from every copy, turned upright") {
  std::string jpeg = testing::WithExif(MakeImage("jpg", 1200, 800), 6);  // 6: rotate 90°
  REQUIRE(testing::HasApp1(jpeg));
  REQUIRE(Contains(jpeg, "SECRET-PLACE"));
  REQUIRE(Contains(jpeg, "GPSMARK"));
  auto image = ProcessUpload(jpeg);
  REQUIRE(image.ok());
  CHECK(image->format == ImageFormat::kJpeg);
  CHECK(image->name.width == 800);  // upright: the orientation was applied before stripping
  CHECK(image->name.height == 1200);
  REQUIRE(image->files.size() == 2);  // 800 wide and 480 wide
  CHECK(image->files[1].name.width == 480);
  CHECK(image->files[1].name.height == 720);
  for (const auto& file : image->files) {
    CHECK_FALSE(testing::HasApp1(file.bytes));
    CHECK_FALSE(Contains(file.bytes, "Exif"));
    CHECK_FALSE(Contains(file.bytes, "SECRET-PLACE"));
    CHECK_FALSE(Contains(file.bytes, "GPSMARK"));
  }
  CheckFiles(*image);
}

TEST_CASE("media: names are content-addressed and parse back") {
  auto a = ProcessUpload(MakeImage("png", 2000, 1000));
  REQUIRE(a.ok());
  CHECK(a->name.width == 1920);  // the widest copy written
  CHECK(a->name.height == 960);
  REQUIRE(a->files.size() == 3);
  CHECK(a->files[1].name.width == 960);
  CHECK(a->files[2].name.width == 480);
  CHECK(a->files[2].name.height == 240);
  CheckFiles(*a);
  auto again = ProcessUpload(MakeImage("png", 2000, 1000));
  REQUIRE(again.ok());
  CHECK(again->name.hash == a->name.hash);
  auto other = ProcessUpload(MakeImage("png", 2000, 1001));
  REQUIRE(other.ok());
  CHECK(other->name.hash != a->name.hash);
  for (const auto& file : a->files) {
    std::string path = paths::MediaFile(file.name);
    CHECK(path.rfind("/media/" + a->name.hash + "-", 0) == 0);
    auto parsed = paths::ParseMediaFile(path);
    REQUIRE(parsed);
    CHECK(parsed->width == file.name.width);
    CHECK(parsed->ext == "png");
  }
  CHECK_FALSE(paths::ParseMediaFile("/media/../etc-1x1.png"));
  CHECK_FALSE(paths::ParseMediaFile("/media/abc-1x1.svg"));
  CHECK_FALSE(paths::ParseMediaFile("/media/abc-0x1.png"));
  CHECK_FALSE(paths::ParseMediaFile("/vi/abc-1x1.png"));
}

TEST_CASE("media: the kind comes from the bytes, not the name") {
  // A PNG named photo.jpg is a PNG: nothing here sees a name.
  std::string png = MakeImage("png", 300, 200);
  CHECK(SniffFormat(png) == ImageFormat::kPng);
  auto image = ProcessUpload(png);
  REQUIRE(image.ok());
  CHECK(image->name.ext == "png");
  CHECK(image->files.size() == 1);  // narrower than every variant width
  auto webp = ProcessUpload(MakeImage("webp", 1000, 500));
  REQUIRE(webp.ok());
  CHECK(webp->name.ext == "webp");
  CheckFiles(*webp);
}

TEST_CASE("media: hostile and broken files are refused with a clear code, never a crash") {
  std::string jpeg = MakeImage("jpg", 640, 480);
  auto code = [](std::string_view bytes, const ImageLimits& limits = {}) {
    auto r = ProcessUpload(bytes, limits);
    return r.ok() ? std::string("ok") : ImageProblemCode(r.status());
  };
  SECTION("cut short") {
    for (size_t n : {size_t{3}, size_t{20}, size_t{200}, jpeg.size() / 2, jpeg.size() - 10}) {
      CHECK(code(jpeg.substr(0, n)) == "media_damaged");
    }
    std::string png = MakeImage("png", 640, 480);
    CHECK(code(png.substr(0, png.size() / 2)) == "media_damaged");
    std::string webp = MakeImage("webp", 640, 480);
    CHECK(code(webp.substr(0, webp.size() / 2)) == "media_damaged");
  }
  SECTION("not an image of an accepted kind") {
    CHECK(code("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>") ==
          "media_not_image");
    CHECK(code("GIF89a\x01\x00\x01\x00") == "media_not_image");
    CHECK(code("") == "media_not_image");
    CHECK(code("<html><body>hi</body></html>") == "media_not_image");
  }
  SECTION("too large: bytes, sides, pixels (a decompression bomb is small on disk)") {
    CHECK(code(jpeg, {.max_bytes = 100}) == "media_too_many_bytes");
    CHECK(code(MakeImage("png", 6001, 8)) == "media_too_large");
    std::string bomb = MakeImage("png", 3000, 3000);
    CHECK(bomb.size() < 200'000);
    CHECK(code(bomb, {.max_pixels = 4'000'000}) == "media_too_large");
  }
  SECTION("a polyglot's trailer (HTML after the image) is not carried over") {
    auto image = ProcessUpload(jpeg + "<script>alert(1)</script>");
    REQUIRE(image.ok());
    for (const auto& file : image->files) CHECK_FALSE(Contains(file.bytes, "<script>"));
  }
  SECTION("garbage after a valid header") {
    std::string broken = jpeg;
    for (size_t i = broken.size() / 3; i < broken.size() - 2; i += 7) broken[i] = '\x00';
    std::string c = code(broken);
    CHECK((c == "ok" || c == "media_damaged"));
  }
}
