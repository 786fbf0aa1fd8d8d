#include "http/static_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "http/http.h"
#include "core/site_paths.h"
#include "core/text.h"

namespace clemency {

std::string ContentTypeFor(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {"/feed.json", "application/feed+json; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".atom", "application/atom+xml; charset=utf-8"},
      {".rss", "application/rss+xml; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".pdf", "application/pdf"},
  };
  for (const auto& [suffix, type] : kTypes) {
    size_t n = std::strlen(suffix);
    if (path.size() >= n && path.compare(path.size() - n, n, suffix) == 0) return type;
  }
  return "application/octet-stream";
}

namespace {

constexpr size_t kCacheLimitBytes = 64 << 20;  // beyond this, files are read per request

bool IsFeedType(const std::string& type) {
  return type.rfind("application/atom+xml", 0) == 0 || type.rfind("application/rss+xml", 0) == 0 ||
         type.rfind("application/feed+json", 0) == 0 || type.rfind("application/xml", 0) == 0;
}

std::string CacheControlFor(const std::string& path) {
  if (path.find("/assets/") != std::string::npos) return "public, max-age=86400";
  return "public, max-age=300";
}

// A moved marker's target is a path of this site ("/vi/support/slug/"), never another host.
bool IsMovedTarget(const std::string& target) {
  return target.size() > 1 && target.front() == '/' && target[1] != '/' &&
         target.find_first_of("\r\n\\") == std::string::npos;
}

// True when a part of `path` below `root` (REQUIRES: `path` starts with it) is a symbolic link.
// The build never writes one, so one there was put by someone else and may point anywhere;
// `root` itself may be a link (a mirror's current release).
bool LinkBelow(const std::string& root, const std::string& path) {
  if (path.size() <= root.size()) return false;
  struct stat info;
  for (size_t slash = path.find('/', root.size() + 1);; slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    if (lstat(prefix.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) return true;
    if (slash == std::string::npos) return false;
  }
}

}  // namespace

bool MapRequestPath(const std::string& root, const std::string& request_path, std::string* out) {
  if (request_path.empty() || request_path.front() != '/' ||
      request_path.find('\0') != std::string::npos ||
      request_path.find('\\') != std::string::npos) {
    return false;
  }
  std::string path = root;
  size_t start = 1;
  while (start <= request_path.size()) {
    size_t slash = request_path.find('/', start);
    std::string part =
        request_path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    // Names starting with a dot are never site outputs (the output folder's marker is one).
    if (!part.empty() && part.front() == '.') return false;
    if (!part.empty()) path += "/" + part;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  *out = path;
  return true;
}

std::shared_ptr<const StaticFiles::File> StaticFiles::Load(const std::string& path) {
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return nullptr;
  return Load(path, info);
}

std::shared_ptr<const StaticFiles::File> StaticFiles::Load(const std::string& path,
                                                           const struct stat& info) {
  if (!S_ISREG(info.st_mode)) return nullptr;
  auto same_file = [&info](const File& file) {
    return file.mtime == info.st_mtime && file.inode == static_cast<uint64_t>(info.st_ino) &&
           file.size == static_cast<uint64_t>(info.st_size);
  };
  // Made only when this request reads the file, so a cache hit allocates nothing.
  std::optional<std::promise<std::shared_ptr<const File>>> promise;
  for (;;) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto it = cache_.find(path);
    if (it != cache_.end() && same_file(*it->second)) return it->second;
    auto reading = reading_.find(path);
    if (reading == reading_.end()) {
      promise.emplace();
      reading_.emplace(path, promise->get_future().share());
      break;
    }
    std::shared_future<std::shared_ptr<const File>> pending = reading->second;
    lock.unlock();
    std::shared_ptr<const File> file = pending.get();
    // That read may have seen an older version than our stat() did: then read again (or join
    // the read another request has started since).
    if (!file || same_file(*file)) return file;
  }
  std::shared_ptr<const File> file;
  try {
    file = Read(path, info);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    reading_.erase(path);
    promise->set_exception(std::current_exception());
    throw;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  reading_.erase(path);
  promise->set_value(file);
  if (!file) return nullptr;
  auto& slot = cache_[path];
  if (slot) cached_bytes_ -= slot->body.size() + slot->gzip.size();
  if (cached_bytes_ + file->body.size() + file->gzip.size() <= kCacheLimitBytes) {
    slot = file;
    cached_bytes_ += file->body.size() + file->gzip.size();
  } else {
    cache_.erase(path);
  }
  return file;
}

std::shared_ptr<const StaticFiles::File> StaticFiles::Read(const std::string& path,
                                                           const struct stat& info) {
  // Checked when a file is read, not on every request: a cached file keeps its inode, and a
  // link put in its place later is another file (a cache miss) and is checked then.
  if (LinkBelow(root_, path)) return nullptr;
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  ++files_read_;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto file = std::make_shared<File>();
  file->body = buffer.str();
  file->content_type = ContentTypeFor(path);
  file->etag = HashHex(file->body);
  file->mtime = info.st_mtime;
  file->inode = static_cast<uint64_t>(info.st_ino);
  file->size = static_cast<uint64_t>(info.st_size);
  file->last_modified = http::HttpDate(info.st_mtime);
  // httplib compresses text/html and JSON itself; feeds it does not, so they are gzipped once here.
  if (IsFeedType(file->content_type) && file->body.size() > 512)
    file->gzip = http::Gzip(file->body);
  return file;
}

void StaticFiles::NotFound(const httplib::Request& req, httplib::Response& res) {
  // A page removed on purpose answers 410 Gone (its folder holds the build's marker); anything
  // else, the 404 page of the language the path starts with.
  std::string folder;
  struct stat info;
  bool gone = MapRequestPath(root_, req.path, &folder) &&
              stat((folder + "/" + paths::kGoneMarker).c_str(), &info) == 0;
  std::string lang = default_language_;
  size_t slash = req.path.find('/', 1);
  if (req.path.size() > 1 && slash != std::string::npos) {
    std::string first = req.path.substr(1, slash - 1);
    if (IsSlug(first) && Load(root_ + "/" + first + "/404.html")) lang = first;
  }
  auto page = Load(root_ + "/" + lang + "/404.html");
  res.status = gone ? 410 : 404;
  res.set_header("Cache-Control", "no-store");
  res.set_content(page ? page->body : std::string("Not found\n"), "text/html; charset=utf-8");
}

void StaticFiles::Handle(const httplib::Request& req, httplib::Response& res) {
  std::string path;
  if (!MapRequestPath(root_, req.path, &path)) return NotFound(req, res);
  struct stat info;
  if (stat(path.c_str(), &info) != 0) return NotFound(req, res);
  if (S_ISDIR(info.st_mode)) {
    if (auto moved = Load(path + "/" + paths::kMovedMarker); moved && IsMovedTarget(moved->body)) {
      // An old URL of a page (its front matter's `aliases`): permanently at its new path.
      res.status = 301;
      res.set_header("Location", moved->body);
      res.set_header("Cache-Control", CacheControlFor(req.path));
      return;
    }
    if (req.path.back() != '/') {
      // A directory URL without its slash gets one, so relative links keep working. The target
      // is the mapped path (empty parts dropped): "//host" would send the reader off the site.
      res.status = 301;
      res.set_header("Location", path.substr(root_.size()) + "/");
      return;
    }
    path += "/index.html";
    if (lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return NotFound(req, res);
  }
  auto file = Load(path, info);
  if (!file) return NotFound(req, res);
  Send(req, file, res);
}

void StaticFiles::Send(const httplib::Request& req, const std::shared_ptr<const File>& file,
                       httplib::Response& res) {
  bool gzip = !file->gzip.empty() && http::AcceptsGzip(req);
  std::string encoding = gzip ? "gzip" : http::LibraryEncoding(req, file->content_type);
  std::string etag = "\"" + file->etag + (encoding.empty() ? "" : "-" + encoding) + "\"";
  res.set_header("ETag", etag);
  res.set_header("Last-Modified", file->last_modified);
  res.set_header("Cache-Control", CacheControlFor(req.path));
  res.set_header("Vary", "Accept-Encoding");
  res.set_header("Accept-Ranges", "bytes");
  if (req.path.rfind("/api/", 0) != 0 && IsFeedType(file->content_type)) {
    res.set_header("Access-Control-Allow-Origin", "*");  // the server adds it under /api/
  }
  if (NotModified(req, *file, etag)) {
    res.status = 304;
    return;
  }
  if (gzip) res.set_header("Content-Encoding", "gzip");
  const std::string& bytes = gzip ? file->gzip : file->body;
  http::ByteRange range{0, bytes.size()};
  // The server drops Accept-Encoding from a request with a Range, so a range is of the file's
  // own bytes (ETag without an encoding).
  if (req.has_header("Range") && encoding.empty() && RangeStillValid(req, *file, etag)) {
    switch (http::ParseRange(req.get_header_value("Range"), bytes.size(), &range)) {
      case http::RangeAnswer::kWhole:
        range = {0, bytes.size()};
        break;
      case http::RangeAnswer::kUnsatisfiable:
        res.status = 416;
        res.set_header("Content-Range", "bytes */" + std::to_string(bytes.size()));
        return;
      case http::RangeAnswer::kPartial:
        res.status = 206;
        res.set_header("Content-Range", "bytes " + std::to_string(range.offset) + "-" +
                                            std::to_string(range.offset + range.length - 1) + "/" +
                                            std::to_string(bytes.size()));
        break;
    }
  }
  SendBytes(file, bytes, range, !encoding.empty() && !gzip, res);
}

bool StaticFiles::NotModified(const httplib::Request& req, const File& file,
                              const std::string& etag) {
  if (req.has_header("If-None-Match")) return http::IfNoneMatchHits(req, etag);
  if (!req.has_header("If-Modified-Since")) return false;
  time_t since = http::ParseHttpDate(req.get_header_value("If-Modified-Since"));
  return since >= 0 && file.mtime <= since;
}

bool StaticFiles::RangeStillValid(const httplib::Request& req, const File& file,
                                  const std::string& etag) {
  if (!req.has_header("If-Range")) return true;
  const std::string header = req.get_header_value("If-Range");
  std::string_view value = Trim(header);
  return value == etag || value == file.last_modified;  // strong comparison (RFC 9110 13.1.5)
}

void StaticFiles::SendBytes(const std::shared_ptr<const File>& file, const std::string& bytes,
                            http::ByteRange range, bool library_compresses,
                            httplib::Response& res) {
  if (range.length < 64 * 1024 || library_compresses) {
    res.set_content(bytes.substr(range.offset, range.length), file->content_type);
    return;
  }
  // Large files (feeds) are sent from the shared cached copy instead of copied per request.
  // httplib asks for [offset, offset + length) of the range; never more than the file holds.
  res.set_content_provider(
      range.length, file->content_type,
      [file, &bytes, range](size_t offset, size_t length, httplib::DataSink& sink) {
        if (offset >= range.length) return false;
        length = std::min<size_t>(length, range.length - offset);
        return sink.write(bytes.data() + range.offset + offset, length);
      });
}

}  // namespace clemency
