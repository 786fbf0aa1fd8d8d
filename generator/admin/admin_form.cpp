// The edit form's typed inputs: one per front-matter field of the page's kind, labelled in the
// editor's language, with the problems of each field next to it; and the page file made back from
// a posted form.
#include <algorithm>
#include <regex>

#include "admin/admin_pages.h"
#include "admin/kind_form.h"
#include "content/front_matter_schema.h"
#include "textdiff/textdiff.h"

namespace clemency {
namespace {

// "contact.phone" -> "contact_phone": the part of a catalog key.
std::string KeyPart(const std::string& key) {
  std::string out = key;
  std::replace(out.begin(), out.end(), '.', '_');
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::string InputId(const std::string& key) {
  std::string out = "f-" + key;
  std::replace(out.begin(), out.end(), '.', '-');
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

const char* InputType(const FormInput& input) {
  static const std::regex kPlainDate(R"(\d{4}-\d{2}-\d{2})");
  switch (input.spec->type) {
    case FieldType::kDate:
      return input.values.empty() || std::regex_match(input.values[0], kPlainDate) ? "date"
                                                                                  : "text";
    case FieldType::kNumber: return "number";
    case FieldType::kPhone: return "tel";
    case FieldType::kUrl: return "url";
    default: return "text";
  }
}

}  // namespace

std::optional<AdminSite::TypedPage> AdminSite::TypedPageOf(const std::string& path) const {
  auto file = FileOf(path);
  if (!file || (!file->section.empty() && !config_.FindSection(file->section))) return std::nullopt;
  TypedPage typed;
  typed.kind = &KindOfPage(config_, file->section, file->slug);
  typed.is_index = file->slug.empty();
  typed.is_translation = file->lang != config_.default_language;
  return typed;
}

std::string AdminSite::FieldLabel(const AdminPage& page, const std::string& field) const {
  std::string top = field.substr(0, field.find('['));
  if (text_->Has(page.lang, "fm_" + KeyPart(top))) return T(page, "fm_" + KeyPart(top));
  std::string name = field.substr(0, field.find_first_of(".["));
  if (name != field && text_->Has(page.lang, "fm_" + KeyPart(name))) {
    return T(page, "fm_" + KeyPart(name)) + " (" + field.substr(name.size()) + ")";
  }
  return field;
}

View AdminSite::InputView(AdminPage& page, const FormInput& input, bool editable,
                          const std::vector<std::string>& errors) const {
  View item;
  const std::string id = InputId(input.key);
  item.Set("id", id).Set("name", "fm." + input.key).Set("label", FieldLabel(page, input.key));
  // Set on every save from the source the translator sees beside the form, never by hand.
  const bool set_on_save = input.key == kTranslatedFrom;
  if (set_on_save) editable = false;
  item.Set("required", input.required).Set("editable", editable);
  item.Set("has_errors", !errors.empty()).Set("errors_id", id + "-errors");
  View error_list = View::List();
  for (const std::string& e : errors) error_list.Push(e);
  item.Set("errors", std::move(error_list));
  std::string hint_key = "fm_" + KeyPart(input.key) + "_hint";
  const FieldType type = input.spec->type;
  std::string hint = set_on_save                       ? T(page, "translated_from_auto_hint")
                     : text_->Has(page.lang, hint_key) ? T(page, hint_key)
                     : type == FieldType::kTextList ? T(page, "form_list_hint")
                                                    : "";
  if (!hint.empty()) item.Set("hint", hint);
  item.Set("hint_id", id + "-hint");
  std::string described = !hint.empty() ? id + "-hint" : "";
  if (!errors.empty()) described += (described.empty() ? "" : " ") + id + "-errors";
  item.Set("describedby", described);
  const std::string value = InputText(input);
  if (type == FieldType::kChoice || type == FieldType::kChoiceList) {
    View options = View::List();
    for (const std::string& choice : input.spec->choices) {
      View option;
      bool on = std::find(input.values.begin(), input.values.end(), choice) != input.values.end();
      option.Set("value", choice).Set("label", T(page, "choice_" + KeyPart(choice)));
      option.Set("on", on).Set("option_id", id + "-" + choice);
      options.Push(std::move(option));
    }
    item.Set("options", std::move(options));
    item.Set(type == FieldType::kChoice ? "is_select" : "is_checks", true);
  } else if (type == FieldType::kLongText || type == FieldType::kTextList) {
    item.Set("is_textarea", true).Set("value", value);
    item.Set("rows", type == FieldType::kTextList ? "3" : "2");
  } else {
    item.Set("is_input", true).Set("value", value).Set("type", set_on_save ? "text" : InputType(input));
    SetProvinceSuggestions(input.key, id, &item);
  }
  return item;
}

void AdminSite::SetProvinceSuggestions(const std::string& key, const std::string& id,
                                       View* item) const {
  // As content writes them: the default language's names; `province` may be a former one too.
  if ((key != "province" && key != "current_province") || config_.provinces.empty()) return;
  View names = View::List();
  for (const Province& province : config_.provinces) {
    names.Push(province.Name(config_.default_language));
  }
  if (key == "province") {
    for (const Province& province : config_.provinces) {
      for (const std::string& former : province.former) names.Push(former);
    }
  }
  item->Set("list_id", id + "-names").Set("suggestions", std::move(names));
}

View AdminSite::FieldsView(AdminPage& page, const KindForm& form, bool editable,
                           const std::map<std::string, std::vector<std::string>>& errors) const {
  View fields = View::List();
  const FieldSpec* open_group = nullptr;
  for (size_t i = 0; i < form.inputs.size(); ++i) {
    const FormInput& input = form.inputs[i];
    if (!input.shown) continue;
    auto found = errors.find(input.key);
    View item = InputView(page, input, editable,
                          found == errors.end() ? std::vector<std::string>{} : found->second);
    if (input.group && input.group != open_group) {
      item.Set("group_start", true).Set("legend", FieldLabel(page, input.group->name));
      open_group = input.group;
    }
    bool last_of_group = input.group && (i + 1 == form.inputs.size() ||
                                         form.inputs[i + 1].group != input.group);
    if (last_of_group) {
      item.Set("group_end", true);
      open_group = nullptr;
    }
    fields.Push(std::move(item));
  }
  return fields;
}

std::optional<std::string> AdminSite::TextFromPost(const AdminPage& page,
                                                   const std::string& path) const {
  auto typed = TypedPageOf(path);
  if (!typed) return std::nullopt;
  KindForm form;
  form.inputs = InputsOfKind(*typed->kind, typed->is_index, typed->is_translation);
  form.original = FormField(page.req, "original");
  form.advanced = FormField(page.req, "advanced");
  form.body = FormField(page.req, "body");
  form.has_front_matter = true;
  for (FormInput& input : form.inputs) {
    input.values = ValuesFromPost(*input.spec, FormFieldValues(page.req, "fm." + input.key));
  }
  return JoinForKind(form, *typed->kind);
}

// What the edit changes against the live page: each changed input as a row (before / after),
// the advanced box when it changed, and the body as a word diff of its changed paragraphs.
void AdminSite::AddReviewDiff(AdminPage& page, const EditRow& edit, const TypedPage& typed,
                              View* view) const {
  auto live = auth_->workflow()->PublishedText(edit.source_path);
  if (!live.ok()) return;
  const KindForm before = SplitForKind(*live, *typed.kind, typed.is_index, typed.is_translation);
  const KindForm after =
      SplitForKind(edit.source_text, *typed.kind, typed.is_index, typed.is_translation);
  View rows = View::List();
  auto shown = [](const FormInput& input) {
    std::string out;
    for (const std::string& v : input.values) out += (out.empty() ? "" : "; ") + v;
    return out;
  };
  bool any = false;
  for (size_t i = 0; i < after.inputs.size(); ++i) {
    const FormInput& was = before.inputs[i];
    const FormInput& now = after.inputs[i];
    if (was.values == now.values && was.shown == now.shown) continue;
    View row;
    row.Set("label", FieldLabel(page, now.key)).Set("before", shown(was)).Set("after", shown(now));
    rows.Push(std::move(row));
    any = true;
  }
  if (before.advanced != after.advanced) {
    View row;
    row.Set("label", T(page, "form_advanced_label")).Set("before", before.advanced);
    row.Set("after", after.advanced).Set("code", true);
    rows.Push(std::move(row));
    any = true;
  }
  std::string locale = "vi_VN";
  if (auto file = FileOf(edit.source_path)) {
    if (const LanguageConfig* language = config_.FindLanguage(file->lang)) locale = language->locale;
  }
  bool body_changed = before.body != after.body;
  if (body_changed) {
    auto ops = ChangedParagraphs(WordDiff(before.body, after.body, locale), "…");
    DiffLabels labels{T(page, "diff_inserted"), T(page, "diff_removed")};
    view->Set("body_diff", DiffHtml(ops, labels));  // textdiff's escaped HTML
  }
  view->Set("has_review_diff", true).Set("fields_changed", any).Set("changed_rows", std::move(rows));
  view->Set("body_changed", body_changed).Set("nothing_changed", !any && !body_changed);
}

}  // namespace clemency
