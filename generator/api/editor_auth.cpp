#include "api/editor_auth.h"

#include <ctime>

#include "accounts/accounts.h"
#include "accounts/secrets.h"
#include "core/text.h"
#include "store/users.h"

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

// Password checks at once: each holds Argon2id's 256 MiB for about a second, so serve's memory
// under any sign-in load stays within this (one check at a time with libsodium's moderate cost).
constexpr size_t kPasswordMemoryBudget = 288u << 20;
// Beyond the checks running, a few sign-ins wait briefly for their turn; the rest are told to
// come back at once, so neither threads nor memory pile up.
constexpr int kPasswordWaiting = 4;
constexpr int64_t kPasswordWaitMs = 3000;
constexpr int64_t kBusyRetrySeconds = 2;
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

EditorAuth::EditorAuth(Store* store, Workflow* workflow, SessionTable* sessions,
                       LoginLimiter* limiter, bool secure_cookies, std::function<int64_t()> now)
    : store_(store),
      workflow_(workflow),
      sessions_(sessions),
      limiter_(limiter),
      gate_(PasswordCheckGate::SlotsWithin(kPasswordMemoryBudget), kPasswordWaiting,
            kPasswordWaitMs),
      secure_(secure_cookies),
      now_(now ? std::move(now) : [] { return static_cast<int64_t>(std::time(nullptr)); }) {}

std::optional<Caller> EditorAuth::FromSession(const httplib::Request& req) {
  std::string id = CookieValue(req.get_header_value("Cookie"), kSessionCookie);
  if (id.empty()) return std::nullopt;
  std::optional<Session> session = sessions_->Find(id, now_());
  if (!session) return std::nullopt;
  auto user = ActiveUser(store_, session->user);
  if (!user.ok()) {
    // Disabled (or gone) since signing in: every session of the account stops now.
    sessions_->EndAllFor(session->user);
    return std::nullopt;
  }
  Caller caller;
  caller.name = user->name;
  caller.role = user->role;
  caller.session_id = std::move(id);
  caller.csrf = session->csrf;
  return caller;
}

std::optional<Caller> EditorAuth::Identify(const httplib::Request& req, bool allow_bearer,
                                           Failure* why) {
  if (allow_bearer && req.has_header("Authorization")) {
    std::string token = BearerToken(req.get_header_value("Authorization"));
    auto user = token.empty() ? Result<UserRow>(Status::Error("not a bearer token"))
                              : AuthenticateToken(store_, token);
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
  SignIn out;
  const int64_t now = now_();
  LoginLimiter::Decision decision = limiter_->Reserve(name, address, now);
  if (decision.retry_after > 0) {
    out.result = SignIn::Result::kLimited;
    out.retry_after = decision.retry_after;
    return out;
  }
  if (!gate_.Enter()) {
    limiter_->Release(name, address, now);
    out.result = SignIn::Result::kBusy;
    out.retry_after = kBusyRetrySeconds;
    return out;
  }
  auto user = Authenticate(store_, name, password);
  gate_.Leave();
  if (!user.ok()) {
    AuditFailure(name, address, decision.started);
    out.result = SignIn::Result::kRefused;
    return out;
  }
  limiter_->Succeeded(user->name, address, now);
  if (!old_session_id.empty()) sessions_->End(old_session_id);
  out.session_id = sessions_->Start(user->name, now);
  workflow_->Audit(user->name, "login", user->name, "from " + AddressPrefix(address));
  out.result = SignIn::Result::kOk;
  return out;
}

bool EditorAuth::IsAccount(const std::string& name) const {
  if (!IsAccountName(name)) return false;
  auto known = UserRepository(store_).Get(name);
  return known.ok() && known->has_value();
}

void EditorAuth::AuditFailure(const std::string& name, const std::string& address,
                              LoginLimiter::Limit started) const {
  // The name typed is recorded only when it is an account's: a password typed into the name
  // field by mistake must not reach the audit log.
  const bool account = IsAccount(name);
  const std::string actor = account ? name : "-";
  const std::string subject = account ? name : "(no such account)";
  const std::string from = "from " + AddressPrefix(address);
  workflow_->Audit(actor, "login.failed", subject, from);
  const LoginRules& rules = limiter_->rules();
  const std::string window = " in " + std::to_string(rules.window_seconds / 60) + " minutes";
  switch (started) {
    case LoginLimiter::Limit::kNone:
      return;
    case LoginLimiter::Limit::kPair:
      return workflow_->Audit(actor, "login.limited", subject,
                              from + ": " + std::to_string(rules.pair_failures) +
                                  " failed sign-ins for this account" + window +
                                  "; this address must wait");
    case LoginLimiter::Limit::kAddress:
      return workflow_->Audit(actor, "login.limited", subject,
                              from + ": " + std::to_string(rules.address_failures) +
                                  " failed sign-ins at any accounts" + window +
                                  "; this address must wait");
    case LoginLimiter::Limit::kAccount:
      return workflow_->Audit(actor, "login.limited", subject,
                              std::to_string(rules.account_failures) + " failed sign-ins" +
                                  window + ", the last " + from +
                                  "; the account is slowed down: one check every " +
                                  std::to_string(rules.slow_seconds) +
                                  " s from addresses it has not signed in from");
  }
}

std::vector<LoginLimiter::Attack> EditorAuth::Attacks() const {
  std::vector<LoginLimiter::Attack> out;
  LoginLimiter::Attack unknown;
  for (LoginLimiter::Attack& attack : limiter_->Attacks(now_())) {
    if (IsAccount(attack.account)) {
      out.push_back(std::move(attack));
      continue;
    }
    unknown.failures += attack.failures;
    unknown.addresses += attack.addresses;  // an address may count twice here: an upper bound
  }
  if (unknown.failures > 0) out.push_back(unknown);
  return out;
}

void EditorAuth::SignOut(const Caller& caller) {
  if (caller.session_id.empty()) return;
  sessions_->End(caller.session_id);
  workflow_->Audit(caller.name, "logout", caller.name);
}

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
