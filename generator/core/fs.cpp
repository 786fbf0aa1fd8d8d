#include "core/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/parallel.h"
#include "core/text.h"

namespace clemency {
namespace fs = std::filesystem;

Result<std::shared_ptr<const MappedFile>> MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open file");
  struct stat info;
  if (::fstat(fd, &info) != 0 || info.st_size <= 0) {
    ::close(fd);
    return Status::Error(path + ": empty or unreadable");
  }
  size_t size = static_cast<size_t>(info.st_size);
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (data == MAP_FAILED) return Status::Error(path + ": cannot map file");
  return std::shared_ptr<const MappedFile>(new MappedFile(data, size));
}

MappedFile::~MappedFile() { ::munmap(const_cast<void*>(data_), size_); }

bool WriteAll(int fd, std::string_view bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = EIO;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  std::string temp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Error("cannot write " + temp + ": " + std::strerror(errno));
  int error = WriteAll(fd, bytes) ? 0 : errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    return Status::Error("cannot write " + path + ": " + std::strerror(error));
  }
  return Status::Ok();
}

Status AppendToFile(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return Status::Error("cannot append to " + path + ": " + std::strerror(errno));
  int error = WriteAll(fd, bytes) ? 0 : errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) return Status::Error("cannot append to " + path + ": " + std::strerror(error));
  return Status::Ok();
}

std::string JoinPath(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  std::string out = a;
  if (out.back() != '/') out += '/';
  out += (b.front() == '/') ? b.substr(1) : b;
  return out;
}

Result<std::string> DiskFileSystem::ReadFile(const std::string& path) const {
  // Plain open/fstat/read: a build reads every content file, and iostreams cost more than the read.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(path + ": cannot open file");
  struct stat info;
  std::string out;
  // Straight into the string, sized from fstat (and grown if the file grew meanwhile).
  size_t size = ::fstat(fd, &info) == 0 && info.st_size > 0 ? static_cast<size_t>(info.st_size) : 0;
  out.resize(size + 1);
  size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(out.size() * 2);
    ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Status::Error(path + ": read error");
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(used);
  return out;
}

