#include "admin/admin_pages.h"

#include "editorial/check_messages.h"
#include "content/page_file.h"

#include "accounts/secrets.h"
#include "http/http.h"
#include "http/static_files.h"
#include "core/text.h"
#include "editorial/check_messages.h"

namespace clemency {

std::optional<ContentPath> AdminSite::FileOf(const std::string& path) const {
  std::vector<std::string> languages;
  for (const auto& language : config_.languages) languages.push_back(language.code);
  return ParseContentPath(path, languages);
}

void AdminSite::Register() {
  RegisterStatic();
  RegisterSignIn();
  RegisterOverview();
  RegisterEdits();
  RegisterNewPage();
  RegisterActions();
  RegisterHistory();
  RegisterMedia();
}

// ---- plumbing ----

void AdminSite::Route(const char* method, const std::string& pattern, const std::string& action,
                      Handler handler) {
  auto self = shared_from_this();
  const std::string verb = method;
  bool write = verb != "GET";
  auto run = [self, write, action, handler](const httplib::Request& req, httplib::Response& res) {
    self->Handle(req, res, write, action, handler);
  };
  if (verb == "GET") server_.Get(pattern, run);
  if (verb == "POST") server_.Post(pattern, run);
  if (verb == "PUT") server_.Put(pattern, run);
}

// Headers every admin response has, and the interface language (kept in a cookie once chosen).
void AdminSite::StartPage(AdminPage& page) const {
  page.res.set_header("Cache-Control", "no-store");
  page.res.set_header("Content-Security-Policy", kAdminCsp);
  page.res.set_header("X-Frame-Options", "DENY");
  page.lang = text_->Pick(page.req);
  if (QueryParam(page.req, "lang") == page.lang) {
    CookieSpec spec;
    spec.path = "/admin";
    spec.max_age = 365 * 24 * 3600;
    spec.secure = auth_->secure_cookies();
    page.res.set_header("Set-Cookie", SetCookieHeader(kAdminLangCookie, page.lang, spec));
  }
}

// The checks every signed-in page shares, in order: who (else the sign-in page), the CSRF token
// of a write (403), the role's permission (403).
void AdminSite::Handle(const httplib::Request& req, httplib::Response& res, bool write,
                       const std::string& action, const Handler& handler) {
  AdminPage page{req, res, Caller(), ""};
  StartPage(page);
  EditorAuth::Failure why;
  std::optional<Caller> caller = auth_->Identify(req, false, &why);
  if (!caller) {
    if (!write) return Redirect(page, "/admin/login");
    return ShowMessage(page, 401, "session_ended_heading", {T(page, "session_ended")},
                       "/admin/login", "login_again");
  }
  page.caller = std::move(*caller);
  if (write && !auth_->CsrfOk(req, page.caller)) {
    return ShowMessage(page, 403, "csrf_heading", {T(page, "csrf_failed")}, "/admin/",
                       "back_to_dashboard");
  }
  if (auto need = PermissionFor(action); need && !May(page.caller.role, *need)) {
    return ShowMessage(page, 403, "forbidden_heading",
                       {T(page, "forbidden", {{"role", T(page, "role_" + page.caller.role)}})},
                       "/admin/", "back_to_dashboard");
  }
  handler(page);
}

std::string AdminSite::T(const AdminPage& page, const std::string& key,
                         const MessageArgs& args) const {
  return text_->Format(page.lang, key, args);
}

std::string AdminSite::Time(const std::string& rfc3339) const {
  return DisplayTime(rfc3339, config_.utc_offset_minutes);
}

std::string AdminSite::LanguageName(const AdminPage& page, const std::string& code) const {
  std::string key = "lang_" + code;
  std::string name = T(page, key);
  return name == key ? code : name;
}

// The links of the language switch keep the page's own query (a GET's only: a form's body must
// never end up in a link).
View AdminSite::Common(const AdminPage& page, const std::string& title) const {
  View view;
  view.Set("lang", page.lang).Set("page_title", title);
  bool signed_in = !page.caller.name.empty();
  view.Set("signed_in", signed_in);
  if (signed_in) {
    view.Set("csrf", page.caller.csrf);
    view.Set("signed_in_as", T(page, "signed_in_as", {{"name", page.caller.name},
                                                      {"role", T(page, "role_" + page.caller.role)}}));
    view.Set("may_audit", May(page.caller.role, Permission::kReadAudit));
  }
  std::string query;
  if (page.req.method == "GET") {
    size_t question = page.req.target.find('?');
    httplib::Params params;
    if (question != std::string::npos) {
      httplib::detail::parse_query_text(page.req.target.substr(question + 1), params);
    }
    for (const auto& [key, value] : params) {
      if (key != "lang" && key != "done") query += QueryEncode(key) + "=" + QueryEncode(value) + "&";
    }
  }
  View languages = View::List();
  for (const std::string& code : text_->languages()) {
    View link;
    link.Set("code", code).Set("name", text_->NativeName(code)).Set("current", code == page.lang);
    link.Set("href", page.req.path + "?" + query + "lang=" + code);
    languages.Push(std::move(link));
  }
  view.Set("languages", std::move(languages));
  static const char* const kDone[] = {"saved",     "created",   "submitted", "approved",
                                      "rejected",  "published", "scheduled", "discarded",
                                      "restored",  "signed_out"};
  std::string done = QueryParam(page.req, "done");
  for (const char* known : kDone) {
    if (done == known) view.Set("flash", T(page, std::string("done_") + known));
  }
  return view;
}

void AdminSite::Show(AdminPage& page, int status, const std::string& name,
                     const std::string& title, View view) const {
  View common = Common(page, title);
  for (const auto& [key, value] : common.map()) {
    if (!view.map().count(key)) view.Set(key, value);
  }
  page.res.status = status;
  page.res.set_content(text_->Render(page.lang, name, view), "text/html; charset=utf-8");
}

void AdminSite::ShowMessage(AdminPage& page, int status, const std::string& heading_key,
                            const std::vector<std::string>& paragraphs,
                            const std::string& back_href, const std::string& back_key,
                            const std::vector<Diagnostic>& problems) const {
  View view;
  std::string heading = T(page, heading_key);
  view.Set("heading", heading);
  View list = View::List();
  for (const std::string& paragraph : paragraphs) list.Push(paragraph);
  view.Set("paragraphs", std::move(list));
  View diagnostics = View::List();
  for (const Diagnostic& d : problems) {
    View item;
    item.Set("text", DiagnosticText(page, d, 0));
    diagnostics.Push(std::move(item));
  }
  view.Set("has_diagnostics", !problems.empty()).Set("diagnostics", std::move(diagnostics));
  if (!back_href.empty()) view.Set("back_href", back_href).Set("back_text", T(page, back_key));
  Show(page, status, "message", heading, std::move(view));
}

// A workflow refusal as a page: its own sentence (the workflow writes it in English), under a
// heading in the editor's language, with the content checks' problems for a 422.
void AdminSite::ShowRefusal(AdminPage& page, const Refusal& refusal, const std::string& back_href,
                            const std::string& back_key) const {
  std::string heading = refusal.status == 403   ? "forbidden_heading"
                        : refusal.status == 404 ? "not_found_heading"
                        : refusal.status == 412 ? "stale_heading"
                                                : "refused_heading";
  std::vector<std::string> paragraphs;
  if (refusal.status == 412) paragraphs.push_back(T(page, "stale"));
  if (refusal.status != 412 || refusal.key != "stale") paragraphs.push_back(RefusalText(page, refusal));
  std::string back = !back_key.empty()         ? back_key
                     : back_href == "/admin/"     ? "back_to_dashboard"
                     : back_href == "/admin/pages" ? "back_to_pages"
                                                  : "back_to_edit";
  ShowMessage(page, refusal.status, heading, paragraphs, back_href, back, refusal.diagnostics.items());
}

// Said by its key in the editor's language (its parts too: a role, a state, a change type); a
// refusal without one is a failure nobody can act on, said as such with its technical detail.
std::string AdminSite::RefusalText(const AdminPage& page, const Refusal& refusal) const {
  const std::string key = "refusal_" + refusal.key;
  if (refusal.key.empty() || !text_->Has(page.lang, key)) {
    return T(page, "refusal_failure", {{"detail", refusal.message}});
  }
  MessageArgs args;
  for (const auto& [name, value] : refusal.args) {
    const std::string prefix = name == "role" ? "role_" : name == "state" ? "state_"
                               : name == "type" ? "change_" : "";
    args.emplace_back(name, prefix.empty() ? value : T(page, prefix + value));
  }
  return T(page, key, args);
}

void AdminSite::Redirect(AdminPage& page, const std::string& to) {
  page.res.status = 303;
  page.res.set_header("Location", to);
}

std::string AdminSite::CheckText(const AdminPage& page, const Diagnostic& d) const {
  CheckMessage check = CheckMessageOf(d);
  if (check.key.empty()) return d.message;  // a diagnostic made with no code
  MessageArgs args;
  for (auto& [name, value] : check.args) {
    args.emplace_back(name, name == "field" ? FieldLabel(page, value) : value);
  }
  return T(page, check.key, args);
}

std::string AdminSite::DiagnosticText(const AdminPage& page, const Diagnostic& d,
                                      int body_line) const {
  std::string message = CheckText(page, d);
  if (body_line > 0) {
    return T(page, "diagnostic_body_line", {{"line", static_cast<long>(body_line)},
                                            {"message", message}});
  }
  if (!d.field.empty()) {
    return T(page, "diagnostic_field", {{"field", FieldLabel(page, d.field)}, {"message", message}});
  }
  if (d.line <= 0) return T(page, "diagnostic_file", {{"file", d.file}, {"message", message}});
  return T(page, "diagnostic_other", {{"file", d.file}, {"line", static_cast<long>(d.line)},
                                      {"message", message}});
}

// ---- static files ----

void AdminSite::RegisterStatic() {
  auto text = text_;
  server_.Get(R"(/admin/static/([a-z]+\.(css|js)))",
              [text](const httplib::Request& req, httplib::Response& res) {
                res.set_header("Cache-Control", "no-store");
                const std::string* file = text->Static(req.matches[1]);
                if (!file) return http::SendProblem(res, 404, "no such file");
                res.set_content(*file, ContentTypeFor(req.matches[1]));
              });
  server_.Get("/admin", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_redirect("/admin/", 301);
  });
}

}  // namespace clemency
