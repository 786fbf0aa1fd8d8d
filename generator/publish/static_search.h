#pragma once
// The static search index: what a site served without `serve` answers searches from in the
// reader's browser (site/static/assets/search.js). It is made from the store's search rows, so
// its words are exactly the server index's (i18n's search text), and written under
// paths::SearchIndexFolder(lang) of the output folder:
//   meta.json    the page count, the page-table chunk size, section titles, the termbase's
//                variants [variant, term, term as shown] (folded), the folding table
//                (i18n's kSearch* constants) and the shard keys;
//   s<hex>.txt   a shard: the words beginning with its key (hex of its UTF-8), one per line,
//                "word postings", postings as comma-separated base-36 numbers, each
//                (page - previous page) * 4 + field (3 title, 2 headings, 1 names, 0 body);
//   p<n>.json    pages n*chunk … as [path, title, section, excerpt].
// Khmer words are clusters (one syllable each, too common alone), so two adjacent Khmer words
// are indexed as one word (their concatenation); a Khmer word not followed by another is
// indexed alone. Pages are numbered in (section, slug) order: the bytes depend on the content
// only, whichever store wrote the rows (a build's file or serve's store).
#include <cstdint>
#include <map>
#include <string>

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

}  // namespace clemency
