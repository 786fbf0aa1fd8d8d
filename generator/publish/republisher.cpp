#include "publish/republisher.h"

#include <future>
#include <map>

#include "config/site_config.h"
#include "publish/history.h"

namespace clemency {
namespace {

// What each withdrawn page shows, by translation key: a key whose entry differs was withdrawn,
// restored or changed and is republished.
std::map<std::string, std::string> TombstoneSignatures(const std::vector<Tombstone>& tombstones) {
  std::map<std::string, std::string> out;
  for (const Tombstone& t : tombstones) {
    out[t.section + "/" + t.slug] += t.lang + "\x1f" + t.title + "\x1f" + t.reason + "\x1f" +
                                     t.reason_lang + "\x1f" + t.at.ToRfc3339() +
                                     (t.gone ? "\x1fgone" : "") + "\n";
  }
  return out;
}

std::set<std::string> ChangedTombstones(const std::vector<Tombstone>& before,
                                        const std::vector<Tombstone>& after) {
  std::map<std::string, std::string> old = TombstoneSignatures(before),
                                     now = TombstoneSignatures(after);
  std::set<std::string> keys;
  for (const auto& [key, signature] : now) {
    auto it = old.find(key);
    if (it == old.end() || it->second != signature) keys.insert(key);
  }
  for (const auto& [key, signature] : old) {
    if (!now.count(key)) keys.insert(key);
  }
  return keys;
}

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

Status Republisher::Watch() {
  auto store = OpenStore(options_.db_path);
  if (!store.ok()) return store.status();
  store_ = std::move(store).value();
  auto version = store_->CommitCounter();
  if (!version.ok()) return version.status();
  seen_version_ = *version;
  return Status::Ok();
}

Status Republisher::Start() {
  auto files = ReadStoredFiles(store_.get(), options_.source_dir);
  if (!files.ok()) return files.status();
  files_ = std::move(files).value();
  // The build serve made at start saved its page cache: nothing is parsed again here.
  PageCache cache = PageCache::Load(options_.out_dir);
  Diagnostics diagnostics;  // serve reported them when it opened the store
  site_ = Site::Load(files_.files, options_.source_dir, &diagnostics, nullptr, &cache);
  if (site_) {
    auto tombstones = ReadTombstones(store_.get(), site_->config().utc_offset_minutes);
    if (!tombstones.ok()) return tombstones.status();
    site_->SetTombstones(std::move(tombstones).value());
    if (Status s = AddHistories(store_.get(), site_.get()); !s.ok()) return s;
  }
  manifest_ = BuildManifest::Load(options_.out_dir);
  // The output folder shows the site as at its last build: pages due since then (while serve
  // was down, or since serve's own start build) go live on the watcher's first look.
  if (site_ && manifest_.size() > 0 && manifest_.schedule().built_at < site_->now()) {
    site_->SetNow(manifest_.schedule().built_at);
  }
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

void Republisher::Stop() {
  control_.Stop();  // a publish in progress finishes first
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // The next serve starts from the held pages instead of parsing them again.
  if (site_ && !options_.out_dir.empty()) PageCache::Save(options_.out_dir, *site_);
}

uint64_t Republisher::republished() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return republished_;
}

double Republisher::last_seconds() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_seconds_;
}

void Republisher::WatchLoop(int64_t seen) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
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
      if (next && next->unix_seconds <= Now(0).unix_seconds) OnScheduleDue();
    }
    lock.lock();
  }
}

void Republisher::RunOnWatcher(std::function<void()> task) {
  std::promise<void> done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back([&task, &done] {
      task();
      done.set_value();
    });
  }
  wake_.notify_all();
  done.get_future().wait();
}

