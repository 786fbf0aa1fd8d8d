#include "qr/qr.h"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/text.h"

namespace clemency {

Result<std::string> QrSvg(std::string_view text, std::string_view label) {
  const std::string input(text);
  // Case-sensitive 8-bit mode: URLs keep their letters as they are.
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  if (!code) {
    return Status::Error("cannot make a QR code of '" + input + "': " + std::strerror(errno));
  }
  const int width = code->width;
  constexpr int kQuiet = 4;  // the quiet zone readers need around the code
  const int size = width + 2 * kQuiet;
  // One path of unit squares, run-length merged per row: small enough to inline in every page.
  std::string path;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width;) {
      if (!(code->data[y * width + x] & 1)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (code->data[y * width + x + run] & 1)) ++run;
      path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  const std::string n = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
         "\" role=\"img\" aria-label=\"" + EscapeHtml(std::string(label)) +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + n + "\" height=\"" + n +
         "\" fill=\"#fff\"/><path d=\"" + path + "\" fill=\"#000\"/></svg>";
}

}  // namespace clemency
