#include "content/front_matter_schema.h"

#include "config/site_config.h"
#include "content/page.h"

namespace clemency {
namespace {

using T = FieldType;
using N = FieldNeed;

FieldSpec Field(std::string name, FieldType type, FieldNeed need = N::kOptional,
                std::vector<std::string> choices = {}) {
  FieldSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.need = need;
  spec.choices = std::move(choices);
  return spec;
}

FieldSpec Group(std::string name, FieldNeed need, std::vector<FieldSpec> parts) {
  FieldSpec spec = Field(std::move(name), T::kMap, need);
  spec.parts = std::move(parts);
  return spec;
}

const std::vector<FieldSpec>& CommonFields() {
  static const std::vector<FieldSpec> kFields = {
      Field("title", T::kText, N::kAlways),
      Field("summary", T::kLongText),
      Field("date", T::kDate, N::kNotIndex),
      Field("updated", T::kDate),
      Field("reviewed", T::kDate, N::kCitesSources),
      Field("draft", T::kStructured),
      Field("weight", T::kNumber),
      Field("tags", T::kTextList),
      Field("sources", T::kStructured, N::kCitesSources),
      Field("change_note", T::kLongText),
      Field("translation_status", T::kChoice, N::kTranslation, TranslationStatuses()),
      Field("translated_from", T::kDate, N::kTranslation),
      Field("aliases", T::kTextList),
  };
  return kFields;
}

const std::vector<FieldSpec>& StoryFields() {
  static const std::vector<FieldSpec> kFields = {
      Group("consent", N::kKind,
            {Field("basis", T::kChoice, N::kKind, ConsentBases()), Field("given_by", T::kText),
             Field("date", T::kDate), Field("scope", T::kChoice, N::kOptional, ConsentScopes()),
             Field("images", T::kChoice, N::kOptional, ConsentImages())}),
      Group("source", N::kKind,
            {Field("title", T::kText, N::kKind), Field("publisher", T::kText, N::kKind),
             Field("date", T::kDate), Field("url", T::kUrl)}),
  };
  return kFields;
}

const std::vector<FieldSpec>& SupportFields() {
  static const std::vector<FieldSpec> kFields = {
      Field("province", T::kText, N::kKind),
      Field("current_province", T::kText),
      Field("commune", T::kText),
      Field("former_district", T::kText),
      Field("district", T::kText),
      Field("organisation", T::kText, N::kKind),
      Field("services", T::kChoiceList, N::kOptional, KnownServices()),
      Group("contact", N::kOptional,
            {Field("phone", T::kPhone), Field("address", T::kText), Field("hours", T::kText)}),
      Field("coordinates", T::kStructured),
      Field("verified", T::kDate),
      Field("verified_by", T::kText),
  };
  return kFields;
}

const std::vector<FieldSpec>& RoundFields() {
  static const std::vector<FieldSpec> kFields = {
      Field("decision", T::kText),
      Field("decision_date", T::kDate),
      Field("status", T::kChoice, N::kKind, RoundStatuses()),
      Field("key_dates", T::kStructured, N::kKind),
      Field("conditions", T::kTextList),
  };
  return kFields;
}

}  // namespace

const std::vector<std::string>& TranslationStatuses() {
  static const std::vector<std::string> kValues = {"reviewed", "machine-assisted"};
  return kValues;
}

const std::vector<std::string>& ConsentBases() {
  static const std::vector<std::string> kValues = {"personal", "published-report"};
  return kValues;
}

const std::vector<std::string>& ConsentImages() {
  static const std::vector<std::string> kValues = {"allowed", "not-allowed"};
  return kValues;
}

const std::vector<std::string>& ConsentScopes() {
  static const std::vector<std::string> kValues = {"initials-only", "full-name"};
  return kValues;
}

const PageKind& KindOfPage(const SiteConfig& config, const std::string& section,
                           const std::string& slug) {
  if (section.empty()) return *FindPageKind("home");
  if (slug.empty()) return *FindPageKind("section");
  return *FindPageKind(config.FindSection(section)->kind);  // the config names known kinds
}

std::vector<const FieldSpec*> FieldsOfKind(const PageKind& kind) {
  std::vector<const FieldSpec*> out;
  auto add = [&out](const std::vector<FieldSpec>& fields) {
    for (const FieldSpec& field : fields) out.push_back(&field);
  };
  add(CommonFields());
  if (kind.story_fields) add(StoryFields());
  if (kind.support_fields) add(SupportFields());
  if (kind.round_fields) add(RoundFields());
  return out;
}

std::vector<std::string> FieldNamesOfKind(const PageKind& kind) {
  std::vector<std::string> names;
  for (const FieldSpec* field : FieldsOfKind(kind)) names.push_back(field->name);
  return names;
}

bool FieldRequired(const FieldSpec& field, const PageKind& kind, bool is_index,
                   bool is_translation) {
  switch (field.need) {
    case N::kOptional: return false;
    case N::kAlways: return true;
    case N::kNotIndex: return !is_index;
    case N::kCitesSources: return kind.cites_sources;
    case N::kTranslation: return is_translation;
    case N::kKind: return true;
  }
  return false;
}

const FieldSpec* FindField(const PageKind& kind, const std::string& name) {
  size_t dot = name.find('.');
  std::string top = name.substr(0, dot);
  for (const FieldSpec* field : FieldsOfKind(kind)) {
    if (field->name != top) continue;
    if (dot == std::string::npos) return field;
    for (const FieldSpec& part : field->parts) {
      if (part.name == name.substr(dot + 1)) return &part;
    }
    return nullptr;
  }
  return nullptr;
}

}  // namespace clemency
