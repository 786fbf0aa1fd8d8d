// user and token: editors' accounts and the editor API's bearer tokens.
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "accounts/account_service.h"
#include "accounts/accounts.h"
#include "cli/commands.h"
#include "config/site_config.h"
#include "core/datetime.h"
#include "core/fs.h"
#include "publish/store_site.h"

namespace clemency::cli {
namespace {

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

// token list: every token, never the token itself (the store has only its hash).
int ListTokens(AccountService& accounts) {
  auto tokens = accounts.ListTokens();
  if (!tokens.ok()) return Failed(tokens.status());
  for (const TokenRow& t : *tokens) {
    std::printf("%-6lld %-24s %-24s %s%s\n", static_cast<long long>(t.id), t.user_name.c_str(),
                t.label.c_str(), t.created_at.c_str(),
                t.revoked_at.empty() ? "" : ("  revoked " + t.revoked_at).c_str());
  }
  return 0;
}

// token revoke ID: the token stops working; audited.
int RevokeToken(AccountService& accounts, const std::string& id_text) {
  char* end = nullptr;
  long long id = std::strtoll(id_text.c_str(), &end, 10);
  if (id_text.empty() || *end != '\0') return Usage("token revoke needs a token id (see token list)");
  if (Status s = accounts.RevokeToken("command line", id, Now(0).ToRfc3339()); !s.ok()) {
    return Failed(s);
  }
  std::printf("clemency: token #%s revoked\n", id_text.c_str());
  return 0;
}

// user contact NAME --email ADDRESS [--lang L]: where the account's notices go, in the language
// of the site at --source.
int SetContact(AccountService& accounts, const std::string& name,
               std::map<std::string, std::string>& values) {
  if (!values.count("--email")) return Usage("user contact needs --email ADDRESS (\"\" for none)");
  const std::string source = values.count("--source") ? values["--source"] : ".";
  Diagnostics diagnostics;
  auto config = LoadSiteConfig(DiskFileSystem(), JoinPath(source, "site/config.yaml"), &diagnostics);
  if (!config.ok()) return Failed(config.status());
  std::vector<std::string> languages;
  for (const auto& language : config->languages) languages.push_back(language.code);
  const std::string lang = values.count("--lang") ? values["--lang"] : "";
  if (!Reported({}, accounts.SetContact("command line", name, values["--email"], lang, languages))) {
    return 1;
  }
  std::printf("clemency: %s's notices go to %s\n", name.c_str(),
              values["--email"].empty() ? "nobody" : values["--email"].c_str());
  return 0;
}

}  // namespace

// user add|list|disable|contact: editors' accounts in the store.
int UserCommand(const std::string& db_path, const std::vector<std::string>& arguments,
                std::map<std::string, std::string>& values) {
  const std::string action = arguments.empty() ? "" : arguments[0];
  const size_t expected = action == "list" ? 1 : 2;
  if ((action != "add" && action != "list" && action != "disable" && action != "contact") ||
      arguments.size() != expected) {
    return Usage("expected: clemency user add NAME --role ROLE | user list | user disable NAME | "
                 "user contact NAME --email ADDRESS [--lang L]");
  }
  auto store = OpenStore(db_path);
  if (!store.ok()) return Failed(store.status());
  AccountService accounts(store->get());
  const std::string now = Now(0).ToRfc3339();
  if (action == "list") {
    auto users = accounts.ListUsers();
    if (!users.ok()) return Failed(users.status());
    for (const UserRow& u : *users) {
      std::printf("%-24s %-10s %s%s\n", u.name.c_str(), u.role.c_str(),
                  u.disabled_at.empty() ? "active" : ("disabled " + u.disabled_at).c_str(),
                  u.email.empty() ? "" : ("  " + u.email + (u.lang.empty() ? "" : " (" + u.lang + ")")).c_str());
    }
    return 0;
  }
  const std::string& name = arguments[1];
  if (action == "contact") return SetContact(accounts, name, values);
  if (action == "disable") {
    if (!Reported({}, accounts.DisableUser("command line", name, now))) return 1;
    std::printf("clemency: %s is disabled\n", name.c_str());
    return 0;
  }
  if (!values.count("--role")) return Usage("user add needs --role editor|publisher|admin");
  auto password = ReadNewPassword(name);
  if (!password.ok()) return Failed(password.status());
  if (!Reported({}, accounts.CreateUser("command line", name, values["--role"], *password, now))) {
    return 1;
  }
  std::printf("clemency: account %s (%s) added to %s\n", name.c_str(), values["--role"].c_str(),
              db_path.c_str());
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
  AccountService accounts(store->get());
  if (action == "list") return ListTokens(accounts);
  if (action == "revoke") return RevokeToken(accounts, arguments[1]);
  const std::string label = values.count("--label") ? values["--label"] : "";
  auto token = accounts.CreateToken("command line", arguments[1], label, Now(0).ToRfc3339());
  if (!token.ok()) return Failed(token.status());
  std::printf("%s\n", token->c_str());
  std::fprintf(stderr, "clemency: token for %s made; it is shown only this once\n",
               arguments[1].c_str());
  return 0;
}

}  // namespace clemency::cli
