#include "content/page_file.h"

#include <algorithm>
#include <cstdio>

#include "config/yaml_tree.h"

namespace clemency {
namespace {

// The lines of `text` from `offset`, each with its line end; numbered from `number`.
std::vector<PageFileLine> LinesFrom(std::string_view text, size_t offset, int number) {
  std::vector<PageFileLine> lines;
  while (offset < text.size()) {
    size_t end = text.find('\n', offset);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back({text.substr(offset, end - offset), number++});
    offset = end;
  }
  return lines;
}

bool IsMarker(std::string_view line) { return LineContent(line) == "---"; }

// Calls `use(line, named)` for each front-matter line of `parts`, `named` telling whether it
// belongs to one of `fields`.
template <typename Use>
void ForEachFieldLine(const PageFileParts& parts, const std::vector<std::string>& fields,
                      Use&& use) {
  bool named = false;
  for (const PageFileLine& line : parts.front_matter) {
    if (IsFieldStart(line.text)) {
      named = std::find(fields.begin(), fields.end(), FieldName(line.text)) != fields.end();
    }
    use(line.text, named);
  }
}

bool IsName(const std::string& name) {
  if (name.empty() || name.size() > 120 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::string_view LineContent(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

PageFileParts SplitPageFile(std::string_view text) {
  PageFileParts parts;
  size_t first_end = text.find('\n');
  first_end = first_end == std::string_view::npos ? text.size() : first_end + 1;
  if (!IsMarker(text.substr(0, first_end))) return parts;
  parts.opened = true;
  std::vector<PageFileLine> lines = LinesFrom(text, first_end, 2);
  auto close = std::find_if(lines.begin(), lines.end(),
                            [](const PageFileLine& line) { return IsMarker(line.text); });
  if (close == lines.end()) return parts;
  parts.closed = true;
  parts.opening = {text.substr(0, first_end), 1};
  parts.closing = *close;
  parts.front_matter.assign(lines.begin(), close);
  parts.front_matter_offset = first_end;
  parts.closing_offset = static_cast<size_t>(close->text.data() - text.data());
  parts.body_offset = parts.closing_offset + close->text.size();
  parts.body_first_line = close->number + 1;
  return parts;
}

bool IsFieldStart(std::string_view line) {
  std::string_view content = LineContent(line);
  return !content.empty() && std::string_view(" \t-#").find(content[0]) == std::string_view::npos &&
         content.find(':') != std::string_view::npos;
}

std::string FieldName(std::string_view line) {
  std::string_view name = LineContent(line);
  name = name.substr(0, name.find(':'));
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') &&
      name.back() == name.front()) {
    name = name.substr(1, name.size() - 2);
  }
  return std::string(name);
}

std::string FrontMatterFieldLines(std::string_view text, const std::vector<std::string>& fields) {
  std::string out;
  ForEachFieldLine(SplitPageFile(text), fields, [&out](std::string_view line, bool named) {
    if (named) out += line;
  });
  return out;
}

std::string ReplaceFrontMatterFields(std::string_view text, const std::vector<std::string>& remove,
                                     const std::string& append) {
  PageFileParts parts = SplitPageFile(text);
  if (!parts.closed) return std::string(text);
  std::string out(text.substr(0, parts.front_matter_offset));
  ForEachFieldLine(parts, remove, [&out](std::string_view line, bool named) {
    if (!named) out += line;
  });
  return out + append + std::string(text.substr(parts.closing_offset));
}

std::optional<std::string> ScalarField(const std::string& yaml, const std::string& name) {
  YamlNode root;
  YamlError error;
  if (!ParseYaml(yaml, &root, &error) || !root.IsMap()) return std::nullopt;
  const YamlNode* value = root.Find(name);
  if (!value || !value->IsScalar()) return std::nullopt;
  return value->scalar;
}

std::optional<std::string> FieldValue(std::string_view text, const std::string& name) {
  return ScalarField(FrontMatterFieldLines(text, {name}), name);
}

std::string ReplaceField(std::string_view text, const std::string& name, const std::string& value) {
  return ReplaceFrontMatterFields(text, {name}, name + ": " + YamlQuoted(value) + "\n");
}

std::string_view MarkdownBody(std::string_view text) {
  PageFileParts parts = SplitPageFile(text);
  return parts.closed ? text.substr(parts.body_offset) : text;
}

std::string YamlQuoted(std::string_view value) {
  std::string out = "\"";
  for (size_t i = 0; i < value.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    const std::string_view rest = value.substr(i);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
      out += escaped;
    } else if (rest.rfind("\xC2\x85", 0) == 0) {  // NEL
      out += "\\N";
      ++i;
    } else if (rest.rfind("\xE2\x80\xA8", 0) == 0 || rest.rfind("\xE2\x80\xA9", 0) == 0) {
      out += rest[2] == '\xA8' ? "\\L" : "\\P";  // line and paragraph separators
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::optional<ContentPath> ParseContentPath(const std::string& path,
                                            const std::vector<std::string>& languages) {
  const std::string prefix = "content/", suffix = ".md";
  if (path.rfind(prefix, 0) != 0 || path.size() <= prefix.size() + suffix.size() ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  std::string rest = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  ContentPath file;
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    file.section = rest.substr(0, slash);
    rest = rest.substr(slash + 1);
    if (!IsName(file.section)) return std::nullopt;
  }
  size_t dot = rest.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  file.lang = rest.substr(dot + 1);
  std::string name = rest.substr(0, dot);
  if (std::find(languages.begin(), languages.end(), file.lang) == languages.end()) {
    return std::nullopt;
  }
  if (name == "_index") return file;
  if (file.section.empty() || !IsName(name)) return std::nullopt;  // pages live in sections
  file.slug = name;
  return file;
}

std::string ContentPathOf(const ContentPath& file) {
  std::string name = (file.slug.empty() ? "_index" : file.slug) + "." + file.lang + ".md";
  return "content/" + (file.section.empty() ? "" : file.section + "/") + name;
}

}  // namespace clemency
