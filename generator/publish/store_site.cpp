#include "publish/store_site.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/fs.h"
#include "content/support_import.h"
#include "core/json.h"
#include "core/parallel.h"
#include "publish/history.h"
#include "publish/media_files.h"
#include "publish/search_index.h"
#include "render/output.h"

namespace clemency {
namespace {

void OptionalDate(JsonWriter& json, const char* key, const std::optional<DateTime>& date) {
  json.Key(key);
  if (date) {
    json.String(date->ToRfc3339());
  } else {
    json.Null();
  }
}

// The kind-specific front matter the API returns as is, as a JSON object.
std::string MetaJson(const Page& page) {
  JsonWriter json;
  json.BeginObject().Key("sources").BeginArray();
  for (const LegalSource& s : page.sources) {
    json.BeginObject().Field("title", s.title);
    if (!s.number.empty()) json.Field("number", s.number);
    if (!s.article.empty()) json.Field("article", s.article);
    if (!s.url.empty()) json.Field("url", s.url);
    json.EndObject();
  }
  json.EndArray();
  OptionalDate(json, "reviewed", page.reviewed);
  json.FieldOrNull("translation_status", page.translation_status);
  OptionalDate(json, "translated_from", page.translated_from);
  json.Key("tags").BeginArray();
  for (const auto& tag : page.tags) json.String(tag);
  json.EndArray();
  if (page.consent) {
    const Consent& consent = *page.consent;
    json.Key("consent").BeginObject().Field("basis", consent.basis);
    if (consent.personal()) {
      json.Field("given_by", consent.given_by).Field("scope", consent.scope);
      OptionalDate(json, "date", consent.date);
    }
    json.EndObject();
  }
  if (page.story_source) {
    const StorySource& s = *page.story_source;
    json.Key("source").BeginObject().Field("title", s.title).Field("publisher", s.publisher);
    if (s.date) json.Field("date", s.date->ToRfc3339());
    if (!s.url.empty()) json.Field("url", s.url);
    json.EndObject();
  }
  json.EndObject();
  return json.str();
}

SupportRow ToSupportRow(const SupportInfo& info) {
  SupportRow support;
  support.province = info.province;
  support.current_province = info.current_province;
  support.commune = info.commune;
  support.district = info.DistrictShown();
  support.organisation = info.organisation;
  support.services = info.services;
  support.phone = info.contact.phone;
  support.address = info.contact.address;
  support.hours = info.contact.hours;
  if (info.coordinates) {
    support.lat = info.coordinates->lat;
    support.lon = info.coordinates->lon;
  }
  if (info.verified) support.verified = info.verified->ToRfc3339();
  support.verified_by = info.verified_by;
  return support;
}

}  // namespace

Result<PageRow> PageToRow(const Site& site, const RenderedPage& rendered, RowContent content) {
  const Page& page = rendered.page;
  Result<std::string> source = content == RowContent::kWhole
                                   ? site.SourceText(rendered)
                                   : Result<std::string>(std::string());
  if (!source.ok()) return source.status();
  auto body = site.RenderBody(rendered, true);  // partners embed body_html: absolute links
  if (!body.ok()) return body.status();
  PageRow row;
  row.section = page.section;
  row.slug = page.slug;
  row.lang = page.lang;
  row.kind = page.kind;
  row.title = page.title;
  row.summary = page.summary;
  row.published = page.date.ToRfc3339();
  row.updated = page.updated.ToRfc3339();
  row.updated_unix = page.updated.unix_seconds;
  row.public_updated = row.updated;  // a file's own `updated` is its last announced change
  row.draft = page.draft;
  row.weight = page.weight;
  row.source_path = page.source_path;
  row.source_text = std::move(source).value();
  row.search = SearchFieldsFor(site, rendered, *body);
  if (content == RowContent::kWhole) row.body_html = std::move(body->html);
  row.body_text = std::move(body->plain_text);
  row.content_hash = rendered.source_hash;
  row.change_note = page.change_note;
  row.meta_json = MetaJson(page);
  row.retold_report = page.IsRetoldReport();
  if (page.support) row.support = ToSupportRow(*page.support);
  return row;
}

namespace {

// The rows of the pages numbered `at`[from, from + count), made on all cores (each reads its file
// again and renders its Markdown and search words, which is most of an import's time).
std::vector<Result<PageRow>> RowsOf(const Site& site, const std::vector<size_t>& at, size_t from,
                                    size_t count, RowContent content) {
  std::vector<Result<PageRow>> rows(count, Status::Error(""));
  ParallelFor(count, DefaultThreads(),
              [&](size_t i) { rows[i] = PageToRow(site, site.pages()[at[from + i]], content); });
  return rows;
}

// The numbers of the pages whose row is to be written: all, or with `keep_unchanged` those the
// store holds no row of the same text for.
Result<std::vector<size_t>> PagesToWrite(const Site& site, Store* store, bool keep_unchanged) {
  std::unordered_map<std::string, std::string> stored;  // source path -> content hash
  if (keep_unchanged) {
    Status s = PageRepository(store).ForEachHash(
        [&stored](const std::string& path, const std::string& hash) { stored[path] = hash; });
    if (!s.ok()) return s;
  }
  std::vector<size_t> at;
  for (size_t i = 0; i < site.pages().size(); ++i) {
    const RenderedPage& rendered = site.pages()[i];
    auto row = stored.find(rendered.page.source_path);
    if (row == stored.end() || row->second != rendered.source_hash) at.push_back(i);
  }
  return at;
}

}  // namespace

Status ImportSite(const Site& site, Store* store, bool keep_unchanged, RowContent content) {
  PageRepository repository(store);
  if (Status s = store->Begin(); !s.ok()) return s;
  auto fail = [store](Status s) {
    store->Rollback();
    return s;
  };
  auto count = repository.Count();
  if (!count.ok()) return fail(count.status());
  auto at = PagesToWrite(site, store, keep_unchanged);
  if (!at.ok()) return fail(at.status());
  if (Status s = repository.BeginSearchBatch(); !s.ok()) return fail(s);
  const DateTime now = Now(site.config().utc_offset_minutes);
  std::vector<std::tuple<std::string, std::string, std::string>> keep;
  for (const RenderedPage& rendered : site.pages()) {
    keep.emplace_back(rendered.page.section, rendered.page.slug, rendered.page.lang);
  }
  // Rows are made a batch at a time on all cores while the store writes the batch before (one
  // thread, in the pages' order), so only two batches are held at once.
  auto write = [&](const std::vector<Result<PageRow>>& rows) -> Status {
    for (const auto& row : rows) {
      if (!row.ok()) return row.status();
      // Into a store partners already read, a new or restored translation changes the others'
      // records (a first import changes nobody's).
      Status s = *count == 0 ? Status::Ok()
                             : repository.NoteLanguageChange(row->section, row->slug, row->lang,
                                                             !row->draft, now.ToRfc3339(),
                                                             now.unix_seconds);
      if (s.ok()) s = repository.Upsert(*row);
      if (!s.ok()) return s;
    }
    return Status::Ok();
  };
  constexpr size_t kBatch = 256;
  std::vector<Result<PageRow>> writing;
  std::future<Status> written;
  for (size_t from = 0; from < at->size(); from += kBatch) {
    std::vector<Result<PageRow>> rows =
        RowsOf(site, *at, from, std::min(kBatch, at->size() - from), content);
    if (written.valid()) {
      if (Status s = written.get(); !s.ok()) return fail(s);
    }
    writing = std::move(rows);
    written = std::async(std::launch::async, [&write, &writing] { return write(writing); });
  }
  if (written.valid()) {
    if (Status s = written.get(); !s.ok()) return fail(s);
  }
  if (Status s = repository.EndSearchBatch(); !s.ok()) return fail(s);
  Withdrawal removed{now.ToRfc3339(), now.unix_seconds, "removed from content/", false,
                     "import content", ""};
  if (Status s = repository.WithdrawAllExcept(keep, removed); !s.ok()) return fail(s);
  if (Status s = SearchIndex(store).ReplaceSynonyms(SiteSynonyms(site)); !s.ok()) return fail(s);
  return store->Commit();
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& db_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path folder = fs::path(db_path).parent_path();
  if (!folder.empty() && !fs::exists(folder, ec)) {
    fs::create_directories(folder, ec);
    // Owner only, like the store: nobody else lists or reads what is in it.
    fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  return Store::Open(db_path);
}

namespace {

// The stamp of a stored page: MemoryFileSystem's, from the same hash the store keeps, so a page
// cache written from either serves both.
std::string ContentStamp(const std::string& content_hash) { return "content:" + content_hash; }

}  // namespace

Status StoredContent::Refresh() {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  stamps_.clear();
  laid_over_ = MemoryFileSystem();
  replaced_.clear();
  return PageRepository(store_).ForEachHash([this](const std::string& path, const std::string& hash) {
    stamps_[JoinPath(source_dir_, path)] = ContentStamp(hash);
  });
}

void StoredContent::Put(const std::string& path, std::string text) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  if (!laid_over_.IsFile(path)) {
    auto it = stamps_.find(path);
    replaced_.emplace(path, it == stamps_.end() ? std::string() : it->second);
  }
  laid_over_.Add(path, std::move(text));
  stamps_[path] = laid_over_.Stamp(path);
}

void StoredContent::TakeBack(const std::string& path) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  auto it = replaced_.find(path);
  if (it == replaced_.end()) return;
  laid_over_.Remove(path);
  if (it->second.empty()) {
    stamps_.erase(path);  // it was not stored
  } else {
    stamps_[path] = it->second;
  }
  replaced_.erase(it);
}

