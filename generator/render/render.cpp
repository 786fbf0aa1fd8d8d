// Site::Build(): every output file of the site, rendered on all cores into the staging folder.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_set>

#include "config/page_kinds.h"
#include "core/parallel.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "feeds/feeds.h"
#include "i18n/text.h"
#include "qr/qr.h"
#include "render/manifest.h"
#include "render/output.h"
#include "render/selfcheck_views.h"
#include "render/site.h"

namespace clemency {
namespace {

View TextList(const std::vector<std::string>& items) {
  View list = View::List();
  for (const auto& item : items) list.Push(View().Set("name", View(item)));
  return list;
}

// Support entries in a row of the same province (as it is today) and its name in paths.
struct ProvinceRun {
  std::string name, slug;
  std::vector<const RenderedPage*> entries;
};

// Builds the views handed to templates. One per language, shared read-only by render threads.
class ViewBuilder {
 public:
  ViewBuilder(const Site& site, const LanguageConfig& language,
              std::shared_ptr<const TemplateSet> templates)
      : site_(site),
        config_(site.config()),
        language_(language),
        templates_(std::move(templates)),
        locale_(language.locale) {}

  // The site's templates with this language's interface strings filled in.
  const TemplateSet& templates() const { return *templates_; }

  std::string T(const std::string& key, const MessageArgs& args = {}) const {
    return site_.catalogs().Format(language_.code, key, args);
  }
  std::string FormatDate(const DateTime& date) const { return T("date", {{"date", date}}); }
  // "Hưng Xá, Hưng Nguyên, Nghệ An", or with a merged province "…, Long An (now part of Tây
  // Ninh)": the names the source used, then where the place belongs today.
  std::string PlaceText(const SupportInfo& s) const {
    std::string province =
        s.current_province.empty()
            ? s.province
            : T("place_now_part_of", {{"province", s.province}, {"current", s.current_province}});
    std::string out;
    for (const std::string* part : {&s.commune, &s.DistrictShown(),
                                    static_cast<const std::string*>(&province)}) {
      if (!part->empty()) out += (out.empty() ? "" : ", ") + *part;
    }
    return out;
  }
  std::string Absolute(const std::string& path) const { return config_.base_url + path; }

  // What every page of this language shows: layout, navigation, switcher, strings.
  View Base(const std::string& path, const std::string& title, const std::string& section) const {
    View view;
    view.Set("lang", View(language_.code));
    view.Set("site_title", View(language_.title));
    view.Set("title", View(title));
    view.Set("page_title",
             View(title == language_.title ? title : title + " – " + language_.title));

    view.Set("home_href", View(paths::Home(language_.code)));
    view.Set("path", View(path));
    view.Set("canonical", View(Absolute(path)));
    view.Set("og_locale", View(language_.locale));
    View nav = View::List();
    for (const auto& s : config_.sections) {
      const RenderedPage* index = site_.Find(s.name, language_.code);
      nav.Push(View()
                   .Set("title", View(index ? index->page.title : T("section_" + s.name)))
                   .Set("href", View(paths::Section(language_.code, s.name)))
                   .Set("current", View(s.name == section)));
    }
    view.Set("nav", nav);
    for (const char* format : {"atom", "rss", "json"}) {
      view.Set(std::string("feed_") + format, View(paths::Feed(language_.code, section, format)));
    }
    return view;
  }

  // Language switcher, hreflang alternates (only real translations) and x-default.
  void AddLanguages(View* view, const std::string& key, const std::string& path_suffix) const {
    AddLanguageLinks(view, path_suffix, [&](const std::string& code) { return Exists(key, code); });
  }

  // The switcher, hreflang alternates (languages for which `exists`) and x-default of the page
  // at `path_suffix` after "/<lang>/".
  void AddLanguageLinks(View* view, const std::string& path_suffix,
                        const std::function<bool(const std::string&)>& exists) const {
    View switcher = View::List();
    View alternates = View::List();
    for (const auto& other : config_.languages) {
      const bool translated = exists(other.code);
      std::string href = paths::Home(other.code) + path_suffix;
      switcher.Push(View()
                        .Set("code", View(other.code))
                        .Set("name", View(other.name))
                        .Set("href", View(href))
                        .Set("current", View(other.code == language_.code))
                        .Set("translated", View(translated)));
      if (translated) {
        alternates.Push(View().Set("hreflang", View(other.code)).Set("href", View(Absolute(href))));
      }
    }
    view->Set("languages", switcher);
    view->Set("alternates", alternates);
    view->Set("x_default", View(Absolute(paths::Home(config_.default_language) + path_suffix)));
  }

  // Page `page` of `pages` of a section's list: links to the others, and (after the first) its
  // own address, title and no repeat of the section's introduction.
  void AddListPages(View* view, const std::string& section, size_t page, size_t pages) const {
    const std::string page_of = T("list_page_of", {{"page", static_cast<long>(page)},
                                                    {"pages", static_cast<long>(pages)}});
    // Every page's number while they fit on a phone's line; beyond that, previous and next.
    View links = View::List();
    for (size_t n = 1; pages <= 10 && n <= pages; ++n) {
      links.Push(View()
                     .Set("number", View(std::to_string(n)))
                     .Set("href", View(paths::SectionListPage(language_.code, section, n)))
                     .Set("current", View(n == page)));
    }
    View pagination;
    pagination.Set("label", View(T("list_pages_label")));
    pagination.Set("page_of", View(page_of));
    pagination.Set("pages", links);
    if (page > 1) {
      pagination.Set("previous_href", View(paths::SectionListPage(language_.code, section, page - 1)));
    }
    if (page < pages) {
      pagination.Set("next_href", View(paths::SectionListPage(language_.code, section, page + 1)));
    }
    view->Set("pagination", pagination);
    if (page > 1) {
      const std::string path = paths::SectionListPage(language_.code, section, page);
      view->Set("path", View(path));
      view->Set("canonical", View(Absolute(path)));
      view->Set("alternates", View::List());
      view->Set("body", View(""));
      view->Set("summary", View(""));
      view->Set("page_title", View(page_of + " – " + language_.title));
    }
  }

  // The self-check exists in every language: the switcher leads to the same step in each.
  void AddSelfCheckLanguages(View* view, const std::string& path) const {
    AddLanguageLinks(view, path.substr(paths::Home(language_.code).size()),
                     [](const std::string&) { return true; });
  }

  bool Exists(const std::string& key, const std::string& lang) const {
    const RenderedPage* shown = site_.Find(key, lang);
    return shown && shown->page.lang == lang;
  }

  // Notices for a page shown in `language_`: fallback, outdated or machine-assisted translation.
  void AddTranslationNotices(View* view, const RenderedPage& shown) const {
    const Page& page = shown.page;
    bool fallback = page.lang != language_.code;
    view->Set("content_lang", View(page.lang));
    view->Set("not_translated", View(fallback));
    if (fallback) {
      // Every language the page exists in, not only the source it falls back to.
      View available = View::List();
      for (const auto& other : config_.languages) {
        if (!Exists(shown.key, other.code)) continue;
        available.Push(View()
                           .Set("code", View(other.code))
                           .Set("name", View(other.name))
                           .Set("href", View(page.PathIn(other.code))));
      }
      view->Set("available", available);
      view->Set("canonical", View(Absolute(page.PathIn(page.lang))));
      view->Set("noindex", View(true));
      view->Set("alternates", View::List());
    }
    if (!fallback && !page.translation_status.empty()) {
      view->Set("machine_assisted", View(page.translation_status == "machine-assisted"));
      const RenderedPage* source = site_.Find(shown.key, config_.default_language);
      if (source && page.translated_from && *page.translated_from < source->page.updated) {
        view->Set("outdated", View(true));
        view->Set("source_href", View(source->page.PathIn(config_.default_language)));
      }
    }
  }

  View ListItem(const RenderedPage& shown) const {
    const Page& page = shown.page;
    View item;
    item.Set("title", View(page.title));
    item.Set("href", View(page.PathIn(language_.code)));
    item.Set("summary", View(page.summary));
    item.Set("date", View(FormatDate(page.updated)));
    item.Set("datetime", View(page.updated.ToRfc3339()));
    item.Set("not_translated", View(page.lang != language_.code));
    item.Set("content_lang", View(page.lang));
    if (page.support) AddSupportItem(*page.support, &item);
    return item;
  }

  // What a support entry shows in a list: where, a tap-to-call link, whether it was confirmed,
  // or whom to ask when it has no contact.
  void AddSupportItem(const SupportInfo& s, View* item) const {
    item->Set("place", View(PlaceText(s)));
    if (!s.contact.phone.empty()) {
      item->Set("phone", View(s.contact.phone));
      item->Set("tel_href", View("tel:" + s.PhoneE164()));
    }
    item->Set("no_contact", View(s.contact.empty()));
    item->Set("verified", View(s.verified ? T("verified_on", {{"date", *s.verified},
                                                               {"by", s.verified_by}})
                                          : T("not_verified")));
  }

  // The path name of the province a support entry is in today, the same in every language: made
  // from the default language's entry (a Khmer province name gives no Latin slug).
  std::string ProvinceSlug(const RenderedPage& entry) const {
    const RenderedPage* source = site_.Find(entry.key, config_.default_language);
    const RenderedPage& named = source && source->page.support ? *source : entry;
    std::string slug = Slugify(named.page.support->ProvinceNow());
    return slug.empty() ? HashHex(named.page.support->ProvinceNow()).substr(0, 8) : slug;
  }

