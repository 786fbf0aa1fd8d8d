// The public API's change stream (/api/v1/changes) and the opaque cursors of its pages and
// of /api/v1/pages.
#include <cstring>
#include <string>

#include "core/datetime.h"
#include "core/json.h"
#include "core/site_paths.h"
#include "public_api/api_routes.h"
#include "public_api/public_api.h"

namespace clemency {
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
  return PublicApi::ParseInt64(text.substr(3, colon - 3), updated_unix) &&
         PublicApi::ParseInt64(text.substr(colon + 1), id);
}

// The change stream: every change of a page's record (revisions and tombstones, all
// languages) in the order readers could first see them, paged by an opaque cursor.
void PublicApi::Changes(const httplib::Request& req, httplib::Response& res) {
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
  const int64_t settled = Now(0).unix_seconds - PageRepository::kChangeSettleSeconds;
  auto rows = pages_.Changes(after, settled, static_cast<int>(limit) + 1);
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
  json.Field("next", "/api/v1/changes" +
                         QueryString({{"since", cursor}, {"limit", req.get_param_value("limit")}}));
  json.EndObject();
  Send(req, res, json.str());
}

void PublicApi::WriteChange(JsonWriter& json, const ChangeRow& change) const {
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

}  // namespace clemency