namespace {

std::string StampOf(const struct stat& info) {
  // ctime too: it changes on every write even when a tool restores the modification time.
  char buf[128];
  int n = std::snprintf(
      buf, sizeof buf, "%lld:%llu:%lld.%ld:%lld.%ld", static_cast<long long>(info.st_size),
      static_cast<unsigned long long>(info.st_ino), static_cast<long long>(info.st_mtim.tv_sec),
      info.st_mtim.tv_nsec, static_cast<long long>(info.st_ctim.tv_sec), info.st_ctim.tv_nsec);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

// The names in a folder tree, read before anything is stat'ed so that the stat calls (most of a
// walk's time) can be shared evenly between cores whatever the folders' sizes.
struct Folder {
  int fd = -1;
  std::string path;
};
struct Entry {
  size_t folder;
  std::string name;
  bool link;
};

// Lists the folder open as `fd` (closed here; a duplicate stays in `folders` for the stat calls)
// into `entries`, and its subfolders recursively. Links are listed as entries: they count only if
// they lead to a file.
void ListTree(int fd, const std::string& path, std::vector<Folder>* folders,
              std::vector<Entry>* entries) {
  DIR* handle = ::fdopendir(fd);
  if (!handle) {
    ::close(fd);
    return;
  }
  size_t folder = folders->size();
  folders->push_back({::dup(fd), path});
  std::vector<std::string> subfolders;
  while (struct dirent* entry = ::readdir(handle)) {
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    unsigned char type = entry->d_type;
    if (type == DT_UNKNOWN) {  // some file systems leave the type to a stat call
      struct stat info;
      if (::fstatat(fd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) continue;
      type = S_ISDIR(info.st_mode) ? DT_DIR : S_ISLNK(info.st_mode) ? DT_LNK : DT_REG;
    }
    if (type == DT_DIR) {
      subfolders.emplace_back(name);
    } else {
      entries->push_back({folder, std::string(name), type == DT_LNK});
    }
  }
  for (const auto& name : subfolders) {
    int child = ::openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (child >= 0) ListTree(child, path + "/" + name, folders, entries);
  }
  ::closedir(handle);
}

}  // namespace

int64_t LatestChange(const std::string& path) {
  auto change = [](const std::string& at) -> int64_t {
    struct stat info;
    if (::stat(at.c_str(), &info) != 0) return 0;
    return static_cast<int64_t>(info.st_ctim.tv_sec) * 1000000000 + info.st_ctim.tv_nsec;
  };
  int64_t latest = change(path);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    latest = std::max(latest, change(it->path().string()));
  }
  return latest;
}

std::string DiskFileSystem::Stamp(const std::string& path) const {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return "";
  return StampOf(info);
}

SnapshotFileSystem::SnapshotFileSystem(const std::vector<std::string>& roots) {
  std::vector<Folder> folders;
  std::vector<Entry> entries;
  for (std::string root : roots) {
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    roots_.push_back(root);
    int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) ListTree(fd, root, &folders, &entries);
  }
  // Each entry is stat'ed relative to its open folder (no path walk per file). Like the
  // directory iterator, a link is followed to a file but never into a folder.
  std::vector<std::string> stamps(entries.size());
  constexpr size_t kChunk = 256;
  ParallelFor((entries.size() + kChunk - 1) / kChunk, DefaultThreads(), [&](size_t chunk) {
    for (size_t i = chunk * kChunk; i < std::min(entries.size(), (chunk + 1) * kChunk); ++i) {
      struct stat info;
      if (::fstatat(folders[entries[i].folder].fd, entries[i].name.c_str(), &info, 0) == 0 &&
          S_ISREG(info.st_mode)) {
        stamps[i] = StampOf(info);
      }
    }
  });
  for (auto& folder : folders) ::close(folder.fd);
  files_.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (stamps[i].empty()) continue;
    files_.emplace_back(folders[entries[i].folder].path + "/" + entries[i].name,
                        std::move(stamps[i]));
    if (entries[i].link) links_.insert(files_.back().first);
  }
  std::sort(files_.begin(), files_.end());
  index_.reserve(files_.size());
  for (size_t i = 0; i < files_.size(); ++i) index_.emplace(files_[i].first, i);
}

std::vector<std::string> SnapshotFileSystem::ListFiles(const std::string& dir) const {
  std::string prefix = dir;
  while (prefix.size() > 1 && prefix.back() == '/') prefix.pop_back();
  bool covered = false;
  for (const auto& root : roots_) {
    covered = covered || prefix == root || prefix.rfind(root + "/", 0) == 0;
  }
  if (!covered) return DiskFileSystem::ListFiles(dir);
  prefix += "/";
  std::vector<std::string> out;
  auto it = std::lower_bound(files_.begin(), files_.end(), prefix,
                             [](const auto& file, const std::string& p) { return file.first < p; });
  for (; it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(it->first.substr(prefix.size()));
  }
  return out;
}

std::string SnapshotFileSystem::Stamp(const std::string& path) const {
  auto it = index_.find(path);
  return it == index_.end() ? DiskFileSystem::Stamp(path) : files_[it->second].second;
}

int64_t SnapshotFileSystem::FileSize(const std::string& path) const {
  auto it = index_.find(path);
  if (it == index_.end()) return DiskFileSystem::FileSize(path);
  return std::strtoll(files_[it->second].second.c_str(), nullptr, 10);  // the stamp starts with it
}

bool SnapshotFileSystem::IsLink(const std::string& path) const {
  return index_.count(path) ? links_.count(path) > 0 : DiskFileSystem::IsLink(path);
}

