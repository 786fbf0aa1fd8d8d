#pragma once
// Typed reading of YAML mappings with precise diagnostics (`file:line: field: message`).
// Shared by site/config.yaml, front matter and i18n catalogs.
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/yaml_tree.h"
#include "core/datetime.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency {

// Reads and parses the YAML file at `path`; on failure reports `missing` (file unreadable) or the
// syntax error with its line, and returns false.
bool ReadYamlFile(const FileSystem& fs, const std::string& path, const std::string& missing,
                  YamlNode* out, Diagnostics* diagnostics);

class FieldReader {
 public:
  // `line_offset` is added to YAML line numbers (front matter starts after the `---` line).
  FieldReader(std::string file, Diagnostics* diagnostics, int line_offset = 0)
      : file_(std::move(file)), diagnostics_(diagnostics), line_offset_(line_offset) {}

  // Reports every key of `map` that is not in `allowed`, naming the field (with `prefix.`).
  void RejectUnknown(const YamlNode& map, const std::vector<std::string>& allowed,
                     const std::string& prefix = "");
  std::optional<std::string> Text(const YamlNode& map, const std::string& key, bool required,
                                  const std::string& prefix = "");
  std::optional<long> Integer(const YamlNode& map, const std::string& key, bool required,
                              const std::string& prefix = "");
  std::optional<double> Number(const YamlNode& map, const std::string& key, bool required,
                               const std::string& prefix = "");
  std::optional<bool> Boolean(const YamlNode& map, const std::string& key,
                              const std::string& prefix = "");
  std::optional<DateTime> Date(const YamlNode& map, const std::string& key, bool required,
                               int default_offset_minutes, const std::string& prefix = "");
  std::optional<std::vector<std::string>> TextList(const YamlNode& map, const std::string& key,
                                                   bool required, const std::string& prefix = "");
  // Text limited to `choices`.
  std::optional<std::string> Choice(const YamlNode& map, const std::string& key, bool required,
                                    const std::vector<std::string>& choices,
                                    const std::string& prefix = "");
  // The mapping under `key`, or null (with an error when required or of the wrong kind).
  const YamlNode* Map(const YamlNode& map, const std::string& key, bool required,
                      const std::string& prefix = "");
  const YamlNode* List(const YamlNode& map, const std::string& key, bool required,
                       const std::string& prefix = "");

  // Reports `problem` at the YAML line `yaml_line` (0: none) in `field`.
  void Error(int yaml_line, const std::string& field, Problem problem);
  int Line(const YamlNode& node) const { return node.line + line_offset_; }
  const std::string& file() const { return file_; }

 private:
  const YamlNode* Lookup(const YamlNode& map, const std::string& key, bool required,
                         const std::string& field);
  std::string file_;
  Diagnostics* diagnostics_;
  int line_offset_;
  std::set<std::string> explained_;  // required fields a reported misspelling stands for
};

}  // namespace clemency
