#include "admin/kind_form.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "admin/page_form.h"
#include "config/yaml_tree.h"
#include "content/page_file.h"
#include "core/text.h"

namespace clemency {
namespace {

using Values = std::map<std::string, std::vector<std::string>>;  // input key -> values

// One top-level field's lines as written ("" name: lines before the first field).
struct Group {
  std::string name, text;
  int first_line = 0, last_line = 0;
};

std::vector<Group> GroupLines(const std::string& yaml, int first_number) {
  std::vector<Group> groups;
  size_t start = 0;
  int number = first_number;
  while (start < yaml.size()) {
    size_t end = yaml.find('\n', start);
    end = end == std::string::npos ? yaml.size() : end + 1;
    std::string_view line(yaml.data() + start, end - start);
    if (groups.empty() || IsFieldStart(line)) {
      Group group;
      group.name = IsFieldStart(line) ? FieldName(line) : "";
      group.first_line = number;
      groups.push_back(std::move(group));
    }
    groups.back().text += std::string(LineContent(line)) + "\n";
    groups.back().last_line = number;
    start = end;
    if (first_number > 0) ++number;
  }
  return groups;
}

bool HasComment(const std::string& text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line = Trim(std::string_view(text).substr(start, end - start));
    if (!line.empty() && line[0] == '#') return true;
    start = end + 1;
  }
  return false;
}

bool IsChoice(const FieldSpec& spec, const std::string& value) {
  return std::find(spec.choices.begin(), spec.choices.end(), value) != spec.choices.end();
}

// A scalar field's values from `node`, or nullopt when an input cannot hold it.
std::optional<std::vector<std::string>> ScalarValues(const FieldSpec& spec, const YamlNode& node) {
  if (node.kind == YamlNode::Kind::kNull) return std::vector<std::string>{};
  if (!node.IsScalar()) return std::nullopt;
  if (node.scalar.empty()) return std::vector<std::string>{};
  if (spec.type != FieldType::kLongText && node.scalar.find('\n') != std::string::npos) {
    return std::nullopt;
  }
  if (spec.type == FieldType::kChoice && !IsChoice(spec, node.scalar)) return std::nullopt;
  return std::vector<std::string>{node.scalar};
}

std::optional<std::vector<std::string>> ListValues(const FieldSpec& spec, const YamlNode& node) {
  if (node.kind == YamlNode::Kind::kNull) return std::vector<std::string>{};
  if (!node.IsSequence()) return std::nullopt;
  std::vector<std::string> out;
  for (const YamlNode& item : node.items) {
    if (!item.IsScalar() || Trim(item.scalar).empty() || Trim(item.scalar) != item.scalar ||
        item.scalar.find('\n') != std::string::npos) {
      return std::nullopt;
    }
    if (spec.type == FieldType::kChoiceList && !IsChoice(spec, item.scalar)) return std::nullopt;
    out.push_back(item.scalar);
  }
  return out;
}

// The values the inputs show for field `spec` written as `group`, or nullopt when the inputs
// cannot hold it as written (then it stays in the advanced box, as written).
std::optional<Values> ReadGroup(const Group& group, const FieldSpec& spec) {
  if (spec.type == FieldType::kStructured || HasComment(group.text)) return std::nullopt;
  YamlNode root;
  YamlError error;
  if (!ParseYaml(group.text, &root, &error) || !root.IsMap() || root.entries.size() != 1) {
    return std::nullopt;
  }
  const YamlNode& node = root.entries[0].second;
  Values out;
  if (spec.type == FieldType::kMap) {
    for (const FieldSpec& part : spec.parts) out[spec.name + "." + part.name] = {};
    if (node.kind == YamlNode::Kind::kNull) return out;
    if (!node.IsMap()) return std::nullopt;
    for (const auto& entry : node.entries) {
      const std::string& key = entry.first;
      const YamlNode& value = entry.second;
      auto part = std::find_if(spec.parts.begin(), spec.parts.end(),
                               [&key](const FieldSpec& p) { return p.name == key; });
      if (part == spec.parts.end()) return std::nullopt;
      auto values = ScalarValues(*part, value);
      if (!values) return std::nullopt;
      out[spec.name + "." + key] = *values;
    }
    return out;
  }
  bool list = spec.type == FieldType::kTextList || spec.type == FieldType::kChoiceList;
  auto values = list ? ListValues(spec, node) : ScalarValues(spec, node);
  if (!values) return std::nullopt;
  out[spec.name] = *values;
  return out;
}

std::string ScalarText(FieldType type, const std::string& value) {
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?)");
  static const std::regex kNumber(R"(-?[0-9]{1,15})");
  if (type == FieldType::kDate && std::regex_match(value, kDate)) return value;
  if (type == FieldType::kNumber && std::regex_match(value, kNumber)) return value;
  return YamlQuoted(value);
}

