// The jobs of list pages: the home page (with the current round), each section's list in
// pages, a support section's province pages; and the order lists show pages in.
#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/page_kinds.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "render/planner.h"

namespace clemency {
namespace {

// One of a few locks, by page: filling a page's fallback sort keys is rare and short.
std::mutex& FallbackKeysLock(const RenderedPage* page) {
  static std::mutex locks[64];
  return locks[std::hash<const RenderedPage*>()(page) % 64];
}

}  // namespace

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
      // A page is shared by the sites made from one another, so a preview's list and a build's
      // may ask for the same keys at once.
      std::lock_guard<std::mutex> lock(FallbackKeysLock(p));
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

std::vector<std::string> Site::ListPageKeys() const {
  std::vector<std::string> keys = {""};  // the home page, then each section's landing page
  for (const auto& section : config_.sections) keys.push_back(section.name);
  return keys;
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

Job Site::Planner::HomeJob(const ViewBuilder& builder) const {
  const std::string lang = builder.language().code;
  const RenderedPage* round = site_.CurrentRoundShown(lang);
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
    jobs.push_back(
        {{paths::OutputFile(path)},
         HashHex(key),
         lang,
         [this, &builder, &section, run = std::move(run), path, lang]() {
           const std::string title = builder.T("support_in_province", {{"province", run.name}});
           View view = builder.Base(path, title, section.name);
           builder.AddLanguages(&view, section.name, path.substr(paths::Home(lang).size()));
           view.Set("alternates", View::List());
           view.Set("items", builder.ListItems(run.entries));
           const std::string count =
               builder.T("item_count", {{"count", static_cast<long>(run.entries.size())}});
           view.Set("item_count", View(count));
           view.Set("description", View(title + " – " + count));
           view.Set("all_provinces_href", View(paths::Section(lang, section.name)));
           return WritePage(builder, path, "section", view);
         }});
  }
  return jobs;
}

Job Site::Planner::SectionJob(const ViewBuilder& builder, const SectionConfig& section,
                              std::vector<const RenderedPage*> items, size_t page, size_t pages,
                              const std::vector<const RenderedPage*>& listed) const {
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
  return {{paths::OutputFile(path)},
          HashHex(list_key),
          lang,
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

}  // namespace clemency
