#pragma once
// The static search index: what a site served without `serve` answers searches from in the
// reader's browser (site/static/assets/search.js). It is made from the store's search rows, so
// its words are exactly the server index's (i18n's search text), and written under
// paths::SearchIndexFolder(lang) of the output folder:
//   meta.json    the page count, the page-table chunk size, section titles, the termbase's
//                variants [variant, term, term as shown] (folded), the folding table
//                (i18n's kSearch* constants) and the groups: the words' first characters
//                (a pair's first two), each with a key list (a Khmer meta.json listing every
//                shard key was ~50 KB on the 15k-page bench, fetched by every query);
//   k<hex>.txt   a group's shard keys (hex of the group's UTF-8), one per line;
//   s<hex>.txt   a shard: the words beginning with its key (hex of its UTF-8), one per line,
//                "word postings", postings as comma-separated base-36 numbers, each
//                (page - previous page) * 4 + field (3 title, 2 headings, 1 names, 0 body);
//   p<n>.json    pages n*chunk … as [path, title, section, excerpt].
// Khmer words are clusters (one syllable each, too common alone), so two adjacent Khmer words
// are indexed as one word (their concatenation); a Khmer word not followed by another is
// indexed alone. Two adjacent words that are not Khmer are also indexed as their pair
// "~first~second", so a quoted phrase finds only pages where its words stand in its order (as
// the server's FTS5 phrase does). Pages are numbered in (section, slug) order: the bytes depend
// on the content only, whichever store wrote the rows (a build's file or serve's store).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "core/status.h"
#include "store/store.h"

namespace clemency {

// Returns the files of `lang`'s static index (name -> bytes) for the published pages of `store`
// live at `now_unix`.
Result<std::map<std::string, std::string>> StaticSearchFiles(Store* store,
                                                             const std::string& lang,
                                                             int64_t now_unix);

// Returns every language's static index as output files (path in the output folder -> bytes),
// for BuildOptions::extra_files: written with the site, in the same commit.
Result<std::map<std::string, std::string>> StaticSearchOutputs(Store* store,
                                                               const SiteConfig& config,
                                                               int64_t now_unix);

// Every language's static index kept in memory, for serve: a publish remakes only the files its
// pages change (the shards of words that gained or lost a page, the page tables holding changed
// pages, meta.json), reading only the changed pages' rows. Its files are always the bytes
// StaticSearchOutputs makes from the same store at the same time.
class StaticSearchIndex {
 public:
  StaticSearchIndex();
  StaticSearchIndex(StaticSearchIndex&&) noexcept;
  StaticSearchIndex& operator=(StaticSearchIndex&&) noexcept;
  ~StaticSearchIndex();
  // Returns the index of `config`'s languages made whole from the published pages of `store`
  // live at `now_unix`.
  static Result<StaticSearchIndex> Make(Store* store, const SiteConfig& config, int64_t now_unix);
  // Brings the index to `store` at `now_unix`: the pages with a row in the store's page_changes
  // since Make or the last Update are read again; it is made whole again when a page's time has
  // come, the clock went back or the languages changed. REQUIRES: made from the same store.
  Status Update(Store* store, const SiteConfig& config, int64_t now_unix);
  // Returns the files (path in the output folder -> bytes), for BuildOptions::extra_files.
  const std::map<std::string, std::string>& outputs() const { return outputs_; }
  // Moves the files out (the index is spent: for a build's one-off use).
  std::map<std::string, std::string> TakeOutputs() { return std::move(outputs_); }
  // Returns each output's HashHex, made when it was written (BuildOptions::held_extra_hashes).
  const std::map<std::string, std::string>& output_hashes() const { return hashes_; }

 private:
  struct Language;
  // Makes the index whole (see Make).
  Status Load(Store* store, const SiteConfig& config, int64_t now_unix);
  // Writes `language`'s changed files (all of them when `all`) into outputs_.
  void Emit(Language* language, bool all);
  // Writes the shards and the key list of the words of `group` (their first character, or a
  // pair's first two).
  void EmitGroup(Language* language, const std::string& group, bool all);
  // Sets or removes one output file, and its hash.
  void Put(const std::string& path, std::string bytes);
  void Drop(const std::string& path);

  std::vector<std::unique_ptr<Language>> languages_;
  std::map<std::string, std::string> outputs_;
  std::map<std::string, std::string> hashes_;  // HashHex of each of outputs_
  int64_t last_change_ = 0;  // the last page_changes row read
  int64_t now_ = 0;
  int64_t next_due_ = 0;  // the first time a page not yet live goes live (0: none)
};

}  // namespace clemency
