#include "render/output_folder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <set>
#include <string_view>

#include "core/fs.h"
#include "core/site_paths.h"
#include "render/output.h"

namespace clemency {
namespace fs = std::filesystem;
namespace {

constexpr char kJournalHeader[] = "clemency-journal 1";

std::string JournalPath(const std::string& out_dir) { return OutputFolder(out_dir) + ".journal"; }

// True when `path` is `folder` or lies inside it (both absolute and normal).
bool Within(const fs::path& path, const fs::path& folder) {
  fs::path relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

fs::path Resolved(const std::string& path) {
  std::error_code ec;
  fs::path resolved = fs::weakly_canonical(fs::absolute(path), ec);
  return ec ? fs::absolute(path).lexically_normal() : resolved;
}

// The process id in a sibling's name `<output>.<kind>-<pid>`, or 0 when the name is not one.
pid_t SiblingPid(const std::string& name, const std::string& prefix) {
  if (name.rfind(prefix, 0) != 0 || name.size() == prefix.size()) return 0;
  std::string digits = name.substr(prefix.size());
  if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return static_cast<pid_t>(std::stol(digits));
}

bool Running(pid_t pid) { return pid == ::getpid() || ::kill(pid, 0) == 0 || errno == EPERM; }

Status Moved(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::create_directories(fs::path(to).parent_path(), ec);
  if (::rename(from.c_str(), to.c_str()) == 0) return Status::Ok();
  return Status::Error("cannot move " + from + " to " + to + ": " + std::strerror(errno));
}

void RemoveWithEmptyFolders(const fs::path& out, const std::string& relative) {
  std::error_code ec;
  fs::path live = out / relative;
  fs::remove(live, ec);
  // Folders left empty (a removed page's own folder) go too; a non-empty one stops the walk.
  for (fs::path dir = live.parent_path(); dir != out; dir = dir.parent_path()) {
    if (!fs::is_empty(dir, ec) || ec || !fs::remove(dir, ec)) break;
  }
}

// The live ".gz" of every file this commit replaces whose ".gz" it also replaces or removes:
// deleted just before that file is renamed, so that nginx's gzip_static, finding no ".gz" until
// the new one lands, compresses the file itself. On disk the old ".gz" never sits beside the new
// file (nor the new ".gz" beside the old file). Returns the live paths to delete, by file.
std::set<std::string> GzipsToClear(const InPlaceChanges& changes) {
  std::set<std::string> gz;
  for (const auto* list : {&changes.written, &changes.removed}) {
    for (const auto& relative : *list) {
      if (relative.ends_with(".gz")) gz.insert(relative);
    }
  }
  std::set<std::string> clear;
  for (const auto& relative : changes.written) {
    if (!relative.ends_with(".gz") && gz.contains(relative + ".gz")) clear.insert(relative);
  }
  return clear;
}

Result<InPlaceChanges> ReadJournal(const std::string& out_dir, const std::string& text) {
  InPlaceChanges changes;
  size_t start = 0, line = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string entry = text.substr(start, end - start);
    start = end + 1;
    if (++line == 1) {
      if (entry != kJournalHeader) return Status::Error(JournalPath(out_dir) + ": not a journal");
    } else if (line == 2) {
      if (!SiblingPid(entry, fs::path(OutputFolder(out_dir)).filename().string() + ".staging-"))
        return Status::Error(JournalPath(out_dir) + ":2: not a staging folder");
      changes.staging_dir = (fs::path(OutputFolder(out_dir)).parent_path() / entry).string();
    } else if (entry.size() > 2 && IsSafeRelativePath(entry.substr(2)) &&
               (entry[0] == 'W' || entry[0] == 'R') && entry[1] == '\t') {
      (entry[0] == 'W' ? changes.written : changes.removed).push_back(entry.substr(2));
    } else {
      return Status::Error(JournalPath(out_dir) + ":" + std::to_string(line) + ": bad entry");
    }
  }
  return changes;
}

Status RollForwardJournal(const std::string& out_dir) {
  const std::string path = JournalPath(out_dir);
  auto text = DiskFileSystem().ReadFile(path);
  if (!text.ok()) return Status::Ok();  // no commit was cut short
  auto changes = ReadJournal(out_dir, *text);
  if (!changes.ok()) return changes.status();
  std::fprintf(stderr, "clemency: finishing an update of %s that was cut short (%zu files)\n",
               OutputFolder(out_dir).c_str(), changes->written.size() + changes->removed.size());
  if (Status s = ApplyInPlace(out_dir, *changes); !s.ok()) return s;
  std::error_code ec;
  fs::remove_all(changes->staging_dir, ec);
  return Status::Ok();
}

// A build whose exchange fallback moved the site aside and was killed before moving the new one
// in leaves no output folder: the old site goes back.
void RestoreMovedAside(const std::string& out_dir, const std::string& name,
                       const fs::path& parent) {
  std::error_code ec;
  if (fs::exists(out_dir, ec)) return;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    pid_t pid = SiblingPid(entry.path().filename().string(), name + ".old-");
    if (pid && !Running(pid) && ::rename(entry.path().c_str(), out_dir.c_str()) == 0) return;
  }
}

void RemoveStaleSiblings(const std::string& name, const fs::path& parent) {
  std::error_code ec;
  std::vector<fs::path> stale;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    std::string sibling = entry.path().filename().string();
    pid_t pid = SiblingPid(sibling, name + ".staging-");
    if (!pid) pid = SiblingPid(sibling, name + ".old-");
    if (pid && !Running(pid)) stale.push_back(entry.path());
  }
  for (const auto& path : stale) fs::remove_all(path, ec);
}

}  // namespace

