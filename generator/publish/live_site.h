#pragma once
// The live site: the one owner of what readers see while `serve` runs. It owns the store
// connection publishing writes with, the site held in memory (loaded from the store once, with
// the page cache), the clock, and the scheduler; everything that changes the live site goes
// through it:
// - Publish(): an edit through the workflow (ContentPort) or `clemency publish` through the
//   control socket (ControlServer). The change is checked as a new site made from the held one
//   (only the page and the pages that may link to it are checked again), stored in ONE store
//   transaction (the revision, the workflow's records of it: the edit's state, the audit entry),
//   and the outputs that show it are rendered and swapped in before it returns. A crash after the
//   commit leaves the files behind the store; start-up brings them to it.
// - Unpublish(): withdrawn the same way.
// - Check() and Preview(): a new site made from the held one with the one file laid over it,
//   never kept: they run on the caller's thread, take no lock over publishing and leave nothing.
// - Any other commit to the store (`clemency import`, `unpublish`, a publish while no serve ran)
//   is noticed through SQLite's data version: the stored pages whose hashes differ from the held
//   ones are read again and republished the same way. A change under site/ reloads everything.
// - Time: a page dated later than the held site's now() is scheduled. When the first scheduled
//   time passes, a site shown at the clock's time replaces the held one and the pages that went
//   live are republished (their outputs only); after a restart, those due while serve was down
//   are. Edits the workflow schedules (Schedule()) are published by the scheduler when due.
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

#include "editorial/content_port.h"
#include "editorial/workflow.h"
#include "publish/control_socket.h"
#include "publish/publish.h"
#include "publish/static_search.h"
#include "publish/store_site.h"
#include "render/manifest.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {

class Snapshot;

class LiveSite : public ContentPort {
 public:
  struct Options {
    std::string db_path, source_dir, out_dir;
    std::chrono::milliseconds poll{50};  // how often the store is asked whether it changed
    int threads = 2;
    std::function<void(const std::string&)> report;  // one line per republish or failure
    std::string socket_path;  // the control socket ("": none)
    // The clock pages go live by and edits fall due by (tests set it).
    std::function<DateTime(int utc_offset_minutes)> clock = Now;
    // Called on the watcher thread after each republish whose files are live (its store
    // transaction committed long before): serve's WebSub hub is told here. Must return at once.
    std::function<void()> on_republished{};
    bool precompress = false;  // every republish writes .gz files (BuildOptions::precompress)
  };
  explicit LiveSite(Options options) : options_(std::move(options)) {}
  ~LiveSite() override { Stop(); }
  // Opens a connection of its own and notes the store's present state: a change after this is
  // republished once Start() has run.
  Status Watch();
  // Loads the site from the store (using the page cache beside the output folder), opens the
  // control socket and starts the watcher. REQUIRES: Watch() succeeded.
  Status Start();
  // Starts the editorial workflow on a store connection of its own, publishing through this
  // site, and the scheduler that publishes its scheduled edits when due. Returns the workflow,
  // which lives as long as this. REQUIRES: Start() succeeded.
  Result<Workflow*> StartWorkflow(Workflow::Options options);
  void Stop();

  // ContentPort: what the workflow asks.
  Status Check(const std::string& path, const std::string& text,
               Diagnostics* diagnostics) override;
  Result<std::string> Preview(const std::string& path, const std::string& text,
                              Diagnostics* diagnostics) override;
  Result<PublishReport> Publish(const PublishOrder& order, Diagnostics* diagnostics) override;
  Result<std::vector<std::string>> Unpublish(const UnpublishOrder& order,
                                             Diagnostics* diagnostics) override;
  void Schedule(const DateTime& at) override;

  // Publishes `request` on the watcher's thread (see above) and waits for it; what the control
  // socket runs.
  Result<PublishResult> Publish(PublishRequest request, Diagnostics* diagnostics);
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
  // Publishes the workflow's edits as they fall due, until Stop().
  void ScheduleLoop();
  // The held site, for any thread (null: none loaded, or the stored site fails a check).
  std::shared_ptr<const Site> HeldSite() const;
  // Makes `site` the held one. REQUIRES: on the watcher thread.
  void Hold(std::shared_ptr<const Site> site);
  // The watcher's answer to a commit by anyone else.
  void OnStoreChange();
  // The watcher's answer to the clock passing the first scheduled page's time.
  void OnScheduleDue();
  // Loads the whole site from the store and builds it.
  Result<BuildSummary> LoadAndBuild(StepTimer timer);
  // Makes the held site the store's published pages and tombstones and republishes what
  // changed.
  Result<BuildSummary> SyncWithStore();
  // The stored pages (relative paths) whose text differs from the held ones, and those no
  // longer stored.
  std::vector<std::string> ChangedFiles(const Site& site) const;
  // Builds `keys`' outputs (all, when `keys` is nullopt) of the held site, ends `snapshot` (the
  // store read while building), logs the publish (`why` first) and keeps the manifest. A failed
  // build drops the held site.
  Result<BuildSummary> BuildChanged(std::optional<std::set<std::string>> keys, StepTimer timer,
                                    Snapshot* snapshot, const std::string& why = "");
  // Brings the static search index to the store (made `whole`, or from the pages changed since
  // it was last brought). REQUIRES: a site held.
  Status UpdateSearchIndex(bool whole);
  Result<PublishResult> PublishOnWatcher(const PublishRequest& request, Diagnostics* diagnostics);
  // A new site from the held one with `text` as `stored_path`, checked, never held.
  Result<std::unique_ptr<Site>> TrySite(const std::string& stored_path, const std::string& text,
                                        Diagnostics* diagnostics) const;
  // The socket's request from `peer`, credited to its operating-system account.
  ControlMessage Answer(const ControlMessage& request, const ControlPeer& peer);

  Options options_;
  std::unique_ptr<Store> store_;  // the watcher thread's, like everything below but the site
  StoredFiles files_;
  BuildManifest manifest_;  // of the output folder as the last build left it
  std::optional<StaticSearchIndex> search_;  // the static index, as of the last build
  int64_t seen_version_ = 0;
  // When to load and build everything again after a failed build (none: no need).
  std::optional<std::chrono::steady_clock::time_point> retry_at_;
  ControlServer control_;
  std::thread thread_;
  std::unique_ptr<Workflow> workflow_;
  std::thread scheduler_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, wake_scheduler_;
  std::shared_ptr<const Site> site_;  // read under mutex_ by other threads; set by the watcher
  std::deque<std::function<void()>> tasks_;
  bool schedule_told_ = false;  // an edit was scheduled since the scheduler last looked
  bool stopping_ = false;
  uint64_t republished_ = 0;
  double last_seconds_ = 0;
};

}  // namespace clemency
