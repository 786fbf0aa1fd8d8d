#include "admin/page_form.h"

#include <cstdio>

#include "config/yaml_tree.h"

namespace clemency {
namespace {

struct Line {
  std::string text;  // without its "\n"
  size_t end = 0;    // offset just past its "\n" (or the text's end)
};

std::vector<Line> SplitLines(const std::string& text) {
  std::vector<Line> lines;
  size_t at = 0;
  while (at < text.size()) {
    size_t newline = text.find('\n', at);
    size_t end = newline == std::string::npos ? text.size() : newline + 1;
    std::string line = text.substr(at, (newline == std::string::npos ? text.size() : newline) - at);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back({std::move(line), end});
    at = end;
  }
  return lines;
}

// A top-level field starts at column 0; indented lines, list items and blank lines continue it.
bool StartsField(const std::string& line) {
  return !line.empty() && line[0] != ' ' && line[0] != '\t' && line[0] != '-' && line[0] != '#';
}

std::string FieldName(const std::string& line) { return line.substr(0, line.find(':')); }

// The field's value when `yaml` (its lines) is `name: <text>`.
std::optional<std::string> TextValue(const std::string& yaml, const std::string& name) {
  YamlNode root;
  YamlError error;
  if (!ParseYaml(yaml, &root, &error) || !root.IsMap()) return std::nullopt;
  const YamlNode* value = root.Find(name);
  if (!value || !value->IsScalar()) return std::nullopt;
  return value->scalar;
}

}  // namespace

std::string NormalizeNewlines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
  }
  return out;
}

std::string YamlDoubleQuoted(const std::string& value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

PageForm SplitPage(const std::string& text) {
  PageForm form;
  std::vector<Line> lines = SplitLines(text);
  size_t close = 1;
  while (close < lines.size() && lines[close].text != "---") ++close;
  if (lines.empty() || lines[0].text != "---" || close >= lines.size()) {
    form.body = text;
    return form;
  }
  form.has_front_matter = true;
  for (size_t i = 1; i < close;) {
    size_t end = i + 1;
    while (end < close && !StartsField(lines[end].text)) ++end;
    std::string yaml;
    for (size_t j = i; j < end; ++j) yaml += lines[j].text + "\n";
    std::string name = StartsField(lines[i].text) ? FieldName(lines[i].text) : "";
    std::optional<std::string> value;
    if ((name == "title" && !form.title) || (name == "summary" && !form.summary)) {
      value = TextValue(yaml, name);
    }
    if (value && name == "title") {
      form.title = value;
      form.title_line = static_cast<int>(i) + 1;
    } else if (value && name == "summary") {
      form.summary = value;
      form.summary_line = static_cast<int>(i) + 1;
    } else {
      form.front_matter += yaml;
    }
    i = end;
  }
  size_t body_start = lines[close].end;
  form.body_first_line = static_cast<int>(close) + 2;
  if (close + 1 < lines.size() && lines[close + 1].text.empty()) {  // the blank line after "---"
    body_start = lines[close + 1].end;
    ++form.body_first_line;
  }
  form.body = text.substr(body_start);
  return form;
}

std::string JoinPage(const PageForm& form) {
  std::string body = NormalizeNewlines(form.body);
  std::string front_matter = NormalizeNewlines(form.front_matter);
  while (!front_matter.empty() && front_matter.back() == '\n') front_matter.pop_back();
  std::string out;
  if (form.has_front_matter || form.title || form.summary || !front_matter.empty()) {
    out = "---\n";
    if (form.title) out += "title: " + YamlDoubleQuoted(NormalizeNewlines(*form.title)) + "\n";
    if (form.summary) out += "summary: " + YamlDoubleQuoted(NormalizeNewlines(*form.summary)) + "\n";
    if (!front_matter.empty()) out += front_matter + "\n";
    out += "---\n";
    if (!body.empty()) out += "\n";
  }
  out += body;
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::vector<PlacedDiagnostic> PlaceDiagnostics(const PageForm& form, const std::string& path,
                                               const std::vector<Diagnostic>& diagnostics) {
  std::vector<PlacedDiagnostic> out;
  for (const Diagnostic& d : diagnostics) {
    PlacedDiagnostic placed;
    placed.diagnostic = d;
    bool this_file = d.file.empty() || d.file == path ||
                     (d.file.size() > path.size() &&
                      d.file.compare(d.file.size() - path.size(), path.size(), path) == 0 &&
                      d.file[d.file.size() - path.size() - 1] == '/');
    bool by_line = d.field.empty() || d.field == "body" || d.field == "terms" ||
                   d.field == "numerals" || d.field == "readability";
    if (!this_file) {
      placed.place = FormPlace::kOther;
    } else if (d.field == "title" || (by_line && d.line > 0 && d.line == form.title_line)) {
      placed.place = form.title ? FormPlace::kTitle : FormPlace::kFrontMatter;
    } else if (d.field == "summary" || (by_line && d.line > 0 && d.line == form.summary_line)) {
      placed.place = form.summary ? FormPlace::kSummary : FormPlace::kFrontMatter;
    } else if (!by_line || (d.line > 0 && d.line < form.body_first_line && form.has_front_matter)) {
      placed.place = FormPlace::kFrontMatter;
    } else if (d.line >= form.body_first_line) {
      placed.place = FormPlace::kBody;
      placed.body_line = d.line - form.body_first_line + 1;
    } else {
      placed.place = d.field == "body" ? FormPlace::kBody : FormPlace::kOther;
    }
    out.push_back(std::move(placed));
  }
  return out;
}

}  // namespace clemency
