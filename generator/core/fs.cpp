#include "core/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

namespace clemency {
namespace fs = std::filesystem;

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
  if (::fstat(fd, &info) == 0 && info.st_size > 0) out.reserve(static_cast<size_t>(info.st_size));
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Status::Error(path + ": read error");
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string DiskFileSystem::Stamp(const std::string& path) const {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return "";
  // ctime too: it changes on every write even when a tool restores the modification time.
  return std::to_string(info.st_size) + ":" + std::to_string(info.st_ino) + ":" +
         std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec) + ":" +
         std::to_string(info.st_ctim.tv_sec) + "." + std::to_string(info.st_ctim.tv_nsec);
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

Result<std::string> MemoryFileSystem::ReadFile(const std::string& path) const {
  auto it = files_.find(path);
  if (it == files_.end()) return Status::Error(path + ": cannot open file");
  return it->second;
}

bool MemoryFileSystem::IsFile(const std::string& path) const { return files_.count(path) > 0; }

bool MemoryFileSystem::IsDirectory(const std::string& path) const {
  std::string prefix = path.empty() || path.back() == '/' ? path : path + "/";
  auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::string> MemoryFileSystem::ListFiles(const std::string& dir) const {
  std::string prefix = dir.empty() || dir.back() == '/' ? dir : dir + "/";
  std::vector<std::string> out;
  for (auto it = files_.lower_bound(prefix);
       it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(it->first.substr(prefix.size()));
  }
  return out;
}

}  // namespace clemency
