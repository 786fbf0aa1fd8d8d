#include "config/yaml_fields.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace clemency {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// What a value is, as a word part's argument ("a list" -> "a_list").
std::string KindArg(const YamlNode& node) {
  std::string kind = node.KindName();
  std::replace(kind.begin(), kind.end(), ' ', '_');
  return kind;
}

}  // namespace

bool ReadYamlFile(const FileSystem& fs, const std::string& path, const std::string& missing,
                  YamlNode* out, Diagnostics* diagnostics) {
  auto text = fs.ReadFile(path);
  if (!text.ok()) {
    diagnostics->Add(path, 0, "", PlainProblem(missing));
    return false;
  }
  YamlError error;
  if (!ParseYaml(*text, out, &error)) {
    diagnostics->Add(path, error.line, "", error.problem);
    return false;
  }
  return true;
}

void FieldReader::Error(int yaml_line, const std::string& field, Problem problem) {
  diagnostics_->Add(file_, yaml_line > 0 ? yaml_line + line_offset_ : 0, field, std::move(problem));
}

namespace {

// Edits (insert, delete, replace, swap of neighbours) from `a` to `b`, up to 3.
size_t EditDistance(const std::string& a, const std::string& b) {
  if (a.size() > b.size() + 3 || b.size() > a.size() + 3) return 3;
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

void FieldReader::RejectUnknown(const YamlNode& map, const std::vector<std::string>& allowed,
                                const std::string& prefix) {
  for (const auto& [key, value] : map.entries) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    // A misspelt field ("titel") is one mistake: say which field was meant, and do not report
    // that field as missing too.
    const std::string& written = key;  // clang 14 cannot capture a structured binding
    auto meant = std::find_if(allowed.begin(), allowed.end(), [&](const std::string& name) {
      return written.size() > 2 && !map.Find(name) && !explained_.count(prefix + name) &&
             EditDistance(written, name) <= 2;
    });
    if (meant != allowed.end()) {
      Error(value.line, prefix + key, {Diag::check_unknown_field_hint, {{"hint", *meant}}});
      explained_.insert(prefix + *meant);
    } else {
      Error(value.line, prefix + key, {Diag::check_unknown_field, {{"allowed", Join(allowed)}}});
    }
  }
}

const YamlNode* FieldReader::Lookup(const YamlNode& map, const std::string& key, bool required,
                                    const std::string& field) {
  const YamlNode* node = map.Find(key);
  if (node == nullptr || node->kind == YamlNode::Kind::kNull) {
    if (required && !explained_.count(field)) {
      Error(node ? node->line : map.line, field, Diag::check_required);
    }
    return nullptr;
  }
  return node;
}

std::optional<std::string> FieldReader::Text(const YamlNode& map, const std::string& key,
                                             bool required, const std::string& prefix) {
  const YamlNode* node = Lookup(map, key, required, prefix + key);
  if (!node) return std::nullopt;
  if (!node->IsScalar()) {
    Error(node->line, prefix + key, {Diag::check_type_text, {{"kind", KindArg(*node)}}});
    return std::nullopt;
  }
  if (required && node->scalar.find_first_not_of(" \t\n") == std::string::npos) {
    Error(node->line, prefix + key, Diag::check_not_empty);
    return std::nullopt;
  }
  return node->scalar;
}

std::optional<long> FieldReader::Integer(const YamlNode& map, const std::string& key, bool required,
                                         const std::string& prefix) {
  auto text = Text(map, key, required, prefix);
  if (!text) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long value = std::strtol(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || errno != 0 || map.Find(key)->quoted) {
    Error(map.Find(key)->line, prefix + key, {Diag::check_whole_number, {{"value", *text}}});
    return std::nullopt;
  }
  return value;
}

std::optional<double> FieldReader::Number(const YamlNode& map, const std::string& key,
                                          bool required, const std::string& prefix) {
  auto text = Text(map, key, required, prefix);
  if (!text) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text->c_str(), &end);
  if (text->empty() || *end != '\0' || map.Find(key)->quoted) {
    Error(map.Find(key)->line, prefix + key, {Diag::check_number, {{"value", *text}}});
    return std::nullopt;
  }
  return value;
}

std::optional<bool> FieldReader::Boolean(const YamlNode& map, const std::string& key,
                                         const std::string& prefix) {
  auto text = Text(map, key, false, prefix);
  if (!text) return std::nullopt;
  if (!map.Find(key)->quoted) {
    if (*text == "true") return true;
    if (*text == "false") return false;
  }
  Error(map.Find(key)->line, prefix + key, {Diag::check_boolean, {{"value", *text}}});
  return std::nullopt;
}

std::optional<DateTime> FieldReader::Date(const YamlNode& map, const std::string& key,
                                          bool required, int default_offset_minutes,
                                          const std::string& prefix) {
  auto text = Text(map, key, required, prefix);
  if (!text) return std::nullopt;
  auto date = ParseDateTime(*text, default_offset_minutes);
  if (!date) {
    Error(map.Find(key)->line, prefix + key, {Diag::check_date, {{"value", *text}}});
  }
  return date;
}

std::optional<std::vector<std::string>> FieldReader::TextList(const YamlNode& map,
                                                              const std::string& key, bool required,
                                                              const std::string& prefix) {
  const YamlNode* node = List(map, key, required, prefix);
  if (!node) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (size_t i = 0; i < node->items.size(); ++i) {
    const YamlNode& item = node->items[i];
    if (!item.IsScalar() || item.scalar.empty()) {
      Error(item.line, prefix + key + "[" + std::to_string(i) + "]", Diag::check_text);
      ok = false;
    } else {
      out.push_back(item.scalar);
    }
  }
  if (required && node->items.empty()) {
    Error(node->line, prefix + key, Diag::check_list);
    ok = false;
  }
  return ok ? std::optional(out) : std::nullopt;
}

std::optional<std::string> FieldReader::Choice(const YamlNode& map, const std::string& key,
                                               bool required,
                                               const std::vector<std::string>& choices,
                                               const std::string& prefix) {
  auto text = Text(map, key, required, prefix);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
    Error(map.Find(key)->line, prefix + key,
          {Diag::check_choice, {{"choices", Join(choices)}, {"value", *text}}});
    return std::nullopt;
  }
  return text;
}

const YamlNode* FieldReader::Map(const YamlNode& map, const std::string& key, bool required,
                                 const std::string& prefix) {
  const YamlNode* node = Lookup(map, key, required, prefix + key);
  if (node && !node->IsMap()) {
    Error(node->line, prefix + key, {Diag::check_type_map, {{"kind", KindArg(*node)}}});
    return nullptr;
  }
  return node;
}

const YamlNode* FieldReader::List(const YamlNode& map, const std::string& key, bool required,
                                  const std::string& prefix) {
  const YamlNode* node = Lookup(map, key, required, prefix + key);
  if (node && !node->IsSequence()) {
    Error(node->line, prefix + key, {Diag::check_type_list, {{"kind", KindArg(*node)}}});
    return nullptr;
  }
  return node;
}

}  // namespace clemency
