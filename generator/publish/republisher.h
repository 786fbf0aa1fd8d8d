#pragma once
// Keeps the output folder in step with the store while `serve` runs. Whenever the store changes
// (a commit by any other connection or process: `clemency import`, later the editors' publish),
// the site is loaded from the store, checked, and built into the output folder, so the pages,
// the feeds and the API (which reads the store) agree within a moment. Only what changed is
// rendered, and an in-place update is journaled (OutputWriter). A change whose content fails
// the checks is reported and the last site stays up. It reads content/ from the store lazily
// (StoredContent) and keeps the page cache beside the output folder, so a one-page change reads,
// parses and checks one page, not the whole site.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "render/site.h"
#include "store/store.h"

namespace clemency {

class Republisher {
 public:
  struct Options {
    std::string db_path, source_dir, out_dir;
    std::chrono::milliseconds poll{50};  // how often the store is asked whether it changed
    int threads = 2;
    std::function<void(const std::string&)> report;  // one line per republish or failure
  };
  explicit Republisher(Options options) : options_(std::move(options)) {}
  ~Republisher() { Stop(); }
  // Opens a connection of its own and starts watching from the store's present state.
  Status Start();
  void Stop();
  // Loads the site from the store and builds it now; what the watcher runs on a change.
  Result<BuildSummary> RepublishNow();
  // Changes published since Start().
  uint64_t republished() const;

 private:
  Options options_;
  std::unique_ptr<Store> store_;  // used by the watcher thread only
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  uint64_t republished_ = 0;
};

}  // namespace clemency
