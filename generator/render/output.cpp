#include "render/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_set>

#include "core/fs.h"
#include "core/parallel.h"
#include "http/gzip.h"
#include "render/output_folder.h"

namespace clemency {
namespace fs = std::filesystem;

std::string OutputFolder(const std::string& dir) {
  fs::path target = fs::absolute(dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();
  return target.string();
}

bool IsSafeRelativePath(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string::npos ||
      path.find('\\') != std::string::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string part =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

Result<std::unique_ptr<OutputWriter>> OutputWriter::Create(const std::string& public_dir,
                                                           const std::string& source_dir) {
  if (Status s = CheckOutputFolder(public_dir, source_dir); !s.ok()) return s;
  fs::path target = OutputFolder(public_dir);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  auto lock = OutputLock::Acquire(target.string());
  if (!lock.ok()) return lock.status();
  if (Status s = RecoverOutput(target.string()); !s.ok()) return s;
  std::string staging = target.string() + ".staging-" + std::to_string(getpid());
  fs::remove_all(staging, ec);
  if (!fs::create_directories(staging, ec) || ec) {
    return Status::Error("cannot create staging folder " + staging + ": " + ec.message());
  }
  std::unique_ptr<OutputWriter> writer(
      new OutputWriter(target.string(), staging, std::move(lock).value()));
  writer->staging_fd_ = ::open(staging.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (writer->staging_fd_ < 0) {
    return Status::Error("cannot open staging folder " + staging + ": " + std::strerror(errno));
  }
  if (Status s = WriteFileAtomically(staging + "/" + kOutputMarker,
                                     "A Clemency output folder: a build may replace all of it.\n");
      !s.ok()) {
    return s;
  }
  return writer;
}

OutputWriter::~OutputWriter() {
  if (staging_fd_ >= 0) ::close(staging_fd_);
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_dir_, ec);
  }
}

namespace {

// Opens a new file `relative` under the folder `dir_fd` for writing; -1 with errno on failure.
int OpenNew(int dir_fd, const char* relative) {
  return ::openat(dir_fd, relative, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

// True when the file at `path` holds exactly `bytes`.
bool FileHolds(const std::string& path, const std::string& bytes) {
  auto text = DiskFileSystem().ReadFile(path);
  return text.ok() && *text == bytes;
}

}  // namespace

// The folders are usually there already (PrepareFolders): one open, no lookups. A missing folder
// is made and the open tried again. An existing file is unlinked first, never written through:
// it may be a hard link into the live site (Reuse).
int OutputWriter::WriteNewFile(const std::string& relative_path, const std::string& bytes) const {
  int fd = OpenNew(staging_fd_, relative_path.c_str());
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    fs::create_directories(fs::path(staging_dir_ + "/" + relative_path).parent_path(), ec);
    fd = OpenNew(staging_fd_, relative_path.c_str());
  }
  if (fd < 0 && errno == EEXIST) {
    ::unlinkat(staging_fd_, relative_path.c_str(), 0);
    fd = OpenNew(staging_fd_, relative_path.c_str());
  }
  if (fd < 0) return errno;
  int error = WriteAll(fd, bytes) ? 0 : errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  return error;
}

void OutputWriter::PrepareFolders(const std::vector<std::string_view>& relative_paths,
                                  int threads) {
  // Every folder with its parents, grouped by depth: a depth's folders are made together once
  // the depth above exists.
  std::vector<std::vector<std::string_view>> by_depth;
  std::unordered_set<std::string_view> seen;
  for (std::string_view path : relative_paths) {
    if (!IsSafeRelativePath(std::string(path))) continue;
    size_t depth = 0;
    for (size_t slash = path.find('/'); slash != std::string_view::npos;
         slash = path.find('/', slash + 1), ++depth) {
      std::string_view folder = path.substr(0, slash);
      if (!seen.insert(folder).second) continue;
      if (by_depth.size() <= depth) by_depth.resize(depth + 1);
      by_depth[depth].push_back(folder);
    }
  }
  for (const auto& folders : by_depth) {
    ParallelFor(folders.size(), threads, [&](size_t i) {
      ::mkdirat(staging_fd_, std::string(folders[i]).c_str(), 0755);  // EEXIST is fine
    });
  }
}

Status OutputWriter::Write(const std::string& relative_path, const std::string& bytes) {
  if (!IsSafeRelativePath(relative_path)) {
    return Status::Error("refusing to write outside the output folder: " + relative_path);
  }
  // In place, a file whose bytes are already live is left alone (its date and ETag stay).
  if (in_place_ && FileHolds(public_dir_ + "/" + relative_path, bytes)) {
    ++files_reused_;
    return SyncCompressed(relative_path, bytes);
  }
  if (Status written = WriteCounted(relative_path, bytes); !written.ok()) return written;
  return SyncCompressed(relative_path, bytes);
}

Status OutputWriter::WriteCounted(const std::string& relative_path, const std::string& bytes) {
  if (int failure = WriteNewFile(relative_path, bytes); failure != 0) {
    Status error = Status::Error("cannot write " + staging_dir_ + "/" + relative_path + ": " +
                                 std::strerror(failure));
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (first_error_.ok()) first_error_ = error;
    return error;
  }
  if (in_place_) {
    std::lock_guard<std::mutex> lock(error_mutex_);
    written_.push_back(relative_path);
  }
  ++files_written_;
  bytes_written_ += bytes.size();
  return Status::Ok();
}

Status OutputWriter::SyncCompressed(const std::string& relative_path, const std::string& bytes) {
  const std::string gz_path = relative_path + ".gz";
  if (!precompress_ || !NeedsGzip(relative_path, bytes.size())) {
    std::error_code ec;
    if (in_place_ && fs::exists(public_dir_ + "/" + gz_path, ec)) Remove(gz_path);
    return Status::Ok();
  }
  const std::string gz = http::Gzip(bytes);
  if (gz.empty()) return Status::Error("cannot gzip " + relative_path);
  if (in_place_ && FileHolds(public_dir_ + "/" + gz_path, gz)) return Status::Ok();
  return WriteCounted(gz_path, gz);
}

void OutputWriter::Remove(const std::string& relative_path) {
  if (!IsSafeRelativePath(relative_path)) return;
  std::error_code ec;
  const bool compressed = fs::exists(public_dir_ + "/" + relative_path + ".gz", ec);
  std::lock_guard<std::mutex> lock(error_mutex_);
  removed_.push_back(relative_path);
  if (compressed) removed_.push_back(relative_path + ".gz");  // never outlives its file
}

bool OutputWriter::Reuse(const std::string& relative_path) {
  if (!IsSafeRelativePath(relative_path)) return false;
  const std::string from = public_dir_ + "/" + relative_path;
  // The folder is usually there already (PrepareFolders).
  if (::linkat(AT_FDCWD, from.c_str(), staging_fd_, relative_path.c_str(), 0) != 0) {
    if (errno != ENOENT) return false;
    std::error_code ec;
    fs::create_directories(fs::path(staging_dir_ + "/" + relative_path).parent_path(), ec);
    if (::linkat(AT_FDCWD, from.c_str(), staging_fd_, relative_path.c_str(), 0) != 0) return false;
  }
  ++files_reused_;
  if (precompress_) {
    // Its ".gz" came with it from the same build (jobs' keys include precompressing), so it is
    // linked too; one missing is made again from the file.
    const std::string gz_path = relative_path + ".gz";
    if (::linkat(AT_FDCWD, (from + ".gz").c_str(), staging_fd_, gz_path.c_str(), 0) != 0) {
      struct stat info;
      if (::stat(from.c_str(), &info) == 0 && !NeedsGzip(relative_path, info.st_size)) return true;
      auto bytes = DiskFileSystem().ReadFile(from);
      if (!bytes.ok() || !SyncCompressed(relative_path, *bytes).ok()) return false;
    }
  }
  return true;
}

bool NeedsGzip(const std::string& relative_path, size_t size) {
  if (size < kMinGzipBytes) return false;
  static const char* const kTypes[] = {".html", ".css", ".js", ".xml", ".json", ".svg",
                                       ".txt", ".atom", ".rss"};
  for (const char* type : kTypes) {
    const size_t n = std::strlen(type);
    if (relative_path.size() > n && relative_path.compare(relative_path.size() - n, n, type) == 0) {
      return true;
    }
  }
  return false;
}

Status OutputWriter::CopyTree(const std::string& from_dir) {
  std::error_code ec;
  if (!fs::is_directory(from_dir, ec)) return Status::Ok();
  for (auto it = fs::recursive_directory_iterator(from_dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    auto bytes = DiskFileSystem().ReadFile(it->path().string());
    if (!bytes.ok()) return Status::Error("cannot copy " + it->path().string());
    if (Status s = Write(fs::relative(it->path(), from_dir, ec).generic_string(), *bytes); !s.ok())
      return s;
  }
  if (ec) return Status::Error("cannot copy " + from_dir + ": " + ec.message());
  return Status::Ok();
}

Status OutputWriter::Commit(const std::function<Status()>& before_changes) {
  {
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (!first_error_.ok()) return first_error_;
  }
  if (before_changes) {
    if (Status s = before_changes(); !s.ok()) return s;
  }
  if (in_place_) return CommitInPlace();
  std::error_code ec;
  if (!fs::exists(public_dir_, ec)) {
    if (::rename(staging_dir_.c_str(), public_dir_.c_str()) != 0) {
      return Status::Error("cannot move " + staging_dir_ + " to " + public_dir_ + ": " +
                           std::strerror(errno));
    }
    committed_ = true;
    return Status::Ok();
  }
#ifdef SYS_renameat2
  constexpr unsigned kRenameExchange = 2;  // RENAME_EXCHANGE
  if (syscall(SYS_renameat2, AT_FDCWD, staging_dir_.c_str(), AT_FDCWD, public_dir_.c_str(),
              kRenameExchange) == 0) {
    committed_ = true;
    fs::remove_all(staging_dir_, ec);  // now holds the previous site
    return Status::Ok();
  }
#endif
  // Fallback: two renames; the old site stays whole until the second one.
  std::string old_dir = public_dir_ + ".old-" + std::to_string(getpid());
  if (::rename(public_dir_.c_str(), old_dir.c_str()) != 0) {
    return Status::Error("cannot replace " + public_dir_ + ": " + std::strerror(errno));
  }
  if (::rename(staging_dir_.c_str(), public_dir_.c_str()) != 0) {
    ::rename(old_dir.c_str(), public_dir_.c_str());
    return Status::Error("cannot move " + staging_dir_ + " to " + public_dir_);
  }
  committed_ = true;
  fs::remove_all(old_dir, ec);
  return Status::Ok();
}

Status OutputWriter::CommitInPlace() {
  // The journal first: a commit cut short between two renames is finished by the next build
  // (RecoverOutput), so the folder is only ever the old site or the new one. Removals come after
  // every rename, when nothing links to those pages any more.
  OrderForRenames(&written_);
  InPlaceChanges changes{staging_dir_, written_, removed_};
  if (Status s = WriteJournal(public_dir_, changes); !s.ok()) return s;
  if (Status s = ApplyInPlace(public_dir_, changes); !s.ok()) {
    return Status::Error(s.message() + " (the next build finishes the update)");
  }
  committed_ = true;
  std::error_code ec;
  fs::remove_all(staging_dir_, ec);
  return Status::Ok();
}

}  // namespace clemency
