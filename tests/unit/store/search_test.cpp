#include "store/search.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "support/fixture.h"

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

namespace {

// The slugs found for each of the filters a search has: language, section, the view's time.
std::vector<std::vector<std::string>> FiltersFound(Store* store) {
  SearchIndex index(store);
  SearchRequest request;
  request.terms = {Word("vay"), Word("v", true)};
  std::vector<std::vector<std::string>> out;
  out.push_back(Slugs(index.Find(request)));
  request.lang = "vi";
  out.push_back(Slugs(index.Find(request)));
  request.section = "support";
  out.push_back(Slugs(index.Find(request)));
  request.section = "";
  request.view = PublicView{1767225600, "vi"};  // 2026-01-01: the scheduled page is not due
  out.push_back(Slugs(index.Find(request)));
  request.together = {{{"vay", "von"}}, true};
  out.push_back(Slugs(index.Find(request)));
  return out;
}

// Stores pages of every kind search must tell apart: found, a draft, a list page, scheduled,
// in another section and language, and one with a published time that is not a date.
void StoreFilterPages(Store* store) {
  PageRepository pages(store);
  REQUIRE(pages.Upsert(Row("found", "vi", {"vay von", "", "", "ho tro"})).ok());
  REQUIRE(pages.Upsert(Row("body", "vi", {"ho tro", "", "", "vay von o day"})).ok());
  REQUIRE(pages.Upsert(Row("found", "en", {"vay von", "", "", ""})).ok());
  PageRow draft = Row("draft", "vi", {"vay von", "", "", ""});
  draft.draft = true;
  REQUIRE(pages.Upsert(draft).ok());
  REQUIRE(pages.Upsert(Row("", "vi", {"vay von", "", "", ""})).ok());  // the section's list
  PageRow later = Row("later", "vi", {"vay von", "", "", ""});
  later.published = "2027-01-01T00:00:00Z";
  REQUIRE(pages.Upsert(later).ok());
  PageRow undated = Row("undated", "vi", {"vay von", "", "", ""});
  undated.published = "soon";
  REQUIRE(pages.Upsert(undated).ok());
  PageRow support = Row("centre", "vi", {"trung tam", "", "vay von", ""});
  support.section = "support";
  REQUIRE(pages.Upsert(support).ok());
}

}  // namespace

TEST_CASE("search: drafts and list pages are never found; language, section and time filter") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  StoreFilterPages(store->get());
  const auto found = FiltersFound(store->get());
  using Slugs = std::vector<std::string>;
  auto sorted = [](Slugs slugs) {
    std::sort(slugs.begin(), slugs.end());
    return slugs;
  };
  CHECK(sorted(found[0]) == Slugs{"body", "centre", "found", "found", "later", "undated"});
  CHECK(sorted(found[1]) == Slugs{"body", "centre", "found", "later", "undated"});
  CHECK(found[2] == Slugs{"centre"});
  CHECK(sorted(found[3]) == Slugs{"body", "centre", "found"});
  CHECK(sorted(found[4]) == Slugs{"body", "centre", "found"});
  CHECK(found[4].front() == "found");  // the words together in its title
  // A page that becomes a draft leaves the results; published again, it is back.
  PageRepository pages(store->get());
  PageRow draft = Row("body", "vi", {"ho tro", "", "", "vay von o day"});
  draft.draft = true;
  REQUIRE(pages.Upsert(draft).ok());
  CHECK(sorted(FiltersFound(store->get())[1]) == Slugs{"centre", "found", "later", "undated"});
  REQUIRE(pages.Upsert(Row("body", "vi", {"ho tro", "", "", "vay von o day"})).ok());
  CHECK(FiltersFound(store->get()) == found);
}

TEST_CASE("search: a store made before search_pages (schema 15) finds the same after migrating") {
  testing::TempDir dir;
  const std::string path = dir / "old.db";
  std::vector<std::vector<std::string>> found;
  {
    auto store = Store::Open(path);
    REQUIRE(store.ok());
    StoreFilterPages(store->get());
    found = FiltersFound(store->get());
    // The previous version's schema: the same tables without search_pages.
    REQUIRE((*store)->Exec("DROP TABLE search_pages").ok());
    REQUIRE((*store)->Exec("PRAGMA user_version = 15").ok());
  }
  auto store = Store::Open(path);
  REQUIRE(store.ok());
  CHECK((*store)->SchemaVersion() == Store::LatestSchemaVersion());
  CHECK(FiltersFound(store->get()) == found);
  CHECK(found[1].size() == 5);
}

TEST_CASE("search: a batch's rows are found after it ends, as if written one by one") {
  auto store = Store::Open(":memory:");
  REQUIRE(store.ok());
  PageRepository pages(store->get());
  REQUIRE(pages.Upsert(Row("old", "vi", {"dac xa cu", "", "", ""})).ok());
  REQUIRE(pages.Upsert(Row("gone", "vi", {"dac xa mat", "", "", ""})).ok());
  REQUIRE((*store)->Begin().ok());
  REQUIRE(pages.BeginSearchBatch().ok());
  REQUIRE(pages.Upsert(Row("old", "vi", {"vay von", "", "", ""})).ok());  // replaced
  REQUIRE(pages.Upsert(Row("new", "vi", {"vay von moi", "", "", ""})).ok());
  REQUIRE(pages.Upsert(Row("brief", "vi", {"vay von ngan", "", "", ""})).ok());
  PageRow plain = Row("brief", "vi", {});  // staged, then written again without search fields
  plain.search.reset();
  REQUIRE(pages.Upsert(plain).ok());
  PageRow unindexed = Row("gone", "vi", {});
  unindexed.search.reset();
  REQUIRE(pages.Upsert(unindexed).ok());
  REQUIRE(pages.EndSearchBatch().ok());
  REQUIRE((*store)->Commit().ok());
  SearchIndex index(store->get());
  SearchRequest request;
  request.terms = {Word("vay")};
  auto found = Slugs(index.Find(request));
  std::sort(found.begin(), found.end());
  CHECK(found == std::vector<std::string>{"new", "old"});
  request.terms = {Word("dac")};
  CHECK(Slugs(index.Find(request)).empty());
  CHECK(*index.Count() == 2);
  // After the batch, writes go to the index at once again.
  REQUIRE(pages.Upsert(Row("later", "vi", {"vay von sau", "", "", ""})).ok());
  CHECK(*index.Count() == 3);
}
