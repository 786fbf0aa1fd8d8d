#pragma once
// The search index in the store (SQLite FTS5): one row per published page, written with the page
// (PageRepository::Upsert, in the caller's transaction), and its queries. The store takes words
// already folded (i18n's search text): it neither splits nor folds text itself.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace clemency {

// One thing a search asks for: any one of `alternatives` (each a phrase: folded words that must
// stand in this order; a termbase variant's alternative is the site's term).
struct SearchTerm {
  std::vector<std::vector<std::string>> alternatives;
  bool prefix = false;  // the last word of each alternative may begin a longer word
};

struct SearchRequest {
  std::vector<SearchTerm> terms;  // every one must match, in any order
  // When it has words: pages where they stand together, in this order, come first (the
  // reader's words as a phrase: "tiền án" before a page with "tiền" and "bản án").
  SearchTerm together;
  std::string lang, section;      // "" for any
  int limit = 10;
  int64_t offset = 0;
  std::optional<PublicView> view;  // none: scheduled pages too (editors' tools)
};

struct SearchHit {
  int64_t id = 0;
  std::string section, slug, lang, kind, title, summary, body_text;
};

struct SearchResults {
  std::vector<SearchHit> hits;  // best first: title, headings, names, body (bm25 weights)
  bool more = false;            // more hits after these
};

// A termbase variant (folded words) of `lang` and the site's term it stands for.
struct SearchSynonym {
  std::string lang, variant, term, term_folded;
};

class SearchIndex {
 public:
  explicit SearchIndex(Store* store) : store_(store) {}
  // Returns the published pages matching `request`, best first (none when it asks for nothing).
  Result<SearchResults> Find(const SearchRequest& request);
  // Replaces every synonym with `synonyms` (the site's termbase as loaded).
  Status ReplaceSynonyms(const std::vector<SearchSynonym>& synonyms);
  // Returns the synonyms of `lang`.
  Result<std::vector<SearchSynonym>> Synonyms(const std::string& lang);
  // Returns how many pages the index holds.
  Result<int64_t> Count();
  // Returns `request`'s terms as an FTS5 query ("" when there are none): each word quoted.
  static std::string MatchExpression(const std::vector<SearchTerm>& terms);

 private:
  Store* store_;
};

}  // namespace clemency
