// The commands that change or read the store outside serve: import, publish, unpublish, export.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "accounts/account_service.h"
#include "cli/commands.h"
#include "content/support_import.h"
#include "core/fs.h"
#include "publish/control_socket.h"
#include "publish/history.h"
#include "publish/publish.h"
#include "publish/store_site.h"
#include "store/store.h"

namespace clemency::cli {
namespace {

// Records a change made from the command line (outside the two-person review) in the audit log,
// credited to this process's operating-system account.
Status AuditCommandLine(Store* store, const std::string& action, const std::string& subject,
                        const std::string& detail) {
  const std::string actor = ThisUserActor();
  return AccountService(store).Record(actor, action, subject,
                                      detail + ", without the two-person review");
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
  // Credited to this process's account when it publishes itself; serve credits the socket's peer.
  request.audit_actor = ThisUserActor();
  request.people = OutsideReview(request.audit_actor);
  // A serve on this store checks the change against the site it holds and has it live when
  // it answers (refused, with the same words, where site/config.yaml forbids command-line
  // publishing); without one, the command checks both itself, against the whole stored site.
  auto served = PublishThroughServe(ControlSocketPath(db_path), request);
  if (!served.ok()) return Failed(served.status());
  std::optional<PublishResult> published = std::move(served).value();
  const char* live = " (live on the running serve)";
  if (!published) {
    if (Status s = CommandLinePublishingAllowed(source); !s.ok()) return Failed(s);
    live = "";
    auto store = Store::Open(db_path);
    if (!store.ok()) return Failed(store.status());
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

}  // namespace

// Who a command-line change is credited to: this process's operating-system account.
std::string ThisUserActor() { return SystemActor(SystemUserName(static_cast<long>(::geteuid()))); }

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

}  // namespace clemency::cli
