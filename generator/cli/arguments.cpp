// The command line's words: the commands, their help and options, and how they are read.
#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"

namespace clemency::cli {

const char* const kUsage =
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
    "  backup  copy the whole store (history, accounts, audit log) to a file, while serve runs\n"
    "  restore put a backup in place of the store (the old one is kept) and rebuild the site\n"
    "\n"
    "Run 'clemency <command> --help' for the options of a command.\n";

const std::map<std::string, CommandSpec> kCommands = {
    {"backup",
     {"Usage: clemency backup --to FILE [--force] [--source DIR] [--db FILE]\n"
      "  --to FILE     the new backup: the whole store as of one moment (pages and their\n"
      "                revisions, edits, accounts, tokens, audit log, schedules, publish log;\n"
      "                sessions are not stored), owner-only, checked with integrity_check\n"
      "  --force       replace FILE when it exists (else refused)\n"
      "  --source DIR  folder holding var/ (default: current folder)\n"
      "  --db FILE     SQLite store (default: DIR/var/clemency.db)\n"
      "A running serve keeps serving and publishing while the copy is made.\n",
      {"--to", "--source", "--db"},
      {"--force"}}},
    {"build",
     {"Usage: clemency build [--source DIR] [--out DIR] [--db FILE] [--precompress] [--timings]\n"
      "  --source DIR  folder holding site/ and content/ (default: current folder)\n"
      "  --out DIR     where the site is written (default: DIR/public); replaced atomically\n"
      "  --db FILE     SQLite store (default: DIR/var/clemency.db). When it exists, the site is\n"
      "                built from it, as serve does, so pages, feeds and the API agree;\n"
      "                content/ is then read only by 'clemency import content'\n"
      "  --precompress write FILE.gz beside each HTML, CSS, JS, XML, feed, JSON, SVG and text file\n"
      "                of 1 KB or more (byte for byte the same for the same file), for nginx's\n"
      "                gzip_static; kept in step with their files by every later build\n"
      "  --timings     print how long each build step took\n",
      {"--source", "--out", "--db"},
      {"--timings", "--precompress"}}},
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
      "       clemency user contact NAME --email ADDRESS [--lang L] [--db FILE] [--source DIR]\n"
      "  add      a new account; its password is read from the terminal (asked twice) or, when\n"
      "           stdin is not a terminal, from stdin's first line, never from the command line.\n"
      "           At least 12 characters; stored as an Argon2id hash.\n"
      "  list     every account with its role and whether it is disabled\n"
      "  disable  the account can no longer sign in; it and its history stay\n"
      "  contact  where the account's notices go (a publisher is told by e-mail when a change\n"
      "           waits for review, when site/config.yaml sets notify.sendmail), and their\n"
      "           language (one of the site's; default its first); --email \"\" stops them\n"
      "Every change is written to the store's audit log.\n",
      {"--role", "--source", "--db", "--email", "--lang"},
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
    {"restore",
     {"Usage: clemency restore FILE [--source DIR] [--db FILE] [--out DIR]\n"
      "  FILE          a backup made by 'clemency backup'; refused unless it passes\n"
      "                integrity_check, is a Clemency store and its schema is not newer\n"
      "  --source DIR  folder holding site/ (default: current folder)\n"
      "  --db FILE     SQLite store to replace (default: DIR/var/clemency.db); the old one is\n"
      "                kept beside it as FILE.before-restore-<UTC time>\n"
      "  --out DIR     where the site is rebuilt from the restored store (default: DIR/public)\n"
      "Stop serve first (refused while one runs on the store); start it again afterwards.\n",
      {"--source", "--db", "--out"},
      {},
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
      "  --precompress the start build and every publish write .gz files (see build --help)\n"
      "  --websub-allow-private  the WebSub hub (site/config.yaml websub.hub) may contact\n"
      "                callbacks on loopback and private addresses (tests only: a subscriber\n"
      "                could otherwise make serve reach this machine's or its network's services)\n"
      "The admin runs only on a loopback address unless --behind-tls is given: its passwords\n"
      "and session cookies must never cross a network in clear text.\n",
      {"--source", "--out", "--db", "--bind", "--port", "--threads"},
      {"--behind-tls", "--websub-allow-private", "--precompress"}}},
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

// Prints a command's error; returns its exit status.
int Failed(const Status& status) {
  Reported({}, status);
  return 1;
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

}  // namespace clemency::cli
