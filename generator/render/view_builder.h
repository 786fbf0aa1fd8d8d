#pragma once
// The views templates see, in one language: what every page shows (layout, navigation, language
// switcher), a page's own view, list items, province groups, a round, a page's public history.
// Private to render: the build's jobs (planner.h) compose these into whole pages.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "core/status.h"
#include "i18n/messages.h"
#include "render/site.h"
#include "templates/template_set.h"
#include "templates/view.h"

namespace clemency {

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
        templates_(std::move(templates)) {}

  // The site's templates with this language's interface strings filled in.
  const TemplateSet& templates() const { return *templates_; }
  // The language this builder makes views in.
  const LanguageConfig& language() const { return language_; }
  // Returns the interface string `key` in this language, formatted with `args`.
  std::string T(const std::string& key, const MessageArgs& args = {}) const;
  // Returns the full URL of the site path `path`.
  std::string Absolute(const std::string& path) const { return config_.base_url + path; }

  // What every page of this language shows: layout, navigation, switcher, strings.
  View Base(const std::string& path, const std::string& title, const std::string& section) const;
  // Language switcher, hreflang alternates (only real translations) and x-default.
  void AddLanguages(View* view, const std::string& key, const std::string& path_suffix) const;
  // The self-check exists in every language: the switcher leads to the same step in each.
  void AddSelfCheckLanguages(View* view, const std::string& path) const;
  // Page `page` of `pages` of a section's list: links to the others, and (after the first) its
  // own address, title and no repeat of the section's introduction.
  void AddListPages(View* view, const std::string& section, size_t page, size_t pages) const;

  // Returns the list items (title, link, summary, date, place) of `entries`, in their order.
  View ListItems(const std::vector<const RenderedPage*>& entries) const;
  // The entries of `listed` (sorted by place) in runs of one province as it is today.
  std::vector<ProvinceRun> ProvinceRuns(const std::vector<const RenderedPage*>& listed) const;
  // A support list page's province picker (every province of the section) and its own entries
  // by province ([{name, slug, href, items}]).
  void AddProvinces(View* view, const std::string& section, const std::vector<ProvinceRun>& all,
                    const std::vector<const RenderedPage*>& items) const;

  // The whole view of the page `shown` in its section `section`: base, translation notices,
  // body, dates, sources, and what its kind shows (round, leaflet, consent, story, support).
  Status PageView(const RenderedPage& shown, const std::string& section, View* out) const;
  // A round's decision, status, key dates and conditions as templates show them.
  View RoundView(const RoundInfo& round) const;
  // A page's public history (see HistoryEntries), in this language's interface; a page shown in
  // the default language is shown so here too, not indexed, like the page itself.
  View HistoryView(const RenderedPage& shown, const Site::History* history) const;

  // Whether the page `key`, as shown in `lang`, has a history page there.
  bool HasHistoryIn(const std::string& key, const std::string& lang) const;

 private:
  // Returns `date` as this language writes dates.
  std::string FormatDate(const DateTime& date) const { return T("date", {{"date", date}}); }
  // "Hưng Xá, Hưng Nguyên, Nghệ An", or with a merged province "…, Long An (now part of Tây
  // Ninh)": the names the source used, then where the place belongs today.
  std::string PlaceText(const SupportInfo& s) const;
  // The switcher, hreflang alternates (languages for which `exists`) and x-default of the page
  // at `path_suffix` after "/<lang>/", or at `path_of(lang)` when given.
  void AddLanguageLinks(
      View* view, const std::string& path_suffix,
      const std::function<bool(const std::string&)>& exists,
      const std::function<std::string(const std::string&)>& path_of = nullptr) const;
  // The language links of the history page of `shown`: each language's history page where one
  // is written, else that language's page.
  void AddHistoryLanguages(View* view, const RenderedPage& shown) const;
  // Whether the page `key` is published in `lang` itself (not shown there as a fallback).
  bool Exists(const std::string& key, const std::string& lang) const;
  // Notices for a page shown in `language_`: fallback, outdated or machine-assisted translation.
  void AddTranslationNotices(View* view, const RenderedPage& shown) const;
  // Returns what a list shows of `shown`.
  View ListItem(const RenderedPage& shown) const;
  // What a support entry shows in a list: where, a tap-to-call link, whether it was confirmed,
  // or whom to ask when it has no contact.
  void AddSupportItem(const SupportInfo& s, View* item) const;
  // The path name of the province a support entry is in today, the same in every language: made
  // from the default language's entry (a Khmer province name gives no Latin slug).
  std::string ProvinceSlug(const RenderedPage& entry) const;
  // PageView's parts. Its publication, update and review dates (a list page has only a review).
  void AddPageDates(const RenderedPage& shown, View* view) const;
  // The laws and documents the page cites (nothing when it cites none).
  void AddSources(const Page& page, View* view) const;
  // Where a story was first published (nothing for a page that is not a retold story).
  void AddStorySource(const Page& page, View* view) const;
  // A support entry's whole record: organisation, services, contact, place, confirmation.
  void AddSupport(const SupportInfo& s, View* view) const;
  // Only what the record supports: a personal consent with its scope and date, or that the
  // story was retold from a published report and its people were not contacted.
  std::string ConsentText(const Consent& consent) const;
  // What a printed copy carries: a QR code to the page's address in this language (so the paper
  // leads back to the current version) and the date of the version printed.
  Status AddLeaflet(const Page& page, const std::string& path, View* view) const;
  // The announced changes, newest first: date, kind of change, note, and for a major change its
  // word diff (only the paragraphs that changed). The oldest, when it is the page's publication,
  // says so.
  View HistoryEntries(const Page& page, const std::vector<PageRevision>& revisions) const;

  const Site& site_;
  const SiteConfig& config_;
  const LanguageConfig& language_;
  std::shared_ptr<const TemplateSet> templates_;
};

}  // namespace clemency
