#pragma once
// Shared HTTP helpers of the api module: conditional GET, problem responses, encodings.
#include <httplib.h>

#include <string>

namespace clemency::http {

// Sets `body` with a strong ETag (content hash plus the encoding httplib will apply) and answers
// 304 instead when If-None-Match matches.
void SendWithEtag(const httplib::Request& req, httplib::Response& res, std::string body,
                  const std::string& content_type, const std::string& etag_base);
// RFC 9457 problem details; `parameter` names the request field at fault.
void SendProblem(httplib::Response& res, int status, const std::string& detail,
                 const std::string& parameter = "", const std::string& instance = "");
// True when an If-None-Match header lists `etag` (or *).
bool IfNoneMatchHits(const httplib::Request& req, const std::string& etag);
// The encoding httplib itself will apply to a response of this type for this request ("br",
// "gzip" or "").
std::string LibraryEncoding(const httplib::Request& req, const std::string& content_type);
bool AcceptsGzip(const httplib::Request& req);
std::string Gzip(const std::string& data);
std::string HttpDate(time_t t);
// Parses an HTTP date (IMF-fixdate); -1 when invalid.
time_t ParseHttpDate(const std::string& text);

}  // namespace clemency::http
