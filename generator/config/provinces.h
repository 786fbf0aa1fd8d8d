#pragma once
// The provinces support entries may name (site/provinces.yaml): the 34 provinces and centrally-run
// cities since the 1 July 2025 reform, each with the former provinces merged into it, and one
// entry for the whole country. Matching names to codes needs folding: see i18n/provinces.h.
#include <map>
#include <string>
#include <vector>

#include "core/fs.h"
#include "core/status.h"

namespace clemency {

struct Province {
  std::string code;                          // "tay-ninh": stable, for partners to join on
  std::map<std::string, std::string> names;  // by language code
  std::vector<std::string> former;           // provinces merged into this one ("Long An")
  bool nationwide = false;                   // the whole country, not a province

  // Returns the name in `lang`, else in `fallback_lang`, else the code.
  const std::string& Name(const std::string& lang, const std::string& fallback_lang) const;
  // Returns the name in `lang`, else the code.
  const std::string& Name(const std::string& lang) const { return Name(lang, lang); }
};

// Reads the list at `path` (the default language's name is required for each entry).
// A missing file is an empty list: a site without one accepts any province name.
std::vector<Province> LoadProvinces(const FileSystem& fs, const std::string& path,
                                    const std::vector<std::string>& languages,
                                    const std::string& default_language, Diagnostics* diagnostics);

}  // namespace clemency
