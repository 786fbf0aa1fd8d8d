#include "core/diagnostic_catalog.h"

#include <algorithm>
#include <iterator>
#include <string_view>

namespace clemency {
namespace {

struct Entry {
  Diag code;
  const char* pattern;
};

// What YamlNode::KindName says a value is.
#define VALUE_KIND "{kind=text|a list|a mapping|an empty value}"
#define USE_SHORTER "; use shorter sentences and everyday words (see site/config.yaml readability)"
#define INVALID_YAML "invalid YAML: "

// The English text of every code, in the order of CLEMENCY_DIAGNOSTIC_CODES.
constexpr Entry kCatalog[] = {
    // The file: its name and size.
    {Diag::check_file_deep, "too deep: expected content/<section>/<slug>.<lang>.md"},
    {Diag::check_file_language, "file name needs a language: <slug>.<lang>.md"},
    {Diag::check_file_unknown_language, "'{lang}' is not a language in site/config.yaml"},
    {Diag::check_file_top, "only _index.<lang>.md may sit directly in content/"},
    {Diag::check_file_section, "'{section}' is not a section in site/config.yaml"},
    {Diag::check_file_slug_hint,
     "'{name}' is not a slug (lowercase letters, digits, hyphens); rename it to '{slug}'"},
    {Diag::check_file_slug, "'{name}' is not a slug (lowercase letters, digits, hyphens)"},
    {Diag::check_file_reserved,
     "'{name}' is kept for the site's own list pages (/<lang>/{section}/{name}/…); choose "
     "another slug"},
    {Diag::check_file_link, "is a symbolic link that leads outside the source folder"},
    {Diag::check_file_large,
     "too large ({size} KiB; the limit is {limit} MiB, max_content_file_mb in site/config.yaml)"},
    {Diag::check_file_unreadable, "cannot read file"},
    {Diag::check_translation_source, "translation without a {lang} page (expected {file})"},

    // The front matter's frame and YAML.
    {Diag::check_no_front_matter, "must start with YAML front matter between --- lines"},
    {Diag::check_front_matter_open, "front matter is not closed by a --- line"},
    {Diag::check_front_matter_fields, "front matter must be a mapping of fields"},
    {Diag::check_yaml_colon,
     INVALID_YAML "a value holds ': ' (a colon and a space); put the whole value in double quotes"},
    {Diag::check_yaml_no_colon,
     INVALID_YAML "this line is not 'field: value'; add the colon, or join it to the line above"},
    {Diag::check_yaml_quote,
     INVALID_YAML "a quoted value is not closed; add the closing quote on this line"},
    {Diag::check_yaml_indent,
     INVALID_YAML "the indentation does not line up with the fields above; indent with the same "
                  "spaces"},
    {Diag::check_yaml_list_item,
     INVALID_YAML "a list item does not line up with the others; start each item with '- ' at "
                  "the same indentation"},
    {Diag::check_yaml_reserved,
     INVALID_YAML "a value starts with a character YAML reserves (such as @, ` or %); put it in "
                  "double quotes"},
    {Diag::check_yaml_list_open,
     INVALID_YAML "a list in [ ] is not closed; add the closing ] on this line, or quote a value "
                  "that starts with ["},
    {Diag::check_yaml_map_open,
     INVALID_YAML "a mapping in { } is not closed; add the closing } on this line, or quote a "
                  "value that starts with {"},
    {Diag::check_yaml_tab, INVALID_YAML "a tab is used for indentation; use spaces"},
    {Diag::check_yaml_character,
     INVALID_YAML "this line holds a tab or a character YAML cannot read; use spaces to indent, "
                  "and put values with special characters in double quotes"},
    {Diag::check_yaml_bang, INVALID_YAML "a value starts with '!'; put it in double quotes"},
    {Diag::check_yaml_value,
     INVALID_YAML "a value is missing or starts with a character YAML reserves; put it in double "
                  "quotes"},
    {Diag::check_yaml_other_detail,
     INVALID_YAML "this line is not valid YAML; check quotes, colons and indentation ({detail})"},
    {Diag::check_yaml_other,
     INVALID_YAML "this line is not valid YAML; check quotes, colons and indentation"},
    {Diag::check_yaml_key, INVALID_YAML "keys must be plain text"},
    {Diag::check_yaml_twice, INVALID_YAML "'{name}' appears twice"},
    {Diag::check_yaml_alias,
     INVALID_YAML "anchors and aliases (&, *) are not supported; write the value out"},
    {Diag::check_yaml_structure, INVALID_YAML "unexpected YAML structure"},

    // Fields of any kind of value.
    {Diag::check_unknown_field_hint, "unknown field; did you mean '{hint}'?"},
    {Diag::check_unknown_field, "unknown field (allowed: {allowed})"},
    {Diag::check_required, "is required"},
    {Diag::check_body_empty, "is empty"},
    {Diag::check_not_empty, "must not be empty"},
    {Diag::check_text, "must be non-empty text"},
    {Diag::check_list, "must list at least one item"},
    {Diag::check_type_text, "must be text, not " VALUE_KIND},
    {Diag::check_type_map, "must be a mapping of fields, not " VALUE_KIND},
    {Diag::check_type_list, "must be a list, not " VALUE_KIND},
    {Diag::check_whole_number, "must be a whole number, not '{value}'"},
    {Diag::check_number, "must be a number, not '{value}'"},
    {Diag::check_boolean, "must be true or false, not '{value}'"},
    {Diag::check_date,
     "must be a date like 2026-11-20 or 2026-11-20T09:00:00+07:00, not '{value}'"},
    {Diag::check_choice, "must be one of {choices}, not '{value}'"},

    // The fields of pages.
    {Diag::check_updated_early, "is earlier than date"},
    {Diag::check_sources_none, "a guide must cite at least one legal source"},
    {Diag::check_source_item, "must be a mapping with title, number, article, url"},
    {Diag::check_url, "must start with https:// or http://"},
    {Diag::check_translation_only, "only translations carry this; {lang} is the source language"},
    {Diag::check_consent_personal_only,
     "only a personal consent has this; a story retold from a published report records no "
     "consent"},
    {Diag::check_service, "'{service}' is not a known service ({known})"},
    {Diag::check_phone, "may hold only digits, spaces and + . - ( )"},
    {Diag::check_range, "must be between {min} and {max}"},
    {Diag::check_district_twice, "write the district once: former_district replaces district"},
    {Diag::check_same_province,
     "is the same as province; leave it out when the province was not merged"},
    {Diag::check_unknown_province,
     "'{name}' is not one of the 34 provinces, a former province or the whole country "
     "(site/provinces.yaml)"},
    {Diag::check_unknown_province_hint,
     "'{name}' is not one of the 34 provinces, a former province or the whole country "
     "(site/provinces.yaml); did you mean '{hint}'?"},
    {Diag::check_former_province,
     "'{name}' was merged into {current} on 1 July 2025: write current_province: {current}"},
    {Diag::check_verified_by,
     "is required with verified: name the office or role that confirmed the entry still runs"},
    {Diag::check_verified, "is required with verified_by: the date it was confirmed"},
    {Diag::check_key_date_item, "must be a mapping with label and date"},
    {Diag::check_aliases_list_page, "only a page with a slug may have aliases, not a list page"},
    {Diag::check_alias_slug,
     "'{alias}' is not a slug of this section (lowercase letters, digits, hyphens; no '/')"},
    {Diag::check_alias_own, "'{alias}' is the page's own slug"},
    {Diag::check_alias_reserved, "'{alias}' is kept for the section's list pages"},
    {Diag::check_alias_twice, "'{alias}' is listed twice"},
    {Diag::check_alias_taken,
     "'{alias}' is the slug of a page of this section (content/{page}.<lang>.md); an old URL may "
     "only redirect once no page has it"},
    {Diag::check_alias_claimed,
     "'{alias}' is already an alias of {page}; an old URL can redirect to one page only"},

    // The checks of the words.
    {Diag::check_wording, "'{term}' labels a person by their past; write '{use}'"},
    {Diag::check_slug_wording,
     "the file name '{slug}' holds '{term}', which labels a person by their past; rename the "
     "file in the words of '{use}' and keep the old slug in `aliases`"},
    {Diag::check_term,
     "'{variant}' is not the site's term for {concept}; write '{preferred}' (site/terms.yaml)"},
    {Diag::check_numerals,
     "'{token}' is written with {written}; this language writes numbers with {digits} "
     "(numerals in site/config.yaml)"},
    {Diag::check_sentence,
     "one sentence has {count} {unit=syllables|words} (at most {limit}): '{start}'; split it"},
    {Diag::check_readability_flesch, "Flesch reading ease {value} (at least {limit})" USE_SHORTER},
    {Diag::check_readability,
     "{value} {unit=syllables|words} per sentence (at most {limit})" USE_SHORTER},
    {Diag::check_raw_html,
     "raw HTML {tag} is not published (only Markdown is); readers see it as plain text — write "
     "it in Markdown or remove it"},

    // Links and images of the body.
    {Diag::check_link, "link '{href}' points to {target}, which is not a page of this site"},
    {Diag::check_anchor, "link '{href}': {target} has no heading with id '{id}'"},
    {Diag::check_link_scheduled_later,
     "link '{href}' links to {target}, which is scheduled for {date}, after this page goes live "
     "({live})"},
    {Diag::check_link_scheduled,
     "link '{href}' links to {target}, which is scheduled for {date}; the link would be broken "
     "until then"},
    {Diag::check_link_scheme,
     "link '{href}' uses a scheme that is not allowed (use https:, http:, mailto:, tel: or a "
     "site path)"},
    {Diag::check_image_url, "image '{src}' is not an allowed URL"},
    {Diag::check_image_missing, "image '{src}' is not a file of this site"},
    {Diag::check_alt, "image '{src}' has no alt text; describe it for people who cannot see it"},
    {Diag::check_image_consent,
     "image '{src}' shows a person: the story's consent must cover photos (consent.images: "
     "allowed), or a story retold from a report may show only that report's photos"},

    // The home text against the round pages.
    {Diag::check_home_round,
     "names {named}, which no published round page has; the box below the text still shows "
     "'{round}' ({status}): publish the new round's page first, or change the text"},

    // The self-check's guides.
    {Diag::check_selfcheck_guide, "'{guide}' is not a page of this site"},
    {Diag::check_selfcheck_anchor, "{page} has no heading with id '{id}'"},

    {Diag::check_legal_review, "confirm the legal review before approving"},
    {Diag::check_other, "{message}"},
};

#undef VALUE_KIND
#undef USE_SHORTER
#undef INVALID_YAML

constexpr const char* kKeys[] = {
#define CLEMENCY_DIAGNOSTIC_KEY(name) #name,
    CLEMENCY_DIAGNOSTIC_CODES(CLEMENCY_DIAGNOSTIC_KEY)
#undef CLEMENCY_DIAGNOSTIC_KEY
};

constexpr bool InCodeOrder() {
  for (size_t i = 0; i < std::size(kCatalog); ++i) {
    if (static_cast<size_t>(kCatalog[i].code) != i) return false;
  }
  return true;
}
static_assert(std::size(kCatalog) == std::size(kKeys), "every code has one English text");
static_assert(InCodeOrder(), "kCatalog lists the codes in the order they are declared");

// A part of a pattern at `text[at]`: its name and its words ("" and none when the brace there is
// plain text); `length` is set to the mark's length.
bool Mark(std::string_view text, size_t at, std::string_view* name,
          std::vector<std::string_view>* words, size_t* length) {
  if (text[at] != '{') return false;
  size_t end = text.find('}', at);
  if (end == std::string_view::npos) return false;
  std::string_view inner = text.substr(at + 1, end - at - 1);
  size_t equals = inner.find('=');
  *name = inner.substr(0, equals);
  if (name->empty() || !std::all_of(name->begin(), name->end(),
                                    [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; })) {
    return false;
  }
  words->clear();
  for (size_t from = equals; from != std::string_view::npos;) {
    size_t bar = inner.find('|', from + 1);
    words->push_back(inner.substr(from + 1, bar == std::string_view::npos ? bar : bar - from - 1));
    from = bar;
  }
  *length = end - at + 1;
  return true;
}

// A select keyword for a word ("a list" -> "a_list"): ICU's keywords hold no spaces.
std::string Keyword(std::string_view word) {
  std::string out(word);
  std::replace(out.begin(), out.end(), ' ', '_');
  return out;
}

std::string_view ArgValue(const DiagnosticArgs& args, std::string_view name) {
  for (const auto& [key, value] : args) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace

size_t DiagnosticCodeCount() { return std::size(kCatalog); }

const char* DiagnosticKey(Diag code) { return kKeys[static_cast<size_t>(code)]; }

const char* DiagnosticPattern(Diag code) { return kCatalog[static_cast<size_t>(code)].pattern; }

std::vector<std::string> DiagnosticArgNames(Diag code) {
  std::string_view text = DiagnosticPattern(code);
  std::vector<std::string> names;
  std::string_view name;
  std::vector<std::string_view> words;
  for (size_t at = 0, length = 1; at < text.size(); at += length) {
    length = 1;
    if (Mark(text, at, &name, &words, &length) &&
        std::find(names.begin(), names.end(), name) == names.end()) {
      names.emplace_back(name);
    }
  }
  return names;
}

std::string FormatDiagnostic(const Problem& problem) {
  std::string_view text = DiagnosticPattern(problem.code);
  std::string out;
  std::string_view name;
  std::vector<std::string_view> words;
  for (size_t at = 0, length = 1; at < text.size(); at += length) {
    length = 1;
    if (!Mark(text, at, &name, &words, &length)) {
      out += text[at];
      continue;
    }
    std::string_view value = ArgValue(problem.args, name);
    auto word = std::find_if(words.begin(), words.end(),
                             [&](std::string_view w) { return Keyword(w) == value; });
    out += word == words.end() ? value : *word;
  }
  return out;
}

}  // namespace clemency
