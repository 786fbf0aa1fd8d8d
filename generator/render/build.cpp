// Site::Build(): every output file of the site, rendered on all cores into the staging folder:
// plan the jobs, compare them with the last build's manifest, run the changed ones, commit.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/parallel.h"
#include "core/text.h"
#include "render/manifest.h"
#include "render/output.h"
#include "render/planner.h"

namespace clemency {
namespace {

// Which jobs' outputs are as the last build left them, and how the commit will go.
struct ChangePlan {
  std::vector<char> unchanged;  // per job: every output has the same key as last time
  size_t total_outputs = 0;
  std::vector<std::string> removed;  // outputs of the last build that are no more
};

// The files of BuildOptions::extra_files (the static search index, the library images pages
// show) live under these folders.
constexpr std::string_view kExtraFolders[] = {"search-index/", "media/"};
bool IsExtraOutput(std::string_view output) {
  return std::any_of(std::begin(kExtraFolders), std::end(kExtraFolders),
                     [output](std::string_view folder) { return output.rfind(folder, 0) == 0; });
}

// A sitemap part, a further page of a section's list or a province's support page: outputs
// whose number depends on the site's content, so a partial plan plans all of them and removes
// those of the last build it no longer has.
bool IsNumberedOutput(std::string_view output) {
  return output.rfind("sitemap-", 0) == 0 || output.find("/page/") != std::string_view::npos ||
         output.find("/province/") != std::string_view::npos || IsExtraOutput(output);
}

// Whether `output` is one of the held extra files (BuildOptions::held_extra_files): a partial
// plan leaves out those whose key is the manifest's, and they stay as they are.
bool HeldExtra(const BuildOptions& options, std::string_view output) {
  return options.held_extra_files && options.held_extra_files->count(std::string(output)) > 0;
}

// Whether the numbered `output` belongs to a family a plan with `outputs` planned: the sitemap
// always; a list's further page or a province page when its section's list is planned.
bool FamilyPlanned(std::string_view output, const std::unordered_set<std::string_view>& outputs,
                   bool extra_planned) {
  if (output.rfind("sitemap-", 0) == 0) return true;
  if (IsExtraOutput(output)) return extra_planned;
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
      if (IsNumberedOutput(output) && !outputs.count(output) &&
          FamilyPlanned(output, outputs, options.extra_files.has_value()) &&
          !HeldExtra(options, output)) {
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
      const bool kept = IsExtraOutput(output) && !options.extra_files;
      if (!outputs.count(output) && !kept) writer.Remove(std::string(output));
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
  {
    // Outputs that go into the staging folder: in place, only those of jobs that changed.
    std::vector<std::string_view> staged;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (writer.in_place() && plan.unchanged[i]) continue;
      staged.insert(staged.end(), jobs[i].outputs.begin(), jobs[i].outputs.end());
    }
    writer.PrepareFolders(staged, options.threads);
  }
  std::mutex error_mutex;
  Status error;  // the first job that failed
  ParallelFor(jobs.size(), options.threads, [&](size_t i) {
    const Job& job = jobs[i];
    bool reused = plan.unchanged[i];
    if (reused && writer.in_place()) {
      skipped_outputs += job.outputs.size();  // the live files are already these
    } else {
      // Link every output of the job, or render them all (a half-linked job is re-rendered).
      for (size_t o = 0; reused && o < job.outputs.size(); ++o)
        reused = writer.Reuse(job.outputs[o]);
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
                             OutputWriter& writer, const BuildManifest* previous,
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
      const bool retired = IsNumberedOutput(output) &&
                           FamilyPlanned(output, planned, options.extra_files.has_value()) &&
                           !HeldExtra(options, output);
      if (!planned.count(output) && !retired) keys.emplace_back(output, key);
    }
  }
  return BuildManifest::Save(options.out_dir, options.input_fingerprint, schedule, keys);
}

// One job per extra file, keyed by its bytes' hash (an unchanged file is left alone). After a
// partial plan (`partial`), a held file with its hash kept whose key is `previous`'s gets none:
// the ~12k files of the static search index are not planned at every publish.
void AddExtraJobs(const BuildOptions& options, OutputWriter& writer, const BuildManifest& previous,
                  bool partial, std::vector<Job>* jobs) {
  if (!options.extra_files) return;
  for (const auto* files : {&*options.extra_files, options.held_extra_files}) {
    if (!files) continue;
    const bool held = files == options.held_extra_files && options.held_extra_hashes;
    for (const auto& file : *files) {
      const std::string& path = file.first;  // clang 14 cannot capture structured bindings
      const std::string& bytes = file.second;
      std::string key = "extra:" + (held ? options.held_extra_hashes->at(path) : HashHex(bytes));
      if (held && partial && previous.KeyOf(path) == key) continue;
      jobs->push_back({{path}, std::move(key), "", [&writer, &path, &bytes] {
                         return writer.Write(path, bytes);
                       }});
    }
  }
}

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

Result<BuildSummary> Site::Build(const BuildOptions& options, StepTimer timer) const {
  auto writer_result = OutputWriter::Create(options.out_dir, source_dir_);
  if (!writer_result.ok()) return writer_result.status();
  OutputWriter& writer = *writer_result.value();
  writer.Precompress(options.precompress);
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
  std::vector<Job> jobs =
      page_outputs ? planner.PlanChangedJobs(*options.changed_keys) : planner.PlanJobs();
  AddExtraJobs(options, writer, previous, page_outputs.has_value(), &jobs);
  if (options.precompress) {
    for (Job& job : jobs) {
      if (!job.key.empty()) job.key += ".gz";
    }
  }
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
