#pragma once
// Site::Load() reads and validates site/ and content/; Site::Build() renders every output into a
// staging folder and swaps it into place. A failed load or build leaves public/ untouched.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "config/site_config.h"
#include "content/checks.h"
#include "content/page.h"
#include "content/termbase.h"
#include "core/fs.h"
#include "core/status.h"
#include "core/timing.h"
#include "feeds/feeds.h"
#include "i18n/messages.h"
#include "markdown/markdown.h"
#include "render/page_list.h"
#include "selfcheck/rules.h"
#include "templates/template_set.h"
#include "textdiff/textdiff.h"

namespace clemency {

class BuildManifest;
class PageCache;
class OutputWriter;

// ICU collation keys, so lists sort as readers of the language expect.
struct SortKeys {
  std::string title, place;  // place: province, then district (support entries only)
};
SortKeys ListSortKeys(const Page& page, const LanguageConfig& language);
// Hash of what a list shows of a page (title, summary, date, place, address): a change elsewhere,
// such as in the body, leaves the lists that show the page as they are.
std::string ListEntryHash(const Page& page);

// A page with its Markdown rendered: what lists, feeds, templates and the store need.
struct RenderedPage {
  Page page;
  MarkdownResult body;  // links, headings, first paragraph; html and plain_text are released
  ReadabilityScore readability;
  std::string source_hash;   // of the file's text: what incremental builds compare
  std::string source_stamp;  // FileSystem::Stamp of the file when loaded ("" when unknown)
  SortKeys sort_keys;        // in the page's own language
  std::string key;           // page.TranslationKey(), kept: lists and links ask for it often
  std::string list_hash;     // of what a list item shows (ListEntryHash)
  bool from_cache = false;   // taken from the page cache by this load (checked by an earlier build)
  // When the page goes live: its date, or its source page's when that is later (a translation
  // waits for its source). Set with `live` by the site's indexes, not kept in the page cache.
  int64_t live_at = 0;
  bool live = false;  // not a draft, and live_at has come by the site's now(): shown by a build
  // Sort keys in each configured language (by position), made the first time a list shows the
  // page there as a fallback; empty until then. Sized at load, so list tasks of different
  // languages each fill their own entry.
  mutable std::vector<SortKeys> fallback_sort_keys;
};

// Which translations are missing and which are older than their source.
struct CoverageReport {
  struct Missing {
    std::string key, lang;
  };
  struct Stale {
    std::string key, lang, source_updated, translated_from;
  };
  std::vector<Missing> missing;
  std::vector<Stale> stale;
  std::string ToString() const;
};

struct BuildOptions {
  std::string out_dir;  // public/ folder to replace
  int threads = 2;
  std::function<void(size_t done, size_t total)> progress;  // called now and then while rendering
  std::string input_fingerprint;  // saved in the manifest (BuildManifest::InputFingerprint)
  // The manifest of the last build into out_dir when the caller has already read it.
  const BuildManifest* previous_manifest = nullptr;
  // A rebuild that changes at most this share of the outputs updates public/ in place (see
  // OutputWriter) instead of linking every unchanged file into a new folder and swapping it.
  double in_place_limit = 0.1;
  size_t sitemap_max_urls = kSitemapUrlsPerFile;  // per sitemap file (lower in tests)
  // When set, only the outputs that show these translation keys are planned (the key's page in
  // every language, its tombstones, its section's list and feeds, the language feeds and the
  // sitemap) and the output folder is updated in place; every other output is taken to be as
  // `previous_manifest` says. A list page's key ("" or a section) plans the whole site.
  std::optional<std::set<std::string>> changed_keys;
  // Files made outside render that go out with the site (output path -> bytes: the static
  // search index, under "search-index/", and the library images live pages show, under
  // "media/"), committed with it, so a build stopped half way never leaves them from another
  // site; those of the last build not given are removed. Unset: the last build's stay as they
  // are.
  std::optional<std::map<std::string, std::string>> extra_files;
  // More of them, with extra_files set, held by the caller for the whole build rather than
  // copied: serve's static search index, which every publish hands over again.
  const std::map<std::string, std::string>* held_extra_files = nullptr;
  // HashHex of each of held_extra_files' bytes, when their holder keeps them (each file's job
  // key; not hashed again at every publish). REQUIRES: a hash for every held file.
  const std::map<std::string, std::string>* held_extra_hashes = nullptr;
  // Writes a ".gz" beside each file nginx's gzip_static may serve (OutputWriter::Precompress).
  // Part of every job's key, so turning it on or off renders the site again once.
  bool precompress = false;
};

struct BuildSummary {
  std::map<std::string, size_t> pages_per_language;  // HTML pages written per language
  size_t files_written = 0;
  size_t files_reused = 0;  // unchanged since the last build: linked, not rendered
  bool up_to_date = false;  // nothing changed: the build did nothing
  bool in_place = false;    // public/ was updated file by file (a small rebuild)
  // After a partial plan (BuildOptions::changed_keys): the outputs rendered again, sorted.
  std::vector<std::string> rendered;
  // After a partial plan whose keys were appended to the saved manifest: those keys (output,
  // key; "" for an output removed), for BuildManifest::Update. Empty when it was written whole.
  std::vector<std::pair<std::string, std::string>> manifest_changes;
  uint64_t bytes_written = 0;
  // Pages not shown yet because their time has not come (Site::Scheduled), and the first time.
  size_t scheduled_pages = 0;
  std::optional<DateTime> next_scheduled;
  StepTimer timer;
  double seconds = 0;            // whole build, load to swap
  std::string ToString() const;  // the one-line summary the CLI prints (scheduled pages too)
};

// A page withdrawn from the site, kept as a record: its URL shows a notice (or, when gone,
// answers 410 Gone: its folder holds paths::kGoneMarker, which the server reads), and the feeds
// of its language announce the withdrawal under the page's own entry id.
struct Tombstone {
  std::string section, slug, lang, title, reason;
  std::string reason_lang;  // the language `reason` is written in when not `lang` ("": lang)
  DateTime published, at;
  bool gone = false;
};

// One announced change of a page as its public history lists it (minor changes are not
// announced, so not listed).
struct PageRevision {
  DateTime at;
  std::string change_type;  // major, correction or withdrawal ("" when not known)
  std::string note;         // the change note (a withdrawal's reason)
  // A major change's body text against the previous announced revision's (empty for the first).
  std::vector<DiffOp> diff;
  bool skipped_review = false;  // published from the command line, without the two-person review
};

// Where a site's records besides its page files come from: withdrawn pages and pages' announced
// revisions. The store (serve) and an export's history/ folder (build) give them; a plain
// content folder has none.
class SiteRecords {
 public:
  virtual ~SiteRecords() = default;
  // Returns the withdrawn pages the site shows; problems of a record go to `diagnostics`.
  virtual Result<std::vector<Tombstone>> Tombstones(const SiteConfig& config,
                                                    Diagnostics* diagnostics) = 0;
  // Returns the announced revisions (newest first) by "<lang>/<translation key>" of the pages of
  // `keys` (every page's when null); a page missing from the answer has none.
  virtual Result<std::map<std::string, std::vector<PageRevision>>> Histories(
      const SiteConfig& config, const std::set<std::string>* keys, Diagnostics* diagnostics) = 0;
};

// The media library as pages may use it: every copy's site path ("/media/…"), and the images
// that show an identifiable person, by hash, with their consent basis (personal or
// published-report; an image of nobody identifiable is not listed).
struct MediaIndex {
  std::set<std::string> files;
  std::map<std::string, std::string> people;
  bool operator==(const MediaIndex&) const = default;
};

struct LoadOptions {
  StepTimer* timer = nullptr;
  // Same program, same site/ files: a file whose stamp is unchanged is taken from the cache
  // instead of being read, parsed and checked again.
  PageCache* cache = nullptr;
  SiteRecords* records = nullptr;  // none: no withdrawn pages, each history its page's own dates
  std::optional<int64_t> now;      // the time (unix seconds) the site is shown at; unset: now
  // The media library: what a page may show as an uploaded image (null: none).
  std::shared_ptr<const MediaIndex> media;
};

// What makes a new site from a loaded one (Site::Changed).
struct SiteChange {
  // Content files ("content/<section>/<slug>.<lang>.md") read again; one no longer there removes
  // its page.
  std::vector<std::string> paths;
  // The files the new site reads (null: the old site's), e.g. the old ones with one laid over.
  std::shared_ptr<const FileSystem> fs;
  std::optional<int64_t> now;  // the time the new site is shown at (unset: the old site's)
  // Read again: the withdrawn pages, and the histories of every page the change touches (of
  // every page with `all_records`).
  SiteRecords* records = nullptr;
  bool all_records = false;
  std::set<std::string> keys;  // pages whose records changed besides those of `paths`
  // For a check or a preview, never a publish: a page file with problems in its fields is still
  // read as far as it goes and every later check runs (wording, terms, links), so all of a
  // file's problems come at once, and Changed returns the site with them in `diagnostics`.
  bool keep_problems = false;
  // The media library's copies as they are now (LoadOptions::media; null: the old site's).
  std::shared_ptr<const MediaIndex> media;
};

// A loaded site never changes: a change makes a new one (Changed), so a site can be rendered,
// previewed and checked on any thread while the next is made.
class Site {
 public:
  // Loads site/config.yaml, site/i18n, site/templates and content/ under `source_dir`, and the
  // records of `options`, and checks everything, links included. Returns nullptr when anything
  // is invalid; `diagnostics` has it all. The site keeps `fs`: pages' texts are read again when
  // rendered instead of held in memory.
  static std::unique_ptr<Site> Load(std::shared_ptr<const FileSystem> fs,
                                    const std::string& source_dir, Diagnostics* diagnostics,
                                    const LoadOptions& options);
  static std::unique_ptr<Site> Load(std::shared_ptr<const FileSystem> fs,
                                    const std::string& source_dir, Diagnostics* diagnostics,
                                    StepTimer* timer = nullptr, PageCache* cache = nullptr) {
    return Load(std::move(fs), source_dir, diagnostics, LoadOptions{timer, cache, nullptr, {}, nullptr});
  }
  // Returns a new site: this one with `change` applied, its changed pages and every page that
  // may link to them checked as Load would; nullptr with the problems in `diagnostics`. This
  // site stays as it is either way. `changed_keys` gains the translation keys whose outputs
  // differ (pages read again, gone live or scheduled again, withdrawn or restored).
  std::unique_ptr<Site> Changed(const SiteChange& change, Diagnostics* diagnostics,
                                std::set<std::string>* changed_keys) const;
  // The same for a site nobody else holds yet (one Changed just made), without copying it.
  static std::unique_ptr<Site> Changed(std::unique_ptr<Site> site, const SiteChange& change,
                                       Diagnostics* diagnostics,
                                       std::set<std::string>* changed_keys);