  // The entries of `listed` (sorted by place) in runs of one province as it is today.
  std::vector<ProvinceRun> ProvinceRuns(const std::vector<const RenderedPage*>& listed) const {
    std::vector<ProvinceRun> runs;
    for (const RenderedPage* p : listed) {
      if (!p->page.support) continue;
      const std::string& province = p->page.support->ProvinceNow();
      if (runs.empty() || runs.back().name != province) {
        runs.push_back({province, ProvinceSlug(*p), {}});
      }
      runs.back().entries.push_back(p);
    }
    return runs;
  }

  View ListItems(const std::vector<const RenderedPage*>& entries) const {
    View items = View::List();
    for (const RenderedPage* p : entries) items.Push(ListItem(*p));
    return items;
  }

  // A support list page's province picker (every province of the section) and its own entries
  // by province ([{name, slug, href, items}]).
  void AddProvinces(View* view, const std::string& section, const std::vector<ProvinceRun>& all,
                    const std::vector<const RenderedPage*>& items) const {
    View picker = View::List();
    for (const ProvinceRun& run : all) {
      picker.Push(View().Set("name", View(run.name)).Set(
          "href", View(paths::SectionProvince(language_.code, section, run.slug))));
    }
    view->Set("has_province_picker", View(!all.empty()));
    view->Set("province_picker", picker);
    View groups = View::List();
    for (const ProvinceRun& run : ProvinceRuns(items)) {
      groups.Push(View()
                      .Set("name", View(run.name))
                      .Set("slug", View(run.slug))
                      .Set("href", View(paths::SectionProvince(language_.code, section, run.slug)))
                      .Set("items", ListItems(run.entries)));
    }
    view->Set("province_groups", groups);
  }

  Status PageView(const RenderedPage& shown, const std::string& section, View* out) const {
    auto body = site_.RenderBody(shown);
    if (!body.ok()) return body.status();
    const Page& page = shown.page;
    std::string path = page.PathIn(language_.code);
    View view = Base(path, page.title, section);
    AddLanguages(&view, shown.key, paths::PageSuffix(page.section, page.slug));
    AddTranslationNotices(&view, shown);
    view.Set("summary", View(page.summary));
    view.Set("description", View(page.summary));
    view.Set("body", View(std::move(body->html)));
    view.Set("og_type", View(page.IsIndex() ? "website" : "article"));
    if (!page.IsIndex()) {
      view.Set("history_href", View(paths::PageHistory(language_.code, page.section, page.slug)));
      view.Set("published", View(FormatDate(page.date)));
      view.Set("published_iso", View(page.date.ToRfc3339()));
      if (page.updated > page.date) {
        view.Set("updated", View(FormatDate(page.updated)));
        view.Set("updated_iso", View(page.updated.ToRfc3339()));
      }
    }
    if (!page.change_note.empty()) view.Set("change_note", View(page.change_note));
    if (page.reviewed) {
      view.Set("reviewed", View(T("reviewed_on", {{"date", *page.reviewed}})));
      view.Set("reviewed_iso", View(page.reviewed->ToRfc3339()));
    }
    if (!page.sources.empty()) {
      View sources = View::List();
      for (const auto& s : page.sources) {
        View item;
        item.Set("title", View(s.title));
        if (!s.number.empty()) item.Set("number", View(s.number));
        if (!s.article.empty()) item.Set("article", View(s.article));
        if (!s.url.empty()) item.Set("url", View(s.url));
        sources.Push(item);
      }
      view.Set("sources", sources);
    }
    if (!page.tags.empty()) view.Set("tags", TextList(page.tags));
    if (page.round) view.Set("round", RoundView(*page.round));
    if (FindPageKind(page.kind)->leaflet && !page.IsIndex()) {
      if (Status s = AddLeaflet(page, path, &view); !s.ok()) return s;
    }
    if (page.consent) view.Set("consent", View(ConsentText(*page.consent)));
    if (page.story_source) {
      View source;
      source.Set("title", View(page.story_source->title));
      source.Set("publisher", View(page.story_source->publisher));
      if (page.story_source->date) source.Set("date", View(FormatDate(*page.story_source->date)));
      if (!page.story_source->url.empty()) source.Set("url", View(page.story_source->url));
      view.Set("story_source", source);
    }
    if (page.support) {
      const SupportInfo& s = *page.support;
      View support;
      AddSupportItem(s, &support);  // place, tap-to-call, confirmation
      support.Set("organisation", View(s.organisation));
      View services = View::List();
      for (const auto& service : s.services)
        services.Push(View().Set("name", View(T("service_" + service))));
      support.Set("services", services);
      // An empty list is honest: the source did not say what help is offered.
      support.Set("services_unknown", View(s.services.empty()));
      support.Set("has_contact", View(!s.contact.empty()));
      if (!s.contact.address.empty()) support.Set("address", View(s.contact.address));
      if (!s.contact.hours.empty()) support.Set("hours", View(s.contact.hours));
      view.Set("support", support);
    }
    *out = std::move(view);
    return Status::Ok();
  }

  // Only what the record supports: a personal consent with its scope and date, or that the
  // story was retold from a published report and its people were not contacted.
  std::string ConsentText(const Consent& consent) const {
    if (!consent.personal()) return T("consent_published_report");
    MessageArgs args;
    if (consent.date) args = {{"date", *consent.date}};
    return T(consent.scope == "full-name" ? "consent_full_name" : "consent_initials_only", args);
  }

  const LanguageConfig& language() const { return language_; }
  const std::string& locale() const { return locale_; }

  // A page's public history (see HistoryEntries), in this language's interface; a page shown in
  // the default language is shown so here too, not indexed, like the page itself.
  View HistoryView(const RenderedPage& shown, const Site::History* history) const {
    const Page& page = shown.page;
    const std::string path = paths::PageHistory(language_.code, page.section, page.slug);
    View view = Base(path, T("history_heading"), page.section);
    view.Set("page_title",
             View(T("history_title", {{"title", page.title}}) + " – " + language_.title));
    view.Set("description", View(T("history_title", {{"title", page.title}})));
    AddLanguages(&view, shown.key,
                 paths::PageSuffix(page.section, page.slug) + paths::kHistoryFolder + "/");
    if (page.lang != language_.code) {
      view.Set("not_translated", View(true));
      view.Set("content_lang", View(page.lang));
      view.Set("canonical", View(Absolute(paths::PageHistory(page.lang, page.section, page.slug))));
      view.Set("noindex", View(true));
      view.Set("alternates", View::List());
    }
    view.Set("page_name", View(page.title));
    view.Set("page_href", View(page.PathIn(language_.code)));
    view.Set("published", View(FormatDate(page.date)));
    view.Set("published_iso", View(page.date.ToRfc3339()));
    // A site from files has no revisions: its history is the page's own last change.
    const std::vector<PageRevision> own = {{page.updated, "", page.change_note, {}, false}};
    View entries = HistoryEntries(page, history ? history->revisions : own);
    view.Set("has_entries", View(!entries.list().empty()));
    view.Set("entries", std::move(entries));
    return view;
  }

  // The announced changes, newest first: date, kind of change, note, and for a major change its
  // word diff (only the paragraphs that changed). The oldest, when it is the page's publication,
  // says so.
  View HistoryEntries(const Page& page, const std::vector<PageRevision>& revisions) const {
    View list = View::List();
    const DiffLabels labels{T("diff_added"), T("diff_removed")};
    for (size_t i = 0; i < revisions.size(); ++i) {
      const PageRevision& r = revisions[i];
      const bool first = i + 1 == revisions.size() && r.at <= page.date;
      View entry;
      entry.Set("date", View(FormatDate(r.at)));
      entry.Set("iso", View(r.at.ToRfc3339()));
      entry.Set("type",
                View(T(first ? std::string("history_type_first")
                             : "history_type_" + (r.change_type.empty() ? std::string("update")
                                                                        : r.change_type))));
      if (!r.note.empty()) entry.Set("note", View(r.note));
      if (r.skipped_review) entry.Set("skipped_review", View(T("history_skipped_review")));
      const DiffCounts counts = DiffStats(r.diff);
      if (counts.words_added + counts.words_removed > 0) {
        entry.Set("diff", View(DiffHtml(ChangedParagraphs(r.diff, "…"), labels)));
        entry.Set("diff_summary", View(T("history_diff_summary",
                                         {{"added", static_cast<long>(counts.words_added)},
                                          {"removed", static_cast<long>(counts.words_removed)}})));
      } else if (!r.diff.empty()) {
        entry.Set("text_unchanged", View(true));  // a major change of the details, not the text
      }
      list.Push(std::move(entry));
    }
    return list;
  }

  // A round's decision, status, key dates and conditions as templates show them.
  View RoundView(const RoundInfo& round) const {
    View view;
    view.Set("status", View(round.status));
    view.Set("status_text", View(T("round_status_" + round.status)));
    if (!round.decision.empty()) view.Set("decision", View(round.decision));
    if (round.decision_date) {
      view.Set("decision_date", View(FormatDate(*round.decision_date)));
      view.Set("decision_date_iso", View(round.decision_date->ToDateString()));
    }
    View dates = View::List();
    for (const auto& key_date : round.key_dates) {
      dates.Push(View()
                     .Set("label", View(key_date.label))
                     .Set("date", View(FormatDate(key_date.date)))
                     .Set("iso", View(key_date.date.ToDateString())));
    }
    view.Set("key_dates", dates);
    view.Set("has_conditions", View(!round.conditions.empty()));
    view.Set("conditions", TextList(round.conditions));
    return view;
  }

