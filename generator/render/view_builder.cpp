// ViewBuilder: the views templates see, in one language (see view_builder.h).
#include "render/view_builder.h"

#include "config/page_kinds.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "i18n/text.h"
#include "qr/qr.h"

namespace clemency {
namespace {

View TextList(const std::vector<std::string>& items) {
  View list = View::List();
  for (const auto& item : items) list.Push(View().Set("name", View(item)));
  return list;
}

}  // namespace

std::string ViewBuilder::T(const std::string& key, const MessageArgs& args) const {
  return site_.catalogs().Format(language_.code, key, args);
}

std::string ViewBuilder::PlaceText(const SupportInfo& s) const {
  std::string province =
      s.current_province.empty()
          ? s.province
          : T("place_now_part_of", {{"province", s.province}, {"current", s.current_province}});
  std::string out;
  for (const std::string* part :
       {&s.commune, &s.DistrictShown(), static_cast<const std::string*>(&province)}) {
    if (!part->empty()) out += (out.empty() ? "" : ", ") + *part;
  }
  return out;
}

View ViewBuilder::Base(const std::string& path, const std::string& title,
                       const std::string& section) const {
  View view;
  view.Set("lang", View(language_.code));
  view.Set("site_title", View(language_.title));
  view.Set("title", View(title));
  view.Set("page_title", View(title == language_.title ? title : title + " – " + language_.title));

  view.Set("home_href", View(paths::Home(language_.code)));
  view.Set("search_href", View(paths::Search(language_.code)));
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
  if (!config_.licence.empty()) {  // the footer's reuse terms
    view.Set("licence", View()
                            .Set("name", View(config_.licence.name))
                            .Set("url", View(config_.licence.url))
                            .Set("attribution", View(config_.Attribution(language_.code))));
  }
  return view;
}

void ViewBuilder::AddLanguages(View* view, const std::string& key,
                               const std::string& path_suffix) const {
  AddLanguageLinks(view, path_suffix, [&](const std::string& code) { return Exists(key, code); });
}

void ViewBuilder::AddLanguageLinks(
    View* view, const std::string& path_suffix,
    const std::function<bool(const std::string&)>& exists,
    const std::function<std::string(const std::string&)>& path_of) const {
  auto href_in = [&](const std::string& code) {
    return path_of ? path_of(code) : paths::Home(code) + path_suffix;
  };
  View switcher = View::List();
  View alternates = View::List();
  for (const auto& other : config_.languages) {
    const bool translated = exists(other.code);
    std::string href = href_in(other.code);
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
  view->Set("x_default", View(Absolute(href_in(config_.default_language))));
}

bool ViewBuilder::HasHistoryIn(const std::string& key, const std::string& lang) const {
  const RenderedPage* shown = site_.Find(key, lang);
  return shown && site_.HasHistoryPage(key, shown->page.lang);
}

void ViewBuilder::AddHistoryLanguages(View* view, const RenderedPage& shown) const {
  const Page& page = shown.page;
  AddLanguageLinks(
      view, "",
      [&](const std::string& code) {
        return Exists(shown.key, code) && HasHistoryIn(shown.key, code);
      },
      [&](const std::string& code) {
        return HasHistoryIn(shown.key, code) ? paths::PageHistory(code, page.section, page.slug)
                                             : paths::Page(code, page.section, page.slug);
      });
}

void ViewBuilder::AddListPages(View* view, const std::string& section, size_t page,
                               size_t pages) const {
  const std::string page_of =
      T("list_page_of", {{"page", static_cast<long>(page)}, {"pages", static_cast<long>(pages)}});
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
    pagination.Set("previous_href",
                   View(paths::SectionListPage(language_.code, section, page - 1)));
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

void ViewBuilder::AddSelfCheckLanguages(View* view, const std::string& path) const {
  AddLanguageLinks(view, path.substr(paths::Home(language_.code).size()),
                   [](const std::string&) { return true; });
}

bool ViewBuilder::Exists(const std::string& key, const std::string& lang) const {
  const RenderedPage* shown = site_.Find(key, lang);
  return shown && shown->page.lang == lang;
}

void ViewBuilder::AddTranslationNotices(View* view, const RenderedPage& shown) const {
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

View ViewBuilder::ListItem(const RenderedPage& shown) const {
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

void ViewBuilder::AddSupportItem(const SupportInfo& s, View* item) const {
  item->Set("place", View(PlaceText(s)));
  if (!s.contact.phone.empty()) {
    item->Set("phone", View(s.contact.phone));
    item->Set("tel_href", View("tel:" + s.PhoneE164()));
  }
  item->Set("no_contact", View(s.contact.empty()));
  item->Set("verified",
            View(s.verified ? T("verified_on", {{"date", *s.verified}, {"by", s.verified_by}})
                            : T("not_verified")));
}

std::string ViewBuilder::ProvinceSlug(const RenderedPage& entry) const {
  const RenderedPage* source = site_.Find(entry.key, config_.default_language);
  const RenderedPage& named = source && source->page.support ? *source : entry;
  std::string slug = Slugify(named.page.support->ProvinceNow());
  return slug.empty() ? HashHex(named.page.support->ProvinceNow()).substr(0, 8) : slug;
}

std::vector<ProvinceRun> ViewBuilder::ProvinceRuns(
    const std::vector<const RenderedPage*>& listed) const {
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

View ViewBuilder::ListItems(const std::vector<const RenderedPage*>& entries) const {
  View items = View::List();
  for (const RenderedPage* p : entries) items.Push(ListItem(*p));
  return items;
}

void ViewBuilder::AddProvinces(View* view, const std::string& section,
                               const std::vector<ProvinceRun>& all,
                               const std::vector<const RenderedPage*>& items) const {
  View picker = View::List();
  for (const ProvinceRun& run : all) {
    picker.Push(View()
                    .Set("name", View(run.name))
                    .Set("href", View(paths::SectionProvince(language_.code, section, run.slug))));
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

Status ViewBuilder::PageView(const RenderedPage& shown, const std::string& section,
                             View* out) const {
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
  AddPageDates(shown, &view);
  AddSources(page, &view);
  if (!page.tags.empty()) view.Set("tags", TextList(page.tags));
  if (page.round) view.Set("round", RoundView(*page.round));
  if (FindPageKind(page.kind)->leaflet && !page.IsIndex()) {
    if (Status s = AddLeaflet(page, path, &view); !s.ok()) return s;
  }
  if (page.consent) view.Set("consent", View(ConsentText(*page.consent)));
  AddStorySource(page, &view);
  if (page.support) AddSupport(*page.support, &view);
  *out = std::move(view);
  return Status::Ok();
}

void ViewBuilder::AddPageDates(const RenderedPage& shown, View* view) const {
  const Page& page = shown.page;
  if (!page.IsIndex()) {
    if (site_.HasHistoryPage(shown.key, page.lang)) {
      view->Set("history_href",
                View(paths::PageHistory(language_.code, page.section, page.slug)));
    }
    view->Set("published", View(FormatDate(page.date)));
    view->Set("published_iso", View(page.date.ToRfc3339()));
    if (page.updated > page.date) {
      view->Set("updated", View(FormatDate(page.updated)));
      view->Set("updated_iso", View(page.updated.ToRfc3339()));
    }
  }
  if (!page.change_note.empty()) view->Set("change_note", View(page.change_note));
  if (page.reviewed) {
    view->Set("reviewed", View(T("reviewed_on", {{"date", *page.reviewed}})));
    view->Set("reviewed_iso", View(page.reviewed->ToRfc3339()));
  }
}

void ViewBuilder::AddSources(const Page& page, View* view) const {
  if (page.sources.empty()) return;
  View sources = View::List();
  for (const auto& s : page.sources) {
    View item;
    item.Set("title", View(s.title));
    if (!s.number.empty()) item.Set("number", View(s.number));
    if (!s.article.empty()) item.Set("article", View(s.article));
    if (!s.url.empty()) item.Set("url", View(s.url));
    sources.Push(item);
  }
  view->Set("sources", sources);
}

void ViewBuilder::AddStorySource(const Page& page, View* view) const {
  if (!page.story_source) return;
  View source;
  source.Set("title", View(page.story_source->title));
  source.Set("publisher", View(page.story_source->publisher));
  if (page.story_source->date) source.Set("date", View(FormatDate(*page.story_source->date)));
  if (!page.story_source->url.empty()) source.Set("url", View(page.story_source->url));
  view->Set("story_source", source);
}

void ViewBuilder::AddSupport(const SupportInfo& s, View* view) const {
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
  view->Set("support", support);
}

std::string ViewBuilder::ConsentText(const Consent& consent) const {
  if (!consent.personal()) return T("consent_published_report");
  MessageArgs args;
  if (consent.date) args = {{"date", *consent.date}};
  return T(consent.scope == "full-name" ? "consent_full_name" : "consent_initials_only", args);
}

View ViewBuilder::HistoryView(const RenderedPage& shown, const Site::History* history) const {
  const Page& page = shown.page;
  const std::string path = paths::PageHistory(language_.code, page.section, page.slug);
  View view = Base(path, T("history_heading"), page.section);
  view.Set("page_title",
           View(T("history_title", {{"title", page.title}}) + " – " + language_.title));
  view.Set("description", View(T("history_title", {{"title", page.title}})));
  AddHistoryLanguages(&view, shown);
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

View ViewBuilder::HistoryEntries(const Page& page,
                                 const std::vector<PageRevision>& revisions) const {
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
                           : "history_type_" +
                                 (r.change_type.empty() ? std::string("update") : r.change_type))));
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

View ViewBuilder::RoundView(const RoundInfo& round) const {
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

Status ViewBuilder::AddLeaflet(const Page& page, const std::string& path, View* view) const {
  auto svg = QrSvg(Absolute(path), T("qr_label"));
  if (!svg.ok()) return Status::Error(page.source_path + ": " + svg.status().message());
  View leaflet;
  leaflet.Set("qr_svg", View(std::move(svg).value()));
  leaflet.Set("version", View(T("version_of", {{"date", page.updated}})));
  leaflet.Set("url", View(Absolute(path)));
  view->Set("leaflet", leaflet);
  return Status::Ok();
}

}  // namespace clemency