void StoredContent::Remove(const std::string& path) {
  std::unique_lock<std::shared_mutex> lock(mutex_);
  laid_over_.Remove(path);
  replaced_.erase(path);
  stamps_.erase(path);
}

Result<std::string> StoredContent::ReadFile(const std::string& path) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  if (!stamps_.count(path)) return Status::Error(path + ": cannot open file");
  if (laid_over_.IsFile(path)) return laid_over_.ReadFile(path);
  // Stored paths are relative to the source folder, as every listed path was made from one.
  const std::string prefix = JoinPath(source_dir_, "");
  const size_t cut = prefix.empty() ? 0 : prefix.size() + (prefix.back() == '/' ? 0 : 1);
  return PageRepository(store_).SourceText(path.substr(cut));
}

bool StoredContent::IsFile(const std::string& path) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return stamps_.count(path) > 0;
}

bool StoredContent::IsDirectory(const std::string& path) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return HasPathUnder(stamps_, path);
}

std::vector<std::string> StoredContent::ListFiles(const std::string& dir) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return PathsUnder(stamps_, dir);
}

int64_t StoredContent::FileSize(const std::string& path) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  return laid_over_.IsFile(path) ? laid_over_.FileSize(path) : -1;
}

std::string StoredContent::Stamp(const std::string& path) const {
  std::shared_lock<std::shared_mutex> lock(mutex_);
  auto it = stamps_.find(path);
  return it == stamps_.end() ? std::string() : it->second;
}

