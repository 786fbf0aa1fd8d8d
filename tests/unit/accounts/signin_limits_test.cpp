// The sign-in limits: attempts reserved before their password is checked, and the bound on
// password checks running at once.
#include "accounts/signin_limits.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "accounts/password.h"

using namespace clemency;

namespace {

LoginRules Rules(int pair, int address, int account, int64_t window = 60) {
  LoginRules rules;
  rules.window_seconds = window;
  rules.pair_failures = pair;
  rules.address_failures = address;
  rules.account_failures = account;
  return rules;
}

}  // namespace

TEST_CASE("sign-in limit: an attempt counts from its reservation, before its check ends") {
  LoginLimiter limiter(Rules(10, 100, 100));
  const int64_t t = 1'800'000'000;
  // Ten attempts reserved at the same second, none answered yet: the eleventh waits.
  for (int i = 0; i < 10; ++i) CHECK(limiter.Reserve("lan", "10.0.0.1", t).retry_after == 0);
  CHECK(limiter.Reserve("lan", "10.0.0.1", t).retry_after == 60);
  CHECK(limiter.Reserve("lan", "10.0.0.1", t + 59).retry_after == 1);
  CHECK(limiter.Reserve("lan", "10.0.0.1", t + 60).retry_after == 0);  // the first ten have left
}

TEST_CASE("sign-in limit: a released or right attempt is taken back") {
  LoginLimiter limiter(Rules(2, 100, 100));
  const int64_t t = 1'800'000'000;
  REQUIRE(limiter.Reserve("lan", "10.0.0.1", t).retry_after == 0);
  limiter.Release("lan", "10.0.0.1", t);  // never checked: the server was busy
  REQUIRE(limiter.Reserve("lan", "10.0.0.1", t + 1).retry_after == 0);
  REQUIRE(limiter.Reserve("lan", "10.0.0.1", t + 2).retry_after == 0);
  CHECK(limiter.Reserve("lan", "10.0.0.1", t + 3).retry_after > 0);
  limiter.Succeeded("lan", "10.0.0.1", t + 2);
  CHECK(limiter.Reserve("lan", "10.0.0.1", t + 3).retry_after == 0);  // this address is cleared
}

TEST_CASE("sign-in limit: one address is refused per account, then across accounts") {
  LoginLimiter limiter(Rules(5, 20, 100, 900));
  const int64_t t = 1'800'000'000;
  for (int i = 0; i < 5; ++i) {
    auto decision = limiter.Reserve("lan", "10.0.0.1", t);
    CHECK(decision.retry_after == 0);
    CHECK(decision.started == (i == 4 ? LoginLimiter::Limit::kPair : LoginLimiter::Limit::kNone));
  }
  CHECK(limiter.Reserve("lan", "10.0.0.1", t).retry_after == 900);
  CHECK(limiter.Reserve("lan", "10.0.0.2", t).retry_after == 0);  // its owner, elsewhere
  for (int i = 0; i < 15; ++i) {
    auto decision = limiter.Reserve("name" + std::to_string(i), "10.0.0.1", t + 1);
    CHECK(decision.retry_after == 0);
    if (i == 14) CHECK(decision.started == LoginLimiter::Limit::kAddress);
  }
  CHECK(limiter.Reserve("hoa", "10.0.0.1", t + 1).retry_after == 899);
  CHECK(limiter.Reserve("hoa", "10.0.0.3", t + 1).retry_after == 0);
}

TEST_CASE("sign-in limit: an account guessed from many addresses is slowed, never locked") {
  LoginLimiter limiter;  // the rules serve uses
  const LoginRules& rules = limiter.rules();
  REQUIRE(rules.account_failures == 10);
  REQUIRE(rules.slow_seconds == 10);
  const int64_t t = 1'800'000'000;
  REQUIRE(limiter.Reserve("lan", "10.9.0.1", t).retry_after == 0);
  limiter.Succeeded("lan", "10.9.0.1", t);  // lan's office
  for (int i = 0; i < 10; ++i) {
    auto decision = limiter.Reserve("lan", "10.0.0." + std::to_string(i), t + 1);
    CHECK(decision.retry_after == 0);
    if (i == 9) CHECK(decision.started == LoginLimiter::Limit::kAccount);
  }
  CHECK(limiter.Reserve("lan", "10.0.1.1", t + 1).retry_after == 10);  // slowed
  CHECK(limiter.Reserve("lan", "10.0.1.1", t + 11).retry_after == 0);  // one check per 10 s
  CHECK(limiter.Reserve("lan", "10.0.1.2", t + 12).retry_after == 9);
  CHECK(limiter.Reserve("lan", "10.9.0.1", t + 12).retry_after == 0);  // the office: at once
  limiter.Succeeded("lan", "10.9.0.1", t + 12);
  // The owner signing in does not give the guessers a fresh start.
  CHECK(limiter.Reserve("lan", "10.0.1.3", t + 13).retry_after == 8);
  CHECK(limiter.Reserve("hoa", "10.0.1.3", t + 13).retry_after == 0);  // other accounts: not slowed

  auto attacks = limiter.Attacks(t + 13);
  REQUIRE(attacks.size() == 2);
  CHECK(attacks[0].account == "lan");
  CHECK(attacks[0].failures == 11);
  CHECK(attacks[0].addresses == 11);
  CHECK(attacks[0].slowed);
  CHECK_FALSE(attacks[1].slowed);
  CHECK(limiter.Attacks(t + 13 + rules.window_seconds).empty());
  CHECK(limiter.Reserve("lan", "10.0.2.1", t + 13 + rules.window_seconds).retry_after == 0);
}

TEST_CASE("password checks: the memory budget sets the slots, and the rest are turned away") {
  CHECK(PasswordCheckBytes() >= (64u << 20));
  CHECK(PasswordCheckGate::SlotsWithin(288u << 20) == 1);  // 256 MiB a check
  CHECK(PasswordCheckGate::SlotsWithin(0) == 1);
  CHECK(PasswordCheckGate::SlotsWithin(PasswordCheckBytes() * 3) == 3);

  PasswordCheckGate gate(1, 1, 200);
  REQUIRE(gate.Enter());
  std::atomic<int> admitted{0}, refused{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&] { (gate.Enter() ? admitted : refused)++; });
  }
  for (auto& caller : callers) caller.join();
  // One slot held all along: one caller waited 200 ms in vain, the other three were refused.
  CHECK(admitted == 0);
  CHECK(refused == 4);
  std::thread waiter([&] { (gate.Enter() ? admitted : refused)++; });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  gate.Leave();  // the waiter gets the slot
  waiter.join();
  CHECK(admitted == 1);
  CHECK_FALSE(gate.Enter());
  gate.Leave();
  CHECK(gate.Enter());
}
