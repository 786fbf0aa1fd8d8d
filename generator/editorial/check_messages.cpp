#include "editorial/check_messages.h"

#include <algorithm>
#include <optional>
#include <string_view>

namespace clemency {
namespace {

// One kind of problem: the check's own English message, with marks where it varies:
//   {name}           a part the catalog message shows (the argument `name`)
//   {name=a|b|c d}   one of these words, passed as a select keyword ("c d" -> "c_d")
//   {*}              a part the catalog message leaves out
// Any other brace is plain text ("a mapping in { } …").
struct Kind {
  const char* field;  // the diagnostic's field: "" any, "x" exactly x, "x*" starting with x
  const char* text;
  const char* key;
};

// What YamlNode::KindName says a value is.
#define VALUE_KIND "{kind=text|a list|a mapping|an empty value}"
#define USE_SHORTER "; use shorter sentences and everyday words (see site/config.yaml readability)"

// The messages of content/loader.cpp, config/yaml_fields.cpp and yaml_tree.cpp (what the YAML
// parser says), content/checks.cpp and termbase.cpp, render/site.cpp and reload.cpp: everything
// `clemency check` can say of one page file. Where two could match one message, the narrower
// comes first.
const Kind kKinds[] = {
    // The file: its name and size (content/loader.cpp).
    {"", "too deep: expected content/<section>/<slug>.<lang>.md", "check_file_deep"},
    {"", "file name needs a language: <slug>.<lang>.md", "check_file_language"},
    {"", "'{lang}' is not a language in site/config.yaml", "check_file_unknown_language"},
    {"", "only _index.<lang>.md may sit directly in content/", "check_file_top"},
    {"", "'{section}' is not a section in site/config.yaml", "check_file_section"},
    {"", "'{name}' is not a slug (lowercase letters, digits, hyphens); rename it to '{slug}'",
     "check_file_slug_hint"},
    {"", "'{name}' is not a slug (lowercase letters, digits, hyphens)", "check_file_slug"},
    {"", "'{name}' is kept for the site's own list pages {*}; choose another slug",
     "check_file_reserved"},
    {"file", "is a symbolic link that leads outside the source folder", "check_file_link"},
    {"file",
     "too large ({size} KiB; the limit is {limit} MiB, max_content_file_mb in site/config.yaml)",
     "check_file_large"},
    {"", "cannot read file", "check_file_unreadable"},
    {"", "translation without a {lang} page (expected {file})", "check_translation_source"},

    // The front matter's frame and YAML (content/loader.cpp, config/yaml_tree.cpp).
    {"", "must start with YAML front matter between --- lines", "check_no_front_matter"},
    {"", "front matter is not closed by a --- line", "check_front_matter_open"},
    {"", "front matter must be a mapping of fields", "check_front_matter_fields"},
    {"",
     "invalid YAML: a value holds ': ' (a colon and a space); put the whole value in double "
     "quotes",
     "check_yaml_colon"},
    {"",
     "invalid YAML: this line is not 'field: value'; add the colon, or join it to the line "
     "above",
     "check_yaml_no_colon"},
    {"", "invalid YAML: a quoted value is not closed; add the closing quote on this line",
     "check_yaml_quote"},
    {"",
     "invalid YAML: the indentation does not line up with the fields above; indent with the "
     "same spaces",
     "check_yaml_indent"},
    {"",
     "invalid YAML: a list item does not line up with the others; start each item with '- ' "
     "at the same indentation",
     "check_yaml_list_item"},
    {"",
     "invalid YAML: a value starts with a character YAML reserves (such as @, ` or %); put "
     "it in double quotes",
     "check_yaml_reserved"},
    {"",
     "invalid YAML: a list in [ ] is not closed; add the closing ] on this line, or quote a "
     "value that starts with [",
     "check_yaml_list_open"},
    {"",
     "invalid YAML: a mapping in { } is not closed; add the closing } on this line, or quote "
     "a value that starts with {",
     "check_yaml_map_open"},
    {"", "invalid YAML: a tab is used for indentation; use spaces", "check_yaml_tab"},
    {"",
     "invalid YAML: this line holds a tab or a character YAML cannot read; use spaces to "
     "indent, and put values with special characters in double quotes",
     "check_yaml_character"},
    {"", "invalid YAML: a value starts with '!'; put it in double quotes", "check_yaml_bang"},
    {"",
     "invalid YAML: a value is missing or starts with a character YAML reserves; put it in "
     "double quotes",
     "check_yaml_value"},
    {"",
     "invalid YAML: this line is not valid YAML; check quotes, colons and indentation "
     "({detail})",
     "check_yaml_other_detail"},
    {"", "invalid YAML: this line is not valid YAML; check quotes, colons and indentation",
     "check_yaml_other"},
    {"", "invalid YAML: keys must be plain text", "check_yaml_key"},
    {"", "invalid YAML: '{name}' appears twice", "check_yaml_twice"},
    {"", "invalid YAML: anchors and aliases (&, *) are not supported; write the value out",
     "check_yaml_alias"},
    {"", "invalid YAML: unexpected YAML structure", "check_yaml_structure"},
    {"", "invalid YAML: {detail}", "check_yaml"},

    // Fields of any kind of value (config/yaml_fields.cpp).
    {"", "unknown field; did you mean '{hint}'?", "check_unknown_field_hint"},
    {"", "unknown field (allowed: {allowed})", "check_unknown_field"},
    {"", "is required", "check_required"},
    {"body", "is empty", "check_body_empty"},
    {"", "is empty", "check_not_empty"},
    {"", "must not be empty", "check_not_empty"},
    {"", "must be non-empty text", "check_text"},
    {"", "must list at least one item", "check_list"},
    {"", "must be text, not " VALUE_KIND, "check_type_text"},
    {"", "must be a mapping of fields, not " VALUE_KIND, "check_type_map"},
    {"", "must be a list, not " VALUE_KIND, "check_type_list"},
    {"", "must be a whole number, not '{value}'", "check_whole_number"},
    {"", "must be a number, not '{value}'", "check_number"},
    {"", "must be true or false, not '{value}'", "check_boolean"},
    {"", "must be a date like 2026-11-20 or 2026-11-20T09:00:00+07:00, not '{value}'",
     "check_date"},
    {"", "must be one of {choices}, not '{value}'", "check_choice"},

    // The fields of pages (content/loader.cpp).
    {"updated", "is earlier than date", "check_updated_early"},
    {"sources", "a guide must cite at least one legal source", "check_sources_none"},
    {"", "must be a mapping with title, number, article, url", "check_source_item"},
    {"", "must start with https:// or http://", "check_url"},
    {"", "only translations carry this; {lang} is the source language", "check_translation_only"},
    {"",
     "only a personal consent has this; a story retold from a published report records no "
     "consent",
     "check_consent_personal_only"},
    {"services", "'{service}' is not a known service ({known})", "check_service"},
    {"", "may hold only digits, spaces and + . - ( )", "check_phone"},
    {"", "must be between {min} and {max}", "check_range"},
    {"district", "write the district once: former_district replaces district",
     "check_district_twice"},
    {"current_province", "is the same as province; leave it out when the province was not merged",
     "check_same_province"},
    {"verified_by",
     "is required with verified: name the office or role that confirmed the entry "
     "still runs",
     "check_verified_by"},
    {"verified", "is required with verified_by: the date it was confirmed", "check_verified"},
    {"", "must be a mapping with label and date", "check_key_date_item"},

    // The checks of the words (content/checks.cpp, termbase.cpp, render/site.cpp).
    {"wording", "'{term}' labels a person by their past; write '{use}'", "check_wording"},
    {"terms",
     "'{variant}' is not the site's term for {concept}; write '{preferred}' "
     "(site/terms.yaml)",
     "check_term"},
    {"numerals",
     "'{token}' is written with {*}; this language writes numbers with {digits} "
     "(numerals in site/config.yaml)",
     "check_numerals"},
    {"readability",
     "one sentence has {count} {unit=syllables|words} (at most {limit}): "
     "'{start}'; split it",
     "check_sentence"},
    {"readability", "Flesch reading ease {value} (at least {limit})" USE_SHORTER,
     "check_readability_flesch"},
    {"readability", "{value} {unit=syllables|words} per sentence (at most {limit})" USE_SHORTER,
     "check_readability"},
    {"body",
     "warning: raw HTML {tag} is not published (only Markdown is); readers see it as plain text — "
     "write it in Markdown or remove it",
     "check_raw_html"},

    // Links and images of the body (render/site.cpp).
    {"body", "link '{href}' points to {*}, which is not a page of this site", "check_link"},
    {"body", "link '{href}': {*} has no heading with id '{id}'", "check_anchor"},
    {"body",
     "link '{href}' links to {*}, which is scheduled for {date}, after this page goes "
     "live ({live})",
     "check_link_scheduled_later"},
    {"body",
     "link '{href}' links to {*}, which is scheduled for {date}; the link would be broken "
     "until then",
     "check_link_scheduled"},
    {"body",
     "link '{href}' uses a scheme that is not allowed (use https:, http:, mailto:, tel: "
     "or a site path)",
     "check_link_scheme"},
    {"body", "image '{src}' is not an allowed URL", "check_image_url"},
    {"body", "image '{src}' is not a file of this site", "check_image_missing"},
    {"body", "image '{src}' has no alt text; describe it for people who cannot see it",
     "check_alt"},

    // A guide the self-check's rules lead to, made a draft or stripped of a heading.
    {"rules[*", "'{guide}' is not a page of this site", "check_selfcheck_guide"},
    {"rules[*", "{page} has no heading with id '{id}'", "check_selfcheck_anchor"},
};

#undef VALUE_KIND
#undef USE_SHORTER

// A piece of a kind's text: plain text, or a part that varies.
struct Piece {
  std::string text;                // plain text ("" for a part)
  std::string arg;                 // the argument's name ("" for a part left out)
  std::vector<std::string> words;  // the words it may be (none: any text)
  bool part = false;
};

bool IsArgName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(),
                                      [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// The part marked at `text[at]` (see Kind), or nullopt when the brace there is plain text;
// `length` is set to the mark's length.
std::optional<Piece> Mark(std::string_view text, size_t at, size_t* length) {
  if (text[at] != '{') return std::nullopt;
  size_t end = text.find('}', at);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view inner = text.substr(at + 1, end - at - 1);
  size_t equals = inner.find('=');
  Piece piece;
  piece.part = true;
  if (inner != "*") {
    if (!IsArgName(inner.substr(0, equals))) return std::nullopt;
    piece.arg = std::string(inner.substr(0, equals));
  }
  for (size_t from = equals; from != std::string_view::npos;) {
    size_t bar = inner.find('|', from + 1);
    piece.words.emplace_back(
        inner.substr(from + 1, bar == std::string_view::npos ? bar : bar - from - 1));
    from = bar;
  }
  *length = end - at + 1;
  return piece;
}

std::vector<Piece> Pieces(std::string_view text) {
  std::vector<Piece> pieces;
  for (size_t at = 0; at < text.size();) {
    size_t length = 0;
    if (auto mark = Mark(text, at, &length)) {
      pieces.push_back(std::move(*mark));
      at += length;
      continue;
    }
    if (pieces.empty() || pieces.back().part) pieces.emplace_back();
    pieces.back().text += text[at++];
  }
  return pieces;
}

struct Compiled {
  const Kind* kind;
  std::vector<Piece> pieces;
};

const std::vector<Compiled>& Kinds() {
  static const std::vector<Compiled> kinds = [] {
    std::vector<Compiled> out;
    for (const Kind& kind : kKinds) out.push_back({&kind, Pieces(kind.text)});
    return out;
  }();
  return kinds;
}

// Whether `message` from `at` on is pieces[i…], each part's text set in `parts` (by piece).
// A part takes as little text as lets the rest match, tried only where the plain text after it
// is found; a kind has a few parts, so the recursion stays shallow.
bool MatchFrom(const std::vector<Piece>& pieces, size_t i, std::string_view message, size_t at,
               std::vector<std::string_view>* parts) {
  if (i == pieces.size()) return at == message.size();
  const Piece& piece = pieces[i];
  if (!piece.part) {
    return message.substr(at, piece.text.size()) == piece.text &&
           MatchFrom(pieces, i + 1, message, at + piece.text.size(), parts);
  }
  auto take = [&](size_t end) {
    (*parts)[i] = message.substr(at, end - at);
    return MatchFrom(pieces, i + 1, message, end, parts);
  };
  if (!piece.words.empty()) {
    return std::any_of(piece.words.begin(), piece.words.end(), [&](const std::string& word) {
      return message.substr(at, word.size()) == word && take(at + word.size());
    });
  }
  if (i + 1 == pieces.size()) return take(message.size());
  const std::string& next = pieces[i + 1].text;
  for (size_t end = message.find(next, at); end != std::string_view::npos;
       end = message.find(next, end + 1)) {
    if (take(end)) return true;
  }
  return false;
}

bool FieldMatches(std::string_view want, const std::string& field) {
  if (want.empty()) return true;
  if (want.back() == '*') return field.rfind(want.substr(0, want.size() - 1), 0) == 0;
  return field == want;
}

// A select keyword for a word ("a list" -> "a_list"): ICU's keywords hold no spaces.
std::string Keyword(std::string_view word) {
  std::string out(word);
  std::replace(out.begin(), out.end(), ' ', '_');
  return out;
}

}  // namespace

CheckMessage ClassifyCheck(const Diagnostic& diagnostic) {
  for (const Compiled& kind : Kinds()) {
    if (!FieldMatches(kind.kind->field, diagnostic.field)) continue;
    std::vector<std::string_view> parts(kind.pieces.size());
    if (!MatchFrom(kind.pieces, 0, diagnostic.message, 0, &parts)) continue;
    CheckMessage message{kind.kind->key, {{"field", diagnostic.field}}};
    for (size_t i = 0; i < kind.pieces.size(); ++i) {
      const Piece& piece = kind.pieces[i];
      if (piece.arg.empty()) continue;
      message.args.emplace_back(piece.arg,
                                piece.words.empty() ? std::string(parts[i]) : Keyword(parts[i]));
    }
    return message;
  }
  return {};
}

std::vector<CheckMessage> CheckMessageKinds() {
  std::vector<CheckMessage> out;
  for (const Compiled& kind : Kinds()) {
    CheckMessage message{kind.kind->key, {{"field", ""}}};
    for (const Piece& piece : kind.pieces) {
      if (!piece.arg.empty()) message.args.emplace_back(piece.arg, "");
    }
    out.push_back(std::move(message));
  }
  return out;
}

}  // namespace clemency
