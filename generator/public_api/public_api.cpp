#include "public_api/public_api.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "http/http.h"
#include "core/csv.h"
#include "core/site_paths.h"
#include "core/datetime.h"
#include "core/json.h"
#include "core/text.h"
#include "i18n/provinces.h"
#include "i18n/text.h"

namespace clemency {

// generator/public_api/openapi.json, embedded at build time (see CMakeLists.txt).
extern const char kOpenApiDocument[];

namespace {

const char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Base64UrlEncode(const std::string& in) {
  std::string out;
  int value = 0, bits = -6;
  for (unsigned char c : in) {
    value = (value << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out += kBase64Url[(value >> bits) & 0x3F];
      bits -= 6;
    }
  }
  if (bits > -6) out += kBase64Url[((value << 8) >> (bits + 8)) & 0x3F];
  return out;
}

bool Base64UrlDecode(const std::string& in, std::string* out) {
  int value = 0, bits = -8;
  out->clear();
  for (char c : in) {
    const char* at = std::strchr(kBase64Url, c);
    if (c == '\0' || !at) return false;
    value = (value << 6) + static_cast<int>(at - kBase64Url);
    bits += 6;
    if (bits >= 0) {
      out->push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return true;
}

bool ParseInt64(const std::string& text, int64_t* out) {
  if (text.empty() || text.size() > 19) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

// Builds a query string from name/value pairs, URL-encoding the values.
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    out += (out.empty() ? "?" : "&") + name + "=" + httplib::detail::encode_query_param(value);
  }
  return out;
}

const std::pair<const char*, const char*> kEndpoints[] = {
    {"/api/v1/", "this index: endpoints, reuse terms, change types, rate limit"},
    {"/api/v1/languages", "the site's languages"},
    {"/api/v1/pages", "published pages, newest first (lang, section, updated_since, limit, cursor); "
                      "with updated_since, tombstones too"},
    {"/api/v1/pages/{section}/{slug}", "one page in one language (lang): body, licence, history; "
                                       "410 for a withdrawn or gone page"},
    {"/api/v1/changes", "every revision and tombstone in commit order, all languages (since, "
                        "limit): follow it from since=0 to hold a copy of the site"},
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

// Vietnamese phone numbers in E.164 ("+842383844555"), from the local form an entry gives
// ("0238 3844 555", "(0238) 3.844.555", "+84 238 …"); "" when it is not one.
std::string PhoneE164(const std::string& phone) {
  std::string digits;
  for (size_t i = 0; i < phone.size(); ++i) {
    const char c = phone[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && digits.empty() && i == phone.find_first_not_of(' ')) {
      digits += c;
    } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
      return "";
    }
  }
  if (digits.rfind("+84", 0) == 0) digits = digits.substr(3);
  else if (digits.rfind("84", 0) == 0 && digits.size() >= 11) digits = digits.substr(2);
  else if (digits.rfind("0", 0) == 0) digits = digits.substr(1);
  else return "";
  // Subscriber numbers after the trunk 0: 9 digits (mobile, and landlines since 2017), or a few
  // shorter service numbers (1800 / 1900 lines: 7 to 10 digits).
  if (digits.size() < 7 || digits.size() > 10 || digits[0] == '0') return "";
  return "+84" + digits;
}

// The problem's detail for an unknown province: the closest codes, then all of them.
std::string UnknownProvince(const ProvinceIndex& provinces, const std::string& text) {
  auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
  };
  std::string detail = "province '" + text + "' is not one the support entries name";
  const std::vector<std::string> close = provinces.Closest(text);
  if (!close.empty()) detail += "; did you mean: " + join(close);
  return detail + "; codes: " + join(provinces.Codes());
}

class PublicApi {
 public:
  PublicApi(const SiteConfig& config, Store* store, ApiRateLimit rate_limit)
      : config_(config), pages_(store), rate_limit_(rate_limit) {}

