#pragma once
// The public API's routes (this module's own header, not for other modules): one object holds
// the site's config and a page repository; its handlers are defined by concern in
// public_api.cpp (the index, languages, shared helpers), pages_routes.cpp, support_routes.cpp
// and changes_route.cpp.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "config/site_config.h"
#include "core/json.h"
#include "http/http.h"
#include "i18n/provinces.h"
#include "public_api/public_api.h"
#include "store/store.h"

namespace clemency {

class PublicApi {
 public:
  PublicApi(const SiteConfig& config, Store* store, ApiRateLimit rate_limit)
      : config_(config), pages_(store), rate_limit_(rate_limit) {}

  // GET /api/v1/: answers what the API offers and on what terms content may be reused.
  void Index(const httplib::Request& req, httplib::Response& res);
  // GET /api/v1/languages: answers the site's languages, the default one first.
  void Languages(const httplib::Request& req, httplib::Response& res);
  // GET /api/v1/openapi.json: answers the compiled-in OpenAPI document.
  void OpenApi(const httplib::Request& req, httplib::Response& res);
  // GET /api/v1/pages: answers published pages newest first, keyset-paged (tombstones too with
  // updated_since).
  void Pages(const httplib::Request& req, httplib::Response& res);
  // GET /api/v1/pages/{section}/{slug}: answers one page's record, 410 for a tombstone.
  void Page(const httplib::Request& req, httplib::Response& res);
  // GET /api/v1/provinces: answers the province list with codes, names and former provinces.
  void Provinces(const httplib::Request& req, httplib::Response& res);
  // GET /api/v1/support(.csv): answers support entries as JSON, or CSV when `force_csv` or
  // asked for by Accept.
  void Support(const httplib::Request& req, httplib::Response& res, bool force_csv);
  // GET /api/v1/changes: answers the change stream after the `since` cursor (revisions and
  // tombstones, all languages) in the order readers could first see them.
  void Changes(const httplib::Request& req, httplib::Response& res);

  // Returns the whole number `text` (digits only, at most 19) in `out`; false if it is not one.
  static bool ParseInt64(const std::string& text, int64_t* out);
  // Returns "?name=value&…" of the non-empty values, URL-encoded ("" for none).
  static std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params);

 private:
  // Returns the site's languages, the default one first.
  std::vector<const LanguageConfig*> OrderedLanguages() const;
  // Reads `lang` from the request into `lang` (the default language when missing and
  // `default_if_missing`). Returns false after answering 400 for a language the site lacks.
  bool ReadLanguage(const httplib::Request& req, httplib::Response& res, bool default_if_missing,
                    std::string* lang);
  // Returns what readers see now: not a page scheduled for later, nor a translation whose
  // source is.
  PublicView View() const;
  // Returns the site's section names, comma-separated.
  std::string SectionList() const;
  // Returns a record's id: "section/slug/lang".
  static std::string Id(const PageRow& row);
  // Returns the absolute URL of a record's page.
  std::string Url(const PageRow& row) const;
  // Reads /api/v1/pages' filters into `query` (`since`: updated_since as given). Returns false
  // after answering 400 naming the parameter that is wrong.
  bool ReadPageQuery(const httplib::Request& req, httplib::Response& res, PageQuery* query,
                     std::string* since);
  // Answers 404 for a page `row` does not hold (naming the languages it has) or 410 for a
  // tombstone. Returns false, having answered nothing, for a published page.
  bool SendNotPublished(const httplib::Request& req, httplib::Response& res,
                        const std::optional<PageRow>& row, const std::string& what,
                        const std::vector<std::string>& translations);
  // Writes a page's `translations` (language, URLs) and `history` (its announced revisions).
  void WriteTranslationsAndHistory(JsonWriter& json, const PageRow& page,
                                   const std::vector<std::string>& translations,
                                   const std::vector<RevisionRow>& history) const;
  // Writes the fields every page record and list item has (id, dates, status, a withdrawal's).
  void WriteSummary(JsonWriter& json, const PageRow& row) const;
  // Writes the `licence` member: the site's licence, how to credit it in `lang`, and what it
  // covers of the page (a retold report: the retelling only; the report is the page's `source`).
  void WriteLicence(JsonWriter& json, const std::string& lang, bool retold_report) const;
  // Writes one change of the stream: its cursor, id, kind, status, change type and URLs.
  void WriteChange(JsonWriter& json, const ChangeRow& change) const;
  // Writes a support entry's places (province code and name from `provinces`), services,
  // contact (the phone as given and in E.164), coordinates and who confirmed it.
  void WriteSupport(JsonWriter& json, const SupportRow& s, const ProvinceIndex& provinces,
                    const std::string& lang) const;
  // Returns the support entries as CSV: the columns documented in openapi.json, in that order.
  std::string SupportCsv(const std::vector<PageRow>& rows, bool bom) const;
  // Sets Last-Modified: the newest `updated` a response shows (none for -1, no rows).
  // ResponseCache answers If-Modified-Since from it.
  static void SetLastModified(httplib::Response& res, int64_t newest);
  static void SetLastModified(httplib::Response& res, const std::vector<PageRow>& rows);
  // Sets `json` as the response's body; the ETag and 304 come from ResponseCache, which wraps
  // every route.
  static void Send(const httplib::Request& req, httplib::Response& res, const std::string& json);
  // Answers 503 for a store failure (logged; no internals leaked): ours, so clients retry.
  static void StoreError(httplib::Response& res, const Status& status);

  const SiteConfig& config_;
  PageRepository pages_;
  ApiRateLimit rate_limit_;
};

}  // namespace clemency
