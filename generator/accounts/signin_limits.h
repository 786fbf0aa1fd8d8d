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
#include <utility>
#include <vector>

namespace clemency {

// How long failures count, and how many of each kind may be checked within that time.
struct LoginRules {
  int64_t window_seconds = 15 * 60;
  int pair_failures = 5;      // one address guessing one account: then refused
  int address_failures = 20;  // one address guessing at any accounts (an office shares one)
  int account_failures = 10;  // one account, from anywhere: then slowed down, not refused
  int64_t slow_seconds = 10;  // a slowed account: one check this often from unknown addresses
  int64_t known_seconds = 30 * 24 * 3600;  // an address the account signed in from stays known
};

// Failed sign-ins, so that guessing is slow and yet nobody can keep an editor out: one address
// is refused (429) after a few failures for one account or more for any; an account guessed
// from many addresses is slowed down (one check every few seconds) rather than locked, and not
// at all for an address it signed in from before. An attempt counts as failed from the moment it
// is reserved, before its password is checked, so simultaneous attempts cannot all pass a count
// none of them has raised yet.
class LoginLimiter {
 public:
  enum class Limit { kNone, kPair, kAddress, kAccount };
  struct Decision {
    int64_t retry_after = 0;       // 0: reserved, check the password now; else seconds to wait
    Limit started = Limit::kNone;  // the limit this reserved attempt brings on (audit it once)
  };
  // An account guessed at within the window, for the admin's dashboard.
  struct Attack {
    std::string account;
    int failures = 0, addresses = 0;
    bool slowed = false;
  };
  explicit LoginLimiter(LoginRules rules = {}) : rules_(rules) {}
  // Reserves an attempt of `account` from `address` at `now` (counted as failed until Succeeded
  // or Released), or says how long to wait (nothing reserved).
  Decision Reserve(const std::string& account, const std::string& address, int64_t now);
  // Takes back an attempt reserved at `at` that was never checked (the server was busy).
  void Release(const std::string& account, const std::string& address, int64_t at);
  // The attempt reserved at `at` was right: it is taken back, this address's failures for the
  // account cleared, and the address known to the account from now on.
  void Succeeded(const std::string& account, const std::string& address, int64_t at);
  // Accounts with failures within the window at `now`, the most failures first.
  std::vector<Attack> Attacks(int64_t now);
  const LoginRules& rules() const { return rules_; }

 private:
  struct AccountState {
    std::deque<std::pair<int64_t, std::string>> failures;  // when, from which address
    std::map<std::string, int64_t> known;                  // address → its last sign-in
    int64_t last_check = 0;
  };
  // REQUIRES: mutex_ held, for all below.
  void Expire(std::deque<int64_t>* failures, int64_t now) const;
  void Expire(AccountState* account, int64_t now) const;
  int64_t PairWait(const std::string& key, int64_t now);
  int64_t AccountWait(AccountState* account, const std::string& address, int64_t now) const;
  void Sweep(int64_t now);  // drops keys with nothing left in the window
  LoginRules rules_;
  std::mutex mutex_;
  std::map<std::string, std::deque<int64_t>> by_pair_, by_address_;
  std::map<std::string, AccountState> accounts_;
  int64_t swept_ = 0;
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
