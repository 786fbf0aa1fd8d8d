#include "http/http.h"

#include <cctype>
#include <zlib.h>

#include "http/gzip.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <ctime>

#include "core/json.h"
#include "core/text.h"

namespace clemency::http {
namespace {

bool HeaderListHas(const std::string& header, const std::string& token) {
  size_t start = 0;
  while (start < header.size()) {
    size_t comma = header.find(',', start);
    std::string item =
        header.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    size_t first = item.find_first_not_of(" \t");
    size_t last = item.find_first_of(" \t;", first);
    if (first != std::string::npos) {
      std::string name =
          item.substr(first, last == std::string::npos ? std::string::npos : last - first);
      bool refused = item.find("q=0", first) != std::string::npos &&
                     item.find_first_not_of("0.", item.find("q=0", first) + 2) == std::string::npos;
      if (name == token && !refused) return true;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

// Mirrors httplib 0.11's own choice of which responses it compresses.
bool LibraryCompresses(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  if (type == "text/event-stream") return false;
  return type.rfind("text/", 0) == 0 || type == "image/svg+xml" ||
         type == "application/javascript" || type == "application/json" ||
         type == "application/xml" || type == "application/protobuf" ||
         type == "application/xhtml+xml";
}

}  // namespace

const char* StatusTitle(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 408:
      return "Request Timeout";
    case 405:
      return "Method Not Allowed";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 416:
      return "Range Not Satisfiable";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return status < 500 ? "Client Error" : "Server Error";
  }
}

bool AcceptsGzip(const httplib::Request& req) {
  return HeaderListHas(req.get_header_value("Accept-Encoding"), "gzip");
}

std::string LibraryEncoding(const httplib::Request& req, const std::string& content_type) {
  if (!LibraryCompresses(content_type)) return "";
  const std::string accept = req.get_header_value("Accept-Encoding");
  if (HeaderListHas(accept, "br")) return "br";
  if (HeaderListHas(accept, "gzip")) return "gzip";
  return "";
}

bool IfNoneMatchHits(const httplib::Request& req, const std::string& etag) {
  if (!req.has_header("If-None-Match")) return false;
  const std::string value = req.get_header_value("If-None-Match");
  std::string_view header = Trim(value);
  if (header == "*") return true;
  // A list of entity tags, compared weakly (RFC 9110 13.1.2): W/"x" matches "x".
  for (std::string_view rest = header; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string_view tag = Trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

std::string ForLog(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string PercentEncode(std::string_view text, std::string_view keep) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

// A decimal number of at most 18 digits (larger ones count as "beyond any file").
std::optional<uint64_t> RangeNumber(std::string_view text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return {};
  if (text.size() > 18) return UINT64_MAX;
  return std::stoull(std::string(text));
}

}  // namespace

RangeAnswer ParseRange(const std::string& header, uint64_t size, ByteRange* range) {
  std::string_view spec = Trim(header);
  if (spec.size() < 6 || !EqualsIgnoreCase(spec.substr(0, 6), "bytes=")) return RangeAnswer::kWhole;
  spec.remove_prefix(6);
  // One range only: several are answered with the whole file, which RFC 9110 14.2 allows.
  if (spec.find(',') != std::string_view::npos) return RangeAnswer::kWhole;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeAnswer::kWhole;
  std::string_view first_text = Trim(spec.substr(0, dash)), last_text = Trim(spec.substr(dash + 1));
  if (first_text.empty()) {  // suffix: the last N bytes
    auto suffix = RangeNumber(last_text);
    if (!suffix) return RangeAnswer::kWhole;
    if (*suffix == 0 || size == 0) return RangeAnswer::kUnsatisfiable;
    uint64_t length = std::min(*suffix, size);
    *range = {size - length, length};
    return RangeAnswer::kPartial;
  }
  auto first = RangeNumber(first_text);
  auto last = last_text.empty() ? std::optional<uint64_t>(UINT64_MAX) : RangeNumber(last_text);
  if (!first || !last || *last < *first) return RangeAnswer::kWhole;  // invalid: ignored
  if (*first >= size) return RangeAnswer::kUnsatisfiable;
  *range = {*first, std::min(*last, size - 1) - *first + 1};
  return RangeAnswer::kPartial;
}

bool NotModified(const httplib::Request& req, const std::string& etag, time_t last_modified) {
  if (req.has_header("If-None-Match")) return IfNoneMatchHits(req, etag);
  if (last_modified < 0 || !req.has_header("If-Modified-Since")) return false;
  time_t since = ParseHttpDate(req.get_header_value("If-Modified-Since"));
  return since >= 0 && last_modified <= since;
}

void SendWithEtag(const httplib::Request& req, httplib::Response& res, std::string body,
                  const std::string& content_type, const std::string& etag_base,
                  time_t last_modified) {
  std::string encoding = LibraryEncoding(req, content_type);
  std::string etag = "\"" + etag_base + (encoding.empty() ? "" : "-" + encoding) + "\"";
  res.set_header("ETag", etag);
  res.set_header("Vary", "Accept-Encoding");
  if (last_modified >= 0) res.set_header("Last-Modified", HttpDate(last_modified));
  if (NotModified(req, etag, last_modified)) {
    res.status = 304;
    return;
  }
  res.set_content(std::move(body), content_type);
}

std::string ProblemJson(int status, const std::string& detail, const std::string& parameter,
                        const std::string& instance) {
  JsonWriter json;
  json.BeginObject();
  json.Field("type", "about:blank");
  json.Field("title", StatusTitle(status));
  json.Key("status").Int(status);
  json.Field("detail", detail);
  if (!parameter.empty()) json.Field("parameter", parameter);
  if (!instance.empty()) json.Field("instance", instance);
  json.EndObject();
  return json.str() + "\n";
}

void SendProblem(httplib::Response& res, int status, const std::string& detail,
                 const std::string& parameter, const std::string& instance) {
  res.status = status;
  res.set_content(ProblemJson(status, detail, parameter, instance), "application/problem+json");
}

std::string Gzip(const std::string& data) {
  z_stream stream;
  std::memset(&stream, 0, sizeof stream);
  if (deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return "";
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return rc == Z_STREAM_END ? out : "";
}

std::string HttpDate(time_t t) {
  char buf[64];
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

time_t ParseHttpDate(const std::string& text) {
  struct tm tm;
  std::memset(&tm, 0, sizeof tm);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return -1;
  return timegm(&tm);
}

}  // namespace clemency::http
