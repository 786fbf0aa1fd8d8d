#pragma once
// The editor API under /api/v1/editor/ (JSON in and out; documented in openapi.json): drafts,
// the workflow's actions, history, diffs, checks, previews, the dashboard and the audit log.
// Every request needs a signed-in account (session cookie, or a bearer token); session writes
// need the CSRF token; edit writes need If-Match with the edit's ETag. Nothing is cached.
#include "http/http.h"  // httplib's request and response, as the HTTP layer gives them

#include <memory>

#include "editor_api/editor_auth.h"
#include "config/site_config.h"

namespace clemency {

// Registers the routes on `server`. REQUIRES: `config` outlives the server.
void RegisterEditorApi(httplib::Server& server, std::shared_ptr<EditorAuth> auth,
                       const SiteConfig& config);

// Sends `refusal` as a problem document with its status (see RefusalJson).
void SendRefusal(httplib::Response& res, const Refusal& refusal);

// The edit id of a path segment of digits (0 when it is not one).
int64_t EditIdFrom(const std::string& digits);

}  // namespace clemency
