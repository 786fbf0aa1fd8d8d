#pragma once
// Pages' public histories as the store keeps them: each page's announced revisions (major
// changes, corrections, withdrawals; minor ones are not announced), handed to the site it
// renders them into (Site::SetHistory).
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {

// Reads the announced revisions of the published pages from `store` into `site`, newest first,
// a major change with the word diff of its body text (Markdown rendered to plain text) against
// the previous announced revision. With `keys` (translation keys), only those pages, in every
// language; a page no longer published forgets its history.
Status AddHistories(Store* store, Site* site, const std::set<std::string>* keys = nullptr);

// Where `clemency export` writes pages' histories beside content/: one file per page and
// language, `history/<section>/<slug>.<lang>.yaml`.
constexpr char kHistoryFolder[] = "history";

// The export's withdrawn pages, in the history folder.
constexpr char kWithdrawnFile[] = "withdrawn.yaml";
// Writes `tombstones` (none: no file) as history/withdrawn.yaml under `to_dir`.
Status ExportWithdrawals(const std::vector<Tombstone>& tombstones, const std::string& to_dir);

// Writes the announced revisions of the store's published pages as history files under
// `to_dir` (what AddHistories would give a site). Returns the files written.
Result<std::vector<std::string>> ExportHistories(Store* store, const std::string& to_dir);

// Gives `site` the histories and withdrawn pages of the files under `source_dir`/history (none:
// nothing), as AddHistories and AddTombstones give them from a store. Problems (file:line: field) go to `diagnostics`.
Status AddHistoryFiles(const FileSystem& fs, const std::string& source_dir, Site* site,
                       Diagnostics* diagnostics);

}  // namespace clemency
