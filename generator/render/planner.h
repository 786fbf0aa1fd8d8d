#pragma once
// The jobs of a build and the planner that makes them. Private to render: only its own files
// include it. Each output family has its file: pages (jobs_pages.cpp), lists (jobs_lists.cpp),
// feeds (jobs_feeds.cpp), the sitemap and root files (jobs_sitemap.cpp), the self-check
// (jobs_selfcheck.cpp), histories (jobs_history.cpp); planner.cpp plans them, build.cpp runs them.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "render/site.h"
#include "render/view_builder.h"
#include "templates/view.h"

namespace clemency {

// One unit of rendering: the files it writes, the key of the inputs they depend on (empty: always
// render), and the function that renders and writes them.
struct Job {
  std::vector<std::string> outputs;
  std::string key;
  std::string page_lang;  // counts as a page of this language
  std::function<Status()> run;
};

// Translation keys of each section's live pages (not its index), in page order; every
// configured section has an entry.
std::map<std::string, std::vector<std::string>> KeysBySection(const Site& site);
// Pages of one section as shown in one language (translation or fallback), in reading order.
std::vector<const RenderedPage*> SectionPages(const Site& site, const SectionConfig& section,
                                              const std::vector<std::string>& keys,
                                              const LanguageConfig& language);
// The key of an alias's redirect starts with this, so a partial build can find, in the previous
// manifest, the old URLs a changed page had (and may no longer have).
std::string AliasKeyPrefix(const std::string& page_key);

// Plans the jobs of one build: one small planner per output kind, each owning its job's key.
class Site::Planner {
 public:
  // `writer` may be null for a planner that only renders pages to text (PageDocument).
  Planner(const Site& site, const BuildOptions& options, OutputWriter* writer);
  // The HTML document of `shown` in `lang` (its section `section`), as its page job writes it.
  Result<std::string> PageDocument(const std::string& lang, const SectionConfig& section,
                                   const RenderedPage& shown) const;
  // The HTML document of the first list page of `section` ("" for the home page) in `lang`,
  // as its job writes it. REQUIRES: the planner has no writer.
  Result<std::string> ListDocument(const std::string& lang, const std::string& section) const;
  // Every job of the site: per language its home, sections with their pages, 404 and feeds
  // (planned on all cores), then the site-wide files.
  std::vector<Job> PlanJobs() const;
  // The jobs of the outputs that show `keys` (BuildOptions::changed_keys), none a list page's.
  std::vector<Job> PlanChangedJobs(const std::set<std::string>& keys) const;
  // The files a page of `keys` may have left in the output folder in any language (its page, its
  // gone marker, its history, its old URLs in `previous`): those no job writes any more are
  // removed.
  std::vector<std::string> PageOutputs(const std::set<std::string>& keys,
                                       const BuildManifest& previous) const;

 private:
  // planner.cpp. Part 0 of a language is its home, 1..n its sections, n+1 its 404 page and
  // feeds, n+2 its self-check.
  std::vector<Job> PlanLanguagePart(const ViewBuilder& builder, size_t part) const;
  // Renders `view` with the page template `template_name` into the output of `path` (or, with
  // no writer, into captured_).
  Status WritePage(const ViewBuilder& builder, const std::string& path,
                   const std::string& template_name, const View& view) const;
  // The builder of `lang`, or null when the site has no such language.
  const ViewBuilder* BuilderFor(const std::string& lang) const;

  // jobs_pages.cpp. A page in the builder's language (its translation or the fallback shown).
  Job PageJob(const ViewBuilder& builder, const SectionConfig& section,
              const RenderedPage& shown) const;
  // What a page of `lang` shows besides itself: navigation titles and translations.
  std::string PageKey(const RenderedPage& shown, const std::string& lang) const;
  // The old URLs of `shown` (the `aliases` of any of its translations) in the builder's
  // language: a redirect page and a moved marker each, keyed by what they say.
  std::vector<Job> AliasJobs(const ViewBuilder& builder, const RenderedPage& shown) const;
  // The language's 404 page (and, for the default language, the site's 404.html).
  Job NotFoundJob(const ViewBuilder& builder) const;
  // The language's search page (paths::Search): the form, a place for results (serve fills it;
  // the static index's script without serve) and the advice when nothing is found, which links
  // the first three pages of the first section (the main questions). None without its template.
  std::optional<Job> SearchJob(const ViewBuilder& builder) const;
  // A withdrawn page's notice at its URL, or its gone marker.
  Job TombstoneJob(const ViewBuilder& builder, const Tombstone& tombstone) const;
  // The withdrawal's reason as readers of `builder`'s language see it: in another language
  // (the default one's, where the page's language had none), labelled as such.
  static std::string ShownReason(const ViewBuilder& builder, const Tombstone& tombstone);
  // The tombstones whose notice (or 410) a page of `lang` shows: its own, and the default
  // language's where `lang` has neither that page nor a tombstone of its own (the page was shown
  // there in the default language).
  std::vector<const Tombstone*> TombstonesShownIn(const std::string& lang) const;

