#include "accounts/signin_limits.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "accounts/password.h"

namespace clemency {
namespace {

// Removes one entry equal to `at` (a reserved attempt), if there is one.
void Forget(std::deque<int64_t>* failures, int64_t at) {
  auto it = std::find(failures->begin(), failures->end(), at);
  if (it != failures->end()) failures->erase(it);
}

std::string PairKey(const std::string& account, const std::string& address) {
  return account + '\n' + address;
}

// Seconds until the oldest of `failures` leaves the window, when there are `limit` or more.
int64_t WaitFor(const std::deque<int64_t>& failures, int limit, int64_t window, int64_t now) {
  if (static_cast<int>(failures.size()) < limit) return 0;
  return window - (now - failures[failures.size() - limit]);
}

}  // namespace

void LoginLimiter::Expire(std::deque<int64_t>* failures, int64_t now) const {
  while (!failures->empty() && now - failures->front() >= rules_.window_seconds) {
    failures->pop_front();
  }
}

void LoginLimiter::Expire(AccountState* account, int64_t now) const {
  auto& failures = account->failures;
  while (!failures.empty() && now - failures.front().first >= rules_.window_seconds) {
    failures.pop_front();
  }
  for (auto it = account->known.begin(); it != account->known.end();) {
    it = now - it->second > rules_.known_seconds ? account->known.erase(it) : std::next(it);
  }
}

int64_t LoginLimiter::AccountWait(AccountState* account, const std::string& address,
                                  int64_t now) const {
  if (static_cast<int>(account->failures.size()) < rules_.account_failures) return 0;
  if (account->known.count(address)) return 0;  // its owner's usual place
  return std::max<int64_t>(0, rules_.slow_seconds - (now - account->last_check));
}

void LoginLimiter::Sweep(int64_t now) {
  if (now - swept_ < rules_.window_seconds) return;
  swept_ = now;
  for (auto* map : {&by_pair_, &by_address_}) {
    for (auto it = map->begin(); it != map->end();) {
      Expire(&it->second, now);
      it = it->second.empty() ? map->erase(it) : std::next(it);
    }
  }
  for (auto it = accounts_.begin(); it != accounts_.end();) {
    Expire(&it->second, now);
    bool empty = it->second.failures.empty() && it->second.known.empty();
    it = empty ? accounts_.erase(it) : std::next(it);
  }
}

LoginLimiter::Decision LoginLimiter::Reserve(const std::string& account,
                                             const std::string& address, int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  Sweep(now);
  auto& pair = by_pair_[PairKey(account, address)];
  auto& from = by_address_[address];
  AccountState& state = accounts_[account];
  Expire(&pair, now);
  Expire(&from, now);
  Expire(&state, now);
  const int64_t window = rules_.window_seconds;
  Decision out;
  out.retry_after = std::max({WaitFor(pair, rules_.pair_failures, window, now),
                              WaitFor(from, rules_.address_failures, window, now),
                              AccountWait(&state, address, now)});
  if (out.retry_after > 0) return out;
  pair.push_back(now);
  from.push_back(now);
  state.failures.emplace_back(now, address);
  if (!state.known.count(address)) state.last_check = now;  // the slowed queue is for strangers
  if (static_cast<int>(pair.size()) == rules_.pair_failures) out.started = Limit::kPair;
  if (static_cast<int>(from.size()) == rules_.address_failures) out.started = Limit::kAddress;
  if (static_cast<int>(state.failures.size()) == rules_.account_failures) {
    out.started = Limit::kAccount;
  }
  return out;
}

void LoginLimiter::Release(const std::string& account, const std::string& address, int64_t at) {
  std::lock_guard<std::mutex> lock(mutex_);
  Forget(&by_pair_[PairKey(account, address)], at);
  Forget(&by_address_[address], at);
  auto& failures = accounts_[account].failures;
  auto it = std::find(failures.begin(), failures.end(), std::make_pair(at, address));
  if (it != failures.end()) failures.erase(it);
}

void LoginLimiter::Succeeded(const std::string& account, const std::string& address,
                             int64_t at) {
  std::lock_guard<std::mutex> lock(mutex_);
  by_pair_.erase(PairKey(account, address));
  Forget(&by_address_[address], at);
  // The account's failures stay: its owner signing in must not give a guesser a fresh start.
  AccountState& state = accounts_[account];
  auto it = std::find(state.failures.begin(), state.failures.end(), std::make_pair(at, address));
  if (it != state.failures.end()) state.failures.erase(it);
  state.known[address] = at;
}

std::vector<LoginLimiter::Attack> LoginLimiter::Attacks(int64_t now) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Attack> out;
  for (auto& [name, state] : accounts_) {
    Expire(&state, now);
    if (state.failures.empty()) continue;
    std::set<std::string> addresses;
    for (const auto& failure : state.failures) addresses.insert(failure.second);
    out.push_back({name, static_cast<int>(state.failures.size()),
                   static_cast<int>(addresses.size()),
                   static_cast<int>(state.failures.size()) >= rules_.account_failures});
  }
  std::sort(out.begin(), out.end(),
            [](const Attack& a, const Attack& b) { return a.failures > b.failures; });
  return out;
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
