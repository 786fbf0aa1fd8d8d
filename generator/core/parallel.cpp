#include "core/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace clemency::parallel_internal {
namespace {

struct Batch {
  size_t n = 0;
  std::atomic<size_t> next{0};
  void (*call)(void*, size_t) = nullptr;
  void* fn = nullptr;
  int active = 0;  // helpers working on it (guarded by the pool's mutex)

  void Work() {
    for (size_t i; (i = next.fetch_add(1)) < n;) call(fn, i);
  }
};

class Pool {
 public:
  static Pool& Get() {
    // Never destroyed: its threads wait until the process ends.
    static Pool* pool = new Pool();
    return *pool;
  }

  void Run(Batch* batch, int helpers) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (; threads_ < helpers; ++threads_) std::thread([this] { Serve(); }).detach();
      for (int h = 0; h < helpers; ++h) queue_.push_back(batch);
    }
    wake_.notify_all();
    batch->Work();
    // Every item is taken: helpers that have not started are called off, started ones finish.
    std::unique_lock<std::mutex> lock(mutex_);
    queue_.erase(std::remove(queue_.begin(), queue_.end(), batch), queue_.end());
    finished_.wait(lock, [batch] { return batch->active == 0; });
  }

 private:
  void Serve() {
    for (;;) {
      Batch* batch;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        // A thread idle for a while leaves, and its memory with it: a build's steps follow each
        // other within milliseconds, while `serve` builds once and then only answers requests.
        if (!wake_.wait_for(lock, std::chrono::seconds(2), [this] { return !queue_.empty(); })) {
          --threads_;
          return;
        }
        batch = queue_.front();
        queue_.pop_front();
        ++batch->active;
      }
      batch->Work();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --batch->active;
      }
      finished_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  std::deque<Batch*> queue_;
  int threads_ = 0;
};

}  // namespace

void Run(size_t n, int threads, void (*call)(void* fn, size_t i), void* fn) {
  Batch batch;
  batch.n = n;
  batch.call = call;
  batch.fn = fn;
  // The caller takes items too: at most threads - 1 helpers, and none beyond the items.
  int helpers =
      static_cast<int>(std::min<size_t>(n, static_cast<size_t>(std::max(threads, 1)))) - 1;
  if (helpers == 0) return batch.Work();
  Pool::Get().Run(&batch, helpers);
}

}  // namespace clemency::parallel_internal
