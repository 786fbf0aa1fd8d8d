#include "publish/live_site.h"

#include <algorithm>
#include <future>
#include <map>

#include "config/site_config.h"
#include "publish/history.h"
#include "publish/media_files.h"
#include "publish/static_search.h"

namespace clemency {
namespace {

// The outputs a partial build rendered again, for the log ("" after a whole-site build).
std::string RenderedText(const BuildSummary& summary) {
  if (summary.rendered.empty()) return "";
  std::string out = "; rendered " + std::to_string(summary.rendered.size()) + ":";
  const size_t shown = std::min<size_t>(summary.rendered.size(), 60);
  for (size_t i = 0; i < shown; ++i) out += " " + summary.rendered[i];
  return shown < summary.rendered.size() ? out + " …" : out;
}

std::string KeysText(const std::set<std::string>& keys) {
  std::string out;
  for (const auto& key : keys) out += (out.empty() ? "" : ", ") + (key.empty() ? "(home)" : key);
  return out;
}

}  // namespace

// A read snapshot of `store` for as long as it lives (Store::BeginSnapshot).
class Snapshot {
 public:
  explicit Snapshot(Store* store) : store_(store), active_(store->BeginSnapshot().ok()) {}
  ~Snapshot() { End(); }
  void End() {
    if (active_) store_->EndSnapshot();
    active_ = false;
  }

 private:
  Store* store_;
  bool active_;
};

Status LiveSite::Watch() {
  auto store = OpenStore(options_.db_path);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  auto version = store_->CommitCounter();
  if (!version.ok()) return version.status();
  seen_version_ = *version;
  return Status::Ok();
}

Status LiveSite::Start() {
  auto files = ReadStoredFiles(store_.get(), options_.source_dir);
  if (!files.ok()) return files.status();
  files_ = std::move(files).value();
  manifest_ = BuildManifest::Load(options_.out_dir);
  // The build serve made at start saved its page cache: nothing is parsed again here. The output
  // folder shows the site as at its last build: pages due since then (while serve was down, or
  // since serve's own start build) go live on the watcher's first look.
  PageCache cache = PageCache::Load(options_.out_dir);
  int64_t shown_at = options_.clock(0).unix_seconds;
  if (manifest_.size() > 0) shown_at = std::min(shown_at, manifest_.schedule().built_at);
  Diagnostics diagnostics;  // serve reported them when it opened the store
  StoreRecords records(store_.get());
  auto media = StoredMedia(store_.get());
  if (!media.ok()) return media.status();
  site_ = Site::Load(files_.files, options_.source_dir, &diagnostics,
                     LoadOptions{nullptr, &cache, &records, shown_at, std::move(media).value()});
  if (!options_.socket_path.empty()) {
    Status s = control_.Start(options_.socket_path,
                              [this](const ControlMessage& request, const ControlPeer& peer) {
                                return Answer(request, peer);
                              });
    if (!s.ok() && options_.report) {
      options_.report(s.message() + "; `clemency publish` stores revisions for the watcher");
    }
  }
  thread_ = std::thread([this] { WatchLoop(seen_version_); });
  return Status::Ok();
}

Result<Workflow*> LiveSite::StartWorkflow(Workflow::Options options) {
  auto store = Store::Open(options_.db_path);
  if (!store.ok()) return store.status();
  workflow_ = std::make_unique<Workflow>(std::move(store).value(), this, std::move(options));
  scheduler_ = std::thread([this] { ScheduleLoop(); });
  return workflow_.get();
}

void LiveSite::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_scheduler_.notify_all();
  if (scheduler_.joinable()) scheduler_.join();  // its publish in progress finishes first
  control_.Stop();                               // so does the socket's
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // The next serve starts from the held pages instead of parsing them again.
  if (site_ && !options_.out_dir.empty()) PageCache::Save(options_.out_dir, *site_);
}

uint64_t LiveSite::republished() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return republished_;
}

double LiveSite::last_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_seconds_;
}

std::shared_ptr<const Site> LiveSite::HeldSite() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return site_;
}