Result<StoredFiles> ReadStoredFiles(Store* store, const std::string& source_dir) {
  StoredFiles out;
  out.content = std::make_shared<StoredContent>(store, source_dir);
  if (Status s = out.content->Refresh(); !s.ok()) return s;
  auto disk = std::make_shared<DiskFileSystem>();
  auto content = out.content;
  out.files = std::shared_ptr<const FileSystem>(
      new OverlayFileSystem(*disk, JoinPath(source_dir, "content"), *content),
      [disk, content](const FileSystem* overlay) { delete overlay; });
  return out;
}

namespace {

// Loads content/ under `source_dir` from disk, its pages free to show the images of the store's
// media library and of the folder's (an export's media/).
Result<std::unique_ptr<Site>> LoadForImport(const std::string& source_dir, Store* store,
                                            Diagnostics* diagnostics, StepTimer* timer) {
  auto stored = StoredMedia(store);
  if (!stored.ok()) return stored.status();
  auto media = std::make_shared<MediaIndex>(**stored);
  auto folder = FolderMedia(source_dir);
  media->files.insert(folder->files.begin(), folder->files.end());
  media->people.insert(folder->people.begin(), folder->people.end());
  LoadOptions options;
  options.timer = timer;
  options.media = std::move(media);
  return Site::Load(std::make_shared<DiskFileSystem>(), source_dir, diagnostics, options);
}

}  // namespace

