#pragma once
// gzip without httplib: for the build's precompressed files as much as for responses.
#include <string>

namespace clemency::http {

// Returns `data` as a gzip member (zlib level 9): no file name, modification time 0, so the
// same bytes always give the same output. "" when zlib fails.
std::string Gzip(const std::string& data);

}  // namespace clemency::http
