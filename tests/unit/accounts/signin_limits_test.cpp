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

TEST_CASE("sign-in limit: an attempt counts from its reservation, before its check ends") {
  LoginLimiter limiter(10, 60);
  const int64_t t = 1'800'000'000;
  // Ten attempts reserved at the same second, none answered yet: the eleventh waits.
  for (int i = 0; i < 10; ++i) CHECK(limiter.Reserve("lan", "10.0.0.1", t) == 0);
  CHECK(limiter.Reserve("lan", "10.0.0.1", t) == 60);
  CHECK(limiter.Reserve("hoa", "10.0.0.1", t) > 0);  // the address, another account
  CHECK(limiter.Reserve("lan", "10.0.0.9", t + 59) == 1);
  CHECK(limiter.Reserve("lan", "10.0.0.9", t + 60) == 0);  // the first ten have left
}

TEST_CASE("sign-in limit: a released or right attempt is taken back") {
  LoginLimiter limiter(2, 60);
  const int64_t t = 1'800'000'000;
  REQUIRE(limiter.Reserve("lan", "10.0.0.1", t) == 0);
  limiter.Release("lan", "10.0.0.1", t);  // never checked: the server was busy
  REQUIRE(limiter.Reserve("lan", "10.0.0.1", t + 1) == 0);
  REQUIRE(limiter.Reserve("lan", "10.0.0.1", t + 2) == 0);
  CHECK(limiter.Reserve("lan", "10.0.0.1", t + 3) > 0);
  limiter.Succeeded("lan", "10.0.0.1", t + 2);
  CHECK(limiter.Reserve("lan", "10.0.0.2", t + 3) == 0);  // the account's failures are cleared
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