Result<int64_t> ImportContent(const std::string& source_dir, const std::string& db_path,
                              Diagnostics* diagnostics) {
  auto store = OpenStore(db_path);
  if (!store.ok()) return store.status();
  auto site = LoadForImport(source_dir, store->get(), diagnostics, nullptr);
  if (!site.ok()) return site.status();
  if (!*site) return Status::Error("content/ has problems; the store was not changed");
  if (Status s = ImportSite(**site, store->get()); !s.ok()) return s;
  if (Status s = ImportMedia(source_dir, store->get()); !s.ok()) return s;
  return PageRepository(store->get()).Count();
}

Status ExportContent(Store* store, const std::string& source_dir, const std::string& to_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(to_dir, ec) && !(fs::is_directory(to_dir, ec) && fs::is_empty(to_dir, ec))) {
    return Status::Error("--to " + to_dir + ": exists and is not an empty folder");
  }
  const std::string temp = to_dir + ".export-" + std::to_string(::getpid());
  fs::remove_all(temp, ec);
  Status written;
  Status s = PageRepository(store).ForEachSource([&](const std::string& path, std::string text) {
    if (!written.ok()) return;
    if (!IsSafeRelativePath(path) || path.rfind("content/", 0) != 0) {
      written = Status::Error("store: page file " + path + " is not under content/");
      return;
    }
    fs::create_directories(fs::path(JoinPath(temp, path)).parent_path(), ec);
    written = WriteFileAtomically(JoinPath(temp, path), text);
  });
  if (s.ok()) s = written;
  // What the pages' public histories show (announced revisions, their texts for diffs).
  if (s.ok()) s = ExportHistories(store, temp).status();
  if (s.ok()) s = ExportMedia(store, temp);
  if (s.ok()) {
    Diagnostics ignored;  // the site was checked when its pages were stored
    auto config = LoadSiteConfig(DiskFileSystem(), JoinPath(source_dir, "site/config.yaml"), &ignored);
    auto tombstones = config.ok() ? ReadTombstones(store, config->utc_offset_minutes)
                                  : Result<std::vector<Tombstone>>(config.status());
    s = tombstones.ok() ? ExportWithdrawals(*tombstones, temp) : tombstones.status();
  }
  if (s.ok()) {
    fs::copy(JoinPath(source_dir, "site"), JoinPath(temp, "site"), fs::copy_options::recursive, ec);
    if (ec) s = Status::Error("cannot copy " + JoinPath(source_dir, "site") + ": " + ec.message());
  }
  if (s.ok()) {
    fs::remove(to_dir, ec);  // an empty folder
    fs::rename(temp, to_dir, ec);
    if (ec) s = Status::Error("cannot move " + temp + " to " + to_dir + ": " + ec.message());
  }
  if (!s.ok()) fs::remove_all(temp, ec);
  return s;
}

namespace {

// Stores the pages of `site` whose files (full paths) are in `changed` as the import's
// corrections: each dated and noted as its file now says (PlanSupportImport wrote both), in one
// transaction; the other pages stay as stored.
Status StoreSupportCorrections(const Site& site, const std::string& source_dir,
                               const std::set<std::string>& changed, Store* store) {
  if (changed.empty()) return Status::Ok();
  PageRepository pages(store);
  if (Status s = store->Begin(); !s.ok()) return s;
  Status s;
  std::string what;
  for (const auto& rendered : site.pages()) {
    if (!s.ok() || !changed.count(JoinPath(source_dir, rendered.page.source_path))) continue;
    auto row = PageToRow(site, rendered);
    if (!row.ok()) {
      s = row.status();
      break;
    }
    row->change_type = "correction";
    row->people.author = row->people.publisher = "import support";
    s = pages.Upsert(*row);
    what += (what.empty() ? "" : ", ") + row->section + "/" + row->slug + "/" + row->lang;
  }
  if (s.ok()) s = pages.LogPublish("import support", what + " (correction)", "");
  if (s.ok()) s = store->Commit();
  if (!s.ok()) store->Rollback();
  return s;
}

}  // namespace

