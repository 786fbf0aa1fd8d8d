#include "publish/media_files.h"

#include <algorithm>
#include <filesystem>

#include "config/yaml_tree.h"
#include "content/page_file.h"
#include "core/fs.h"
#include "core/site_paths.h"
#include "store/media.h"

namespace clemency {
namespace {

// The file in `source_dir`/media/ of the copy at site path `path` ("/media/<name>").
std::string FolderFile(const std::string& source_dir, const std::string& path) {
  return JoinPath(JoinPath(source_dir, kMediaExportFolder), path.substr(path.rfind('/') + 1));
}

// One image's record as library.yaml keeps it.
std::string RecordYaml(const MediaRow& row) {
  std::string out = "- path: " + YamlQuoted(row.path) + "\n  alt:\n";
  for (const auto& [lang, text] : row.alt) out += "    " + lang + ": " + YamlQuoted(text) + "\n";
  const std::pair<const char*, const std::string*> fields[] = {
      {"alt_search", &row.alt_search},         {"caption", &row.caption},
      {"credit", &row.credit},                 {"consent_basis", &row.consent_basis},
      {"consent_given_by", &row.consent_given_by}, {"uploaded_by", &row.uploaded_by},
      {"uploaded_at", &row.uploaded_at}};
  for (const auto& [name, value] : fields) out += std::string("  ") + name + ": " + YamlQuoted(*value) + "\n";
  return out;
}

// The text of field `name` of a record (a scalar), or "".
std::string Field(const YamlNode& record, const char* name) {
  const YamlNode* node = record.Find(name);
  return node && node->IsScalar() ? node->scalar : "";
}

// The record at `node` of library.yaml, or an error naming its line.
Result<MediaRow> RecordFrom(const YamlNode& node, const std::string& file) {
  auto problem = [&](const std::string& what) {
    return Status::Error(file + ":" + std::to_string(node.line) + ": " + what);
  };
  if (!node.IsMap()) return problem("an image's record is not a mapping");
  MediaRow row;
  row.path = Field(node, "path");
  std::optional<paths::MediaName> name = paths::ParseMediaFile(row.path);
  if (!name) return problem("path '" + row.path + "' is not a media file's path");
  row.hash = name->hash;
  row.width = name->width;
  row.height = name->height;
  if (const YamlNode* alt = node.Find("alt"); alt && alt->IsMap()) {
    for (const auto& [lang, text] : alt->entries) row.alt[lang] = text.scalar;
  }
  row.alt_search = Field(node, "alt_search");
  row.caption = Field(node, "caption");
  row.credit = Field(node, "credit");
  row.consent_basis = Field(node, "consent_basis");
  row.consent_given_by = Field(node, "consent_given_by");
  row.uploaded_by = Field(node, "uploaded_by");
  row.uploaded_at = Field(node, "uploaded_at");
  if (row.alt.empty() || row.consent_basis.empty()) return problem("alt or consent_basis missing");
  return row;
}

// The copies of the image named by `hash` among `paths`.
std::vector<std::string> CopiesOf(const std::set<std::string>& paths, const std::string& hash) {
  std::vector<std::string> copies;
  const std::string prefix = "/" + std::string(paths::kMediaFolder) + "/" + hash + "-";
  for (auto it = paths.lower_bound(prefix); it != paths.end() && it->rfind(prefix, 0) == 0; ++it) {
    copies.push_back(*it);
  }
  return copies;
}

// The records of `source_dir`/media/library.yaml, with the line each starts on; none when there
// is no such file.
struct Record {
  MediaRow row;
  int line = 0;
};
Result<std::vector<Record>> ReadRecords(const std::string& source_dir) {
  const std::string file = JoinPath(JoinPath(source_dir, kMediaExportFolder), kMediaRecordFile);
  DiskFileSystem disk;
  std::vector<Record> records;
  if (!disk.IsFile(file)) return records;
  auto text = disk.ReadFile(file);
  if (!text.ok()) return text.status();
  YamlNode root;
  YamlError error;
  if (!ParseYaml(*text, &root, &error)) {
    return Status::Error(file + ":" + std::to_string(error.line) + ": " + error.message);
  }
  if (!root.IsSequence()) return Status::Error(file + ": not a list of images");
  for (const YamlNode& node : root.items) {
    auto row = RecordFrom(node, file);
    if (!row.ok()) return row.status();
    records.push_back({std::move(row).value(), node.line});
  }
  return records;
}

}  // namespace

Result<std::shared_ptr<const MediaIndex>> StoredMedia(Store* store) {
  MediaRepository media(store);
  auto paths = media.FilePaths();
  if (!paths.ok()) return paths.status();
  auto people = media.PeopleBases();
  if (!people.ok()) return people.status();
  auto index = std::make_shared<MediaIndex>();
  index->files.insert(paths->begin(), paths->end());
  index->people = std::move(people).value();
  return std::shared_ptr<const MediaIndex>(std::move(index));
}

std::shared_ptr<const MediaIndex> FolderMedia(const std::string& source_dir) {
  auto found = std::make_shared<MediaIndex>();
  std::error_code ec;
  const std::string folder = JoinPath(source_dir, kMediaExportFolder);
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string path = "/" + std::string(paths::kMediaFolder) + "/" + it->path().filename().string();
    if (it->is_regular_file() && paths::ParseMediaFile(path)) found->files.insert(path);
  }
  auto records = ReadRecords(source_dir);
  if (records.ok()) {
    for (const Record& record : *records) {
      const MediaRow& row = record.row;
      if (row.consent_basis != "no-person") found->people[row.hash] = row.consent_basis;
    }
  }
  return found;
}

