#pragma once
// What search finds of a page (its folded words by weight, i18n's search text) and the synonyms
// readers may type for the site's terms; written with the page wherever a page is stored.
#include <string>
#include <vector>

#include "core/status.h"
#include "markdown/markdown.h"
#include "render/site.h"
#include "store/search.h"
#include "store/store.h"

namespace clemency {

// Returns the search fields of `rendered` with its body rendered as `body` (title; headings and
// summary; a support entry's organisation, places and services; the body's text), folded in
// the page language's locale.
SearchFields SearchFieldsFor(const Site& site, const RenderedPage& rendered,
                             const MarkdownResult& body);

// Returns the termbase's variants (and the wording lists' labels) of every language, each with
// the site's term readers find instead (folded, and as shown).
std::vector<SearchSynonym> SiteSynonyms(const Site& site);

// Gives every published page of `site` a search row when the store's index does not hold them
// all (a store made before search existed), and stores the site's synonyms.
Status RefreshSearchIndex(const Site& site, Store* store);

// Writes the search index of `site` (its live pages and synonyms) as a store file at `path`,
// beside a built public/: the file a build made from the same site/ and program gets new rows for
// the pages whose text changed, in one transaction; otherwise a new file is written under a
// temporary name and renamed over the old one.
Status WriteSearchFile(const Site& site, const std::string& path);

}  // namespace clemency