Result<size_t> ImportSupportIntoStore(Store* store, const std::string& source_dir,
                                      const std::string& csv_display, const std::string& csv_text,
                                      Diagnostics* diagnostics) {
  auto stored = ReadStoredFiles(store, source_dir);
  if (!stored.ok()) return stored.status();
  auto config = LoadSiteConfig(*stored->files, JoinPath(source_dir, "site/config.yaml"), diagnostics);
  if (!config.ok()) return config.status();
  std::vector<FileUpdate> updates =
      PlanSupportImport(*stored->files, source_dir, csv_display, csv_text, *config,
                        Now(config->utc_offset_minutes), diagnostics);
  if (!diagnostics->empty()) return Status::Error("nothing was imported");
  std::set<std::string> changed;  // full paths
  for (auto& update : updates) {
    changed.insert(update.path);
    stored->content->Put(update.path, std::move(update.text));
  }
  // The whole site is checked with the new contacts before any of them is stored.
  auto site = Site::Load(stored->files, source_dir, diagnostics);
  if (!site) return Status::Error("nothing was imported");
  if (Status s = StoreSupportCorrections(*site, source_dir, changed, store); !s.ok()) return s;
  return updates.size();
}

Result<std::vector<Tombstone>> ReadTombstones(Store* store, int utc_offset_minutes) {
  auto rows = PageRepository(store).Tombstones();
  if (!rows.ok()) return rows.status();
  std::vector<Tombstone> tombstones;
  for (const PageRow& row : *rows) {
    Tombstone t;
    t.section = row.section;
    t.slug = row.slug;
    t.lang = row.lang;
    t.title = row.title;
    t.reason = row.withdrawn_reason;
    t.reason_lang = row.withdrawn_reason_lang;
    t.published = ParseDateTime(row.published, utc_offset_minutes).value_or(DateTime{});
    t.at = ParseDateTime(row.withdrawn_at, utc_offset_minutes).value_or(DateTime{});
    t.gone = row.status == "gone";
    tombstones.push_back(std::move(t));
  }
  return tombstones;
}

Result<std::unique_ptr<Site>> LoadStoredSite(Store* store, const std::string& source_dir,
                                             Diagnostics* diagnostics, StepTimer* timer,
                                             PageCache* cache, std::optional<int64_t> now) {
  auto stored = ReadStoredFiles(store, source_dir);
  if (!stored.ok()) return stored.status();
  if (timer) timer->Mark("read");
  StoreRecords records(store);
  auto media = StoredMedia(store);
  if (!media.ok()) return media.status();
  return Site::Load(stored->files, source_dir, diagnostics,
                    LoadOptions{timer, cache, &records, now, std::move(media).value()});
}

Result<StoredSite> OpenStoredSite(const std::string& source_dir, const std::string& db_path,
                                  Diagnostics* diagnostics, StepTimer* timer) {
  auto store = OpenStore(db_path);
  if (!store.ok()) return store.status();
  StoredSite out;
  out.store = std::move(store).value();
  PageRepository pages(out.store.get());
  auto count = pages.Count();
  if (!count.ok()) return count.status();
  if (*count == 0) {
    out.imported = true;
    auto loaded = LoadForImport(source_dir, out.store.get(), diagnostics, timer);
    if (!loaded.ok()) return loaded.status();
    out.site = std::move(loaded).value();
    if (!out.site) return Status::Error("content/ has problems; nothing was imported");
    if (Status s = ImportSite(*out.site, out.store.get()); !s.ok()) return s;
    if (Status s = ImportMedia(source_dir, out.store.get()); !s.ok()) return s;
    // What the store now says: the build shows the same histories as any later one.
    StoreRecords records(out.store.get());
    SiteChange change;
    change.records = &records;
    change.all_records = true;
    std::set<std::string> keys;
    out.site = out.site->Changed(change, diagnostics, &keys);
    if (!out.site) return Status::Error("the store's records of the imported site have problems");
    if (timer) timer->Mark("index");
    auto imported = pages.Count();
    out.pages = imported.ok() ? *imported : 0;
    return out;
  }
  out.pages = *count;
  auto site = LoadStoredSite(out.store.get(), source_dir, diagnostics, timer);
  if (!site.ok()) return site.status();
  out.site = std::move(site).value();
  // A store made before search existed gets its index once; the synonyms follow site/.
  if (out.site) {
    if (Status s = RefreshSearchIndex(*out.site, out.store.get()); !s.ok()) return s;
  }
  return out;  // without a site when the stored content fails a check
}

}  // namespace clemency
