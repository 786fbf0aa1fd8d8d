#include "render/manifest.h"

#include <link.h>

#include <cstdlib>
#include <optional>
#include <string_view>

#include "core/text.h"
#include "render/output.h"

namespace clemency {

namespace {

const char kHeader[] = "clemency-manifest 2";
const char kAppendedMarker[] = "+";  // starts each appended batch, with its build's schedule

// "<built_at> <next or ->": a build's schedule as the file holds it.
std::string ScheduleText(const BuildSchedule& schedule) {
  return std::to_string(schedule.built_at) + " " +
         (schedule.next ? std::to_string(*schedule.next) : std::string("-"));
}

std::optional<BuildSchedule> ParseSchedule(std::string_view text) {
  const size_t space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  BuildSchedule schedule;
  std::string built(text.substr(0, space)), next(text.substr(space + 1));
  char* end = nullptr;
  schedule.built_at = std::strtoll(built.c_str(), &end, 10);
  if (built.empty() || *end != '\0') return std::nullopt;
  if (next == "-") return schedule;
  schedule.next = std::strtoll(next.c_str(), &end, 10);
  if (next.empty() || *end != '\0') return std::nullopt;
  return schedule;
}

// One "output\tkey\n" line per change, as the file holds them.
std::string KeyLines(const std::vector<std::pair<std::string, std::string>>& changes) {
  std::string text;
  for (const auto& [output, key] : changes) {
    text.append(output).append(1, '\t').append(key).append(1, '\n');
  }
  return text;
}

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
  std::optional<BuildSchedule> schedule;
  if (!next_line(&line) || !(schedule = ParseSchedule(line))) return BuildManifest();
  manifest.schedule_ = *schedule;
  // Appended lines (Append) follow the whole file's and replace its keys; an empty key removes.
  const std::string marker = std::string(kAppendedMarker) + " ";
  bool appended = false;
  while (next_line(&line)) {
    if (line.rfind(marker, 0) == 0) {
      if (!appended) manifest.base_bytes_ = manifest.text_->size() - rest.size();
      if (!(schedule = ParseSchedule(line.substr(marker.size())))) return BuildManifest();
      manifest.schedule_ = *schedule;
      appended = true;
      continue;
    }
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return BuildManifest();
    std::string_view output = line.substr(0, tab), key = line.substr(tab + 1);
    if (key.empty()) {
      manifest.keys_.erase(output);
    } else {
      manifest.keys_.insert_or_assign(output, key);
    }
  }
  if (!appended) manifest.base_bytes_ = manifest.text_->size();
  manifest.appended_bytes_ = manifest.text_->size() - manifest.base_bytes_;
  return rest.empty() ? manifest : BuildManifest();
}

Status BuildManifest::Save(const std::string& out_dir, const std::string& fingerprint,
                           const BuildSchedule& schedule,
                           const std::vector<std::pair<std::string_view, std::string_view>>& keys) {
  std::string text = std::string(kHeader) + "\t" + ProgramIdentity() + "\n" + fingerprint + "\n" +
                     ScheduleText(schedule) + "\n";
  text.reserve(text.size() + keys.size() * 64);
  for (const auto& [output, key] : keys) {
    text.append(output).append(1, '\t').append(key).append(1, '\n');
  }
  return WriteFileAtomically(PathFor(out_dir), text);
}

Status BuildManifest::Append(const std::string& out_dir, const BuildSchedule& schedule,
                             const std::vector<std::pair<std::string, std::string>>& changes) {
  return AppendToFile(PathFor(out_dir), std::string(kAppendedMarker) + " " +
                                            ScheduleText(schedule) + "\n" + KeyLines(changes));
}

void BuildManifest::Update(const std::vector<std::pair<std::string, std::string>>& changes) {
  auto owned = std::make_shared<const std::string>(KeyLines(changes));
  std::string_view rest = *owned;
  for (const auto& [output, key] : changes) {
    std::string_view view_output = rest.substr(0, output.size());
    std::string_view view_key = rest.substr(output.size() + 1, key.size());
    rest.remove_prefix(output.size() + key.size() + 2);
    if (key.empty()) {
      keys_.erase(view_output);
    } else {
      keys_.insert_or_assign(view_output, view_key);
    }
  }
  appended_bytes_ += owned->size() + 2;
  updates_.push_back(std::move(owned));
}

std::string_view BuildManifest::KeyOf(std::string_view output) const {
  auto it = keys_.find(output);
  return it == keys_.end() ? std::string_view() : it->second;
}

std::string BuildManifest::InputFingerprint(const SnapshotFileSystem& files) {
  return HashHex(ProgramIdentity() + "\n" + files.Listing());
}

}  // namespace clemency
