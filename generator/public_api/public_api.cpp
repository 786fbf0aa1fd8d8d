// The public API's registration (each route limited per client, its parameters checked, its
// answer cached), its index and languages, and the helpers its routes share.
#include "public_api/public_api.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "core/datetime.h"
#include "core/json.h"
#include "core/site_paths.h"
#include "public_api/api_routes.h"
#include "public_api/rate_limit.h"
#include "public_api/response_cache.h"

namespace clemency {

// generator/public_api/openapi.json, embedded at build time (see CMakeLists.txt).
extern const char kOpenApiDocument[];

namespace {

const std::pair<const char*, const char*> kEndpoints[] = {
    {"/api/v1/", "this index: endpoints, reuse terms, change types, rate limit"},
    {"/api/v1/languages", "the site's languages"},
    {"/api/v1/pages", "published pages, newest first (lang, section, updated_since, limit, cursor); "
                      "with updated_since, tombstones too"},
    {"/api/v1/pages/{section}/{slug}", "one page in one language (lang): body, licence, history; "
                                       "410 for a withdrawn or gone page"},
    {"/api/v1/changes", "every revision and tombstone in commit order, all languages (since, "
                        "limit), each listed 2 seconds after it goes live: follow it from since=0 to "
                        "hold a copy of the site"},
    {"/api/v1/provinces", "the 34 provinces since the 2025 reform and the whole country: code, "
                          "names, former provinces merged into each"},
    {"/api/v1/support", "support entries (lang, province: code or name, service)"},
    {"/api/v1/support.csv", "the same as CSV with a UTF-8 byte order mark (bom=0: without)"},
    {"/api/v1/openapi.json", "the OpenAPI 3.1 description of all of this"},
};

const std::pair<const char*, const char*> kChangeTypes[] = {
    {"major", "announced change of substance, with a change note"},
    {"minor", "wording or layout, not announced (pages' change feeds show the last announced one)"},
    {"correction", "announced correction of a mistake, with a change note"},
    {"translations", "only the list of the page's translations changed"},
    {"withdrawn", "the page was withdrawn: its URL shows a notice with the date and reason"},
    {"gone", "the page was removed: its URL answers 410 Gone"},
};

}  // namespace

bool PublicApi::ParseInt64(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 19) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

std::string PublicApi::QueryString(
    const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    out += (out.empty() ? "?" : "&") + name + "=" + httplib::detail::encode_query_param(value);
  }
  return out;
}

void PublicApi::Languages(const httplib::Request& req, httplib::Response& res) {
  JsonWriter json;
  json.BeginObject().Key("languages").BeginArray();
  for (const auto* language : OrderedLanguages()) {
    json.BeginObject();
    json.Field("code", language->code).Field("name", language->name);
    json.Field("locale", language->locale).Field("title", language->title);
    json.Key("default").Bool(language->code == config_.default_language);
    json.EndObject();
  }
  json.EndArray().EndObject();
  Send(req, res, json.str());
}

void PublicApi::Index(const httplib::Request& req, httplib::Response& res) {
  JsonWriter json;
  json.BeginObject().Field("api", "v1").Field("openapi", "/api/v1/openapi.json");
  WriteLicence(json, config_.default_language, false);
  json.Field("retold_reports", config_.licence.empty() ? std::string()
                                                       : config_.RetellingNote("en"));
  json.Key("endpoints").BeginArray();
  for (const auto& [path, what] : kEndpoints) {
    json.BeginObject().Field("path", path).Field("description", what).EndObject();
  }
  json.EndArray();
  json.Key("change_types").BeginObject();
  for (const auto& [type, what] : kChangeTypes) json.Field(type, what);
  json.EndObject();
  json.Key("feeds").BeginObject();
  json.Field("extension_namespace", config_.base_url + paths::kFeedExtension);
  json.Field("change_type_scheme", config_.base_url + paths::kChangeTypeScheme);
  json.Field("tombstones", "RFC 6721 at:deleted-entry in Atom; an RSS item with a "
                           "change-type category; JSON Feed _clemency.status");
  json.EndObject();
  json.Key("rate_limit").BeginObject();
  json.Key("requests").Int(rate_limit_.requests);
  json.Key("window_seconds").Int(rate_limit_.window_seconds);
  json.Field("headers", "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy; "
                        "429 with Retry-After beyond it");
  json.EndObject();
  json.EndObject();
  Send(req, res, json.str());
}

void PublicApi::OpenApi(const httplib::Request&, httplib::Response& res) {
  res.set_content(kOpenApiDocument, "application/json");
}

std::vector<const LanguageConfig*> PublicApi::OrderedLanguages() const {
  std::vector<const LanguageConfig*> out = {config_.FindLanguage(config_.default_language)};
  for (const auto& language : config_.languages) {
    if (language.code != config_.default_language) out.push_back(&language);
  }
  return out;
}

