#include "api/server.h"

#include <httplib.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace clemency {
namespace fs = std::filesystem;
namespace {

httplib::Server* g_server = nullptr;

void HandleSignal(int) {
  if (g_server) g_server->stop();
}

bool ReadWholeFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *out = buffer.str();
  return true;
}

// Maps a request path to a file under `root`, or returns false when it would escape it.
bool ResolveStaticPath(const fs::path& root, const std::string& request_path, fs::path* out) {
  if (request_path.empty() || request_path.front() != '/' ||
      request_path.find('\0') != std::string::npos ||
      request_path.find('\\') != std::string::npos) {
    return false;
  }
  fs::path relative;
  size_t start = 1;
  while (start <= request_path.size()) {
    size_t slash = request_path.find('/', start);
    std::string part =
        request_path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == ".." || part == ".") return false;
    if (!part.empty()) relative /= part;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  fs::path candidate = root / relative;
  std::error_code ec;
  if (fs::is_directory(candidate, ec)) candidate /= "index.html";
  *out = candidate;
  return true;
}

}  // namespace

std::string ContentTypeFor(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".atom", "application/atom+xml; charset=utf-8"},
      {".rss", "application/rss+xml; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
  };
  if (path.size() >= 10 && path.compare(path.size() - 10, 10, "/feed.json") == 0) {
    return "application/feed+json; charset=utf-8";
  }
  for (const auto& [suffix, type] : kTypes) {
    size_t n = std::strlen(suffix);
    if (path.size() >= n && path.compare(path.size() - n, n, suffix) == 0) return type;
  }
  return "application/octet-stream";
}

Status Serve(const ServerOptions& options) {
  httplib::Server server;
  const fs::path root = fs::absolute(options.public_dir);

  server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
    res.set_header("Content-Security-Policy", "default-src 'self'");
  });
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    std::fprintf(stderr, "%s %s %d %zu\n", req.method.c_str(), req.path.c_str(), res.status,
                 res.body.size());
  });

  auto serve_file = [root, options](const httplib::Request& req, httplib::Response& res) {
    fs::path file;
    std::string body;
    if (ResolveStaticPath(root, req.path, &file) && fs::is_regular_file(file) &&
        ReadWholeFile(file, &body)) {
      // A directory URL without its slash gets one, so relative links keep working.
      if (req.path.back() != '/' && fs::is_directory(root / req.path.substr(1))) {
        res.status = 301;
        res.set_header("Location", req.path + "/");
        return;
      }
      res.set_content(body, ContentTypeFor(file.string()));
      return;
    }
    // The 404 page of the language the path starts with.
    std::string lang = options.default_language;
    if (req.path.size() > 3 && req.path[0] == '/' && req.path.find('/', 1) != std::string::npos) {
      std::string first = req.path.substr(1, req.path.find('/', 1) - 1);
      if (fs::is_regular_file(root / first / "404.html")) lang = first;
    }
    std::string not_found;
    if (!ReadWholeFile(root / lang / "404.html", &not_found)) not_found = "Not found\n";
    res.status = 404;
    res.set_content(not_found, "text/html; charset=utf-8");
  };
  server.Get(".*", serve_file);

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.bind);
  } else if (!server.bind_to_port(options.bind, port)) {
    port = -1;
  }
  if (port < 0) {
    return Status::Error("cannot listen on " + options.bind + ":" + std::to_string(options.port));
  }
  g_server = &server;
  std::signal(SIGINT, HandleSignal);
  std::signal(SIGTERM, HandleSignal);
  if (options.on_listening) options.on_listening(port);
  bool ok = server.listen_after_bind();
  g_server = nullptr;
  return ok ? Status::Ok() : Status::Error("server stopped with an error");
}

}  // namespace clemency