std::string SnapshotFileSystem::Listing() const {
  std::string out;
  for (const auto& [path, stamp] : files_) {
    out.append(path).append(1, '\t').append(stamp).append(1, '\n');
  }
  return out;
}

int64_t DiskFileSystem::FileSize(const std::string& path) const {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 ? static_cast<int64_t>(info.st_size) : -1;
}

bool DiskFileSystem::IsLink(const std::string& path) const {
  struct stat info;
  return ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

bool ResolvesWithin(const std::string& path, const std::string& root) {
  char* resolved_path = ::realpath(path.c_str(), nullptr);
  char* resolved_root = ::realpath(root.c_str(), nullptr);
  bool within = false;
  if (resolved_path && resolved_root) {
    std::string_view file = resolved_path, folder = resolved_root;
    within = folder == "/" || (file.size() > folder.size() && file.compare(0, folder.size(), folder) == 0 &&
                               file[folder.size()] == '/');
  }
  std::free(resolved_path);
  std::free(resolved_root);
  return within;
}

bool DiskFileSystem::IsDirectory(const std::string& path) const {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

bool DiskFileSystem::IsFile(const std::string& path) const {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::vector<std::string> DiskFileSystem::ListFiles(const std::string& dir) const {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  // Paths under `dir` start with `dir` and a separator; cutting that prefix off is enough
  // (fs::relative would resolve symlinks with a readlink per path component).
  std::string root = fs::path(dir).generic_string();
  size_t cut = root.size() + (root.empty() || root.back() == '/' ? 0 : 1);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) out.push_back(it->path().generic_string().substr(cut));
  }
  std::sort(out.begin(), out.end());
  return out;
}

void MemoryFileSystem::Add(const std::string& path, std::string contents) {
  std::string stamp = "content:" + HashHex(contents);
  files_[path] = File{std::move(contents), std::move(stamp)};
}

Result<std::string> MemoryFileSystem::ReadFile(const std::string& path) const {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::Error(path + ": cannot open file");
  return it->second.contents;
}

std::string MemoryFileSystem::Stamp(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? std::string() : it->second.stamp;
}

bool MemoryFileSystem::IsFile(const std::string& path) const { return files_.count(path) > 0; }

int64_t MemoryFileSystem::FileSize(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? -1 : static_cast<int64_t>(it->second.contents.size());
}

bool MemoryFileSystem::IsDirectory(const std::string& path) const {
  return HasPathUnder(files_, path);
}

std::vector<std::string> MemoryFileSystem::ListFiles(const std::string& dir) const {
  return PathsUnder(files_, dir);
}

FileOverlay::FileOverlay(std::shared_ptr<const FileSystem> base, std::string path, std::string text)
    : base_(std::move(base)), path_(std::move(path)) {
  file_.Add(path_, std::move(text));
}

Result<std::string> FileOverlay::ReadFile(const std::string& path) const {
  return path == path_ ? file_.ReadFile(path) : base_->ReadFile(path);
}

bool FileOverlay::IsDirectory(const std::string& path) const {
  return file_.IsDirectory(path) || base_->IsDirectory(path);
}

bool FileOverlay::IsFile(const std::string& path) const {
  return path == path_ || base_->IsFile(path);
}

std::vector<std::string> FileOverlay::ListFiles(const std::string& dir) const {
  std::vector<std::string> files = base_->ListFiles(dir);
  for (const std::string& file : file_.ListFiles(dir)) {
    if (std::find(files.begin(), files.end(), file) == files.end()) files.push_back(file);
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string FileOverlay::Stamp(const std::string& path) const {
  return path == path_ ? file_.Stamp(path) : base_->Stamp(path);
}

int64_t FileOverlay::FileSize(const std::string& path) const {
  return path == path_ ? file_.FileSize(path) : base_->FileSize(path);
}

bool FileOverlay::IsLink(const std::string& path) const {
  return path == path_ ? false : base_->IsLink(path);
}

}  // namespace clemency