// Field `spec` written from `values` ("" when it has no value: the field is left out).
std::string WriteField(const FieldSpec& spec, const Values& values) {
  auto of = [&values](const std::string& key) {
    auto it = values.find(key);
    return it == values.end() ? std::vector<std::string>{} : it->second;
  };
  std::string out;
  if (spec.type == FieldType::kMap) {
    for (const FieldSpec& part : spec.parts) {
      std::vector<std::string> v = of(spec.name + "." + part.name);
      if (!v.empty()) out += "  " + part.name + ": " + ScalarText(part.type, v[0]) + "\n";
    }
    return out.empty() ? "" : spec.name + ":\n" + out;
  }
  std::vector<std::string> v = of(spec.name);
  if (v.empty()) return "";
  if (spec.type == FieldType::kTextList || spec.type == FieldType::kChoiceList) {
    for (const std::string& item : v) out += "  - " + YamlQuoted(item) + "\n";
    return spec.name + ":\n" + out;
  }
  return spec.name + ": " + ScalarText(spec.type, v[0]) + "\n";
}

bool SameValues(const FieldSpec& spec, const Values& before, const Values& now) {
  auto of = [](const Values& values, const std::string& key) {
    auto it = values.find(key);
    return it == values.end() ? std::vector<std::string>{} : it->second;
  };
  std::vector<std::string> keys;
  if (spec.type == FieldType::kMap) {
    for (const FieldSpec& part : spec.parts) keys.push_back(spec.name + "." + part.name);
  } else {
    keys.push_back(spec.name);
  }
  for (const std::string& key : keys) {
    std::vector<std::string> a = of(before, key), b = of(now, key);
    if (spec.type == FieldType::kChoiceList) {  // checkboxes come in the form's order
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
    }
    if (a != b) return false;
  }
  return true;
}

// The top-level field `name` when the form has inputs for it, else nullptr.
const FieldSpec* FieldOnForm(const std::vector<FormInput>& inputs, const std::string& name) {
  for (const FormInput& input : inputs) {
    const FieldSpec* top = input.group ? input.group : input.spec;
    if (top->name == name) return top;
  }
  return nullptr;
}

}  // namespace

std::vector<FormInput> InputsOfKind(const PageKind& kind, bool is_index, bool is_translation) {
  std::vector<FormInput> inputs;
  for (const FieldSpec* field : FieldsOfKind(kind)) {
    if (field->type == FieldType::kStructured) continue;
    if (field->need == FieldNeed::kTranslation && !is_translation) continue;
    bool required = FieldRequired(*field, kind, is_index, is_translation);
    if (field->type != FieldType::kMap) {
      FormInput input;
      input.key = field->name;
      input.spec = field;
      input.required = required;
      inputs.push_back(std::move(input));
      continue;
    }
    for (const FieldSpec& part : field->parts) {
      FormInput input;
      input.key = field->name + "." + part.name;
      input.spec = &part;
      input.group = field;
      input.required = required && FieldRequired(part, kind, is_index, is_translation);
      inputs.push_back(std::move(input));
    }
  }
  return inputs;
}

KindForm SplitForKind(const std::string& text, const PageKind& kind, bool is_index,
                      bool is_translation) {
  KindForm form;
  form.inputs = InputsOfKind(kind, is_index, is_translation);
  PageForm page = SplitPage(text);
  form.body = page.body;
  form.has_front_matter = page.has_front_matter;
  form.body_first_line = page.body_first_line;
  const PageFileParts parts = SplitPageFile(text);
  if (!parts.closed) return form;
  for (const PageFileLine& line : parts.front_matter) {
    form.original += std::string(LineContent(line.text)) + "\n";
  }
  int first = parts.front_matter.empty() ? 0 : parts.front_matter.front().number;
  std::set<std::string> seen;
  for (const Group& group : GroupLines(form.original, first)) {
    const FieldSpec* spec = FieldOnForm(form.inputs, group.name);
    std::optional<Values> values;
    if (spec && !seen.count(group.name)) values = ReadGroup(group, *spec);
    if (!values) {
      form.advanced += group.text;
      if (spec && !seen.count(group.name)) {
        for (FormInput& input : form.inputs) {
          if ((input.group ? input.group : input.spec) == spec) input.shown = false;
        }
      }
      seen.insert(group.name);
      continue;
    }
    seen.insert(group.name);
    for (auto& [key, v] : *values) {
      if (FormInput* input = FindInput(form, key)) {
        input->values = v;
        input->first_line = group.first_line;
        input->last_line = group.last_line;
      }
    }
  }
  return form;
}

