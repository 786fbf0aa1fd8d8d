#include "http/guarded_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <thread>

#include "http/http.h"

namespace clemency {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kIdleThreadLife = std::chrono::seconds(10);
// How often a waiting connection looks at the server's state (stopping, pool full).
constexpr auto kSlice = std::chrono::milliseconds(100);
// A head still incomplete after this long is dropped while the pool is full.
constexpr auto kSlowHeadUnderPressure = std::chrono::milliseconds(1000);

thread_local bool t_close_after_response = false;

// Waits up to `timeout` for `events` on `sock`: >0 ready, 0 timed out, <0 error.
int WaitFor(socket_t sock, short events, std::chrono::milliseconds timeout) {
  struct pollfd pfd = {sock, events, 0};
  int rc;
  do {
    rc = ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(0, timeout.count())));
  } while (rc < 0 && errno == EINTR);
  if (rc > 0 && (pfd.revents & (POLLERR | POLLNVAL))) return -1;
  return rc;
}

std::chrono::milliseconds Until(Clock::time_point deadline) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
}

void AddressOf(int (*query)(int, sockaddr*, socklen_t*), socket_t sock, std::string& ip,
               int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (query(sock, reinterpret_cast<sockaddr*>(&address), &length) != 0) return;
  char text[INET6_ADDRSTRLEN] = "";
  if (address.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    port = ntohs(in->sin_port);
  } else if (address.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
    port = ntohs(in6->sin6_port);
  }
  ip = text;
}

enum class Head { kReady, kClosed, kTimedOut, kTooLarge, kShed };

