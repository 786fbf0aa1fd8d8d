// ParallelFor over the kept pool of threads.
#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>
#include <vector>

using namespace clemency;

TEST_CASE("every index runs exactly once, whatever the thread count") {
  for (int threads : {1, 2, 3, 8}) {
    for (size_t n : {0, 1, 2, 7, 1000}) {
      std::vector<std::atomic<int>> runs(n);
      ParallelFor(n, threads, [&](size_t i) { ++runs[i]; });
      for (size_t i = 0; i < n; ++i) {
        INFO("threads " << threads << ", n " << n << ", index " << i);
        CHECK(runs[i] == 1);
      }
    }
  }
}

TEST_CASE("the pool's threads are kept from one call to the next") {
  // A helper counts the calls it served in a thread_local: a thread made per call would always
  // count one.
  thread_local int calls_served = 0;
  int most_served = 0;
  for (int call = 0; call < 20; ++call) {
    std::atomic<int> waiting{0};
    std::mutex mutex;
    const auto caller = std::this_thread::get_id();
    ParallelFor(2, 2, [&](size_t) {
      if (std::this_thread::get_id() != caller) {
        std::lock_guard<std::mutex> lock(mutex);
        most_served = std::max(most_served, ++calls_served);
      }
      // Both items wait for each other, so a helper must take one of them.
      ++waiting;
      while (waiting < 2) std::this_thread::yield();
    });
  }
  CHECK(most_served > 1);
}

TEST_CASE("calls may nest without waiting on a busy pool") {
  std::atomic<size_t> total{0};
  ParallelFor(8, 2, [&](size_t) {
    ParallelFor(50, 2, [&](size_t) { ParallelFor(3, 4, [&](size_t) { ++total; }); });
  });
  CHECK(total == 8 * 50 * 3);
}
