#include "editorial/page_file.h"

#include <algorithm>

namespace clemency {
namespace {

bool IsName(const std::string& name) {
  if (name.empty() || name.size() > 120 || name.front() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::optional<PageFile> ParsePageFile(const std::string& path,
                                      const std::vector<std::string>& languages) {
  const std::string prefix = "content/", suffix = ".md";
  if (path.rfind(prefix, 0) != 0 || path.size() <= prefix.size() + suffix.size() ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return std::nullopt;
  }
  std::string rest = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  PageFile file;
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    file.section = rest.substr(0, slash);
    rest = rest.substr(slash + 1);
    if (!IsName(file.section)) return std::nullopt;
  }
  size_t dot = rest.rfind('.');
  if (dot == std::string::npos) return std::nullopt;
  file.lang = rest.substr(dot + 1);
  std::string name = rest.substr(0, dot);
  if (std::find(languages.begin(), languages.end(), file.lang) == languages.end()) {
    return std::nullopt;
  }
  if (name == "_index") return file;
  if (file.section.empty() || !IsName(name)) return std::nullopt;  // pages live in sections
  file.slug = name;
  return file;
}

std::string PageFilePath(const PageFile& file) {
  std::string name = (file.slug.empty() ? "_index" : file.slug) + "." + file.lang + ".md";
  return "content/" + (file.section.empty() ? "" : file.section + "/") + name;
}

}  // namespace clemency
