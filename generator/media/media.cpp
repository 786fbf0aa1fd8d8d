#include "media/media.h"

#include <dlfcn.h>
#include <vips/vips.h>

#include <cstring>
#include <mutex>

#include "core/text.h"

namespace clemency::media {
namespace {

// The libvips functions this file calls, found when an image is first processed: libvips pulls
// in ~100 shared libraries, and linking it loaded them at every start of the program (each
// `publish`, each `build`), most of which never see an image. Each pointer has the header's
// type (decltype), so every call is checked as a direct one would be.
#define CLEMENCY_VIPS_FUNCTIONS(X)                                                            \
  X(vips_init) X(vips_cache_set_max) X(vips_concurrency_set) X(vips_error_buffer)              \
  X(vips_error_clear) X(vips_jpegload_buffer) X(vips_pngload_buffer) X(vips_webpload_buffer)   \
  X(vips_image_get_width) X(vips_image_get_height) X(vips_autorot)                             \
  X(vips_image_get_interpretation) X(vips_colourspace) X(vips_image_get_format)                \
  X(vips_cast_uchar) X(vips_image_copy_memory) X(vips_thumbnail_image) X(vips_jpegsave_buffer) \
  X(vips_pngsave_buffer) X(vips_webpsave_buffer) X(g_object_unref) X(g_free) X(g_log_set_handler)

struct VipsApi {
#define CLEMENCY_VIPS_POINTER(name) decltype(&::name) name = nullptr;
  CLEMENCY_VIPS_FUNCTIONS(CLEMENCY_VIPS_POINTER)
#undef CLEMENCY_VIPS_POINTER
};

VipsApi& Api() {
  static VipsApi api;
  return api;
}

// Loads libvips (Debian 12's libvips42) and every function of VipsApi. Returns false, with
// dlerror()'s words in `why`, when one is missing.
bool LoadVips(std::string* why) {
  void* library = ::dlopen("libvips.so.42", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    *why = ::dlerror();
    return false;
  }
  VipsApi& api = Api();
#define CLEMENCY_VIPS_LOAD(name)                                                        \
  api.name = reinterpret_cast<decltype(api.name)>(::dlsym(library, #name));             \
  if (!api.name) {                                                                      \
    *why = std::string("libvips has no ") + #name;                                     \
    return false;                                                                      \
  }
  CLEMENCY_VIPS_FUNCTIONS(CLEMENCY_VIPS_LOAD)
#undef CLEMENCY_VIPS_LOAD
  return true;
}

// libvips is loaded and started once per process; its operation cache is off (each upload is
// new bytes, and a cache would keep decoded images alive) and it works on one thread (serve
// shares the machine). Returns "" when it started, else why not.
const std::string& StartVips() {
  static const std::string failed = [] {
    std::string why;
    if (!LoadVips(&why)) return "cannot load libvips: " + why;
    if (Api().vips_init("clemency") != 0) return std::string("libvips did not start");
    // A damaged upload is a refusal with its reason (Refusal), not a warning on serve's stderr.
    Api().g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING,
                            [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
    Api().vips_cache_set_max(0);
    Api().vips_concurrency_set(1);
    return std::string();
  }();
  return failed;
}

// The image processed now: libvips' error buffer is global and a 6000 px image is ~100 MB.
std::mutex& ProcessingMutex() {
  static std::mutex mutex;
  return mutex;
}

// Owns one VipsImage reference.
class Image {
 public:
  Image() = default;
  explicit Image(VipsImage* image) : image_(image) {}
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
  ~Image() {
    if (image_) Api().g_object_unref(image_);
  }
  VipsImage* get() const { return image_; }
  VipsImage** out() {
    Reset();
    return &image_;
  }
  void Swap(Image& other) { std::swap(image_, other.image_); }

 private:
  void Reset() {
    if (image_) Api().g_object_unref(image_);
    image_ = nullptr;
  }
  VipsImage* image_ = nullptr;
};

// Returns a refusal with its code, libvips' own words (if any) after ours, and clears them.
Status Refusal(const char* code, const std::string& text) {
  std::string detail = Api().vips_error_buffer();
  Api().vips_error_clear();
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  for (char& c : detail) {
    if (c == '\n') c = ' ';
  }
  return Status::Error(std::string(code) + ": " + text +
                       (detail.empty() ? "" : " (" + detail.substr(0, 200) + ")"));
}

Status Damaged() {
  return Refusal("media_damaged", "the file is damaged or cut short and cannot be read as an image");
}

// Loads the header (pixels are decoded later, on demand) with the loader of `format` only, so
// no other of libvips' many loaders (SVG, PDF, …) ever sees uploaded bytes.
Status Load(std::string_view bytes, ImageFormat format, Image* out) {
  void* data = const_cast<char*>(bytes.data());
  int rc = -1;
  switch (format) {
    case ImageFormat::kJpeg:
      rc = Api().vips_jpegload_buffer(data, bytes.size(), out->out(), "fail_on",
                                VIPS_FAIL_ON_TRUNCATED, nullptr);
      break;
    case ImageFormat::kPng:
      rc = Api().vips_pngload_buffer(data, bytes.size(), out->out(), "fail_on", VIPS_FAIL_ON_TRUNCATED,
                               nullptr);
      break;
    case ImageFormat::kWebp:
      rc = Api().vips_webpload_buffer(data, bytes.size(), out->out(), "fail_on",
                                VIPS_FAIL_ON_TRUNCATED, nullptr);
      break;
  }
  return rc == 0 ? Status::Ok() : Damaged();
}

Status CheckSize(const Image& image, const ImageLimits& limits) {
  const int w = Api().vips_image_get_width(image.get()), h = Api().vips_image_get_height(image.get());
  if (w <= 0 || h <= 0 || w > limits.max_side || h > limits.max_side ||
      static_cast<int64_t>(w) * h > limits.max_pixels) {
    return Refusal("media_too_large", "the image is " + std::to_string(w) + " x " +
                                          std::to_string(h) + " pixels; at most " +
                                          std::to_string(limits.max_side) + " on a side");
  }
  return Status::Ok();
}

// Turns `image` upright (EXIF orientation), into 8-bit sRGB (with its alpha, if any), decoded in
// memory, so a file cut short fails here rather than as grey pixels in a copy.
Status Normalise(Image* image) {
  Image next;
  if (Api().vips_autorot(image->get(), next.out(), nullptr) != 0) return Damaged();
  image->Swap(next);
  if (Api().vips_image_get_interpretation(image->get()) != VIPS_INTERPRETATION_sRGB) {
    if (Api().vips_colourspace(image->get(), next.out(), VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
      return Damaged();
    }
    image->Swap(next);
  }
  if (Api().vips_image_get_format(image->get()) != VIPS_FORMAT_UCHAR) {
    if (Api().vips_cast_uchar(image->get(), next.out(), nullptr) != 0) return Damaged();
    image->Swap(next);
  }
  VipsImage* memory = Api().vips_image_copy_memory(image->get());
  if (!memory) return Damaged();
  Image decoded(memory);
  image->Swap(decoded);
  return Status::Ok();
}

// Returns `image` resized to exactly `width` x `height`.
Status Resize(const Image& image, int width, int height, Image* out) {
  if (Api().vips_thumbnail_image(image.get(), out->out(), width, "height", height, "size",
                           VIPS_SIZE_FORCE, nullptr) != 0) {
    return Damaged();
  }
  return Status::Ok();
}

// Returns `image` encoded as `format` with no metadata at all ("strip").
Result<std::string> Encode(const Image& image, ImageFormat format) {
  void* buffer = nullptr;
  size_t size = 0;
  int rc = -1;
  switch (format) {
    case ImageFormat::kJpeg:
      rc = Api().vips_jpegsave_buffer(image.get(), &buffer, &size, "Q", 82, "strip", TRUE,
                                "optimize_coding", TRUE, "interlace", TRUE, nullptr);
      break;
    case ImageFormat::kPng:
      rc = Api().vips_pngsave_buffer(image.get(), &buffer, &size, "strip", TRUE, "compression", 6,
                               nullptr);
      break;
    case ImageFormat::kWebp:
      rc = Api().vips_webpsave_buffer(image.get(), &buffer, &size, "Q", 80, "strip", TRUE, nullptr);
      break;
  }
  if (rc != 0) return Damaged();
  std::string bytes(static_cast<const char*>(buffer), size);
  Api().g_free(buffer);
  return bytes;
}

// Returns the copies of the decoded `image`: full width (at most limits.max_width), then the
// narrower widths, all named by the full copy's hash.
Result<ProcessedImage> WriteCopies(const Image& image, ImageFormat format,
                                   const ImageLimits& limits) {
  const int w = Api().vips_image_get_width(image.get()), h = Api().vips_image_get_height(image.get());
  const int full_w = w > limits.max_width ? limits.max_width : w;
  const int full_h = paths::MediaVariantHeight(w, h, full_w);
  Image full;
  Status s = Resize(image, full_w, full_h, &full);
  if (!s.ok()) return s;
  auto full_bytes = Encode(full, format);
  if (!full_bytes.ok()) return full_bytes.status();
  ProcessedImage result;
  result.format = format;
  result.name = {HashHex(*full_bytes), full_w, full_h, Extension(format)};
  result.files.push_back({result.name, std::move(full_bytes).value()});
  std::vector<int> widths = paths::MediaVariantWidths(full_w);
  for (auto it = widths.rbegin(); it != widths.rend(); ++it) {
    const int vh = paths::MediaVariantHeight(full_w, full_h, *it);
    Image copy;
    s = Resize(full, *it, vh, &copy);
    if (!s.ok()) return s;
    auto bytes = Encode(copy, format);
    if (!bytes.ok()) return bytes.status();
    paths::MediaName name = result.name;
    name.width = *it;
    name.height = vh;
    result.files.push_back({name, std::move(bytes).value()});
  }
  return result;
}

}  // namespace

std::optional<ImageFormat> SniffFormat(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xFF\xD8\xFF") return ImageFormat::kJpeg;
  if (bytes.size() >= 8 && bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8)) {
    return ImageFormat::kPng;
  }
  if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") {
    return ImageFormat::kWebp;
  }
  return std::nullopt;
}

const char* Extension(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "jpg";
    case ImageFormat::kPng:
      return "png";
    case ImageFormat::kWebp:
      return "webp";
  }
  return "";
}

const char* MimeType(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "image/jpeg";
    case ImageFormat::kPng:
      return "image/png";
    case ImageFormat::kWebp:
      return "image/webp";
  }
  return "";
}

std::string ImageProblemCode(const Status& status) {
  const std::string& m = status.message();
  for (const char* code : kImageProblemCodes) {
    const size_t n = std::strlen(code);
    if (m.size() > n && m.compare(0, n, code) == 0 && m[n] == ':') return code;
  }
  return "";
}

Result<ProcessedImage> ProcessUpload(std::string_view bytes, const ImageLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return Status::Error("media_too_many_bytes: the file is " +
                         std::to_string(bytes.size() / 1024) + " KB; at most " +
                         std::to_string(limits.max_bytes / 1024) + " KB");
  }
  std::optional<ImageFormat> format = SniffFormat(bytes);
  if (!format) {
    return Status::Error("media_not_image: the file is not a JPEG, PNG or WebP image");
  }
  std::lock_guard<std::mutex> lock(ProcessingMutex());
  if (const std::string& why = StartVips(); !why.empty()) {
    return Status::Error("media_damaged: the image library could not start (" + why + ")");
  }
  Api().vips_error_clear();
  Image image;
  Status s = Load(bytes, *format, &image);
  if (s.ok()) s = CheckSize(image, limits);
  if (s.ok()) s = Normalise(&image);
  if (!s.ok()) return s;
  return WriteCopies(image, *format, limits);
}

Result<std::pair<int, int>> ImageSize(std::string_view bytes) {
  std::optional<ImageFormat> format = SniffFormat(bytes);
  if (!format) return Status::Error("media_not_image: not a JPEG, PNG or WebP image");
  std::lock_guard<std::mutex> lock(ProcessingMutex());
  if (const std::string& why = StartVips(); !why.empty()) {
    return Status::Error("media_damaged: the image library could not start (" + why + ")");
  }
  Image image;
  Status s = Load(bytes, *format, &image);
  if (!s.ok()) return s;
  return std::make_pair(Api().vips_image_get_width(image.get()), Api().vips_image_get_height(image.get()));
}

}  // namespace clemency::media
