#pragma once
// A local (Unix domain) socket beside the store through which `clemency publish` asks a running
// `serve` to publish: the change is checked against the site serve holds and goes live before
// the command returns, instead of the command loading the whole site to check it and serve
// noticing the new revision later. Only the owner of the store may connect (mode 0600).
// A message is a set of named fields: "<name> <length>\n<bytes>" each, then one "\n".
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "core/status.h"

namespace clemency {

using ControlMessage = std::map<std::string, std::string>;

// The socket of the store at `db_path` ("<db_path>.sock", absolute), or "" when that path is too
// long for a Unix socket address.
std::string ControlSocketPath(const std::string& db_path);

class ControlServer {
 public:
  using Handler = std::function<ControlMessage(const ControlMessage& request)>;
  ~ControlServer() { Stop(); }
  // Listens at `path` and answers each request with `handler`, one at a time, on a thread of
  // its own. Refused when another process already listens there; a socket file left by a
  // process that died is replaced.
  Status Start(const std::string& path, Handler handler);
  // Stops listening and removes the socket file.
  void Stop();

 private:
  void Serve(int client) const;
  std::string path_;
  Handler handler_;
  int listener_ = -1;
  std::thread thread_;
};

// Sends `request` to the server listening at `path` and returns its answer; nullopt when no
// server listens there.
Result<std::optional<ControlMessage>> CallControl(const std::string& path,
                                                  const ControlMessage& request);

// The wire format, exposed for tests. Decode returns nullopt for a malformed message.
std::string EncodeControlMessage(const ControlMessage& message);
std::optional<ControlMessage> DecodeControlMessage(const std::string& bytes);

}  // namespace clemency
