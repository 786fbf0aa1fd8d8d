#pragma once
// The read-only public JSON API under /api/v1/.
#include "http/http.h"  // httplib's request and response, as the HTTP layer gives them

#include "config/site_config.h"
#include "store/store.h"

namespace clemency {

// How many requests one client may make to the public API in a fixed window (0: no limit).
// Clients are told with RateLimit-* headers, and get 429 with Retry-After beyond it.
struct ApiRateLimit {
  int64_t requests = 600;
  int64_t window_seconds = 60;
};

// Registers /api/v1/ (the index), /api/v1/languages, /api/v1/pages,
// /api/v1/pages/{section}/{slug}, /api/v1/changes, /api/v1/support(.csv) and
// /api/v1/openapi.json on `server`, each limited per client by `rate_limit`.
void RegisterPublicApi(httplib::Server& server, const SiteConfig& config, Store* store,
                       ApiRateLimit rate_limit = {});

// Opaque pagination cursors: base64url of "v1:<updated_unix>:<id>".
std::string EncodeCursor(int64_t updated_unix, int64_t id);
bool DecodeCursor(const std::string& cursor, int64_t* updated_unix, int64_t* id);

}  // namespace clemency
