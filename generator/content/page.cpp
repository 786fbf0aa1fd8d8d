#include "content/page.h"

namespace clemency {

std::string Page::TranslationKey() const {
  if (section.empty()) return "";
  return slug.empty() ? section : section + "/" + slug;
}

std::string Page::PathIn(const std::string& language) const {
  std::string path = "/" + language + "/";
  if (!section.empty()) path += section + "/";
  if (!slug.empty()) path += slug + "/";
  return path;
}

}  // namespace clemency
