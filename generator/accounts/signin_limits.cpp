#include "accounts/signin_limits.h"

#include <algorithm>
#include <chrono>

#include "accounts/password.h"

namespace clemency {
namespace {

// Removes one entry equal to `at` (a reserved attempt), if there is one.
void Forget(std::deque<int64_t>* failures, int64_t at) {
  auto it = std::find(failures->begin(), failures->end(), at);
  if (it != failures->end()) failures->erase(it);
}

}  // namespace

int64_t LoginLimiter::Wait(std::deque<int64_t>* failures, int64_t now) const {
  while (!failures->empty() && now - failures->front() >= window_seconds_) failures->pop_front();
  if (static_cast<int>(failures->size()) < max_failures_) return 0;
  return window_seconds_ - (now - failures->front());
}

int64_t LoginLimiter::Reserve(const std::string& account, const std::string& address,
                              int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t wait = std::max(Wait(&by_account_[account], now), Wait(&by_address_[address], now));
  if (wait > 0) return wait;
  by_account_[account].push_back(now);
  by_address_[address].push_back(now);
  return 0;
}

void LoginLimiter::Release(const std::string& account, const std::string& address, int64_t at) {
  std::lock_guard<std::mutex> lock(mutex_);
  Forget(&by_account_[account], at);
  Forget(&by_address_[address], at);
}

void LoginLimiter::Succeeded(const std::string& account, const std::string& address,
                             int64_t at) {
  std::lock_guard<std::mutex> lock(mutex_);
  by_account_.erase(account);
  Forget(&by_address_[address], at);
}

int PasswordCheckGate::SlotsWithin(size_t memory_budget) {
  return std::max<int>(1, static_cast<int>(memory_budget / PasswordCheckBytes()));
}

bool PasswordCheckGate::Enter() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (free_ == 0) {
    if (waiting_ >= max_waiting_) return false;
    ++waiting_;
    bool got = freed_.wait_for(lock, std::chrono::milliseconds(wait_ms_), [this] { return free_ > 0; });
    --waiting_;
    if (!got) return false;
  }
  --free_;
  return true;
}

void PasswordCheckGate::Leave() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++free_;
  }
  freed_.notify_one();
}

}  // namespace clemency
