#include "public_api/search_route.h"

#include <map>
#include <sstream>

#include "core/datetime.h"
#include "core/json.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "public_api/public_api.h"

namespace clemency {
namespace {

constexpr size_t kMaxQueryBytes = 200;
constexpr int kPageSize = 10;
constexpr size_t kSnippetChars = 180;

std::vector<std::string> Words(const std::string& folded) {
  std::vector<std::string> out;
  std::istringstream in(folded);
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

// The synonym whose variant is spelt by parts[i..), and the part after it; none: nullptr.
const SearchSynonym* SynonymAt(const std::vector<SearchQueryPart>& parts, size_t i,
                               const std::vector<SearchSynonym>& synonyms, size_t* next) {
  for (const SearchSynonym& synonym : synonyms) {
    const std::vector<std::string> variant = Words(synonym.variant);
    std::vector<std::string> words;
    size_t j = i;
    while (j < parts.size() && words.size() < variant.size()) {
      words.insert(words.end(), parts[j].words.begin(), parts[j].words.end());
      ++j;
    }
    if (words == variant) {
      *next = j;
      return &synonym;
    }
  }
  return nullptr;
}

struct Hit {
  SearchHit row;
  std::string snippet;  // HTML
};

struct Found {
  std::vector<Hit> hits;
  bool more = false;
};

}  // namespace

ReaderQuery MakeReaderQuery(const std::string& query, const std::string& locale,
                            const std::vector<SearchSynonym>& synonyms) {
  ReaderQuery out;
  const std::vector<SearchQueryPart> parts = ParseSearchQuery(query, locale);
  for (size_t i = 0; i < parts.size();) {
    size_t next = i + 1;
    if (const SearchSynonym* synonym = SynonymAt(parts, i, synonyms, &next)) {
      out.terms.push_back(
          {{Words(synonym->variant), Words(synonym->term_folded)}, parts[next - 1].prefix});
      out.site_terms.push_back(synonym->term);
    } else {
      out.terms.push_back({{parts[i].words}, parts[i].prefix});
    }
    i = next;
  }
  // Snippets mark what was searched for: a variant typed and the site's term, as phrases.
  for (const SearchTerm& term : out.terms) {
    for (const auto& words : term.alternatives) out.marked.push_back({words, term.prefix});
  }
  if (parts.size() > 1) {
    std::vector<std::string> words;
    for (const SearchQueryPart& part : parts) {
      words.insert(words.end(), part.words.begin(), part.words.end());
    }
    out.together = {{words}, parts.back().prefix};
  }
  return out;
}

Result<std::set<std::string>> FindPageKeys(Store* store, const SiteConfig& config,
                                           const std::string& query, int limit) {
  SearchIndex index(store);
  std::set<std::string> keys;
  for (const LanguageConfig& language : config.languages) {
    auto synonyms = index.Synonyms(language.code);
    if (!synonyms.ok()) return synonyms.status();
    const ReaderQuery reader = MakeReaderQuery(query, language.locale, *synonyms);
    SearchRequest request;
    request.terms = reader.terms;
    request.together = reader.together;
    request.lang = language.code;
    request.limit = limit;
    auto found = index.Find(request);
    if (!found.ok()) return found.status();
    for (const SearchHit& hit : found->hits) {
      keys.insert(paths::Page(hit.lang, hit.section, hit.slug));
    }
  }
  return keys;
}

namespace {

class SearchService {
 public:
  SearchService(const SiteConfig& config, Store* store, StaticHandler page)
      : config_(config), store_(store), page_(std::move(page)) {}

  void Api(const httplib::Request& req, httplib::Response& res) {
    for (const auto& [name, value] : req.params) {
      if (name == "q" || name == "lang" || name == "section" || name == "limit" ||
          name == "cursor") {
        continue;
      }
      return http::SendProblem(res, 400,
                               "unknown query parameter '" + name +
                                   "'; this endpoint reads q, lang, section, limit, cursor",
                               name, req.path);
    }
    const std::string q = req.get_param_value("q");
    if (q.empty() || q.size() > kMaxQueryBytes) {
      return http::SendProblem(res, 400, "q must be 1 to 200 bytes of text to search for", "q",
                               req.path);
    }
    std::string lang = req.has_param("lang") ? req.get_param_value("lang")
                                             : config_.default_language;
    if (!config_.FindLanguage(lang)) {
      return http::SendProblem(res, 400, "lang '" + lang + "' is not a language of this site",
                               "lang", req.path);
    }
    SearchRequest request;
    request.lang = lang;
    request.section = req.get_param_value("section");
    if (!request.section.empty() && !config_.FindSection(request.section)) {
      return http::SendProblem(res, 400, "section '" + request.section + "' is not a section",
                               "section", req.path);
    }
    request.limit = kPageSize;
    if (req.has_param("limit") && !ReadLimit(req.get_param_value("limit"), &request.limit)) {
      return http::SendProblem(res, 400, "limit must be a whole number from 1 to 50", "limit",
                               req.path);
    }
    if (req.has_param("cursor")) {
      int64_t zero = -1;
      if (!DecodeCursor(req.get_param_value("cursor"), &zero, &request.offset) || zero != 0) {
        return http::SendProblem(res, 400,
                                 "cursor is not one this API issued; start again without it",
                                 "cursor", req.path);
      }
    }
    ReaderQuery query;
    auto results = Run(q, &request, &query);
    if (!results.ok()) return Unavailable(res, results.status());
    const std::string body = ApiJson(q, request, query, *results);
    res.set_header("Cache-Control", "no-store");
    http::SendWithEtag(req, res, body, "application/json", HashHex(body));
  }

