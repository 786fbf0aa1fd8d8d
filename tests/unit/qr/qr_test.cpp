#include "qr/qr.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <vector>

#include "support/fixture.h"

using namespace clemency;

namespace {

// Draws the SVG's path (rows of strokes one module thick: "M x y.5" starts a row, "m dx 0" moves
// along it, "h n" draws n modules, in a viewBox "0 0 size size") as a binary PGM with `scale`
// pixels per module; "" when the SVG is not of that shape.
std::string ToPgm(const std::string& svg, int scale) {
  int size = 0;
  if (std::sscanf(svg.c_str() + svg.find("viewBox=\"0 0 ") + 13, "%d", &size) != 1 || size <= 0) {
    return "";
  }
  std::vector<unsigned char> pixels(static_cast<size_t>(size * scale) * size * scale, 255);
  size_t at = svg.find(" d=\"");
  if (at == std::string::npos || svg.find("stroke=\"#000\"") == std::string::npos) return "";
  const char* p = svg.c_str() + at + 4;
  int x = 0, y = 0, a, b, consumed;
  while (*p != '"') {
    if (std::sscanf(p, "M%d %d.5%n", &a, &b, &consumed) == 2) {
      x = a, y = b;
    } else if (std::sscanf(p, "m%d %d%n", &a, &b, &consumed) == 2 && b == 0) {
      x += a;
    } else if (std::sscanf(p, "h%d%n", &a, &consumed) == 1 && x + a <= size && y < size) {
      for (int py = y * scale; py < (y + 1) * scale; ++py) {
        for (int px = x * scale; px < (x + a) * scale; ++px) {
          pixels[static_cast<size_t>(py) * size * scale + px] = 0;
        }
      }
      x += a;
    } else {
      return "";
    }
    p += consumed;
  }
  std::string out =
      "P5\n" + std::to_string(size * scale) + " " + std::to_string(size * scale) + "\n255\n";
  out.append(pixels.begin(), pixels.end());
  return out;
}

}  // namespace

TEST_CASE("a QR code is an SVG that zbarimg reads back as the same URL") {
  const std::string url = "https://dacxa.example.gov.vn/km/guides/quy-trinh-dac-xa/";
  auto svg = QrSvg(url, "QR <code>");
  REQUIRE(svg.ok());
  CHECK(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg->find("aria-label=\"QR &lt;code&gt;\"") != std::string::npos);
  // Decode it as a phone would: the SVG's squares drawn into a greyscale image (PGM, 4 pixels
  // a module), then read by zbarimg (zbar-tools), which knows nothing of our code.
  std::string image = ToPgm(*svg, 4);
  REQUIRE_FALSE(image.empty());
  testing::TempDir dir;
  testing::WriteFile(dir / "qr.pgm", image);
  std::string output;
  REQUIRE(testing::RunCommand("zbarimg --quiet --raw " + dir / "qr.pgm", &output) == 0);
  // zbarimg may first complain about a missing D-Bus; the decoded text is its last line.
  REQUIRE(output.size() > 1);
  CHECK(output.substr(output.rfind('\n', output.size() - 2) + 1) == url + "\n");
}

TEST_CASE("a text too long for any QR code is an error, not a crash") {
  auto svg = QrSvg(std::string(8000, 'a'), "QR");
  CHECK_FALSE(svg.ok());
}