  // What a printed copy carries: a QR code to the page's address in this language (so the paper
  // leads back to the current version) and the date of the version printed.
  Status AddLeaflet(const Page& page, const std::string& path, View* view) const {
    auto svg = QrSvg(Absolute(path), T("qr_label"));
    if (!svg.ok()) return Status::Error(page.source_path + ": " + svg.status().message());
    View leaflet;
    leaflet.Set("qr_svg", View(std::move(svg).value()));
    leaflet.Set("version", View(T("version_of", {{"date", page.updated}})));
    leaflet.Set("url", View(Absolute(path)));
    view->Set("leaflet", leaflet);
    return Status::Ok();
  }

 private:
  const Site& site_;
  const SiteConfig& config_;
  const LanguageConfig& language_;
  std::shared_ptr<const TemplateSet> templates_;
  std::string locale_;
};

// Translation keys of each section's live pages (not its index), in page order; every
// configured section has an entry.
std::map<std::string, std::vector<std::string>> KeysBySection(const Site& site) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& section : site.config().sections) out[section.name];
  for (const auto& rendered : site.pages()) {
    const Page& page = rendered.page;
    if (page.slug.empty() || !rendered.live) continue;
    std::vector<std::string>& keys = out[page.section];
    if (keys.empty() || keys.back() != rendered.key) keys.push_back(rendered.key);
  }
  return out;
}

// Pages of one section as shown in one language (translation or fallback), in reading order.
std::vector<const RenderedPage*> SectionPages(const Site& site, const SectionConfig& section,
                                              const std::vector<std::string>& keys,
                                              const LanguageConfig& language) {
  std::vector<const RenderedPage*> shown;
  for (const auto& key : keys) {
    if (const RenderedPage* p = site.Find(key, language.code)) shown.push_back(p);
  }
  // A page in its own language has its keys from load; a fallback is sorted by this language,
  // with keys made the first time and kept with the page.
  size_t language_index = 0;
  while (site.config().languages[language_index].code != language.code) ++language_index;
  struct Keyed {
    const RenderedPage* page;
    std::string_view primary, secondary;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(shown.size());
  const ListOrder order = FindPageKind(section.kind)->order;
  const bool by_place = order == ListOrder::kWeightThenPlace;
  for (const RenderedPage* p : shown) {
    const SortKeys* keys = &p->sort_keys;
    if (p->page.lang != language.code) {
      SortKeys& fallback = p->fallback_sort_keys[language_index];
      if (fallback.title.empty()) fallback = ListSortKeys(p->page, language);
      keys = &fallback;
    }
    keyed.push_back(
        {p, by_place ? std::string_view(keys->place) : std::string_view(), keys->title});
  }
  std::stable_sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    if (order == ListOrder::kNewestFirst) {
      if (a.page->page.date != b.page->page.date) return a.page->page.date > b.page->page.date;
    } else if (a.page->page.weight != b.page->page.weight) {
      return a.page->page.weight < b.page->page.weight;
    }
    if (a.primary != b.primary) return a.primary < b.primary;
    return a.secondary < b.secondary;
  });
  std::vector<const RenderedPage*> out;
  for (const auto& k : keyed) out.push_back(k.page);
  return out;
}

// The page left at an old URL of a page (its `aliases`): it sends readers on without JavaScript
// (meta refresh, and a link in the page's language to follow by hand) and tells search engines
// where the page is now (canonical) and not to list the old URL (noindex).
std::string RedirectDocument(const ViewBuilder& builder, const std::string& title,
                             const std::string& target) {
  const std::string href = EscapeHtml(target);
  return "<!DOCTYPE html>\n<html lang=\"" + EscapeHtml(builder.language().code) +
         "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>" + EscapeHtml(builder.T("moved_title")) + "</title>\n"
         "<meta name=\"robots\" content=\"noindex\">\n"
         "<meta http-equiv=\"refresh\" content=\"0; url=" + href + "\">\n"
         "<link rel=\"canonical\" href=\"" + EscapeHtml(builder.Absolute(target)) + "\">\n"
         "</head>\n<body>\n<p>" + EscapeHtml(builder.T("moved_notice")) + " <a href=\"" + href +
         "\">" + EscapeHtml(title) + "</a></p>\n</body>\n</html>\n";
}

// The key of an alias's redirect starts with this, so a partial build can find, in the previous
// manifest, the old URLs a changed page had (and may no longer have).
std::string AliasKeyPrefix(const std::string& page_key) { return "alias:" + page_key + ":"; }

// One unit of rendering: the files it writes, the key of the inputs they depend on (empty: always
// render), and the function that renders and writes them.
struct Job {
  std::vector<std::string> outputs;
  std::string key;
  std::string page_lang;  // counts as a page of this language
  std::function<Status()> run;
};


}  // namespace

std::string BuildSummary::ToString() const {
  size_t pages = 0;
  std::string per_language;
  for (const auto& [lang, count] : pages_per_language) {
    pages += count;
    per_language += (per_language.empty() ? "" : ", ") + lang + " " + std::to_string(count);
  }
  char buf[200];
  std::snprintf(buf, sizeof buf,
                "Built %zu pages (%s): %zu files written (%.1f KiB), %zu unchanged, in %.2f s",
                pages, per_language.c_str(), files_written, bytes_written / 1024.0, files_reused,
                seconds);
  if (scheduled_pages == 0) return buf;
  return std::string(buf) + "; " + std::to_string(scheduled_pages) +
         (scheduled_pages == 1 ? " page" : " pages") + " scheduled, the next at " +
         (next_scheduled ? next_scheduled->ToRfc3339() : std::string("?"));
}

std::vector<Site::SitemapUrl> Site::SitemapUrls() const {
  // A home or section page changes whenever a page it lists does: its last change is the newest
  // of its own and theirs. (lang, section) -> newest change; section "" is the whole language.
  std::map<std::pair<std::string_view, std::string_view>, DateTime> newest;
  for (const auto& [key, translations] : groups_) {
    for (const auto& [lang, index] : translations) {
      const Page& p = pages_[index].page;
      for (std::string_view section : {std::string_view(p.section), std::string_view()}) {
        DateTime& at = newest[{lang, section}];
        at = std::max(at, p.updated);
      }
    }
  }
  std::vector<SitemapUrl> out;
  out.reserve(groups_.size() * config_.languages.size());
  for (const auto& [key, translations] : groups_) {
    for (const auto& [lang, index] : translations) {
      const Page& p = pages_[index].page;
      DateTime lastmod = p.updated;
      if (FindPageKind(p.kind)->list_page) lastmod = std::max(lastmod, newest[{lang, p.section}]);
      out.push_back({&translations, key, lang, lastmod});
    }
  }
  // A home or section page with no _index file in a language (not even one to fall back on) is
  // still a page of its own, made from the section's name.
  static const std::string kHome;
  std::vector<const std::string*> list_keys = {&kHome};
  for (const auto& section : config_.sections) list_keys.push_back(&section.name);
  for (const auto& language : config_.languages) {
    for (const std::string* key : list_keys) {
      if (!Find(*key, language.code)) {
        out.push_back({nullptr, *key, language.code, newest[{language.code, *key}]});
      }
    }
  }
  return out;
}

std::vector<SitemapGroup> Site::SitemapGroups(const std::vector<SitemapUrl>& urls, size_t first,
                                              size_t count) const {
  std::vector<SitemapGroup> out;
  const SitemapUrl* previous = nullptr;
  for (size_t i = first; i < urls.size() && i < first + count; ++i) {
    const SitemapUrl& url = urls[i];
    const auto* translations = url.translations;
    if (!translations || !previous || previous->translations != translations) {
      SitemapGroup group;
      if (translations) {
        for (const auto& language : config_.languages) {
          auto it = translations->find(language.code);
          if (it != translations->end()) {
            group.alternates.emplace_back(
                language.code, config_.base_url + pages_[it->second].page.PathIn(language.code));
          }
        }
        auto source = translations->find(config_.default_language);
        if (source != translations->end()) {
          group.alternates.emplace_back(
              "x-default",
              config_.base_url + pages_[source->second].page.PathIn(config_.default_language));
        }
      } else {
        // No language has that page (a translation needs the default language's), so like its
        // HTML it names only x-default.
        group.alternates.emplace_back(
            "x-default", config_.base_url + paths::Section(config_.default_language, std::string(url.key)));
      }
      out.push_back(std::move(group));
    }
    const std::string lang(url.lang);
    out.back().urls.emplace_back(
        config_.base_url + (translations ? pages_[translations->at(lang)].page.PathIn(lang)
                                         : paths::Section(lang, std::string(url.key))),
        url.lastmod);
    previous = &url;
  }
  return out;
}

std::vector<std::string> Site::ListPageKeys() const {
  std::vector<std::string> keys = {""};  // the home page, then each section's landing page
  for (const auto& section : config_.sections) keys.push_back(section.name);
  return keys;
}

