#pragma once
// The HTTP server: the built site's static files, its feeds, the public JSON API and operations
// endpoints, with the editor side when given a workflow. It composes the http, public_api,
// editor_api and admin modules (the modules that include httplib.h; zlib.h only in http).
#include <functional>
#include <map>
#include <string>

#include "config/site_config.h"
#include "core/status.h"
#include "selfcheck/rules.h"
#include "store/store.h"

namespace clemency {
class Workflow;
class SessionTable;
class LoginLimiter;
namespace websub {
class Hub;
}
}  // namespace clemency

namespace clemency {

// What the server reports about the last build (for /readyz and /metrics).
struct BuildInfo {
  bool built = false;
  double seconds = 0;
  std::map<std::string, size_t> pages_per_language;
};

// What serve has published since it started (for /metrics), as the publish path reports it.
struct PublishInfo {
  uint64_t publishes = 0;    // changes republished: publishes through serve and store changes
  double last_seconds = 0;   // the last republish, plan to swap
};

struct ServerOptions {
  std::string public_dir;
  std::string bind = "127.0.0.1";
  int port = 8080;
  // The most request threads. A connection holds one while it is open (up to 20 requests, 2 s
  // idle), so threads start as connections arrive and leave after 10 s idle; when all are busy,
  // idle kept-alive connections are closed first. With fewer threads than busy connections the
  // rest wait their turn: at 64 connections on 2 cores, 8 threads gave p99 90 ms, 64 gave 4 ms.
  int threads = 1024;
  // The largest request body accepted (413 beyond); no route takes a body yet.
  size_t max_body_bytes = 0;
  const SiteConfig* config = nullptr;  // required
  Store* store = nullptr;              // required for the API
  // The self-check's rules, for its computed question (none: the static pages only).
  const selfcheck::RuleSet* selfcheck = nullptr;
  BuildInfo build;  // the build at start
  // When set, /metrics also reports what was published since (serve's LiveSite).
  std::function<PublishInfo()> publish_info;
  // The editor side: /admin and /api/v1/editor/ (none when null). serve turns it off on an
  // address other than loopback unless told TLS is in front (`--behind-tls`).
  Workflow* workflow = nullptr;
  SessionTable* sessions = nullptr;  // required with a workflow
  LoginLimiter* login_limiter = nullptr;  // required with a workflow
  // Cookies get the Secure attribute (serve --behind-tls: readers reach it over HTTPS).
  bool secure_cookies = false;
  bool log_requests = true;
  // serve's WebSub hub, answering POST /websub (none: no hub, and the route is not found).
  websub::Hub* hub = nullptr;
  // Called once the socket listens (with the bound port), e.g. to print the address.
  std::function<void(int port)> on_listening;
};

// Serves until SIGINT/SIGTERM (or RequestStop()), finishes in-flight requests, then returns.
Status Serve(const ServerOptions& options);
// Asks a running Serve() to stop, as SIGTERM does.
void RequestStop();

}  // namespace clemency
