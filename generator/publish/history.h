#pragma once
// Pages' public histories as the store (or an export's history folder) keeps them: each page's
// announced revisions (major changes, corrections, withdrawals; minor ones are not announced),
// given to the site that renders them as its records (SiteRecords).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "publish/store_site.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {

// Announced revisions by "<lang>/<translation key>", as SiteRecords gives them.
using RevisionsById = std::map<std::string, std::vector<PageRevision>>;

// The store's records of a site: its withdrawn pages and the announced revisions of its
// published pages, newest first, a major change with the word diff of its body text (Markdown
// rendered to plain text) against the previous announced revision.
class StoreRecords : public SiteRecords {
 public:
  // REQUIRES: `store` outlives this.
  explicit StoreRecords(Store* store) : store_(store) {}
  Result<std::vector<Tombstone>> Tombstones(const SiteConfig& config,
                                            Diagnostics* diagnostics) override;
  Result<RevisionsById> Histories(const SiteConfig& config, const std::set<std::string>* keys,
                                  Diagnostics* diagnostics) override;

 private:
  Store* store_;
};

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

// An export's records: the history files and withdrawn pages under `source_dir`/history (no
// folder: none), the same as StoreRecords gives from the store. Problems of a file (file:line:
// field) go to the diagnostics.
class HistoryFolder : public SiteRecords {
 public:
  // REQUIRES: `fs` outlives this.
  HistoryFolder(const FileSystem& fs, std::string source_dir)
      : fs_(fs), source_dir_(std::move(source_dir)) {}
  Result<std::vector<Tombstone>> Tombstones(const SiteConfig& config,
                                            Diagnostics* diagnostics) override;
  Result<RevisionsById> Histories(const SiteConfig& config, const std::set<std::string>* keys,
                                  Diagnostics* diagnostics) override;

 private:
  const FileSystem& fs_;
  std::string source_dir_;
};

}  // namespace clemency
