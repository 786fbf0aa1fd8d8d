// The job of a page's public history (the view: ViewBuilder::HistoryView).
#include <string>

#include "core/site_paths.h"
#include "core/text.h"
#include "render/planner.h"

namespace clemency {

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
  for (const auto& language : site_.config_.languages) {  // which links lead to a history page
    key += builder.HasHistoryIn(shown.key, language.code) ? "|h" : "|-";
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

}  // namespace clemency
