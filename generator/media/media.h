#pragma once
// Uploaded images: a file's kind told by its bytes (never its name), decoded and re-encoded by
// libvips with every piece of metadata dropped (EXIF, GPS, XMP, IPTC, ICC: a photo of a released
// person must not carry where it was taken), limited in bytes and pixels, and written in a few
// widths for slow phones under content-addressed names (paths::MediaFile). The only module that
// includes vips.h.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/site_paths.h"
#include "core/status.h"

namespace clemency::media {

enum class ImageFormat { kJpeg, kPng, kWebp };

struct ImageLimits {
  size_t max_bytes = 5 * 1024 * 1024;
  int max_side = 6000;                   // pixels, either side
  int64_t max_pixels = 6000LL * 4000LL;  // width x height: a small file may claim a huge image
  int max_width = 1920;                  // the widest copy written; wider uploads are scaled down
};

// One written file of an image: the full copy or a narrower one.
struct ImageFile {
  paths::MediaName name;  // its site path is paths::MediaFile(name)
  std::string bytes;
};

struct ProcessedImage {
  ImageFormat format = ImageFormat::kJpeg;
  paths::MediaName name;            // the full copy's name (its hash names every copy)
  std::vector<ImageFile> files;     // the full copy first, then narrower ones, widest first
};

// Returns the format the bytes start with (magic numbers), or nullopt for anything else (SVG,
// GIF, HTML…).
std::optional<ImageFormat> SniffFormat(std::string_view bytes);

// Returns "jpg", "png" or "webp".
const char* Extension(ImageFormat format);

// Returns the MIME type of `format` ("image/jpeg"…).
const char* MimeType(ImageFormat format);

// Returns the image decoded from `bytes`, checked against `limits`, re-encoded in its own format
// without metadata (turned upright by its EXIF orientation first, colours in sRGB), at its width
// (at most limits.max_width) and at each narrower paths::MediaVariantWidths; or an error an
// editor can read (not an image of an accepted kind, too large, damaged or cut short): its
// message is "<code>: <English text>", the code one of kImageProblemCodes (the admin says it in
// the editor's language, ImageProblemCode). Safe on any bytes; one image is processed at a time,
// so uploads cannot add up in memory.
Result<ProcessedImage> ProcessUpload(std::string_view bytes, const ImageLimits& limits = {});

// The codes a refused upload's message starts with.
inline constexpr const char* kImageProblemCodes[] = {"media_not_image", "media_too_many_bytes",
                                                     "media_too_large", "media_damaged"};

// Returns the code a refusal's message starts with ("media_damaged"), or "" when it has none.
std::string ImageProblemCode(const Status& status);

// Returns the width and height `bytes` decode to (a written file's, for tests and checks).
Result<std::pair<int, int>> ImageSize(std::string_view bytes);

}  // namespace clemency::media
