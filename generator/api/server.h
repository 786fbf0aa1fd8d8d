#pragma once
// The HTTP server: the built site's static files (and, later, the JSON API and the admin).
// The only module that includes httplib.h.
#include <functional>
#include <string>

#include "core/status.h"

namespace clemency {

struct ServerOptions {
  std::string public_dir;
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string default_language = "vi";
  // Called once the socket listens (with the bound port), e.g. to print the address.
  std::function<void(int port)> on_listening;
};

// Serves until SIGINT/SIGTERM, then finishes in-flight requests and returns.
Status Serve(const ServerOptions& options);

// The Content-Type for a file name.
std::string ContentTypeFor(const std::string& path);

}  // namespace clemency
