#pragma once
// Runs fn(i) for i in [0, n) on `threads` threads (the caller's included), in dynamic chunks.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace clemency {

template <typename Fn>
void ParallelFor(size_t n, int threads, Fn&& fn) {
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  int extra = std::max(0, std::min<int>(threads, static_cast<int>(n)) - 1);
  for (int t = 0; t < extra; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

// Threads to use by default: the machine's cores.
inline int DefaultThreads() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 2 : static_cast<int>(cores);
}

}  // namespace clemency
