#pragma once
// Every URL path and output file name of the site, defined once. Paths are absolute within the
// site ("/vi/guides/slug/"); a folder path ends with '/', and its file is its index.html.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace clemency::paths {

// The file in a removed page's folder: the server answers 410 Gone for that page.
inline constexpr char kGoneMarker[] = ".gone";
// The file in an old URL's folder (a page's `aliases`, paths::Page of the old slug): it holds
// the page's path now, and the server answers 301 to it. Beside it, index.html redirects too.
inline constexpr char kMovedMarker[] = ".moved";

// "/vi/": a language's home page.
std::string Home(std::string_view lang);
// "/vi/guides/": a section's list page ("" gives the home page).
std::string Section(std::string_view lang, std::string_view section);
// "/vi/guides/page/2/": page `n` (from 1) of a section's list; page 1 is Section().
std::string SectionListPage(std::string_view lang, std::string_view section, size_t n);
// "/vi/support/province/tay-ninh/": the entries of a support section in one province.
std::string SectionProvince(std::string_view lang, std::string_view section,
                            std::string_view province_slug);
// The page of `section` and `slug` in `lang`: "/vi/guides/slug/"; an empty slug is the section's
// list page, an empty section the home page.
std::string Page(std::string_view lang, std::string_view section, std::string_view slug);
// "/vi/guides/slug/history/": the page's public history (its announced changes). A folder
// inside the page's own, so it goes wherever the page goes.
std::string PageHistory(std::string_view lang, std::string_view section, std::string_view slug);
inline constexpr char kHistoryFolder[] = "history";
// What follows "/<lang>/" in a page's path: "guides/slug/", "guides/" or "".
std::string PageSuffix(std::string_view section, std::string_view slug);
// "/vi/feed.atom", "/vi/guides/feed.rss": a language's or a section's feed; `format` is atom,
// rss or json.
std::string Feed(std::string_view lang, std::string_view section, std::string_view format);
// "/vi/self-check/": the self-check's first page; with a question id, that question's page
// ("/vi/self-check/time-fixed/").
std::string SelfCheck(std::string_view lang, std::string_view question = "");
// "/vi/self-check/result/may/": an outcome of the self-check.
std::string SelfCheckResult(std::string_view lang, std::string_view outcome);
// The folder under a language that holds the self-check ("self-check"), and the one under it
// that holds outcomes ("result", so no question may have that id).
inline constexpr char kSelfCheckFolder[] = "self-check";
inline constexpr char kSelfCheckResultFolder[] = "result";
// "/vi/search/": a language's search page (answered by serve with results; a static-only site
// answers in the page from the static index, paths::SearchIndexFolder, with its script).
std::string Search(std::string_view lang);
inline constexpr char kSearchFolder[] = "search";
// "/search-index/vi/": a language's static search index (its manifest and shards).
std::string SearchIndexFolder(std::string_view lang);
// "<out>.search.sqlite": the search index (a store file) a build writes beside its output
// folder, not inside it: readers never download it.
std::string SearchIndexFile(std::string_view out_dir);
// "/vi/404.html": a language's not-found page.
std::string NotFound(std::string_view lang);
// "/sitemap-3.xml": the n-th part (from 1) of a split sitemap.
std::string SitemapPart(size_t n);
// The file a site path is written to, relative to the output folder: "/vi/x/" -> "vi/x/index.html".
std::string OutputFile(std::string_view site_path);
// "/api/v1/pages/guides/slug?lang=vi": a page in the public API.
std::string ApiPage(std::string_view section, std::string_view slug, std::string_view lang);
// "/media/<hash>-<width>x<height>.<ext>": an uploaded image (content-addressed, so cached
// forever). The name holds its size, so a page's <img> gets width, height and srcset from the
// Markdown alone; its narrower variants are the same name at each of MediaVariantWidths.
struct MediaName {
  std::string hash;  // lowercase hex
  int width = 0, height = 0;
  std::string ext;  // jpg, png or webp
};
inline constexpr char kMediaFolder[] = "media";
// Returns the site path of `name` ("/media/…").
std::string MediaFile(const MediaName& name);
// Returns the parts of a site path made by MediaFile, or nullopt for any other path.
std::optional<MediaName> ParseMediaFile(std::string_view site_path);
// Returns the widths of the narrower copies written of an image `width` wide (480, 960 below it).
std::vector<int> MediaVariantWidths(int width);
// Returns the height of the copy `variant_width` wide of an image `width` x `height` (rounded,
// at least 1). REQUIRES: width > 0.
int MediaVariantHeight(int width, int height, int variant_width);

// Under the site's base URL: the namespace of the feeds' extension elements (<clemency:change>)
// and the scheme of their change-type categories, both described by the API index (/api/v1/).
constexpr const char kFeedExtension[] = "/api/v1/#feed-extension";
constexpr const char kChangeTypeScheme[] = "/api/v1/#change-type";
// serve's WebSub hub (subscriptions by POST; feeds advertise it as rel="hub" when it runs).
constexpr const char kWebSubHub[] = "/websub";

}  // namespace clemency::paths
