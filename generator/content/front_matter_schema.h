#pragma once
// The front-matter fields of each page kind, defined once: the loader accepts exactly these names
// (anything else is "unknown field") and the admin's edit form shows one typed input per field,
// so what the checker reads and what the form writes cannot drift apart.
#include <string>
#include <string_view>
#include <vector>

#include "config/page_kinds.h"

namespace clemency {

struct SiteConfig;

// How a field is written and entered.
enum class FieldType {
  kText,        // one line of text
  kLongText,    // text that may run over several lines (summary, change note)
  kDate,        // a date, or a date and time (RFC 3339)
  kNumber,      // a whole number
  kPhone,       // a phone number: digits and + . - ( ) and spaces
  kUrl,         // a web address
  kChoice,      // one of `choices`
  kTextList,    // a list of texts
  kChoiceList,  // a list of some of `choices`
  kMap,         // a group of `parts`, each a scalar field (contact, consent, a story's source)
  kStructured,  // a list of groups or numbers (sources, key dates, coordinates): written as YAML
};

// When a field must be present.
enum class FieldNeed {
  kOptional,
  kAlways,       // every page (title)
  kNotIndex,     // every page but a list page (date)
  kCitesSources, // a kind that cites sources (reviewed, sources)
  kTranslation,  // a translation, not the default language's page
  kKind,         // whenever the kind has the field (a story's consent, a round's status)
};

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::kText;
  FieldNeed need = FieldNeed::kOptional;
  std::vector<std::string> choices;  // kChoice, kChoiceList
  std::vector<FieldSpec> parts;      // kMap
};

// The kind of the page file of `section` and `slug` (home: no section; a section's landing
// page: no slug). REQUIRES: `section` is empty or one of `config`'s sections.
const PageKind& KindOfPage(const SiteConfig& config, const std::string& section,
                           const std::string& slug);

// The fields a page of `kind` may have, in the order a new page writes them.
std::vector<const FieldSpec*> FieldsOfKind(const PageKind& kind);
// The names of FieldsOfKind(kind): what the loader accepts.
std::vector<std::string> FieldNamesOfKind(const PageKind& kind);
// Returns whether `field` (or a part of a map) must be present on a page of `kind`.
bool FieldRequired(const FieldSpec& field, const PageKind& kind, bool is_index,
                   bool is_translation);
// The field of `kind` called `name` ("contact.phone" finds a part), or nullptr.
const FieldSpec* FindField(const PageKind& kind, const std::string& name);

// The choices of fields the loader checks with a fixed list.
const std::vector<std::string>& TranslationStatuses();
const std::vector<std::string>& ConsentBases();
const std::vector<std::string>& ConsentScopes();
// Whether a personal consent covers photos of the person (consent.images).
const std::vector<std::string>& ConsentImages();

}  // namespace clemency
