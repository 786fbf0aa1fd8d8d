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

}  // namespace clemency
