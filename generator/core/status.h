#pragma once
// Status and Result<T>: how every module reports failure. Third-party errors stop at the module
// that wraps the library and come out as one of these.
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/diagnostic_catalog.h"

namespace clemency {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }
  bool ok() const { return !error_.has_value(); }
  const std::string& message() const {
    static const std::string kEmpty;
    return error_ ? *error_ : kEmpty;
  }

 private:
  explicit Status(std::string message) : error_(std::move(message)) {}
  std::optional<std::string> error_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T& value() & { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(value_); }

 private:
  std::variant<T, Status> value_;
};

// One problem in one input, printed as `file:line: field: message`. It is made from a code and
// its arguments (see core/diagnostic_catalog.h); `message` is their English text.
struct Diagnostic {
  std::string file;
  int line = 0;
  std::string field;
  std::string message;
  std::string code;  // the catalog key ("check_file_deep")
  DiagnosticArgs args;
  std::string ToString() const;
};

// Collects every problem found, so all of them are reported together.
class Diagnostics {
 public:
  // Adds `problem` found in `file` at `line` (0: the whole file) in `field` ("" for none).
  void Add(std::string file, int line, std::string field, Problem problem);
  // Something an editor should know that does not stop a build (raw HTML that is not published):
  // kept apart from the problems, so empty() and size() still mean "nothing is wrong".
  void Warn(std::string file, int line, std::string field, Problem problem);
  void Append(const Diagnostics& other);
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  // Sorted by file then line, one per line.
  std::string ToString() const;
  // The warnings the same way, each message after "warning: ".
  std::string WarningsToString() const;

 private:
  std::vector<Diagnostic> items_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace clemency
