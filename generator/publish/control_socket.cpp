#include "publish/control_socket.h"

#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <vector>

namespace clemency {
namespace {

constexpr size_t kMaxMessage = 16u << 20;  // a content file is at most a few MiB

bool FillAddress(const std::string& path, sockaddr_un* address) {
  std::memset(address, 0, sizeof *address);
  address->sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address->sun_path) return false;
  std::memcpy(address->sun_path, path.data(), path.size());
  return true;
}

bool SendAll(int fd, const std::string& bytes) {
  for (size_t sent = 0; sent < bytes.size();) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Waits until `fd` has bytes to read or `deadline` passes; false on the deadline.
bool WaitReadable(int fd, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd one{fd, POLLIN, 0};
    int ready = ::poll(&one, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0;
  }
}

// Reads one frame ("<length>\n<message>") that must arrive whole within `seconds`; nullopt on a
// closed, slow or oversized peer (a byte now and then does not keep it waiting longer).
std::optional<std::string> ReceiveFrame(int fd, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::string buffer;
  size_t need = 0, header = 0;
  char chunk[65536];
  while (header == 0 || buffer.size() < header + need) {
    if (!WaitReadable(fd, deadline)) return std::nullopt;
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    buffer.append(chunk, static_cast<size_t>(n));
    if (header == 0) {
      size_t newline = buffer.find('\n');
      if (newline == std::string::npos) {
        if (buffer.size() > 20) return std::nullopt;
        continue;
      }
      const std::string digits = buffer.substr(0, newline);
      if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
          digits.size() > 9) {
        return std::nullopt;
      }
      need = std::stoul(digits);
      header = newline + 1;
      if (need > kMaxMessage) return std::nullopt;
    }
  }
  return buffer.substr(header, need);
}

// The account on the other end of a Unix socket, as the kernel knows it.
ControlPeer PeerOf(int fd) {
  ControlPeer peer;
  ucred credentials{};
  socklen_t size = sizeof credentials;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) return peer;
  peer.uid = static_cast<long>(credentials.uid);
  peer.user = SystemUserName(peer.uid);
  return peer;
}

void SetTimeout(int fd, int seconds) {
  timeval tv{seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

std::string Frame(const ControlMessage& message) {
  std::string body = EncodeControlMessage(message);
  return std::to_string(body.size()) + "\n" + body;
}

}  // namespace

std::string SystemUserName(long uid) {
  passwd entry{}, *found = nullptr;
  std::vector<char> buffer(16384);
  if (uid >= 0 && ::getpwuid_r(static_cast<uid_t>(uid), &entry, buffer.data(), buffer.size(),
                               &found) == 0 && found) {
    return found->pw_name;
  }
  return "uid " + std::to_string(uid);
}

std::string ControlSocketPath(const std::string& db_path) {
  std::string path = std::filesystem::absolute(db_path).lexically_normal().string() + ".sock";
  sockaddr_un address;
  return FillAddress(path, &address) ? path : std::string();
}

std::string EncodeControlMessage(const ControlMessage& message) {
  std::string out;
  for (const auto& [name, value] : message) {
    out += name + " " + std::to_string(value.size()) + "\n" + value;
  }
  return out + "\n";
}

std::optional<ControlMessage> DecodeControlMessage(const std::string& bytes) {
  ControlMessage out;
  size_t at = 0;
  while (at < bytes.size() && bytes[at] != '\n') {
    size_t space = bytes.find(' ', at), newline = bytes.find('\n', at);
    if (space == std::string::npos || newline == std::string::npos || space > newline) {
      return std::nullopt;
    }
    const std::string digits = bytes.substr(space + 1, newline - space - 1);
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    const size_t length = std::stoul(digits);
    if (newline + 1 + length > bytes.size()) return std::nullopt;
    out[bytes.substr(at, space - at)] = bytes.substr(newline + 1, length);
    at = newline + 1 + length;
  }
  if (at + 1 != bytes.size()) return std::nullopt;  // exactly one closing newline
  return out;
}

Status ControlServer::Start(const std::string& path, Handler handler) {
  sockaddr_un address;
  if (!FillAddress(path, &address)) return Status::Error("no control socket: the path is too long");
  if (auto answer = CallControl(path, {{"op", "ping"}}); answer.ok() && answer->has_value()) {
    return Status::Error("another serve already publishes through " + path);
  }
  ::unlink(path.c_str());  // left by a process that no longer runs
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(std::string("cannot create a socket: ") + std::strerror(errno));
  // Owner only from the start: the mode a socket file gets comes from the umask at bind().
  mode_t old_mask = ::umask(0077);
  int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::umask(old_mask);
  if (bound != 0 || ::listen(fd, 16) != 0) {
    Status error = Status::Error("cannot listen at " + path + ": " + std::strerror(errno));
    ::close(fd);
    return error;
  }
  path_ = path;
  handler_ = std::move(handler);
  listener_ = fd;
  thread_ = std::thread([this] { AcceptLoop(); });
  return Status::Ok();
}

void ControlServer::AcceptLoop() {
  for (;;) {
    int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0 && errno == EINTR) continue;
    if (client < 0) return;  // Stop() shut the listener down
    std::unique_lock<std::mutex> lock(mutex_);
    if (active_ >= kMaxClients) {
      lock.unlock();
      SetTimeout(client, 1);
      SendAll(client, Frame({{"status", "error"},
                             {"message", "serve is answering other requests; try again"}}));
      ::close(client);
      continue;
    }
    ++active_;
    lock.unlock();
    std::thread([this, client] {
      Serve(client);
      ::close(client);
      std::lock_guard<std::mutex> done(mutex_);
      if (--active_ == 0) idle_.notify_all();
    }).detach();
  }
}

void ControlServer::Serve(int client) {
  SetTimeout(client, kMessageSeconds);  // for sending the answer
  const ControlPeer peer = PeerOf(client);
  auto frame = ReceiveFrame(client, kMessageSeconds);
  if (!frame) return;
  auto request = DecodeControlMessage(*frame);
  ControlMessage answer = request ? handler_(*request, peer)
                                  : ControlMessage{{"status", "error"},
                                                   {"message", "malformed request"}};
  SendAll(client, Frame(answer));
}

void ControlServer::Stop() {
  if (listener_ < 0) return;
  ::shutdown(listener_, SHUT_RDWR);
  if (thread_.joinable()) thread_.join();
  {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return active_ == 0; });
  }
  ::close(listener_);
  listener_ = -1;
  ::unlink(path_.c_str());
}

Result<std::optional<ControlMessage>> CallControl(const std::string& path,
                                                  const ControlMessage& request) {
  sockaddr_un address;
  if (!FillAddress(path, &address)) return std::optional<ControlMessage>();
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(std::string("cannot create a socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    int error = errno;
    ::close(fd);
    if (error == ENOENT || error == ECONNREFUSED) return std::optional<ControlMessage>();
    return Status::Error("cannot reach serve at " + path + ": " + std::strerror(error));
  }
  SetTimeout(fd, 120);  // a publish that re-renders the whole site takes a while
  std::optional<std::string> frame;
  if (SendAll(fd, Frame(request))) frame = ReceiveFrame(fd, 300);
  ::close(fd);
  if (!frame) return Status::Error("serve at " + path + " did not answer");
  auto answer = DecodeControlMessage(*frame);
  if (!answer) return Status::Error("serve at " + path + " gave a malformed answer");
  return std::optional<ControlMessage>(std::move(*answer));
}

}  // namespace clemency
