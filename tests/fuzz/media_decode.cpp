// An uploaded file as anyone signed in could send it: sniffed, decoded, checked, re-encoded.
// Small limits keep each run fast; a refusal is fine, a crash or a leak is not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "media/media.h"

using namespace clemency;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  media::ImageLimits limits;
  limits.max_side = 512;
  limits.max_pixels = 512 * 512;
  limits.max_width = 256;
  auto image = media::ProcessUpload(bytes, limits);
  if (image.ok()) {
    for (const auto& file : image->files) {
      if (file.bytes.empty() || !media::SniffFormat(file.bytes)) __builtin_trap();
    }
  }
  return 0;
}
