#pragma once
// The editor side of the server: the editor API (/api/v1/editor/) and the web admin (/admin/),
// registered when ServerOptions has a workflow.
#include "http/http.h"  // httplib's request and response, as the HTTP layer gives them

#include "server/server.h"
#include "core/status.h"

namespace clemency {

// The largest request body the editor side takes: a page file (config's limit) twice over, for
// a multipart form's or JSON's framing and the other fields.
size_t EditorMaxBodyBytes(const SiteConfig& config);
// True for the paths of the editor side (bodies allowed, never cached, no CORS).
bool IsEditorPath(const std::string& path);

// Registers both on `server`, before any catch-all route. An error when the options lack what
// they need (sessions, login limiter, store) or the admin's embedded files are invalid.
Status RegisterEditor(httplib::Server& server, const ServerOptions& options);

}  // namespace clemency
