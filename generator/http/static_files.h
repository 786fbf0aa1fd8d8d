#pragma once
// Serving the built site from public/: safe path mapping, an in-memory cache checked against the
// file's identity, strong ETags, Last-Modified, 304s, precompressed feeds, per-language 404s.
#include <httplib.h>
#include <sys/stat.h>

#include <atomic>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/http.h"

namespace clemency {

// The Content-Type for a file name.
std::string ContentTypeFor(const std::string& path);

class StaticFiles {
 public:
  StaticFiles(std::string root, std::string default_language)
      : root_(std::move(root)), default_language_(std::move(default_language)) {}
  void Handle(const httplib::Request& req, httplib::Response& res);
  // How many times a file was read from disk (each read also hashes it and gzips a feed).
  uint64_t files_read() const { return files_read_; }

 private:
  struct File {
    std::string body, gzip, etag, last_modified, content_type;
    time_t mtime = 0;
    uint64_t inode = 0, size = 0;
  };
  std::shared_ptr<const File> Load(const std::string& path);
  // `info` is the caller's stat() of `path`.
  std::shared_ptr<const File> Load(const std::string& path, const struct stat& info);
  // Returns the file read from disk, or null when it cannot be read or a part of its path
  // below the root is a symbolic link.
  std::shared_ptr<const File> Read(const std::string& path, const struct stat& info);
  void NotFound(const httplib::Request& req, httplib::Response& res);
  // Answers with `file`: validators, 304, a byte range or the whole file.
  void Send(const httplib::Request& req, const std::shared_ptr<const File>& file,
            httplib::Response& res);
  static bool NotModified(const httplib::Request& req, const File& file, const std::string& etag);
  // False when an If-Range names another version of the file (then the whole file is sent).
  static bool RangeStillValid(const httplib::Request& req, const File& file,
                              const std::string& etag);
  static void SendBytes(const std::shared_ptr<const File>& file, const std::string& bytes,
                        http::ByteRange range, bool library_compresses, httplib::Response& res);

  std::string root_, default_language_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const File>> cache_;
  // Files being read right now: a request for one of them waits for that read instead of
  // starting its own (64 connections asking for a new feed at once would gzip it 64 times).
  std::unordered_map<std::string, std::shared_future<std::shared_ptr<const File>>> reading_;
  size_t cached_bytes_ = 0;
  std::atomic<uint64_t> files_read_{0};
};

// Maps a request path to a file path under `root` (empty parts dropped); false when it would
// leave `root` or names a hidden file (a part starting with a dot).
bool MapRequestPath(const std::string& root, const std::string& request_path, std::string* out);

}  // namespace clemency
