#pragma once
// The edit form of a page of one kind: one typed input per front-matter field of the kind (the
// content schema, content/front_matter_schema, which the loader checks against too), the fields
// the inputs cannot hold (a list of sources, a comment, a list written as one text) kept as YAML
// in an "advanced" box, and the body. Joining gives the file back: a field whose value did not
// change keeps its lines as written, so a form saved unchanged changes no byte.
#include <optional>
#include <string>
#include <vector>

#include "config/page_kinds.h"
#include "core/status.h"
#include "content/front_matter_schema.h"

namespace clemency {

struct FormInput {
  std::string key;                  // "date", "contact.phone"
  const FieldSpec* spec = nullptr;  // the field, or the group's part
  const FieldSpec* group = nullptr; // the group ("contact") of a part, else nullptr
  std::vector<std::string> values;  // one value ("" when absent), or a list's items
  bool required = false;
  bool shown = true;   // false when the field is written in the advanced box instead
  int first_line = 0;  // the file's lines of the field (0: not in the file)
  int last_line = 0;
};

struct KindForm {
  std::vector<FormInput> inputs;  // in the schema's order
  std::string advanced;  // the front-matter lines of fields not on the form, as written
  std::string original;  // the front matter as loaded: the order of the fields, unchanged lines
  std::string body;
  bool has_front_matter = false;
  int body_first_line = 1;  // the file's line number of the body's first line
};

// The form's inputs of a page of `kind`, with no values.
std::vector<FormInput> InputsOfKind(const PageKind& kind, bool is_index, bool is_translation);

// Splits a page file of `kind` into the form: inputs with the file's values, the advanced box.
KindForm SplitForKind(const std::string& text, const PageKind& kind, bool is_index,
                      bool is_translation);

// The page file for `form`: the fields in `original`'s order (unchanged ones as written, changed
// ones rewritten, emptied ones left out), then new fields in the schema's order, then fields
// added in the advanced box; "\n" line ends.
std::string JoinForKind(const KindForm& form, const PageKind& kind);

// An input's values from what the browser posted for it (`posted`: every value sent under its
// name): a list's textarea is one item per line, checkboxes send one value each.
std::vector<std::string> ValuesFromPost(const FieldSpec& spec,
                                        const std::vector<std::string>& posted);
// What the form shows for an input's values, as ValuesFromPost reads it back (a list: one line
// each).
std::string InputText(const FormInput& input);

// Where a content-check problem belongs on the typed form.
struct FormPlacement {
  std::string input;  // a shown input's key, "advanced", "body", or "" (another file, no place)
  int body_line = 0;  // "body": the line within the body (1-based), 0 when not known
  Diagnostic diagnostic;
};
// Places each problem by the field it names (an input, else the advanced box), else by its line
// (an input's lines, the advanced box's, the body's); problems of other files get "".
std::vector<FormPlacement> PlaceOnForm(const KindForm& form, const std::string& path,
                                       const std::vector<Diagnostic>& diagnostics);

// The input `key` of `form` (a field, or "group.part"), or nullptr.
const FormInput* FindInput(const KindForm& form, const std::string& key);
FormInput* FindInput(KindForm& form, const std::string& key);

}  // namespace clemency