void LiveSite::Hold(std::shared_ptr<const Site> site) {
  std::lock_guard<std::mutex> lock(mutex_);
  site_ = std::move(site);
}

void LiveSite::WatchLoop(int64_t seen) {
  // The first publish only updates the static search index serve's start build made.
  if (site_) (void)UpdateSearchIndex(true);
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait_for(lock, options_.poll, [this] { return stopping_ || !tasks_.empty(); });
    while (!tasks_.empty()) {
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
    if (stopping_) break;
    lock.unlock();
    // Commits through store_ (Publish) do not change its data version: only others' do.
    auto now = store_->CommitCounter();
    const bool retry = retry_at_ && std::chrono::steady_clock::now() >= *retry_at_;
    if (retry || (now.ok() && *now != seen)) {
      if (now.ok()) seen = *now;
      OnStoreChange();
    }
    if (site_) {
      const std::optional<DateTime> next = site_->Scheduled().next;
      if (next && next->unix_seconds <= options_.clock(0).unix_seconds) OnScheduleDue();
    }
    lock.lock();
  }
}

void LiveSite::RunOnWatcher(std::function<void()> task) {
  std::promise<void> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;  // the caller's result says serve is stopping
    tasks_.push_back([&task, &done] {
      task();
      done.set_value();
    });
  }
  wake_.notify_all();
  done.get_future().wait();
}

void LiveSite::ScheduleLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    schedule_told_ = false;
    lock.unlock();
    auto published = workflow_->PublishDue();
    if (published.ok() && published.value() > 0 && options_.report) {
      options_.report("published " + std::to_string(published.value()) + " scheduled edit(s)");
    }
    auto next = workflow_->NextDue();
    lock.lock();
    // Until the next edit falls due (to the second), a new schedule, or a minute (schedules
    // stored by another process).
    int64_t wait = 60;
    if (next.ok() && next.value()) {
      wait = std::clamp<int64_t>(*next.value() - options_.clock(0).unix_seconds, 1, 60);
    }
    wake_scheduler_.wait_for(lock, std::chrono::seconds(wait),
                             [this] { return stopping_ || schedule_told_; });
  }
}

void LiveSite::Schedule(const DateTime&) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    schedule_told_ = true;
  }
  wake_scheduler_.notify_all();
}

Result<BuildSummary> LiveSite::RepublishNow() {
  Result<BuildSummary> result = Status::Error("serve is stopping");
  RunOnWatcher([&] {
    if (site_ && manifest_.size() == 0) {
      Snapshot snapshot(store_.get());
      result = BuildChanged(std::nullopt, StepTimer(), &snapshot);
    } else {
      result = SyncWithStore();
    }
  });
  return result;
}

void LiveSite::OnStoreChange() {
  retry_at_.reset();
  auto summary = SyncWithStore();
  if (!summary.ok()) {
    // A site held but not built (its build failed) is loaded again whole; a refused change
    // waits for the next one.
    if (!site_) retry_at_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    if (options_.report) {
      options_.report("the store changed, but the site was not republished: " +
                      summary.status().message());
    }
  } else if (!summary->up_to_date && options_.report) {
    options_.report("republished after a store change: " + summary->ToString());
  }
}

void LiveSite::OnScheduleDue() {
  std::set<std::string> keys;
  Diagnostics diagnostics;
  SiteChange change;
  change.now = options_.clock(0).unix_seconds;
  std::shared_ptr<const Site> next = site_->Changed(change, &diagnostics, &keys);
  if (!next) return;  // a new time alone has nothing to check
  Hold(next);
  if (keys.empty()) return;
  Snapshot snapshot(store_.get());  // the texts of the pages as held
  auto summary = BuildChanged(std::move(keys), StepTimer(), &snapshot, "on schedule, ");
  if (!summary.ok()) {
    retry_at_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);  // loads it all
    if (options_.report) {
      options_.report("scheduled pages are due, but the site was not republished: " +
                      summary.status().message());
    }
  } else if (options_.report) {
    options_.report("published scheduled pages: " + summary->ToString());
  }
}