// One connection's socket with a read buffer that outlives a request, so bytes read past one
// request (a pipelined next request) are the start of the next. httplib reads request lines a
// byte at a time and bodies by length, so it never takes more than its request from here.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(socket_t sock, const ConnectionLimits& limits) : sock_(sock), limits_(limits) {}

  // Reads until a whole request head is buffered. `first` selects the wait for a new connection
  // (head_timeout) rather than a kept-alive one (idle_timeout). While waiting, `give_up` is asked
  // with how long ago the head's first byte came (or nullopt before it) whether to stop.
  using GiveUp = std::function<bool(std::optional<Clock::duration> head_age)>;
  Head ReadHead(bool first, const GiveUp& give_up);
  // Reads of the body must end by this time.
  void SetDeadline(Clock::time_point deadline) { deadline_ = deadline; }
  bool Buffered() const { return pos_ < buffer_.size(); }

  bool is_readable() const override {
    return Buffered() || WaitFor(sock_, POLLIN, limits_.io_timeout) > 0;
  }
  bool is_writable() const override { return WaitFor(sock_, POLLOUT, limits_.io_timeout) > 0; }
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(::getpeername, sock_, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(::getsockname, sock_, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  // The buffered head is complete: checks its size and header count.
  Head CheckHead(size_t end) const;
  ssize_t Receive(size_t want);  // appends up to `want` bytes from the socket to buffer_
  void Compact();                // drops the bytes already consumed

  socket_t sock_;
  const ConnectionLimits& limits_;
  std::string buffer_;
  size_t pos_ = 0;
  Clock::time_point deadline_ = Clock::time_point::max();
};

Head ConnectionStream::CheckHead(size_t end) const {
  if (end > limits_.max_head_bytes) return Head::kTooLarge;
  size_t lines =
      std::count(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(end), '\n');
  return lines > limits_.max_headers + 2 ? Head::kTooLarge : Head::kReady;
}

void ConnectionStream::Compact() {
  buffer_.erase(0, pos_);
  pos_ = 0;
}

ssize_t ConnectionStream::Receive(size_t want) {
  size_t old = buffer_.size();
  buffer_.resize(old + want);
  ssize_t n;
  do {
    n = ::recv(sock_, buffer_.data() + old, want, 0);
  } while (n < 0 && errno == EINTR);
  buffer_.resize(old + static_cast<size_t>(std::max<ssize_t>(n, 0)));
  return n;
}

Head ConnectionStream::ReadHead(bool first, const GiveUp& give_up) {
  Compact();
  Clock::time_point start = Clock::now();
  Clock::time_point deadline = start + (first ? limits_.head_timeout : limits_.idle_timeout);
  bool started = Buffered();
  if (started) deadline = start + limits_.head_timeout;
  size_t searched = 0;  // bytes of buffer_ already searched for the end of the head
  for (;;) {
    size_t end = buffer_.find("\r\n\r\n", std::max<size_t>(searched, 3) - 3);
    if (end != std::string::npos) return CheckHead(end + 4);
    if (buffer_.size() > limits_.max_head_bytes) return Head::kTooLarge;
    searched = buffer_.size();
    auto left = Until(deadline);
    if (left.count() <= 0) return started ? Head::kTimedOut : Head::kClosed;
    int ready = WaitFor(sock_, POLLIN, std::min<std::chrono::milliseconds>(left, kSlice));
    if (ready < 0) return Head::kClosed;
    if (ready == 0) {
      auto age = started ? std::optional<Clock::duration>(Clock::now() - start) : std::nullopt;
      if (give_up(age)) return started ? Head::kTimedOut : Head::kShed;
      continue;
    }
    if (Receive(4096) <= 0) return Head::kClosed;
    if (!started) {  // the head's deadline runs from its first byte
      started = true;
      start = Clock::now();
      deadline = start + limits_.head_timeout;
    }
  }
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (!Buffered()) {
    Compact();
    auto left = std::min(Until(deadline_), limits_.io_timeout);
    if (left.count() <= 0 || WaitFor(sock_, POLLIN, left) <= 0) return -1;
    if (Receive(std::max<size_t>(size, 4096)) <= 0) return -1;
  }
  size_t n = std::min(size, buffer_.size() - pos_);
  std::memcpy(ptr, buffer_.data() + pos_, n);
  pos_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (WaitFor(sock_, POLLOUT, limits_.io_timeout) <= 0) return -1;
  ssize_t n;
  do {
    n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

// A short error response written straight to the socket, for requests httplib never sees.
void WriteRefusal(ConnectionStream& stream, int status) {
  std::string body = http::ProblemJson(
      status, status == 431 ? "the request head is too large or has too many headers"
                            : "the request head did not arrive in time");
  std::string response = "HTTP/1.1 " + std::to_string(status) + " " + http::StatusTitle(status) +
                         "\r\nContent-Type: application/problem+json\r\nContent-Length: " +
                         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  for (size_t done = 0; done < response.size();) {
    ssize_t n = stream.write(response.data() + done, response.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

// Closes after a response while the client may still be sending (a refused body): stop writing,
// read and drop what arrives for a moment, so the close does not reset the connection before the
// client has read the response.
void CloseGently(socket_t sock) {
  ::shutdown(sock, SHUT_WR);
  const Clock::time_point until = Clock::now() + std::chrono::seconds(2);
  char sink[16384];
  size_t dropped = 0;
  while (dropped < (16u << 20)) {
    auto left = Until(until);
    if (left.count() <= 0 || WaitFor(sock, POLLIN, left) <= 0) break;
    ssize_t n = ::recv(sock, sink, sizeof sink, 0);
    if (n <= 0) break;
    dropped += static_cast<size_t>(n);
  }
  ::close(sock);
}

}  // namespace

void ElasticPool::enqueue(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  jobs_.push_back(std::move(fn));
  if (jobs_.size() > idle_ && threads_ < max_threads_) {
    ++threads_;
    std::thread([this] { Work(); }).detach();
  } else {
    wake_.notify_one();
  }
  UpdateSaturated();
}

void ElasticPool::UpdateSaturated() {
  saturated_.store(jobs_.size() > idle_ && threads_ >= max_threads_, std::memory_order_relaxed);
}

void ElasticPool::Work() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (jobs_.empty() && !stopping_) {
      ++idle_;
      bool woken =
          wake_.wait_for(lock, kIdleThreadLife, [this] { return !jobs_.empty() || stopping_; });
      --idle_;
      if (!woken) break;  // idle too long: leave
    }
    if (jobs_.empty()) break;  // stopping, nothing left to run
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    UpdateSaturated();
    lock.unlock();
    job();
    lock.lock();
  }
  // The last thing this thread does with the pool: shutdown() may destroy it once notified.
  --threads_;
  left_.notify_all();
}

void ElasticPool::shutdown() {
  std::unique_lock<std::mutex> lock(mutex_);
  stopping_ = true;
  wake_.notify_all();
  left_.wait(lock, [this] { return threads_ == 0; });
}

GuardedServer::GuardedServer(ConnectionLimits limits) : limits_(limits) {
  new_task_queue = [this] { return pool_ = new ElasticPool(limits_.max_threads); };
}

void GuardedServer::CloseAfterResponse() { t_close_after_response = true; }

bool GuardedServer::process_and_close_socket(socket_t sock) {
  ConnectionStream stream(sock, limits_);
  ElasticPool* pool = pool_;
  auto give_up = [this, pool](std::optional<Clock::duration> head_age) {
    if (svr_sock_ == INVALID_SOCKET) return true;  // the server is stopping
    if (!pool || !pool->saturated()) return false;
    // The pool is full: an idle connection goes first, then a slow head.
    return !head_age || *head_age > kSlowHeadUnderPressure;
  };
  bool gentle_close = false;
  for (size_t served = 0; served < limits_.max_requests_per_connection; ++served) {
    Head head = stream.ReadHead(served == 0, give_up);
    if (head == Head::kTooLarge || head == Head::kTimedOut) {
      int status = head == Head::kTooLarge ? 431 : 408;
      WriteRefusal(stream, status);
      if (on_refused) on_refused(status);
      gentle_close = true;
      break;
    }
    if (head != Head::kReady) break;
    stream.SetDeadline(Clock::now() + limits_.body_timeout);
    bool last = served + 1 == limits_.max_requests_per_connection;
    bool client_closes = false;
    t_close_after_response = false;
    bool ok = process_request(stream, last, client_closes, request_setup);
    gentle_close = t_close_after_response;
    if (!ok || client_closes || t_close_after_response) break;
  }
  if (gentle_close) {
    CloseGently(sock);
  } else {
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
  }
  return true;
}

}  // namespace clemency
