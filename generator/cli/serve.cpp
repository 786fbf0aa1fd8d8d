// serve: the store-backed site, republished as it changes, with the editor side and its
// scheduler.
#include <mimalloc.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "accounts/sessions.h"
#include "accounts/signin_limits.h"
#include "cli/commands.h"
#include "core/parallel.h"
#include "editorial/workflow.h"
#include "publish/control_socket.h"
#include "publish/live_site.h"
#include "publish/media_files.h"
#include "publish/static_search.h"
#include "publish/store_site.h"
#include "render/output_folder.h"
#include "selfcheck/rules.h"
#include "server/server.h"
#include "websub/hub.h"

namespace clemency::cli {
namespace {

// Opens serve's store, reports what it holds, and builds the site from it into `out` (filling
// `build`). nullopt when serve cannot start; a store whose content fails a check still serves
// the site last built into `out`.
std::optional<StoredSite> OpenAndBuild(const std::string& source, const std::string& db_path,
                                       const std::string& out, bool precompress,
                                       BuildInfo* build) {
  StepTimer timer;
  Diagnostics diagnostics;
  // Every stored page is read and checked at start, cache or not: a page changed in the store
  // behind the program's back (or under a newer program's rules) is found here.
  auto stored = OpenStoredSite(source, db_path, &diagnostics, &timer);
  if (!Reported(diagnostics, stored.status())) {
    if (!stored.ok() || stored->imported || !std::filesystem::exists(JoinPath(out, kOutputMarker))) {
      return std::nullopt;
    }
    std::fprintf(stderr, "clemency: serving the site last built into %s until the store is fixed\n",
                 out.c_str());
  }
  if (stored->imported) {
    std::printf("clemency: new store %s: importing content/\n", db_path.c_str());
  } else {
    std::printf(
        "clemency: serving the %lld pages of %s (content/ is imported only into a new store)\n",
        static_cast<long long>(stored->pages), db_path.c_str());
  }
  if (stored->site) {
    // The static search index goes out with the site (a copy of public/ without serve).
    auto search = StaticSearchOutputs(stored->store.get(), stored->site->config(),
                                      Now(stored->site->config().utc_offset_minutes).unix_seconds);
    // So do the library images its live pages show, in the same commit.
    auto media = search.ok() ? StoredMediaOutputs(*stored->site, stored->store.get()) : search;
    if (!media.ok()) {
      std::fprintf(stderr, "clemency: static search index or media files: %s\n",
                   media.status().message().c_str());
      return std::nullopt;
    }
    search->merge(media.value());
    auto summary = BuildSite(*stored->site, out, timer, std::move(search).value(), "", nullptr,
                             precompress);
    if (!summary.ok()) {
      std::fprintf(stderr, "clemency: build failed: %s\n", summary.status().message().c_str());
      return std::nullopt;
    }
    KeepPageCache(out, *stored->site, nullptr);  // serve's first republish starts from it
    std::printf("%s\n", summary->ToString().c_str());
    build->seconds = summary->seconds;
    build->pages_per_language = summary->pages_per_language;
  }
  build->built = true;
  // Serving needs the configuration only: the loaded pages and the content read from the store
  // go, and the allocator hands their memory back to the system.
  stored->site.reset();
  mi_collect(true);
  return std::move(stored).value();
}

bool IsLoopback(const std::string& address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}


// What the workflow needs to know of the site's configuration.
Workflow::Options WorkflowOptions(const SiteConfig& config) {
  Workflow::Options options;
  options.default_language = config.default_language;
  options.approve_own_merge = config.approve_own_merge;
  for (const auto& language : config.languages) options.languages.push_back(language.code);
  const int offset = config.utc_offset_minutes;
  options.now = [offset] { return Now(offset); };
  std::map<std::string, std::string> kinds;
  for (const auto& section : config.sections) kinds[section.name] = section.kind;
  options.section_kind = [kinds](const std::string& section) {
    auto it = kinds.find(section);
    return it == kinds.end() ? std::string() : it->second;
  };
  return options;
}

// serve's WebSub hub for the site's feeds in `out`.
std::unique_ptr<websub::Hub> MakeHub(const SiteConfig& config, const std::string& db_path,
                                     const std::string& out, bool allow_private) {
  websub::HubOptions options;
  options.db_path = db_path;
  options.public_dir = out;
  options.base_url = config.base_url;
  options.callback_hosts = config.websub.callback_hosts;
  options.allow_private_callbacks = allow_private;
  options.log = [](const std::string& line) { std::fprintf(stderr, "clemency: %s\n", line.c_str()); };
  return std::make_unique<websub::Hub>(std::move(options));
}

}  // namespace

// serve: the store is the source of truth once it exists; content/ is imported into a new one.
int ServeSite(const std::string& source, const std::string& out,
              std::map<std::string, std::string>& values) {
  // Before the store is made: a refused --out changes nothing.
  if (Status s = CheckOutputFolder(out, source); !s.ok()) {
    std::fprintf(stderr, "clemency: %s\n", s.message().c_str());
    return 2;
  }
  const std::string db_path =
      values.count("--db") ? values.at("--db") : JoinPath(source, "var/clemency.db");
  ServerOptions options;
  options.bind = values.count("--bind") ? values["--bind"] : "127.0.0.1";
  if (!ReadWholeNumber(values, "--port", 0, 65535, &options.port) ||
      !ReadWholeNumber(values, "--threads", 1, 4096, &options.threads)) {
    return 2;
  }
  // Watching starts before the store is read, so no change after that is missed.
  LiveSite::Options live_options;
  live_options.db_path = db_path;
  live_options.source_dir = source;
  live_options.out_dir = out;
  live_options.threads = DefaultThreads();
  live_options.report = [](const std::string& line) {
    std::fprintf(stderr, "clemency: %s\n", line.c_str());
  };
  live_options.socket_path = ControlSocketPath(db_path);
  live_options.precompress = values.count("--precompress") > 0;
  Diagnostics problems;
  auto config = LoadSiteConfig(DiskFileSystem(), JoinPath(source, "site/config.yaml"), &problems);
  if (!Reported(problems, config.status())) return 1;
  std::unique_ptr<websub::Hub> hub;
  if (config->websub.hub) {
    hub = MakeHub(*config, db_path, out, values.count("--websub-allow-private") > 0);
    live_options.on_republished = [hub = hub.get()] { hub->Notify(); };
  }
  LiveSite live(std::move(live_options));
  if (!Reported({}, live.Watch())) return 1;
  const bool precompress = values.count("--precompress") > 0;
  std::optional<StoredSite> stored = OpenAndBuild(source, db_path, out, precompress, &options.build);
  if (!stored) return 1;
  if (!Reported({}, live.Start())) return 1;
  if (hub && !Reported({}, hub->Start())) return 1;
  options.hub = hub.get();
  auto rules = selfcheck::LoadRuleSet(DiskFileSystem(), JoinPath(source, "site/selfcheck"), *config,
                                      &problems);
  if (!Reported(problems, rules.status())) return 1;
  options.public_dir = out;
  options.config = &*config;
  options.store = stored->store.get();
  // The server's connection answers the public API and search: a larger page cache than
  // SQLite's 2 MiB keeps what searches read (the FTS5 index's doclists of common words, its
  // row sizes, search_pages) in memory rather than read again from the file for every query.
  if (!Reported({}, stored->store->Exec("PRAGMA cache_size = -32768"))) return 1;
  options.publish_info = [&live]() {
    return PublishInfo{live.republished(), live.last_seconds()};
  };
  options.selfcheck = &rules.value();
  options.secure_cookies = values.count("--behind-tls") > 0;
  SessionTable sessions;
  LoginLimiter limiter;
  if (IsLoopback(options.bind) || options.secure_cookies) {
    auto workflow = live.StartWorkflow(WorkflowOptions(*config));
    if (!Reported({}, workflow.status())) return 1;
    options.workflow = workflow.value();
    options.sessions = &sessions;
    options.login_limiter = &limiter;
  } else {
    std::fprintf(stderr, "clemency: the admin is off: %s is not a loopback address and "
                         "--behind-tls was not given\n", options.bind.c_str());
  }
  options.on_listening = [&options](int port) {
    std::printf("Serving on http://%s:%d/ (Ctrl-C to stop)\n", options.bind.c_str(), port);
    std::fflush(stdout);
  };
  if (!Reported({}, Serve(options))) return 1;
  std::printf("clemency: stopped\n");
  return 0;
}

}  // namespace clemency::cli