Result<BuildSummary> LiveSite::LoadAndBuild(StepTimer timer) {
  Snapshot snapshot(store_.get());
  auto files = ReadStoredFiles(store_.get(), options_.source_dir);
  if (!files.ok()) return files.status();
  PageCache cache = PageCache::Load(options_.out_dir);
  Diagnostics diagnostics;
  auto loaded = LoadStoredSite(store_.get(), options_.source_dir, &diagnostics, &timer, &cache,
                               options_.clock(0).unix_seconds);
  if (!loaded.ok()) return loaded.status();
  if (!*loaded) {
    Hold(nullptr);
    return Status::Error(std::to_string(diagnostics.size()) + " problem(s) in the stored content; " +
                         "the last site stays up:\n" + diagnostics.ToString());
  }
  files_ = std::move(files).value();
  Hold(std::move(loaded).value());
  auto summary = BuildChanged(std::nullopt, timer, &snapshot);
  // The next republish reuses the pages this one checked; losing the cache only costs time.
  if (summary.ok()) {
    Status saved = PageCache::Save(options_.out_dir, *site_, &cache);
    if (!saved.ok() && options_.report) options_.report("cannot save the page cache: " + saved.message());
  }
  return summary;
}

Result<BuildSummary> LiveSite::SyncWithStore() {
  StepTimer timer;
  if (!site_ || Site::SiteKeyOf(DiskFileSystem(), options_.source_dir) != site_->site_key()) {
    return LoadAndBuild(timer);
  }
  Snapshot snapshot(store_.get());
  if (Status s = files_.content->Refresh(); !s.ok()) return s;
  timer.Mark("diff");
  // The stored files as they are now, read through the stored content again (not through a
  // file the last publish laid over), with the records: withdrawn or restored pages, and the
  // histories of every page that changed.
  StoreRecords records(store_.get());
  SiteChange change;
  change.paths = ChangedFiles(*site_);
  change.fs = files_.files;
  change.records = &records;
  // An image uploaded to the library is one pages may show from now on.
  auto media = StoredMedia(store_.get());
  if (!media.ok()) return media.status();
  change.media = std::move(media).value();
  std::set<std::string> keys;
  Diagnostics diagnostics;
  std::shared_ptr<const Site> next = site_->Changed(change, &diagnostics, &keys);
  if (!next) {
    return Status::Error(std::to_string(diagnostics.size()) + " problem(s) in the stored content; " +
                         "the last site stays up:\n" + diagnostics.ToString());
  }
  Hold(next);
  timer.Mark("check");
  if (keys.empty()) {
    BuildSummary summary;
    summary.up_to_date = true;
    return summary;
  }
  return BuildChanged(std::move(keys), timer, &snapshot);
}

std::vector<std::string> LiveSite::ChangedFiles(const Site& site) const {
  std::map<std::string, std::string> held;  // full path -> stamp
  for (const auto& rendered : site.pages()) {
    held[JoinPath(options_.source_dir, rendered.page.source_path)] = rendered.source_stamp;
  }
  const std::string content_dir = JoinPath(options_.source_dir, "content");
  auto relative = [&content_dir](const std::string& path) {
    return "content" + path.substr(content_dir.size());
  };
  std::vector<std::string> changed;
  for (const auto& [path, stamp] : files_.content->stamps()) {
    auto it = held.find(path);
    if (it == held.end() || it->second != stamp) changed.push_back(relative(path));
    if (it != held.end()) held.erase(it);
  }
  for (const auto& [path, stamp] : held) changed.push_back(relative(path));
  return changed;
}

