#pragma once
// A YAML document as our own tree, with line numbers, so the rest of Clemency never sees libyaml.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace clemency {

struct YamlNode {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  int line = 0;         // 1-based line in the parsed text
  std::string scalar;   // for kScalar
  bool quoted = false;  // the scalar was written in quotes (so `"true"` is text, not a bool)
  std::vector<YamlNode> items;                            // for kSequence
  std::vector<std::pair<std::string, YamlNode>> entries;  // for kMap, in document order

  // Declared here, defined in yaml_tree.cpp: `entries` holds pairs of this type, which may not
  // be instantiated while the type is incomplete (clang with libstdc++ refuses it).
  YamlNode();
  ~YamlNode();
  YamlNode(const YamlNode&);
  YamlNode(YamlNode&&) noexcept;
  YamlNode& operator=(const YamlNode&);
  YamlNode& operator=(YamlNode&&) noexcept;

  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsMap() const { return kind == Kind::kMap; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  const YamlNode* Find(std::string_view key) const;
  std::string KindName() const;  // "text", "list", "mapping", "empty value"
};

struct YamlError {
  int line = 0;
  std::string message;  // what is wrong, in English ("a tab is used for indentation; …")
  Problem problem{Diag::check_yaml_other};  // the same as a diagnostic's code and arguments
};

// Parses one YAML document. On a syntax error or a repeated key, returns false and fills `error`.
bool ParseYaml(std::string_view text, YamlNode* out, YamlError* error);

}  // namespace clemency
