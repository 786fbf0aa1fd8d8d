#pragma once
// Keeps the output folder in step with the store while `serve` runs. It holds the site in memory
// (loaded from the store once, with the page cache) and two ways in:
// - Publish(): `clemency publish` through the control socket (ControlServer). The change is
//   checked against the held site (only the page and the pages that may link to it are checked
//   again), stored as a revision, and the outputs that show it are rendered and swapped in
//   before the command returns.
// - Any other commit to the store (`clemency import`, `unpublish`, a publish while no serve ran)
//   is noticed through SQLite's data version: the stored pages whose hashes differ from the held
//   ones are reloaded and republished the same way. A change under site/ reloads everything.
// - Time: a page dated later than the held site's now() is scheduled. When the first scheduled
//   time passes, the held site moves to the clock and the pages that went live are republished
//   (their outputs only); after a restart, those due while serve was down are.
// A change that fails the checks is reported and the last site stays up. Every republish is
// recorded in publish_log with the outputs it touched and each step's time.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "publish/control_socket.h"
#include "publish/publish.h"
#include "publish/store_site.h"
#include "render/manifest.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {

class Snapshot;

class Republisher {
 public:
  struct Options {
    std::string db_path, source_dir, out_dir;
    std::chrono::milliseconds poll{50};  // how often the store is asked whether it changed
    int threads = 2;
    std::function<void(const std::string&)> report;  // one line per republish or failure
    std::string socket_path;  // the control socket ("": none)
  };
  explicit Republisher(Options options) : options_(std::move(options)) {}
  ~Republisher() { Stop(); }
  // Opens a connection of its own and notes the store's present state: a change after this is
  // republished once Start() has run.
  Status Watch();
  // Loads the site from the store (using the page cache beside the output folder), opens the
  // control socket and starts the watcher. REQUIRES: Watch() succeeded.
  Status Start();
  void Stop();
  // Publishes on the watcher's thread (see above) and waits for it; what the control socket runs.
  Result<PublishResult> Publish(PublishRequest request, Diagnostics* diagnostics);
  // The problems of the held site with `text` as the page file `stored_path` ("content/…"),
  // changing nothing (what approving a change asks).
  Status Check(const std::string& stored_path, const std::string& text, Diagnostics* diagnostics);
  // The page file `stored_path` with `text` as the build would render it, changing nothing.
  Result<std::string> Preview(const std::string& stored_path, const std::string& text,
                              Diagnostics* diagnostics);
  // Withdraws pages (UnpublishPage) and republishes them before returning.
  Result<std::vector<std::string>> Unpublish(UnpublishRequest request, Diagnostics* diagnostics);
  // Brings the output folder in step with the store now (building it whole when it has no
  // manifest yet), on the watcher's thread, and waits for it.
  Result<BuildSummary> RepublishNow();
  // Changes published since Start().
  uint64_t republished() const;
  // How long the last republish took, plan to swap (0 before the first).
  double last_seconds() const;

 private:
  // Runs `task` on the watcher thread and waits for it.
  void RunOnWatcher(std::function<void()> task);
  void WatchLoop(int64_t seen);
  // The watcher's answer to a commit by anyone else.
  void OnStoreChange();
  // The watcher's answer to the clock passing the first scheduled page's time.
  void OnScheduleDue();
  // Loads the whole site from the store and builds it.
  Result<BuildSummary> LoadAndBuild(StepTimer timer);
  // Brings the held site to the store's published pages and tombstones and republishes what
  // changed.
  Result<BuildSummary> SyncWithStore();
  // The stored pages (relative paths) whose text differs from the held ones, and those no
  // longer stored.
  std::vector<std::string> ChangedFiles() const;
  // Builds `keys`' outputs (all, when `keys` is nullopt), ends `snapshot` (the store read while
  // building), logs the publish (`why` first) and keeps the manifest. A failed build drops the
  // held site.
  Result<BuildSummary> BuildChanged(std::optional<std::set<std::string>> keys, StepTimer timer,
                                    Snapshot* snapshot, const std::string& why = "");
  Result<PublishResult> PublishOnWatcher(const PublishRequest& request, Diagnostics* diagnostics);
  // Lays `text` over `stored_path`, checks it (and renders it when `render`), and takes it away.
  Result<std::string> TryOnWatcher(const std::string& stored_path, const std::string& text,
                                   bool render, Diagnostics* diagnostics);
  // The socket's request from `peer`, credited to its operating-system account.
  ControlMessage Answer(const ControlMessage& request, const ControlPeer& peer);

  Options options_;
  std::unique_ptr<Store> store_;  // used by the watcher thread only, like everything below
  StoredFiles files_;
  std::unique_ptr<Site> site_;  // null until a load succeeds
  BuildManifest manifest_;      // of the output folder as the last build left it
  int64_t seen_version_ = 0;
  // When to load and build everything again after a failed build (none: no need).
  std::optional<std::chrono::steady_clock::time_point> retry_at_;
  ControlServer control_;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  uint64_t republished_ = 0;
  double last_seconds_ = 0;
};

}  // namespace clemency