Result<std::map<std::string, std::string>> StoredMediaOutputs(const Site& site, Store* store) {
  std::map<std::string, std::string> files;
  MediaRepository media(store);
  for (const std::string& output : site.MediaOutputs()) {
    auto bytes = media.FileBytes("/" + output);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) return Status::Error("store: media file /" + output + " is missing");
    files[output] = std::move(**bytes);
  }
  return files;
}

Result<std::map<std::string, std::string>> FolderMediaOutputs(const Site& site,
                                                              const std::string& source_dir) {
  std::map<std::string, std::string> files;
  DiskFileSystem disk;
  for (const std::string& output : site.MediaOutputs()) {
    auto bytes = disk.ReadFile(FolderFile(source_dir, "/" + output));
    if (!bytes.ok()) return bytes.status();
    files[output] = std::move(bytes).value();
  }
  return files;
}

Status ExportMedia(Store* store, const std::string& to_dir) {
  MediaRepository media(store);
  auto rows = media.List("", 1 << 30);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status::Ok();
  auto paths = media.FilePaths();
  if (!paths.ok()) return paths.status();
  std::error_code ec;
  std::filesystem::create_directories(JoinPath(to_dir, kMediaExportFolder), ec);
  for (const std::string& path : *paths) {
    auto bytes = media.FileBytes(path);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value()) continue;
    if (Status s = WriteFileAtomically(FolderFile(to_dir, path), **bytes); !s.ok()) return s;
  }
  // Oldest first, so an import stores them in the order they were uploaded.
  std::string yaml =
      "# The media library: each image's record; its copies are the files beside this one.\n";
  for (auto it = rows->rbegin(); it != rows->rend(); ++it) yaml += RecordYaml(*it);
  return WriteFileAtomically(JoinPath(JoinPath(to_dir, kMediaExportFolder), kMediaRecordFile), yaml);
}

Status ImportMedia(const std::string& source_dir, Store* store) {
  auto records = ReadRecords(source_dir);
  if (!records.ok()) return records.status();
  const std::string file = JoinPath(JoinPath(source_dir, kMediaExportFolder), kMediaRecordFile);
  auto available = FolderMedia(source_dir);
  DiskFileSystem disk;
  MediaRepository media(store);
  for (const Record& record : *records) {
    const MediaRow& row = record.row;
    std::vector<MediaFileRow> files;
    for (const std::string& path : CopiesOf(available->files, row.hash)) {
      auto bytes = disk.ReadFile(FolderFile(source_dir, path));
      if (!bytes.ok()) return bytes.status();
      files.push_back({path, std::move(bytes).value()});
    }
    if (!available->files.count(row.path)) {
      return Status::Error(file + ":" + std::to_string(record.line) + ": " +
                           row.path + " has no file in " + JoinPath(source_dir, kMediaExportFolder));
    }
    if (auto id = media.Insert(row, files); !id.ok()) return id.status();
  }
  return Status::Ok();
}

}  // namespace clemency
