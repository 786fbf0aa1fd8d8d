#include "store/search.h"

#include <catch2/catch.hpp>

using namespace clemency;

namespace {

PageRow Row(const std::string& slug, const std::string& lang, SearchFields fields) {
  PageRow row;
  row.section = "guides";
  row.slug = slug;
  row.lang = lang;
  row.kind = "guide";
  row.title = slug;
  row.published = "2025-01-01T00:00:00Z";
  row.content_hash = slug;
  row.body_text = fields.body;
  row.search = std::move(fields);
  return row;
}

SearchTerm Word(const std::string& word, bool prefix = false) { return {{{word}}, prefix}; }

std::vector<std::string> Slugs(const Result<SearchResults>& results) {
  std::vector<std::string> out;
  for (const auto& hit : results->hits) out.push_back(hit.slug);
  return out;
}

}  // namespace

TEST_CASE("search: a title match outranks a body match") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  PageRepository pages(store->get());
  // The body page says "vay von" more often; the title page still comes first.
  REQUIRE(pages.Upsert(Row("body", "vi", {"ho tro", "", "", "vay von vay von la vay von"})).ok());
  REQUIRE(pages.Upsert(Row("title", "vi", {"vay von", "", "", "ho tro nguoi ra tu"})).ok());
  REQUIRE(pages.Upsert(Row("other", "vi", {"dac xa", "", "", "khong lien quan"})).ok());
  SearchIndex index(store->get());
  SearchRequest request;
  request.terms = {Word("vay"), Word("von")};
  auto results = index.Find(request);
  REQUIRE(results.ok());
  CHECK(Slugs(results) == std::vector<std::string>{"title", "body"});

  // Prefix on the last word, phrases, languages, limits.
  request.terms = {Word("vay"), Word("v", true)};
  CHECK(Slugs(index.Find(request)).size() == 2);
  request.terms = {{{{"tro", "vay"}}, false}};  // both words, not as a phrase
  CHECK(Slugs(index.Find(request)).empty());
  request.terms = {Word("vay")};
  request.lang = "en";
  CHECK(Slugs(index.Find(request)).empty());
  request.lang = "vi";
  request.limit = 1;
  results = index.Find(request);
  CHECK(results->hits.size() == 1);
  CHECK(results->more);
  request.offset = 1;
  CHECK(Slugs(index.Find(request)) == std::vector<std::string>{"body"});
}

TEST_CASE("search: a term's alternatives, withdrawn and unindexed pages") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  PageRepository pages(store->get());
  REQUIRE(pages.Upsert(Row("a", "vi", {"pham nhan", "", "", ""})).ok());
  REQUIRE(pages.Upsert(Row("b", "vi", {"dac xa", "", "", "\"quoted\" word"})).ok());
  SearchIndex index(store->get());
  SearchRequest request;
  request.terms = {{{{"tu", "nhan"}, {"pham", "nhan"}}, false}};
  CHECK(Slugs(index.Find(request)) == std::vector<std::string>{"a"});
  // Quotes in a word are data, not query syntax.
  request.terms = {Word("\"quoted\"")};
  CHECK(index.Find(request).ok());
  // Withdrawn: gone from the index in the same transaction.
  REQUIRE(pages.Withdraw("guides", "a", "vi", Withdrawal{"2025-02-01T00:00:00Z", 1, "", false, "", ""}).ok());
  request.terms = {Word("pham")};
  CHECK(Slugs(index.Find(request)).empty());
  // A row stored without search fields is not found (its old index row is removed).
  PageRow plain = Row("b", "vi", {});
  plain.search.reset();
  REQUIRE(pages.Upsert(plain).ok());
  request.terms = {Word("dac")};
  CHECK(Slugs(index.Find(request)).empty());
  CHECK(*index.Count() == 0);

  REQUIRE(index.ReplaceSynonyms({{"vi", "tu nhan", "phạm nhân", "pham nhan"}}).ok());
  auto synonyms = index.Synonyms("vi");
  REQUIRE(synonyms.ok());
  REQUIRE(synonyms->size() == 1);
  CHECK(synonyms->front().term == "phạm nhân");
}
