#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "core/site_paths.h"
#include "public_api/search_route.h"
#include "store/search.h"
#include "support/fixture.h"

using namespace clemency;

namespace {

struct Query {
  std::string lang, text, page;  // page: section/slug
};

std::vector<Query> ReadQueries() {
  std::ifstream in(std::string(CLEMENCY_SOURCE_DIR) + "/tests/search/queries.tsv");
  std::vector<Query> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Query q;
    std::getline(fields, q.lang, '\t');
    std::getline(fields, q.text, '\t');
    std::getline(fields, q.page, '\t');
    out.push_back(q);
  }
  return out;
}

std::string Locale(const std::string& lang) {
  return lang == "vi" ? "vi_VN" : lang == "km" ? "km_KH" : "en_GB";
}

// The pages (section/slug) `text` finds in `lang`, best first.
std::vector<std::string> Search(Store* store, const std::string& lang, const std::string& text,
                                int limit) {
  SearchIndex index(store);
  auto synonyms = index.Synonyms(lang);
  REQUIRE(synonyms.ok());
  SearchRequest request;
  request.lang = lang;
  request.limit = limit;
  ReaderQuery query = MakeReaderQuery(text, Locale(lang), *synonyms);
  request.terms = query.terms;
  request.together = query.together;
  auto found = index.Find(request);
  REQUIRE(found.ok());
  std::vector<std::string> out;
  for (const auto& hit : found->hits) out.push_back(hit.section + "/" + hit.slug);
  return out;
}

}  // namespace

// The query set written from content/ (tests/search/queries.tsv): in every language search finds
// at least 95% of the pages its queries must find, from the index a plain build writes beside
// public/. Hidden from unit.public_api; ctest runs it as search.recall.
TEST_CASE("search recall on the real content", "[.recall]") {
  testing::TempDir dir;
  const std::string out = dir / "public";
  std::string output;
  REQUIRE(testing::RunCommand(std::string(CLEMENCY_BINARY) + " build --source " +
                                  CLEMENCY_SOURCE_DIR + " --out " + out,
                              &output) == 0);
  auto store = Store::Open(paths::SearchIndexFile(out));
  REQUIRE(store.ok());
  std::map<std::string, std::pair<int, int>> found;  // lang -> (found, asked)
  for (const Query& q : ReadQueries()) {
    auto pages = Search(store->get(), q.lang, q.text, 100);
    const bool hit = std::find(pages.begin(), pages.end(), q.page) != pages.end();
    if (!hit) WARN(q.lang << " \"" << q.text << "\" did not find " << q.page);
    found[q.lang].first += hit ? 1 : 0;
    found[q.lang].second += 1;
  }
  REQUIRE(found.size() == 3);
  for (const auto& [lang, counts] : found) {
    const double recall = double(counts.first) / counts.second;
    WARN("recall " << lang << " " << recall << " (" << counts.first << "/" << counts.second << ")");
    CHECK(counts.second >= 30);
    CHECK(recall >= 0.95);
  }
  // The glossary's entry comes first for its term; a stigmatising word finds the site's term.
  auto glossary = Search(store->get(), "vi", "tiền án", 10);
  REQUIRE_FALSE(glossary.empty());
  CHECK(glossary.front() == "guides/tu-ngu-can-biet");
  CHECK_FALSE(Search(store->get(), "vi", "tù nhân", 10).empty());
  CHECK_FALSE(Search(store->get(), "vi", "đối tượng", 10).empty());
  CHECK_FALSE(Search(store->get(), "vi", "vay v", 10).empty());
}

TEST_CASE("reader queries: a termbase variant also finds the site's term") {
  std::vector<SearchSynonym> synonyms = {{"vi", "tu nhan", "phạm nhân", "pham nhan"}};
  ReaderQuery query = MakeReaderQuery("tù nhân đặc xá", "vi_VN", synonyms);
  REQUIRE(query.terms.size() == 3);
  CHECK(query.terms[0].alternatives ==
        std::vector<std::vector<std::string>>{{"tu", "nhan"}, {"pham", "nhan"}});
  CHECK(query.site_terms == std::vector<std::string>{"phạm nhân"});
  CHECK(query.terms[2].prefix);
  CHECK(query.together.alternatives ==
        std::vector<std::vector<std::string>>{{"tu", "nhan", "dac", "xa"}});
  // Typing on: "tù nh" is not yet the variant.
  CHECK(MakeReaderQuery("tù nh", "vi_VN", synonyms).site_terms.empty());
}
