#pragma once
// httplib::Server with the limits a public server needs, which httplib 0.11 does not have: a
// whole request head must arrive within a deadline and a size and header-count limit (408, 431),
// a request thread pool that grows under load and sheds idle kept-alive connections when it is
// full, and pipelined requests answered in order. httplib still parses requests and runs the
// handlers; this class owns the socket loop around them.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

namespace clemency {

struct ConnectionLimits {
  std::chrono::milliseconds head_timeout{5000};   // first byte to the end of the request head
  std::chrono::milliseconds body_timeout{30000};  // end of the head to the end of the body
  std::chrono::milliseconds idle_timeout{2000};   // a kept-alive connection waiting for a request
  std::chrono::milliseconds io_timeout{5000};     // any one read or write
  size_t max_head_bytes = 16 * 1024;              // request line and headers
  size_t max_headers = 100;
  // Each reconnect costs a handshake; with wrk -c64 on 10k pages 5 -> 20 requests per connection
  // took pages from 48k to 59k req/s, and 100 let large responses queue behind each other.
  size_t max_requests_per_connection = 20;
  size_t max_threads = 1024;
};

// A TaskQueue whose threads start as work arrives (up to `max_threads`) and leave after a while
// idle. Each connection holds a thread, so a fixed pool lets a few slow clients stop the server.
class ElasticPool : public httplib::TaskQueue {
 public:
  explicit ElasticPool(size_t max_threads) : max_threads_(max_threads) {}
  void enqueue(std::function<void()> fn) override;
  // Runs what is queued, then returns when every thread has left.
  void shutdown() override;
  // True while work waits because every thread is busy and no more may start.
  bool saturated() const { return saturated_.load(std::memory_order_relaxed); }

 private:
  void Work();
  void UpdateSaturated();  // REQUIRES: mutex_ held
  const size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable wake_, left_;
  std::deque<std::function<void()>> jobs_;
  size_t threads_ = 0, idle_ = 0;
  bool stopping_ = false;
  std::atomic<bool> saturated_{false};
};

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);
  // Called for each request refused before httplib saw it (408, 431), with its status.
  std::function<void(int status)> on_refused;
  // Called for each parsed request before routing.
  std::function<void(httplib::Request&)> request_setup;
  // From a handler: the connection closes after this response (e.g. an unread body).
  static void CloseAfterResponse();

 private:
  bool process_and_close_socket(socket_t sock) override;
  ConnectionLimits limits_;
  ElasticPool* pool_ = nullptr;  // owned by httplib once listening
};

}  // namespace clemency
