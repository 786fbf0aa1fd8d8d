#include "public_api/rate_limit.h"

#include <algorithm>

#include "core/text.h"

namespace clemency {

bool RateLimiter::Admit(const std::string& client, int64_t now, const httplib::Request& req,
                        httplib::Response& res) {
  if (limit_.requests <= 0 || client.empty()) return true;
  int64_t used = 0, reset = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (windows_.size() >= kMaxClients) Prune(now);
    Window& window = windows_[client];
    if (now >= window.start + limit_.window_seconds) window = {now, 0};
    used = ++window.used;
    reset = window.start + limit_.window_seconds - now;
  }
  const bool admitted = used <= limit_.requests;
  if (!admitted) {
    http::SendProblem(res, 429,
                      "more than " + std::to_string(limit_.requests) + " requests in " +
                          std::to_string(limit_.window_seconds) + " s; try again in " +
                          std::to_string(reset) + " s",
                      "", req.path);
    res.set_header("Retry-After", std::to_string(reset));
  }
  SetHeaders(res, used, reset);
  return admitted;
}

void RateLimiter::SetHeaders(httplib::Response& res, int64_t used, int64_t reset) const {
  res.set_header("RateLimit-Limit", std::to_string(limit_.requests));
  res.set_header("RateLimit-Remaining",
                 std::to_string(std::max<int64_t>(0, limit_.requests - used)));
  res.set_header("RateLimit-Reset", std::to_string(reset));
  res.set_header("RateLimit-Policy",
                 std::to_string(limit_.requests) + ";w=" + std::to_string(limit_.window_seconds));
}

std::string RateLimiter::ClientOf(const httplib::Request& req) {
  const std::string& peer = req.remote_addr;
  const bool loopback =
      peer == "::1" || peer.rfind("127.", 0) == 0 || peer.rfind("::ffff:127.", 0) == 0;
  if (!loopback) return peer;
  const std::string forwarded = req.get_header_value("X-Forwarded-For");
  const size_t comma = forwarded.rfind(',');
  return std::string(
      Trim(comma == std::string::npos ? forwarded : std::string_view(forwarded).substr(comma + 1)));
}

void RateLimiter::Prune(int64_t now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    it = now >= it->second.start + limit_.window_seconds ? windows_.erase(it) : std::next(it);
  }
  if (windows_.size() >= kMaxClients) windows_.clear();  // a flood of addresses: start again
}

}  // namespace clemency
