#pragma once
// Read-only file system interface, so loaders can be tested on in-memory trees.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/status.h"

namespace clemency {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  virtual bool IsDirectory(const std::string& path) const = 0;
  virtual bool IsFile(const std::string& path) const = 0;
  // Regular files under `dir`, recursively, as paths relative to `dir` with '/' separators, sorted.
  virtual std::vector<std::string> ListFiles(const std::string& dir) const = 0;
  // A cheap token that changes whenever the file does (size, times, inode on disk), or "" when
  // this file system cannot tell: then callers must read the file.
  virtual std::string Stamp(const std::string& /*path*/) const { return ""; }
  // The file's size in bytes, or -1 when it is not there.
  virtual int64_t FileSize(const std::string& path) const = 0;
  // True when `path` is a symbolic link.
  virtual bool IsLink(const std::string& /*path*/) const { return false; }
};

// True when `path`, with every link followed, lies inside the folder `root` (also resolved).
bool ResolvesWithin(const std::string& path, const std::string& root);

// The latest change time (ctime, in nanoseconds) of the file or folder at `path` and of
// everything under it; 0 when there is nothing there.
int64_t LatestChange(const std::string& path);

class DiskFileSystem : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  bool IsDirectory(const std::string& path) const override;
  bool IsFile(const std::string& path) const override;
  std::vector<std::string> ListFiles(const std::string& dir) const override;
  std::string Stamp(const std::string& path) const override;
  int64_t FileSize(const std::string& path) const override;
  bool IsLink(const std::string& path) const override;
};

// The disk, with the files under some folders listed and stamped once, up front: a build walks
// site/ and content/ a single time for its "anything changed?" fingerprint, its file list and its
// cache stamps. Stamps are taken before any file is read, so a file changed later only ever
// looks changed.
class SnapshotFileSystem : public DiskFileSystem {
 public:
  explicit SnapshotFileSystem(const std::vector<std::string>& roots);
  SnapshotFileSystem(const SnapshotFileSystem&) = delete;  // index_ points into files_
  SnapshotFileSystem& operator=(const SnapshotFileSystem&) = delete;
  std::vector<std::string> ListFiles(const std::string& dir) const override;
  std::string Stamp(const std::string& path) const override;
  int64_t FileSize(const std::string& path) const override;
  bool IsLink(const std::string& path) const override;
  // Every file under the roots with its stamp, one per line, sorted.
  std::string Listing() const;

 private:
  std::vector<std::string> roots_;
  std::unordered_set<std::string> links_;  // full paths of the files that are links
  std::vector<std::pair<std::string, std::string>> files_;  // (full path, stamp), by path
  std::unordered_map<std::string_view, size_t> index_;      // full path -> position in files_
};

// For file systems kept as a sorted map by full path: true when some path lies under `dir`.
template <typename SortedMap>
bool HasPathUnder(const SortedMap& files, const std::string& dir) {
  std::string prefix = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  auto it = files.lower_bound(prefix);
  return it != files.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}
// The paths under `dir`, relative to it, in order.
template <typename SortedMap>
std::vector<std::string> PathsUnder(const SortedMap& files, const std::string& dir) {
  std::string prefix = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  std::vector<std::string> out;
  for (auto it = files.lower_bound(prefix);
       it != files.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(it->first.substr(prefix.size()));
  }
  return out;
}

class MemoryFileSystem : public FileSystem {
 public:
  void Add(const std::string& path, std::string contents);
  void Remove(const std::string& path) { files_.erase(path); }
  Result<std::string> ReadFile(const std::string& path) const override;
  bool IsDirectory(const std::string& path) const override;
  bool IsFile(const std::string& path) const override;
  std::vector<std::string> ListFiles(const std::string& dir) const override;
  int64_t FileSize(const std::string& path) const override;
  // A hash of the contents: equal stamps mean equal files, so a page cache can trust it.
  std::string Stamp(const std::string& path) const override;

 private:
  struct File {
    std::string contents, stamp;
  };
  std::map<std::string, File> files_;
};

// Serves paths under `prefix` from `overlay` and everything else from `base`: the site's own
// files from disk with content/ from the store.
class OverlayFileSystem : public FileSystem {
 public:
  OverlayFileSystem(const FileSystem& base, std::string prefix, const FileSystem& overlay)
      : base_(base), prefix_(std::move(prefix)), overlay_(overlay) {}
  Result<std::string> ReadFile(const std::string& path) const override {
    return Pick(path).ReadFile(path);
  }
  bool IsDirectory(const std::string& path) const override { return Pick(path).IsDirectory(path); }
  bool IsFile(const std::string& path) const override { return Pick(path).IsFile(path); }
  std::vector<std::string> ListFiles(const std::string& dir) const override {
    return Pick(dir).ListFiles(dir);
  }
  std::string Stamp(const std::string& path) const override { return Pick(path).Stamp(path); }
  int64_t FileSize(const std::string& path) const override { return Pick(path).FileSize(path); }
  bool IsLink(const std::string& path) const override { return Pick(path).IsLink(path); }

 private:
  const FileSystem& Pick(const std::string& path) const {
    return path.compare(0, prefix_.size(), prefix_) == 0 ? overlay_ : base_;
  }
  const FileSystem& base_;
  std::string prefix_;
  const FileSystem& overlay_;
};

// `base` with one file laid over it (another text, or a file `base` lacks): what a change is
// checked and previewed on, leaving `base` as it is. The file's stamp is MemoryFileSystem's.
class FileOverlay : public FileSystem {
 public:
  FileOverlay(std::shared_ptr<const FileSystem> base, std::string path, std::string text);
  Result<std::string> ReadFile(const std::string& path) const override;
  bool IsDirectory(const std::string& path) const override;
  bool IsFile(const std::string& path) const override;
  std::vector<std::string> ListFiles(const std::string& dir) const override;
  std::string Stamp(const std::string& path) const override;
  int64_t FileSize(const std::string& path) const override;
  bool IsLink(const std::string& path) const override;

 private:
  std::shared_ptr<const FileSystem> base_;
  std::string path_;
  MemoryFileSystem file_;  // path_ alone
};

// A file mapped into memory, read-only, for as long as the object lives (no copy of its bytes).
class MappedFile {
 public:
  static Result<std::shared_ptr<const MappedFile>> Open(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(const void* data, size_t size) : data_(data), size_(size) {}
  const void* data_;
  size_t size_;
};

// Writes all of `bytes` to the open file `fd` (retrying short writes); false on an error, which
// errno tells.
bool WriteAll(int fd, std::string_view bytes);

// Writes `bytes` to `path` through a temporary file renamed over it: readers see the old file or
// the new one, never a part.
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

// Appends `bytes` to the existing file at `path` in one write.
Status AppendToFile(const std::string& path, std::string_view bytes);

// Joins two path parts with exactly one '/'.
std::string JoinPath(const std::string& a, const std::string& b);

}  // namespace clemency
