#include "editor_api/editor_api.h"

#include <algorithm>

#include "editor_api/editor_json.h"
#include "http/http.h"
#include "editor_api/json_reader.h"
#include "core/text.h"

namespace clemency {

void SendRefusal(httplib::Response& res, const Refusal& refusal) {
  res.status = refusal.status;
  res.set_content(RefusalJson(refusal), "application/problem+json");
}

int64_t EditIdFrom(const std::string& digits) {
  if (digits.empty() || digits.size() > 15 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  return std::stoll(digits);
}

namespace {

// One request's context once it has passed the checks every route shares.
struct ApiCall {
  const httplib::Request& req;
  httplib::Response& res;
  Caller caller;
  JsonValue body;  // the JSON object sent ({} when there was no body)
  Workflow* workflow;
  Actor actor() const { return {caller.name, caller.role}; }
};
using ApiHandler = std::function<void(ApiCall&)>;
// The members a request's body may have (openapi.json's additionalProperties: false).
using Members = std::vector<std::string>;

enum class Method { kGet, kPost, kPut };

// A text member of the body; false (and a 400 sent) when it is there but not text.
bool TextMember(ApiCall& call, const char* key, std::optional<std::string>* out) {
  bool wrong = false;
  *out = call.body.StringField(key, &wrong);
  if (wrong) http::SendProblem(call.res, 400, std::string(key) + " must be a string", key);
  return !wrong;
}

bool BoolMember(ApiCall& call, const char* key, bool* out) {
  bool wrong = false;
  std::optional<bool> value = call.body.BoolField(key, &wrong);
  if (wrong) http::SendProblem(call.res, 400, std::string(key) + " must be true or false", key);
  *out = value.value_or(false);
  return !wrong;
}

// An object member whose members are all text (by name); false (and a 400 sent) when it is
// there but is not such an object.
bool TextsMember(ApiCall& call, const char* key, std::map<std::string, std::string>* out) {
  const JsonValue* value = call.body.Find(key);
  if (!value || value->kind() == JsonValue::Kind::kNull) return true;
  bool ok = value->IsObject();
  for (const auto& [name, member] : ok ? value->members() : std::map<std::string, JsonValue>()) {
    if (member.kind() != JsonValue::Kind::kString) ok = false;
    (*out)[name] = member.text();
  }
  if (!ok) {
    http::SendProblem(call.res, 400, std::string(key) + " must be an object of strings", key);
  }
  return ok;
}

// The If-Match header, or "" with 428 sent: a write must name the version it was made from.
std::string IfMatch(ApiCall& call) {
  std::string etag(Trim(call.req.get_header_value("If-Match")));
  if (etag.empty()) {
    http::SendProblem(call.res, 428,
                      "send If-Match with the edit's ETag (from the response that showed it)",
                      "If-Match");
  }
  return etag;
}

template <typename T>
bool Succeeded(const Outcome<T>& outcome, httplib::Response& res) {
  if (!outcome.ok()) SendRefusal(res, outcome.refusal());
  return outcome.ok();
}

void SendEdit(httplib::Response& res, const EditRow& edit, int status = 200) {
  res.status = status;
  res.set_header("ETag", EditETag(edit));
  res.set_content(EditJson(edit), "application/json");
}

void SendJson(httplib::Response& res, const std::string& json) {
  res.set_content(json, "application/json");
}

void SendPreview(httplib::Response& res, const std::string& html) {
  res.set_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                                            "base-uri 'none'; form-action 'none'; "
                                            "frame-ancestors 'self'");
  res.set_header("X-Frame-Options", "SAMEORIGIN");
  res.set_content(html, "text/html; charset=utf-8");
}

// A text with problems is refused here (422 with them), though the workflow renders it: API
// clients read the outcome from the status; the admin shows the page marked instead.
void SendPreviewOf(const Outcome<std::string>& html, const Diagnostics& problems,
                   httplib::Response& res) {
  if (!Succeeded(html, res)) return;
  if (!problems.empty()) {
    Refusal refusal;
    refusal.status = 422;
    refusal.message = "the change fails the content checks";
    refusal.key = "checks";
    refusal.diagnostics = problems;
    return SendRefusal(res, refusal);
  }
  SendPreview(res, html.value());
}

// True for application/json, with or without parameters (not application/jsonxyz).
bool IsJsonType(std::string_view type) {
  return EqualsIgnoreCase(Trim(type.substr(0, type.find(';'))), "application/json");
}

// The body as a JSON object: none is {}; anything but JSON is 415, broken JSON 400.
bool ReadBody(ApiCall& call) {
  if (call.req.body.empty()) return true;
  if (!IsJsonType(call.req.get_header_value("Content-Type"))) {
    http::SendProblem(call.res, 415, "send the request body as application/json");
    return false;
  }
  std::string error;
  std::optional<JsonValue> parsed = ParseJson(call.req.body, &error);
  if (!parsed || !parsed->IsObject()) {
    http::SendProblem(call.res, 400, parsed ? "the body must be a JSON object" : "invalid JSON: " + error);
    return false;
  }
  call.body = std::move(*parsed);
  return true;
}

// False (and 400 sent, naming it) when the body has a member the request does not take: a
// misspelt member would otherwise be dropped without a word.
bool KnownMembers(ApiCall& call, const Members& allowed) {
  for (const auto& [key, value] : call.body.members()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string takes;
    for (const std::string& member : allowed) takes += (takes.empty() ? "" : ", ") + member;
    http::SendProblem(call.res, 400,
                      "unknown member '" + key + "': " +
                          (takes.empty() ? "this request takes no members" : "this request takes " + takes),
                      key);
    return false;
  }
  return true;
}

class EditorApi : public std::enable_shared_from_this<EditorApi> {
 public:
  EditorApi(httplib::Server& server, std::shared_ptr<EditorAuth> auth, const SiteConfig& config)
      : server_(server), auth_(std::move(auth)), config_(config) {}
  void Register();

 private:
  void Route(Method method, const std::string& pattern, const std::string& action,
             ApiHandler handler, Members members = {});
  void Handle(const httplib::Request& req, httplib::Response& res, Method method,
              const std::string& action, const Members& members, const ApiHandler& handler);
  void RegisterReads();      // dashboard, who, pages, open edits
  void RegisterEditReads();  // an edit, its checks, its preview
  void RegisterEditWrites();
  void RegisterActions();
  void RegisterPublishing();  // schedule, unpublish
  void RegisterHistory();     // preview of any text, history, texts, diffs, audit
  int64_t EditId(ApiCall& call) const;

  httplib::Server& server_;
  std::shared_ptr<EditorAuth> auth_;
  const SiteConfig& config_;
};

void EditorApi::Route(Method method, const std::string& pattern, const std::string& action,
                      ApiHandler handler, Members members) {
  auto self = shared_from_this();
  auto run = [self, method, action, handler, members](const httplib::Request& req,
                                                      httplib::Response& res) {
    self->Handle(req, res, method, action, members, handler);
  };
  const std::string path = "/api/v1/editor" + pattern;
  if (method == Method::kGet) server_.Get(path, run);
  if (method == Method::kPost) server_.Post(path, run);
  if (method == Method::kPut) server_.Put(path, run);
}

// The checks every route shares, in order: who (401), CSRF for a session's write (403), the
// role's permission (403), the body (415/400, also for a member the request does not take).
void EditorApi::Handle(const httplib::Request& req, httplib::Response& res, Method method,
                       const std::string& action, const Members& members,
                       const ApiHandler& handler) {
  res.set_header("Cache-Control", "no-store");
  EditorAuth::Failure why = EditorAuth::Failure::kNone;
  std::optional<Caller> caller = auth_->Identify(req, true, &why);
  if (!caller) {
    res.set_header("WWW-Authenticate", why == EditorAuth::Failure::kBadToken
                                           ? "Bearer realm=\"clemency\", error=\"invalid_token\""
                                           : "Bearer realm=\"clemency\"");
    return http::SendProblem(res, 401,
                             why == EditorAuth::Failure::kBadToken
                                 ? "the bearer token is not valid"
                                 : "sign in at /admin/login or send a bearer token");
  }
  if (method != Method::kGet && !auth_->CsrfOk(req, *caller)) {
    return http::SendProblem(res, 403, "the CSRF token is missing or wrong", "X-CSRF-Token");
  }
  if (auto need = PermissionFor(action); need && !May(caller->role, *need)) {
    return http::SendProblem(res, 403, "the role " + caller->role + " may not " + action);
  }
  ApiCall call{req, res, std::move(*caller), JsonValue(), auth_->workflow()};
  if (method != Method::kGet && (!ReadBody(call) || !KnownMembers(call, members))) return;
  handler(call);
}

int64_t EditorApi::EditId(ApiCall& call) const {
  int64_t id = EditIdFrom(call.req.matches[1]);
  if (id == 0) http::SendProblem(call.res, 404, "no such edit");
  return id;
}

void EditorApi::Register() {
  RegisterReads();
  RegisterEditReads();
  RegisterEditWrites();
  RegisterActions();
  RegisterPublishing();
  RegisterHistory();
}

void EditorApi::RegisterReads() {
  Route(Method::kGet, "/dashboard", "", [](ApiCall& call) {
    auto dashboard = call.workflow->GetDashboard();
    if (Succeeded(dashboard, call.res)) SendJson(call.res, DashboardJson(dashboard.value()));
  });
  Route(Method::kGet, "/me", "", [](ApiCall& call) {
    JsonWriter json;
    json.BeginObject().Field("name", call.caller.name).Field("role", call.caller.role);
    json.Key("may").BeginArray();
    for (const char* action : {"save", "approve", "publish", "audit"}) {
      if (May(call.caller.role, *PermissionFor(action))) json.String(action);
    }
    json.EndArray().EndObject();
    SendJson(call.res, json.str() + "\n");
  });
  Route(Method::kGet, "/pages", "", [](ApiCall& call) {
    std::string section = call.req.get_param_value("section");
    std::string lang = call.req.get_param_value("lang");
    auto pages = call.workflow->Pages();
    if (!Succeeded(pages, call.res)) return;
    std::vector<TranslationState> chosen;
    for (const TranslationState& page : pages.value()) {
      if ((section.empty() || page.section == section) && (lang.empty() || page.lang == lang)) {
        chosen.push_back(page);
      }
    }
    SendJson(call.res, PagesJson(chosen));
  });
  Route(Method::kGet, "/edits", "", [](ApiCall& call) {
    auto dashboard = call.workflow->GetDashboard();
    if (!Succeeded(dashboard, call.res)) return;
    JsonWriter json;
    json.BeginObject().Key("edits").BeginArray();
    for (const auto* list : {&dashboard->drafts, &dashboard->in_review, &dashboard->approved,
                             &dashboard->scheduled}) {
      for (const EditRow& edit : *list) WriteEdit(json, edit, false);
    }
    json.EndArray().EndObject();
    SendJson(call.res, json.str() + "\n");
  });
}

void EditorApi::RegisterEditReads() {
  Route(Method::kGet, R"(/edits/(\d+))", "", [this](ApiCall& call) {
    int64_t id = EditId(call);
    if (id == 0) return;
    auto edit = call.workflow->Get(id);
    if (Succeeded(edit, call.res)) SendEdit(call.res, edit.value());
  });
  Route(Method::kGet, R"(/edits/(\d+)/check)", "", [this](ApiCall& call) {
    int64_t id = EditId(call);
    if (id == 0) return;
    auto problems = call.workflow->Check(id);
    if (!Succeeded(problems, call.res)) return;
    JsonWriter json;
    json.BeginObject().Key("ok").Bool(problems->empty()).Key("diagnostics");
    WriteDiagnostics(json, problems->items());
    json.EndObject();
    SendJson(call.res, json.str() + "\n");
  });
  Route(Method::kGet, R"(/edits/(\d+)/preview)", "", [this](ApiCall& call) {
    int64_t id = EditId(call);
    if (id == 0) return;
    auto edit = call.workflow->Get(id);
    if (!Succeeded(edit, call.res)) return;
    Diagnostics problems;
    auto html = call.workflow->Preview(edit->source_path, edit->source_text, &problems);
    SendPreviewOf(html, problems, call.res);
  });
}

void EditorApi::RegisterEditWrites() {
  Route(Method::kPost, "/edits", "create", [](ApiCall& call) {
    std::optional<std::string> path, text;
    if (!TextMember(call, "path", &path) || !TextMember(call, "text", &text)) return;
    if (!path || path->empty()) return http::SendProblem(call.res, 400, "path is required", "path");
    auto edit = call.workflow->Create(call.actor(), *path, text);
    if (!Succeeded(edit, call.res)) return;
    call.res.set_header("Location", "/api/v1/editor/edits/" + std::to_string(edit->id));
    SendEdit(call.res, edit.value(), 201);
  }, {"path", "text"});
  Route(Method::kPut, R"(/edits/(\d+))", "save", [this](ApiCall& call) {
    int64_t id = EditId(call);
    if (id == 0) return;
    EditChanges changes;
    if (!TextMember(call, "text", &changes.text) ||
        !TextMember(call, "change_type", &changes.change_type) ||
        !TextMember(call, "note", &changes.note) || !BoolMember(call, "rebase", &changes.rebase)) {
      return;
    }
    std::string etag = IfMatch(call);
    if (etag.empty()) return;
    auto edit = call.workflow->Save(call.actor(), id, etag, changes);
    if (Succeeded(edit, call.res)) SendEdit(call.res, edit.value());
  }, {"text", "change_type", "note", "rebase"});
  Route(Method::kPost, "/restore", "restore", [](ApiCall& call) {
    std::optional<std::string> path, ref;
    if (!TextMember(call, "path", &path) || !TextMember(call, "ref", &ref)) return;
    if (!path || !ref) return http::SendProblem(call.res, 400, "path and ref are required");
    auto edit = call.workflow->Restore(call.actor(), *path, *ref);
    if (!Succeeded(edit, call.res)) return;
    call.res.set_header("Location", "/api/v1/editor/edits/" + std::to_string(edit->id));
    SendEdit(call.res, edit.value(), 201);
  }, {"path", "ref"});
}

void EditorApi::RegisterActions() {
  // Each action reads its members first: a member of the wrong type is refused (400) before the
  // workflow is asked anything, so nothing changes.
  using Action = std::function<std::optional<Outcome<EditRow>>(ApiCall&, int64_t id,
                                                               const std::string& etag)>;
  const std::pair<const char*, Action> kActions[] = {
      {"submit", [](ApiCall& c, int64_t id, const std::string& etag) {
         return std::optional(c.workflow->Submit(c.actor(), id, etag));
       }},
      {"approve", [](ApiCall& c, int64_t id,
                     const std::string& etag) -> std::optional<Outcome<EditRow>> {
         bool legal = false, own_merge = false;
         std::optional<std::string> comment;
         if (!BoolMember(c, "legal_review", &legal) || !TextMember(c, "comment", &comment) ||
             !BoolMember(c, "own_merge", &own_merge)) {
           return std::nullopt;
         }
         return c.workflow->Approve(c.actor(), id, etag, legal, comment.value_or(""), own_merge);
       }},
      {"reject", [](ApiCall& c, int64_t id,
                    const std::string& etag) -> std::optional<Outcome<EditRow>> {
         std::optional<std::string> reason;
         if (!TextMember(c, "reason", &reason)) return std::nullopt;
         return c.workflow->Reject(c.actor(), id, etag, reason.value_or(""));
       }},
      {"publish", [](ApiCall& c, int64_t id, const std::string& etag) {
         return std::optional(c.workflow->Publish(c.actor(), id, etag));
       }},
      {"discard", [](ApiCall& c, int64_t id, const std::string& etag) {
         return std::optional(c.workflow->Discard(c.actor(), id, etag));
       }},
  };
  auto members_of = [](std::string_view name) -> Members {
    if (name == "approve") return {"legal_review", "comment", "own_merge"};
    if (name == "reject") return {"reason"};
    return {};
  };
  for (const auto& [name, action] : kActions) {
    Action run = action;
    Route(Method::kPost, std::string(R"(/edits/(\d+)/)") + name, name, [this, run](ApiCall& call) {
      int64_t id = EditId(call);
      if (id == 0) return;
      std::string etag = IfMatch(call);
      if (etag.empty()) return;
      std::optional<Outcome<EditRow>> edit = run(call, id, etag);
      if (edit && Succeeded(*edit, call.res)) SendEdit(call.res, edit->value());
    }, members_of(name));
  }
}

void EditorApi::RegisterPublishing() {
  Route(Method::kPost, R"(/edits/(\d+)/schedule)", "schedule", [this](ApiCall& call) {
    int64_t id = EditId(call);
    if (id == 0) return;
    std::optional<std::string> at_text;
    if (!TextMember(call, "at", &at_text)) return;
    auto at = ParseDateTime(at_text.value_or(""), config_.utc_offset_minutes);
    if (!at) return http::SendProblem(call.res, 400, "at must be an RFC 3339 date and time", "at");
    std::string etag = IfMatch(call);
    if (etag.empty()) return;
    auto edit = call.workflow->Schedule(call.actor(), id, etag, *at);
    if (Succeeded(edit, call.res)) SendEdit(call.res, edit.value());
  }, {"at"});
  Route(Method::kPost, "/unpublish", "unpublish", [](ApiCall& call) {
    std::optional<std::string> section, slug, lang, reason;
    UnpublishOrder order;
    if (!TextMember(call, "section", &section) || !TextMember(call, "slug", &slug) ||
        !TextMember(call, "lang", &lang) || !TextMember(call, "reason", &reason) ||
        !TextsMember(call, "reasons", &order.reasons) || !BoolMember(call, "gone", &order.gone)) {
      return;
    }
    if (!section || !slug) return http::SendProblem(call.res, 400, "section and slug are required");
    order.section = *section;
    order.slug = *slug;
    order.lang = lang.value_or("");
    order.reason = reason.value_or("");
    order.by = call.caller.name;
    auto pages = call.workflow->Unpublish(call.actor(), order);
    if (!Succeeded(pages, call.res)) return;
    JsonWriter json;
    json.BeginObject().Key("withdrawn").BeginArray();
    for (const std::string& page : pages.value()) json.String(page);
    json.EndArray().EndObject();
    SendJson(call.res, json.str() + "\n");
  }, {"section", "slug", "lang", "reason", "gone"});
}

void EditorApi::RegisterHistory() {
  Route(Method::kPost, "/preview", "", [](ApiCall& call) {
    std::optional<std::string> path, text;
    if (!TextMember(call, "path", &path) || !TextMember(call, "text", &text)) return;
    if (!path || !text) return http::SendProblem(call.res, 400, "path and text are required");
    Diagnostics problems;
    auto html = call.workflow->Preview(*path, *text, &problems);
    SendPreviewOf(html, problems, call.res);
  }, {"path", "text"});
  Route(Method::kGet, "/history", "", [](ApiCall& call) {
    std::string path = call.req.get_param_value("path");
    auto items = call.workflow->History(path);
    if (Succeeded(items, call.res)) SendJson(call.res, HistoryJson(path, items.value()));
  });
  Route(Method::kGet, "/text", "", [](ApiCall& call) {
    std::string ref = call.req.get_param_value("ref");
    auto text = call.workflow->TextOf(ref);
    if (!Succeeded(text, call.res)) return;
    JsonWriter json;
    json.BeginObject().Field("ref", ref).Field("text", text.value()).EndObject();
    SendJson(call.res, json.str() + "\n");
  });
  Route(Method::kGet, "/diff", "", [](ApiCall& call) {
    std::string from = call.req.get_param_value("from"), to = call.req.get_param_value("to");
    auto html = call.workflow->Diff(from, to);
    if (!Succeeded(html, call.res)) return;
    JsonWriter json;
    json.BeginObject().Field("from", from).Field("to", to).Field("html", html.value()).EndObject();
    SendJson(call.res, json.str() + "\n");
  });
  Route(Method::kGet, "/audit", "audit", [](ApiCall& call) {
    int limit = 100;
    std::string text = call.req.get_param_value("limit");
    if (!text.empty() && text.size() < 5 && text.find_first_not_of("0123456789") == std::string::npos) {
      limit = std::clamp(std::stoi(text), 1, 1000);
    }
    auto rows = call.workflow->RecentAudit(limit);
    if (Succeeded(rows, call.res)) SendJson(call.res, AuditJson(rows.value()));
  });
}

}  // namespace

void RegisterEditorApi(httplib::Server& server, std::shared_ptr<EditorAuth> auth,
                       const SiteConfig& config) {
  std::make_shared<EditorApi>(server, std::move(auth), config)->Register();
}

}  // namespace clemency
