#pragma once
// The store as the site's source of record: pages go in as rows (ImportSite) and the site is
// loaded back from them (OpenStoredSite). The one place that maps a Page to a PageRow.
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>

#include "core/status.h"
#include "core/timing.h"
#include "render/page_cache.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {

// What a page's row holds: all of it (a store), or what search needs (a build's search file:
// no source text, no HTML body, so no second reading of the page's file).
enum class RowContent { kWhole, kSearch };

// The row of one loaded page: metadata, source text, rendered body, the kind-specific front
// matter as a JSON object, and its support entry (the first two left empty for kSearch).
Result<PageRow> PageToRow(const Site& site, const RenderedPage& rendered,
                          RowContent content = RowContent::kWhole);

// Writes every page of `site` into `store` in one transaction (inserting or updating by section,
// slug and language); published pages the site no longer has become tombstones ("removed from
// content/"). Nothing changes on an error. With `keep_unchanged`, a page whose stored row was made
// from the same text keeps it (REQUIRES: the rows were made by this program from the same site/).
Status ImportSite(const Site& site, Store* store, bool keep_unchanged = false,
                  RowContent content = RowContent::kWhole);

// Opens (creating it and its folder when missing) the store at `db_path`.
Result<std::unique_ptr<Store>> OpenStore(const std::string& db_path);

// content/ as the store holds it (published pages), under `source_dir`/content. The listing and
// each file's stamp (its content hash) come from an index; a text is read from the store only when
// asked for, so a site loaded with a page cache reads the pages that changed and no others.
// Changes not stored yet can be laid over it. Reading is thread-safe, also while the thread that
// owns it refreshes it or lays a text over it (a preview reads while a publish stores).
class StoredContent : public FileSystem {
 public:
  StoredContent(Store* store, std::string source_dir) : store_(store), source_dir_(std::move(source_dir)) {}
  // Reads the listing (paths and hashes) from the store; what was laid over is dropped.
  Status Refresh();
  // Every file (full path) with its stamp. REQUIRES: the thread that changes this asks.
  const std::map<std::string, std::string>& stamps() const { return stamps_; }
  // Lays `text` over the stored file at `path` (a full path under source_dir/content).
  void Put(const std::string& path, std::string text);
  // Takes away what Put laid over `path`: the stored file (or none) is seen again, without
  // reading the listing again as Refresh does.
  void TakeBack(const std::string& path);
  // Hides the stored file at `path`.
  void Remove(const std::string& path);
  Result<std::string> ReadFile(const std::string& path) const override;
  bool IsDirectory(const std::string& path) const override;
  bool IsFile(const std::string& path) const override;
  std::vector<std::string> ListFiles(const std::string& dir) const override;
  int64_t FileSize(const std::string& path) const override;  // -1 for a stored file: it was
                                                             // checked when it was stored
  std::string Stamp(const std::string& path) const override;

 private:
  Store* store_;
  std::string source_dir_;
  mutable std::shared_mutex mutex_;  // over the three below
  std::map<std::string, std::string> stamps_;  // full path -> stamp, stored and laid over
  MemoryFileSystem laid_over_;
  std::map<std::string, std::string> replaced_;  // laid-over path -> its stamp before ("" none)
};

// content/ from the store, every other file of the site from disk.
struct StoredFiles {
  std::shared_ptr<StoredContent> content;  // lay a change over it to check it before storing
  std::shared_ptr<const FileSystem> files; // the overlay a Site loads from
};
Result<StoredFiles> ReadStoredFiles(Store* store, const std::string& source_dir);

// Loads and checks content/ under `source_dir` from disk and writes it into the store at
// `db_path` (created when missing). On any problem (in `diagnostics`) the store is not touched.
// Returns the number of pages stored.
Result<int64_t> ImportContent(const std::string& source_dir, const std::string& db_path,
                              Diagnostics* diagnostics);

// Writes the store's pages back as content files under `to_dir`/content, with a copy of
// `source_dir`/site, so that `to_dir` builds on its own. `to_dir` must not exist or be empty; it
// appears whole or not at all.
Status ExportContent(Store* store, const std::string& source_dir, const std::string& to_dir);

// `clemency import support` into a store: the CSV's contacts applied to the stored support
// entries, the whole site checked, then stored in one transaction. Returns the files changed.
Result<size_t> ImportSupportIntoStore(Store* store, const std::string& source_dir,
                                      const std::string& csv_display, const std::string& csv_text,
                                      Diagnostics* diagnostics);

// The store's withdrawn pages, as a site shows them.
Result<std::vector<Tombstone>> ReadTombstones(Store* store, int utc_offset_minutes);

// The site as the store holds it: content/ from the store's published pages, site/ from disk, and
// the store's records (StoreRecords: tombstones, histories), shown at `now` (unset: the clock's).
// A page whose stamp `cache` holds is not parsed and checked again. nullptr, with the problems in
// `diagnostics`, when the stored content fails a check.
Result<std::unique_ptr<Site>> LoadStoredSite(Store* store, const std::string& source_dir,
                                             Diagnostics* diagnostics, StepTimer* timer = nullptr,
                                             PageCache* cache = nullptr,
                                             std::optional<int64_t> now = std::nullopt);

// The site `serve` publishes, from the store at `db_path` (created when missing).
struct StoredSite {
  std::unique_ptr<Store> store;
  std::unique_ptr<Site> site;
  bool imported = false;  // the store was new: content/ was imported into it
  int64_t pages = 0;      // rows in the store
};
// Opens the store; a new (empty) store gets content/ of `source_dir` imported (any problem in it
// is an error), an existing one is the source of the site's content/ (site/ still comes from
// disk): when that content fails a check (a newer program's rules), the result has no site and
// the problems are in `diagnostics`.
Result<StoredSite> OpenStoredSite(const std::string& source_dir, const std::string& db_path,
                                  Diagnostics* diagnostics, StepTimer* timer);

}  // namespace clemency
