// The public API's page routes: /api/v1/pages (lists, keyset-paged) and one page's record,
// and the members every page record carries (its summary fields and its licence).
#include <algorithm>
#include <string>

#include "core/datetime.h"
#include "core/json.h"
#include "core/site_paths.h"
#include "core/text.h"
#include "i18n/provinces.h"
#include "public_api/api_routes.h"
#include "public_api/public_api.h"

namespace clemency {

bool PublicApi::ReadPageQuery(const httplib::Request& req, httplib::Response& res,
                              PageQuery* query, std::string* since) {
  if (!ReadLanguage(req, res, false, &query->lang)) return false;
  query->section = req.get_param_value("section");
  if (!query->section.empty() && !config_.FindSection(query->section)) {
    http::SendProblem(res, 400, "section '" + query->section + "' is not one of: " + SectionList(),
                      "section", req.path);
    return false;
  }
  *since = req.get_param_value("updated_since");
  if (!since->empty()) {
    auto date = ParseDateTime(*since, config_.utc_offset_minutes);
    if (!date) {
      http::SendProblem(res, 400,
                        "updated_since '" + *since +
                            "' is not an RFC 3339 date-time (2026-11-20T09:00:00+07:00) or date",
                        "updated_since", req.path);
      return false;
    }
    query->updated_since_unix = date->unix_seconds;
  }
  if (req.has_param("limit")) {
    int64_t limit = 0;
    if (!ParseInt64(req.get_param_value("limit"), &limit) || limit < 1 || limit > 100) {
      http::SendProblem(res, 400, "limit must be a whole number from 1 to 100", "limit",
                        req.path);
      return false;
    }
    query->limit = static_cast<int>(limit);
  }
  if (req.has_param("cursor")) {
    int64_t updated = 0, id = 0;
    if (!DecodeCursor(req.get_param_value("cursor"), &updated, &id)) {
      http::SendProblem(res, 400, "cursor is not one this API issued; start again without it",
                        "cursor", req.path);
      return false;
    }
    query->after = std::make_pair(updated, id);
  }
  return true;
}

void PublicApi::Pages(const httplib::Request& req, httplib::Response& res) {
  PageQuery query;
  std::string since;
  if (!ReadPageQuery(req, res, &query, &since)) return;
  PageQuery probe = query;
  probe.limit = query.limit + 1;  // one more tells whether there is a next page
  probe.view = View();
  auto rows = pages_.List(probe);
  if (!rows.ok()) return StoreError(res, rows.status());
  bool more = static_cast<int>(rows->size()) > query.limit;
  if (more) rows->resize(query.limit);
  SetLastModified(res, *rows);

  std::string next;
  if (more) {
    const PageRow& last = rows->back();
    next = "/api/v1/pages" + QueryString({{"lang", query.lang},
                                          {"section", query.section},
                                          {"updated_since", since},
                                          {"limit", req.get_param_value("limit")},
                                          {"cursor", EncodeCursor(last.updated_unix, last.id)}});
    res.set_header("Link", "<" + next + ">; rel=\"next\"");
  }
  JsonWriter json;
  json.BeginObject().Key("items").BeginArray();
  for (const auto& row : *rows) {
    json.BeginObject();
    WriteSummary(json, row);
    json.EndObject();
  }
  json.EndArray();
  json.FieldOrNull("next", next);
  WriteLicence(json, query.lang.empty() ? config_.default_language : query.lang, false);
  json.EndObject();
  Send(req, res, json.str());
}

bool PublicApi::SendNotPublished(const httplib::Request& req, httplib::Response& res,
                                 const std::optional<PageRow>& row, const std::string& what,
                                 const std::vector<std::string>& translations) {
  if (!row) {
    std::string detail = "no page " + what;
    if (!translations.empty()) {
      std::string available;
      for (const auto& l : translations) available += (available.empty() ? "" : ", ") + l;
      detail += "; available in: " + available;
    }
    http::SendProblem(res, 404, detail, "", req.path);
    return true;
  }
  if (row->status == "published") return false;
  // A tombstone: its record says when and why.
  http::SendProblem(res, 410,
                    "withdrawn on " + row->withdrawn_at + ": " + row->withdrawn_reason +
                        (row->withdrawn_reason_lang.empty()
                             ? ""
                             : " (in '" + row->withdrawn_reason_lang + "')"),
                    "", req.path);
  return true;
}

void PublicApi::Page(const httplib::Request& req, httplib::Response& res) {
  std::string section = req.matches[1], slug = req.matches[2];
  std::string lang;
  if (!ReadLanguage(req, res, true, &lang)) return;
  if (!config_.FindSection(section)) {
    return http::SendProblem(res, 404, "no section '" + section + "'", "section", req.path);
  }
  if (!IsSlug(slug)) return http::SendProblem(res, 404, "no page '" + slug + "'", "slug", req.path);
  const PublicView view = View();
  auto row = pages_.Get(section, slug, lang, view);
  if (!row.ok()) return StoreError(res, row.status());
  auto translations = pages_.Translations(section, slug, view);
  if (!translations.ok()) return StoreError(res, translations.status());
  const std::string what = section + "/" + slug + " in '" + lang + "'";
  if (SendNotPublished(req, res, *row, what, *translations)) return;
  const PageRow& page = **row;
  auto history = pages_.History(page.id);
  if (!history.ok()) return StoreError(res, history.status());
  SetLastModified(res, page.updated_unix);

  JsonWriter json;
  json.BeginObject();
  WriteSummary(json, page);
  json.Field("body_html", page.body_html);
  json.Field("body_text", page.body_text);
  // sources, reviewed, translation_status, translated_from, tags (and story or support data).
  std::string_view meta = page.meta_json;
  if (meta.size() > 2) json.Raw(meta.substr(1, meta.size() - 2));
  if (page.support) {
    auto places = pages_.SupportPlaces();
    if (!places.ok()) return StoreError(res, places.status());
    WriteSupport(json, *page.support, ProvinceIndex(config_.provinces, *places), page.lang);
  }
  WriteLicence(json, page.lang, page.retold_report);
  WriteTranslationsAndHistory(json, page, *translations, *history);
  json.EndObject();
  Send(req, res, json.str());
}

void PublicApi::WriteTranslationsAndHistory(JsonWriter& json, const PageRow& page,
                                            const std::vector<std::string>& translations,
                                            const std::vector<RevisionRow>& history) const {
  json.Key("translations").BeginArray();
  for (const auto& l : translations) {
    json.BeginObject();
    json.Field("lang", l);
    json.Field("url", config_.base_url + paths::Page(l, page.section, page.slug));
    json.Field("api_url", paths::ApiPage(page.section, page.slug, l));
    json.EndObject();
  }
  json.EndArray();
  json.Key("history").BeginArray();
  for (const auto& revision : history) {
    json.BeginObject();
    json.Field("updated", revision.updated).Field("recorded", revision.recorded);
    json.Field("change_type", revision.change_type);
    json.FieldOrNull("change_note", revision.change_note);
    json.EndObject();
  }
  json.EndArray();
}

void PublicApi::WriteSummary(JsonWriter& json, const PageRow& row) const {
  json.Field("id", Id(row));
  json.Field("translation_id", row.section + "/" + row.slug);
  json.Field("lang", row.lang).Field("section", row.section).Field("slug", row.slug);
  json.Field("kind", row.kind).Field("title", row.title).Field("summary", row.summary);
  json.Field("url", Url(row));
  json.Field("published", row.published).Field("updated", row.updated);
  json.Field("public_updated", row.public_updated.empty() ? row.updated : row.public_updated);
  json.FieldOrNull("change_note", row.change_note);
  json.Field("status", row.status);
  if (row.status != "published") {
    json.Field("withdrawn_at", row.withdrawn_at).Field("withdrawn_reason", row.withdrawn_reason);
    // The language the reason is written in: the record's own, or the default language's
    // where none was given in the record's.
    json.Field("withdrawn_reason_lang",
               row.withdrawn_reason_lang.empty() ? row.lang : row.withdrawn_reason_lang);
  }
}

// The `licence` member: the site's licence, how to credit it in `lang`, and what it covers of
// the page (a retold report: the retelling only; the report is the page's `source`).
void PublicApi::WriteLicence(JsonWriter& json, const std::string& lang, bool retold_report) const {
  const LicenceConfig& licence = config_.licence;
  if (licence.empty()) return;
  json.Key("licence").BeginObject();
  json.Field("name", licence.name).FieldOrNull("spdx", licence.spdx);
  json.Field("url", licence.url).Field("attribution", config_.Attribution(lang));
  json.Field("covers", retold_report ? "retelling" : "all");
  if (retold_report) json.Field("note", config_.RetellingNote(lang));
  json.EndObject();
}

}  // namespace clemency