  // The page's body as HTML and plain text. Load keeps only what checks and lists need (links,
  // headings, summary); bodies are rendered again when written, so the whole site's HTML never
  // sits in memory at once.
  // `embedded`: for HTML shown away from the site (feeds, the API's body_html), with every link
  // and image source absolute (config base_url), so it works wherever it is pasted.
  Result<MarkdownResult> RenderBody(const RenderedPage& rendered, bool embedded = false) const;
  // The page's body as embedded HTML (absolute links) for feeds, which show the newest pages again on every publish: kept
  // by the text's hash (a few hundred bodies at most), so only a changed page is rendered again.
  // Thread-safe.
  Result<std::shared_ptr<const std::string>> FeedHtml(const RenderedPage& rendered) const;
  // The page's file as loaded (read again and checked against its hash: a file edited while a
  // build runs stops the build rather than publishing text that was never checked).
  Result<std::string> SourceText(const RenderedPage& rendered) const;
  Result<BuildSummary> Build(const BuildOptions& options, StepTimer timer = StepTimer()) const;
  // The HTML document the build would write for the page file `source_path` (relative:
  // "content/guides/x.vi.md") in its own language, for a list page (home, section index) its
  // first list page: what editors preview.
  Result<std::string> PageDocument(const std::string& source_path) const;
  // The time (unix seconds) the site is shown at: Load takes the clock's. A page whose live_at is
  // later is scheduled: checked, but not rendered, listed, linked or in any feed or sitemap.
  int64_t now() const { return now_; }
  struct Schedule {
    size_t pages = 0;               // scheduled pages (translations counted apart)
    std::optional<DateTime> next;   // when the first of them goes live
  };
  Schedule Scheduled() const;