Result<BuildSummary> Republisher::RepublishNow() {
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

void Republisher::OnStoreChange() {
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

void Republisher::OnScheduleDue() {
  std::set<std::string> keys;
  site_->SetNow(Now(0).unix_seconds, &keys);
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

Result<BuildSummary> Republisher::LoadAndBuild(StepTimer timer) {
  Snapshot snapshot(store_.get());
  auto files = ReadStoredFiles(store_.get(), options_.source_dir);
  if (!files.ok()) return files.status();
  PageCache cache = PageCache::Load(options_.out_dir);
  Diagnostics diagnostics;
  auto loaded = LoadStoredSite(store_.get(), options_.source_dir, &diagnostics, &timer, &cache);
  if (!loaded.ok()) return loaded.status();
  if (!*loaded) {
    site_.reset();
    return Status::Error(std::to_string(diagnostics.size()) + " problem(s) in the stored content; " +
                         "the last site stays up:\n" + diagnostics.ToString());
  }
  files_ = std::move(files).value();
  site_ = std::move(loaded).value();
  auto summary = BuildChanged(std::nullopt, timer, &snapshot);
  // The next republish reuses the pages this one checked; losing the cache only costs time.
  if (summary.ok()) {
    Status saved = PageCache::Save(options_.out_dir, *site_, &cache);
    if (!saved.ok() && options_.report) options_.report("cannot save the page cache: " + saved.message());
  }
  return summary;
}

Result<BuildSummary> Republisher::SyncWithStore() {
  StepTimer timer;
  if (!site_ || Site::SiteKeyOf(DiskFileSystem(), options_.source_dir) != site_->site_key()) {
    return LoadAndBuild(timer);
  }
  Snapshot snapshot(store_.get());
  if (Status s = files_.content->Refresh(); !s.ok()) return s;
  std::vector<std::string> changed = ChangedFiles();
  auto tombstones = ReadTombstones(store_.get(), site_->config().utc_offset_minutes);
  if (!tombstones.ok()) return tombstones.status();
  std::set<std::string> keys = ChangedTombstones(site_->tombstones(), *tombstones);
  timer.Mark("diff");
  Diagnostics diagnostics;
  if (!changed.empty() && !site_->Reload(changed, &diagnostics, &keys)) {
    return Status::Error(std::to_string(diagnostics.size()) + " problem(s) in the stored content; " +
                         "the last site stays up:\n" + diagnostics.ToString());
  }
  site_->SetTombstones(std::move(tombstones).value());
  // A changed or withdrawn page's public history changed with it. Unread, the held site is
  // ahead of the output folder: it is loaded again whole.
  if (Status s = AddHistories(store_.get(), site_.get(), &keys); !s.ok()) {
    site_.reset();
    return s;
  }
  timer.Mark("check");
  if (keys.empty()) {
    BuildSummary summary;
    summary.up_to_date = true;
    return summary;
  }
  return BuildChanged(std::move(keys), timer, &snapshot);
}

std::vector<std::string> Republisher::ChangedFiles() const {
  std::map<std::string, std::string> held;  // full path -> stamp
  for (const auto& rendered : site_->pages()) {
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

Result<BuildSummary> Republisher::BuildChanged(std::optional<std::set<std::string>> keys,
                                               StepTimer timer, Snapshot* snapshot,
                                               const std::string& why) {
  BuildOptions build;
  build.out_dir = options_.out_dir;
  build.threads = options_.threads;
  build.previous_manifest = &manifest_;
  const std::string what = why + (keys ? KeysText(*keys) + ": " : "whole site: ");
  build.changed_keys = std::move(keys);
  auto summary = site_->Build(build, timer);
  if (snapshot) snapshot->End();  // the log below is a write
  if (summary.ok() && !summary->manifest_changes.empty()) {
    manifest_.Update(summary->manifest_changes);
  } else {
    // Written whole, or removed by a build that stopped half way (the next renders everything).
    manifest_ = BuildManifest::Load(options_.out_dir);
  }
  if (!summary.ok()) {
    site_.reset();  // held, but not what the output folder shows: loaded again whole
    return summary;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++republished_;
    last_seconds_ = summary->seconds;
  }
  // Which outputs a publish touched and how long each step took, for the editors' history.
  Status logged = PageRepository(store_.get())
                      .LogPublish("serve", what + summary->ToString() + RenderedText(*summary),
                                  summary->timer.ToString());
  if (!logged.ok() && options_.report) options_.report("cannot log the publish: " + logged.message());
  return summary;
}

Result<PublishResult> Republisher::Publish(PublishRequest request, Diagnostics* diagnostics) {
  Result<PublishResult> result = Status::Error("serve is stopping");
  RunOnWatcher([&] { result = PublishOnWatcher(request, diagnostics); });
  return result;
}

Result<PublishResult> Republisher::PublishOnWatcher(const PublishRequest& given,
                                                   Diagnostics* diagnostics) {
  PublishRequest request = given;
  request.out_dir = options_.out_dir;
  if (!site_) {  // the stored site fails a check: publish as the command would, then reload
    auto config = LoadSiteConfig(DiskFileSystem(),
                                 JoinPath(options_.source_dir, "site/config.yaml"), diagnostics);
    if (!config.ok()) return config.status();
    request.now = Now(config->utc_offset_minutes);
    auto result = PublishFile(store_.get(), options_.source_dir, request, diagnostics);
    if (result.ok() && result->changed) OnStoreChange();
    return result;
  }
  request.now = Now(site_->config().utc_offset_minutes);
  std::set<std::string> keys;
  auto result = PublishToSite(store_.get(), files_.content.get(), site_.get(),
                              options_.source_dir, request, diagnostics, &keys);
  if (!result.ok() || keys.empty()) return result;
  Snapshot snapshot(store_.get());  // other pages' texts, as stored with this revision
  // The new revision is in the page's public history, rendered with the page; a withdrawn page
  // published again is no longer a tombstone (its notice and feed entry go with this build).
  Status history = AddTombstones(store_.get(), site_.get());
  if (history.ok()) history = AddHistories(store_.get(), site_.get(), &keys);
  if (!history.ok()) site_.reset();  // ahead of the output folder: loaded again whole
  auto summary = history.ok() ? BuildChanged(std::move(keys), StepTimer(), &snapshot)
                              : Result<BuildSummary>(history);
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

Status Republisher::Check(const std::string& stored_path, const std::string& text,
                          Diagnostics* diagnostics) {
  Result<std::string> result = Status::Error("serve is stopping");
  RunOnWatcher([&] { result = TryOnWatcher(stored_path, text, false, diagnostics); });
  return result.status();
}

Result<std::string> Republisher::Preview(const std::string& stored_path, const std::string& text,
                                         Diagnostics* diagnostics) {
  Result<std::string> result = Status::Error("serve is stopping");
  RunOnWatcher([&] { result = TryOnWatcher(stored_path, text, true, diagnostics); });
  return result;
}

Result<std::string> Republisher::TryOnWatcher(const std::string& stored_path,
                                              const std::string& text, bool render,
                                              Diagnostics* diagnostics) {
  if (!site_) return Status::Error("the stored site fails a check: see serve's log");
  const std::string full_path = JoinPath(options_.source_dir, stored_path);
  files_.content->Put(full_path, text);
  std::set<std::string> keys;
  bool passed = site_->Reload({stored_path}, diagnostics, &keys);
  Result<std::string> out = std::string();
  if (!passed) out = Status::Error("the change fails the content checks");
  if (passed && render) out = site_->PageDocument(stored_path);  // while the text is laid over
  // Back to the stored text: nothing of the trial stays in the held site.
  files_.content->TakeBack(full_path);
  Diagnostics ignored;
  if (passed && !site_->Reload({stored_path}, &ignored, &keys)) site_.reset();
  return out;
}

Result<std::vector<std::string>> Republisher::Unpublish(UnpublishRequest request,
                                                        Diagnostics* diagnostics) {
  Result<std::vector<std::string>> result = Status::Error("serve is stopping");
  RunOnWatcher([&] {
    if (site_) request.now = Now(site_->config().utc_offset_minutes);
    result = UnpublishPage(store_.get(), options_.source_dir, request, diagnostics);
    if (result.ok()) OnStoreChange();  // live before the answer
  });
  return result;
}

ControlMessage Republisher::Answer(const ControlMessage& message, const ControlPeer& peer) {
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
