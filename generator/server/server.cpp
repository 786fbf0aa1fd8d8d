#include "server/server.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "server/editor.h"
#include "core/site_paths.h"
#include "http/guarded_server.h"
#include "http/http.h"
#include "public_api/public_api.h"
#include "public_api/search_route.h"
#include "public_api/selfcheck_route.h"
#include "http/static_files.h"
#include "websub/hub.h"
#include "websub/hub_route.h"

namespace clemency {
namespace {

std::atomic<httplib::Server*> g_server{nullptr};
std::atomic<int> g_listen_fd{-1};
std::atomic<bool> g_stop_requested{false};

// httplib's stop() does nothing until its accept loop has started, so a SIGTERM that came just
// after "Serving on" was lost and serve ran on. Shutting the listening socket down instead makes
// accept() return at once, whether it is waiting already or called later; httplib then finishes
// the requests in flight and listen_after_bind() returns.
void HandleSignal(int) {
  g_stop_requested = true;
  const int fd = g_listen_fd.load();
  if (fd >= 0) {
    ::shutdown(fd, SHUT_RDWR);
  } else if (httplib::Server* server = g_server.load()) {
    server->stop();
  }
}

// Requests by route and status, and a latency histogram, in Prometheus text format.
class Metrics {
 public:
  static constexpr std::array<double, 9> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                     0.025,  0.05,  0.1,    0.5};
  void Record(const std::string& route, int status, double seconds) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_[{route, status}];
    auto& histogram = latency_[route];
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      if (seconds <= kBuckets[i]) ++histogram.counts[i];
    }
    ++histogram.count;
    histogram.sum += seconds;
  }
  std::string Render(const BuildInfo& build) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string out;
    out += "# HELP clemency_http_requests_total HTTP requests by route and status.\n";
    out += "# TYPE clemency_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      out += "clemency_http_requests_total{route=\"" + key.first + "\",status=\"" +
             std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
    }
    out += "# HELP clemency_http_request_duration_seconds Time to answer a request.\n";
    out += "# TYPE clemency_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      std::string label = "route=\"" + route + "\"";
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        char le[32];
        std::snprintf(le, sizeof le, "%g", kBuckets[i]);
        out += "clemency_http_request_duration_seconds_bucket{" + label + ",le=\"" + le + "\"} " +
               std::to_string(h.counts[i]) + "\n";
      }
      out += "clemency_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
             std::to_string(h.count) + "\n";
      char sum[48];
      std::snprintf(sum, sizeof sum, "%.6f", h.sum);
      out += "clemency_http_request_duration_seconds_sum{" + label + "} " + sum + "\n";
      out += "clemency_http_request_duration_seconds_count{" + label + "} " +
             std::to_string(h.count) + "\n";
    }
    char seconds[48];
    std::snprintf(seconds, sizeof seconds, "%.6f", build.seconds);
    out += "# HELP clemency_build_duration_seconds Duration of the site build at start.\n";
    out += "# TYPE clemency_build_duration_seconds gauge\n";
    out += std::string("clemency_build_duration_seconds ") + seconds + "\n";
    out += "# HELP clemency_pages Pages written by the build at start, per language.\n";
    out += "# TYPE clemency_pages gauge\n";
    for (const auto& [lang, count] : build.pages_per_language) {
      out += "clemency_pages{lang=\"" + lang + "\"} " + std::to_string(count) + "\n";
    }
    return out;
  }

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

// Route label for metrics: API paths by endpoint, everything else by kind of file.
std::string RouteOf(const httplib::Request& req) {
  static const char* const kFixed[] = {
      "/api/v1/languages",    "/api/v1/pages", "/api/v1/support", "/api/v1/support.csv",
      "/api/v1/openapi.json", "/healthz",      "/readyz",         "/metrics"};
  const std::string& p = req.path;
  for (const char* route : kFixed) {
    if (p == route) return route;
  }
  if (p.rfind("/api/v1/pages/", 0) == 0) return "/api/v1/pages/{section}/{slug}";
  if (p.rfind("/api/v1/editor/", 0) == 0) return "/api/v1/editor";
  if (p == "/admin" || p.rfind("/admin/", 0) == 0) return "/admin";
  if (p.rfind("/api/", 0) == 0) return "/api/other";
  if (p == paths::kWebSubHub) return "/websub";
  auto ends_with = [&p](const char* suffix) {
    size_t n = std::strlen(suffix);
    return p.size() >= n && p.compare(p.size() - n, n, suffix) == 0;
  };
  if (ends_with("/feed.atom") || ends_with("/feed.rss") || ends_with("/feed.json")) return "feed";
  return "static";
}

thread_local std::chrono::steady_clock::time_point t_request_start;

}  // namespace

void RequestStop() { HandleSignal(0); }

