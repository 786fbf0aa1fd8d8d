#include "config/yaml_tree.h"

#include <yaml.h>

#include <set>

namespace clemency {

YamlNode::YamlNode() = default;
YamlNode::~YamlNode() = default;
YamlNode::YamlNode(const YamlNode&) = default;
YamlNode::YamlNode(YamlNode&&) noexcept = default;
YamlNode& YamlNode::operator=(const YamlNode&) = default;
YamlNode& YamlNode::operator=(YamlNode&&) noexcept = default;

namespace {

// The parser's problem as a code of the diagnostic catalog; `message` is its English text
// without the lead every YAML problem has in a diagnostic ("invalid YAML: ").
YamlError MakeYamlError(int line, Problem problem) {
  static const std::string kLead = "invalid YAML: ";
  std::string text = FormatDiagnostic(problem);
  if (text.rfind(kLead, 0) == 0) text.erase(0, kLead.size());
  return {line, std::move(text), std::move(problem)};
}

// libyaml's wording ("mapping values are not allowed in this context") means nothing to an
// editor: say what is wrong in plain words, on the line where the mistake most likely is, with a
// hint how to fix it. Unknown problems keep libyaml's words after a plain lead.
YamlError PlainYamlError(const std::string& problem, const std::string& context, int problem_line,
                         int context_line) {
  struct Known {
    const char* problem;
    const char* context;  // "" matches any
    bool at_context;      // the mistake is where libyaml's context began
    Diag code;
  };
  static const Known kKnown[] = {
      {"mapping values are not allowed", "", false, Diag::check_yaml_colon},
      {"could not find expected ':'", "", true, Diag::check_yaml_no_colon},
      {"found unexpected end of stream", "quoted scalar", true, Diag::check_yaml_quote},
      {"did not find expected key", "", false, Diag::check_yaml_indent},
      {"did not find expected '-' indicator", "", false, Diag::check_yaml_list_item},
      {"found character that cannot start any plain scalar", "", false, Diag::check_yaml_reserved},
      {"did not find expected ',' or ']'", "", true, Diag::check_yaml_list_open},
      {"did not find expected ',' or '}'", "", true, Diag::check_yaml_map_open},
      {"found a tab character", "", false, Diag::check_yaml_tab},
      {"found character that cannot start any token", "", false, Diag::check_yaml_character},
      {"found undefined tag handle", "", false, Diag::check_yaml_bang},
      {"did not find expected node content", "", false, Diag::check_yaml_value},
  };
  for (const Known& known : kKnown) {
    if (problem.find(known.problem) == std::string::npos) continue;
    if (*known.context && context.find(known.context) == std::string::npos) continue;
    return MakeYamlError(known.at_context ? context_line : problem_line, known.code);
  }
  if (problem.empty()) return MakeYamlError(problem_line, Diag::check_yaml_other);
  return MakeYamlError(problem_line,
                       {Diag::check_yaml_other_detail,
                        {{"detail", problem + (context.empty() ? "" : ", " + context)}}});
}

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
      *error = PlainYamlError(parser_.problem ? parser_.problem : "",
                              parser_.context ? parser_.context : "",
                              static_cast<int>(parser_.problem_mark.line) + 1,
                              static_cast<int>(parser_.context_mark.line) + 1);
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
          *error = MakeYamlError(key_line, Diag::check_yaml_key);
          return false;
        }
        std::string name(reinterpret_cast<const char*>(key.data.scalar.value),
                         key.data.scalar.length);
        if (!seen.insert(name).second) {
          *error = MakeYamlError(key_line, {Diag::check_yaml_twice, {{"name", name}}});
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
      *error = MakeYamlError(reader.line(), Diag::check_yaml_alias);
      return false;
    default:
      *error = MakeYamlError(reader.line(), Diag::check_yaml_structure);
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