Status Site::WriteRootFiles(OutputWriter& writer) const {
  View view;
  view.Set("default_href", View(paths::Home(config_.default_language)));
  View languages = View::List();
  for (const auto& language : config_.languages) {
    languages.Push(View()
                       .Set("code", View(language.code))
                       .Set("name", View(language.name))
                       .Set("title", View(language.title))
                       .Set("href", View(paths::Home(language.code))));
  }
  view.Set("languages", languages);
  view.Set("lang", View(config_.default_language));
  view.Set("title", View(config_.DefaultLanguage().title));
  Status s = writer.Write("index.html", templates_->Render("root", view));
  if (!s.ok()) return s;
  return writer.Write("robots.txt",
                      "User-agent: *\nAllow: /\nSitemap: " + config_.base_url + "/sitemap.xml\n");
}

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
  // Part 0 of a language is its home, 1..n its sections, n+1 its 404 page and feeds, n+2 its
  // self-check.
  std::vector<Job> PlanLanguagePart(const ViewBuilder& builder, size_t part) const;
  Job HomeJob(const ViewBuilder& builder) const;
  // A section's list, in pages of config list_page_size items: one job per page.
  std::vector<Job> SectionJobs(const ViewBuilder& builder, const SectionConfig& section,
                               const std::vector<const RenderedPage*>& listed) const;
  // The round the home page of `lang` shows: the newest not yet closed, else the newest.
  const RenderedPage* CurrentRound(const std::string& lang) const;
  // Page `page` of `pages` of a section's list: `items` of all it `listed`.
  Job SectionJob(const ViewBuilder& builder, const SectionConfig& section,
                 std::vector<const RenderedPage*> items, size_t page, size_t pages,
                 const std::vector<const RenderedPage*>& listed) const;
  // A support section's entries in each province (as it is today), one page per province.
  std::vector<Job> ProvinceJobs(const ViewBuilder& builder, const SectionConfig& section,
                                const std::vector<const RenderedPage*>& listed) const;
  Job PageJob(const ViewBuilder& builder, const SectionConfig& section,
              const RenderedPage& shown) const;
  // The page's public history (paths::PageHistory), planned wherever its page is: keyed by what
  // it shows (the page's title and dates, its revisions), not by the page's body.
  Job HistoryJob(const ViewBuilder& builder, const SectionConfig& section,
                 const RenderedPage& shown) const;
  // The old URLs of `shown` (the `aliases` of any of its translations) in the builder's
  // language: a redirect page and a moved marker each, keyed by what they say.
  std::vector<Job> AliasJobs(const ViewBuilder& builder, const RenderedPage& shown) const;
  Job NotFoundJob(const ViewBuilder& builder) const;
  Job FeedJob(const ViewBuilder& builder, const std::string& section_name) const;
  // The last change of any live page: an empty feed's date.
  DateTime NewestLiveUpdate() const;
  Job TombstoneJob(const ViewBuilder& builder, const Tombstone& tombstone) const;
  // The withdrawal's reason as readers of `builder`'s language see it: in another language
  // (the default one's, where the page's language had none), labelled as such.
  static std::string ShownReason(const ViewBuilder& builder, const Tombstone& tombstone);
  // The root page and robots.txt.
  Job RootFilesJob() const;
  // The sitemap: one file, or (more URLs than options.sitemap_max_urls) numbered parts of that
  // many URLs in page order and an index. Each part is a job keyed by what it lists, so a
  // change to one page renders the part that lists it, not the whole sitemap.
  std::vector<Job> SitemapJobs() const;
  Job SitemapPartJob(std::shared_ptr<const std::vector<SitemapUrl>> urls, size_t first,
                     size_t count, std::string output) const;
  // The self-check's pages in one language: its start, each question, each outcome.
  std::vector<Job> SelfCheckJobs(const ViewBuilder& builder) const;
  // What a page of `lang` shows besides itself: navigation titles and translations.
  std::string PageKey(const RenderedPage& shown, const std::string& lang) const;
  Status WritePage(const ViewBuilder& builder, const std::string& path,
                   const std::string& template_name, const View& view) const;
  Status WriteFeed(const ViewBuilder& builder, const std::string& section_name,
                   const std::vector<const RenderedPage*>& entries,
                   const std::vector<const Tombstone*>& withdrawals) const;
  // The tombstones whose notice (or 410) a page of `lang` shows: its own, and the default
  // language's where `lang` has neither that page nor a tombstone of its own (the page was shown
  // there in the default language).
  std::vector<const Tombstone*> TombstonesShownIn(const std::string& lang) const;
  // The tombstones a feed of `lang` (and `section_name`, "" for all) announces.
  std::vector<const Tombstone*> Withdrawals(const std::string& lang,
                                            const std::string& section_name) const;

  const Site& site_;
  const BuildOptions& options_;
  OutputWriter* writer_;
  std::vector<std::unique_ptr<ViewBuilder>> builders_;  // one per language
  // What WritePage rendered, by output file, when there is no writer (ListDocument).
  mutable std::map<std::string, std::string> captured_;
  const ViewBuilder* BuilderFor(const std::string& lang) const;
  std::map<std::string, std::string> nav_keys_;           // per language: navigation and home
  std::map<std::string, std::vector<std::string>> keys_by_section_;
  std::vector<std::string> index_keys_;
};

Site::Planner::Planner(const Site& site, const BuildOptions& options, OutputWriter* writer)
    : site_(site),
      options_(options),
      writer_(writer),
      keys_by_section_(KeysBySection(site)),
      index_keys_(site.ListPageKeys()) {
  for (const auto& language : site.config_.languages) {
    builders_.push_back(std::make_unique<ViewBuilder>(
        site, language, site.templates_->WithStrings(site.catalogs_.PlainStrings(language.code))));
    std::string parts = site.site_key_;
    for (const std::string& key : index_keys_) {
      const RenderedPage* index = site.Find(key, language.code);
      parts += "|" + (index ? index->source_hash + index->page.lang : std::string("-"));
    }
    nav_keys_[language.code] = HashHex(parts);
  }
}

std::vector<Job> Site::Planner::PlanJobs() const {
  // Planned on all cores in parts small enough to share evenly (keys, lists and sorting are per
  // page).
  const size_t parts = site_.config_.sections.size() + 3;
  std::vector<std::vector<Job>> planned(builders_.size() * parts);
  ParallelFor(planned.size(), options_.threads, [&](size_t task) {
    planned[task] = PlanLanguagePart(*builders_[task / parts], task % parts);
  });
  std::vector<Job> jobs;
  for (auto& part_jobs : planned) {
    for (auto& job : part_jobs) jobs.push_back(std::move(job));
  }
  jobs.push_back(RootFilesJob());
  for (Job& job : SitemapJobs()) jobs.push_back(std::move(job));
  return jobs;
}

std::vector<Job> Site::Planner::PlanChangedJobs(const std::set<std::string>& keys) const {
  std::vector<Job> jobs;
  std::set<const SectionConfig*> sections;
  for (const std::string& key : keys) {
    if (const SectionConfig* section = site_.config_.FindSection(key.substr(0, key.find('/')))) {
      sections.insert(section);
    }
  }
  for (const auto& builder : builders_) {
    const std::string& lang = builder->language().code;
    for (const SectionConfig* section : sections) {
      std::vector<const RenderedPage*> listed = SectionPages(
          site_, *section, keys_by_section_.at(section->name), builder->language());
      for (const RenderedPage* shown : listed) {
        if (!keys.count(shown->key)) continue;
        jobs.push_back(PageJob(*builder, *section, *shown));
        jobs.push_back(HistoryJob(*builder, *section, *shown));
        for (Job& job : AliasJobs(*builder, *shown)) jobs.push_back(std::move(job));
      }
      for (Job& job : SectionJobs(*builder, *section, listed)) jobs.push_back(std::move(job));
    }
    // Every section's feed: an empty one is dated by the site's newest page, wherever that is
    // (the others keep their keys and are left as they are).
    for (const auto& section : site_.config_.sections) jobs.push_back(FeedJob(*builder, section.name));
    jobs.push_back(FeedJob(*builder, ""));
    jobs.push_back(HomeJob(*builder));  // it shows the current round, which may be this page
    for (const Tombstone* tombstone : TombstonesShownIn(lang)) {
      if (keys.count(tombstone->section + "/" + tombstone->slug)) {
        jobs.push_back(TombstoneJob(*builder, *tombstone));
      }
    }
  }
  jobs.push_back(RootFilesJob());
  for (Job& job : SitemapJobs()) jobs.push_back(std::move(job));
  return jobs;
}

std::vector<std::string> Site::Planner::PageOutputs(const std::set<std::string>& keys,
                                                    const BuildManifest& previous) const {
  std::vector<std::string> out;
  std::vector<std::string> alias_prefixes;
  for (const std::string& key : keys) alias_prefixes.push_back(AliasKeyPrefix(key));
  for (const auto& [output, job_key] : previous.keys()) {
    for (const std::string& prefix : alias_prefixes) {
      if (job_key.rfind(prefix, 0) == 0) out.emplace_back(output);
    }
  }
  for (const auto& language : site_.config_.languages) {
    for (const std::string& key : keys) {
      const size_t slash = key.find('/');
      if (slash == std::string::npos) continue;
      const std::string path = paths::Page(language.code, key.substr(0, slash), key.substr(slash + 1));
      out.push_back(paths::OutputFile(path));
      out.push_back(paths::OutputFile(path + paths::kGoneMarker));
      out.push_back(paths::OutputFile(
          paths::PageHistory(language.code, key.substr(0, slash), key.substr(slash + 1))));
    }
  }
  return out;
}

std::vector<Job> Site::Planner::PlanLanguagePart(const ViewBuilder& builder, size_t part) const {
  const auto& sections = site_.config_.sections;
  std::vector<Job> jobs;
  if (part == 0) {
    jobs.push_back(HomeJob(builder));
  } else if (part <= sections.size()) {
    const SectionConfig& section = sections[part - 1];
    std::vector<const RenderedPage*> listed =
        SectionPages(site_, section, keys_by_section_.at(section.name), builder.language());
    for (Job& job : SectionJobs(builder, section, listed)) jobs.push_back(std::move(job));
    for (const RenderedPage* shown : listed) {
      jobs.push_back(PageJob(builder, section, *shown));
      jobs.push_back(HistoryJob(builder, section, *shown));
      for (Job& job : AliasJobs(builder, *shown)) jobs.push_back(std::move(job));
    }
  } else if (part == sections.size() + 2) {
    jobs = SelfCheckJobs(builder);
  } else {
    jobs.push_back(NotFoundJob(builder));
    jobs.push_back(FeedJob(builder, ""));
    for (const auto& section : sections) jobs.push_back(FeedJob(builder, section.name));
    for (const Tombstone* tombstone : TombstonesShownIn(builder.language().code)) {
      jobs.push_back(TombstoneJob(builder, *tombstone));
    }
  }
  return jobs;
}