namespace {

// The request's body when no route takes one: refused with 413 before it is read, and the
// connection closes (its unread bytes cannot be the next request).
bool RefuseBody(const httplib::Request& req, httplib::Response& res, size_t max_body_bytes,
                size_t editor_max_body_bytes, bool hub) {
  if (editor_max_body_bytes > 0 && IsEditorPath(req.path)) max_body_bytes = editor_max_body_bytes;
  if (hub && req.path == paths::kWebSubHub) max_body_bytes = websub::kMaxHubRequestBytes;
  bool chunked = req.has_header("Transfer-Encoding");
  uint64_t length = 0;
  if (req.has_header("Content-Length")) {
    const std::string& text = req.get_header_value("Content-Length");
    length = text.size() > 18 ? UINT64_MAX : std::strtoull(text.c_str(), nullptr, 10);
  }
  bool takes_body = req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
  if (!chunked && length == 0) return false;
  if (takes_body && !chunked && length <= max_body_bytes) return false;
  if (takes_body && chunked && max_body_bytes > 0) return false;  // httplib counts as it reads
  http::SendProblem(res, 413,
                    takes_body ? "the request body is larger than " +
                                     std::to_string(max_body_bytes) + " bytes"
                               : req.method + " requests take no body");
  res.set_header("Connection", "close");
  GuardedServer::CloseAfterResponse();
  return true;
}

// Ranges are answered by StaticFiles, clamped to the file; httplib's own range code does not
// clamp them, so it never sees one. A ranged response is of the unencoded file.
void TakeRanges(httplib::Request& req) {
  req.ranges.clear();
  if (req.has_header("Range")) req.headers.erase("Accept-Encoding");
}

void InstallHooks(GuardedServer& server, std::shared_ptr<Metrics> metrics,
                  const ServerOptions& options) {
  size_t max_body = options.max_body_bytes;
  // The editor side takes page files; every other route keeps the server's own limit.
  size_t editor_max_body = options.workflow ? EditorMaxBodyBytes(*options.config) : 0;
  server.request_setup = TakeRanges;
  const bool hub = options.hub != nullptr;
  server.set_payload_max_length(
      std::max({max_body, editor_max_body, hub ? websub::kMaxHubRequestBytes : size_t{0}}));
  server.set_pre_routing_handler([max_body, editor_max_body, hub](const httplib::Request& req,
                                                                  httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    if (RefuseBody(req, res, max_body, editor_max_body, hub)) {
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "OPTIONS" && IsEditorPath(req.path)) {  // no other origin may call it
      res.status = 204;
      res.set_header("Cache-Control", "no-store");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "OPTIONS") {  // CORS preflight: GET only
      res.status = 204;
      res.set_header("Access-Control-Allow-Origin", "*");
      res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since");
      res.set_header("Access-Control-Max-Age", "86400");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
    // The admin's pages set their own, stricter policy (and its preview one that allows the
    // admin to frame it); two policies would both apply.
    if (!res.has_header("Content-Security-Policy")) {
      res.set_header("Content-Security-Policy", "default-src 'self'");
    }
    if (IsEditorPath(req.path)) {
      // Signed-in answers: never stored, never readable by another origin.
      if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
    } else if (req.path.rfind("/api/", 0) == 0) {
      res.set_header("Access-Control-Allow-Origin", "*");
      res.set_header("Access-Control-Expose-Headers", "ETag, Link");
      if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "public, max-age=60");
    }
  });
  bool log_requests = options.log_requests;
  server.set_logger([metrics, log_requests](const httplib::Request& req,
                                            const httplib::Response& res) {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_request_start).count();
    metrics->Record(RouteOf(req), res.status, seconds);
    if (log_requests) {
      // The path only, never the query string: a self-check's answers are the reader's own.
      std::fprintf(stderr, "%s %s %d %zu %.2fms\n", http::ForLog(req.method).c_str(),
                   http::ForLog(req.path).c_str(), res.status,
                   res.body.empty() ? res.content_length_ : res.body.size(), seconds * 1000.0);
    }
  });
  server.on_refused = [metrics, log_requests](int status) {
    metrics->Record("refused", status, 0);
    if (log_requests) std::fprintf(stderr, "- - %d 0 -\n", status);
  };
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    // Errors found by the parser itself (bad request line, unsupported method…) stay short.
    if (res.status == 404 && res.body.empty()) return;
    if (res.body.empty()) http::SendProblem(res, res.status, "the request could not be handled");
  });
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        std::fprintf(stderr, "server: unexpected error on %s\n", http::ForLog(req.path).c_str());
        http::SendProblem(res, 500, "unexpected server error");
      });
}

