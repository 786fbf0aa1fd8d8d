#include "core/site_paths.h"

namespace clemency::paths {

std::string Home(std::string_view lang) { return "/" + std::string(lang) + "/"; }

std::string Section(std::string_view lang, std::string_view section) {
  return Home(lang) + PageSuffix(section, "");
}

std::string PageSuffix(std::string_view section, std::string_view slug) {
  std::string suffix;
  if (!section.empty()) suffix.append(section).append("/");
  if (!section.empty() && !slug.empty()) suffix.append(slug).append("/");
  return suffix;
}

std::string SectionListPage(std::string_view lang, std::string_view section, size_t n) {
  return n <= 1 ? Section(lang, section) : Section(lang, section) + "page/" + std::to_string(n) + "/";
}

std::string SectionProvince(std::string_view lang, std::string_view section,
                            std::string_view province_slug) {
  return Section(lang, section) + "province/" + std::string(province_slug) + "/";
}

std::string Page(std::string_view lang, std::string_view section, std::string_view slug) {
  return Home(lang) + PageSuffix(section, slug);
}

std::string PageHistory(std::string_view lang, std::string_view section, std::string_view slug) {
  return Page(lang, section, slug) + kHistoryFolder + "/";
}

std::string Feed(std::string_view lang, std::string_view section, std::string_view format) {
  return Section(lang, section) + "feed." + std::string(format);
}

std::string Search(std::string_view lang) { return Home(lang) + kSearchFolder + "/"; }

std::string SearchIndexFolder(std::string_view lang) {
  return std::string("/search-index/").append(lang).append("/");
}

std::string SearchIndexFile(std::string_view out_dir) {
  std::string out(out_dir);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out + ".search.sqlite";
}

std::string SelfCheck(std::string_view lang, std::string_view question) {
  std::string out = Home(lang) + kSelfCheckFolder + "/";
  if (!question.empty()) out.append(question).append("/");
  return out;
}

std::string SelfCheckResult(std::string_view lang, std::string_view outcome) {
  return SelfCheck(lang) + kSelfCheckResultFolder + "/" + std::string(outcome) + "/";
}

std::string NotFound(std::string_view lang) { return Home(lang) + "404.html"; }

std::string SitemapPart(size_t n) { return "/sitemap-" + std::to_string(n) + ".xml"; }

std::string OutputFile(std::string_view site_path) {
  std::string path(site_path.substr(site_path.empty() ? 0 : 1));
  return path.empty() || path.back() == '/' ? path + "index.html" : path;
}

std::string ApiPage(std::string_view section, std::string_view slug, std::string_view lang) {
  return "/api/v1/pages/" + std::string(section) + "/" + std::string(slug) +
         "?lang=" + std::string(lang);
}

}  // namespace clemency::paths
