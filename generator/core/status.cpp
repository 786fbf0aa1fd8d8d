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

void Diagnostics::Add(std::string file, int line, std::string field, std::string message) {
  items_.push_back({std::move(file), line, std::move(field), std::move(message)});
}

void Diagnostics::Warn(std::string file, int line, std::string field, std::string message) {
  warnings_.push_back({std::move(file), line, std::move(field), "warning: " + std::move(message)});
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
