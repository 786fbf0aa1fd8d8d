#pragma once
// The store as the site's source of record: pages go in as rows (ImportSite) and the site is
// loaded back from them (OpenStoredSite). The one place that maps a Page to a PageRow.
#include <memory>
#include <string>

#include "core/status.h"
#include "core/timing.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {

// The row of one loaded page: metadata, source text, rendered body, the kind-specific front
// matter as a JSON object, and its support entry.
Result<PageRow> PageToRow(const Site& site, const RenderedPage& rendered);

// Writes every page of `site` into `store` in one transaction (inserting or updating by section,
// slug and language) and removes the rows of pages that are gone. Nothing changes on an error.
Status ImportSite(const Site& site, Store* store);

// The site `serve` publishes, from the store at `db_path` (created when missing).
struct StoredSite {
  std::unique_ptr<Store> store;
  std::unique_ptr<Site> site;
  bool imported = false;  // the store was new: content/ was imported into it
  int64_t pages = 0;      // rows in the store
};
// Opens the store; a new (empty) store gets content/ of `source_dir` imported, an existing one
// is the source of the site's content/ (site/ still comes from disk). Every problem of the
// content goes to `diagnostics`, and the result is then an error.
Result<StoredSite> OpenStoredSite(const std::string& source_dir, const std::string& db_path,
                                  Diagnostics* diagnostics, StepTimer* timer);

}  // namespace clemency
