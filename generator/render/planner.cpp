// Site::Planner: which jobs a build runs, whole or after a change of some pages.
#include "render/planner.h"

#include <set>
#include <string>
#include <vector>

#include "core/parallel.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "render/manifest.h"
#include "render/output.h"

namespace clemency {

Site::Planner::Planner(const Site& site, const BuildOptions& options, OutputWriter* writer)
    : site_(site),
      options_(options),
      writer_(writer),
      keys_by_section_(KeysBySection(site)),
      index_keys_(site.ListPageKeys()) {
  for (const auto& language : site.config_.languages) {
    builders_.push_back(
        std::make_unique<ViewBuilder>(site, language, site.TemplatesIn(language.code)));
    std::string parts = site.site_key_;
    for (const std::string& key : index_keys_) {
      const RenderedPage* index = site.Find(key, language.code);
      parts += "|" + (index ? index->source_hash + index->page.lang : std::string("-"));
    }
    nav_keys_[language.code] = HashHex(parts);
  }
  CollectFeedPages();
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
      std::vector<const RenderedPage*> listed =
          SectionPages(site_, *section, keys_by_section_.at(section->name), builder->language());
      for (const RenderedPage* shown : listed) {
        if (!keys.count(shown->key)) continue;
        jobs.push_back(PageJob(*builder, *section, *shown));
        if (site_.HasHistoryPage(shown->key, shown->page.lang))
          jobs.push_back(HistoryJob(*builder, *section, *shown));
        for (Job& job : AliasJobs(*builder, *shown)) jobs.push_back(std::move(job));
      }
      for (Job& job : SectionJobs(*builder, *section, listed)) jobs.push_back(std::move(job));
    }
    // Every section's feed: an empty one is dated by the site's newest page, wherever that is
    // (the others keep their keys and are left as they are).
    for (const auto& section : site_.config_.sections)
      jobs.push_back(FeedJob(*builder, section.name));
    jobs.push_back(FeedJob(*builder, ""));
    jobs.push_back(HomeJob(*builder));  // it shows the current round, which may be this page
    // Its advice links the first section's first pages (by their titles), which may be this page.
    if (std::optional<Job> search = SearchJob(*builder)) jobs.push_back(std::move(*search));
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
      const std::string path =
          paths::Page(language.code, key.substr(0, slash), key.substr(slash + 1));
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
      if (site_.HasHistoryPage(shown->key, shown->page.lang))
        jobs.push_back(HistoryJob(builder, section, *shown));
      for (Job& job : AliasJobs(builder, *shown)) jobs.push_back(std::move(job));
    }
  } else if (part == sections.size() + 2) {
    jobs = SelfCheckJobs(builder);
  } else {
    jobs.push_back(NotFoundJob(builder));
    if (std::optional<Job> search = SearchJob(builder)) jobs.push_back(std::move(*search));
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

}  // namespace clemency
