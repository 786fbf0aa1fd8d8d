#include "publish/republisher.h"

#include "publish/store_site.h"

namespace clemency {

Status Republisher::Start() {
  auto store = OpenStore(options_.db_path);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  auto version = store_->CommitCounter();
  if (!version.ok()) return version.status();
  thread_ = std::thread([this, seen = *version]() mutable {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, options_.poll, [this] { return stopping_; })) {
      lock.unlock();
      auto now = store_->CommitCounter();
      if (now.ok() && *now != seen) {
        seen = *now;
        auto summary = RepublishNow();
        if (options_.report) {
          options_.report(summary.ok() ? "republished after a store change: " + summary->ToString()
                                       : "the store changed, but the site was not republished: " +
                                             summary.status().message());
        }
      }
      lock.lock();
    }
  });
  return Status::Ok();
}

void Republisher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t Republisher::republished() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return republished_;
}

Result<BuildSummary> Republisher::RepublishNow() {
  StepTimer timer;
  Diagnostics diagnostics;
  PageCache cache = PageCache::Load(options_.out_dir);
  auto loaded = LoadStoredSite(store_.get(), options_.source_dir, &diagnostics, &timer, &cache);
  if (!loaded.ok()) return loaded.status();
  std::unique_ptr<Site> site = std::move(loaded).value();
  if (!site) {
    return Status::Error(std::to_string(diagnostics.size()) + " problem(s) in the stored content; " +
                         "the last site stays up:\n" + diagnostics.ToString());
  }
  BuildOptions build;
  build.out_dir = options_.out_dir;
  build.threads = options_.threads;
  auto summary = site->Build(build, timer);
  if (!summary.ok()) return summary;
  // The next republish reuses the pages this one checked; losing the cache only costs time.
  Status saved = PageCache::Save(options_.out_dir, *site, &cache);
  if (!saved.ok() && options_.report) options_.report("cannot save the page cache: " + saved.message());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++republished_;
  }
  // Which outputs a publish touched and how long each step took, for the editors' history.
  Status logged = PageRepository(store_.get()).LogPublish("serve", summary->ToString(),
                                                         summary->timer.ToString());
  if (!logged.ok() && options_.report) options_.report("cannot log the publish: " + logged.message());
  return summary;
}

}  // namespace clemency
