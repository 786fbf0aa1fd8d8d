#pragma once
// The termbase (site/terms.yaml): one preferred term per key concept and language and the variants
// that must not stand for it, checked like the wording list; and the check of each language's
// numeral style (`numerals` of the language in site/config.yaml).
#include <map>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "content/page.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency {

struct TermConcept {
  std::string id;  // "special-amnesty"
  // By language: the preferred term as written, then other accepted forms (all lowercase, NFC).
  std::map<std::string, std::string> preferred;
  std::map<std::string, std::vector<std::string>> accepted;  // preferred first
  std::map<std::string, std::vector<std::string>> variants;  // lowercase, NFC
};

struct Termbase {
  std::vector<TermConcept> concepts;
  // Every accepted form of every concept in `lang`: a variant inside one of them (ការលើកលែងទោស
  // inside ការលើកលែងទោសពិសេស) is that term, not the variant.
  std::vector<std::string> AcceptedForms(const std::string& lang) const;
};

// Loads site/terms.yaml (a missing file is an empty termbase: the file is optional).
Termbase LoadTermbase(const FileSystem& fs, const std::string& path, const SiteConfig& config,
                      Diagnostics* diagnostics);

// Reports each variant of a concept in the text the page shows, at its line, with the
// preferred term; and each number written in the other numeral style ("khmer" or "western").
void CheckTerms(const Page& page, const Termbase& termbase, const std::string& locale,
                Diagnostics* diagnostics);
void CheckNumerals(const Page& page, const std::string& style, Diagnostics* diagnostics);

// How often a page uses each concept's accepted forms and its variants (for check --report).
struct TermUse {
  size_t pages_using = 0;  // pages holding an accepted form
  size_t variants = 0;     // lines holding a variant
};
void CountTermUse(const Page& page, const Termbase& termbase, const std::string& locale,
                  std::map<std::string, TermUse>* by_concept);

}  // namespace clemency
