#include "render/output.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/fs.h"
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
  if (Status s = WriteFileAtomically(staging + "/" + kOutputMarker,
                                     "A Clemency output folder: a build may replace all of it.\n");
      !s.ok()) {
    return s;
  }
  return writer;
}

OutputWriter::~OutputWriter() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_dir_, ec);
  }
}

namespace {

// Writes `bytes` to a new file at `path`, creating its folder when missing; 0 or the errno of
// the failure. An existing file is unlinked first, never written through: it may be a hard link
// into the live site (Reuse).
int WriteNewFile(const std::string& path, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (fd < 0 && errno == EEXIST) {
    ::unlink(path.c_str());
    fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (fd < 0) return errno;
  int error = WriteAll(fd, bytes) ? 0 : errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  return error;
}

// True when the file at `path` holds exactly `bytes`.
bool FileHolds(const std::string& path, const std::string& bytes) {
  auto text = DiskFileSystem().ReadFile(path);
  return text.ok() && *text == bytes;
}

}  // namespace

Status OutputWriter::Write(const std::string& relative_path, const std::string& bytes) {
  if (!IsSafeRelativePath(relative_path)) {
    return Status::Error("refusing to write outside the output folder: " + relative_path);
  }
  // In place, a file whose bytes are already live is left alone (its date and ETag stay).
  if (in_place_ && FileHolds(public_dir_ + "/" + relative_path, bytes)) {
    ++files_reused_;
    return Status::Ok();
  }
  std::string path = staging_dir_ + "/" + relative_path;
  if (int failure = WriteNewFile(path, bytes); failure != 0) {
    Status error = Status::Error("cannot write " + path + ": " + std::strerror(failure));
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

void OutputWriter::Remove(const std::string& relative_path) {
  if (!IsSafeRelativePath(relative_path)) return;
  std::lock_guard<std::mutex> lock(error_mutex_);
  removed_.push_back(relative_path);
}

bool OutputWriter::Reuse(const std::string& relative_path) {
  if (!IsSafeRelativePath(relative_path)) return false;
  fs::path target = fs::path(staging_dir_) / relative_path;
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (::link((fs::path(public_dir_) / relative_path).c_str(), target.c_str()) != 0) return false;
  ++files_reused_;
  return true;
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
  // (RecoverOutput), so the folder is only ever the old site or the new one.
  // Deepest files first: a page goes live before the section list, feeds, home page and sitemap
  // that link to it (they sit higher in the folder), so no reader follows a link to a page not
  // live yet. Removals come after every rename, when nothing links to those pages any more.
  std::stable_sort(written_.begin(), written_.end(), [](const std::string& a, const std::string& b) {
    return std::count(a.begin(), a.end(), '/') > std::count(b.begin(), b.end(), '/');
  });
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
