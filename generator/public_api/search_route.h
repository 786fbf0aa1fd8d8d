#pragma once
// Search for readers: the query as typed turned into index terms (i18n's folding, the termbase's
// variants as synonyms of the site's terms), the HTML results page and the JSON API.
#include <set>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "http/guarded_server.h"
#include "i18n/search_text.h"
#include "public_api/selfcheck_route.h"
#include "store/search.h"
#include "store/store.h"

namespace clemency {

// A reader's query as the index is asked it.
struct ReaderQuery {
  std::vector<SearchTerm> terms;
  SearchTerm together;  // all the words typed, as one phrase: pages with it come first
  std::vector<SearchQueryPart> marked;   // what snippets mark (the site's terms included)
  std::vector<std::string> site_terms;  // the site's terms searched for a variant typed
};

// Returns `query` (as typed, in `locale`) as index terms: each word or "phrase", the last word
// as a prefix; words that spell a variant of `synonyms` find the variant or the site's term;
// pages with all the words together, in order, first.
ReaderQuery MakeReaderQuery(const std::string& query, const std::string& locale,
                            const std::vector<SearchSynonym>& synonyms);

// Returns the URL path (paths::Page) of each page (scheduled ones too) that readers' search finds for
// `query` in any of the site's languages, at most `limit` a language: editors' page list.
Result<std::set<std::string>> FindPageKeys(Store* store, const SiteConfig& config,
                                           const std::string& query, int limit);

// GET /api/v1/search?q=&lang=&section=&limit=&cursor= (JSON; problem+json on bad input; ETag)
// and GET /<lang>/search/?q=[&page=]: `page` (the built search page, paths::Search) with the
// results, or the advice when there are none, put in its marker. Neither caches nor logs the
// query (the log line has the path only); responses are no-store.
void RegisterSearch(GuardedServer& server, const SiteConfig& config, Store* store,
                    StaticHandler page);

}  // namespace clemency
