// backup and restore: the whole store copied to a file while the site runs, and put back.
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ctime>
#include <cstdio>
#include <filesystem>

#include "accounts/account_service.h"
#include "cli/commands.h"
#include "publish/control_socket.h"
#include "store/store.h"

namespace clemency::cli {
namespace {

// The time now in UTC as 20261207T031500Z: a name part that sorts by time.
std::string UtcStamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// A backup runs beside serve on the same cores and disk: it yields both to readers (lowest CPU
// priority, idle I/O class), so a copy and its integrity check take longer rather than slowing
// pages. Best effort: a system that refuses keeps the normal priority.
void YieldToReaders() {
  (void)::setpriority(PRIO_PROCESS, 0, 19);
  constexpr int kWhoProcess = 1, kClassIdle = 3, kClassShift = 13;  // linux/ioprio.h
  (void)::syscall(SYS_ioprio_set, kWhoProcess, 0, kClassIdle << kClassShift);
}

// Ok when no serve answers on the store's control socket.
Status NoServeRunning(const std::string& db_path) {
  const std::string socket = ControlSocketPath(db_path);
  if (socket.empty()) return Status::Ok();
  auto answer = CallControl(socket, {{"op", "ping"}});
  if (answer.ok() && !answer->has_value()) return Status::Ok();
  return Status::Error("a serve is running on the store " + db_path + " (it answers at " + socket +
                       "): stop serve first, then restore");
}

int Backup(const std::string& db_path, std::map<std::string, std::string>& values) {
  if (!values.count("--to")) return Usage("backup needs --to FILE");
  const std::string to = values["--to"];
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec)) return Failed(Status::Error("no store at " + db_path));
  auto store = Store::Open(db_path);
  if (!store.ok()) return Failed(store.status());
  YieldToReaders();
  if (!Reported({}, (*store)->BackupTo(to, values.count("--force") > 0))) return 1;
  Status audited = AccountService(store->get())
                       .Record(ThisUserActor(), "store.backup", to, "a verified copy of the store");
  if (!Reported({}, audited)) return 1;
  std::printf("clemency: the store %s is backed up to %s (owner-only, integrity checked)\n",
              db_path.c_str(), to.c_str());
  return 0;
}

int Restore(const std::string& source, const std::string& db_path, const std::string& out,
            const std::string& backup) {
  if (Status s = NoServeRunning(db_path); !s.ok()) return Failed(s);
  const std::string kept = db_path + ".before-restore-" + UtcStamp();
  std::error_code ec;
  const bool had_store = std::filesystem::exists(db_path, ec);
  if (!Reported({}, ReplaceStoreFile(db_path, backup, kept))) return 1;
  {
    auto store = Store::Open(db_path);  // brings an older backup to the current schema
    if (!store.ok()) return Failed(store.status());
  }
  std::printf("clemency: the store %s is restored from %s%s\n", db_path.c_str(), backup.c_str(),
              had_store ? (" (the store before is kept as " + kept + ")").c_str() : "");
  return BuildFromStore(source, db_path, out);
}

}  // namespace

// backup --to FILE, restore FILE.
int BackupCommand(const std::string& command, const std::string& source,
                  const std::string& db_path, const std::string& out,
                  const std::vector<std::string>& arguments,
                  std::map<std::string, std::string>& values) {
  if (command == "backup") {
    if (!arguments.empty()) return Usage("expected: clemency backup --to FILE");
    return Backup(db_path, values);
  }
  if (arguments.size() != 1) return Usage("expected: clemency restore FILE");
  return Restore(source, db_path, out, arguments[0]);
}

}  // namespace clemency::cli