Status CheckOutputFolder(const std::string& out_dir, const std::string& source_dir) {
  const fs::path out = Resolved(out_dir), source = Resolved(source_dir);
  auto refuse = [&out_dir](const std::string& why) {
    return Status::Error("--out " + out_dir + ": " + why + "; choose another output folder");
  };
  if (out == source) return refuse("is the source folder");
  if (Within(source, out)) return refuse("holds the source folder");
  for (const char* part : {"site", "content"}) {
    if (Within(out, source / part)) return refuse(std::string("lies inside ") + part + "/");
  }
  std::error_code ec;
  fs::file_status status = fs::status(out, ec);
  if (!fs::exists(status)) return Status::Ok();
  if (!fs::is_directory(status)) return refuse("exists and is not a folder");
  if (fs::is_empty(out, ec) || fs::exists(out / kOutputMarker, ec) ||
      fs::exists(OutputFolder(out.string()) + ".manifest", ec)) {
    return Status::Ok();
  }
  return refuse(std::string("exists and is not a Clemency output (it has no ") + kOutputMarker +
                " file), so it is not replaced");
}

Result<OutputLock> OutputLock::Acquire(const std::string& out_dir) {
  std::string path = OutputFolder(out_dir) + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Error("cannot open " + path + ": " + std::strerror(errno));
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int error = errno;
    ::close(fd);
    return Status::Error("cannot lock " + path + ": " + std::strerror(error));
  }
  return OutputLock(fd);
}

OutputLock::~OutputLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

void OrderForRenames(std::vector<std::string>* paths) {
  // Library images rank deepest of all: they link to nothing, and the pages that show them follow.
  const std::string media = std::string(paths::kMediaFolder) + "/";
  auto depth = [&media](const std::string& path) -> std::ptrdiff_t {
    if (path.rfind(media, 0) == 0) return PTRDIFF_MAX;
    return std::count(path.begin(), path.end(), '/');
  };
  auto base = [](const std::string& path) {
    return std::string_view(path).substr(0, path.ends_with(".gz") ? path.size() - 3 : path.size());
  };
  std::sort(paths->begin(), paths->end(), [&](const std::string& a, const std::string& b) {
    if (depth(a) != depth(b)) return depth(a) > depth(b);
    if (base(a) != base(b)) return base(a) < base(b);
    return a < b;
  });
}

Status WriteJournal(const std::string& out_dir, const InPlaceChanges& changes) {
  std::string text =
      std::string(kJournalHeader) + "\n" + fs::path(changes.staging_dir).filename().string() + "\n";
  for (const auto& relative : changes.written) text += "W\t" + relative + "\n";
  for (const auto& relative : changes.removed) text += "R\t" + relative + "\n";
  return WriteFileAtomically(JournalPath(out_dir), text);
}

Status ApplyInPlace(const std::string& out_dir, const InPlaceChanges& changes) {
  const fs::path out = OutputFolder(out_dir);
  std::error_code ec;
  const std::set<std::string> clear_gzip = GzipsToClear(changes);
  for (const auto& relative : changes.written) {
    std::string staged = changes.staging_dir + "/" + relative;
    if (!fs::exists(fs::symlink_status(staged, ec))) continue;  // moved before the cut
    std::string live_gzip = (out / relative).string() + ".gz";
    if (clear_gzip.contains(relative) && ::unlink(live_gzip.c_str()) != 0 && errno != ENOENT) {
      return Status::Error("cannot remove " + live_gzip + ": " + std::strerror(errno));
    }
    if (Status s = Moved(staged, (out / relative).string()); !s.ok()) return s;
  }
  for (const auto& relative : changes.removed) RemoveWithEmptyFolders(out, relative);
  std::string marker = changes.staging_dir + "/" + kOutputMarker;
  if (!fs::exists(out / kOutputMarker, ec) && fs::exists(marker, ec)) {
    if (Status s = Moved(marker, (out / kOutputMarker).string()); !s.ok()) return s;
  }
  if (::unlink(JournalPath(out_dir).c_str()) != 0 && errno != ENOENT) {
    return Status::Error("cannot remove " + JournalPath(out_dir) + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Status RecoverOutput(const std::string& out_dir) {
  const fs::path out = OutputFolder(out_dir);
  const std::string name = out.filename().string();
  if (Status s = RollForwardJournal(out_dir); !s.ok()) return s;
  RestoreMovedAside(out.string(), name, out.parent_path());
  RemoveStaleSiblings(name, out.parent_path());
  return Status::Ok();
}

}  // namespace clemency
