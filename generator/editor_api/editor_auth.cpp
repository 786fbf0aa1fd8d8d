#include "editor_api/editor_auth.h"

#include <ctime>

#include "accounts/secrets.h"
#include "core/text.h"

namespace clemency {

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t semicolon = header.find(';');
    std::string_view pair = Trim(header.substr(0, semicolon));
    header = semicolon == std::string_view::npos ? std::string_view() : header.substr(semicolon + 1);
    size_t equals = pair.find('=');
    if (equals == std::string_view::npos || Trim(pair.substr(0, equals)) != name) continue;
    std::string_view value = Trim(pair.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return "";
}

std::string SetCookieHeader(const std::string& name, const std::string& value,
                            const CookieSpec& spec) {
  std::string out = name + "=" + value + "; Path=" + spec.path;
  if (spec.max_age >= 0) out += "; Max-Age=" + std::to_string(spec.max_age);
  out += "; HttpOnly; SameSite=Strict";
  if (spec.secure) out += "; Secure";
  return out;
}

bool CsrfMatches(const std::string& expected, const std::string& sent) {
  return !expected.empty() && !sent.empty() && SecretsEqual(expected, sent);
}

std::string AddressPrefix(const std::string& address) {
  size_t dot = address.rfind('.');
  if (dot != std::string::npos) {  // IPv4, also as ::ffff:a.b.c.d
    size_t colon = address.rfind(':');
    std::string v4 = colon == std::string::npos ? address : address.substr(colon + 1);
    return v4.substr(0, v4.rfind('.')) + ".0/24";
  }
  size_t end = 0;
  for (int groups = 0; groups < 3; ++groups) {
    end = address.find(':', end == 0 ? 0 : end + 1);
    if (end == std::string::npos || (end + 1 < address.size() && address[end + 1] == ':')) {
      return address;  // a short form such as ::1 (loopback): nothing to cut
    }
  }
  return address.substr(0, end) + "::/48";
}

std::string BearerToken(std::string_view authorization) {
  std::string_view value = Trim(authorization);
  if (value.size() <= 7 || !EqualsIgnoreCase(value.substr(0, 7), "bearer ")) return "";
  return std::string(Trim(value.substr(7)));
}

std::optional<Permission> PermissionFor(std::string_view action) {
  static const std::pair<std::string_view, Permission> kNeeds[] = {
      {"create", Permission::kEdit},         {"save", Permission::kEdit},
      {"submit", Permission::kEdit},         {"discard", Permission::kEdit},
      {"restore", Permission::kEdit},        {"approve", Permission::kApprove},
      {"reject", Permission::kApprove},      {"publish", Permission::kPublish},
      {"schedule", Permission::kPublish},    {"unpublish", Permission::kPublish},
      {"audit", Permission::kReadAudit},
  };
  for (const auto& [name, permission] : kNeeds) {
    if (name == action) return permission;
  }
  return std::nullopt;
}

namespace {

// How long a sign-in form's token is good for.
constexpr int64_t kLoginFormSeconds = 30 * 60;

bool IsUrlEncodedForm(const httplib::Request& req) {
  return req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0;
}

// The url-encoded body's fields, parsed here (httplib's req.params mixes in the query string).
// Such bodies are at most 8 KiB (httplib's limit), so parsing them per field costs nothing.
httplib::Params UrlEncodedFields(const httplib::Request& req) {
  httplib::Params fields;
  httplib::detail::parse_query_text(req.body, fields);
  return fields;
}

}  // namespace

std::string FormField(const httplib::Request& req, const std::string& name) {
  if (req.is_multipart_form_data()) {
    return req.has_file(name) ? req.get_file_value(name).content : "";
  }
  if (!IsUrlEncodedForm(req)) return "";
  httplib::Params fields = UrlEncodedFields(req);
  auto it = fields.find(name);
  return it == fields.end() ? "" : it->second;
}

bool HasFormField(const httplib::Request& req, const std::string& name) {
  if (req.is_multipart_form_data()) return req.has_file(name);
  return IsUrlEncodedForm(req) && UrlEncodedFields(req).count(name) > 0;
}

std::vector<std::string> FormFieldValues(const httplib::Request& req, const std::string& name) {
  std::vector<std::string> out;
  if (req.is_multipart_form_data()) {
    auto range = req.files.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) out.push_back(it->second.content);
    return out;
  }
  if (!IsUrlEncodedForm(req)) return out;
  httplib::Params fields = UrlEncodedFields(req);
  auto range = fields.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

EditorAuth::EditorAuth(Store* store, Workflow* workflow, SessionTable* sessions,
                       LoginLimiter* limiter, bool secure_cookies, std::function<int64_t()> now)
    : workflow_(workflow),
      now_(now ? std::move(now) : [] { return static_cast<int64_t>(std::time(nullptr)); }),
      accounts_(store, {sessions, limiter,
                        [workflow](const std::string& actor, const std::string& action,
                                   const std::string& subject, const std::string& detail) {
                          workflow->Audit(actor, action, subject, detail);
                        },
                        now_}),
      secure_(secure_cookies) {}

std::optional<Caller> EditorAuth::FromSession(const httplib::Request& req) {
  std::string id = CookieValue(req.get_header_value("Cookie"), kSessionCookie);
  if (id.empty()) return std::nullopt;
  auto found = accounts_.SessionUser(id);
  if (!found.ok()) return std::nullopt;
  auto& [user, session] = *found;
  Caller caller;
  caller.name = user.name;
  caller.role = user.role;
  caller.session_id = std::move(id);
  caller.csrf = session.csrf;
  return caller;
}

std::optional<Caller> EditorAuth::Identify(const httplib::Request& req, bool allow_bearer,
                                           Failure* why) {
  if (allow_bearer && req.has_header("Authorization")) {
    std::string token = BearerToken(req.get_header_value("Authorization"));
    auto user = token.empty() ? Result<UserRow>(Status::Error("not a bearer token"))
                              : accounts_.TokenUser(token);
    if (!user.ok()) {
      *why = Failure::kBadToken;
      return std::nullopt;
    }
    Caller caller;
    caller.name = user->name;
    caller.role = user->role;
    caller.bearer = true;
    return caller;
  }
  std::optional<Caller> caller = FromSession(req);
  *why = caller ? Failure::kNone : Failure::kNoSession;
  return caller;
}

bool EditorAuth::CsrfOk(const httplib::Request& req, const Caller& caller) const {
  if (caller.bearer) return true;
  std::string sent = FormField(req, "csrf");
  if (sent.empty()) sent = req.get_header_value("X-CSRF-Token");
  return CsrfMatches(caller.csrf, sent);
}

EditorAuth::SignIn EditorAuth::SignInWith(const std::string& name, const std::string& password,
                                          const std::string& address,
                                          const std::string& old_session_id) {
  return accounts_.SignInWith(name, password, address, AddressPrefix(address), old_session_id);
}

std::vector<LoginLimiter::Attack> EditorAuth::Attacks() const { return accounts_.Attacks(); }

std::vector<std::string> EditorAuth::Approvers() {
  std::vector<std::string> names;
  auto users = accounts_.ListUsers();
  if (!users.ok()) return names;
  for (const UserRow& user : users.value()) {
    if (user.disabled_at.empty() && May(user.role, Permission::kApprove)) names.push_back(user.name);
  }
  return names;
}

void EditorAuth::SignOut(const Caller& caller) { accounts_.SignOut(caller.name, caller.session_id); }

std::string EditorAuth::SessionCookie(const std::string& id) const {
  CookieSpec spec;
  spec.secure = secure_;
  return SetCookieHeader(kSessionCookie, id, spec);
}

std::string EditorAuth::ClearSessionCookie() const {
  CookieSpec spec;
  spec.max_age = 0;
  spec.secure = secure_;
  return SetCookieHeader(kSessionCookie, "", spec);
}

std::string EditorAuth::NewLoginToken() const { return login_tokens_.Issue(now_()); }

bool EditorAuth::LoginTokenOk(const httplib::Request& req) const {
  std::string sent = FormField(req, "csrf");
  return CsrfMatches(CookieValue(req.get_header_value("Cookie"), kLoginCookie), sent) &&
         login_tokens_.Valid(sent, now_(), kLoginFormSeconds);
}

std::string EditorAuth::LoginCookie(const std::string& token) const {
  CookieSpec spec;
  spec.path = "/admin/login";
  spec.max_age = kLoginFormSeconds;  // a sign-in form left open longer is refused, then shown again
  spec.secure = secure_;
  return SetCookieHeader(kLoginCookie, token, spec);
}

std::string EditorAuth::ClearLoginCookie() const {
  CookieSpec spec;
  spec.path = "/admin/login";
  spec.max_age = 0;
  spec.secure = secure_;
  return SetCookieHeader(kLoginCookie, "", spec);
}

std::string EditorAuth::ClientAddress(const httplib::Request& req) const {
  const std::string& peer = req.remote_addr;
  bool loopback = peer == "::1" || peer.rfind("127.", 0) == 0 || peer.rfind("::ffff:127.", 0) == 0;
  if (!secure_ || !loopback || !req.has_header("X-Forwarded-For")) return peer;
  std::string forwarded = req.get_header_value("X-Forwarded-For");
  size_t comma = forwarded.rfind(',');
  std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
  size_t begin = last.find_first_not_of(' '), end = last.find_last_not_of(' ');
  return begin == std::string::npos ? peer : last.substr(begin, end - begin + 1);
}

}  // namespace clemency
