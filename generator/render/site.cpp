#include "render/site.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <numeric>
#include <unordered_set>

#include "content/loader.h"
#include "core/parallel.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "i18n/text.h"
#include "render/page_cache.h"

namespace clemency {
namespace {

// Bodies render the same at load (links, anchors) and when written (HTML).
const MarkdownOptions& BodyMarkdownOptions() {
  static const MarkdownOptions options{[](std::string_view text) { return AnchorId(text); }};
  return options;
}

// The line of `text` where `needle` first appears, else `fallback` (for link diagnostics).
int LineOf(const std::string& text, const std::string& needle, int fallback) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return fallback;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

// Resolves `href` (relative or site path) against the page path `base` ("/vi/guides/x/").
std::string ResolvePath(const std::string& base, const std::string& href) {
  std::string joined = href.front() == '/' ? href : base.substr(0, base.rfind('/') + 1) + href;
  std::vector<std::string> parts;
  size_t start = 1;
  while (start <= joined.size()) {
    size_t slash = joined.find('/', start);
    std::string part =
        joined.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (part != "." && !part.empty()) {
      parts.push_back(part);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < parts.size(); ++i) out += parts[i] + (i + 1 < parts.size() ? "/" : "");
  if (!parts.empty() && (joined.back() == '/' || parts.back().find('.') == std::string::npos)) {
    out += "/";
  }
  return out;
}

// Keeps the pages of the files in `order` (valid ones, in page order) and puts them in that order
// in place, one cycle of the permutation at a time: a page is large, and each copy of 10k of them
// is 10 MB of fresh memory.
void PutInPageOrder(std::vector<RenderedPage>* pages, std::vector<size_t> order) {
  std::vector<RenderedPage>& derived = *pages;
  if (order.size() != derived.size()) {  // some files are invalid (the build will stop)
    std::vector<RenderedPage> valid;
    for (size_t file : order) valid.push_back(std::move(derived[file]));
    derived = std::move(valid);
    std::iota(order.begin(), order.end(), 0);
  }
  std::vector<char> placed(order.size(), 0);  // slot j takes order[j]
  for (size_t start = 0; start < order.size(); ++start) {
    if (placed[start]) continue;
    RenderedPage first = std::move(derived[start]);
    for (size_t j = start;;) {
      placed[j] = 1;
      size_t from = order[j];
      if (from == start) {
        derived[j] = std::move(first);
        break;
      }
      derived[j] = std::move(derived[from]);
      j = from;
    }
  }
}

}  // namespace

SortKeys ListSortKeys(const Page& page, const LanguageConfig& language) {
  SortKeys keys;
  keys.title = CollationKey(page.title, language.locale);
  if (page.support) {
    const SupportInfo& s = *page.support;
    keys.place = CollationKey(s.ProvinceNow() + "\x01" + s.province + "\x01" + s.DistrictShown() +
                                  "\x01" + s.commune,
                              language.locale);
  }
  return keys;
}

std::string ListEntryHash(const Page& page) {
  std::string shown = page.TranslationKey() + "\x1f" + page.title + "\x1f" + page.summary + "\x1f" +
                      std::to_string(page.updated.unix_seconds) + " " +
                      std::to_string(page.updated.offset_minutes);
  if (page.support) {
    const SupportInfo& s = *page.support;
    shown += "\x1f" + s.commune + "\x1f" + s.DistrictShown() + "\x1f" + s.province + "\x1f" +
             s.current_province + "\x1f" + s.contact.phone + "\x1f" +
             (s.verified ? s.verified->ToRfc3339() + s.verified_by : std::string());
  }
  return HashHex(shown);
}

std::string Site::SiteKeyOf(const FileSystem& fs, const std::string& source_dir) {
  const std::string site_dir = JoinPath(source_dir, "site");
  std::string site_files;
  for (const auto& file : fs.ListFiles(site_dir)) {
    auto text = fs.ReadFile(JoinPath(site_dir, file));
    site_files += file + "\n" + (text.ok() ? HashHex(*text) : "") + "\n";
  }
  return HashHex(site_files);
}

std::unique_ptr<Site> Site::Load(std::shared_ptr<const FileSystem> shared_fs,
                                 const std::string& source_dir, Diagnostics* diagnostics,
                                 const LoadOptions& options) {
  StepTimer* timer = options.timer;
  PageCache* cache = options.cache;
  std::unique_ptr<Site> site(new Site());
  site->source_dir_ = source_dir;
  site->fs_ = std::move(shared_fs);
  site->now_ = options.now.value_or(Now(0).unix_seconds);
  if (options.media) site->media_ = options.media;
  if (!site->LoadSiteFolder(diagnostics)) return nullptr;
  if (timer) timer->Mark("site");
  if (cache && cache->site_key() != site->site_key_) cache = nullptr;
  site->LoadContent(cache, diagnostics, timer);
  site->RebuildIndexes();
  site->CheckAliases(diagnostics);
  if (timer) timer->Mark("load.groups");
  const bool skip_cached = cache && cache->link_targets() == site->link_targets_;
  site->CheckLinks(diagnostics, [skip_cached](const RenderedPage& rendered) {
    return !(skip_cached && rendered.from_cache);
  });
  site->CheckSelfCheckLinks(diagnostics);
  site->CheckHomeRounds(diagnostics);
  if (timer) timer->Mark("check");
  if (!diagnostics->empty()) return nullptr;
  if (!site->TakeRecords(options.records, nullptr, diagnostics, nullptr)) return nullptr;
  return site;
}

bool Site::LoadSiteFolder(Diagnostics* diagnostics) {
  const FileSystem& fs = *fs_;
  const std::string site_dir = JoinPath(source_dir_, "site");
  auto config = LoadSiteConfig(fs, JoinPath(site_dir, "config.yaml"), diagnostics);
  if (!config.ok()) return false;
  config_ = *config;
  SetDisplayTimeZone(config_.time_zone);
  auto catalogs = MessageCatalogs::Load(fs, JoinPath(site_dir, "i18n"), config_, diagnostics);
  if (catalogs.ok()) catalogs_ = *catalogs;
  auto templates = TemplateSet::Load(fs, JoinPath(site_dir, "templates"), diagnostics);
  if (templates.ok()) {
    templates_ = *templates;
    // The templates every build renders (a page kind without its own falls back to "page").
    for (const char* name : {"baseof", "root", "home", "section", "page", "history", "withdrawn",
                             "404", "selfcheck"}) {
      if (!templates_->Has(name)) {
        diagnostics->Add(JoinPath(site_dir, std::string("templates/") + name + ".mustache"), 0,
                         "file", PlainProblem("missing: every build renders this template"));
      }
    }
  }
  for (const auto& file : fs.ListFiles(JoinPath(site_dir, "static"))) {
    static_files_.push_back(file);
  }
  site_key_ = SiteKeyOf(fs, source_dir_);
  auto rules = selfcheck::LoadRuleSet(fs, JoinPath(site_dir, "selfcheck"), config_, diagnostics);
  if (rules.ok()) selfcheck_ = std::move(rules).value();
  wording_ = LoadWordingRules(fs, JoinPath(site_dir, "wording"), config_, diagnostics);
  termbase_ = LoadTermbase(fs, JoinPath(site_dir, "terms.yaml"), config_, diagnostics);
  CheckSiteStrings(diagnostics);
  return true;
}

void Site::CheckSiteStrings(Diagnostics* diagnostics) const {
  for (const Page& page : SiteStringPages(*fs_, source_dir_, config_)) {
    const LanguageConfig* language = config_.FindLanguage(page.lang);
    const std::string locale = language ? language->locale : "";
    auto rules = wording_.find(page.lang);
    if (rules != wording_.end()) CheckWording(page, rules->second, locale, diagnostics);
    CheckTerms(page, termbase_, locale, diagnostics);
    if (language) CheckNumerals(page, language->numerals, diagnostics);
  }
}

void Site::LoadContent(PageCache* cache, Diagnostics* diagnostics, StepTimer* timer) {
  const FileSystem& fs = *fs_;
  // Each file is checked and reduced to what lists, links and feeds need as soon as it is parsed,
  // on the loading threads; its text is dropped then and read again when the page is written.
  // Pages are parsed straight into their final slots (by file number), then put in page order in
  // place: a page is large, and each copy of 10k of them is 10 MB of fresh memory.
  std::vector<RenderedPage> derived;
  // Each file's stamp is taken before it is read: a file changed after that point gets a new
  // stamp, so the cache can only be too cautious, never stale.
  std::vector<std::string> stamps;  // by file number
  std::atomic<size_t> from_cache{0};
  LoadHooks hooks;
  hooks.on_listed = [&](size_t count) {
    derived.resize(count);
    stamps.resize(count);
  };
  hooks.cached = [&](size_t file, const std::string& path, const std::string& display) {
    stamps[file] = fs.Stamp(path);
    // The page's slot is derived[file].page (page_slot below): Take fills the whole entry.
    if (!cache || !cache->Take(display, stamps[file], &derived[file])) return false;
    derived[file].from_cache = true;
    ++from_cache;
    return true;
  };
  hooks.page_slot = [&](size_t file) { return &derived[file].page; };
  hooks.on_invalid = [&](const std::string& key, const std::string& lang) {
    invalid_pages_.insert(lang + "/" + key);
  };
  hooks.on_parsed = [&](size_t file, Page& /*page: derived[file].page*/, Diagnostics* problems) {
    Derive(&derived[file], stamps[file], problems);
  };
  std::vector<size_t> order = LoadContentInPlace(fs, JoinPath(source_dir_, "content"), "content",
                                                 config_, diagnostics, hooks);
  pages_from_cache_ = from_cache;
  if (timer) timer->Mark("load.files");
  PutInPageOrder(&derived, std::move(order));
  for (auto& rendered : derived) {
    rendered.key = rendered.page.TranslationKey();
    rendered.fallback_sort_keys.assign(config_.languages.size(), SortKeys());
  }
  pages_.Assign(std::move(derived));
  if (timer) timer->Mark("load.order");
}

void Site::Derive(RenderedPage* rendered, const std::string& stamp, Diagnostics* problems) const {
  Page& page = rendered->page;
  // A damaged cache record may have left parts behind (the page itself was parsed afresh).
  rendered->readability = ReadabilityScore();
  rendered->source_stamp = stamp;
  rendered->source_hash = HashHex(page.source_text);
  rendered->body = RenderMarkdown(page.body_markdown(), BodyMarkdownOptions());
  rendered->from_cache = false;
  const LanguageConfig* language = config_.FindLanguage(page.lang);
  const std::string locale = language ? language->locale : "";
  if (language) rendered->sort_keys = ListSortKeys(page, *language);
  if (page.summary.empty()) {
    page.summary = TruncateAtWord(rendered->body.first_paragraph, config_.summary_length, locale);
  }
  rendered->list_hash = ListEntryHash(page);
  rendered->key = page.TranslationKey();
  rendered->fallback_sort_keys.assign(config_.languages.size(), SortKeys());
  auto rules = wording_.find(page.lang);
  if (rules != wording_.end()) CheckWording(page, rules->second, locale, problems);
  // Slugs are shared by every translation and written in the default language's words.
  for (const std::string& lang : {page.lang, config_.default_language}) {
    auto slug_rules = wording_.find(lang);
    if (slug_rules != wording_.end()) CheckSlugWording(page, slug_rules->second, problems);
    if (lang == config_.default_language) break;
  }
  CheckTerms(page, termbase_, locale, problems);
  if (language) CheckNumerals(page, language->numerals, problems);
  WarnRawHtml(page, problems);
  CheckSentenceLength(page, rendered->body.plain_text, locale, config_.readability, problems);
  rendered->readability =
      ScoreReadability(rendered->body.plain_text, page.lang, locale, config_.readability);
  if (!rendered->readability.passes() && !page.draft) {
    problems->Add(page.source_path, 0, "readability", rendered->readability.AsProblem());
  }
  std::string().swap(rendered->body.html);
  std::string().swap(rendered->body.plain_text);
  std::string().swap(rendered->body.first_paragraph);
  for (auto& heading : rendered->body.headings) std::string().swap(heading.text);  // ids stay
  std::string().swap(page.source_text);
}

void Site::RebuildIndexes() {
  auto indexes = std::make_shared<Indexes>();
  auto& groups = indexes->groups;
  // A translation goes live with its source page, not before: alone it would be a page of its
  // own, listed and linked in one language while the source is still to come.
  std::unordered_map<std::string_view, int64_t> source_at;
  for (const RenderedPage& rendered : pages_) {
    if (!rendered.page.draft && rendered.page.lang == config_.default_language) {
      source_at[rendered.key] = rendered.page.date.unix_seconds;
    }
  }
  for (size_t i = 0; i < pages_.size(); ++i) {
    const RenderedPage& rendered = pages_[i];
    auto source = source_at.find(rendered.key);
    const int64_t live_at = std::max(rendered.page.date.unix_seconds,
                                     source == source_at.end() ? INT64_MIN : source->second);
    const bool live = !rendered.page.draft && live_at <= now_;
    if (live_at != rendered.live_at || live != rendered.live) {  // else still shared
      RenderedPage& changed = pages_.Mutable(i);
      changed.live_at = live_at;
      changed.live = live;
    }
    if (rendered.page.draft) continue;
    (live ? groups : indexes->scheduled)[rendered.key][rendered.page.lang] = i;
  }
  std::string targets;
  for (const auto& [key, translations] : groups) {
    indexes->group_index.emplace(key, &translations);
    for (const auto& [lang, index] : translations) {
      targets.append(key).append(1, '\x1f').append(lang);
      for (const auto& heading : pages_[index].body.headings) {
        targets.append(1, '\x1f').append(heading.id);
      }
      targets.append(1, '\n');
    }
  }
  // Whether a link to a scheduled page is broken depends on when it goes live.
  for (const auto& [key, translations] : indexes->scheduled) {
    for (const auto& [lang, index] : translations) {
      targets.append("scheduled\x1f").append(key).append(1, '\x1f').append(lang);
      targets.append(1, '\x1f').append(std::to_string(pages_[index].live_at)).append(1, '\n');
    }
  }
  // An uploaded image a page shows is a link target too.
  for (const std::string& path : media_->files) targets.append("media\x1f").append(path).append(1, '\n');
  // Whether a story may show an image depends on the people in it.
  for (const auto& [hash, basis] : media_->people) {
    targets.append("people\x1f").append(hash).append(1, '\x1f').append(basis).append(1, '\n');
  }
  link_targets_ = HashHex(targets);
  indexes_ = std::move(indexes);
}

namespace {

// The site paths of an uploaded image's copies: its full width first, then each narrower one
// (what Markdown's srcset names).
std::vector<std::string> MediaCopies(const paths::MediaName& full) {
  std::vector<std::string> copies = {paths::MediaFile(full)};
  for (int width : paths::MediaVariantWidths(full.width)) {
    paths::MediaName copy = full;
    copy.width = width;
    copy.height = paths::MediaVariantHeight(full.width, full.height, width);
    copies.push_back(paths::MediaFile(copy));
  }
  return copies;
}

}  // namespace

std::set<std::string> Site::MediaOutputs() const {
  std::set<std::string> outputs;
  for (const RenderedPage& rendered : pages_) {
    if (!rendered.live) continue;
    for (const auto& image : rendered.body.images) {
      std::optional<paths::MediaName> media = paths::ParseMediaFile(image.src);
      if (!media || !image.safe) continue;
      for (const std::string& copy : MediaCopies(*media)) {
        if (media_->files.count(copy)) outputs.insert(copy.substr(1));
      }
    }
  }
  return outputs;
}

Site::Schedule Site::Scheduled() const {
  Schedule schedule;
  std::optional<int64_t> next;
  for (const auto& [key, translations] : indexes_->scheduled) {
    for (const auto& [lang, index] : translations) {
      ++schedule.pages;
      next = std::min(next.value_or(INT64_MAX), pages_[index].live_at);
    }
  }
  // Shown in the site's own offset: a translation may wait for its source's date, not its own.
  if (next) schedule.next = DateTime{*next, config_.utc_offset_minutes, true};
  return schedule;
}

const std::map<std::string, size_t>* Site::Group(std::string_view translation_key) const {
  auto it = indexes_->group_index.find(translation_key);
  return it == indexes_->group_index.end() ? nullptr : it->second;
}

const RenderedPage* Site::Find(const std::string& translation_key, const std::string& lang) const {
  const std::map<std::string, size_t>* group = Group(translation_key);
  if (!group) return nullptr;
  auto it = group->find(lang);
  if (it == group->end()) it = group->find(config_.default_language);
  return it == group->end() ? nullptr : &pages_[it->second];
}

const Site::History* Site::FindHistory(const std::string& key, const std::string& lang) const {
  const std::string id = lang + "/" + key;
  auto changed = histories_.changed.find(id);
  if (changed != histories_.changed.end()) return changed->second ? &*changed->second : nullptr;
  auto it = histories_.base->find(id);
  return it == histories_.base->end() ? nullptr : &it->second;
}

bool Site::HasHistoryPage(const std::string& key, const std::string& lang) const {
  const History* history = FindHistory(key, lang);
  if (!history) return false;
  return history->revisions.size() > 1 ||
         std::any_of(history->revisions.begin(), history->revisions.end(),
                     [](const PageRevision& r) { return r.change_type == "withdrawal"; });
}

void Site::CheckLinks(Diagnostics* diagnostics,
                      const std::function<bool(const RenderedPage&)>& should_check) const {
  const std::unordered_set<std::string> files = LinkableFiles();
  // Pages are checked on all cores, each into its own list, reported in page order.
  std::vector<Diagnostics> found(pages_.size());
  ParallelFor(pages_.size(), DefaultThreads(), [&](size_t index) {
    if (should_check(pages_[index])) CheckPageLinks(pages_[index], files, &found[index]);
  });
  for (const auto& problems : found) diagnostics->Append(problems);
}

std::unordered_set<std::string> Site::LinkableFiles() const {
  // Paths the build writes besides pages: feeds, static files, the sitemap, robots.txt.
  std::unordered_set<std::string> files = {"/sitemap.xml", "/robots.txt"};
  for (const auto& language : config_.languages) {
    for (const char* format : {"atom", "rss", "json"}) {
      files.insert(paths::Feed(language.code, "", format));
      for (const auto& section : config_.sections) {
        files.insert(paths::Feed(language.code, section.name, format));
      }
    }
  }
  for (const auto& file : static_files_) files.insert("/" + file);
  files.insert(media_->files.begin(), media_->files.end());
  // The self-check's pages: content may link to its start, a question or an outcome.
  if (!selfcheck_.empty()) {
    for (const auto& language : config_.languages) {
      files.insert(paths::SelfCheck(language.code));
      for (const auto& q : selfcheck_.questions)
        files.insert(paths::SelfCheck(language.code, q.id));
      for (const auto& o : selfcheck_.outcomes)
        files.insert(paths::SelfCheckResult(language.code, o.id));
    }
  }
  return files;
}

namespace {

// The language and translation key of the page path `path` (/<lang>/, /<lang>/<section>/ or
// /<lang>/<section>/<slug>/) and its number of parts; false when it is not a page path of
// `config`'s languages and sections.
bool ParsePagePath(const SiteConfig& config, const std::string& path, std::string* lang,
                   std::string* key, size_t* count) {
  if (path.size() < 2 || path.front() != '/' || path.back() != '/') return false;
  std::vector<std::string> parts;
  for (size_t start = 1; start < path.size();) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  if (parts.empty() || parts.size() > 3 || !config.FindLanguage(parts[0])) return false;
  if (parts.size() >= 2 && !config.FindSection(parts[1])) return false;
  *lang = parts[0];
  *key = parts.size() == 1   ? ""
         : parts.size() == 2 ? parts[1]
                             : parts[1] + "/" + parts[2];
  *count = parts.size();
  return true;
}

}  // namespace

bool Site::FindLinkedPage(const std::string& path,
                          const std::vector<MarkdownHeading>** headings) const {
  *headings = nullptr;
  std::string lang, key;
  size_t parts = 0;
  if (!ParsePagePath(config_, path, &lang, &key, &parts)) return false;
  const RenderedPage* shown = Find(key, lang);
  if (shown) *headings = &shown->body.headings;
  return shown || parts < 3;  // home and section pages exist without an _index file
}

const RenderedPage* Site::ScheduledAt(const std::string& path) const {
  std::string lang, key;
  size_t parts = 0;
  if (!ParsePagePath(config_, path, &lang, &key, &parts)) return nullptr;
  auto group = indexes_->scheduled.find(key);
  if (group == indexes_->scheduled.end()) return nullptr;
  // The URL shows the default language's page until its own translation is live.
  const RenderedPage* first = nullptr;
  for (const std::string& code : {lang, config_.default_language}) {
    auto it = group->second.find(code);
    if (it == group->second.end()) continue;
    const RenderedPage* page = &pages_[it->second];
    if (!first || page->live_at < first->live_at) first = page;
  }
  return first;
}

std::optional<Problem> Site::LinkProblem(const RenderedPage& rendered, const std::string& href,
                                         const std::unordered_set<std::string>& files) const {
  if (href.empty() || href.find(':') != std::string::npos || href.rfind("//", 0) == 0) {
    return std::nullopt;
  }
  const std::string self = rendered.page.PathIn(rendered.page.lang);
  std::string path = href.substr(0, href.find_first_of("?#"));
  std::string fragment = href.find('#') == std::string::npos ? "" : href.substr(href.find('#') + 1);
  std::string resolved = path.empty() ? self : ResolvePath(self, path);
  const std::vector<MarkdownHeading>* headings = nullptr;
  bool is_file = files.count(resolved) > 0;
  bool is_page = !is_file && FindLinkedPage(resolved, &headings);
  if (const RenderedPage* scheduled = is_file || is_page ? nullptr : ScheduledAt(resolved)) {
    // Broken from the moment this page is shown until the target goes live.
    if (scheduled->live_at > std::max(now_, rendered.live_at)) {
      return ScheduledLinkProblem(href, resolved, *scheduled, rendered);
    }
    is_page = true;
    headings = &scheduled->body.headings;
  }
  bool has_fragment =
      headings && std::any_of(headings->begin(), headings->end(),
                              [&fragment](const MarkdownHeading& h) { return h.id == fragment; });
  // A link to a page whose own file is invalid fails because of that one reported problem.
  if (!is_file && TargetIsInvalid(resolved)) return std::nullopt;
  if (!is_file && !is_page) {
    return Problem(Diag::check_link, {{"href", href}, {"target", resolved}});
  }
  if (!fragment.empty() && resolved.back() == '/' && !has_fragment) {
    return Problem(Diag::check_anchor, {{"href", href}, {"target", resolved}, {"id", fragment}});
  }
  return std::nullopt;
}

void Site::CheckPageLinks(const RenderedPage& rendered, const std::unordered_set<std::string>& files,
                          Diagnostics* problems) const {
  const Page& page = rendered.page;
  // The file is read again only to say on which line a problem is.
  auto line_of = [this, &rendered](const std::string& needle) {
    auto text = SourceText(rendered);
    return text.ok() ? LineOf(*text, needle, rendered.page.body_first_line)
                     : rendered.page.body_first_line;
  };
  for (const auto& link : rendered.body.links) {
    std::optional<Problem> problem = link.safe
                                         ? LinkProblem(rendered, link.href, files)
                                         : Problem(Diag::check_link_scheme, {{"href", link.href}});
    if (problem) problems->Add(page.source_path, line_of("(" + link.href), "body", *problem);
  }
  for (const auto& image : rendered.body.images) {
    if (!image.safe) {
      problems->Add(page.source_path, line_of("(" + image.src), "body",
                    {Diag::check_image_url, {{"src", image.src}}});
    }
    if (image.safe && image.src.rfind("/", 0) == 0 && image.src.rfind("//", 0) != 0) {
      // An uploaded image needs every copy its srcset names in the media library.
      std::optional<paths::MediaName> media = paths::ParseMediaFile(image.src);
      std::vector<std::string> needed =
          media ? MediaCopies(*media)
                : std::vector<std::string>{image.src.substr(0, image.src.find_first_of("?#"))};
      auto missing = std::find_if(needed.begin(), needed.end(),
                                  [&files](const std::string& path) { return !files.count(path); });
      if (missing != needed.end()) {
        problems->Add(page.source_path, line_of("(" + image.src), "body",
                      {Diag::check_image_missing, {{"src", *missing}}});
      }
      // A photo of a person in a story needs the story's consent to cover it.
      auto person = media ? media_->people.find(media->hash) : media_->people.end();
      if (person != media_->people.end() && page.kind == "story" &&
          !ConsentCoversImage(page.consent ? &*page.consent : nullptr, person->second)) {
        problems->Add(page.source_path, line_of("(" + image.src), "consent.images",
                      {Diag::check_image_consent, {{"src", image.src}}});
      }
    }
    if (image.alt.find_first_not_of(" \t") == std::string::npos) {
      problems->Add(page.source_path, line_of("(" + image.src), "body",
                    {Diag::check_alt, {{"src", image.src}}});
    }
  }
}

std::optional<Problem> Site::ScheduledLinkProblem(const std::string& href,
                                                  const std::string& resolved,
                                                  const RenderedPage& target,
                                                  const RenderedPage& from) const {
  auto at = [this](int64_t unix_seconds) {
    return DateTime{unix_seconds, config_.utc_offset_minutes, true}.ToRfc3339();
  };
  DiagnosticArgs args = {{"href", href}, {"target", resolved}, {"date", at(target.live_at)}};
  if (from.live_at > now_ && !from.page.draft) {
    args.emplace_back("live", at(from.live_at));
    return Problem(Diag::check_link_scheduled_later, std::move(args));
  }
  return Problem(Diag::check_link_scheduled, std::move(args));
}

bool Site::TargetIsInvalid(const std::string& path) const {
  // /<lang>/<section>/<slug>/ -> <lang>/<section>/<slug>; the page in that language, or the
  // default language's page it falls back to, is invalid.
  std::string key = path.substr(path.find_first_not_of('/'));
  while (!key.empty() && key.back() == '/') key.pop_back();
  size_t slash = key.find('/');
  std::string lang = key.substr(0, slash);
  std::string rest = slash == std::string::npos ? "" : key.substr(slash);
  return invalid_pages_.count(key) > 0 || invalid_pages_.count(config_.default_language + rest) > 0;
}

std::string Site::SelfCheckGuideHref(const std::string& guide, const selfcheck::Localized& anchor,
                                     const std::string& lang) const {
  auto id = anchor.find(lang);
  return paths::Home(lang) + guide + "/" + (id == anchor.end() ? "" : "#" + id->second);
}

void Site::CheckSelfCheckLinks(Diagnostics* diagnostics) const {
  // A rule's guide section and a question's glossary words: the page exists, and the heading.
  auto check = [&](const std::string& guide, const selfcheck::Localized& anchors,
                   const selfcheck::Origin& origin, const std::string& field) {
    for (const auto& language : config_.languages) {
      const RenderedPage* shown = Find(guide, language.code);
      if (!shown || shown->page.IsIndex()) {
        diagnostics->Add(origin.file, origin.line, field + "guide",
                         {Diag::check_selfcheck_guide, {{"guide", guide}}});
        return;
      }
      auto anchor = anchors.find(language.code);
      const auto& headings = shown->body.headings;
      if (anchor != anchors.end() &&
          std::none_of(headings.begin(), headings.end(),
                       [&](const MarkdownHeading& h) { return h.id == anchor->second; })) {
        diagnostics->Add(
            origin.file, origin.line, field + "anchor." + language.code,
            {Diag::check_selfcheck_anchor,
             {{"page", paths::Page(language.code, shown->page.section, shown->page.slug)},
              {"id", anchor->second}}});
      }
    }
  };
  for (const auto& rule : selfcheck_.rules) {
    check(rule.guide, rule.anchor, rule.origin, "rules[" + rule.id + "].");
  }
  for (const auto& question : selfcheck_.questions) {
    for (const auto& word : question.words) {
      check(word.guide, word.anchor, word.origin, "questions[" + question.id + "].words.");
    }
  }
}

Result<std::string> Site::SourceText(const RenderedPage& rendered) const {
  if (!rendered.page.source_text.empty()) return rendered.page.source_text;
  auto text = fs_->ReadFile(JoinPath(source_dir_, rendered.page.source_path));
  if (!text.ok()) return Status::Error(rendered.page.source_path + ": cannot read file");
  std::string normalised = NormaliseSourceText(std::move(text).value());
  if (HashHex(normalised) != rendered.source_hash) {
    return Status::Error(rendered.page.source_path +
                         ": changed while the site was being built; build again");
  }
  return normalised;
}

std::shared_ptr<const TemplateSet> Site::TemplatesIn(const std::string& lang) const {
  std::lock_guard<std::mutex> lock(templates_in_->mutex);
  std::shared_ptr<const TemplateSet>& filled = templates_in_->by_lang[lang];
  if (!filled) filled = templates_->WithStrings(catalogs_.PlainStrings(lang));
  return filled;
}

Result<std::shared_ptr<const std::string>> Site::FeedHtml(const RenderedPage& rendered) const {
  {
    std::lock_guard<std::mutex> lock(feed_html_->mutex);
    auto it = feed_html_->bodies.find(rendered.source_hash);
    if (it != feed_html_->bodies.end()) return it->second;
  }
  auto body = RenderBody(rendered, true);
  if (!body.ok()) return body.status();
  auto html = std::make_shared<const std::string>(std::move(body->html));
  std::lock_guard<std::mutex> lock(feed_html_->mutex);
  // Feeds show config feed_limit pages per language and section: more than this many bodies
  // means the ones kept are mostly stale.
  if (feed_html_->bodies.size() >= 1024) feed_html_->bodies.clear();
  feed_html_->bodies.emplace(rendered.source_hash, html);
  return html;
}

Result<MarkdownResult> Site::RenderBody(const RenderedPage& rendered, bool embedded) const {
  auto text = SourceText(rendered);
  if (!text.ok()) return text.status();
  const std::string_view body = std::string_view(*text).substr(rendered.page.body_offset);
  if (!embedded) return RenderMarkdown(body, BodyMarkdownOptions());
  MarkdownOptions options = BodyMarkdownOptions();
  options.document_url = config_.base_url + rendered.page.PathIn(rendered.page.lang);
  return RenderMarkdown(body, options);
}

}  // namespace clemency
