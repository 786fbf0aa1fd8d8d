#include "config/yaml_tree.h"

#include <yaml.h>

#include <set>

namespace clemency {
namespace {

// Reads libyaml's event stream into our tree. libyaml is an event parser (no document model of
// its own), which keeps front matter parsing cheap: one pass, one allocation per value.
class EventReader {
 public:
  explicit EventReader(std::string_view text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~EventReader() {
    if (has_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // Moves to the next event; false (with `error` filled) on a syntax error.
  bool Next(YamlError* error) {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = yaml_parser_parse(&parser_, &event_) != 0;
    if (!has_event_) {
      std::string message = parser_.problem ? parser_.problem : "not valid YAML";
      if (parser_.context) message += std::string(" ") + parser_.context;
      *error = {static_cast<int>(parser_.problem_mark.line) + 1, message};
    }
    return has_event_;
  }
  const yaml_event_t& event() const { return event_; }
  int line() const { return static_cast<int>(event_.start_mark.line) + 1; }

 private:
  yaml_parser_t parser_;
  yaml_event_t event_;
  bool has_event_ = false;
};

bool IsNullWord(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// Reads the node whose first event is current, leaving its last event current.
bool ReadNode(EventReader& reader, YamlNode* out, YamlError* error) {
  const yaml_event_t& event = reader.event();
  out->line = reader.line();
  switch (event.type) {
    case YAML_SCALAR_EVENT: {
      std::string_view value(reinterpret_cast<const char*>(event.data.scalar.value),
                             event.data.scalar.length);
      out->quoted = event.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
      if (!out->quoted && IsNullWord(value)) {
        out->kind = YamlNode::Kind::kNull;
        out->line = 0;  // an empty value takes its key's line
        return true;
      }
      out->kind = YamlNode::Kind::kScalar;
      out->scalar = std::string(value);
      return true;
    }
    case YAML_SEQUENCE_START_EVENT:
      out->kind = YamlNode::Kind::kSequence;
      while (reader.Next(error)) {
        if (reader.event().type == YAML_SEQUENCE_END_EVENT) return true;
        out->items.emplace_back();
        if (!ReadNode(reader, &out->items.back(), error)) return false;
      }
      return false;
    case YAML_MAPPING_START_EVENT: {
      out->kind = YamlNode::Kind::kMap;
      std::set<std::string, std::less<>> seen;
      while (reader.Next(error)) {
        if (reader.event().type == YAML_MAPPING_END_EVENT) return true;
        const yaml_event_t& key = reader.event();
        int key_line = reader.line();
        if (key.type != YAML_SCALAR_EVENT) {
          *error = {key_line, "keys must be plain text"};
          return false;
        }
        std::string name(reinterpret_cast<const char*>(key.data.scalar.value),
                         key.data.scalar.length);
        if (!seen.insert(name).second) {
          *error = {key_line, "'" + name + "' appears twice"};
          return false;
        }
        out->entries.emplace_back(std::move(name), YamlNode{});
        if (!reader.Next(error)) return false;
        YamlNode& value = out->entries.back().second;
        if (!ReadNode(reader, &value, error)) return false;
        if (value.line == 0) value.line = key_line;
      }
      return false;
    }
    case YAML_ALIAS_EVENT:
      *error = {reader.line(), "anchors and aliases (&, *) are not supported; write the value out"};
      return false;
    default:
      *error = {reader.line(), "unexpected YAML structure"};
      return false;
  }
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
  *out = YamlNode{};
  EventReader reader(text);
  // Stream start, then either the stream's end (an empty text) or a document.
  if (!reader.Next(error) || !reader.Next(error)) return false;
  if (reader.event().type == YAML_STREAM_END_EVENT) return true;
  if (!reader.Next(error)) return false;  // the document's root node
  if (reader.event().type == YAML_DOCUMENT_END_EVENT) return true;
  if (!ReadNode(reader, out, error)) return false;
  // The document must end cleanly: a syntax error after the root is still an error.
  return reader.Next(error);
}

}  // namespace clemency