  const SiteConfig& config() const { return config_; }
  // The termbase (site/terms.yaml) and the wording lists (site/wording/), as loaded.
  const Termbase& termbase() const { return termbase_; }
  const WordingRules& wording() const { return wording_; }
  const SharedList<RenderedPage>& pages() const { return pages_; }
  const MessageCatalogs& catalogs() const { return catalogs_; }
  // The self-check of site/selfcheck/ (empty when the site has none).
  const selfcheck::RuleSet& selfcheck() const { return selfcheck_; }
  // The link to the guide section that explains `rule`, in `lang`: "/en/guides/x/#anchor".
  std::string SelfCheckGuideHref(const std::string& guide, const selfcheck::Localized& anchor,
                                 const std::string& lang) const;
  // Hash of every file under site/: a change there changes every output (and voids the cache).
  const std::string& site_key() const { return site_key_; }
  size_t pages_from_cache() const { return pages_from_cache_; }
  // Hash of what links can point to: every live page's translation key, language and heading
  // ids, and every scheduled page's with its time (static files and feeds: site_key()).
  const std::string& link_targets() const { return link_targets_; }
  // The withdrawn pages the build shows as such (from the records; a site from files has none).
  const std::vector<Tombstone>& tombstones() const { return tombstones_; }
  // Returns the media library's copies this site was given (LoadOptions::media).
  const MediaIndex& media() const { return *media_; }
  // Returns the output files (relative to the output folder: "media/…") of the library images
  // live pages show, every copy of each (its full width and narrower ones): what a build writes
  // of the library, nothing else.
  std::set<std::string> MediaOutputs() const;
  // The announced revisions of the page `key` in `lang` from the records, newest first, with a
  // hash of them; null when the records have none (the page shows its own dates and change note).
  struct History {
    std::vector<PageRevision> revisions;
    std::string hash;  // of everything the revisions show: part of the history page's job key
  };
  const History* FindHistory(const std::string& key, const std::string& lang) const;
  // Whether the page `key` shown in its language `lang` has a public history page: the records
  // hold more than one announced revision of it, or a withdrawal. A page with only its first
  // publication has nothing to show there, so it gets neither the page nor a link to it.
  bool HasHistoryPage(const std::string& key, const std::string& lang) const;
  // Hash of every file under `source_dir`/site (what site_key() is for a site loaded now).
  static std::string SiteKeyOf(const FileSystem& fs, const std::string& source_dir);
  // The page shown at /<lang>/<key>/: the translation if published, else the default language's.
  const RenderedPage* Find(const std::string& translation_key, const std::string& lang) const;
  CoverageReport Coverage() const;
  // One line per page: path, language, readability score and whether it passes.
  std::string ReadabilityReport() const;
  // Per concept of site/terms.yaml and language: pages using the preferred term, variants left.
  std::string TermReport() const;

