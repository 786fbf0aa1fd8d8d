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

const std::vector<std::string>& KnownServices() {
  static const std::vector<std::string> kServices = {
      "counselling", "training", "jobs", "loans", "club", "housing", "legal-help", "fund"};
  return kServices;
}

}  // namespace clemency
