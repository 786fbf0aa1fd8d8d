#include "config/yaml_tree.h"

#include <yaml-cpp/yaml.h>

#include <set>

namespace clemency {
namespace {

bool Convert(const YAML::Node& node, YamlNode* out, YamlError* error) {
  out->line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      out->kind = YamlNode::Kind::kNull;
      return true;
    case YAML::NodeType::Scalar:
      out->kind = YamlNode::Kind::kScalar;
      out->scalar = node.Scalar();
      out->quoted = node.Tag() == "!";
      return true;
    case YAML::NodeType::Sequence:
      out->kind = YamlNode::Kind::kSequence;
      for (const auto& item : node) {
        out->items.emplace_back();
        if (!Convert(item, &out->items.back(), error)) return false;
      }
      return true;
    case YAML::NodeType::Map: {
      out->kind = YamlNode::Kind::kMap;
      std::set<std::string> seen;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar()) {
          *error = {entry.first.Mark().line + 1, "keys must be plain text"};
          return false;
        }
        std::string key = entry.first.Scalar();
        if (!seen.insert(key).second) {
          *error = {entry.first.Mark().line + 1, "'" + key + "' appears twice"};
          return false;
        }
        out->entries.emplace_back(key, YamlNode{});
        if (!Convert(entry.second, &out->entries.back().second, error)) return false;
        if (out->entries.back().second.line == 0) {
          out->entries.back().second.line = entry.first.Mark().line + 1;
        }
      }
      return true;
    }
  }
  return true;
}

}  // namespace

const YamlNode* YamlNode::Find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string YamlNode::KindName() const {
  switch (kind) {
    case Kind::kNull:
      return "an empty value";
    case Kind::kScalar:
      return "text";
    case Kind::kSequence:
      return "a list";
    case Kind::kMap:
      return "a mapping";
  }
  return "";
}

bool ParseYaml(std::string_view text, YamlNode* out, YamlError* error) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    *out = YamlNode{};
    return Convert(root, out, error);
  } catch (const YAML::Exception& e) {
    *error = {e.mark.line >= 0 ? e.mark.line + 1 : 0, e.msg};
    return false;
  }
}

}  // namespace clemency