bool PublicApi::ReadLanguage(const httplib::Request& req, httplib::Response& res,
                             bool default_if_missing, std::string* lang) {
  *lang = req.get_param_value("lang");
  if (lang->empty()) {
    if (default_if_missing) *lang = config_.default_language;
    return true;
  }
  if (config_.FindLanguage(*lang)) return true;
  std::string known;
  for (const auto* language : OrderedLanguages())
    known += (known.empty() ? "" : ", ") + language->code;
  http::SendProblem(res, 400, "lang '" + *lang + "' is not one of: " + known, "lang", req.path);
  return false;
}

PublicView PublicApi::View() const { return {Now(0).unix_seconds, config_.default_language}; }

std::string PublicApi::SectionList() const {
  std::string out;
  for (const auto& s : config_.sections) out += (out.empty() ? "" : ", ") + s.name;
  return out;
}

std::string PublicApi::Id(const PageRow& row) {
  return row.section + "/" + row.slug + "/" + row.lang;
}

std::string PublicApi::Url(const PageRow& row) const {
  return config_.base_url + paths::Page(row.lang, row.section, row.slug);
}

void PublicApi::SetLastModified(httplib::Response& res, int64_t newest) {
  if (newest >= 0) res.set_header("Last-Modified", http::HttpDate(static_cast<time_t>(newest)));
}

void PublicApi::SetLastModified(httplib::Response& res, const std::vector<PageRow>& rows) {
  int64_t newest = -1;
  for (const auto& row : rows) newest = std::max(newest, row.updated_unix);
  SetLastModified(res, newest);
}

void PublicApi::Send(const httplib::Request&, httplib::Response& res, const std::string& json) {
  res.set_content(json + "\n", "application/json");
}

void PublicApi::StoreError(httplib::Response& res, const Status& status) {
  // A store failure is ours, not the client's: 503 so clients retry, with no internals leaked.
  std::fprintf(stderr, "api: %s\n", status.message().c_str());
  http::SendProblem(res, 503, "the content store is not available; try again shortly");
}

void RegisterPublicApi(httplib::Server& server, const SiteConfig& config, Store* store,
                       ApiRateLimit rate_limit) {
  auto api = std::make_shared<PublicApi>(config, store, rate_limit);
  auto cache = std::make_shared<ResponseCache>(store);
  auto limiter = std::make_shared<RateLimiter>(rate_limit);
  // Each request counts against its client's limit first. Each route names the query parameters
  // it reads; any other is refused before the cache, so a misspelt filter is not silently
  // ignored (nor a new cache entry).
  auto route = [&server, cache, limiter](const char* pattern, std::vector<std::string> known,
                                         ResponseCache::Handler handler,
                                         int64_t max_age = INT64_MAX) {
    // `cache` is captured too: the wrapped handler points at it, and nothing else keeps it alive.
    server.Get(pattern, [cache, limiter, known = std::move(known),
                         wrapped = cache->Wrap(std::move(handler), max_age)](const httplib::Request& req,
                                                                    httplib::Response& res) {
      if (!limiter->Admit(RateLimiter::ClientOf(req), Now(0).unix_seconds, req, res)) return;
      const httplib::Headers limits = res.headers;  // a handler's answer may replace them
      bool refused = false;
      for (const auto& [name, value] : req.params) {
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        http::SendProblem(res, 400,
                          "unknown query parameter '" + name + "'; this endpoint reads " +
                              (list.empty() ? "none" : list),
                          name, req.path);
        refused = true;
        break;
      }
      if (!refused) wrapped(req, res);
      for (const auto& [name, value] : limits) {
        if (!res.has_header(name.c_str())) res.set_header(name, value);
      }
    });
  };
  const std::vector<std::string> support_params = {"lang", "province", "service", "bom"};
  const auto index = [api](const auto& req, auto& res) { api->Index(req, res); };
  route("/api/v1/", {}, index);
  route("/api/v1", {}, index);
  // The stream is read kChangeSettleSeconds behind the clock, so it grows with time alone.
  route("/api/v1/changes", {"since", "limit"},
        [api](const auto& req, auto& res) { api->Changes(req, res); },
        PageRepository::kChangeSettleSeconds);
  route("/api/v1/languages", {}, [api](const auto& req, auto& res) { api->Languages(req, res); });
  route("/api/v1/pages", {"lang", "section", "updated_since", "limit", "cursor"},
        [api](const auto& req, auto& res) { api->Pages(req, res); });
  route(R"(/api/v1/pages/([^/]+)/([^/]+))", {"lang"},
        [api](const auto& req, auto& res) { api->Page(req, res); });
  route("/api/v1/provinces", {}, [api](const auto& req, auto& res) { api->Provinces(req, res); });
  route("/api/v1/support", support_params,
        [api](const auto& req, auto& res) { api->Support(req, res, false); });
  route("/api/v1/support.csv", support_params,
        [api](const auto& req, auto& res) { api->Support(req, res, true); });
  route("/api/v1/openapi.json", {},
        [api](const auto& req, auto& res) { api->OpenApi(req, res); });
  server.Get(R"(/api/.*)", [](const httplib::Request& req, httplib::Response& res) {
    http::SendProblem(res, 404, "no such API endpoint; see /api/v1/openapi.json", "", req.path);
  });
}

}  // namespace clemency
