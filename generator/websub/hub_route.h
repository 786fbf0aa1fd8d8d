#pragma once
// The hub's HTTP route: POST /websub (paths::kWebSubHub) with a form body.
#include "http/http.h"
#include "websub/hub.h"

namespace clemency::websub {

// Answers POST /websub with hub->Request(): 202 Accepted, or a problem document naming the
// field at fault; other methods get 405. REQUIRES: hub outlives server.
void RegisterHubRoute(httplib::Server& server, Hub* hub);

// The largest request body the route reads: a topic, a callback, a secret and a lease.
constexpr size_t kMaxHubRequestBytes = 8 * 1024;

}  // namespace clemency::websub
