#include "render/manifest.h"

#include <link.h>

#include <string_view>

#include "core/text.h"
#include "render/output.h"

namespace clemency {

namespace {

const char kHeader[] = "clemency-manifest 1";

}  // namespace

const std::string& ProgramIdentity() {
  // The program's file and every shared library it loaded (ICU, md4c, libyaml…): an upgraded
  // library may segment, sort or render differently, which saved keys and cached pages must see.
  static const std::string identity = [] {
    std::string out = DiskFileSystem().Stamp("/proc/self/exe");
    dl_iterate_phdr(
        [](struct dl_phdr_info* info, size_t, void* data) {
          if (info->dlpi_name && info->dlpi_name[0] == '/') {
            *static_cast<std::string*>(data) += "," + DiskFileSystem().Stamp(info->dlpi_name);
          }
          return 0;
        },
        &out);
    return HashHex(out);
  }();
  return identity;
}

std::string BuildManifest::PathFor(const std::string& out_dir) {
  return OutputFolder(out_dir) + ".manifest";
}

BuildManifest BuildManifest::Load(const std::string& out_dir) {
  BuildManifest manifest;
  auto text = DiskFileSystem().ReadFile(PathFor(out_dir));
  if (!text.ok()) return manifest;
  manifest.text_ = std::make_shared<const std::string>(std::move(text).value());
  std::string_view rest = *manifest.text_;
  auto next_line = [&rest](std::string_view* line) {
    size_t end = rest.find('\n');
    if (end == std::string_view::npos) return false;
    *line = rest.substr(0, end);
    rest.remove_prefix(end + 1);
    return true;
  };
  std::string_view line;
  if (!next_line(&line) || line != std::string(kHeader) + "\t" + ProgramIdentity()) return manifest;
  if (!next_line(&line)) return BuildManifest();
  manifest.fingerprint_ = std::string(line);
  while (next_line(&line)) {
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return BuildManifest();
    manifest.keys_.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return rest.empty() ? manifest : BuildManifest();
}

Status BuildManifest::Save(const std::string& out_dir, const std::string& fingerprint,
                           const std::vector<std::pair<std::string_view, std::string_view>>& keys) {
  std::string text = std::string(kHeader) + "\t" + ProgramIdentity() + "\n" + fingerprint + "\n";
  text.reserve(text.size() + keys.size() * 64);
  for (const auto& [output, key] : keys) {
    text.append(output).append(1, '\t').append(key).append(1, '\n');
  }
  return WriteFileAtomically(PathFor(out_dir), text);
}

std::string_view BuildManifest::KeyOf(std::string_view output) const {
  auto it = keys_.find(output);
  return it == keys_.end() ? std::string_view() : it->second;
}

std::string BuildManifest::InputFingerprint(const SnapshotFileSystem& files) {
  return HashHex(ProgramIdentity() + "\n" + files.Listing());
}

}  // namespace clemency
