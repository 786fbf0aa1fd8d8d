#pragma once
// Shared HTTP helpers of the server modules: conditional GET, problem responses, encodings.
// The HTTP layer's vocabulary: cpp-httplib's Request and Response are what every handler
// module (public_api, editor_api, admin, server) takes, through this header; http is the one
// module that includes httplib.h.
#include <httplib.h>

#include "http/gzip.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace clemency::http {

// Sets `body` with a strong ETag (content hash plus the encoding httplib will apply) and, when
// `last_modified` is not -1, Last-Modified; answers 304 instead when NotModified.
void SendWithEtag(const httplib::Request& req, httplib::Response& res, std::string body,
                  const std::string& content_type, const std::string& etag_base,
                  time_t last_modified = -1);
// True when the request's validators say its copy is current: If-None-Match lists `etag`, or
// (only without If-None-Match, RFC 9110 13.1.3) If-Modified-Since is not before `last_modified`
// (-1: unknown, never).
bool NotModified(const httplib::Request& req, const std::string& etag, time_t last_modified);
// The reason phrase of an HTTP status ("Not Found").
const char* StatusTitle(int status);
// An RFC 9457 problem details document; `parameter` names the request field at fault.
std::string ProblemJson(int status, const std::string& detail, const std::string& parameter = "",
                        const std::string& instance = "");
// Answers with ProblemJson().
void SendProblem(httplib::Response& res, int status, const std::string& detail,
                 const std::string& parameter = "", const std::string& instance = "");
// True when the If-None-Match header is "*" or lists `etag` (weak comparison).
bool IfNoneMatchHits(const httplib::Request& req, const std::string& etag);
// `text` with control characters and backslashes as \xNN, so a logged field stays on its line.
std::string ForLog(std::string_view text);
// `text` percent-encoded (RFC 3986): unreserved characters and those in `keep` stay as they are.
std::string PercentEncode(std::string_view text, std::string_view keep = "");

struct ByteRange {
  uint64_t offset = 0, length = 0;
};
enum class RangeAnswer { kWhole, kPartial, kUnsatisfiable };
// Reads a Range header against a representation of `size` bytes: kPartial with `range` clamped
// to the file, kUnsatisfiable (416), or kWhole for a header to ignore (not bytes, invalid, or
// several ranges).
RangeAnswer ParseRange(const std::string& header, uint64_t size, ByteRange* range);
// The encoding httplib itself will apply to a response of this type for this request ("br",
// "gzip" or "").
std::string LibraryEncoding(const httplib::Request& req, const std::string& content_type);
bool AcceptsGzip(const httplib::Request& req);
std::string HttpDate(time_t t);
// Parses an HTTP date (IMF-fixdate); -1 when invalid.
time_t ParseHttpDate(const std::string& text);

}  // namespace clemency::http
