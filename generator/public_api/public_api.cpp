#include "public_api/public_api.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "http/http.h"
#include "core/csv.h"
#include "core/site_paths.h"
#include "core/datetime.h"
#include "core/json.h"
#include "core/text.h"

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

class PublicApi {
 public:
  PublicApi(const SiteConfig& config, Store* store) : config_(config), pages_(store) {}

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
    if (page.support) WriteSupport(json, *page.support);
    WriteLicence(json, page.lang, IsRetoldReport(page));
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
    query.province = req.get_param_value("province");
    query.service = req.get_param_value("service");
    const auto& services = KnownServices();
    if (!query.service.empty() &&
        std::find(services.begin(), services.end(), query.service) == services.end()) {
      std::string known;
      for (const auto& s : services) known += (known.empty() ? "" : ", ") + s;
      return http::SendProblem(res, 400, "service '" + query.service + "' is not one of: " + known,
                               "service", req.path);
    }
    query.view = View();
    auto rows = pages_.ListSupport(query);
    if (!rows.ok()) return StoreError(res, rows.status());
    SetLastModified(res, *rows);
    bool csv = force_csv || req.get_header_value("Accept").find("text/csv") != std::string::npos;
    if (csv) {
      // A UTF-8 byte order mark first: without it Excel on Windows reads the file in the
      // system's code page and garbles Vietnamese and Khmer.
      std::string out =
          "\xEF\xBB\xBF"
          "id,lang,title,province,current_province,commune,district,organisation,services,phone,"
          "address,hours,verified,verified_by,url\r\n";
      for (const auto& row : *rows) {
        const SupportRow& s = *row.support;
        std::string services;  // one CSV field: the names joined by commas
        for (const auto& service : s.services) services += (services.empty() ? "" : ",") + service;
        std::vector<std::string> fields = {
            Id(row),   row.lang,   row.title,  s.province, s.current_province, s.commune,
            s.district, s.organisation, services, s.phone, s.address, s.hours, s.verified,
            s.verified_by, Url(row)};
        for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + CsvField(fields[i]);
        out += "\r\n";
      }
      res.set_header("Content-Disposition", "inline; filename=\"support-" + query.lang + ".csv\"");
      return res.set_content(out, "text/csv; charset=utf-8");
    }
    JsonWriter json;
    json.BeginObject().Key("items").BeginArray();
    for (const auto& row : *rows) {
      json.BeginObject();
      json.Field("id", Id(row)).Field("lang", row.lang).Field("title", row.title);
      json.Field("summary", row.summary);
      WriteSupport(json, *row.support);
      json.Field("url", Url(row));
      json.EndObject();
    }
    json.EndArray().EndObject();
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

  // A story retold from a press report: the page's meta (written by publish's PageToRow with
  // JsonWriter, so without spaces) records its consent basis.
  static bool IsRetoldReport(const PageRow& row) {
    return row.meta_json.find("\"basis\":\"published-report\"") != std::string::npos;
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

  static void WriteSupport(JsonWriter& json, const SupportRow& s) {
    // `province` as the source named it; `current_province` since the 2025 reform (null when
    // unchanged); `district` is the former district (kept for clients of the first version).
    json.Field("province", s.province).FieldOrNull("current_province", s.current_province);
    json.FieldOrNull("commune", s.commune).Field("district", s.district);
    json.FieldOrNull("former_district", s.district);
    json.Field("organisation", s.organisation);
    json.Key("services").BeginArray();
    for (const auto& service : s.services) json.String(service);
    json.EndArray();
    json.Key("contact").BeginObject();
    if (!s.phone.empty()) json.Field("phone", s.phone);
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

void RegisterPublicApi(httplib::Server& server, const SiteConfig& config, Store* store) {
  auto api = std::make_shared<PublicApi>(config, store);
  auto cache = std::make_shared<ResponseCache>(store);
  // Each route names the query parameters it reads; any other is refused before the cache, so a
  // misspelt filter is not silently ignored (nor a new cache entry).
  auto route = [&server, cache](const char* pattern, std::vector<std::string> known,
                                ResponseCache::Handler handler) {
    server.Get(pattern, [cache, known = std::move(known), wrapped = cache->Wrap(std::move(handler))](
                            const httplib::Request& req, httplib::Response& res) {
      for (const auto& [name, value] : req.params) {
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        return http::SendProblem(
            res, 400,
            "unknown query parameter '" + name + "'; this endpoint reads " +
                (list.empty() ? "none" : list),
            name, req.path);
      }
      wrapped(req, res);
    });
  };
  const std::vector<std::string> support_params = {"lang", "province", "service"};
  route("/api/v1/languages", {}, [api](const auto& req, auto& res) { api->Languages(req, res); });
  route("/api/v1/pages", {"lang", "section", "updated_since", "limit", "cursor"},
        [api](const auto& req, auto& res) { api->Pages(req, res); });
  route(R"(/api/v1/pages/([^/]+)/([^/]+))", {"lang"},
        [api](const auto& req, auto& res) { api->Page(req, res); });
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
