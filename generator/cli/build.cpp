// build and check: from content/ (with the page cache) or from the store.
#include <mimalloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cli/commands.h"
#include "core/parallel.h"
#include "core/site_paths.h"
#include "publish/history.h"
#include "publish/search_index.h"
#include "publish/media_files.h"
#include "publish/static_search.h"
#include "publish/store_site.h"
#include "render/manifest.h"
#include "render/output_folder.h"
#include "render/page_cache.h"
#include "render/site.h"

namespace clemency::cli {
namespace {

// Loads and validates; prints every problem. Returns nullptr on failure.
// The site under `source`, with an export's pages' histories and withdrawn pages (history/ beside
// content/, as the store gave them) when it has them.
std::unique_ptr<Site> LoadSite(std::shared_ptr<const FileSystem> fs, const std::string& source,
                               StepTimer* timer, PageCache* cache = nullptr) {
  Diagnostics diagnostics;
  DiskFileSystem disk;
  HistoryFolder records(disk, source);
  // An export's media library (media/ beside content/): the images its pages may show.
  auto site = Site::Load(std::move(fs), source, &diagnostics,
                         LoadOptions{timer, cache, &records, {}, FolderMedia(source)});
  std::fputs(diagnostics.WarningsToString().c_str(), stderr);
  if (!site) {
    std::fputs(diagnostics.ToString().c_str(), stderr);
    std::fprintf(stderr, "clemency: %zu problem%s found; nothing was written\n", diagnostics.size(),
                 diagnostics.size() == 1 ? "" : "s");
  }
  return site;
}

// "; the next scheduled page goes live at …" when the last build held one back, else "".
std::string ScheduleNote(const BuildSchedule& schedule) {
  if (!schedule.next) return "";
  return "; the next scheduled page goes live at " + DateTime{*schedule.next, 0, true}.ToRfc3339();
}

// Writes the search index of `site` beside `out` (paths::SearchIndexFile) and returns the static
// index made from it, to go out with the site. nullopt, with the error printed, when it could
// not be made.
std::optional<std::map<std::string, std::string>> SearchOutputs(const Site& site,
                                                                 const std::string& source,
                                                                 const std::string& out,
                                                                 StepTimer* timer) {
  // Nothing is written beside a folder the build may not write to.
  if (Status s = CheckOutputFolder(out, source); !s.ok()) {
    std::fprintf(stderr, "clemency: build failed: %s (the previous site is unchanged)\n",
                 s.message().c_str());
    return std::nullopt;
  }
  Status s = WriteSearchFile(site, paths::SearchIndexFile(out));
  if (!s.ok()) s = Status::Error("cannot write " + paths::SearchIndexFile(out) + ": " + s.message());
  timer->Mark("search");
  if (s.ok()) {
    // The static index under public/, from the rows just written (the same words).
    auto store = Store::Open(paths::SearchIndexFile(out));
    auto files = store.ok() ? StaticSearchOutputs(store->get(), site.config(), Now(0).unix_seconds)
                            : Result<std::map<std::string, std::string>>(store.status());
    timer->Mark("search.static");
    if (files.ok()) return std::move(files).value();
    s = files.status();
  }
  std::fprintf(stderr, "clemency: build failed: search index: %s\n", s.message().c_str());
  return std::nullopt;
}

// Walks site/ and content/; then, unless nothing changed since the last build into `out`, loads,
// checks and (for `build`) builds the site, reusing the page cache when `use_cache`.
int LoadAndBuild(const std::string& command, const std::string& source, const std::string& out,
                 const std::map<std::string, std::string>& values, StepTimer timer,
                 bool use_cache) {
  auto files = std::make_shared<SnapshotFileSystem>(
      std::vector<std::string>{JoinPath(source, "site"), JoinPath(source, "content")});
  std::string fingerprint;
  BuildManifest previous;
  PageCache cache;
  if (command == "build") {
    timer.Mark("walk");
    // Nothing changed since the last successful build into `out`, and no page it held back
    // has gone live since: nothing to do.
    // Precompressing is an input too: turning it on or off is not "up to date".
    fingerprint = BuildManifest::InputFingerprint(*files) +
                  (values.count("--precompress") ? "+gz" : "");
    previous = BuildManifest::Load(out);
    if (previous.UpToDate(fingerprint, Now(0).unix_seconds) && std::filesystem::is_directory(out)) {
      std::printf(
          "Up to date: no file under site/ or content/ changed since the last build (%.2f s)%s\n",
          timer.TotalMilliseconds() / 1000.0, ScheduleNote(previous.schedule()).c_str());
      return 0;
    }
    timer.Mark("fingerprint");
    // The pages the last build into `out` loaded and checked, reused when their files are
    // unchanged (`check` always reads everything).
    if (use_cache) cache = PageCache::Load(out);
    timer.Mark("cache");
  }
  auto site = LoadSite(files, source, &timer, &cache);
  if (!site) return 1;
  if (command == "check") {
    if (values.count("--report")) {
      std::printf("%s\n%s\n%s\n", site->ReadabilityReport().c_str(),
                  site->Coverage().ToString().c_str(), site->TermReport().c_str());
    }
    const Site::Schedule scheduled = site->Scheduled();
    std::printf("clemency: %zu files checked, no problems found", site->pages().size());
    if (scheduled.pages > 0) {
      std::printf(" (%zu scheduled, the next at %s)", scheduled.pages,
                  scheduled.next->ToRfc3339().c_str());
    }
    std::printf("\n");
    return 0;
  }
  auto search = SearchOutputs(*site, source, out, &timer);
  if (!search) return 1;
  auto media = FolderMediaOutputs(*site, source);
  if (!media.ok()) {
    std::fprintf(stderr, "clemency: build failed: %s\n", media.status().message().c_str());
    return 1;
  }
  search->merge(media.value());
  auto summary = BuildSite(*site, out, timer, std::move(search), fingerprint, &previous,
                           values.count("--precompress") > 0);
  if (!summary.ok()) {
    std::fprintf(stderr, "clemency: build failed: %s (the previous site is unchanged)\n",
                 summary.status().message().c_str());
    return 1;
  }
  KeepPageCache(out, *site, &cache);
  std::printf("%s\n", summary->ToString().c_str());
  if (values.count("--timings")) {
    std::printf("steps: %s; %zu of %zu pages from the cache\n", summary->timer.ToString().c_str(),
                site->pages_from_cache(), site->pages().size());
  }
  // Freeing tens of thousands of small objects one by one takes longer than the system takes to
  // reclaim the whole process; everything is written and flushed, so leave now.
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(0);
}

}  // namespace

Result<BuildSummary> BuildSite(const Site& site, const std::string& out, StepTimer timer,
                               std::optional<std::map<std::string, std::string>> extra,
                               const std::string& fingerprint, const BuildManifest* previous,
                               bool precompress) {
  BuildOptions options;
  options.extra_files = std::move(extra);
  options.precompress = precompress;
  options.out_dir = out;
  options.input_fingerprint = fingerprint;
  options.previous_manifest = previous;
  options.threads = DefaultThreads();
  if (isatty(STDERR_FILENO)) {
    options.progress = [](size_t done, size_t total) {
      if (total >= 2000) std::fprintf(stderr, "\rrendering %zu/%zu", done, total);
      if (total >= 2000 && done == total) std::fputc('\n', stderr);
    };
  }
  return site.Build(options, timer);
}

// Keeps the pages `site` loaded for the next build into `out` (the page cache); losing it only
// costs that build time, so a failure is a warning.
void KeepPageCache(const std::string& out, const Site& site, const PageCache* previous) {
  if (Status s = PageCache::Save(out, site, previous); !s.ok()) {
    std::fprintf(stderr, "clemency: warning: %s\n", s.message().c_str());
  }
}

// build with a store: the store is the source of record, so the files agree with the API.
int BuildFromStore(const std::string& source, const std::string& db_path, const std::string& out,
                   bool precompress) {
  std::printf("clemency: building from the store %s (content/ is not read; 'clemency import "
              "content' loads it)\n", db_path.c_str());
  StepTimer timer;
  Diagnostics diagnostics;
  auto stored = OpenStoredSite(source, db_path, &diagnostics, &timer);
  if (!Reported(diagnostics, stored.status()) || !stored->site) return 1;
  auto search = SearchOutputs(*stored->site, source, out, &timer);
  if (!search) return 1;
  auto media = StoredMediaOutputs(*stored->site, stored->store.get());
  if (!Reported({}, media.status())) return 1;
  search->merge(media.value());
  auto summary = BuildSite(*stored->site, out, timer, std::move(search), "", nullptr, precompress);
  if (!Reported({}, summary.status())) return 1;
  KeepPageCache(out, *stored->site, nullptr);
  std::printf("%s\n", summary->ToString().c_str());
  return 0;
}

// check, or build from content/ (a rebuild with a usable page cache runs with its own memory
// settings).
int CheckOrBuild(const std::string& command, const std::string& source, const std::string& out,
                 const std::map<std::string, std::string>& values) {
  StepTimer timer;
  if (command != "build" || !PageCache::Usable(out, JoinPath(source, "site"))) {
    // A full build is a short batch: memory freed is soon needed again, so it waits 100 ms
    // before going back to the system instead of at once (main()'s setting for serve). At 15k
    // pages: 8.2 instead of 10.0 CPU seconds (half the system time: madvise calls and their TLB
    // flushes), peak RSS 116 instead of 110 MiB; never returning it would take 145 MiB.
    if (command == "build") mi_option_set(mi_option_decommit_delay, 100);
    return LoadAndBuild(command, source, out, values, timer, false);
  }
  // A rebuild from the page cache is short and holds little memory: fault memory in 2 MiB at a
  // time and keep what is freed, instead of thousands of 4 KiB faults and madvise calls (a
  // one-page rebuild of 10k pages: ~10,700 page faults -> ~1,000). The main thread's heap was
  // made at start-up with main()'s settings, so the rebuild runs on a thread whose heap (like
  // the pool's) is made after these. A full build keeps main()'s lean settings: at 10k pages
  // 68 MiB, where these would take ~107.
  mi_option_disable(mi_option_page_reset);
  mi_option_disable(mi_option_allow_decommit);
  mi_option_enable(mi_option_large_os_pages);
  mi_option_set(mi_option_eager_commit_delay, 0);
  int status = 1;
  std::thread([&] { status = LoadAndBuild(command, source, out, values, timer, true); }).join();
  return status;
}

}  // namespace clemency::cli
