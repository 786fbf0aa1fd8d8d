#include "admin/admin_ui.h"

#include <cctype>
#include <ctime>

#include "admin/admin_assets.h"
#include "editor_api/editor_auth.h"
#include "config/site_config.h"
#include "core/datetime.h"
#include "core/fs.h"
#include "http/http.h"

namespace clemency {
namespace {

// The admin's languages as a site configuration, which is what MessageCatalogs reads.
SiteConfig AdminLanguages() {
  SiteConfig config;
  config.default_language = "vi";
  LanguageConfig vi, en;
  vi.code = "vi";
  vi.name = "Tiếng Việt";
  vi.locale = "vi_VN";
  en.code = "en";
  en.name = "English";
  en.locale = "en_GB";
  config.languages = {vi, en};
  return config;
}

}  // namespace

Result<std::shared_ptr<const AdminText>> AdminText::Load(Diagnostics* diagnostics) {
  MemoryFileSystem files;
  auto text = std::make_shared<AdminText>();
  for (size_t i = 0; i < kAdminAssetCount; ++i) {
    std::string path = kAdminAssets[i].path;
    if (path.rfind("static/", 0) == 0) text->static_files_[path.substr(7)] = kAdminAssets[i].text;
    files.Add("admin/" + path, kAdminAssets[i].text);
  }
  SiteConfig languages = AdminLanguages();
  auto catalogs = MessageCatalogs::Load(files, "admin/i18n", languages, diagnostics);
  auto templates = TemplateSet::Load(files, "admin/templates", diagnostics);
  if (!catalogs.ok() || !templates.ok()) return Status::Error("the admin's own files are invalid");
  text->catalogs_ = std::move(catalogs).value();
  for (const LanguageConfig& language : languages.languages) {
    text->languages_.push_back(language.code);
    text->templates_[language.code] =
        (*templates)->WithStrings(text->catalogs_.PlainStrings(language.code));
  }
  return std::shared_ptr<const AdminText>(text);
}

bool AdminText::IsLanguage(const std::string& code) const {
  return templates_.count(code) > 0;
}

std::string AdminText::Pick(const httplib::Request& req) const {
  std::string asked = QueryParam(req, "lang");
  if (IsLanguage(asked)) return asked;
  std::string kept = CookieValue(req.get_header_value("Cookie"), kAdminLangCookie);
  return IsLanguage(kept) ? kept : languages_.front();
}

std::string AdminText::NativeName(const std::string& lang) const {
  return lang == "vi" ? "Tiếng Việt" : lang == "en" ? "English" : lang;
}

std::string AdminText::Format(const std::string& lang, const std::string& key,
                              const MessageArgs& args) const {
  return catalogs_.Format(lang, key, args);
}

std::string AdminText::Render(const std::string& lang, const std::string& name,
                              const View& view) const {
  auto set = templates_.find(lang);
  if (set == templates_.end()) set = templates_.find(languages_.front());
  return set->second->RenderPage(name, view);
}

const std::string* AdminText::Static(const std::string& name) const {
  auto it = static_files_.find(name);
  return it == static_files_.end() ? nullptr : &it->second;
}

std::string LocalInputTime(int64_t unix_seconds, int offset_minutes) {
  time_t local = static_cast<time_t>(unix_seconds + offset_minutes * 60);
  struct tm tm;
  gmtime_r(&local, &tm);
  char out[32];
  strftime(out, sizeof out, "%Y-%m-%dT%H:%M", &tm);
  return out;
}

std::string DisplayTime(const std::string& rfc3339, int offset_minutes) {
  if (rfc3339.empty()) return "";
  std::optional<DateTime> parsed = ParseDateTime(rfc3339, offset_minutes);
  if (!parsed) return rfc3339;
  std::string local = LocalInputTime(parsed->unix_seconds, offset_minutes);
  local[10] = ' ';
  return local;
}

std::string QueryParam(const httplib::Request& req, const std::string& name) {
  size_t question = req.target.find('?');
  if (question == std::string::npos) return "";
  httplib::Params params;
  httplib::detail::parse_query_text(req.target.substr(question + 1), params);
  auto it = params.find(name);
  return it == params.end() ? "" : it->second;
}

std::string QueryEncode(const std::string& text) { return http::PercentEncode(text, "/"); }

}  // namespace clemency