Result<BuildSummary> LiveSite::BuildChanged(std::optional<std::set<std::string>> keys,
                                            StepTimer timer, Snapshot* snapshot,
                                            const std::string& why) {
  BuildOptions build;
  build.out_dir = options_.out_dir;
  build.threads = options_.threads;
  build.previous_manifest = &manifest_;
  build.precompress = options_.precompress;
  const std::string what = why + (keys ? KeysText(*keys) + ": " : "whole site: ");
  build.changed_keys = std::move(keys);
  // The static search index follows the live pages (a copy of public/ without serve searches);
  // unmade, the last one stays.
  const Status searched = UpdateSearchIndex(!build.changed_keys);
  // With the library images live pages show: the same commit puts a page and its images live.
  auto media = searched.ok() ? StoredMediaOutputs(*site_, store_.get())
                             : Result<std::map<std::string, std::string>>(searched);
  if (media.ok()) {
    build.extra_files = std::move(media).value();
    build.held_extra_files = &search_->outputs();
    build.held_extra_hashes = &search_->output_hashes();
  } else if (options_.report) {
    options_.report("cannot make the static search index or the media files: " +
                    media.status().message());
  }
  timer.Mark("search.static");
  auto summary = site_->Build(build, timer);
  if (snapshot) snapshot->End();  // the log below is a write
  if (summary.ok() && !summary->manifest_changes.empty()) {
    manifest_.Update(summary->manifest_changes);
  } else {
    // Written whole, or removed by a build that stopped half way (the next renders everything).
    manifest_ = BuildManifest::Load(options_.out_dir);
  }
  if (!summary.ok()) {
    Hold(nullptr);  // held, but not what the output folder shows: loaded again whole
    return summary;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++republished_;
    last_seconds_ = summary->seconds;
  }
  if (options_.on_republished && !summary->up_to_date) options_.on_republished();
  // Which outputs a publish touched and how long each step took, for the editors' history.
  Status logged = PageRepository(store_.get())
                      .LogPublish("serve", what + summary->ToString() + RenderedText(*summary),
                                  summary->timer.ToString());
  if (!logged.ok() && options_.report) options_.report("cannot log the publish: " + logged.message());
  return summary;
}

Status LiveSite::UpdateSearchIndex(bool whole) {
  const int64_t now = options_.clock(site_->config().utc_offset_minutes).unix_seconds;
  if (search_ && !whole) {
    // Only the changed pages' files; a failure half way leaves it to be made whole.
    if (search_->Update(store_.get(), site_->config(), now).ok()) return Status::Ok();
  }
  search_.reset();
  auto made = StaticSearchIndex::Make(store_.get(), site_->config(), now);
  if (!made.ok()) return made.status();
  search_ = std::move(made).value();
  return Status::Ok();
}

Result<PublishResult> LiveSite::Publish(PublishRequest request, Diagnostics* diagnostics) {
  Result<PublishResult> result = Status::Error("serve is stopping");
  RunOnWatcher([&] { result = PublishOnWatcher(request, diagnostics); });
  return result;
}

Result<PublishResult> LiveSite::PublishOnWatcher(const PublishRequest& given,
                                                 Diagnostics* diagnostics) {
  PublishRequest request = given;
  request.out_dir = options_.out_dir;
  if (!site_) {  // the stored site fails a check: publish as the command would, then reload
    auto config = LoadSiteConfig(DiskFileSystem(),
                                 JoinPath(options_.source_dir, "site/config.yaml"), diagnostics);
    if (!config.ok()) return config.status();
    request.now = options_.clock(config->utc_offset_minutes);
    auto result = PublishFile(store_.get(), options_.source_dir, request, diagnostics);
    if (result.ok() && result->changed) OnStoreChange();
    return result;
  }
  request.now = options_.clock(site_->config().utc_offset_minutes);
  // An image uploaded since the watcher last looked is one the page may show.
  if (auto media = StoredMedia(store_.get()); media.ok() && **media != site_->media()) {
    SiteChange with_media;
    with_media.media = std::move(media).value();
    std::set<std::string> none;
    Diagnostics ignored;  // a new library alone has nothing to check
    if (std::shared_ptr<const Site> held = site_->Changed(with_media, &ignored, &none)) Hold(held);
  }
  std::set<std::string> keys;
  std::unique_ptr<Site> next;
  auto result = PublishToSite(store_.get(), files_.content.get(), files_.files, *site_,
                              options_.source_dir, request, diagnostics, &next, &keys);
  if (!result.ok() || keys.empty()) return result;
  StepTimer timer;
  Snapshot snapshot(store_.get());  // other pages' texts, as stored with this revision
  // The new revision is in the page's public history, rendered with the page; a withdrawn page
  // published again is no longer a tombstone (its notice and feed entry go with this build).
  StoreRecords records(store_.get());
  SiteChange change;
  change.records = &records;
  change.keys = keys;
  Diagnostics ignored;
  std::shared_ptr<const Site> live = Site::Changed(std::move(next), change, &ignored, &keys);
  Hold(live);  // none: ahead of the output folder, loaded again whole
  timer.Mark("records");
  auto summary = live ? BuildChanged(std::move(keys), timer, &snapshot)
                      : Result<BuildSummary>(Status::Error(ignored.ToString()));
  if (!summary.ok()) {
    // Stored but not live: the watcher loads and renders everything again from the store.
    retry_at_ = std::chrono::steady_clock::now();
    return Status::Error("stored as a revision, but not republished: " +
                         summary.status().message() + " (serve retries on the next change)");
  }
  result->steps += "; republish " + summary->timer.ToString();
  result->rendered = summary->rendered;
  return result;
}

