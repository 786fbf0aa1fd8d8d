#include "build/output.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

Result<std::unique_ptr<OutputWriter>> OutputWriter::Create(const std::string& public_dir) {
  fs::path target = OutputFolder(public_dir);
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  std::string staging = target.string() + ".staging-" + std::to_string(getpid());
  fs::remove_all(staging, ec);
  if (!fs::create_directories(staging, ec) || ec) {
    return Status::Error("cannot create staging folder " + staging + ": " + ec.message());
  }
  return std::unique_ptr<OutputWriter>(new OutputWriter(target.string(), staging));
}

OutputWriter::~OutputWriter() {
  if (!committed_) {
    std::error_code ec;
    fs::remove_all(staging_dir_, ec);
  }
}

Status OutputWriter::Write(const std::string& relative_path, const std::string& bytes) {
  if (!IsSafeRelativePath(relative_path)) {
    return Status::Error("refusing to write outside the output folder: " + relative_path);
  }
  fs::path path = fs::path(staging_dir_) / relative_path;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  // The path may be a hard link into the live site (Reuse): unlink it, never write through it.
  ::unlink(path.c_str());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    Status error = Status::Error("cannot write " + path.string());
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (first_error_.ok()) first_error_ = error;
    return error;
  }
  ++files_written_;
  bytes_written_ += bytes.size();
  return Status::Ok();
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
    fs::path relative = fs::relative(it->path(), from_dir, ec);
    fs::path target = fs::path(staging_dir_) / relative;
    fs::create_directories(target.parent_path(), ec);
    if (!fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing, ec)) {
      return Status::Error("cannot copy " + it->path().string() + ": " + ec.message());
    }
    ++files_written_;
    bytes_written_ += fs::file_size(target, ec);
  }
  if (ec) return Status::Error("cannot copy " + from_dir + ": " + ec.message());
  return Status::Ok();
}

Status OutputWriter::Commit() {
  {
    std::lock_guard<std::mutex> lock(error_mutex_);
    if (!first_error_.ok()) return first_error_;
  }
  std::error_code ec;
  if (!fs::exists(public_dir_, ec)) {
    if (::rename(staging_dir_.c_str(), public_dir_.c_str()) != 0) {
      return Status::Error("cannot move " + staging_dir_ + " to " + public_dir_);
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
    return Status::Error("cannot replace " + public_dir_);
  }
  if (::rename(staging_dir_.c_str(), public_dir_.c_str()) != 0) {
    ::rename(old_dir.c_str(), public_dir_.c_str());
    return Status::Error("cannot move " + staging_dir_ + " to " + public_dir_);
  }
  committed_ = true;
  fs::remove_all(old_dir, ec);
  return Status::Ok();
}

}  // namespace clemency
