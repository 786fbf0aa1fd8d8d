#pragma once
// All build output goes through one writer into a staging folder, which then replaces the
// public folder in one atomic step, so readers never see a half-built site.
// A small rebuild can instead update the public folder in place: every changed file is still
// rendered into the staging folder first (a failed build changes nothing), the list of renames is
// written to a journal, then each file replaces its old copy with an atomic rename, and files
// whose bytes did not change are left alone (their dates and ETags stay). A build killed among
// the renames is finished from the journal by the next one, before anything else.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "render/output_folder.h"

namespace clemency {

class OutputWriter {
 public:
  // Checks that `public_dir` may be written for the site in `source_dir` (CheckOutputFolder),
  // locks it, brings it to a complete site after a killed build (RecoverOutput), and creates a
  // fresh staging folder next to it.
  static Result<std::unique_ptr<OutputWriter>> Create(const std::string& public_dir,
                                                      const std::string& source_dir);
  ~OutputWriter();  // removes the staging folder unless Commit() succeeded
  // Commit() will update the public folder in place rather than replace it (see above). Outputs
  // not written are then the public folder's current files, so Reuse() is not needed.
  void UpdateInPlace() { in_place_ = true; }
  // Every file written (or reused) that nginx's gzip_static may serve compressed (NeedsGzip) gets
  // a ".gz" beside it, made from its bytes; without it, a ".gz" left by an earlier build is
  // removed with its file's change, so a stale one never outlives the file it was made from.
  void Precompress(bool on) { precompress_ = on; }
  bool in_place() const { return in_place_; }
  // In place only: `relative_path` is no longer an output; Commit() deletes it.
  void Remove(const std::string& relative_path);
  // Creates, in the staging folder, the folder of every path of `relative_paths` (each once,
  // parents before children, on up to `threads` threads), so writes open their files without
  // looking for folders first. Call before the writers start; unsafe paths are skipped.
  void PrepareFolders(const std::vector<std::string_view>& relative_paths, int threads);
  // Thread-safe. `relative_path` must not escape the output (no "..", no leading '/').
  Status Write(const std::string& relative_path, const std::string& bytes);
  Status CopyTree(const std::string& from_dir);
  // Thread-safe. Hard-links `relative_path` of the current public folder into the staging folder,
  // so an unchanged output costs no rendering and no bytes. False when it cannot.
  bool Reuse(const std::string& relative_path);
  size_t files_reused() const { return files_reused_; }
  // Swaps the staging folder into `public_dir` atomically (renameat2 RENAME_EXCHANGE where the
  // file system supports it) and removes the previous site; in place, renames each changed file.
  // `before_changes` runs just before the public folder is first touched.
  Status Commit(const std::function<Status()>& before_changes = nullptr);
  // Files written (in place: only those whose bytes changed).
  size_t files_written() const { return files_written_; }
  uint64_t bytes_written() const { return bytes_written_; }
  const std::string& staging_dir() const { return staging_dir_; }

 private:
  OutputWriter(std::string public_dir, std::string staging_dir, OutputLock lock)
      : public_dir_(std::move(public_dir)),
        staging_dir_(std::move(staging_dir)),
        lock_(std::move(lock)) {}
  // Writes `bytes` to the new file `relative_path` of the staging folder; 0 or the errno.
  int WriteNewFile(const std::string& relative_path, const std::string& bytes) const;
  // WriteNewFile, then counts the file (and lists it, in place); the first failure is kept.
  Status WriteCounted(const std::string& relative_path, const std::string& bytes);
  std::string public_dir_, staging_dir_;
  int staging_fd_ = -1;  // the staging folder, open: files are opened relative to it
  OutputLock lock_;
  std::atomic<size_t> files_written_{0};
  std::atomic<size_t> files_reused_{0};
  std::atomic<uint64_t> bytes_written_{0};
  Status CommitInPlace();
  // The ".gz" beside `relative_path` for these bytes: written, left alone when equal, or
  // removed (in place) when none is due.
  Status SyncCompressed(const std::string& relative_path, const std::string& bytes);
  bool committed_ = false;
  bool precompress_ = false;
  bool in_place_ = false;
  Status first_error_;
  std::mutex error_mutex_;                      // guards first_error_, written_, removed_
  std::vector<std::string> written_, removed_;  // in place: relative paths
};

// `dir` made absolute and normal, without a trailing slash: the output folder, whose siblings are
// the staging folder and the manifest.
std::string OutputFolder(const std::string& dir);

// True for an output a ".gz" is written beside when precompressing: HTML, CSS, JS, XML (feeds,
// sitemaps), JSON, SVG and text files of at least kMinGzipBytes.
bool NeedsGzip(const std::string& relative_path, size_t size);
constexpr size_t kMinGzipBytes = 1024;

// True for a relative path with no empty, "." or ".." parts and no NUL or backslash.
bool IsSafeRelativePath(const std::string& path);

}  // namespace clemency