Status Site::Planner::WritePage(const ViewBuilder& builder, const std::string& path,
                                const std::string& template_name, const View& view) const {
  std::string html = builder.templates().RenderPage(template_name, view);
  if (!writer_) {
    captured_[paths::OutputFile(path)] = std::move(html);
    return Status::Ok();
  }
  return writer_->Write(paths::OutputFile(path), html);
}

const ViewBuilder* Site::Planner::BuilderFor(const std::string& lang) const {
  for (const auto& builder : builders_) {
    if (builder->language().code == lang) return builder.get();
  }
  return nullptr;
}

Result<std::string> Site::Planner::ListDocument(const std::string& lang,
                                                const std::string& section_name) const {
  const ViewBuilder* builder = BuilderFor(lang);
  if (!builder) return Status::Error("no language " + lang);
  Job job;
  if (section_name.empty()) {
    job = HomeJob(*builder);
  } else {
    const SectionConfig* section = site_.config_.FindSection(section_name);
    auto keys = keys_by_section_.find(section_name);
    if (!section) return Status::Error("no section " + section_name);
    std::vector<const RenderedPage*> listed;
    if (keys != keys_by_section_.end()) {
      listed = SectionPages(site_, *section, keys->second, builder->language());
    }
    std::vector<Job> jobs = SectionJobs(*builder, *section, listed);
    if (jobs.empty()) return Status::Error("no list page for " + section_name);
    job = std::move(jobs.front());
  }
  if (Status s = job.run(); !s.ok()) return s;
  auto html = captured_.find(job.outputs.front());
  if (html == captured_.end()) return Status::Error("the list page was not rendered");
  return html->second;
}

std::string Site::Planner::PageKey(const RenderedPage& shown, const std::string& lang) const {
  std::string parts =
      nav_keys_.at(lang) + "|page|" + lang + "|" + shown.source_hash + shown.page.lang;
  if (const auto* group = site_.Group(shown.key)) {
    for (const auto& [code, index] : *group) parts += "|" + code;
  }
  if (const RenderedPage* source = site_.Find(shown.key, site_.config_.default_language)) {
    // "May be out of date" compares with the source page's date (its body is not shown).
    parts += "|" + std::to_string(source->page.updated.unix_seconds);
  }
  return HashHex(parts);
}

const RenderedPage* Site::Planner::CurrentRound(const std::string& lang) const {
  // A round not yet closed comes first (the newest such), else the newest round.
  const RenderedPage* best = nullptr;
  auto rank = [](const RenderedPage* p) {
    const RoundInfo& r = *p->page.round;
    return std::make_pair(r.status != "closed", r.decision_date.value_or(p->page.date));
  };
  for (const auto& section : site_.config_.sections) {
    if (!FindPageKind(section.kind)->round_fields) continue;
    for (const std::string& key : keys_by_section_.at(section.name)) {
      const RenderedPage* shown = site_.Find(key, lang);
      if (shown && shown->page.round && (!best || rank(shown) > rank(best))) best = shown;
    }
  }
  return best;
}

Job Site::Planner::HomeJob(const ViewBuilder& builder) const {
  const std::string lang = builder.language().code;
  const RenderedPage* round = CurrentRound(lang);
  // The home page shows the current round: it changes with that page (or when another becomes it).
  const std::string round_key = round ? round->source_hash + round->page.lang : "-";
  return {{paths::OutputFile(paths::Home(lang))},
          HashHex(nav_keys_.at(lang) + "|home|" + round_key),
          lang,
          [this, &builder, lang, round]() {
            View view;
            if (const RenderedPage* home = site_.Find("", lang)) {
              if (Status s = builder.PageView(*home, "", &view); !s.ok()) return s;
            } else {
              view = builder.Base(paths::Home(lang), builder.language().title, "");
              builder.AddLanguages(&view, "", "");
            }
            view.Set("is_home", View(true));
            View sections = View::List();
            for (const auto& section : site_.config_.sections) {
              const RenderedPage* index = site_.Find(section.name, lang);
              sections.Push(View()
                                .Set("title", View(index ? index->page.title
                                                         : builder.T("section_" + section.name)))
                                .Set("summary", View(index ? index->page.summary : ""))
                                .Set("href", View(paths::Section(lang, section.name))));
            }
            view.Set("sections", sections);
            if (round) {
              View current = builder.RoundView(*round->page.round);
              current.Set("title", View(round->page.title));
              current.Set("href", View(round->page.PathIn(lang)));
              current.Set("summary", View(round->page.summary));
              view.Set("current_round", current);
            }
            if (!site_.selfcheck_.empty()) {
              view.Set("selfcheck",
                       View()
                           .Set("href", View(paths::SelfCheck(lang)))
                           .Set("label", View(site_.selfcheck_.String("home_link", lang))));
            }
            return WritePage(builder, paths::Home(lang), "home", view);
          }};
}

std::vector<Job> Site::Planner::SectionJobs(const ViewBuilder& builder,
                                            const SectionConfig& section,
                                            const std::vector<const RenderedPage*>& listed) const {
  const size_t per_page = static_cast<size_t>(std::max(1, site_.config_.list_page_size));
  const size_t pages = std::max<size_t>(1, (listed.size() + per_page - 1) / per_page);
  std::vector<Job> jobs;
  for (size_t page = 1; page <= pages; ++page) {
    auto first = listed.begin() + std::min(listed.size(), (page - 1) * per_page);
    auto last = listed.begin() + std::min(listed.size(), page * per_page);
    jobs.push_back(SectionJob(builder, section, {first, last}, page, pages, listed));
  }
  if (FindPageKind(section.kind)->support_fields) {
    for (Job& job : ProvinceJobs(builder, section, listed)) jobs.push_back(std::move(job));
  }
  return jobs;
}

std::vector<Job> Site::Planner::ProvinceJobs(const ViewBuilder& builder,
                                             const SectionConfig& section,
                                             const std::vector<const RenderedPage*>& listed) const {
  const std::string lang = builder.language().code;
  std::vector<Job> jobs;
  for (ProvinceRun& run : builder.ProvinceRuns(listed)) {
    const std::string path = paths::SectionProvince(lang, section.name, run.slug);
    std::string key = nav_keys_.at(lang) + "|province|" + section.name + "|" + run.name;
    for (const RenderedPage* p : run.entries) key += "|" + p->list_hash + p->page.lang;
    jobs.push_back({{paths::OutputFile(path)}, HashHex(key), lang,
                    [this, &builder, &section, run = std::move(run), path, lang]() {
                      const std::string title =
                          builder.T("support_in_province", {{"province", run.name}});
                      View view = builder.Base(path, title, section.name);
                      builder.AddLanguages(&view, section.name,
                                           path.substr(paths::Home(lang).size()));
                      view.Set("alternates", View::List());
                      view.Set("items", builder.ListItems(run.entries));
                      const std::string count = builder.T(
                          "item_count", {{"count", static_cast<long>(run.entries.size())}});
                      view.Set("item_count", View(count));
                      view.Set("description", View(title + " – " + count));
                      view.Set("all_provinces_href", View(paths::Section(lang, section.name)));
                      return WritePage(builder, path, "section", view);
                    }});
  }
  return jobs;
}

Job Site::Planner::SectionJob(const ViewBuilder& builder, const SectionConfig& section,
                              std::vector<const RenderedPage*> items, size_t page,
                              size_t pages, const std::vector<const RenderedPage*>& listed) const {
  const std::string lang = builder.language().code;
  const size_t total = listed.size();
  const bool by_province = FindPageKind(section.kind)->support_fields;
  // What each item shows (not the page's body): an edit to a body leaves the list alone.
  std::string list_key = nav_keys_.at(lang) + "|section|" + section.name + "|" +
                         std::to_string(page) + "/" + std::to_string(pages) + " of " +
                         std::to_string(total);
  for (const RenderedPage* p : items) list_key += "|" + p->list_hash + p->page.lang;
  // A support list links to every province's page: it changes with the provinces listed.
  std::vector<ProvinceRun> provinces =
      by_province ? builder.ProvinceRuns(listed) : std::vector<ProvinceRun>();
  for (ProvinceRun& run : provinces) {
    list_key += "|p " + run.name + " " + run.slug;
    run.entries.clear();  // the picker needs names only
  }
  const std::string path = paths::SectionListPage(lang, section.name, page);
  return {{paths::OutputFile(path)}, HashHex(list_key), lang,
          [this, &builder, lang, &section, items = std::move(items), path, page, pages, total,
           by_province, provinces]() {
            View view;
            if (const RenderedPage* index = site_.Find(section.name, lang)) {
              if (Status s = builder.PageView(*index, section.name, &view); !s.ok()) return s;
            } else {
              view = builder.Base(paths::Section(lang, section.name),
                                  builder.T("section_" + section.name), section.name);
              builder.AddLanguages(&view, section.name, paths::PageSuffix(section.name, ""));
            }
            if (by_province) {
              builder.AddProvinces(&view, section.name, provinces, items);
            } else {
              view.Set("items", builder.ListItems(items));
            }
            view.Set("item_count",
                     View(builder.T("item_count", {{"count", static_cast<long>(total)}})));
            view.Set("is_" + section.kind + "_list", View(true));
            if (pages > 1) builder.AddListPages(&view, section.name, page, pages);
            return WritePage(builder, path, "section", view);
          }};
}

