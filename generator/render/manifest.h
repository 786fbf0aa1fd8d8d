#pragma once
// The build manifest, kept next to the output folder (`public.manifest`): a fingerprint of every
// input file and, for each output file, the key of the inputs it was rendered from. A rebuild
// with the same fingerprint does nothing; otherwise outputs whose key is unchanged are reused
// (hard-linked from the previous site) instead of rendered and written again.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/fs.h"
#include "core/status.h"

namespace clemency {

// The file stamps (size, inode, times) of this program and of the shared libraries it loaded: a
// new build of the program or an upgraded library may render differently, so this identity is part
// of every saved key and of the page cache.
const std::string& ProgramIdentity();

// The time a build showed its site at (Site::now()) and when its first scheduled page goes
// live: until then, unchanged inputs give the same site.
struct BuildSchedule {
  int64_t built_at = 0;
  std::optional<int64_t> next;
};

class BuildManifest {
 public:
  static std::string PathFor(const std::string& out_dir);
  // An empty manifest when the file is missing or from another version.
  static BuildManifest Load(const std::string& out_dir);
  // Writes the manifest of a build: its input fingerprint, schedule and each output's key.
  static Status Save(const std::string& out_dir, const std::string& fingerprint,
                     const BuildSchedule& schedule,
                     const std::vector<std::pair<std::string_view, std::string_view>>& keys);

  // Appends changed keys to the saved manifest of `out_dir` (an empty key: the output is gone),
  // so a small in-place update does not rewrite the keys of every output. Call after the output
  // folder changed: keys saved too late only make the next build render those outputs again.
  static Status Append(const std::string& out_dir, const BuildSchedule& schedule,
                       const std::vector<std::pair<std::string, std::string>>& changes);
  // The same changes applied to this manifest in memory.
  void Update(const std::vector<std::pair<std::string, std::string>>& changes);
  // Bytes appended since the file was last written whole (a build then writes it anew).
  size_t appended_bytes() const { return appended_bytes_; }

  // The stamps of every file under site/ and content/ (`files` was made with those two roots),
  // hashed, plus the program's identity: equal fingerprints mean nothing to rebuild.
  static std::string InputFingerprint(const SnapshotFileSystem& files);

  const std::string& fingerprint() const { return fingerprint_; }
  // Of the build that last wrote or appended to the file (Update leaves it).
  const BuildSchedule& schedule() const { return schedule_; }
  // Nothing to build: the inputs have `fingerprint` and no scheduled page went live by `now`.
  bool UpToDate(const std::string& fingerprint, int64_t now) const {
    return !fingerprint_.empty() && fingerprint_ == fingerprint &&
           !(schedule_.next && *schedule_.next <= now);
  }
  // The key an output was last rendered from, or "" when unknown.
  std::string_view KeyOf(std::string_view output) const;
  size_t size() const { return keys_.size(); }
  size_t base_bytes() const { return base_bytes_; }
  const std::unordered_map<std::string_view, std::string_view>& keys() const { return keys_; }

 private:
  std::string fingerprint_;
  BuildSchedule schedule_;
  std::shared_ptr<const std::string> text_;  // the file as read; keys_ points into it
  std::vector<std::shared_ptr<const std::string>> updates_;  // keys_ points into them too
  std::unordered_map<std::string_view, std::string_view> keys_;
  size_t base_bytes_ = 0, appended_bytes_ = 0;
};

}  // namespace clemency
