#pragma once
// The codes of every problem a check reports, and their English texts. A problem is made as a
// code with named arguments (`Problem`); `clemency check` prints the English text formatted here,
// and the admin formats the same code and arguments from its Vietnamese and English catalogs
// (generator/api/admin/i18n/*.yaml, one message per code). A code's name is its catalog key.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace clemency {

// Every code, in the catalog's order (diagnostic_catalog.cpp holds the English texts).
#define CLEMENCY_DIAGNOSTIC_CODES(X)                                                              \
  /* The file: its name and size (content/loader.cpp). */                                        \
  X(check_file_deep) X(check_file_language) X(check_file_unknown_language) X(check_file_top)      \
  X(check_file_section) X(check_file_slug_hint) X(check_file_slug) X(check_file_reserved)         \
  X(check_file_link) X(check_file_large) X(check_file_unreadable) X(check_translation_source)      \
  /* The front matter's frame and YAML (content/loader.cpp, config/yaml_tree.cpp). */            \
  X(check_no_front_matter) X(check_front_matter_open) X(check_front_matter_fields)                \
  X(check_yaml_colon) X(check_yaml_no_colon) X(check_yaml_quote) X(check_yaml_indent)             \
  X(check_yaml_list_item) X(check_yaml_reserved) X(check_yaml_list_open) X(check_yaml_map_open)   \
  X(check_yaml_tab) X(check_yaml_character) X(check_yaml_bang) X(check_yaml_value)                \
  X(check_yaml_other_detail) X(check_yaml_other) X(check_yaml_key) X(check_yaml_twice)            \
  X(check_yaml_alias) X(check_yaml_structure)                                                     \
  /* Fields of any kind of value (config/yaml_fields.cpp). */                                    \
  X(check_unknown_field_hint) X(check_unknown_field) X(check_required) X(check_body_empty)        \
  X(check_not_empty) X(check_text) X(check_list) X(check_type_text) X(check_type_map)             \
  X(check_type_list) X(check_whole_number) X(check_number) X(check_boolean) X(check_date)         \
  X(check_choice)                                                                                 \
  /* The fields of pages (content/loader.cpp). */                                                \
  X(check_updated_early) X(check_sources_none) X(check_source_item) X(check_url)                  \
  X(check_translation_only) X(check_consent_personal_only) X(check_service) X(check_phone)        \
  X(check_range) X(check_district_twice) X(check_same_province) X(check_unknown_province) X(check_unknown_province_hint) X(check_former_province) X(check_verified_by)              \
  X(check_verified) X(check_key_date_item) X(check_aliases_list_page) X(check_alias_slug)         \
  X(check_alias_own) X(check_alias_reserved) X(check_alias_twice) X(check_alias_taken)            \
  X(check_alias_claimed)                                                                          \
  /* The checks of the words (content/checks.cpp, termbase.cpp, render/site.cpp). */             \
  X(check_wording) X(check_slug_wording) X(check_term) X(check_numerals) X(check_sentence)        \
  X(check_readability_flesch) X(check_readability) X(check_raw_html)                              \
  /* Links and images of the body (render/site_links.cpp). */                                    \
  X(check_link) X(check_anchor) X(check_link_scheduled_later) X(check_link_scheduled)             \
  X(check_link_scheme) X(check_image_url) X(check_image_missing) X(check_alt)                     \
  X(check_image_consent)                                                                          \
  /* The home text against the round pages (render/site_home_check.cpp). */                       \
  X(check_home_round)                                                                             \
  /* A guide the self-check's rules lead to, made a draft or stripped of a heading. */            \
  X(check_selfcheck_guide) X(check_selfcheck_anchor)                                              \
  /* The workflow: approval needs the legal review's sign-off (editorial/actions.cpp). */        \
  X(check_legal_review)                                                                           \
  /* A problem of a site/ file, a template, a CSV import or a history file, told in English by */ \
  /* its check: the admin shows no page of those, so it has no words of its own. */               \
  X(check_other)

// A problem's code (`Diag::check_file_deep`): a misspelt one does not compile.
enum class Diag {
#define CLEMENCY_DIAGNOSTIC_ENUM(name) name,
  CLEMENCY_DIAGNOSTIC_CODES(CLEMENCY_DIAGNOSTIC_ENUM)
#undef CLEMENCY_DIAGNOSTIC_ENUM
};

// The values of a problem's parts, by name, in the order given.
using DiagnosticArgs = std::vector<std::pair<std::string, std::string>>;

// One problem as it is made: its code and arguments. An argument that picks words
// (`{unit=syllables|words}` in the English text) holds the word with '_' for spaces ("a_list").
struct Problem {
  Problem(Diag code, DiagnosticArgs args = {}) : code(code), args(std::move(args)) {}  // NOLINT
  Diag code;
  DiagnosticArgs args;
};

// Returns a problem of a file the admin shows no page of (code check_other): its check's English
// text.
inline Problem PlainProblem(std::string message) {
  return {Diag::check_other, {{"message", std::move(message)}}};
}

// Returns how many codes there are (the codes are 0 … count-1).
size_t DiagnosticCodeCount();

// Returns the code's catalog key ("check_file_deep").
const char* DiagnosticKey(Diag code);

// Returns the code's English pattern: plain text with {name} parts, {name=a|b c} for a part that
// is one of these words (its value "b_c" for "b c"); any other brace is plain text.
const char* DiagnosticPattern(Diag code);

// Returns the names of the code's parts, in the pattern's order.
std::vector<std::string> DiagnosticArgNames(Diag code);

// Returns the problem's English text: its pattern with each part replaced by its argument (a
// word part by its word; a part with no argument is left empty).
std::string FormatDiagnostic(const Problem& problem);

}  // namespace clemency