Job Site::Planner::PageJob(const ViewBuilder& builder, const SectionConfig& section,
                           const RenderedPage& shown) const {
  const std::string lang = builder.language().code;
  return {{paths::OutputFile(shown.page.PathIn(lang))}, PageKey(shown, lang), lang,
          [this, lang, &section, &shown]() -> Status {
            auto html = PageDocument(lang, section, shown);
            if (!html.ok()) return html.status();
            return writer_->Write(paths::OutputFile(shown.page.PathIn(lang)), *html);
          }};
}

Result<std::string> Site::Planner::PageDocument(const std::string& lang,
                                                const SectionConfig& section,
                                                const RenderedPage& shown) const {
  const ViewBuilder* found = BuilderFor(lang);
  if (!found) return Status::Error("no language " + lang);
  const ViewBuilder& builder = *found;
  View view;
  if (Status s = builder.PageView(shown, section.name, &view); !s.ok()) return s;
  View crumbs = View::List();
  const RenderedPage* index = site_.Find(section.name, lang);
  crumbs.Push(View()
                  .Set("title", View(index ? index->page.title : builder.T("section_" + section.name)))
                  .Set("href", View(paths::Section(lang, section.name))));
  view.Set("trail", crumbs);
  const std::string template_name(FindPageKind(shown.page.kind)->template_name);
  return builder.templates().RenderPage(
      site_.templates_->Has(template_name) ? template_name : "page", view);
}

Job Site::Planner::HistoryJob(const ViewBuilder& builder, const SectionConfig& section,
                              const RenderedPage& shown) const {
  const std::string lang = builder.language().code;
  const Page& page = shown.page;
  const Site::History* history = site_.FindHistory(shown.key, page.lang);
  std::string key = nav_keys_.at(lang) + "|history|" + lang + "|" + page.lang + "|" + page.title +
                    "|" + page.date.ToRfc3339() + "|" +
                    (history ? history->hash : page.updated.ToRfc3339() + "|" + page.change_note);
  if (const auto* group = site_.Group(shown.key)) {
    for (const auto& [code, index] : *group) key += "|" + code;  // the language switcher
  }
  const std::string path = paths::PageHistory(lang, page.section, page.slug);
  // Not counted among the language's pages: the build's summary counts what content shows.
  return {
      {paths::OutputFile(path)},
      HashHex(key),
      "",
      [this, &builder, &section, &shown, history, path]() {
        View view = builder.HistoryView(shown, history);
        const std::string lang = builder.language().code;
        const RenderedPage* index = site_.Find(section.name, lang);
        const std::string section_title =
            index ? index->page.title : builder.T("section_" + section.name);
        View crumbs = View::List();
        crumbs.Push(View()
                        .Set("title", View(section_title))
                        .Set("href", View(paths::Section(lang, section.name))));
        crumbs.Push(
            View().Set("title", View(shown.page.title)).Set("href", View(shown.page.PathIn(lang))));
        view.Set("trail", crumbs);
        return WritePage(builder, path, "history", view);
      }};
}

std::vector<Job> Site::Planner::AliasJobs(const ViewBuilder& builder,
                                          const RenderedPage& shown) const {
  // The old slug was the page's in every language, so any translation's list counts.
  std::set<std::string> aliases(shown.page.aliases.begin(), shown.page.aliases.end());
  if (const auto* group = site_.Group(shown.key)) {
    for (const auto& [code, index] : *group) {
      aliases.insert(site_.pages_[index].page.aliases.begin(),
                     site_.pages_[index].page.aliases.end());
    }
  }
  const std::string lang = builder.language().code;
  const std::string target = shown.page.PathIn(lang);
  auto html =
      std::make_shared<const std::string>(RedirectDocument(builder, shown.page.title, target));
  std::vector<Job> jobs;
  for (const std::string& alias : aliases) {
    const std::string path = paths::Page(lang, shown.page.section, alias);
    const std::string file = paths::OutputFile(path);
    const std::string marker = paths::OutputFile(path + paths::kMovedMarker);
    // Not counted among the language's pages, as a history page is not.
    jobs.push_back({{file, marker}, AliasKeyPrefix(shown.key) + HashHex(*html), "",
                    [this, html, target, file, marker]() {
                      if (Status s = writer_->Write(file, *html); !s.ok()) return s;
                      return writer_->Write(marker, target);
                    }});
  }
  return jobs;
}

Job Site::Planner::NotFoundJob(const ViewBuilder& builder) const {
  const std::string lang = builder.language().code;
  const bool is_default = lang == site_.config_.default_language;
  std::vector<std::string> outputs = {paths::OutputFile(paths::NotFound(lang))};
  if (is_default) outputs.push_back("404.html");  // the server's answer outside any language
  return {outputs, HashHex(nav_keys_.at(lang) + "|404"), "", [this, &builder, lang, is_default]() {
            View view = builder.Base(paths::NotFound(lang), builder.T("not_found_title"), "");
            builder.AddLanguages(&view, "", "");
            view.Set("alternates", View::List());
            view.Set("noindex", View(true));
            std::string html = builder.templates().RenderPage("404", view);
            Status s = writer_->Write(paths::OutputFile(paths::NotFound(lang)), html);
            if (s.ok() && is_default) s = writer_->Write("404.html", html);
            return s;
          }};
}

Job Site::Planner::FeedJob(const ViewBuilder& builder, const std::string& section_name) const {
  // The language's newest live translations, or one section's.
  const std::string lang = builder.language().code;
  std::vector<const RenderedPage*> entries;
  for (const auto& rendered : site_.pages_) {
    const Page& p = rendered.page;
    if (rendered.live && p.lang == lang && !p.IsIndex() &&
        (section_name.empty() || p.section == section_name)) {
      entries.push_back(&rendered);
    }
  }
  // Newest first, ties in page order (entries are in page order: their addresses tell it).
  const size_t limit = std::min(entries.size(), static_cast<size_t>(site_.config_.feed_limit));
  std::partial_sort(entries.begin(), entries.begin() + limit, entries.end(),
                    [](const RenderedPage* a, const RenderedPage* b) {
                      if (a->page.updated != b->page.updated) return a->page.updated > b->page.updated;
                      return a < b;
                    });
  entries.resize(limit);
  std::vector<const Tombstone*> withdrawals = Withdrawals(lang, section_name);
  std::string key = nav_keys_.at(lang) + "|feed|" + section_name;
  for (const RenderedPage* r : entries) key += "|" + r->source_hash;
  for (const Tombstone* t : withdrawals) {
    key += "|w " + t->title + t->reason + t->reason_lang + t->at.ToRfc3339();
  }
  if (entries.empty()) key += "|" + std::to_string(NewestLiveUpdate().unix_seconds);
  return {{paths::OutputFile(paths::Feed(lang, section_name, "atom")),
           paths::OutputFile(paths::Feed(lang, section_name, "rss")),
           paths::OutputFile(paths::Feed(lang, section_name, "json"))},
          HashHex(key),
          "",
          [this, &builder, section_name, entries, withdrawals]() {
            return WriteFeed(builder, section_name, entries, withdrawals);
          }};
}

DateTime Site::Planner::NewestLiveUpdate() const {
  // Not a scheduled page's: a feed must not tell of a change readers cannot see yet.
  DateTime newest;
  for (const auto& rendered : site_.pages_) {
    if (rendered.live) newest = std::max(newest, rendered.page.updated);
  }
  return newest;
}

std::vector<const Tombstone*> Site::Planner::TombstonesShownIn(const std::string& lang) const {
  std::set<std::string> own;
  for (const Tombstone& t : site_.tombstones_) {
    if (t.lang == lang) own.insert(t.section + "/" + t.slug);
  }
  std::vector<const Tombstone*> out;
  for (const Tombstone& t : site_.tombstones_) {
    const std::string key = t.section + "/" + t.slug;
    const bool fallback = t.lang == site_.config_.default_language && !own.count(key) &&
                          !site_.Find(key, lang);
    if (t.lang == lang || fallback) out.push_back(&t);
  }
  return out;
}

std::vector<const Tombstone*> Site::Planner::Withdrawals(const std::string& lang,
                                                        const std::string& section_name) const {
  std::vector<const Tombstone*> out;
  for (const Tombstone& t : site_.tombstones_) {
    if (t.lang == lang && (section_name.empty() || t.section == section_name)) out.push_back(&t);
  }
  return out;
}

Job Site::Planner::TombstoneJob(const ViewBuilder& builder, const Tombstone& tombstone) const {
  const std::string lang = builder.language().code;
  const std::string path = paths::Page(lang, tombstone.section, tombstone.slug);
  const std::string file = tombstone.gone ? paths::OutputFile(path + paths::kGoneMarker)
                                          : paths::OutputFile(path);
  std::string key = nav_keys_.at(lang) + "|tombstone|" + tombstone.title + "|" + tombstone.reason +
                    "|" + tombstone.reason_lang + "|" + tombstone.at.ToRfc3339() +
                    (tombstone.gone ? "|gone" : "");
  return {{file}, HashHex(key), "", [this, &builder, &tombstone, path, file]() {
            if (tombstone.gone) return writer_->Write(file, "");
            View view = builder.Base(path, builder.T("withdrawn_heading"), tombstone.section);
            builder.AddLanguages(&view, "", "");
            view.Set("alternates", View::List());
            view.Set("noindex", View(true));
            view.Set("withdrawn_notice",
                     View(builder.T("withdrawn_notice",
                                    {{"title", tombstone.title},
                                     {"date", tombstone.at},
                                     {"reason", ShownReason(builder, tombstone)}})));
            return WritePage(builder, path, "withdrawn", view);
          }};
}

