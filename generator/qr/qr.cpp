#include "qr/qr.h"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/text.h"

// libqrencode's encoder with a chosen mask (exported by the library, declared only in its
// internal header). Scoring all eight masks, as QRcode_encodeString does, was a tenth of a full
// build's CPU; any mask gives a code every reader decodes.
extern "C" QRcode* QRcode_encodeMask(QRinput* input, int mask);

namespace clemency {
namespace {

// The mask every code uses (pattern 1: alternate rows, which suits codes drawn row by row).
constexpr int kMask = 1;

// `text` as a QR code of level M in 8-bit mode (URLs keep their letters as they are), or null.
std::unique_ptr<QRcode, decltype(&QRcode_free)> Encode(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> none(nullptr, &QRcode_free);
  std::unique_ptr<QRinput, decltype(&QRinput_free)> input(QRinput_new2(0, QR_ECLEVEL_M),
                                                          &QRinput_free);
  if (!input || QRinput_append(input.get(), QR_MODE_8, static_cast<int>(text.size()),
                               reinterpret_cast<const unsigned char*>(text.data())) != 0) {
    return none;
  }
  return {QRcode_encodeMask(input.get(), kMask), &QRcode_free};
}

}  // namespace

Result<std::string> QrSvg(std::string_view text, std::string_view label) {
  const std::string input(text);
  auto code = Encode(input);
  if (!code) {
    return Status::Error("cannot make a QR code of '" + input + "': " + std::strerror(errno));
  }
  const int width = code->width;
  constexpr int kQuiet = 4;  // the quiet zone readers need around the code
  const int size = width + 2 * kQuiet;
  // Each row's dark runs as strokes one module thick along the row's middle: "M x y.5" starts a
  // row at its first run, "h n" draws a run, "m gap 0" skips to the next. A third of the bytes of
  // unit squares, as it is inlined in every leaflet page.
  std::string path;
  for (int y = 0; y < width; ++y) {
    int pen = -1;  // where the last run of this row ended; -1 before the first
    for (int x = 0; x < width;) {
      if (!(code->data[y * width + x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (code->data[y * width + x + run] & 1)) ++run;
      path += pen < 0 ? "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + ".5"
                      : "m" + std::to_string(x - pen) + " 0";
      path += "h" + std::to_string(run);
      pen = x + run;
      x += run;
    }
  }
  const std::string n = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
         "\" role=\"img\" aria-label=\"" + EscapeHtml(std::string(label)) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + n + "\" height=\"" + n +
         "\" fill=\"#fff\"/><path d=\"" + path + "\" stroke=\"#000\" fill=\"none\"/></svg>";
}

}  // namespace clemency
