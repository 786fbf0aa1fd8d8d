#pragma once
// Who is asking, for the admin and the editor API: the session cookie (with its CSRF token for
// writes) or a bearer token (the editor API only), the account read again on every request, and
// signing in and out. Nothing here logs or records a password, session id, token or CSRF token.
#include "http/http.h"  // httplib's request and response, as the HTTP layer gives them

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/account_service.h"
#include "accounts/secrets.h"
#include "accounts/sessions.h"
#include "accounts/signin_limits.h"
#include "editorial/workflow.h"
#include "store/store.h"

namespace clemency {

inline constexpr const char kSessionCookie[] = "clemency_session";
// The sign-in form's own CSRF token (there is no session yet to hold one).
inline constexpr const char kLoginCookie[] = "clemency_login";

// The value of the first cookie called `name` in a Cookie header ("" when there is none).
std::string CookieValue(std::string_view header, std::string_view name);

struct CookieSpec {
  std::string path = "/";
  int64_t max_age = -1;  // seconds; -1: until the browser closes, 0: delete it now
  bool secure = false;   // only over HTTPS
};
// A Set-Cookie value: always HttpOnly and SameSite=Strict (no script reads it, no other site
// sends it).
std::string SetCookieHeader(const std::string& name, const std::string& value,
                            const CookieSpec& spec);

// True when `sent` is the expected token; an empty expected or sent token never matches.
bool CsrfMatches(const std::string& expected, const std::string& sent);

// The form of an address the audit log keeps: its network, not the host (an IPv4 address's /24,
// an IPv6 address's /48), enough to see an attack come from many places without tracking anyone.
std::string AddressPrefix(const std::string& address);

// The token of an "Authorization: Bearer <token>" header ("" for any other header).
std::string BearerToken(std::string_view authorization);

// The permission an editor action needs; nullopt for reads any signed-in account may do.
// Actions: create, save, submit, discard, restore, approve, reject, publish, schedule,
// unpublish, audit (anything else is a read).
std::optional<Permission> PermissionFor(std::string_view action);

// A form field from a POST body: multipart/form-data (the edit form: httplib refuses url-encoded
// bodies over 8 KiB) or application/x-www-form-urlencoded. Never from the query string.
std::string FormField(const httplib::Request& req, const std::string& name);
bool HasFormField(const httplib::Request& req, const std::string& name);
// Every value posted under `name`, in the order sent (checkboxes send one each).
std::vector<std::string> FormFieldValues(const httplib::Request& req, const std::string& name);

// The signed-in account of a request.
struct Caller {
  std::string name, role;
  bool bearer = false;     // by bearer token: no cookie, so no CSRF token is needed
  std::string session_id;  // the cookie's id (never logged)
  std::string csrf;        // the session's CSRF token (never logged)
};

class EditorAuth {
 public:
  // REQUIRES: every pointer outlives this object. `store` is a connection for reads that may be
  // used from many threads (the server's): the account service reads accounts and tokens with
  // it and records through `workflow`. `now` gives unix seconds (the system clock when null).
  EditorAuth(Store* store, Workflow* workflow, SessionTable* sessions, LoginLimiter* limiter,
             bool secure_cookies, std::function<int64_t()> now = nullptr);

  enum class Failure { kNone, kNoSession, kBadToken };
  // The account behind `req`: its bearer token when `allow_bearer` and it sends one, else its
  // session cookie; the account must still exist and be enabled. nullopt with `why` otherwise.
  std::optional<Caller> Identify(const httplib::Request& req, bool allow_bearer, Failure* why);
  // True when a write by `caller` may go ahead: a bearer caller, or the session's CSRF token in
  // the form field `csrf` or the X-CSRF-Token header.
  bool CsrfOk(const httplib::Request& req, const Caller& caller) const;

  using SignIn = AccountService::SignIn;
  // Signs `name` in from `address` with `password`, limited per account and address (the attempt
  // reserved before the password is checked) and bounded in checks at once. Audited as login or
  // login.failed, and login.limited when a limit starts.
  SignIn SignInWith(const std::string& name, const std::string& password,
                    const std::string& address, const std::string& old_session_id);
  // The address `req` comes from, for the sign-in limit: behind the TLS proxy (secure cookies)
  // and from a loopback peer, the last X-Forwarded-For entry, which the proxy appended (entries
  // before it are the client's to write); else the peer's address.
  std::string ClientAddress(const httplib::Request& req) const;
  // Accounts being guessed at now, for an admin's dashboard; names that are no account are summed
  // up under the account "" (what was typed is not shown: it may be someone's password).
  std::vector<LoginLimiter::Attack> Attacks() const;
  // The names of the enabled accounts whose role may approve changes.
  std::vector<std::string> Approvers();
  // Ends the caller's session (audited as logout).
  void SignOut(const Caller& caller);

  // Set-Cookie values for the session (`id`), its removal, the sign-in form's token and its
  // removal.
  std::string SessionCookie(const std::string& id) const;
  std::string ClearSessionCookie() const;
  std::string LoginCookie(const std::string& token) const;
  // A new token for the sign-in form, signed with this server's key (only it can make one).
  std::string NewLoginToken() const;
  // True when the sign-in form sent back, in its field and its cookie, one token this server
  // issued less than the cookie's lifetime ago (an equal pair made up by anyone is refused).
  bool LoginTokenOk(const httplib::Request& req) const;
  std::string ClearLoginCookie() const;
  int64_t Now() const { return now_(); }
  bool secure_cookies() const { return secure_; }
  Workflow* workflow() const { return workflow_; }

 private:
  std::optional<Caller> FromSession(const httplib::Request& req);
  Workflow* workflow_;
  std::function<int64_t()> now_;
  AccountService accounts_;
  TokenSigner login_tokens_;
  bool secure_;
};

}  // namespace clemency