std::string Site::Planner::ShownReason(const ViewBuilder& builder, const Tombstone& tombstone) {
  if (tombstone.reason_lang.empty() || tombstone.reason_lang == builder.language().code) {
    return tombstone.reason;
  }
  return builder.T("withdrawn_reason_in_default_language", {{"reason", tombstone.reason}});
}

Status Site::Planner::WriteFeed(const ViewBuilder& builder, const std::string& section_name,
                                const std::vector<const RenderedPage*>& entries,
                                const std::vector<const Tombstone*>& withdrawals) const {
  const std::string lang = builder.language().code;
  const std::string base = paths::Section(lang, section_name);
  FeedInfo info;
  const RenderedPage* index = site_.Find(section_name, lang);
  info.title = builder.language().title +
               (section_name.empty()
                    ? ""
                    : " – " + (index ? index->page.title : builder.T("section_" + section_name)));
  info.subtitle = builder.T("site_description");
  info.lang = lang;
  info.author = builder.language().title;
  info.home_url = builder.Absolute(base);
  info.id = builder.Absolute(base);
  info.updated = entries.empty() ? DateTime{} : entries.front()->page.updated;
  if (entries.empty()) info.updated = NewestLiveUpdate();
  std::vector<FeedEntry> feed_entries;
  for (const RenderedPage* r : entries) {
    const Page& p = r->page;
    FeedEntry entry;
    entry.id = TagUri(site_.config_.base_url, p.date, p.PathIn(lang));
    entry.url = builder.Absolute(p.PathIn(lang));
    entry.title = p.title;
    entry.summary = p.summary;
    auto html = site_.FeedHtml(*r);
    if (!html.ok()) return html.status();
    entry.content_html = **html;
    entry.change_note = p.change_note;
    entry.change_note_label = builder.T("change_note_label");
    entry.lang = lang;
    entry.tags = p.tags;
    entry.published = p.date;
    entry.updated = p.updated;
    feed_entries.push_back(std::move(entry));
  }
  // A withdrawal updates the page's own entry (same id), so readers and partners learn of it.
  for (const Tombstone* t : withdrawals) {
    FeedEntry entry;
    const std::string path = paths::Page(lang, t->section, t->slug);
    entry.id = TagUri(site_.config_.base_url, t->published, path);
    entry.url = builder.Absolute(path);
    entry.title = builder.T("withdrawn_feed_title", {{"title", t->title}});
    entry.summary = builder.T("withdrawn_notice", {{"title", t->title},
                                                   {"date", t->at},
                                                   {"reason", ShownReason(builder, *t)}});
    entry.content_html = "<p>" + EscapeHtml(entry.summary) + "</p>";
    entry.lang = lang;
    entry.published = t->published;
    entry.updated = t->at;
    info.updated = std::max(info.updated, t->at);
    feed_entries.push_back(std::move(entry));
  }
  std::stable_sort(feed_entries.begin(), feed_entries.end(),
                   [](const FeedEntry& a, const FeedEntry& b) { return a.updated > b.updated; });
  const size_t limit = static_cast<size_t>(site_.config_.feed_limit);
  if (feed_entries.size() > limit) feed_entries.resize(limit);
  using Render = std::string (*)(const FeedInfo&, const std::vector<FeedEntry>&);
  const std::pair<const char*, Render> formats[] = {
      {"atom", RenderAtom}, {"rss", RenderRss}, {"json", RenderJsonFeed}};
  Status s;
  for (const auto& [format, render] : formats) {
    const std::string path = paths::Feed(lang, section_name, format);
    info.feed_url = builder.Absolute(path);
    if (s.ok()) s = writer_->Write(paths::OutputFile(path), render(info, feed_entries));
  }
  return s;
}

std::vector<Job> Site::Planner::SelfCheckJobs(const ViewBuilder& builder) const {
  const selfcheck::RuleSet& rules = site_.selfcheck_;
  std::vector<Job> jobs;
  if (rules.empty()) return jobs;
  const std::string lang = builder.language().code;
  // The pages show the rule set (a site file: in nav_keys_) and links into the guides.
  const std::string key = nav_keys_.at(lang) + "|selfcheck|" + site_.link_targets_;
  auto views = std::make_shared<SelfCheckViews>(
      rules, lang,
      [this, lang](const std::string& guide, const selfcheck::Localized& anchor) {
        return site_.SelfCheckGuideHref(guide, anchor, lang);
      });
  auto job = [&](const std::string& path,
                 std::function<std::string(const SelfCheckViews&, View*)> fill) {
    jobs.push_back({{paths::OutputFile(path)},
                    HashHex(key + "|" + path),
                    lang,
                    [this, &builder, path, views, fill]() {
                      View part;
                      std::string title = fill(*views, &part);
                      View view = builder.Base(path, title, "");
                      builder.AddSelfCheckLanguages(&view, path);
                      for (const auto& [name, value] : part.map()) view.Set(name, value);
                      const std::string lang_code = builder.language().code;
                      view.Set("selfcheck_title",
                               View(site_.selfcheck_.String("title", lang_code)));
                      view.Set("description", View(site_.selfcheck_.String("intro", lang_code)));
                      return WritePage(builder, path, "selfcheck", view);
                    }});
  };
  job(paths::SelfCheck(lang), [](const SelfCheckViews& v, View* view) { return v.Start(view); });
  for (const auto& question : rules.questions) {
    job(paths::SelfCheck(lang, question.id),
        [&question](const SelfCheckViews& v, View* view) { return v.Question(question, view); });
  }
  for (const auto& outcome : rules.outcomes) {
    job(paths::SelfCheckResult(lang, outcome.id),
        [&outcome](const SelfCheckViews& v, View* view) { return v.Outcome(outcome, view); });
  }
  return jobs;
}

Job Site::Planner::RootFilesJob() const {
  return {{"index.html", "robots.txt"}, HashHex(site_.site_key_ + "|root"), "",
          [this]() { return site_.WriteRootFiles(*writer_); }};
}

std::vector<Job> Site::Planner::SitemapJobs() const {
  auto urls = std::make_shared<const std::vector<SitemapUrl>>(site_.SitemapUrls());
  const size_t per_file = std::max<size_t>(1, options_.sitemap_max_urls);
  if (urls->size() <= per_file) return {SitemapPartJob(urls, 0, per_file, "sitemap.xml")};
  const size_t files = (urls->size() + per_file - 1) / per_file;
  std::vector<Job> jobs;
  std::vector<std::string> part_urls;
  for (size_t i = 0; i < files; ++i) {
    const std::string part = paths::SitemapPart(i + 1);
    jobs.push_back(SitemapPartJob(urls, i * per_file, per_file, paths::OutputFile(part)));
    part_urls.push_back(site_.config_.base_url + part);
  }
  std::string key = site_.site_key_ + "|sitemap-index";
  for (const auto& url : part_urls) key += "|" + url;
  jobs.push_back({{"sitemap.xml"}, HashHex(key), "", [this, part_urls]() {
                    return writer_->Write("sitemap.xml", RenderSitemapIndex(part_urls));
                  }});
  return jobs;
}

Job Site::Planner::SitemapPartJob(std::shared_ptr<const std::vector<SitemapUrl>> urls,
                                  size_t first, size_t count, std::string output) const {
  // What the part lists: each URL's page, language and date, and its translations.
  std::string key = site_.site_key_ + "|sitemap";
  for (size_t i = first; i < urls->size() && i < first + count; ++i) {
    const SitemapUrl& url = (*urls)[i];
    key.append(1, '\n').append(url.key).append(1, ' ').append(url.lang).append(1, ' ');
    key.append(std::to_string(url.lastmod.unix_seconds)).append(1, ' ');
    key.append(std::to_string(url.lastmod.offset_minutes));
    if (url.translations) {
      for (const auto& [lang, index] : *url.translations) key.append(1, ' ').append(lang);
    }
  }
  return {{output}, HashHex(key), "", [this, urls, first, count, output]() {
            std::vector<SitemapGroup> groups = site_.SitemapGroups(*urls, first, count);
            return writer_->Write(output, RenderSitemap(groups, 0, count));
          }};
}

