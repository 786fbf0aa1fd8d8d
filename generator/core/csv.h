#pragma once
// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends.
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace clemency {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

// Parses `text`; blank lines are skipped. An unclosed quote or a stray quote is an error naming
// the line.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text);
// One field, quoted when it holds a comma, quote or line break.
std::string CsvField(std::string_view value);

}  // namespace clemency
