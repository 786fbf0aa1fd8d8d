#pragma once
// What keeps sign-in from being a way to guess passwords or to exhaust the server: the limit on
// failed sign-ins (LoginLimiter) and the bound on password checks running at once
// (PasswordCheckGate), since each Argon2id check holds its whole memory cost for about a second.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace clemency {

// Failed sign-ins: after `max_failures` within `window_seconds` for one account or one address,
// further attempts for it are refused (HTTP 429) until the oldest failure leaves the window.
// An attempt counts as a failure from the moment it is reserved, before its password is checked,
// so simultaneous attempts cannot all pass the check of a count none of them has raised yet.
class LoginLimiter {
 public:
  LoginLimiter(int max_failures = 10, int64_t window_seconds = 60)
      : max_failures_(max_failures), window_seconds_(window_seconds) {}
  // Reserves an attempt of `account` from `address` at `now`: 0 when it may be checked now (and it
  // counts as failed until Succeeded or Released), else the seconds to wait (nothing reserved).
  int64_t Reserve(const std::string& account, const std::string& address, int64_t now);
  // Takes back an attempt reserved at `at` that was never checked (the server was busy).
  void Release(const std::string& account, const std::string& address, int64_t at);
  // The attempt reserved at `at` was right: it and the account's failures are cleared (not the
  // address's: one address may guess at many accounts).
  void Succeeded(const std::string& account, const std::string& address, int64_t at);

 private:
  int64_t Wait(std::deque<int64_t>* failures, int64_t now) const;  // REQUIRES: mutex_ held
  int max_failures_;
  int64_t window_seconds_;
  std::mutex mutex_;
  std::map<std::string, std::deque<int64_t>> by_account_, by_address_;
};

// At most `slots` password checks at once. Beyond them up to `max_waiting` callers wait at most
// `wait_ms` for a slot; the rest are turned away at once, so neither memory nor threads pile up.
class PasswordCheckGate {
 public:
  PasswordCheckGate(int slots, int max_waiting, int64_t wait_ms)
      : free_(slots), max_waiting_(max_waiting), wait_ms_(wait_ms) {}
  // As many slots as `memory_budget` bytes hold password checks (PasswordCheckBytes), at least 1.
  static int SlotsWithin(size_t memory_budget);
  // True with a slot taken (give it back with Leave); false when the caller is turned away.
  bool Enter();
  void Leave();

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  int free_, waiting_ = 0;
  int max_waiting_;
  int64_t wait_ms_;
};

}  // namespace clemency
