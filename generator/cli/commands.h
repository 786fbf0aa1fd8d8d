#pragma once
// The command line's parts: reading a command's options (arguments.cpp) and the commands, one
// file per group. Each command returns the process's exit status and prints its own problems.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/timing.h"
#include "render/site.h"

namespace clemency::cli {

// What `clemency --help` prints.
extern const char* const kUsage;

struct CommandSpec {
  const char* help;
  std::vector<std::string> options;  // options that take a value ("--x-*": any "--x-…")
  std::vector<std::string> flags;    // options without a value
  bool arguments = false;            // takes arguments that are not options (a file, a page)
};
// Every command by name.
extern const std::map<std::string, CommandSpec> kCommands;

// Prints `message` and the usage; returns 2.
int Usage(const std::string& message);
// Reads the options and arguments of `spec`'s command from argv[2..] into `values` and
// `arguments`. Returns an exit status when the command must not run (help, or a usage error).
std::optional<int> ParseArguments(int argc, char** argv, const std::string& command,
                                  const CommandSpec& spec,
                                  std::map<std::string, std::string>* values,
                                  std::vector<std::string>* arguments);
// Reads option `name` (when given) as a whole number in [min, max]; prints usage and returns
// false otherwise.
bool ReadWholeNumber(std::map<std::string, std::string>& values, const std::string& name, long min,
                     long max, int* out);
// Prints `diagnostics` and `status` when either has a problem; true when neither has.
bool Reported(const Diagnostics& diagnostics, const Status& status);
// Prints a command's error; returns its exit status.
int Failed(const Status& status);

// Builds `site` into `out` (progress on a terminal) with `extra` files (the static search
// index). Returns the build's summary.
Result<BuildSummary> BuildSite(const Site& site, const std::string& out, StepTimer timer,
                               std::optional<std::map<std::string, std::string>> extra,
                               const std::string& fingerprint = "",
                               const BuildManifest* previous = nullptr, bool precompress = false);
// Keeps the pages `site` loaded for the next build into `out` (the page cache); losing it only
// costs that build time, so a failure is a warning.
void KeepPageCache(const std::string& out, const Site& site, const PageCache* previous);
// build with a store: the store is the source of record, so the files agree with the API.
int BuildFromStore(const std::string& source, const std::string& db_path, const std::string& out,
                   bool precompress = false);
// check, or build from content/ (a rebuild with a usable page cache runs with its own memory
// settings).
int CheckOrBuild(const std::string& command, const std::string& source, const std::string& out,
                 const std::map<std::string, std::string>& values);

// serve: the store is the source of truth once it exists; content/ is imported into a new one.
int ServeSite(const std::string& source, const std::string& out,
              std::map<std::string, std::string>& values);

// Who a command-line change is credited to: this process's operating-system account.
std::string ThisUserActor();
// The commands that work on the store: import, publish, unpublish, export, user, token.
int RunStoreCommand(const std::string& command, const std::string& source,
                    const std::string& db_path, const std::vector<std::string>& arguments,
                    std::map<std::string, std::string>& values);

// backup --to FILE: a verified owner-only copy of the store; restore FILE: puts one back in
// place of the store (kept beside it) and rebuilds `out` from it.
int BackupCommand(const std::string& command, const std::string& source,
                  const std::string& db_path, const std::string& out,
                  const std::vector<std::string>& arguments,
                  std::map<std::string, std::string>& values);

// user add|list|disable: editors' accounts in the store.
int UserCommand(const std::string& db_path, const std::vector<std::string>& arguments,
                std::map<std::string, std::string>& values);
// token create NAME | list | revoke ID: bearer tokens for the editor API.
int TokenCommand(const std::string& db_path, const std::vector<std::string>& arguments,
                 std::map<std::string, std::string>& values);

}  // namespace clemency::cli
