#pragma once
// Runs fn(i) for i in [0, n) on up to `threads` threads: the caller and helpers from one pool of
// kept threads. Kept threads keep what they set up per thread (their allocator heaps, ICU break
// iterators and collators) from one step to the next, where threads made per call started every
// step afresh; a thread idle for two seconds leaves. Calls may nest: a caller never waits for a
// helper that has not started, so a busy pool only means the caller does more of the work itself.
#include <cstddef>
#include <thread>
#include <type_traits>

namespace clemency {

namespace parallel_internal {
void Run(size_t n, int threads, void (*call)(void* fn, size_t i), void* fn);
}  // namespace parallel_internal

template <typename Fn>
void ParallelFor(size_t n, int threads, Fn&& fn) {
  using Callable = std::remove_reference_t<Fn>;
  parallel_internal::Run(
      n, threads, [](void* f, size_t i) { (*static_cast<Callable*>(f))(i); },
      const_cast<void*>(static_cast<const void*>(&fn)));
}

// Threads to use by default: the machine's cores.
inline int DefaultThreads() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 2 : static_cast<int>(cores);
}

}  // namespace clemency
