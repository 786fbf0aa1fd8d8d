#include "core/site_paths.h"

#include <cstdint>

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

std::string MediaFile(const MediaName& name) {
  return "/" + std::string(kMediaFolder) + "/" + name.hash + "-" + std::to_string(name.width) +
         "x" + std::to_string(name.height) + "." + name.ext;
}

namespace {

// Returns the positive number `text` is written as (digits only, at most 5), or 0.
int SmallNumber(std::string_view text) {
  if (text.empty() || text.size() > 5) return 0;
  int n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

}  // namespace

std::optional<MediaName> ParseMediaFile(std::string_view site_path) {
  const std::string prefix = "/" + std::string(kMediaFolder) + "/";
  if (site_path.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view name = site_path.substr(prefix.size());
  size_t dash = name.find('-'), x = name.find('x', dash + 1), dot = name.find('.', x + 1);
  if (dash == std::string_view::npos || x == std::string_view::npos ||
      dot == std::string_view::npos || dash == 0 || dash > 64) {
    return std::nullopt;
  }
  MediaName m{std::string(name.substr(0, dash)), SmallNumber(name.substr(dash + 1, x - dash - 1)),
              SmallNumber(name.substr(x + 1, dot - x - 1)), std::string(name.substr(dot + 1))};
  if (m.hash.find_first_not_of("0123456789abcdef") != std::string::npos || m.width == 0 ||
      m.height == 0 || (m.ext != "jpg" && m.ext != "png" && m.ext != "webp")) {
    return std::nullopt;
  }
  return m;
}

std::vector<int> MediaVariantWidths(int width) {
  std::vector<int> widths;
  for (int w : {480, 960}) {
    if (w < width) widths.push_back(w);
  }
  return widths;
}

int MediaVariantHeight(int width, int height, int variant_width) {
  int64_t h = (static_cast<int64_t>(height) * variant_width + width / 2) / width;
  return h < 1 ? 1 : static_cast<int>(h);
}

}  // namespace clemency::paths
