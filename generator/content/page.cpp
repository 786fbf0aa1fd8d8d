#include "content/page.h"

#include "core/site_paths.h"

namespace clemency {

std::string Page::TranslationKey() const {
  if (section.empty()) return "";
  return slug.empty() ? section : section + "/" + slug;
}

std::string Page::PathIn(const std::string& language) const {
  return paths::Page(language, section, slug);
}

const std::vector<std::string>& RoundStatuses() {
  static const std::vector<std::string> kStatuses = {"announced", "reviewing", "released",
                                                     "closed"};
  return kStatuses;
}

}  // namespace clemency
