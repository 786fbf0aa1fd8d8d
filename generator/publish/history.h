#pragma once
// Pages' public histories as the store keeps them: each page's announced revisions (major
// changes, corrections, withdrawals; minor ones are not announced), handed to the site it
// renders them into (Site::SetHistory).
#include <set>
#include <string>

#include "core/status.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {

// Reads the announced revisions of the published pages from `store` into `site`, newest first,
// a major change with the word diff of its body text (Markdown rendered to plain text) against
// the previous announced revision. With `keys` (translation keys), only those pages, in every
// language; a page no longer published forgets its history.
Status AddHistories(Store* store, Site* site, const std::set<std::string>* keys = nullptr);

}  // namespace clemency
