#pragma once
// The build manifest, kept next to the output folder (`public.manifest`): a fingerprint of every
// input file and, for each output file, the key of the inputs it was rendered from. A rebuild
// with the same fingerprint does nothing; otherwise outputs whose key is unchanged are reused
// (hard-linked from the previous site) instead of rendered and written again.
#include <map>
#include <string>

#include "core/status.h"

namespace clemency {

// Size and modification time of this program's file: any new build of the program may render
// differently, so its identity is part of every saved key.
const std::string& ProgramIdentity();

class BuildManifest {
 public:
  static std::string PathFor(const std::string& out_dir);
  // An empty manifest when the file is missing or from another version.
  static BuildManifest Load(const std::string& out_dir);
  Status Save(const std::string& out_dir) const;

  // Size and modification time of every file under site/ and content/, hashed, plus the program
  // version: equal fingerprints mean nothing to rebuild.
  static std::string InputFingerprint(const std::string& source_dir);

  const std::string& fingerprint() const { return fingerprint_; }
  void set_fingerprint(std::string fingerprint) { fingerprint_ = std::move(fingerprint); }
  // The key an output was last rendered from, or "" when unknown.
  std::string KeyOf(const std::string& output) const;
  void Record(const std::string& output, const std::string& key) { keys_[output] = key; }
  size_t size() const { return keys_.size(); }
  const std::map<std::string, std::string>& keys() const { return keys_; }

 private:
  std::string fingerprint_;
  std::map<std::string, std::string> keys_;
};

}  // namespace clemency