  void Languages(const httplib::Request& req, httplib::Response& res) {
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

  void Provinces(const httplib::Request& req, httplib::Response& res) {
    JsonWriter json;
    json.BeginObject().Key("items").BeginArray();
    for (const Province& province : config_.provinces) {
      json.BeginObject();
      json.Field("code", province.code);
      json.Field("scope", province.nationwide ? "nationwide" : "province");
      json.Key("names").BeginObject();
      for (const auto* language : OrderedLanguages()) {
        json.Field(language->code, province.Name(language->code, config_.default_language));
      }
      json.EndObject();
      json.Key("former").BeginArray();
      for (const std::string& name : province.former) json.String(name);
      json.EndArray();
      json.EndObject();
    }
    json.EndArray().EndObject();
    Send(req, res, json.str());
  }

  void Pages(const httplib::Request& req, httplib::Response& res) {
    PageQuery query;
    if (!ReadLanguage(req, res, false, &query.lang)) return;
    query.section = req.get_param_value("section");
    if (!query.section.empty() && !config_.FindSection(query.section)) {
      return http::SendProblem(res, 400,
                               "section '" + query.section + "' is not one of: " + SectionList(),
                               "section", req.path);
    }
    std::string since = req.get_param_value("updated_since");
    if (!since.empty()) {
      auto date = ParseDateTime(since, config_.utc_offset_minutes);
      if (!date) {
        return http::SendProblem(
            res, 400,
            "updated_since '" + since +
                "' is not an RFC 3339 date-time (2026-11-20T09:00:00+07:00) or date",
            "updated_since", req.path);
      }
      query.updated_since_unix = date->unix_seconds;
    }
    if (req.has_param("limit")) {
      int64_t limit = 0;
      if (!ParseInt64(req.get_param_value("limit"), &limit) || limit < 1 || limit > 100) {
        return http::SendProblem(res, 400, "limit must be a whole number from 1 to 100", "limit",
                                 req.path);
      }
      query.limit = static_cast<int>(limit);
    }
    if (req.has_param("cursor")) {
      int64_t updated = 0, id = 0;
      if (!DecodeCursor(req.get_param_value("cursor"), &updated, &id)) {
        return http::SendProblem(res, 400,
                                 "cursor is not one this API issued; start again without it",
                                 "cursor", req.path);
      }
      query.after = std::make_pair(updated, id);
    }
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

  void Page(const httplib::Request& req, httplib::Response& res) {
    std::string section = req.matches[1], slug = req.matches[2];
    std::string lang;
    if (!ReadLanguage(req, res, true, &lang)) return;
    if (!config_.FindSection(section)) {
      return http::SendProblem(res, 404, "no section '" + section + "'", "section", req.path);
    }
    if (!IsSlug(slug))
      return http::SendProblem(res, 404, "no page '" + slug + "'", "slug", req.path);
    const PublicView view = View();
    auto row = pages_.Get(section, slug, lang, view);
    if (!row.ok()) return StoreError(res, row.status());
    auto translations = pages_.Translations(section, slug, view);
    if (!translations.ok()) return StoreError(res, translations.status());
    if (!row->has_value()) {
      std::string detail = "no page " + section + "/" + slug + " in '" + lang + "'";
      if (!translations->empty()) {
        std::string available;
        for (const auto& l : *translations) available += (available.empty() ? "" : ", ") + l;
        detail += "; available in: " + available;
      }
      return http::SendProblem(res, 404, detail, "", req.path);
    }
    const PageRow& page = **row;
    if (page.status != "published") {  // a tombstone: its record says when and why
      return http::SendProblem(res, 410,
                               "withdrawn on " + page.withdrawn_at + ": " + page.withdrawn_reason +
                                   (page.withdrawn_reason_lang.empty()
                                        ? ""
                                        : " (in '" + page.withdrawn_reason_lang + "')"),
                               "", req.path);
    }
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
    json.Key("translations").BeginArray();
    for (const auto& l : *translations) {
      json.BeginObject();
      json.Field("lang", l);
      json.Field("url", config_.base_url + paths::Page(l, section, slug));
      json.Field("api_url", paths::ApiPage(section, slug, l));
      json.EndObject();
    }
    json.EndArray();
    json.Key("history").BeginArray();
    for (const auto& revision : *history) {
      json.BeginObject();
      json.Field("updated", revision.updated).Field("recorded", revision.recorded);
      json.Field("change_type", revision.change_type);
      json.FieldOrNull("change_note", revision.change_note);
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
    Send(req, res, json.str());
  }

  void Support(const httplib::Request& req, httplib::Response& res, bool force_csv) {
    SupportQuery query;
    if (!ReadLanguage(req, res, true, &query.lang)) return;
    query.service = req.get_param_value("service");
    const auto& services = KnownServices();
    if (!query.service.empty() &&
        std::find(services.begin(), services.end(), query.service) == services.end()) {
      std::string known;
      for (const auto& s : services) known += (known.empty() ? "" : ", ") + s;
      return http::SendProblem(res, 400, "service '" + query.service + "' is not one of: " + known,
                               "service", req.path);
    }
    const std::string bom = req.get_param_value("bom");
    if (!bom.empty() && bom != "0" && bom != "1") {
      return http::SendProblem(res, 400, "bom must be 0 or 1", "bom", req.path);
    }
    auto places = pages_.SupportPlaces();
    if (!places.ok()) return StoreError(res, places.status());
    const ProvinceIndex provinces(config_.provinces, *places);
    const std::string province = req.get_param_value("province");
    if (!province.empty()) {
      const std::string* code = provinces.Find(province);
      if (!code) {
        return http::SendProblem(res, 400, UnknownProvince(provinces, province), "province", req.path);
      }
      query.provinces = provinces.NamesOf(*code);
    }
    query.view = View();
    auto rows = pages_.ListSupport(query);
    if (!rows.ok()) return StoreError(res, rows.status());
    SetLastModified(res, *rows);
    if (force_csv || req.get_header_value("Accept").find("text/csv") != std::string::npos) {
      res.set_header("Content-Disposition", "inline; filename=\"support-" + query.lang + ".csv\"");
      return res.set_content(SupportCsv(*rows, bom != "0"), "text/csv; charset=utf-8");
    }
    JsonWriter json;
    json.BeginObject().Key("items").BeginArray();
    for (const auto& row : *rows) {
      json.BeginObject();
      json.Field("id", Id(row)).Field("lang", row.lang).Field("title", row.title);
      json.Field("summary", row.summary);
      WriteSupport(json, *row.support, provinces, row.lang);
      json.Field("url", Url(row));
      json.EndObject();
    }
    json.EndArray().EndObject();
    Send(req, res, json.str());
  }

  // The support entries as CSV: the columns documented in openapi.json, in that order.
  std::string SupportCsv(const std::vector<PageRow>& rows, bool bom) const {
    // A UTF-8 byte order mark first: without it Excel on Windows reads the file in the
    // system's code page and garbles Vietnamese and Khmer.
    std::string out = bom ? "\xEF\xBB\xBF" : "";
    out +=
        "id,lang,title,province,current_province,commune,district,organisation,services,phone,"
        "address,hours,verified,verified_by,url\r\n";
    for (const auto& row : rows) {
      const SupportRow& s = *row.support;
      std::string services;  // one CSV field: the names joined by commas
      for (const auto& service : s.services) services += (services.empty() ? "" : ",") + service;
      std::vector<std::string> fields = {
          Id(row),    row.lang,       row.title,   s.province,          s.current_province,
          s.commune,  s.district,     s.organisation, services,         s.phone,
          s.address,  s.hours,        s.verified,  s.verified_by,       Url(row)};
      for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + CsvField(fields[i]);
      out += "\r\n";
    }
    return out;
  }

  // The change stream: every change of a page's record (revisions and tombstones, all
  // languages) in the order readers could first see them, paged by an opaque cursor.
  void Changes(const httplib::Request& req, httplib::Response& res) {
    std::pair<int64_t, int64_t> after{0, 0};
    const std::string since = req.get_param_value("since");
    if (!since.empty() && since != "0" && !DecodeCursor(since, &after.first, &after.second)) {
      return http::SendProblem(res, 400,
                               "since is not a cursor this API issued; start again from since=0",
                               "since", req.path);
    }
    int64_t limit = 100;
    if (req.has_param("limit") &&
        (!ParseInt64(req.get_param_value("limit"), &limit) || limit < 1 || limit > 1000)) {
      return http::SendProblem(res, 400, "limit must be a whole number from 1 to 1000", "limit",
                               req.path);
    }
    auto rows = pages_.Changes(after, Now(0).unix_seconds, static_cast<int>(limit) + 1);
    if (!rows.ok()) return StoreError(res, rows.status());
    const bool more = static_cast<int64_t>(rows->size()) > limit;
    if (more) rows->resize(static_cast<size_t>(limit));
    std::string cursor = since.empty() ? "0" : since;
    if (!rows->empty()) cursor = EncodeCursor(rows->back().visible_unix, rows->back().id);
    JsonWriter json;
    json.BeginObject().Key("items").BeginArray();
    for (const ChangeRow& change : *rows) WriteChange(json, change);
    json.EndArray();
    json.Field("cursor", cursor).Key("more").Bool(more);
    json.Field("next", "/api/v1/changes" + QueryString({{"since", cursor},
                                                        {"limit", req.get_param_value("limit")}}));
    json.EndObject();
    Send(req, res, json.str());
  }

  // GET /api/v1/: what the API offers and on what terms content may be reused.
  void Index(const httplib::Request& req, httplib::Response& res) {
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
    json.Key("requests").Int(rate_limit_.requests).Key("window_seconds").Int(rate_limit_.window_seconds);
    json.Field("headers", "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy; "
                          "429 with Retry-After beyond it");
    json.EndObject();
    json.EndObject();
    Send(req, res, json.str());
  }

  void OpenApi(const httplib::Request&, httplib::Response& res) {
    res.set_content(kOpenApiDocument, "application/json");
  }

 private:
  std::vector<const LanguageConfig*> OrderedLanguages() const {
    std::vector<const LanguageConfig*> out = {config_.FindLanguage(config_.default_language)};
    for (const auto& language : config_.languages) {
      if (language.code != config_.default_language) out.push_back(&language);
    }
    return out;
  }

  bool ReadLanguage(const httplib::Request& req, httplib::Response& res, bool default_if_missing,
                    std::string* lang) {
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

  // What readers see now: not a page scheduled for later, nor a translation whose source is.
  PublicView View() const { return {Now(0).unix_seconds, config_.default_language}; }

  std::string SectionList() const {
    std::string out;
    for (const auto& s : config_.sections) out += (out.empty() ? "" : ", ") + s.name;
    return out;
  }

  static std::string Id(const PageRow& row) {
    return row.section + "/" + row.slug + "/" + row.lang;
  }
  std::string Url(const PageRow& row) const {
    return config_.base_url + paths::Page(row.lang, row.section, row.slug);
  }

  void WriteSummary(JsonWriter& json, const PageRow& row) const {
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

  void WriteChange(JsonWriter& json, const ChangeRow& change) const {
    json.BeginObject();
    json.Field("cursor", EncodeCursor(change.visible_unix, change.id));
    json.Field("id", change.section + "/" + change.slug + "/" + change.lang);
    json.Field("translation_id", change.section + "/" + change.slug).Field("lang", change.lang);
    json.Field("kind", change.status == "published" ? "revision" : "tombstone");
    json.Field("status", change.status).Field("change_type", change.change_type);
    json.Field("at", change.at);
    json.Field("url", config_.base_url + paths::Page(change.lang, change.section, change.slug));
    json.Field("api_url", paths::ApiPage(change.section, change.slug, change.lang));
    json.EndObject();
  }

  // The `licence` member: the site's licence, how to credit it in `lang`, and what it covers of
  // the page (a retold report: the retelling only; the report is the page's `source`).
  void WriteLicence(JsonWriter& json, const std::string& lang, bool retold_report) const {
    const LicenceConfig& licence = config_.licence;
    if (licence.empty()) return;
    json.Key("licence").BeginObject();
    json.Field("name", licence.name).FieldOrNull("spdx", licence.spdx);
    json.Field("url", licence.url).Field("attribution", config_.Attribution(lang));
    json.Field("covers", retold_report ? "retelling" : "all");
    if (retold_report) json.Field("note", config_.RetellingNote(lang));
    json.EndObject();
  }

  void WriteSupport(JsonWriter& json, const SupportRow& s, const ProvinceIndex& provinces,
                    const std::string& lang) const {
    // `province` as the source named it; `current_province` since the 2025 reform (null when
    // unchanged); `province_code` the current one's code and `province_name` its name in the
    // entry's language (from site/provinces.yaml); `district` is the former district (kept for
    // clients of the first version).
    json.Field("province", s.province).FieldOrNull("current_province", s.current_province);
    json.FieldOrNull("commune", s.commune).Field("district", s.district);
    json.FieldOrNull("former_district", s.district);
    const std::string* code = provinces.Find(s.current_province.empty() ? s.province
                                                                        : s.current_province);
    json.Field("province_code", code ? *code : "");
    const Province* listed = code ? provinces.Listed(*code) : nullptr;
    json.FieldOrNull("province_name",
                     listed ? listed->Name(lang, config_.default_language) : std::string());
    json.Field("organisation", s.organisation);
    json.Key("services").BeginArray();
    for (const auto& service : s.services) json.String(service);
    json.EndArray();
    json.Key("contact").BeginObject();
    if (!s.phone.empty()) {
      json.Field("phone", s.phone);  // as the entry gives it: the local display form
      json.FieldOrNull("phone_e164", PhoneE164(s.phone));
    }
    if (!s.address.empty()) json.Field("address", s.address);
    if (!s.hours.empty()) json.Field("hours", s.hours);
    json.EndObject();
    json.Key("coordinates");
    if (s.lat && s.lon) {
      json.BeginObject().Key("lat").Number(*s.lat).Key("lon").Number(*s.lon).EndObject();
    } else {
      json.Null();
    }
    json.FieldOrNull("verified", s.verified).FieldOrNull("verified_by", s.verified_by);
  }

  // Last-Modified: the newest `updated` of the rows a response shows (none for no rows).
  // ResponseCache answers If-Modified-Since from it.
  static void SetLastModified(httplib::Response& res, int64_t newest) {
    if (newest >= 0) res.set_header("Last-Modified", http::HttpDate(static_cast<time_t>(newest)));
  }
  static void SetLastModified(httplib::Response& res, const std::vector<PageRow>& rows) {
    int64_t newest = -1;
    for (const auto& row : rows) newest = std::max(newest, row.updated_unix);
    SetLastModified(res, newest);
  }

  // The ETag and 304 come from ResponseCache, which wraps every route.
  static void Send(const httplib::Request&, httplib::Response& res, const std::string& json) {
    res.set_content(json + "\n", "application/json");
  }

  static void StoreError(httplib::Response& res, const Status& status) {
    // A store failure is ours, not the client's: 503 so clients retry, with no internals leaked.
    std::fprintf(stderr, "api: %s\n", status.message().c_str());
    http::SendProblem(res, 503, "the content store is not available; try again shortly");
  }

  const SiteConfig& config_;
  PageRepository pages_;
  ApiRateLimit rate_limit_;
};

}  // namespace

std::string EncodeCursor(int64_t updated_unix, int64_t id) {
  return Base64UrlEncode("v1:" + std::to_string(updated_unix) + ":" + std::to_string(id));
}

bool DecodeCursor(const std::string& cursor, int64_t* updated_unix, int64_t* id) {
  std::string text;
  if (cursor.size() > 64 || !Base64UrlDecode(cursor, &text) || text.rfind("v1:", 0) != 0)
    return false;
  size_t colon = text.find(':', 3);
  if (colon == std::string::npos) return false;
  return ParseInt64(text.substr(3, colon - 3), updated_unix) &&
         ParseInt64(text.substr(colon + 1), id);
}

namespace {

// Successful API responses, kept until the store changes: readers poll the same few lists, so
// most requests are answered without a query.
class ResponseCache {
 public:
  explicit ResponseCache(Store* store) : store_(store) {}

  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;
  Handler Wrap(Handler handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      bool csv = req.get_header_value("Accept").find("text/csv") != std::string::npos;
      std::string key = req.target + (csv ? "\x1f"
                                            "csv"
                                          : "");
      int64_t version = store_->DataVersion();
      const int64_t now = Now(0).unix_seconds;
      std::shared_ptr<const Entry> entry;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = entries_.find(key);
        if (it != entries_.end() && it->second->version == version && now < it->second->expires) {
          entry = it->second;
        }
      }
      if (!entry) {
        httplib::Response fresh;
        handler(req, fresh);
        if (fresh.status != -1 && fresh.status != 200) {  // httplib leaves -1 for "200 unless set"
          res = std::move(fresh);
          return;
        }
        auto made = std::make_shared<Entry>();
        made->version = version;
        made->expires = NextPublishTime(version, now);
        made->type = fresh.get_header_value("Content-Type");
        made->etag = HashHex(fresh.body);
        for (const auto& [name, value] : fresh.headers) {
          if (name == "Last-Modified") {
            made->last_modified = http::ParseHttpDate(value);
          } else if (name != "ETag" && name != "Vary" && name != "Content-Type") {
            made->headers.emplace(name, value);
          }
        }
        made->body = std::move(fresh.body);
        entry = made;
        std::lock_guard<std::mutex> lock(mutex_);
        if (entries_.size() >= kMaxEntries) entries_.clear();
        entries_[key] = entry;
      }
      for (const auto& [name, value] : entry->headers) res.set_header(name, value);
      http::SendWithEtag(req, res, entry->body, entry->type, entry->etag, entry->last_modified);
    };
  }

 private:
  // When the next scheduled page goes live (after `now`, as of store `version`): responses made
  // before then are stale from then on, though nothing was committed. Asked once per version.
  int64_t NextPublishTime(int64_t version, int64_t now) {
    std::lock_guard<std::mutex> lock(schedule_mutex_);
    if (version != schedule_version_ || now >= next_publish_) {
      auto next = PageRepository(store_).NextPublishTime(now);
      // A failed query keeps nothing: the next request asks the store again.
      next_publish_ = !next.ok() ? now : next->value_or(INT64_MAX);
      schedule_version_ = version;
    }
    return next_publish_;
  }

  static constexpr size_t kMaxEntries = 2000;
  struct Entry {
    int64_t version = 0;
    int64_t expires = INT64_MAX;  // unix seconds
    time_t last_modified = -1;    // from the handler's Last-Modified; -1: none
    std::string body, type, etag;
    httplib::Headers headers;
  };
  Store* store_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const Entry>> entries_;
  std::mutex schedule_mutex_;
  int64_t schedule_version_ = -1, next_publish_ = 0;
};

}  // namespace

namespace {

// Fixed windows per client: one counter per address, reset when its window ends.
class RateLimiter {
 public:
  explicit RateLimiter(ApiRateLimit limit) : limit_(limit) {}

  // Counts a request of `client` at `now`; sets the RateLimit headers on `res`. Returns false
  // (and answers 429 with Retry-After) when the client is over its limit.
  bool Admit(const std::string& client, int64_t now, const httplib::Request& req,
             httplib::Response& res) {
    if (limit_.requests <= 0 || client.empty()) return true;
    int64_t used = 0, reset = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (windows_.size() >= kMaxClients) Prune(now);
      Window& window = windows_[client];
      if (now >= window.start + limit_.window_seconds) window = {now, 0};
      used = ++window.used;
      reset = window.start + limit_.window_seconds - now;
    }
    const bool admitted = used <= limit_.requests;
    if (!admitted) {
      http::SendProblem(res, 429,
                        "more than " + std::to_string(limit_.requests) + " requests in " +
                            std::to_string(limit_.window_seconds) + " s; try again in " +
                            std::to_string(reset) + " s",
                        "", req.path);
      res.set_header("Retry-After", std::to_string(reset));
    }
    SetHeaders(res, used, reset);
    return admitted;
  }

  // The headers again (a handler's answer may have replaced the response).
  void SetHeaders(httplib::Response& res, int64_t used, int64_t reset) const {
    res.set_header("RateLimit-Limit", std::to_string(limit_.requests));
    res.set_header("RateLimit-Remaining", std::to_string(std::max<int64_t>(0, limit_.requests - used)));
    res.set_header("RateLimit-Reset", std::to_string(reset));
    res.set_header("RateLimit-Policy", std::to_string(limit_.requests) +
                                           ";w=" + std::to_string(limit_.window_seconds));
  }

  // The client a request counts against: its peer address; behind a proxy on this machine, the
  // address the proxy appended to X-Forwarded-For. A loopback peer without that header is the
  // machine itself (health checks, local tools, benchmarks): not limited ("").
  static std::string ClientOf(const httplib::Request& req) {
    const std::string& peer = req.remote_addr;
    const bool loopback =
        peer == "::1" || peer.rfind("127.", 0) == 0 || peer.rfind("::ffff:127.", 0) == 0;
    if (!loopback) return peer;
    const std::string forwarded = req.get_header_value("X-Forwarded-For");
    const size_t comma = forwarded.rfind(',');
    return std::string(
        Trim(comma == std::string::npos ? forwarded : std::string_view(forwarded).substr(comma + 1)));
  }

 private:
  static constexpr size_t kMaxClients = 100000;
  struct Window {
    int64_t start = 0, used = 0;
  };
  void Prune(int64_t now) {
    for (auto it = windows_.begin(); it != windows_.end();) {
      it = now >= it->second.start + limit_.window_seconds ? windows_.erase(it) : std::next(it);
    }
    if (windows_.size() >= kMaxClients) windows_.clear();  // a flood of addresses: start again
  }
  ApiRateLimit limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace

void RegisterPublicApi(httplib::Server& server, const SiteConfig& config, Store* store,
                       ApiRateLimit rate_limit) {
  auto api = std::make_shared<PublicApi>(config, store, rate_limit);
  auto cache = std::make_shared<ResponseCache>(store);
  auto limiter = std::make_shared<RateLimiter>(rate_limit);
  // Each request counts against its client's limit first. Each route names the query parameters
  // it reads; any other is refused before the cache, so a misspelt filter is not silently
  // ignored (nor a new cache entry).
  auto route = [&server, cache, limiter](const char* pattern, std::vector<std::string> known,
                                         ResponseCache::Handler handler) {
    // `cache` is captured too: the wrapped handler points at it, and nothing else keeps it alive.
    server.Get(pattern, [cache, limiter, known = std::move(known),
                         wrapped = cache->Wrap(std::move(handler))](const httplib::Request& req,
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
  route("/api/v1/changes", {"since", "limit"},
        [api](const auto& req, auto& res) { api->Changes(req, res); });
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
