// The jobs of a site's pages: each page, its old URLs' redirects, the 404 pages and withdrawn
// pages' notices; and Site::PageDocument, a page's HTML for previews.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/page_kinds.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "render/output.h"
#include "render/planner.h"

namespace clemency {
namespace {

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

}  // namespace

// The key of an alias's redirect starts with this, so a partial build can find, in the previous
// manifest, the old URLs a changed page had (and may no longer have).
std::string AliasKeyPrefix(const std::string& page_key) { return "alias:" + page_key + ":"; }

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
  // The link to the history page comes and goes with it.
  if (site_.HasHistoryPage(shown.key, shown.page.lang)) parts += "|history";
  return HashHex(parts);
}

Job Site::Planner::PageJob(const ViewBuilder& builder, const SectionConfig& section,
                           const RenderedPage& shown) const {
  const std::string lang = builder.language().code;
  return {{paths::OutputFile(shown.page.PathIn(lang))},
          PageKey(shown, lang),
          lang,
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
  crumbs.Push(
      View()
          .Set("title", View(index ? index->page.title : builder.T("section_" + section.name)))
          .Set("href", View(paths::Section(lang, section.name))));
  view.Set("trail", crumbs);
  const std::string template_name(FindPageKind(shown.page.kind)->template_name);
  return builder.templates().RenderPage(
      site_.templates_->Has(template_name) ? template_name : "page", view);
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
    jobs.push_back({{file, marker},
                    AliasKeyPrefix(shown.key) + HashHex(*html),
                    "",
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

std::optional<Job> Site::Planner::SearchJob(const ViewBuilder& builder) const {
  if (!builder.templates().Has("search") || site_.config_.sections.empty()) return std::nullopt;
  const std::string lang = builder.language().code;
  const std::string path = paths::Search(lang);
  const SectionConfig& first = site_.config_.sections.front();
  std::vector<const RenderedPage*> questions =
      SectionPages(site_, first, keys_by_section_.at(first.name), builder.language());
  if (questions.size() > 3) questions.resize(3);
  std::string key = nav_keys_.at(lang) + "|search";
  for (const RenderedPage* page : questions) key += "|" + page->key + "|" + page->page.title;
  const std::string file = paths::OutputFile(path);
  return Job{{file}, HashHex(key), "", [this, &builder, lang, path, file, questions]() {
               View view = builder.Base(path, builder.T("search_title"), "");
               builder.AddLanguages(&view, "", std::string(paths::kSearchFolder) + "/");
               view.Set("noindex", View(true));
               View list = View::List();
               for (const RenderedPage* page : questions) {
                 list.Push(View()
                               .Set("title", View(page->page.title))
                               .Set("href", View(paths::Page(lang, page->page.section,
                                                             page->page.slug))));
               }
               view.Set("main_questions", list);
               return writer_->Write(file, builder.templates().RenderPage("search", view));
             }};
}

std::vector<const Tombstone*> Site::Planner::TombstonesShownIn(const std::string& lang) const {
  std::set<std::string> own;
  for (const Tombstone& t : site_.tombstones_) {
    if (t.lang == lang) own.insert(t.section + "/" + t.slug);
  }
  std::vector<const Tombstone*> out;
  for (const Tombstone& t : site_.tombstones_) {
    const std::string key = t.section + "/" + t.slug;
    const bool fallback =
        t.lang == site_.config_.default_language && !own.count(key) && !site_.Find(key, lang);
    if (t.lang == lang || fallback) out.push_back(&t);
  }
  return out;
}

Job Site::Planner::TombstoneJob(const ViewBuilder& builder, const Tombstone& tombstone) const {
  const std::string lang = builder.language().code;
  const std::string path = paths::Page(lang, tombstone.section, tombstone.slug);
  const std::string file =
      tombstone.gone ? paths::OutputFile(path + paths::kGoneMarker) : paths::OutputFile(path);
  std::string key = nav_keys_.at(lang) + "|tombstone|" + tombstone.title + "|" + tombstone.reason +
                    "|" + tombstone.reason_lang + "|" + tombstone.at.ToRfc3339() +
                    (tombstone.gone ? "|gone" : "");
  return {{file}, HashHex(key), "", [this, &builder, &tombstone, path, file]() {
            if (tombstone.gone) return writer_->Write(file, "");
            View view = builder.Base(path, builder.T("withdrawn_heading"), tombstone.section);
            builder.AddLanguages(&view, "", "");
            view.Set("alternates", View::List());
            view.Set("noindex", View(true));
            view.Set(
                "withdrawn_notice",
                View(builder.T("withdrawn_notice", {{"title", tombstone.title},
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

}  // namespace clemency
