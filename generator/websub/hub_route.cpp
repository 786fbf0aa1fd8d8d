#include "websub/hub_route.h"

#include "core/site_paths.h"
#include "http/http.h"

namespace clemency::websub {
namespace {

void Handle(Hub* hub, const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    http::SendProblem(res, 415, "the request must be a form (application/x-www-form-urlencoded)");
    return;
  }
  httplib::Params params;
  httplib::detail::parse_query_text(req.body, params);
  std::map<std::string, std::string> fields;
  for (const auto& [name, value] : params) {
    if (!fields.emplace(name, value).second) {
      http::SendProblem(res, 400, name + " is given twice", name);
      return;
    }
  }
  HubAnswer answer = hub->Request(fields);
  if (answer.status == 202) {
    res.status = 202;
    res.set_content("accepted: verification of intent follows\n", "text/plain; charset=utf-8");
    return;
  }
  http::SendProblem(res, answer.status, answer.message, answer.field);
}

}  // namespace

void RegisterHubRoute(httplib::Server& server, Hub* hub) {
  server.Post(paths::kWebSubHub, [hub](const httplib::Request& req, httplib::Response& res) {
    Handle(hub, req, res);
  });
  server.Get(paths::kWebSubHub, [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "POST");
    http::SendProblem(res, 405, "subscribe with a POST of hub.mode, hub.topic and hub.callback "
                                "(W3C WebSub)");
  });
}

}  // namespace clemency::websub