  void Page(const httplib::Request& req, httplib::Response& res) {
    const std::string lang = req.matches[1];
    const std::string q = req.get_param_value("q");
    if (!config_.FindLanguage(lang) || q.empty()) return page_(req, res);
    httplib::Request plain = req;  // the whole page, uncompressed
    for (const char* header : {"Accept-Encoding", "Range", "If-None-Match", "If-Modified-Since"}) {
      plain.headers.erase(header);
    }
    page_(plain, res);
    if (res.status != 200 && res.status != -1) return;  // -1: httplib sends it as 200
    SearchRequest request;
    request.lang = lang;
    request.limit = kPageSize;
    int page = 1;  // a page number that is not one (1 to 50) shows the first
    if (req.has_param("page") && !ReadLimit(req.get_param_value("page"), &page)) page = 1;
    request.offset = static_cast<int64_t>(page - 1) * kPageSize;
    ReaderQuery query;
    auto results = Run(q.substr(0, kMaxQueryBytes), &request, &query);
    if (!results.ok()) return Unavailable(res, results.status());
    std::string body = FillPage(res.body, q.substr(0, kMaxQueryBytes), lang, page, query,
                                *results);
    for (const char* header : {"ETag", "Last-Modified", "Accept-Ranges", "Cache-Control"}) {
      res.headers.erase(header);
    }
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_content(body, "text/html; charset=utf-8");
  }

 private:
  static bool ReadLimit(const std::string& text, int* out) {
    if (text.empty() || text.size() > 2) return false;
    int value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    if (value < 1 || value > 50) return false;
    *out = value;
    return true;
  }

  std::string LocaleOf(const std::string& lang) const {
    const LanguageConfig* language = config_.FindLanguage(lang);
    return language ? language->locale : lang;
  }

  Result<Found> Run(const std::string& q, SearchRequest* request, ReaderQuery* query) {
    SearchIndex index(store_);
    auto synonyms = index.Synonyms(request->lang);
    if (!synonyms.ok()) return synonyms.status();
    *query = MakeReaderQuery(q, LocaleOf(request->lang), *synonyms);
    request->terms = query->terms;
    request->together = query->together;
    request->view = PublicView{Now(0).unix_seconds, config_.default_language};
    auto found = index.Find(*request);
    if (!found.ok()) return found.status();
    Found out;
    out.more = found->more;
    for (SearchHit& row : found->hits) {
      std::string text = row.body_text.empty() ? row.summary : row.body_text;
      std::string snippet = SearchSnippet(text, query->marked, LocaleOf(row.lang), kSnippetChars);
      out.hits.push_back({std::move(row), std::move(snippet)});
    }
    return out;
  }

  // The title of `section` in `lang` (its list page's), else its name.
  std::string SectionTitle(const std::string& section, const std::string& lang) {
    auto row = PageRepository(store_).Get(section, "", lang);
    return row.ok() && row->has_value() ? (*row)->title : section;
  }

  std::string ApiJson(const std::string& q, const SearchRequest& request,
                      const ReaderQuery& query, const Found& found) {
    JsonWriter json;
    json.BeginObject().Field("query", q).Field("lang", request.lang);
    json.Key("site_terms").BeginArray();
    for (const std::string& term : query.site_terms) json.String(term);
    json.EndArray().Key("results").BeginArray();
    for (const Hit& hit : found.hits) {
      const std::string path = paths::Page(hit.row.lang, hit.row.section, hit.row.slug);
      json.BeginObject().Field("id", hit.row.section + "/" + hit.row.slug + "/" + hit.row.lang);
      json.Field("title", hit.row.title).Field("section", hit.row.section);
      json.Field("kind", hit.row.kind).Field("path", path).Field("url", config_.base_url + path);
      json.Field("snippet_html", hit.snippet).EndObject();
    }
    json.EndArray();
    if (found.more) {
      json.Field("next_cursor", EncodeCursor(0, request.offset + request.limit));
    }
    json.EndObject();
    return json.str() + "\n";
  }

