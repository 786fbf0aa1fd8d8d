#include "build/manifest.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "build/output.h"
#include "core/text.h"

namespace clemency {
namespace fs = std::filesystem;

namespace {

const char kHeader[] = "clemency-manifest 1";

}  // namespace

const std::string& ProgramIdentity() {
  static const std::string identity = [] {
    struct stat info;
    if (stat("/proc/self/exe", &info) != 0) return std::string("unknown");
    return std::to_string(info.st_size) + "." + std::to_string(info.st_mtim.tv_sec) + "." +
           std::to_string(info.st_mtim.tv_nsec);
  }();
  return identity;
}

std::string BuildManifest::PathFor(const std::string& out_dir) {
  return OutputFolder(out_dir) + ".manifest";
}

BuildManifest BuildManifest::Load(const std::string& out_dir) {
  BuildManifest manifest;
  std::ifstream in(PathFor(out_dir));
  std::string line;
  if (!std::getline(in, line) || line != std::string(kHeader) + "\t" + ProgramIdentity())
    return manifest;
  if (!std::getline(in, manifest.fingerprint_)) return BuildManifest();
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) return BuildManifest();
    manifest.keys_.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return manifest;
}

Status BuildManifest::Save(const std::string& out_dir) const {
  std::string path = PathFor(out_dir);
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << kHeader << '\t' << ProgramIdentity() << '\n' << fingerprint_ << '\n';
    for (const auto& [output, key] : keys_) out << output << '\t' << key << '\n';
    if (!out) return Status::Error("cannot write " + temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) return Status::Error("cannot write " + path);
  return Status::Ok();
}

std::string BuildManifest::KeyOf(const std::string& output) const {
  auto it = keys_.find(output);
  return it == keys_.end() ? "" : it->second;
}

std::string BuildManifest::InputFingerprint(const std::string& source_dir) {
  std::vector<std::string> entries;
  for (const char* folder : {"site", "content"}) {
    std::error_code ec;
    fs::path root = fs::path(source_dir) / folder;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      struct stat info;
      if (stat(it->path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
      entries.push_back(it->path().string() + "\t" + std::to_string(info.st_size) + "\t" +
                        std::to_string(info.st_mtim.tv_sec) + "." +
                        std::to_string(info.st_mtim.tv_nsec));
    }
  }
  std::sort(entries.begin(), entries.end());
  std::string all = ProgramIdentity();
  for (const auto& entry : entries) all += "\n" + entry;
  return std::to_string(entries.size()) + ":" + HashHex(all);
}

}  // namespace clemency