void RegisterOperations(GuardedServer& server, std::shared_ptr<Metrics> metrics,
                        std::shared_ptr<StaticFiles> files, const ServerOptions& options) {
  const BuildInfo build = options.build;
  Store* store = options.store;
  const std::string public_dir = options.public_dir;
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content("ok\n", "text/plain; charset=utf-8");
  });
  server.Get("/readyz", [store, public_dir, build](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    struct stat info;
    bool site = build.built && stat((public_dir + "/index.html").c_str(), &info) == 0;
    Status store_ok = store ? store->CheckHealth() : Status::Error("the store is not open");
    if (!site || !store_ok.ok()) {
      return http::SendProblem(res, 503,
                               (store_ok.ok() ? "" : store_ok.message() + "; ") +
                                   (site ? "" : "the site is not built"));
    }
    res.set_content("ready\n", "text/plain; charset=utf-8");
  });
  auto publish_info = options.publish_info;
  websub::Hub* hub = options.hub;
  server.Get("/metrics", [metrics, build, files, publish_info, hub](const httplib::Request&,
                                                                    httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    std::string out = metrics->Render(build);
    out += "# HELP clemency_static_file_reads_total Files read from public/ into the cache.\n";
    out += "# TYPE clemency_static_file_reads_total counter\n";
    out += "clemency_static_file_reads_total " + std::to_string(files->files_read()) + "\n";
    if (publish_info) {
      const PublishInfo info = publish_info();
      char seconds[48];
      std::snprintf(seconds, sizeof seconds, "%.6f", info.last_seconds);
      out += "# HELP clemency_publishes_total Changes republished while serving.\n";
      out += "# TYPE clemency_publishes_total counter\n";
      out += "clemency_publishes_total " + std::to_string(info.publishes) + "\n";
      out += "# HELP clemency_last_publish_duration_seconds The last republish, plan to swap.\n";
      out += "# TYPE clemency_last_publish_duration_seconds gauge\n";
      out += std::string("clemency_last_publish_duration_seconds ") + seconds + "\n";
    }
    if (hub) out += hub->Metrics();
    res.set_content(out, "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace

Status Serve(const ServerOptions& options) {
  if (!options.config) return Status::Error("server: no site configuration");
  ConnectionLimits limits;
  limits.max_threads = static_cast<size_t>(options.threads);
  GuardedServer server(limits);
  // Headers and body go out in separate writes: without TCP_NODELAY, Nagle and delayed ACKs add
  // ~40 ms to every small response on a kept-alive connection.
  server.set_tcp_nodelay(true);
  // What the Keep-Alive response header announces; GuardedServer keeps to the same numbers.
  server.set_keep_alive_max_count(limits.max_requests_per_connection);
  server.set_keep_alive_timeout(
      std::chrono::duration_cast<std::chrono::seconds>(limits.idle_timeout).count());
  auto metrics = std::make_shared<Metrics>();
  auto files = std::make_shared<StaticFiles>(options.public_dir, options.config->default_language);
  InstallHooks(server, metrics, options);
  RegisterOperations(server, metrics, files, options);
  // Before the public API, whose /api/.* catch-all would answer the editor API's paths.
  if (options.workflow) {
    if (Status s = RegisterEditor(server, options); !s.ok()) return s;
  }
  StaticHandler serve_file = [files](const httplib::Request& req, httplib::Response& res) {
    files->Handle(req, res);
  };
  if (options.hub) websub::RegisterHubRoute(server, options.hub);
  // Before the public API's /api/.* catch-all.
  if (options.store) RegisterSearch(server, *options.config, options.store, serve_file);
  if (options.store) RegisterPublicApi(server, *options.config, options.store);
  if (options.selfcheck) RegisterSelfCheck(server, *options.config, *options.selfcheck, serve_file);
  RegisterLanguageChoice(server, *options.config, serve_file);
  server.Get(".*", serve_file);

  // httplib listens with a backlog of 5: under a burst of new connections the kernel drops SYNs
  // and clients wait a 1 s retransmit (measured: p99 ~1 s at 64 connections). Keep the listening
  // socket and widen its backlog once bound.
  std::atomic<int> listen_fd{-1};
  server.set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.bind);
  } else if (!server.bind_to_port(options.bind, port)) {
    port = -1;
  }
  if (port < 0) {
    return Status::Error("cannot listen on " + options.bind + ":" + std::to_string(options.port));
  }
  if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);
  g_stop_requested = false;
  g_listen_fd = listen_fd.load();
  g_server = &server;
  std::signal(SIGINT, HandleSignal);
  std::signal(SIGTERM, HandleSignal);
  if (options.on_listening) options.on_listening(port);
  // A stop shuts the socket down under httplib, which reports that as an error: it is not one.
  bool ok = server.listen_after_bind() || g_stop_requested;
  g_server = nullptr;
  g_listen_fd = -1;
  return ok ? Status::Ok() : Status::Error("server stopped with an error");
}

}  // namespace clemency