Result<std::unique_ptr<Site>> LiveSite::TrySite(const std::string& stored_path,
                                                const std::string& text,
                                                Diagnostics* diagnostics) const {
  std::shared_ptr<const Site> held = HeldSite();
  if (!held) return Status::Error("the stored site fails a check: see serve's log");
  SiteChange change;
  change.paths = {stored_path};
  change.fs = std::make_shared<FileOverlay>(files_.files, JoinPath(options_.source_dir, stored_path),
                                            text);
  change.keep_problems = true;  // every problem at once; a page with some can still be previewed
  std::set<std::string> keys;
  std::unique_ptr<Site> trial = held->Changed(change, diagnostics, &keys);
  if (!trial) return Status::Error("the change fails the content checks");
  return trial;
}

Status LiveSite::Check(const std::string& stored_path, const std::string& text,
                       Diagnostics* diagnostics) {
  auto trial = TrySite(stored_path, text, diagnostics);
  if (!trial.ok()) return trial.status();
  return diagnostics->empty() ? Status::Ok() : Status::Error("the change fails the content checks");
}

Result<std::string> LiveSite::Preview(const std::string& stored_path, const std::string& text,
                                      Diagnostics* diagnostics) {
  auto trial = TrySite(stored_path, text, diagnostics);
  if (!trial.ok()) return trial.status();
  return (*trial)->PageDocument(stored_path);
}

Result<std::vector<std::string>> LiveSite::Unpublish(UnpublishRequest request,
                                                     Diagnostics* diagnostics) {
  Result<std::vector<std::string>> result = Status::Error("serve is stopping");
  RunOnWatcher([&] {
    if (site_) request.now = options_.clock(site_->config().utc_offset_minutes);
    result = UnpublishPage(store_.get(), options_.source_dir, request, diagnostics);
    if (result.ok()) OnStoreChange();  // live before the answer
  });
  return result;
}

ControlMessage LiveSite::Answer(const ControlMessage& message, const ControlPeer& peer) {
  auto op = message.find("op");
  if (op == message.end()) return {{"status", "error"}, {"message", "no op"}};
  if (op->second == "ping") return {{"status", "ok"}};
  if (op->second != "publish") return {{"status", "error"}, {"message", "unknown op " + op->second}};
  if (Status s = CommandLinePublishingAllowed(options_.source_dir); !s.ok()) {
    return {{"status", "refused"}, {"message", s.message()}};
  }
  auto request = PublishRequestFrom(message, peer);
  if (!request.ok()) return {{"status", "error"}, {"message", request.status().message()}};
  Diagnostics diagnostics;
  auto result = Publish(std::move(request).value(), &diagnostics);
  return PublishAnswer(result, diagnostics);
}

}  // namespace clemency