  // jobs_lists.cpp. The home page: sections, the current round, the self-check's link.
  Job HomeJob(const ViewBuilder& builder) const;
  // A section's list, in pages of config list_page_size items: one job per page.
  std::vector<Job> SectionJobs(const ViewBuilder& builder, const SectionConfig& section,
                               const std::vector<const RenderedPage*>& listed) const;
  // Page `page` of `pages` of a section's list: `items` of all it `listed`.
  Job SectionJob(const ViewBuilder& builder, const SectionConfig& section,
                 std::vector<const RenderedPage*> items, size_t page, size_t pages,
                 const std::vector<const RenderedPage*>& listed) const;
  // A support section's entries in each province (as it is today), one page per province.
  std::vector<Job> ProvinceJobs(const ViewBuilder& builder, const SectionConfig& section,
                                const std::vector<const RenderedPage*>& listed) const;

  // jobs_feeds.cpp. The Atom, RSS and JSON feeds of the language (section_name "") or of one
  // of its sections: the newest live pages and the withdrawals.
  Job FeedJob(const ViewBuilder& builder, const std::string& section_name) const;
  // The last change of any live page: an empty feed's date.
  DateTime NewestLiveUpdate() const;
  // Fills feed_pages_ in one pass over the pages (a feed's job then reads only its own).
  void CollectFeedPages();
  // The tombstones a feed of `lang` (and `section_name`, "" for all) announces.
  std::vector<const Tombstone*> Withdrawals(const std::string& lang,
                                            const std::string& section_name) const;
  // Writes the three feeds of `entries` and `withdrawals`, newest first, at most feed_limit.
  Status WriteFeed(const ViewBuilder& builder, const std::string& section_name,
                   const std::vector<const RenderedPage*>& entries,
                   const std::vector<const Tombstone*>& withdrawals) const;
  // The feed's title, address and date (of its newest entry, or NewestLiveUpdate when empty).
  FeedInfo FeedHeader(const ViewBuilder& builder, const std::string& section_name,
                      const std::vector<const RenderedPage*>& entries) const;
  // The feed entry of the live page `rendered`, its body as HTML.
  Result<FeedEntry> PageEntry(const ViewBuilder& builder, const RenderedPage& rendered) const;
  // Returns what the licence covers of a story retold from a press report (the retelling, not
  // the report, which is cited), or "" for a page the licence covers whole.
  std::string RetoldReportRights(const Page& p, const std::string& lang) const;
  // Returns the type of the page's newest announced change (major or correction) from its
  // records; "major" when the records have none.
  std::string AnnouncedChangeType(const RenderedPage& rendered) const;
  // A withdrawal updates the page's own entry (same id), so readers and partners learn of it.
  FeedEntry WithdrawalEntry(const ViewBuilder& builder, const Tombstone& tombstone) const;

  // jobs_sitemap.cpp. The root page and robots.txt.
  Job RootFilesJob() const;
  // The sitemap: one file, or (more URLs than options.sitemap_max_urls) numbered parts of that
  // many URLs in page order and an index. Each part is a job keyed by what it lists, so a
  // change to one page renders the part that lists it, not the whole sitemap.
  std::vector<Job> SitemapJobs() const;
  // The sitemap file `output` of `urls` [first, first + count), keyed by what it lists.
  Job SitemapPartJob(std::shared_ptr<const std::vector<SitemapUrl>> urls, size_t first,
                     size_t count, std::string output) const;

  // jobs_selfcheck.cpp. The self-check's pages in one language: its start, each question, each
  // outcome.
  std::vector<Job> SelfCheckJobs(const ViewBuilder& builder) const;

  // jobs_history.cpp. The page's public history (paths::PageHistory), planned wherever its page
  // is: keyed by what it shows (the page's title and dates, its revisions), not by the page's
  // body.
  Job HistoryJob(const ViewBuilder& builder, const SectionConfig& section,
                 const RenderedPage& shown) const;

  const Site& site_;
  const BuildOptions& options_;
  OutputWriter* writer_;
  std::vector<std::unique_ptr<ViewBuilder>> builders_;  // one per language
  // What WritePage rendered, by output file, when there is no writer (ListDocument).
  mutable std::map<std::string, std::string> captured_;
  std::map<std::string, std::string> nav_keys_;  // per language: navigation and home
  std::map<std::string, std::vector<std::string>> keys_by_section_;
  std::vector<std::string> index_keys_;
  // The live pages each feed may list, with their places in page order, by language and section
  // ("" for the language's own feed).
  std::map<std::pair<std::string, std::string>,
           std::vector<std::pair<const RenderedPage*, size_t>>>
      feed_pages_;
};

}  // namespace clemency
