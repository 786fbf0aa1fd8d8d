// The public API's support routes: the province list, support entries as JSON or CSV, with
// province codes and phones in E.164.
#include <algorithm>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/json.h"
#include "i18n/provinces.h"
#include "public_api/api_routes.h"

namespace clemency {
namespace {

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
  if (digits.rfind("+84", 0) == 0)
    digits = digits.substr(3);
  else if (digits.rfind("84", 0) == 0 && digits.size() >= 11)
    digits = digits.substr(2);
  else if (digits.rfind("0", 0) == 0)
    digits = digits.substr(1);
  else
    return "";
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

}  // namespace

void PublicApi::Provinces(const httplib::Request& req, httplib::Response& res) {
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

void PublicApi::Support(const httplib::Request& req, httplib::Response& res, bool force_csv) {
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
      return http::SendProblem(res, 400, UnknownProvince(provinces, province), "province",
                               req.path);
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
std::string PublicApi::SupportCsv(const std::vector<PageRow>& rows, bool bom) const {
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
        Id(row),   row.lang,   row.title,      s.province,    s.current_province,
        s.commune, s.district, s.organisation, services,      s.phone,
        s.address, s.hours,    s.verified,     s.verified_by, Url(row)};
    for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + CsvField(fields[i]);
    out += "\r\n";
  }
  return out;
}

void PublicApi::WriteSupport(JsonWriter& json, const SupportRow& s, const ProvinceIndex& provinces,
                             const std::string& lang) const {
  // `province` as the source named it; `current_province` since the 2025 reform (null when
  // unchanged); `province_code` the current one's code and `province_name` its name in the
  // entry's language (from site/provinces.yaml); `district` is the former district (kept for
  // clients of the first version).
  json.Field("province", s.province).FieldOrNull("current_province", s.current_province);
  json.FieldOrNull("commune", s.commune).Field("district", s.district);
  json.FieldOrNull("former_district", s.district);
  const std::string* code =
      provinces.Find(s.current_province.empty() ? s.province : s.current_province);
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

}  // namespace clemency
