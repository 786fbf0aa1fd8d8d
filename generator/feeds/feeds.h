#pragma once
// Atom 1.0, RSS 2.0 and JSON Feed 1.1 for one language or one section, plus the sitemap.
#include <string>
#include <vector>

#include "core/datetime.h"

namespace clemency {

// What an entry announces, for machines: Atom's <category scheme=paths::kChangeTypeScheme>, RSS's
// <category domain=…>, the extension element <clemency:change> and JSON Feed's `_clemency`.
// A page's change type is major or correction (its newest announced revision: minor changes
// are not announced); a withdrawal's is withdrawn or gone.
struct FeedEntry {
  std::string id;   // stable: tag:<host>,<date>:<path>
  std::string url;  // absolute
  std::string title, summary, content_html, change_note, lang;
  std::vector<std::string> tags;
  DateTime published, updated;
  // What the licence covers of this entry, when not all of it (a story retold from a press
  // report: the retelling only); Atom's entry <rights>, JSON Feed's `_clemency.rights`.
  std::string rights{};
  std::string change_type{};  // major, correction, withdrawn or gone ("": not stated)
  // A withdrawal (change_type withdrawn or gone): the reason shown to readers and its language,
  // for Atom's RFC 6721 <at:deleted-entry> (ref = id, when = updated).
  std::string withdrawn_reason{}, withdrawn_reason_lang{};
  bool Withdrawn() const { return change_type == "withdrawn" || change_type == "gone"; }
};


// The licence the feed's content is published under; all empty when the site states none.
struct FeedLicence {
  std::string name, spdx, url;
  std::string attribution;  // how to credit the site, in the feed's language
  std::string rights;       // licence and attribution in one line: <rights>, <copyright>
};

struct FeedInfo {
  std::string id, title, subtitle, lang, author;
  std::string base_url;  // the site's: the extension namespace and category scheme hang off it
  std::string home_url;  // absolute URL of the page the feed follows
  std::string feed_url;  // absolute URL of this feed (rel="self"), set per format by the writer
  std::string hub_url{};  // the WebSub hub to subscribe at (rel="hub"; "": none advertised)
  DateTime updated;      // newest entry, or the site's newest page when empty
  FeedLicence licence{};
};

std::string RenderAtom(const FeedInfo& info, const std::vector<FeedEntry>& entries);
std::string RenderRss(const FeedInfo& info, const std::vector<FeedEntry>& entries);
std::string RenderJsonFeed(const FeedInfo& info, const std::vector<FeedEntry>& entries);

// Stable feed id: tag:<host>,<yyyy-mm-dd>:<path>.
std::string TagUri(const std::string& base_url, const DateTime& date, const std::string& path);

// One published page and its translations, for the sitemap.
struct SitemapGroup {
  std::vector<std::pair<std::string, std::string>> alternates;  // hreflang -> absolute URL
  // Each translation's absolute URL and last change (none known: unix_seconds == 0, left out).
  std::vector<std::pair<std::string, DateTime>> urls;
};
// sitemaps.org allows at most 50,000 URLs in one file; a larger site gets several files and a
// sitemap index.
constexpr size_t kSitemapMaxUrls = 50000;
// Files of this many URLs: publishing one page rewrites the one file that lists it (and the
// one listing its section), not a sitemap of the whole site.
constexpr size_t kSitemapUrlsPerFile = 1000;
// The urlset of URLs [first, first + count) in the order of `groups`.
std::string RenderSitemap(const std::vector<SitemapGroup>& groups, size_t first, size_t count);
// A sitemap index listing the given absolute sitemap URLs.
std::string RenderSitemapIndex(const std::vector<std::string>& sitemap_urls);

}  // namespace clemency
