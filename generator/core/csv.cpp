#include "core/csv.h"

namespace clemency {

Result<std::vector<CsvRow>> ParseCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  int line = 1;
  row.line = 1;
  bool in_quotes = false, quoted_field = false, row_has_content = false;
  auto end_field = [&]() {
    row.fields.push_back(std::move(field));
    field.clear();
    quoted_field = false;
  };
  auto end_row = [&]() {
    end_field();
    if (row_has_content) rows.push_back(std::move(row));
    row = CsvRow{};
    row.line = line;
    row_has_content = false;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || quoted_field) {
        return Status::Error("line " + std::to_string(line) + ": a quote inside an unquoted field");
      }
      in_quotes = quoted_field = row_has_content = true;
    } else if (c == ',') {
      end_field();
      row_has_content = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_row();
    } else {
      if (quoted_field) {
        return Status::Error("line " + std::to_string(line) + ": text after a closing quote");
      }
      field += c;
      if (c != ' ' && c != '\t') row_has_content = true;
    }
  }
  if (in_quotes)
    return Status::Error("line " + std::to_string(row.line) + ": a quote is never closed");
  end_row();
  return rows;
}

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace clemency
