#include "core/status.h"

#include <algorithm>
#include <tuple>

namespace clemency {

std::string Diagnostic::ToString() const {
  std::string out = file;
  if (line > 0) out.append(":").append(std::to_string(line));
  out.append(": ");
  if (!field.empty()) out.append(field).append(": ");
  out.append(message);
  return out;
}

namespace {

Diagnostic Make(std::string file, int line, std::string field, Problem problem, const char* lead) {
  std::string message = lead + FormatDiagnostic(problem);
  return {std::move(file),
          line,
          std::move(field),
          std::move(message),
          DiagnosticKey(problem.code),
          std::move(problem.args)};
}

}  // namespace

void Diagnostics::Add(std::string file, int line, std::string field, Problem problem) {
  items_.push_back(Make(std::move(file), line, std::move(field), std::move(problem), ""));
}

void Diagnostics::Warn(std::string file, int line, std::string field, Problem problem) {
  warnings_.push_back(
      Make(std::move(file), line, std::move(field), std::move(problem), "warning: "));
}

void Diagnostics::Append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
  warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
}

namespace {

std::string Sorted(std::vector<Diagnostic> sorted) {
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  std::string out;
  for (const auto& d : sorted) out += d.ToString() + "\n";
  return out;
}

}  // namespace

std::string Diagnostics::ToString() const { return Sorted(items_); }

std::string Diagnostics::WarningsToString() const { return Sorted(warnings_); }

}  // namespace clemency
