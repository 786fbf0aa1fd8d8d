#pragma once
// The public API's rate limit: fixed windows per client, one counter per address, reset when
// its window ends.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/http.h"
#include "public_api/public_api.h"

namespace clemency {

class RateLimiter {
 public:
  explicit RateLimiter(ApiRateLimit limit) : limit_(limit) {}

  // Counts a request of `client` at `now`; sets the RateLimit headers on `res`. Returns false
  // (and answers 429 with Retry-After) when the client is over its limit.
  bool Admit(const std::string& client, int64_t now, const httplib::Request& req,
             httplib::Response& res);

  // Sets the RateLimit headers again (a handler's answer may have replaced the response).
  void SetHeaders(httplib::Response& res, int64_t used, int64_t reset) const;

  // Returns the client a request counts against: its peer address; behind a proxy on this
  // machine, the address the proxy appended to X-Forwarded-For. A loopback peer without that
  // header is the machine itself (health checks, local tools, benchmarks): not limited ("").
  static std::string ClientOf(const httplib::Request& req);

 private:
  static constexpr size_t kMaxClients = 100000;
  struct Window {
    int64_t start = 0, used = 0;
  };
  // Forgets the windows that ended by `now` (all of them if that is not enough).
  void Prune(int64_t now);
  ApiRateLimit limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace clemency
