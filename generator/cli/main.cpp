// clemency: command-line entry point. Reads the command and its options, then hands over to the
// command's file (build.cpp, serve.cpp, store_commands.cpp, account_commands.cpp,
// backup_commands.cpp).
#include <mimalloc.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/fs.h"

namespace clemency::cli {
namespace {

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
  if (command == "backup" || command == "restore") {
    return BackupCommand(command, source, db_path, out, arguments, values);
  }
  if (command == "serve") return ServeSite(source, out, values);
  std::error_code ec;
  if (command == "build" && std::filesystem::exists(db_path, ec)) {
    return BuildFromStore(source, db_path, out, values.count("--precompress") > 0);
  }
  return CheckOrBuild(command, source, out, values);
}

}  // namespace
}  // namespace clemency::cli

int main(int argc, char** argv) {
  // Memory freed by any thread goes back to the system at once instead of waiting in per-thread
  // caches: a 10k-page build peaks at 68 instead of 81-96 MiB, and a server's 64 request threads
  // do not each sit on their own cache. Whole free spans only: also resetting each free 64 KiB
  // page (mi_option_page_reset) saved no memory and cost ~9% of a full build's CPU in madvise
  // calls and the TLB flushes they send to every core.
  mi_option_set(mi_option_decommit_delay, 0);
  return clemency::cli::Run(argc, argv);
}