 private:
  class Planner;  // the jobs of a build (planner.h)
  Site() = default;
  // A copy to change (Changed): the indexes point into its own pages; the feed bodies already
  // rendered are shared.
  Site(const Site& other);
  Site& operator=(const Site&) = delete;
  // Changed's steps on the new site. Reads `paths` again (true when they all parse; with
  // `keep_problems`, when each file gave a page, its problems in `problems`), then shows
  // the site at `now_unix`, then takes the records of `keys` from `records`.
  bool ReadAgain(const std::vector<std::string>& paths, bool keep_problems, Diagnostics* problems,
                 std::set<std::string>* keys);
  void ShowAt(int64_t now_unix, std::set<std::string>* changed_keys);
  bool TakeRecords(SiteRecords* records, const std::set<std::string>* keys,
                   Diagnostics* diagnostics, std::set<std::string>* changed_keys);
  // Sets the revisions of the page `id` ("<lang>/<key>") with their hash.
  void PutHistory(const std::string& id, std::vector<PageRevision> revisions);
  // Load's steps. site/: configuration, strings, templates, static files, the self-check,
  // wording and terms (false when the configuration cannot be read).
  bool LoadSiteFolder(Diagnostics* diagnostics);
  // content/: every page parsed (or taken from `cache`), checked and put in page order.
  void LoadContent(PageCache* cache, Diagnostics* diagnostics, StepTimer* timer);
  // Checks the links and images of every page for which `should_check` is true.
  void CheckLinks(Diagnostics* diagnostics,
                  const std::function<bool(const RenderedPage&)>& should_check) const;
  // Paths the build writes besides pages: feeds, static files, the sitemap, robots.txt, the
  // self-check's pages.
  std::unordered_set<std::string> LinkableFiles() const;
  // A page path is /<lang>/, /<lang>/<section>/ or /<lang>/<section>/<slug>/: it exists when the
  // language and section do and (for a slug) the page has any published translation. Returns
  // false when the path is not a page of the site; `headings` is the shown page's, if any.
  bool FindLinkedPage(const std::string& path, const std::vector<MarkdownHeading>** headings) const;
  // The scheduled page first shown at the page path `path` (in its language, or the default
  // language's it falls back to), or null when none is scheduled there.
  const RenderedPage* ScheduledAt(const std::string& path) const;
  // The problem of `from`'s link `href` (resolved: `resolved`) to `target`, which goes live
  // after `from` is shown.
  std::optional<Problem> ScheduledLinkProblem(const std::string& href, const std::string& resolved,
                                              const RenderedPage& target,
                                              const RenderedPage& from) const;
  // The problem of `rendered`'s link `href` to a site path, or nullopt (`files`: LinkableFiles()).
  std::optional<Problem> LinkProblem(const RenderedPage& rendered, const std::string& href,
                                     const std::unordered_set<std::string>& files) const;
  // The problems of one page's links and images (`files`: LinkableFiles()).
  void CheckPageLinks(const RenderedPage& rendered, const std::unordered_set<std::string>& files,
                      Diagnostics* problems) const;
  // Fills what lists, links and feeds need from the parsed `rendered->page` (whose text it then
  // drops) and runs the per-page checks (wording, readability) into `problems`.
  void Derive(RenderedPage* rendered, const std::string& stamp, Diagnostics* problems) const;
  // Reports each page of `keys` in another language than the default whose key has no page in
  // the default language (as the loader does).
  void CheckTranslationsHaveSource(const std::set<std::string>& keys, Diagnostics* problems) const;
  // Each page's `aliases` is free: no page of its section has that slug (in any language, draft
  // or not) and no other page claims it, so an old URL redirects to one page only.
  void CheckAliases(Diagnostics* problems) const;
  // indexes_ and link_targets_ from pages_ (and the live state of each page).
  void RebuildIndexes();
  // Parses the file at `path` (relative to the source folder) into `out`; false with `problems`.
  // Returns whether `path` was read without problems; `*partial` (may be null): whether `out`
  // still holds a page read as far as its fields allowed (so its content checks ran).
  bool ParseOne(const std::string& path, RenderedPage* out, Diagnostics* problems,
                bool* partial = nullptr) const;
  // One URL of the sitemap, without its strings (cheap to list for the whole site): its page's
  // translations (null for a list page made without an _index file), key, language and date.
  struct SitemapUrl {
    const std::map<std::string, size_t>* translations;
    std::string_view key, lang;
    DateTime lastmod;
  };
  // Every URL of the sitemap, in its order: published pages, then list pages without _index.
  std::vector<SitemapUrl> SitemapUrls() const;
  // The groups (a page with its translations) of `urls` [first, first + count), with strings.
  std::vector<SitemapGroup> SitemapGroups(const std::vector<SitemapUrl>& urls, size_t first,
                                          size_t count) const;
  // Every page of the sections whose kind has round fields, in page order.
  std::vector<const RenderedPage*> RoundPages() const;
  // The pages of `section` ("": those outside a section), one run in page order.
  std::pair<SharedList<RenderedPage>::const_iterator, SharedList<RenderedPage>::const_iterator>
  PagesOfSection(const std::string& section) const;
  // The round page the home page of `lang` shows in its box (LessCurrentRound), or null.
  const RenderedPage* CurrentRoundShown(const std::string& lang) const;
  // Each language's home text names no round (a decision number, an amnesty's year) newer than
  // the live round pages know: the box under the text would contradict it (site_home_check.cpp).
  void CheckHomeRounds(Diagnostics* diagnostics) const;
  // Every rule of the self-check links to a guide that exists, at a heading it has, in every
  // language (reported at the rule's line in site/selfcheck/rules.yaml).
  void CheckSelfCheckLinks(Diagnostics* diagnostics) const;
  // site/'s reader-facing strings (self-check, interface) pass the wording, termbase and numeral
  // checks content passes.
  void CheckSiteStrings(Diagnostics* diagnostics) const;
  // Translation keys of the list pages every language has: "" (home), then each section.
  std::vector<std::string> ListPageKeys() const;
  // The root page and robots.txt.
  Status WriteRootFiles(OutputWriter& writer) const;
  std::string source_dir_;
  std::shared_ptr<const FileSystem> fs_;
  SiteConfig config_;
  MessageCatalogs catalogs_;
  std::shared_ptr<const TemplateSet> templates_;
  SharedList<RenderedPage> pages_;  // shared with the sites made from this one
  int64_t now_ = 0;  // see now()
  // The indexes of pages_, made by RebuildIndexes and shared with the sites made from this one
  // until a change to which pages are live, scheduled or there at all makes new ones: a publish
  // that only replaces a page copies a pointer, not every group.
  struct Indexes {
    // translation key -> language -> index into pages_ (live pages only)
    std::map<std::string, std::map<std::string, size_t>> groups;
    // The same for scheduled pages: what links may name once their time has come.
    std::map<std::string, std::map<std::string, size_t>> scheduled;
    // The same groups by key in a hash map: Find() runs for every page of every list and link.
    std::unordered_map<std::string_view, const std::map<std::string, size_t>*> group_index;
  };
  std::shared_ptr<const Indexes> indexes_ = std::make_shared<const Indexes>();
  const std::map<std::string, std::map<std::string, size_t>>& groups() const {
    return indexes_->groups;
  }
  const std::map<std::string, size_t>* Group(std::string_view translation_key) const;
  std::vector<std::string> static_files_;  // relative to site/static
  std::string site_key_;  // hash of everything under site/: a change there re-renders all
  size_t pages_from_cache_ = 0;
  std::string link_targets_;
  std::shared_ptr<const MediaIndex> media_ = std::make_shared<const MediaIndex>();
  std::vector<Tombstone> tombstones_;
  // Pages' histories by "<lang>/<translation key>": those of the load (or of the last merge),
  // shared with the sites made from this one, and those changed since (nullopt: removed), so a
  // publish copies the few changed ones rather than every page's.
  struct Histories {
    std::shared_ptr<const std::map<std::string, History>> base =
        std::make_shared<const std::map<std::string, History>>();
    std::map<std::string, std::optional<History>> changed;
  };
  Histories histories_;
  // Folds histories_.changed into a new base once it has grown large beside it.
  void MergeHistories();
  WordingRules wording_;
  // Feed bodies by text hash, shared by a site and the sites made from it (Changed).
  struct FeedHtmlCache {
    std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies;
  };
  std::shared_ptr<FeedHtmlCache> feed_html_ = std::make_shared<FeedHtmlCache>();
  // Returns the templates with `lang`'s interface strings filled in (TemplateSet::WithStrings),
  // made once per load and shared by the sites made from it (Changed keeps site/ as it is), so
  // a publish neither fills them again nor compiles them again on every render thread.
  std::shared_ptr<const TemplateSet> TemplatesIn(const std::string& lang) const;
  struct TemplatesCache {
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<const TemplateSet>> by_lang;
  };
  std::shared_ptr<TemplatesCache> templates_in_ = std::make_shared<TemplatesCache>();
  Termbase termbase_;  // site/terms.yaml
  // "<lang>/<key>" of pages whose file is invalid (that problem is reported): links to them are
  // not reported again.
  std::set<std::string> invalid_pages_;
  bool TargetIsInvalid(const std::string& path) const;
  selfcheck::RuleSet selfcheck_;
};

}  // namespace clemency
