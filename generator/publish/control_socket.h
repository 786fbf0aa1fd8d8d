#pragma once
// A local (Unix domain) socket beside the store through which `clemency publish` asks a running
// `serve` to publish: the change is checked against the site serve holds and goes live before
// the command returns, instead of the command loading the whole site to check it and serve
// noticing the new revision later. Only the owner of the store may connect (mode 0600).
// A message is a set of named fields: "<name> <length>\n<bytes>" each, then one "\n".
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/status.h"

namespace clemency {

using ControlMessage = std::map<std::string, std::string>;

// The socket of the store at `db_path` ("<db_path>.sock", absolute), or "" when that path is too
// long for a Unix socket address.
std::string ControlSocketPath(const std::string& db_path);

// Who is on the other end of a connection, from the kernel (SO_PEERCRED), never from the message.
struct ControlPeer {
  long uid = -1;
  std::string user;  // the operating-system account's name, or "uid N" when it has none
};

// The name of the operating-system account `uid`, or "uid N" when it has none.
std::string SystemUserName(long uid);

class ControlServer {
 public:
  using Handler = std::function<ControlMessage(const ControlMessage& request, const ControlPeer& peer)>;
  ~ControlServer() { Stop(); }
  // Listens at `path` and answers each request with `handler`, each client on a thread of its
  // own (at most kMaxClients at once; more are told to retry), so a slow client holds up no one.
  // A client has kMessageSeconds to send its whole request. Refused when another process already
  // listens there; a socket file left by a process that died is replaced.
  Status Start(const std::string& path, Handler handler);
  // Stops listening, waits for the clients being answered, and removes the socket file.
  void Stop();

  static constexpr int kMaxClients = 8;
  static constexpr int kMessageSeconds = 10;

 private:
  void AcceptLoop();
  void Serve(int client);
  std::string path_;
  Handler handler_;
  int listener_ = -1;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable idle_;
  int active_ = 0;  // clients being answered
};

// Sends `request` to the server listening at `path` and returns its answer; nullopt when no
// server listens there.
Result<std::optional<ControlMessage>> CallControl(const std::string& path,
                                                  const ControlMessage& request);

// The wire format, exposed for tests. Decode returns nullopt for a malformed message.
std::string EncodeControlMessage(const ControlMessage& message);
std::optional<ControlMessage> DecodeControlMessage(const std::string& bytes);

}  // namespace clemency