  // The built page with the results (or the advice) in it and the query in its form.
  std::string FillPage(std::string body, const std::string& q, const std::string& lang, int page,
                       const ReaderQuery& query, const Found& found) {
    const std::string box = "id=\"search-q\" type=\"search\" name=\"q\" value=\"\"";
    if (size_t at = body.find(box); at != std::string::npos) {
      body.replace(at, box.size(), "id=\"search-q\" type=\"search\" name=\"q\" value=\"" +
                                       EscapeHtml(q) + "\"");
    }
    if (found.hits.empty()) {
      const std::string advice = "aria-labelledby=\"search-advice-heading\" hidden>";
      if (size_t at = body.find(advice); at != std::string::npos) {
        body.replace(at + advice.size() - 8, 7, "");  // drops " hidden"
      }
      return body;
    }
    const std::string marker = "<!--clemency:search-results-->";
    const size_t at = body.find(marker);
    if (at != std::string::npos) {
      body.replace(at, marker.size(), ResultsHtml(body, q, lang, page, query, found));
    }
    return body;
  }

  // The results as the page shows them: a heading, the site's terms searched for, the list
  // (title, section, snippet) and a link to more. Strings come from the page's data-*.
  std::string ResultsHtml(const std::string& body, const std::string& q, const std::string& lang,
                          int page, const ReaderQuery& query, const Found& found) {
    std::string html = "<h2 id=\"search-results-heading\">" + Attribute(body, "data-found") +
                       " “" + EscapeHtml(q) + "”</h2>\n";
    if (!query.site_terms.empty()) {
      std::string terms;
      for (const std::string& term : query.site_terms) {
        terms += (terms.empty() ? "" : ", ") + ("<strong>" + EscapeHtml(term) + "</strong>");
      }
      html += "<p class=\"search-also\">" + Attribute(body, "data-also") + " " + terms + "</p>\n";
    }
    html += "<ol class=\"search-results\" start=\"" + std::to_string((page - 1) * kPageSize + 1) +
            "\">\n";
    std::map<std::string, std::string> sections;
    for (const Hit& hit : found.hits) {
      auto [it, fresh] = sections.emplace(hit.row.section, "");
      if (fresh) it->second = SectionTitle(hit.row.section, lang);
      const std::string path = paths::Page(hit.row.lang, hit.row.section, hit.row.slug);
      html += "<li><a href=\"" + EscapeHtml(path) + "\">" + EscapeHtml(hit.row.title) +
              "</a> <span class=\"search-section\">" + EscapeHtml(it->second) + "</span>\n<p>" +
              hit.snippet + "</p></li>\n";
    }
    html += "</ol>\n";
    if (found.more) {
      html += "<p><a href=\"" + paths::Search(lang) + "?q=" +
              httplib::detail::encode_query_param(q) + "&amp;page=" + std::to_string(page + 1) +
              "\">" + Attribute(body, "data-more") + "</a></p>\n";
    }
    return html;
  }

  // The value of attribute `name` in `body` as written (already HTML-escaped), or "".
  static std::string Attribute(const std::string& body, const std::string& name) {
    const std::string start = name + "=\"";
    const size_t at = body.find(start);
    if (at == std::string::npos) return "";
    const size_t end = body.find('"', at + start.size());
    return body.substr(at + start.size(), end - at - start.size());
  }

  static void Unavailable(httplib::Response& res, const Status& status) {
    std::fprintf(stderr, "search: %s\n", status.message().c_str());
    http::SendProblem(res, 503, "search is not available; try again shortly");
  }

  const SiteConfig& config_;
  Store* store_;
  StaticHandler page_;
};

}  // namespace

void RegisterSearch(GuardedServer& server, const SiteConfig& config, Store* store,
                    StaticHandler page) {
  auto service = std::make_shared<SearchService>(config, store, std::move(page));
  server.Get("/api/v1/search", [service](const httplib::Request& req, httplib::Response& res) {
    service->Api(req, res);
  });
  server.Get(R"(/([a-z]{2,3})/search/)", [service](const httplib::Request& req,
                                                    httplib::Response& res) {
    service->Page(req, res);
  });
}

}  // namespace clemency
