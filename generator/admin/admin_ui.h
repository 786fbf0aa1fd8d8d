#pragma once
// The admin's interface: its templates and strings in each of its languages (Vietnamese by
// default, English by choice), its static files, and the pieces every admin page shares.
#include "http/http.h"  // httplib's request and response, as the HTTP layer gives them

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "i18n/messages.h"
#include "templates/template_set.h"
#include "templates/view.h"

namespace clemency {

inline constexpr const char kAdminLangCookie[] = "clemency_admin_lang";

// The admin pages' Content-Security-Policy: no inline script or style, no framing.
inline constexpr const char kAdminCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

class AdminText {
 public:
  // Loads the embedded templates and catalogs; a problem in them is a build mistake, reported
  // with file and line.
  static Result<std::shared_ptr<const AdminText>> Load(Diagnostics* diagnostics);

  // "vi" then "en".
  const std::vector<std::string>& languages() const { return languages_; }
  bool IsLanguage(const std::string& code) const;
  // The language for `req`: a valid ?lang=, else the cookie, else Vietnamese.
  std::string Pick(const httplib::Request& req) const;
  // The language's own name, for the switch ("Tiếng Việt", "English").
  std::string NativeName(const std::string& lang) const;

  std::string Format(const std::string& lang, const std::string& key,
                     const MessageArgs& args = {}) const;
  // Whether `lang`'s catalog has `key`.
  bool Has(const std::string& lang, const std::string& key) const { return catalogs_.Has(lang, key); }
  // Template `name` inside the layout, with `{{t.KEY}}` in `lang`.
  std::string Render(const std::string& lang, const std::string& name, const View& view) const;
  // A static file ("admin.css"), or nullptr.
  const std::string* Static(const std::string& name) const;

 private:
  std::vector<std::string> languages_;
  MessageCatalogs catalogs_;
  std::map<std::string, std::shared_ptr<const TemplateSet>> templates_;  // by language
  std::map<std::string, std::string> static_files_;
};


// An RFC 3339 time as editors read it: "2026-12-02 10:15" at `offset_minutes` ("" stays "").
std::string DisplayTime(const std::string& rfc3339, int offset_minutes);
// The value for an <input type="datetime-local"> at `offset_minutes` ("2026-12-02T10:15").
std::string LocalInputTime(int64_t unix_seconds, int offset_minutes);
// The query-string parameter `name` of `req` ("" when absent). Never a body field: httplib's
// req.params mixes both, and a sign-in form's body must not end up in a link.
std::string QueryParam(const httplib::Request& req, const std::string& name);
// `text` percent-encoded for a query string value.
std::string QueryEncode(const std::string& text);

}  // namespace clemency