std::string JoinForKind(const KindForm& form, const PageKind& kind) {
  (void)kind;  // the inputs were made for it (InputsOfKind)
  Values posted;
  for (const FormInput& input : form.inputs) posted[input.key] = input.values;
  std::vector<Group> advanced = GroupLines(NormalizeNewlines(form.advanced), 0);
  std::vector<bool> used(advanced.size(), false);
  auto take_advanced = [&](const std::string& name, std::string* out) {
    for (size_t i = 0; i < advanced.size(); ++i) {
      if (used[i] || advanced[i].name != name) continue;
      used[i] = true;
      *out += advanced[i].text;
      return;
    }
  };
  std::string out;
  std::set<std::string> seen;  // top-level names met in the original
  for (const Group& group : GroupLines(NormalizeNewlines(form.original), 0)) {
    const FieldSpec* spec = FieldOnForm(form.inputs, group.name);
    std::optional<Values> before;
    if (spec && !seen.count(group.name)) before = ReadGroup(group, *spec);
    seen.insert(group.name);
    if (!before) {
      take_advanced(group.name, &out);
    } else {
      out += SameValues(*spec, *before, posted) ? group.text : WriteField(*spec, posted);
    }
  }
  std::set<const FieldSpec*> written;
  for (const FormInput& input : form.inputs) {
    const FieldSpec* top = input.group ? input.group : input.spec;
    if (seen.count(top->name) || !written.insert(top).second) continue;
    out += WriteField(*top, posted);
  }
  for (size_t i = 0; i < advanced.size(); ++i) {
    if (!used[i]) out += advanced[i].text;
  }
  PageForm page;
  page.has_front_matter = form.has_front_matter || !out.empty();
  page.front_matter = out;
  page.body = form.body;
  return JoinPage(page);
}

std::vector<std::string> ValuesFromPost(const FieldSpec& spec,
                                        const std::vector<std::string>& posted) {
  std::vector<std::string> out;
  if (spec.type == FieldType::kChoiceList) {
    for (const std::string& value : posted) {
      if (!value.empty() && std::find(out.begin(), out.end(), value) == out.end()) {
        out.push_back(value);
      }
    }
    return out;
  }
  std::string text = posted.empty() ? "" : NormalizeNewlines(posted.front());
  if (spec.type == FieldType::kTextList) {
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string item(Trim(std::string_view(text).substr(start, end - start)));
      if (!item.empty()) out.push_back(item);
      start = end + 1;
    }
    return out;
  }
  if (spec.type != FieldType::kLongText) text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
  if (!text.empty()) out.push_back(text);
  return out;
}

std::string InputText(const FormInput& input) {
  std::string out;
  for (size_t i = 0; i < input.values.size(); ++i) out += (i ? "\n" : "") + input.values[i];
  return out;
}

namespace {

// The input a problem of field `field` ("contact.phone", "sources[0].url", "consent") is about:
// the input itself, else the first shown input of its group; "" when the form shows none.
std::string InputOfField(const KindForm& form, const std::string& field) {
  if (const FormInput* input = FindInput(form, field); input && input->shown) return input->key;
  std::string top = field.substr(0, field.find_first_of(".["));
  for (const FormInput& input : form.inputs) {
    if (input.shown && input.group && input.group->name == top) return input.key;
  }
  return "";
}

FormPlacement PlaceOne(const KindForm& form, const Diagnostic& d) {
  FormPlacement placed;
  placed.diagnostic = d;
  const bool by_line = d.field.empty() || d.field == "body" || d.field == "terms" ||
                       d.field == "numerals" || d.field == "readability";
  if (!by_line) {
    placed.input = InputOfField(form, d.field);
    if (placed.input.empty()) placed.input = "advanced";
    return placed;
  }
  if (d.line > 0 && d.line < form.body_first_line && form.has_front_matter) {
    for (const FormInput& input : form.inputs) {
      if (input.shown && d.line >= input.first_line && d.line <= input.last_line) {
        placed.input = input.key;
        return placed;
      }
    }
    placed.input = "advanced";
  } else if (d.line >= form.body_first_line) {
    placed.input = "body";
    placed.body_line = d.line - form.body_first_line + 1;
  } else if (d.field == "body") {
    placed.input = "body";
  }
  return placed;
}

}  // namespace

std::vector<FormPlacement> PlaceOnForm(const KindForm& form, const std::string& path,
                                       const std::vector<Diagnostic>& diagnostics) {
  std::vector<FormPlacement> out;
  for (const Diagnostic& d : diagnostics) {
    if (!IsProblemOf(d, path)) {
      FormPlacement other;
      other.diagnostic = d;
      out.push_back(std::move(other));
    } else {
      out.push_back(PlaceOne(form, d));
    }
  }
  return out;
}

const FormInput* FindInput(const KindForm& form, const std::string& key) {
  for (const FormInput& input : form.inputs) {
    if (input.key == key) return &input;
  }
  return nullptr;
}

FormInput* FindInput(KindForm& form, const std::string& key) {
  return const_cast<FormInput*>(FindInput(static_cast<const KindForm&>(form), key));
}

}  // namespace clemency
