#include "content/front_matter.h"

#include <algorithm>

namespace clemency {

std::string YamlQuoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

namespace {

// Calls `use(line, named)` for each line of the front matter (with its newline), `named` telling
// whether it belongs to one of `fields`; returns where the front matter ends.
template <typename Use>
size_t ForEachFrontMatterLine(const std::string& text, const std::vector<std::string>& fields,
                              Use&& use) {
  size_t body = text.find("\n---", 3);
  size_t end_of_front = body == std::string::npos ? 0 : body + 1;
  bool named = false;
  size_t start = 0;
  while (start < end_of_front) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, std::min(end, end_of_front - 1) - start + 1);
    start += line.size();
    bool top_level =
        !line.empty() && line[0] != ' ' && line[0] != '\t' && line[0] != '\n' && line[0] != '#';
    if (top_level) {
      named = std::any_of(fields.begin(), fields.end(), [&line](const std::string& field) {
        return line.rfind(field + ":", 0) == 0;
      });
    }
    use(line, named);
  }
  return end_of_front;
}

}  // namespace

std::string ReplaceFrontMatterFields(const std::string& text, const std::vector<std::string>& remove,
                                     const std::string& append) {
  std::string out;
  size_t end = ForEachFrontMatterLine(text, remove, [&out](const std::string& line, bool named) {
    if (!named) out += line;
  });
  return out + append + text.substr(end);
}

std::string FrontMatterFieldLines(const std::string& text, const std::vector<std::string>& fields) {
  std::string out;
  ForEachFrontMatterLine(text, fields, [&out](const std::string& line, bool named) {
    if (named) out += line;
  });
  return out;
}

std::string_view MarkdownBody(std::string_view text) {
  if (text.rfind("---\n", 0) != 0 && text.rfind("---\r\n", 0) != 0) return text;
  for (size_t line = text.find('\n') + 1; line < text.size();) {
    size_t end = text.find('\n', line);
    std::string_view content = text.substr(line, end == std::string_view::npos ? end : end - line);
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    if (content == "---") return end == std::string_view::npos ? "" : text.substr(end + 1);
    if (end == std::string_view::npos) break;
    line = end + 1;
  }
  return text;  // never closed: no front matter to leave out
}

}  // namespace clemency
