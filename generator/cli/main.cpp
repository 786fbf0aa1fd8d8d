// clemency: command-line entry point. Argument parsing only; the work lives in the modules.
#include <mimalloc.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "accounts/accounts.h"
#include "accounts/sessions.h"
#include "accounts/signin_limits.h"
#include "api/server.h"
#include "content/support_import.h"
#include "core/fs.h"
#include "core/parallel.h"
#include "editorial/workflow.h"
#include "publish/control_socket.h"
#include "publish/history.h"
#include "publish/publish.h"
#include "publish/live_site.h"
#include "publish/store_site.h"
#include "store/edits.h"
#include "store/users.h"
#include "render/manifest.h"
#include "render/output_folder.h"
#include "render/page_cache.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {
namespace {

const char* kUsage =
    "Usage: clemency <command> [options]\n"
    "\n"
    "Commands:\n"
    "  build   validate content/ and site/, then write the static site\n"
    "  check   validate content/ and site/ only\n"
    "  serve   build the site into public/ and serve it over HTTP\n"
    "  import  import content: load content/ into the store; import support FILE.csv: verified\n"
    "          contacts of support entries, into the store when there is one\n"
    "  export  write the store's pages back as content files (with site/) into a new folder\n"
    "  publish check a content file with the stored site and store it as a new revision\n"
    "  unpublish  withdraw a page: its URL shows a notice (or 410), feeds and the API say so\n"
    "\n"
    "Run 'clemency <command> --help' for the options of a command.\n";

struct CommandSpec {
  const char* help;
  std::vector<std::string> options;  // options that take a value ("--x-*": any "--x-…")
  std::vector<std::string> flags;    // options without a value
  bool arguments = false;            // takes arguments that are not options (a file, a page)
};

const std::map<std::string, CommandSpec> kCommands = {
    {"build",
     {"Usage: clemency build [--source DIR] [--out DIR] [--db FILE] [--timings]\n"
      "  --source DIR  folder holding site/ and content/ (default: current folder)\n"
      "  --out DIR     where the site is written (default: DIR/public); replaced atomically\n"
      "  --db FILE     SQLite store (default: DIR/var/clemency.db). When it exists, the site is\n"
      "                built from it, as serve does, so pages, feeds and the API agree;\n"
      "                content/ is then read only by 'clemency import content'\n"
      "  --timings     print how long each build step took\n",
      {"--source", "--out", "--db"},
      {"--timings"}}},
    {"check",
     {"Usage: clemency check [--source DIR] [--report]\n"
      "  --source DIR  folder holding site/ and content/ (default: current folder)\n"
      "  --report      also print readability scores, translation coverage and term coverage\n"
      "Validates everything and prints every problem as file:line: field: message.\n",
      {"--source"},
      {"--report"}}},
    {"import",
     {"Usage: clemency import content [--source DIR] [--db FILE]\n"
      "       clemency import support FILE.csv [--source DIR] [--db FILE]\n"
      "  content       check content/ and load every page into the store (nothing changes on\n"
      "                any problem); a running `serve` on that store republishes\n"
      "  FILE.csv      columns slug,phone,address,hours,verified,verified_by (header row first;\n"
      "                verified_by: the office or role that confirmed the entry still runs)\n"
      "  --source DIR  folder holding site/ and content/ (default: current folder)\n"
      "  --db FILE     SQLite store (default: DIR/var/clemency.db). When it exists, support\n"
      "                contacts go into it (the running site reads it); otherwise into content/\n"
      "Every row is checked first; on any problem nothing is changed.\n",
      {"--source", "--db"},
      {},
      true}},
    {"export",
     {"Usage: clemency export --to DIR [--source DIR] [--db FILE]\n"
      "  --to DIR      new or empty folder: gets content/ from the store and a copy of site/\n"
      "  --source DIR  folder holding site/ (default: current folder)\n"
      "  --db FILE     SQLite store (default: DIR/var/clemency.db)\n",
      {"--to", "--source", "--db"},
      {}}},
    {"publish",
     {"Usage: clemency publish FILE.md [--change major|minor|correction] [--note TEXT]\n"
      "                        [--source DIR] [--db FILE]\n"
      "  FILE.md       <slug>.<lang>.md in a folder named for its section (e.g. guides/)\n"
      "  --change      major (default; shown and in feeds, --note required), minor (typos: not\n"
      "                announced) or correction (a factual fix, announced as one; --note required)\n"
      "  --note TEXT   what changed, in the page's language\n"
      "  --source DIR  folder holding site/ (default: current folder)\n"
      "  --db FILE     SQLite store (default: DIR/var/clemency.db)\n"
      "  --out DIR     where serve writes the site (default: DIR/public): its page cache makes\n"
      "                the check of a big site quick\n"
      "The whole site is checked with the file in place first; on any problem nothing changes.\n"
      "A running serve on the store republishes the change.\n",
      {"--change", "--note", "--source", "--db", "--out"},
      {},
      true}},
    {"user",
     {"Usage: clemency user add NAME --role editor|publisher|admin [--db FILE] [--source DIR]\n"
      "       clemency user list [--db FILE]\n"
      "       clemency user disable NAME [--db FILE]\n"
      "  add      a new account; its password is read from the terminal (asked twice) or, when\n"
      "           stdin is not a terminal, from stdin's first line, never from the command line.\n"
      "           At least 12 characters; stored as an Argon2id hash.\n"
      "  list     every account with its role and whether it is disabled\n"
      "  disable  the account can no longer sign in; it and its history stay\n"
      "Every change is written to the store's audit log.\n",
      {"--role", "--source", "--db"},
      {},
      true}},
    {"unpublish",
     {"Usage: clemency unpublish SECTION/SLUG --reason TEXT [--reason-L TEXT …] [--lang L]\n"
      "                          [--gone] [--source DIR] [--db FILE]\n"
      "  SECTION/SLUG  the page, e.g. guides/dac-xa-la-gi\n"
      "  --reason TEXT why it was withdrawn, in the site's default language (vi): shown on its\n"
      "                notice, in feeds and in the API, in every language without its own\n"
      "                (labelled as being in that language)\n"
      "  --reason-L TEXT  the reason in language L, e.g. --reason-en, --reason-km\n"
      "  --lang L      one translation only (default: every translation)\n"
      "  --gone        removed: its URL answers 410 Gone instead of showing a notice\n"
      "The page stays in the store as a record. Refused when another page links to it.\n",
      {"--reason", "--reason-*", "--lang", "--source", "--db"},
      {"--gone"},
      true}},
    {"serve",
     {"Usage: clemency serve [--source DIR] [--out DIR] [--db FILE] [--bind ADDR] [--port N]\n"
      "  --source DIR  folder holding site/ and content/ (default: current folder)\n"
      "  --out DIR     where the site is written (default: DIR/public)\n"
      "  --db FILE     SQLite store (default: DIR/var/clemency.db)\n"
      "  --bind ADDR   address to listen on (default: 127.0.0.1)\n"
      "  --port N      port (default: 8080; 0 picks a free one)\n"
      "  --threads N   most request threads; each open connection holds one (default: 1024)\n"
      "  --behind-tls  readers reach serve through a TLS proxy: cookies are Secure, and the\n"
      "                admin (/admin, /api/v1/editor/) runs on an address other than loopback\n"
      "The admin runs only on a loopback address unless --behind-tls is given: its passwords\n"
      "and session cookies must never cross a network in clear text.\n",
      {"--source", "--out", "--db", "--bind", "--port", "--threads"},
      {"--behind-tls"}}},
    {"token",
     {"Usage: clemency token create NAME [--label TEXT] [--db FILE] [--source DIR]\n"
      "       clemency token list [--db FILE]\n"
      "       clemency token revoke ID [--db FILE]\n"
      "  create   a bearer token for the account NAME, for automation with the editor API\n"
      "           (Authorization: Bearer TOKEN). It is printed once and stored only as a hash.\n"
      "  --label  what the token is for, shown in the audit log and the list\n"
      "  list     every token's id, account, label, and when it was made or revoked\n"
      "  revoke   the token stops working at once (a running serve checks every request)\n",
      {"--label", "--source", "--db"},
      {},
      true}},
};

int Usage(const std::string& message) {
  std::fprintf(stderr, "clemency: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

// Loads and validates; prints every problem. Returns nullptr on failure.
// The site under `source`, with an export's pages' histories and withdrawn pages (history/ beside
// content/, as the store gave them) when it has them.
std::unique_ptr<Site> LoadSite(std::shared_ptr<const FileSystem> fs, const std::string& source,
                               StepTimer* timer, PageCache* cache = nullptr) {
  Diagnostics diagnostics;
  DiskFileSystem disk;
  HistoryFolder records(disk, source);
  auto site = Site::Load(std::move(fs), source, &diagnostics, LoadOptions{timer, cache, &records, {}});
  std::fputs(diagnostics.WarningsToString().c_str(), stderr);
  if (!site) {
    std::fputs(diagnostics.ToString().c_str(), stderr);
    std::fprintf(stderr, "clemency: %zu problem%s found; nothing was written\n", diagnostics.size(),
                 diagnostics.size() == 1 ? "" : "s");
  }
  return site;
}

Result<BuildSummary> BuildSite(const Site& site, const std::string& out, StepTimer timer,
                               const std::string& fingerprint = "",
                               const BuildManifest* previous = nullptr) {
  BuildOptions options;
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

// Reads option `name` (when given) as a whole number in [min, max]; prints usage and returns
// false otherwise.
bool ReadWholeNumber(std::map<std::string, std::string>& values, const std::string& name, long min,
                     long max, int* out) {
  if (!values.count(name)) return true;
  const std::string& text = values[name];
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < min || value > max) {
    Usage(name + " must be " + std::to_string(min) + " to " + std::to_string(max));
    return false;
  }
  *out = static_cast<int>(value);
  return true;
}

// Prints `diagnostics` and `status` when either has a problem; true when neither has.
bool Reported(const Diagnostics& diagnostics, const Status& status) {
  std::fputs(diagnostics.ToString().c_str(), stderr);
  if (!status.ok()) std::fprintf(stderr, "clemency: %s\n", status.message().c_str());
  return status.ok() && diagnostics.empty();
}

// Opens serve's store, reports what it holds, and builds the site from it into `out` (filling
// `build`). nullopt when serve cannot start; a store whose content fails a check still serves
// the site last built into `out`.
std::optional<StoredSite> OpenAndBuild(const std::string& source, const std::string& db_path,
                                       const std::string& out, BuildInfo* build) {
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
    auto summary = BuildSite(*stored->site, out, timer);
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

// Prints a command's error; returns its exit status.
int Failed(const Status& status) {
  Reported({}, status);
  return 1;
}

bool IsLoopback(const std::string& address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

// What the workflow needs to know of the site's configuration.
Workflow::Options WorkflowOptions(const SiteConfig& config) {
  Workflow::Options options;
  options.default_language = config.default_language;
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
  LiveSite live(std::move(live_options));
  if (!Reported({}, live.Watch())) return 1;
  std::optional<StoredSite> stored = OpenAndBuild(source, db_path, out, &options.build);
  if (!stored) return 1;
  if (!Reported({}, live.Start())) return 1;
  Diagnostics problems;
  auto config = LoadSiteConfig(DiskFileSystem(), JoinPath(source, "site/config.yaml"), &problems);
  if (!Reported(problems, config.status())) return 1;
  auto rules = selfcheck::LoadRuleSet(DiskFileSystem(), JoinPath(source, "site/selfcheck"), *config,
                                      &problems);
  if (!Reported(problems, rules.status())) return 1;
  options.public_dir = out;
  options.config = &*config;
  options.store = stored->store.get();
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

// Who a command-line change is credited to: this process's operating-system account.
std::string ThisUserActor() { return SystemActor(SystemUserName(static_cast<long>(::geteuid()))); }

// Records a change made from the command line (outside the two-person review) in the audit log,
// credited to this process's operating-system account.
Status AuditCommandLine(Store* store, const std::string& action, const std::string& subject,
                        const std::string& detail) {
  const std::string actor = ThisUserActor();
  return AuditLog(store).Record(actor, action, subject, detail + ", without the two-person review");
}

// import support: into the store when there is one (the running site reads it), else content/.
int ImportSupport(const std::string& source, const std::string& db_path,
                  const std::string& csv_path) {
  auto csv = DiskFileSystem().ReadFile(csv_path);
  if (!csv.ok()) return Failed(Status::Error(csv_path + ": cannot read file"));
  Diagnostics diagnostics;
  std::error_code ec;
  if (std::filesystem::exists(db_path, ec)) {
    if (Status s = CommandLinePublishingAllowed(source); !s.ok()) return Failed(s);
    auto store = Store::Open(db_path);
    if (!store.ok()) return Failed(store.status());
    auto changed = ImportSupportIntoStore(store->get(), source, csv_path, *csv, &diagnostics);
    if (!Reported(diagnostics, changed.status())) return 1;
    if (!Reported({}, AuditCommandLine(store->get(), "support.import", csv_path,
                                       std::to_string(*changed) + " support pages changed"))) {
      return 1;
    }
    std::printf("clemency: %zu support pages updated in the store %s (a running serve republishes)\n",
                *changed, db_path.c_str());
    return 0;
  }
  auto config = LoadSiteConfig(DiskFileSystem(), JoinPath(source, "site/config.yaml"), &diagnostics);
  std::vector<FileUpdate> updates;
  if (config.ok()) {
    updates = PlanSupportImport(DiskFileSystem(), source, csv_path, *csv, *config,
                                Now(config->utc_offset_minutes), &diagnostics);
  }
  Status written = diagnostics.empty() ? WriteFileUpdates(updates) : Status::Error("nothing was imported");
  if (!Reported(diagnostics, written)) return 1;
  for (const auto& update : updates) std::printf("updated %s\n", update.path.c_str());
  std::printf("clemency: %zu files updated in content/ (no store at %s); run 'clemency build' to "
              "publish\n", updates.size(), db_path.c_str());
  return 0;
}

int ImportContent(const std::string& source, const std::string& db_path) {
  std::error_code ec;
  const bool replacing = std::filesystem::exists(db_path, ec);  // else it makes the first store
  if (replacing) {
    if (Status s = CommandLinePublishingAllowed(source); !s.ok()) return Failed(s);
  }
  Diagnostics diagnostics;
  auto pages = ::clemency::ImportContent(source, db_path, &diagnostics);
  if (!Reported(diagnostics, pages.status())) return 1;
  if (replacing) {
    auto store = Store::Open(db_path);
    Status audited = store.ok() ? AuditCommandLine(store->get(), "content.import", "content/",
                                                   std::to_string(*pages) + " pages")
                                : store.status();
    if (!Reported({}, audited)) return 1;
  }
  std::printf("clemency: %lld pages in the store %s (a running serve republishes)\n",
              static_cast<long long>(*pages), db_path.c_str());
  return 0;
}

int Publish(const std::string& source, const std::string& db_path, const std::string& file,
            std::map<std::string, std::string>& values) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) {
    return Failed(Status::Error("no store at " + db_path + " (serve or import content makes one)"));
  }
  auto read = ReadPublishRequest(file);
  if (!read.ok()) return Failed(read.status());
  PublishRequest request = std::move(read).value();
  if (values.count("--change")) request.change_type = values["--change"];
  if (values.count("--note")) request.note = values["--note"];
  if (Status s = CommandLinePublishingAllowed(source); !s.ok()) return Failed(s);
  // Credited to this process's account when it publishes itself; serve credits the socket's peer.
  request.audit_actor = ThisUserActor();
  request.people = OutsideReview(request.audit_actor);
  // A serve on this store checks the change against the site it holds and has it live when
  // it answers; without one, the command checks it against the whole stored site itself.
  auto served = PublishThroughServe(ControlSocketPath(db_path), request);
  if (!served.ok()) return Failed(served.status());
  std::optional<PublishResult> published = std::move(served).value();
  const char* live = " (live on the running serve)";
  if (!published) {
    live = "";
    auto store = Store::Open(db_path);
    if (!store.ok()) return Reported({}, store.status());
    Diagnostics diagnostics;
    auto config =
        LoadSiteConfig(DiskFileSystem(), JoinPath(source, "site/config.yaml"), &diagnostics);
    if (!Reported(diagnostics, config.status())) return 1;
    request.now = Now(config->utc_offset_minutes);
    request.out_dir = values.count("--out") ? values["--out"] : JoinPath(source, "public");
    auto local = PublishFile(store->get(), source, request, &diagnostics);
    if (!Reported(diagnostics, local.status())) return 1;
    published = std::move(local).value();
  }
  if (!published->changed) {
    std::printf("clemency: %s is already stored with this text; nothing to publish\n",
                published->page.c_str());
    return 0;
  }
  std::printf("clemency: published %s (%s) in %s%s; steps: %s\n", published->page.c_str(),
              request.change_type.c_str(), db_path.c_str(), live, published->steps.c_str());
  return 0;
}

int Unpublish(const std::string& source, const std::string& db_path, const std::string& page,
              std::map<std::string, std::string>& values) {
  size_t slash = page.find('/');
  if (slash == std::string::npos || page.find('/', slash + 1) != std::string::npos) {
    return Usage("expected SECTION/SLUG, e.g. guides/dac-xa-la-gi");
  }
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) {
    return Failed(Status::Error("no store at " + db_path));
  }
  if (Status s = CommandLinePublishingAllowed(source); !s.ok()) return Failed(s);
  auto store = Store::Open(db_path);
  if (!store.ok()) return Failed(store.status());
  Diagnostics diagnostics;
  auto config = LoadSiteConfig(DiskFileSystem(), JoinPath(source, "site/config.yaml"), &diagnostics);
  if (!Reported(diagnostics, config.status())) return 1;
  UnpublishRequest request;
  request.audit_actor = ThisUserActor();
  request.by = request.audit_actor;
  request.section = page.substr(0, slash);
  request.slug = page.substr(slash + 1);
  if (values.count("--lang")) request.lang = values["--lang"];
  if (values.count("--reason")) request.reason = values["--reason"];
  for (const auto& [option, value] : values) {
    if (option.rfind("--reason-", 0) == 0) request.reasons[option.substr(9)] = value;
  }
  request.gone = values.count("--gone") > 0;
  request.now = Now(config->utc_offset_minutes);
  auto withdrawn = UnpublishPage(store->get(), source, request, &diagnostics);
  if (!Reported(diagnostics, withdrawn.status())) return 1;
  for (const auto& id : *withdrawn) {
    std::printf("clemency: %s %s\n", request.gone ? "removed" : "withdrew", id.c_str());
  }
  return 0;
}

// A new account's password: asked twice on a terminal (not echoed), else stdin's first line.
Result<std::string> ReadNewPassword(const std::string& name) {
  auto read_line = [](bool echo_off) {
    termios saved{};
    const bool terminal = echo_off && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (terminal) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (terminal) {
      tcsetattr(STDIN_FILENO, TCSANOW, &saved);
      std::fputs("\n", stderr);
    }
    return line;
  };
  if (!isatty(STDIN_FILENO)) return read_line(false);
  std::fprintf(stderr, "%s\nPassword for %s: ", PasswordRule(), name.c_str());
  std::string first = read_line(true);
  std::fprintf(stderr, "Again: ");
  if (read_line(true) != first) return Status::Error("the two passwords differ; nothing changed");
  return first;
}

// user add|list|disable: editors' accounts in the store.
int UserCommand(const std::string& db_path, const std::vector<std::string>& arguments,
                std::map<std::string, std::string>& values) {
  const std::string action = arguments.empty() ? "" : arguments[0];
  const size_t expected = action == "list" ? 1 : 2;
  if ((action != "add" && action != "list" && action != "disable") ||
      arguments.size() != expected) {
    return Usage("expected: clemency user add NAME --role ROLE | user list | user disable NAME");
  }
  auto store = OpenStore(db_path);
  if (!store.ok()) return Failed(store.status());
  const std::string now = Now(0).ToRfc3339();
  if (action == "list") {
    auto users = UserRepository(store->get()).List();
    if (!users.ok()) return Failed(users.status());
    for (const UserRow& u : *users) {
      std::printf("%-24s %-10s %s\n", u.name.c_str(), u.role.c_str(),
                  u.disabled_at.empty() ? "active" : ("disabled " + u.disabled_at).c_str());
    }
    return 0;
  }
  const std::string& name = arguments[1];
  if (action == "disable") {
    if (!Reported({}, DisableUser(store->get(), "command line", name, now))) return 1;
    std::printf("clemency: %s is disabled\n", name.c_str());
    return 0;
  }
  if (!values.count("--role")) return Usage("user add needs --role editor|publisher|admin");
  auto password = ReadNewPassword(name);
  if (!password.ok()) return Failed(password.status());
  if (!Reported({}, AddUser(store->get(), "command line", name, values["--role"], *password, now))) {
    return 1;
  }
  std::printf("clemency: account %s (%s) added to %s\n", name.c_str(), values["--role"].c_str(),
              db_path.c_str());
  return 0;
}

// token list: every token, never the token itself (the store has only its hash).
int ListTokens(Store* store) {
  auto tokens = TokenRepository(store).List();
  if (!tokens.ok()) return Failed(tokens.status());
  for (const TokenRow& t : *tokens) {
    std::printf("%-6lld %-24s %-24s %s%s\n", static_cast<long long>(t.id), t.user_name.c_str(),
                t.label.c_str(), t.created_at.c_str(),
                t.revoked_at.empty() ? "" : ("  revoked " + t.revoked_at).c_str());
  }
  return 0;
}

// token revoke ID: the token stops working; audited.
int RevokeToken(Store* store, const std::string& id_text) {
  char* end = nullptr;
  long long id = std::strtoll(id_text.c_str(), &end, 10);
  if (id_text.empty() || *end != '\0') return Usage("token revoke needs a token id (see token list)");
  auto tokens = TokenRepository(store).List();
  if (!tokens.ok()) return Failed(tokens.status());
  bool live = std::any_of(tokens->begin(), tokens->end(),
                          [id](const TokenRow& t) { return t.id == id && t.revoked_at.empty(); });
  if (!live) return Failed(Status::Error("no live token #" + id_text));
  if (Status s = TokenRepository(store).Revoke(id, Now(0).ToRfc3339()); !s.ok()) return Failed(s);
  if (Status s = AuditLog(store).Record("command line", "token.revoke", "#" + id_text); !s.ok()) {
    return Failed(s);
  }
  std::printf("clemency: token #%s revoked\n", id_text.c_str());
  return 0;
}

// token create NAME | list | revoke ID: bearer tokens for the editor API.
int TokenCommand(const std::string& db_path, const std::vector<std::string>& arguments,
                 std::map<std::string, std::string>& values) {
  const std::string action = arguments.empty() ? "" : arguments[0];
  const size_t expected = action == "list" ? 1 : 2;
  if ((action != "create" && action != "list" && action != "revoke") ||
      arguments.size() != expected) {
    return Usage("expected: clemency token create NAME [--label TEXT] | token list | token revoke ID");
  }
  auto store = OpenStore(db_path);
  if (!store.ok()) return Failed(store.status());
  if (action == "list") return ListTokens(store->get());
  if (action == "revoke") return RevokeToken(store->get(), arguments[1]);
  const std::string label = values.count("--label") ? values["--label"] : "";
  auto token = CreateToken(store->get(), "command line", arguments[1], label, Now(0).ToRfc3339());
  if (!token.ok()) return Failed(token.status());
  std::printf("%s\n", token->c_str());
  std::fprintf(stderr, "clemency: token for %s made; it is shown only this once\n",
               arguments[1].c_str());
  return 0;
}

// build with a store: the store is the source of record, so the files agree with the API.
int BuildFromStore(const std::string& source, const std::string& db_path, const std::string& out) {
  std::printf("clemency: building from the store %s (content/ is not read; 'clemency import "
              "content' loads it)\n", db_path.c_str());
  StepTimer timer;
  Diagnostics diagnostics;
  auto stored = OpenStoredSite(source, db_path, &diagnostics, &timer);
  if (!Reported(diagnostics, stored.status()) || !stored->site) return 1;
  auto summary = BuildSite(*stored->site, out, timer);
  if (!Reported({}, summary.status())) return 1;
  KeepPageCache(out, *stored->site, nullptr);
  std::printf("%s\n", summary->ToString().c_str());
  return 0;
}

int Export(const std::string& source, const std::string& db_path, const std::string& to) {
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) {
    return Failed(Status::Error("no store at " + db_path));
  }
  auto store = Store::Open(db_path);
  Status s = store.ok() ? ExportContent(store->get(), source, to) : store.status();
  if (!Reported({}, s)) return 1;
  std::printf("clemency: the store's pages and a copy of site/ are in %s\n", to.c_str());
  return 0;
}

// "; the next scheduled page goes live at …" when the last build held one back, else "".
std::string ScheduleNote(const BuildSchedule& schedule) {
  if (!schedule.next) return "";
  return "; the next scheduled page goes live at " + DateTime{*schedule.next, 0, true}.ToRfc3339();
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
    fingerprint = BuildManifest::InputFingerprint(*files);
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
  auto summary = BuildSite(*site, out, timer, fingerprint, &previous);
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

// Reads the options and arguments of `spec`'s command from argv[2..] into `values` and
// `arguments`. Returns an exit status when the command must not run (help, or a usage error).
std::optional<int> ParseArguments(int argc, char** argv, const std::string& command,
                                  const CommandSpec& spec,
                                  std::map<std::string, std::string>* values,
                                  std::vector<std::string>* arguments) {
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(spec.help, stdout);
      return 0;
    }
    if (std::find(spec.flags.begin(), spec.flags.end(), arg) != spec.flags.end()) {
      (*values)[arg] = "yes";
    } else if (spec.arguments && arg.rfind("--", 0) != 0) {
      arguments->push_back(arg);
    } else if (std::none_of(spec.options.begin(), spec.options.end(), [&arg](const std::string& o) {
                 return o == arg || (o.back() == '*' && arg.size() >= o.size() &&
                                     arg.compare(0, o.size() - 1, o, 0, o.size() - 1) == 0);
               })) {
      return Usage("unknown option '" + arg + "' for " + command);
    } else if (i + 1 >= argc) {
      return Usage(arg + " needs a value");
    } else {
      (*values)[arg] = argv[++i];
    }
  }
  return std::nullopt;
}

// The commands that work on the store: import, publish, unpublish, export.
int RunStoreCommand(const std::string& command, const std::string& source,
                    const std::string& db_path, const std::vector<std::string>& arguments,
                    std::map<std::string, std::string>& values) {
  if (command == "import") {
    if (arguments.size() == 1 && arguments[0] == "content") return ImportContent(source, db_path);
    if (arguments.size() == 2 && arguments[0] == "support") {
      return ImportSupport(source, db_path, arguments[1]);
    }
    return Usage("expected: clemency import content, or clemency import support FILE.csv");
  }
  if (command == "publish") {
    if (arguments.size() != 1) return Usage("expected: clemency publish FILE.md");
    return Publish(source, db_path, arguments[0], values);
  }
  if (command == "user") return UserCommand(db_path, arguments, values);
  if (command == "token") return TokenCommand(db_path, arguments, values);
  if (command == "unpublish") {
    if (arguments.size() != 1) return Usage("expected: clemency unpublish SECTION/SLUG");
    return Unpublish(source, db_path, arguments[0], values);
  }
  if (!values.count("--to")) return Usage("export needs --to DIR");
  return Export(source, db_path, values["--to"]);
}

// check, or build from content/ (a rebuild with a usable page cache runs with its own memory
// settings).
int CheckOrBuild(const std::string& command, const std::string& source, const std::string& out,
                 const std::map<std::string, std::string>& values) {
  StepTimer timer;
  if (command != "build" || !PageCache::Usable(out, JoinPath(source, "site"))) {
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

int Run(int argc, char** argv) {
  if (argc < 2) return Usage("no command given");
  std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto spec = kCommands.find(command);
  if (spec == kCommands.end()) return Usage("unknown command '" + command + "'");
  std::map<std::string, std::string> values;
  std::vector<std::string> arguments;
  if (auto status = ParseArguments(argc, argv, command, spec->second, &values, &arguments)) {
    return *status;
  }
  const std::string source = values.count("--source") ? values["--source"] : ".";
  const std::string out = values.count("--out") ? values["--out"] : JoinPath(source, "public");
  const std::string db_path =
      values.count("--db") ? values["--db"] : JoinPath(source, "var/clemency.db");
  // The default store's folder is Clemency's own: owner only, like the store (a folder an older
  // version made is narrowed; a missing one is made so by OpenStore).
  if (!values.count("--db")) ::chmod(JoinPath(source, "var").c_str(), 0700);
  if (command == "import" || command == "publish" || command == "unpublish" ||
      command == "export" || command == "user" || command == "token") {
    return RunStoreCommand(command, source, db_path, arguments, values);
  }
  if (command == "serve") return ServeSite(source, out, values);
  std::error_code ec;
  if (command == "build" && std::filesystem::exists(db_path, ec)) {
    return BuildFromStore(source, db_path, out);
  }
  return CheckOrBuild(command, source, out, values);
}

}  // namespace
}  // namespace clemency

int main(int argc, char** argv) {
  // Memory freed by any thread goes back to the system at once instead of waiting in per-thread
  // caches: a 10k-page build peaks at 68 instead of 81-96 MiB, and a server's 64 request threads
  // do not each sit on their own cache. Whole free spans only: also resetting each free 64 KiB
  // page (mi_option_page_reset) saved no memory and cost ~9% of a full build's CPU in madvise
  // calls and the TLB flushes they send to every core.
  mi_option_set(mi_option_decommit_delay, 0);
  return clemency::Run(argc, argv);
}
