#include "content/termbase.h"

#include "config/yaml_fields.h"
#include "content/checks.h"
#include "i18n/text.h"

namespace clemency {
namespace {

// Reads one entry: {id, preferred: {lang: term}, also: {lang: [..]}, variants: {lang: [..]}}.
void ReadConcept(FieldReader& read, const YamlNode& item, const std::string& prefix,
                 const SiteConfig& config, TermConcept* entry) {
  read.RejectUnknown(item, {"id", "preferred", "also", "variants"}, prefix);
  entry->id = read.Text(item, "id", true, prefix).value_or("");
  const YamlNode* preferred = read.Map(item, "preferred", true, prefix);
  const YamlNode* also = read.Map(item, "also", false, prefix);
  const YamlNode* variants = read.Map(item, "variants", false, prefix);
  for (const auto& language : config.languages) {
    const std::string& lang = language.code;
    auto lower = [&](const std::string& text) { return ToLower(ToNfc(text), language.locale); };
    if (preferred) {
      if (auto term = read.Text(*preferred, lang, true, prefix + "preferred.")) {
        entry->preferred[lang] = *term;
        entry->accepted[lang].push_back(lower(*term));
      }
    }
    if (also) {
      for (const auto& form : read.TextList(*also, lang, false, prefix + "also.").value_or(
               std::vector<std::string>{})) {
        entry->accepted[lang].push_back(lower(form));
      }
    }
    if (variants) {
      for (const auto& variant : read.TextList(*variants, lang, false, prefix + "variants.")
                                     .value_or(std::vector<std::string>{})) {
        entry->variants[lang].push_back(lower(variant));
      }
    }
  }
}

}  // namespace

std::vector<std::string> Termbase::AcceptedForms(const std::string& lang) const {
  std::vector<std::string> forms;
  for (const auto& entry : concepts) {
    auto it = entry.accepted.find(lang);
    if (it != entry.accepted.end()) forms.insert(forms.end(), it->second.begin(), it->second.end());
  }
  return forms;
}

Termbase LoadTermbase(const FileSystem& fs, const std::string& path, const SiteConfig& config,
                      Diagnostics* diagnostics) {
  Termbase termbase;
  if (!fs.IsFile(path)) return termbase;
  YamlNode root;
  if (!ReadYamlFile(fs, path, "cannot read the termbase", &root, diagnostics)) return termbase;
  FieldReader read(path, diagnostics);
  if (!root.IsMap()) {
    read.Error(root.line, "", PlainProblem("must be a mapping with a list of concepts"));
    return termbase;
  }
  read.RejectUnknown(root, {"concepts"});
  if (const YamlNode* list = read.List(root, "concepts", true)) {
    for (size_t i = 0; i < list->items.size(); ++i) {
      std::string prefix = "concepts[" + std::to_string(i) + "].";
      if (!list->items[i].IsMap()) {
        read.Error(list->items[i].line, prefix,
                   PlainProblem("must be a mapping with id, preferred, variants"));
        continue;
      }
      ReadConcept(read, list->items[i], prefix, config, &termbase.concepts.emplace_back());
    }
  }
  return termbase;
}

void CheckTerms(const Page& page, const Termbase& termbase, const std::string& locale,
                Diagnostics* diagnostics) {
  if (termbase.concepts.empty()) return;
  const std::string shown = ShownTextLower(page, locale);
  const std::vector<std::string> shields = termbase.AcceptedForms(page.lang);
  const bool whole_words = WrittenWithSpaces(page.lang);
  for (const auto& entry : termbase.concepts) {
    auto variants = entry.variants.find(page.lang);
    auto preferred = entry.preferred.find(page.lang);
    if (variants == entry.variants.end() || preferred == entry.preferred.end()) continue;
    for (const auto& variant : variants->second) {
      for (int line : TermLines(shown, variant, whole_words, shields)) {
        diagnostics->Add(
            page.source_path, line, "terms",
            {Diag::check_term,
             {{"variant", variant}, {"concept", entry.id}, {"preferred", preferred->second}}});
      }
    }
  }
}

void CheckNumerals(const Page& page, const std::string& style, Diagnostics* diagnostics) {
  if (style.empty()) return;
  const bool khmer = style == "khmer";
  const std::string shown = ShownTextLower(page, "");
  int line = 1;
  int reported = 0;
  // Tokens between spaces: a digit inside a token with Latin letters belongs to an identifier
  // (a document number like 22/2023/QĐ-TTg, a link) and keeps its digits.
  for (size_t pos = 0; pos < shown.size();) {
    size_t end = shown.find_first_of(" \n\t", pos);
    if (end == std::string::npos) end = shown.size();
    std::string_view token(shown.data() + pos, end - pos);
    bool latin = false, ascii_digit = false, khmer_digit = false;
    for (size_t i = 0; i < token.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(token[i]);
      // ASCII letters, and Vietnamese letters (Latin-1, Latin Extended-A/B, U+1EA0–U+1EFF).
      if ((c >= 'a' && c <= 'z') || c == 0xC3 || c == 0xC4 || c == 0xC6) latin = true;
      if (c == 0xE1 && i + 1 < token.size() &&
          (static_cast<unsigned char>(token[i + 1]) == 0xBA ||
           static_cast<unsigned char>(token[i + 1]) == 0xBB)) {
        latin = true;
      }
      if (c >= '0' && c <= '9') ascii_digit = true;
      // ០–៩ are U+17E0–U+17E9: E1 9F A0–A9.
      if (c == 0xE1 && i + 2 < token.size() && static_cast<unsigned char>(token[i + 1]) == 0x9F &&
          static_cast<unsigned char>(token[i + 2]) >= 0xA0 &&
          static_cast<unsigned char>(token[i + 2]) <= 0xA9) {
        khmer_digit = true;
      }
    }
    bool wrong = khmer ? (ascii_digit && !latin) : khmer_digit;
    if (wrong && line != reported) {
      reported = line;
      diagnostics->Add(page.source_path, line, "numerals",
                       {Diag::check_numerals,
                        {{"token", std::string(token)},
                         {"written", khmer ? "0–9" : "០–៩"},
                         {"digits", khmer ? "០–៩" : "0–9"}}});
    }
    if (end < shown.size() && shown[end] == '\n') ++line;
    pos = end + 1;
  }
}

void CountTermUse(const Page& page, const Termbase& termbase, const std::string& locale,
                  std::map<std::string, TermUse>* by_concept) {
  const std::string shown = ShownTextLower(page, locale);
  const std::vector<std::string> shields = termbase.AcceptedForms(page.lang);
  const bool whole_words = WrittenWithSpaces(page.lang);
  for (const auto& entry : termbase.concepts) {
    TermUse& use = (*by_concept)[entry.id];
    auto accepted = entry.accepted.find(page.lang);
    if (accepted != entry.accepted.end()) {
      for (const auto& form : accepted->second) {
        if (!FindTerm(shown, form, whole_words).empty()) {
          ++use.pages_using;
          break;
        }
      }
    }
    auto variants = entry.variants.find(page.lang);
    if (variants == entry.variants.end()) continue;
    for (const auto& variant : variants->second) {
      use.variants += TermLines(shown, variant, whole_words, shields).size();
    }
  }
}

}  // namespace clemency
