#include "render/site.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <numeric>
#include <unordered_set>

#include "content/loader.h"
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
