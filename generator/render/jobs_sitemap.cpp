// The site-wide files: the sitemap (one file or parts and an index), the root page and
// robots.txt.
#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/page_kinds.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "feeds/feeds.h"
#include "render/output.h"
#include "render/planner.h"

namespace clemency {

std::vector<Site::SitemapUrl> Site::SitemapUrls() const {
  // A home or section page changes whenever a page it lists does: its last change is the newest
  // of its own and theirs. (lang, section) -> newest change; section "" is the whole language.
  std::map<std::pair<std::string_view, std::string_view>, DateTime> newest;
  for (const auto& [key, translations] : groups()) {
    for (const auto& [lang, index] : translations) {
      const Page& p = pages_[index].page;
      for (std::string_view section : {std::string_view(p.section), std::string_view()}) {
        DateTime& at = newest[{lang, section}];
        at = std::max(at, p.updated);
      }
    }
  }
  std::vector<SitemapUrl> out;
  out.reserve(groups().size() * config_.languages.size());
  for (const auto& [key, translations] : groups()) {
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
            "x-default",
            config_.base_url + paths::Section(config_.default_language, std::string(url.key)));
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

Job Site::Planner::RootFilesJob() const {
  return {{"index.html", "robots.txt"}, HashHex(site_.site_key_ + "|root"), "", [this]() {
            return site_.WriteRootFiles(*writer_);
          }};
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

Job Site::Planner::SitemapPartJob(std::shared_ptr<const std::vector<SitemapUrl>> urls, size_t first,
                                  size_t count, std::string output) const {
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

}  // namespace clemency
