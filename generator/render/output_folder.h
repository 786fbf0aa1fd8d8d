#pragma once
// The output folder's safety rules: which folders a build may replace, one build at a time, and
// a complete site after a crash. Its siblings (`public.lock`, `public.journal`,
// `public.staging-<pid>`) live next to it.
#include <string>
#include <vector>

#include "core/status.h"

namespace clemency {

// The file every Clemency output folder holds, so a folder that is not one is never replaced.
inline constexpr char kOutputMarker[] = ".clemency-output";

// An error naming `out_dir` when a build must not write there: it is the source folder, holds
// it, lies inside its site/ or content/, is not a folder, or is a non-empty folder that is not
// a Clemency output (no marker in it and no manifest beside it).
Status CheckOutputFolder(const std::string& out_dir, const std::string& source_dir);

// An exclusive lock on the output folder (flock on its `.lock` sibling), held while alive.
class OutputLock {
 public:
  // Waits for any other build of the same output to finish.
  static Result<OutputLock> Acquire(const std::string& out_dir);
  OutputLock(OutputLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  OutputLock(const OutputLock&) = delete;
  ~OutputLock();

 private:
  explicit OutputLock(int fd) : fd_(fd) {}
  int fd_;
};

// The renames an in-place commit makes: staged files that replace live ones, live files to delete.
struct InPlaceChanges {
  std::string staging_dir;
  std::vector<std::string> written, removed;  // paths relative to the output folder
};

// Sorts `paths` into the order an in-place commit renames them: library images (media/) first,
// then deepest first (a page before the lists that link to it), and each file right before its
// ".gz" (whose old copy ApplyInPlace deletes before the file is replaced).
void OrderForRenames(std::vector<std::string>* paths);

// Records `changes` in the journal beside `out_dir` (written whole, then renamed into place), so
// that a commit cut short can be finished by RecoverOutput.
Status WriteJournal(const std::string& out_dir, const InPlaceChanges& changes);
// Moves each staged file over its live copy (one already moved is skipped; a file whose ".gz"
// changes too has its live ".gz" deleted first, so no reader finds a ".gz" of another version
// beside it), deletes the removed files and the folders they leave empty, then deletes the
// journal. Safe to repeat.
Status ApplyInPlace(const std::string& out_dir, const InPlaceChanges& changes);

// Brings `out_dir` to a complete site after a killed build: finishes an in-place commit from its
// journal, puts back a site that was moved aside, and removes the staging folders of builds that
// no longer run. REQUIRES: the OutputLock is held.
Status RecoverOutput(const std::string& out_dir);

}  // namespace clemency