namespace {

// Which jobs' outputs are as the last build left them, and how the commit will go.
struct ChangePlan {
  std::vector<char> unchanged;  // per job: every output has the same key as last time
  size_t total_outputs = 0;
  std::vector<std::string> removed;  // outputs of the last build that are no more
};

// A sitemap part, a further page of a section's list or a province's support page: outputs
// whose number depends on the site's content, so a partial plan plans all of them and removes those of the last build it no
// longer has.
bool IsNumberedOutput(std::string_view output) {
  return output.rfind("sitemap-", 0) == 0 || output.find("/page/") != std::string_view::npos ||
         output.find("/province/") != std::string_view::npos;
}

// Whether the numbered `output` belongs to a family a plan with `outputs` planned: the sitemap
// always; a list's further page or a province page when its section's list is planned.
bool FamilyPlanned(std::string_view output, const std::unordered_set<std::string_view>& outputs) {
  if (output.rfind("sitemap-", 0) == 0) return true;
  size_t cut = std::min(output.find("/page/"), output.find("/province/"));
  return outputs.count(std::string(output.substr(0, cut)) + "/index.html") > 0;
}

// Compares `jobs` with the last build's manifest. A small change (at most options.in_place_limit
// of the outputs) updates the output folder in place, its outputs that no longer exist removed;
// anything bigger builds a whole new folder. A partial plan (`page_outputs` set: the jobs are only
// those of changed pages) is always in place, and only those of `page_outputs` no job writes are
// removed.
ChangePlan PlanChanges(const std::vector<Job>& jobs, const BuildManifest& previous,
                       const BuildOptions& options, OutputWriter& writer,
                       const std::vector<std::string>* page_outputs) {
  ChangePlan plan;
  plan.unchanged.assign(jobs.size(), 0);
  size_t changed_outputs = 0;
  std::unordered_set<std::string_view> outputs;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const Job& job = jobs[i];
    bool same = !job.key.empty();
    for (const auto& output : job.outputs) {
      same = same && previous.KeyOf(output) == job.key;
      outputs.insert(output);
    }
    plan.unchanged[i] = same;
    plan.total_outputs += job.outputs.size();
    if (!same) changed_outputs += job.outputs.size();
  }
  if (page_outputs) {
    writer.UpdateInPlace();
    for (const std::string& output : *page_outputs) {
      if (!outputs.count(output) && !previous.KeyOf(output).empty()) plan.removed.push_back(output);
    }
    // The sitemap and long lists have fewer files when the site has fewer pages.
    for (const auto& [output, key] : previous.keys()) {
      if (IsNumberedOutput(output) && !outputs.count(output) && FamilyPlanned(output, outputs)) {
        plan.removed.emplace_back(output);
      }
    }
    for (const std::string& output : plan.removed) writer.Remove(output);
    return plan;
  }
  std::error_code ec;
  if (previous.size() > 0 && std::filesystem::is_directory(options.out_dir, ec) &&
      changed_outputs <= options.in_place_limit * plan.total_outputs) {
    writer.UpdateInPlace();
    for (const auto& [output, key] : previous.keys()) {
      if (!outputs.count(output)) writer.Remove(std::string(output));
    }
  }
  return plan;
}

// Runs every job on `options.threads` threads: an unchanged job links its old files (or, in
// place, leaves them), the others render. Counts pages per language into `summary`.
Status Execute(const std::vector<Job>& jobs, const ChangePlan& plan, const BuildOptions& options,
               const SiteConfig& config, OutputWriter& writer, BuildSummary* summary) {
  std::map<std::string, std::atomic<size_t>> page_counts;
  for (const auto& language : config.languages) page_counts[language.code] = 0;
  std::atomic<size_t> skipped_outputs{0}, done{0};
  std::mutex error_mutex;
  Status error;  // the first job that failed
  ParallelFor(jobs.size(), options.threads, [&](size_t i) {
    const Job& job = jobs[i];
    bool reused = plan.unchanged[i];
    if (reused && writer.in_place()) {
      skipped_outputs += job.outputs.size();  // the live files are already these
    } else {
      // Link every output of the job, or render them all (a half-linked job is re-rendered).
      for (size_t o = 0; reused && o < job.outputs.size(); ++o) reused = writer.Reuse(job.outputs[o]);
    }
    Status s = reused ? Status::Ok() : job.run();
    if (!reused && options.changed_keys) {
      std::lock_guard<std::mutex> lock(error_mutex);
      summary->rendered.insert(summary->rendered.end(), job.outputs.begin(), job.outputs.end());
    }
    if (!s.ok()) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (error.ok()) error = s;
    }
    if (!job.page_lang.empty()) ++page_counts.at(job.page_lang);
    size_t finished = ++done;
    if (options.progress && (finished % 500 == 0 || finished == jobs.size())) {
      options.progress(finished, jobs.size());
    }
  });
  for (const auto& [lang, count] : page_counts) summary->pages_per_language[lang] = count;
  std::sort(summary->rendered.begin(), summary->rendered.end());
  summary->files_reused = skipped_outputs;
  return error;
}

// After a partial plan, commits and appends the changed keys to the saved manifest (into
// `summary` too, for a caller that keeps the manifest in memory), unless the appended keys have
// grown as large as the manifest itself.
bool AppendsToManifest(const BuildManifest& previous, bool partial) {
  return partial && previous.appended_bytes() < previous.base_bytes();
}

Status CommitAndAppendManifest(const std::vector<Job>& jobs, const ChangePlan& plan,
                               const BuildOptions& options, const BuildSchedule& schedule,
                               OutputWriter& writer, BuildSummary* summary) {
  if (Status s = writer.Commit(); !s.ok()) return s;
  std::vector<std::pair<std::string, std::string>>& changes = summary->manifest_changes;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (plan.unchanged[i] || jobs[i].key.empty()) continue;
    for (const auto& output : jobs[i].outputs) changes.emplace_back(output, jobs[i].key);
  }
  for (const std::string& output : plan.removed) changes.emplace_back(output, "");
  return BuildManifest::Append(options.out_dir, schedule, changes);
}

// Swaps the staged site in and saves the manifest of `jobs` (with, after a partial plan, the
// keys of `previous` for every output no job wrote or removed). The old manifest goes before the
// output folder changes: should the commit stop half way, the next build renders everything.
Status CommitAndSaveManifest(const std::vector<Job>& jobs, size_t total_outputs,
                             const BuildOptions& options, const BuildSchedule& schedule,
                             OutputWriter& writer,
                             const BuildManifest* previous,
                             const std::vector<std::string>* page_outputs) {
  std::string manifest_path = BuildManifest::PathFor(options.out_dir);
  if (Status s = writer.Commit([&manifest_path]() {
        std::error_code remove_error;
        std::filesystem::remove(manifest_path, remove_error);
        return remove_error ? Status::Error("cannot remove " + manifest_path) : Status::Ok();
      });
      !s.ok()) {
    return s;
  }
  std::vector<std::pair<std::string_view, std::string_view>> keys;
  keys.reserve(total_outputs);
  std::unordered_set<std::string_view> planned;
  for (const Job& job : jobs) {
    for (const auto& output : job.outputs) {
      planned.insert(output);
      if (!job.key.empty()) keys.emplace_back(output, job.key);
    }
  }
  if (page_outputs) {
    planned.insert(page_outputs->begin(), page_outputs->end());
    for (const auto& [output, key] : previous->keys()) {
      const bool retired = IsNumberedOutput(output) && FamilyPlanned(output, planned);
      if (!planned.count(output) && !retired) keys.emplace_back(output, key);
    }
  }
  return BuildManifest::Save(options.out_dir, options.input_fingerprint, schedule, keys);
}

}  // namespace

Result<std::string> Site::PageDocument(const std::string& source_path) const {
  const RenderedPage* shown = nullptr;
  for (const auto& rendered : pages_) {
    if (rendered.page.source_path == source_path) shown = &rendered;
  }
  if (!shown) return Status::Error(source_path + ": not a page of the site");
  BuildOptions options;
  const Planner planner(*this, options, nullptr);
  if (shown->page.IsIndex()) return planner.ListDocument(shown->page.lang, shown->page.section);
  const SectionConfig* section = config_.FindSection(shown->page.section);
  if (!section) return Status::Error(source_path + ": not in a section of the site");
  return planner.PageDocument(shown->page.lang, *section, *shown);
}

Result<BuildSummary> Site::Build(const BuildOptions& options, StepTimer timer) const {
  auto writer_result = OutputWriter::Create(options.out_dir, source_dir_);
  if (!writer_result.ok()) return writer_result.status();
  OutputWriter& writer = *writer_result.value();
  BuildManifest loaded;
  if (!options.previous_manifest) loaded = BuildManifest::Load(options.out_dir);
  const BuildManifest& previous = options.previous_manifest ? *options.previous_manifest : loaded;
  timer.Mark("plan.manifest");
  const Planner planner(*this, options, &writer);  // its jobs refer to it: it outlives them
  // Only the changed pages' outputs, when no list page changed and there is a site to update.
  std::optional<std::vector<std::string>> page_outputs;
  if (options.changed_keys && previous.size() > 0 &&
      std::none_of(options.changed_keys->begin(), options.changed_keys->end(),
                   [](const std::string& key) { return key.find('/') == std::string::npos; })) {
    page_outputs = planner.PageOutputs(*options.changed_keys, previous);
  }
  const std::vector<Job> jobs =
      page_outputs ? planner.PlanChangedJobs(*options.changed_keys) : planner.PlanJobs();
  timer.Mark("plan.jobs");
  const std::vector<std::string>* partial = page_outputs ? &*page_outputs : nullptr;
  const ChangePlan plan = PlanChanges(jobs, previous, options, writer, partial);
  timer.Mark("plan");
  BuildSummary summary;
  if (Status s = Execute(jobs, plan, options, config_, writer, &summary); !s.ok()) return s;
  timer.Mark("render");
  if (Status s = partial ? Status::Ok()  // site/ is unchanged: a change there reloads the site
                         : writer.CopyTree(JoinPath(JoinPath(source_dir_, "site"), "static"));
      !s.ok())
    return s;
  const Schedule scheduled = Scheduled();
  summary.scheduled_pages = scheduled.pages;
  summary.next_scheduled = scheduled.next;
  // The files hold the site as at now_: a build of the same inputs is due when the next
  // scheduled page goes live.
  BuildSchedule schedule{now_, std::nullopt};
  if (scheduled.next) schedule.next = scheduled.next->unix_seconds;
  if (Status s = AppendsToManifest(previous, partial)
                     ? CommitAndAppendManifest(jobs, plan, options, schedule, writer, &summary)
                     : CommitAndSaveManifest(jobs, plan.total_outputs, options, schedule, writer,
                                             &previous, partial);
      !s.ok())
    return s;
  timer.Mark("swap");
  summary.in_place = writer.in_place();
  summary.files_written = writer.files_written();
  summary.files_reused += writer.files_reused();
  summary.bytes_written = writer.bytes_written();
  summary.timer = timer;
  summary.seconds = timer.TotalMilliseconds() / 1000.0;
  return summary;
}

}  // namespace clemency
