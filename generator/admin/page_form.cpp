#include "admin/page_form.h"

#include "content/page_file.h"

namespace clemency {

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

PageForm SplitPage(const std::string& text) {
  PageForm form;
  const PageFileParts parts = SplitPageFile(text);
  if (!parts.closed) {
    form.body = text;
    return form;
  }
  form.has_front_matter = true;
  const std::vector<PageFileLine>& lines = parts.front_matter;
  for (size_t i = 0; i < lines.size();) {
    size_t end = i + 1;
    while (end < lines.size() && !IsFieldStart(lines[end].text)) ++end;
    std::string yaml;
    for (size_t j = i; j < end; ++j) yaml += std::string(LineContent(lines[j].text)) + "\n";
    std::string name = IsFieldStart(lines[i].text) ? FieldName(lines[i].text) : "";
    std::optional<std::string> value;
    if ((name == "title" && !form.title) || (name == "summary" && !form.summary)) {
      value = ScalarField(yaml, name);
    }
    if (value && name == "title") {
      form.title = value;
      form.title_line = lines[i].number;
    } else if (value && name == "summary") {
      form.summary = value;
      form.summary_line = lines[i].number;
    } else {
      form.front_matter += yaml;
    }
    i = end;
  }
  size_t body_start = parts.body_offset;
  form.body_first_line = parts.body_first_line;
  if (text.compare(body_start, 1, "\n") == 0 || text.compare(body_start, 2, "\r\n") == 0) {
    body_start = text.find('\n', body_start) + 1;  // the blank line after "---"
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
    if (form.title) out += "title: " + YamlQuoted(NormalizeNewlines(*form.title)) + "\n";
    if (form.summary) out += "summary: " + YamlQuoted(NormalizeNewlines(*form.summary)) + "\n";
    if (!front_matter.empty()) out += front_matter + "\n";
    out += "---\n";
    if (!body.empty()) out += "\n";
  }
  out += body;
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

bool IsProblemOf(const Diagnostic& d, const std::string& path) {
  return d.file.empty() || d.file == path ||
         (d.file.size() > path.size() &&
          d.file.compare(d.file.size() - path.size(), path.size(), path) == 0 &&
          d.file[d.file.size() - path.size() - 1] == '/');
}

std::vector<PlacedDiagnostic> PlaceDiagnostics(const PageForm& form, const std::string& path,
                                               const std::vector<Diagnostic>& diagnostics) {
  std::vector<PlacedDiagnostic> out;
  for (const Diagnostic& d : diagnostics) {
    PlacedDiagnostic placed;
    placed.diagnostic = d;
    bool this_file = IsProblemOf(d, path);
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
