#pragma once
// The editors' web admin under /admin/: server-rendered pages that work without JavaScript
// (sign-in, dashboard, pages, the editor with its preview and workflow buttons, conflicts,
// history, unpublishing, the audit log). Every page is no-store and under a strict CSP; every
// form carries the session's CSRF token.
#include "http/http.h"  // httplib's request and response, as the HTTP layer gives them

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "admin/admin_ui.h"
#include "admin/kind_form.h"
#include "editor_api/editor_auth.h"
#include "config/site_config.h"
#include "content/page_file.h"
#include "store/media.h"

namespace clemency::media {
class MediaLibrary;
}  // namespace clemency::media

namespace clemency {

// The front-matter field that names the source revision a translation was made from.
inline constexpr const char kTranslatedFrom[] = "translated_from";

// One admin request of a signed-in editor (or of someone signing in: empty caller name).
struct AdminPage {
  const httplib::Request& req;
  httplib::Response& res;
  Caller caller;
  std::string lang;
};

class AdminSite : public std::enable_shared_from_this<AdminSite> {
 public:
  using Handler = std::function<void(AdminPage&)>;
  // Returns the URL paths (paths::Page) of the pages the site's search finds for a query (titles,
  // headings, body, support fields), or an empty set when it cannot answer.
  using PageFinder = std::function<std::set<std::string>(const std::string& query)>;
  // REQUIRES: `config` outlives the server. Without `find_pages` the page list's search looks at
  // titles and slugs only.
  AdminSite(httplib::Server& server, std::shared_ptr<EditorAuth> auth,
            std::shared_ptr<const AdminText> text, const SiteConfig& config,
            PageFinder find_pages = nullptr)
      : server_(server), auth_(std::move(auth)), text_(std::move(text)), config_(config),
        find_pages_(std::move(find_pages)) {}
  // Registers every /admin route.
  void Register();
  // The media library the admin's image screens use (none: they say it is unavailable).
  void SetMediaLibrary(std::shared_ptr<media::MediaLibrary> media) { media_ = std::move(media); }

 private:
  // Plumbing (admin_pages.cpp).
  void Route(const char* method, const std::string& pattern, const std::string& action,
             Handler handler);
  void Handle(const httplib::Request& req, httplib::Response& res, bool write,
              const std::string& action, const Handler& handler);
  void StartPage(AdminPage& page) const;
  View Common(const AdminPage& page, const std::string& title) const;
  void Show(AdminPage& page, int status, const std::string& name, const std::string& title,
            View view) const;
  void ShowMessage(AdminPage& page, int status, const std::string& heading_key,
                   const std::vector<std::string>& paragraphs, const std::string& back_href,
                   const std::string& back_key, const std::vector<Diagnostic>& problems = {}) const;
  // `back_key`: the back link's words ("": by where it leads).
  void ShowRefusal(AdminPage& page, const Refusal& refusal, const std::string& back_href,
                   const std::string& back_key = "") const;
  static void Redirect(AdminPage& page, const std::string& to);
  std::string RefusalText(const AdminPage& page, const Refusal& refusal) const;
  std::string T(const AdminPage& page, const std::string& key, const MessageArgs& args = {}) const;
  std::string Time(const std::string& rfc3339) const;
  std::string LanguageName(const AdminPage& page, const std::string& code) const;
  std::string DiagnosticText(const AdminPage& page, const Diagnostic& d, int body_line) const;
  // The page file `path` names, for the site's languages (nullopt: not a page file).
  std::optional<ContentPath> FileOf(const std::string& path) const;
  // A content check's problem in the page's language, by its code (CheckMessageOf and the
  // catalogs).
  std::string CheckText(const AdminPage& page, const Diagnostic& d) const;

  void RegisterSignIn();
  void ShowLogin(AdminPage& page, int status, const std::string& error_text,
                 const std::string& name) const;
  void SignIn(AdminPage& page) const;
  void RegisterStatic();
  void RegisterOverview();
  void DashboardScreen(AdminPage& page) const;
  View DashboardGroups(AdminPage& page, const Dashboard& dashboard) const;
  View TranslationsView(AdminPage& page, const Dashboard& dashboard) const;
  View AttacksView(AdminPage& page) const;  // for those who manage accounts
  View PageFilters(AdminPage& page, const std::string& section, const std::string& lang) const;
  void PagesScreen(AdminPage& page) const;
  // One row of the page list: `row_state` is "", "draft" or "review"; `presence` who else edits.
  View PageListItem(const AdminPage& page, const TranslationState& row, const std::string& row_state,
                    const std::string& presence) const;
  void AddWaitingForReview(AdminPage& page, const Dashboard& dashboard, View* view) const;
  // Who else saved the open edit `edit` in the last minutes, as a sentence ("" when nobody).
  std::string PresenceText(AdminPage& page, const EditRow& edit) const;
  void AuditScreen(AdminPage& page) const;

  // The editor and its actions (admin_edit.cpp).
  void RegisterEdits();
  void CreateEdit(AdminPage& page) const;
  void EditScreen(AdminPage& page, int64_t id) const;
  View EditView(AdminPage& page, const EditRow& edit) const;
  void AddProblems(AdminPage& page, const EditRow& edit, View* view) const;
  void AddActions(AdminPage& page, const EditRow& edit, View* view) const;
  // `first_etag`: the If-Match of a draft just made by SaveNew (else the request's).
  void SaveEdit(AdminPage& page, int64_t id, bool from_script,
                const std::string& first_etag = "") const;
  // Where `path` is opened for editing (its open edit, or the page with no draft yet).
  static std::string OpenHref(const std::string& path, const std::string& from);
  Outcome<std::string> StartText(const std::string& path, const std::string& from) const;
  void OpenPage(AdminPage& page) const;
  void SaveNew(AdminPage& page) const;
  void PreviewText(AdminPage& page, const std::string& path, const std::string& text) const;
  std::string MarkedNotPublishable(const AdminPage& page, const std::string& html,
                                   const std::vector<Diagnostic>& problems) const;
  void ConflictScreen(AdminPage& page, int64_t id, const Refusal& refusal, bool rebase) const;
  void PreviewEdit(AdminPage& page, int64_t id) const;
  // The typed form (admin_form.cpp).
  struct TypedPage {
    const PageKind* kind = nullptr;
    bool is_index = false, is_translation = false;
  };
  // The kind of the page file `path` (nullopt: not a page file of this site).
  std::optional<TypedPage> TypedPageOf(const std::string& path) const;
  // A front-matter field's label in the page's language ("contact.phone": "Điện thoại").
  std::string FieldLabel(const AdminPage& page, const std::string& field) const;
  // For the province fields of a site with a province list: a datalist of the names entries
  // may use, so an editor picks a listed spelling (the loader refuses others).
  void SetProvinceSuggestions(const std::string& key, const std::string& id, View* item) const;
  View InputView(AdminPage& page, const FormInput& input, bool editable,
                 const std::vector<std::string>& errors) const;
  // The shown inputs of `form`, groups opened and closed around their parts; `errors` by key.
  View FieldsView(AdminPage& page, const KindForm& form, bool editable,
                  const std::map<std::string, std::vector<std::string>>& errors) const;
  // The page file from the typed form posted for `path` (nullopt: not a page file).
  std::optional<std::string> TextFromPost(const AdminPage& page, const std::string& path) const;
  // The problems of a typed form: a summary, and each message by the input it belongs to.
  std::map<std::string, std::vector<std::string>> AddTypedProblems(AdminPage& page,
                                                                   const EditRow& edit,
                                                                   const KindForm& form,
                                                                   View* view) const;
  // The translator's screen (admin_translate.cpp). The source (default language) page of the
  // translation `path`, when `path` is a translation and its source is published.
  std::optional<TranslationState> SourceState(const std::string& path) const;
  void AddSourcePanel(AdminPage& page, const std::string& path, View* view) const;
  std::string WithTranslatedFrom(const std::string& path, const std::string& text) const;
  // A new page (admin_new_page.cpp).
  void RegisterNewPage();
  std::string SectionName(const AdminPage& page, const std::string& section) const;
  // "published", "open" (an open edit) or "" when no page file `path` exists.
  std::string SlugTaken(const std::string& path) const;
  void NewPageScreen(AdminPage& page, int status,
                     const std::map<std::string, std::string>& errors) const;
  void SlugCheck(AdminPage& page) const;
  void CreateNewPage(AdminPage& page) const;
  // The review's comparison with the live page (admin_form.cpp).
  void AddReviewDiff(AdminPage& page, const EditRow& edit, const TypedPage& typed,
                     View* view) const;
  void RegisterActions();
  void RunAction(AdminPage& page, const std::string& action, int64_t id) const;
  void RegisterHistory();
  void HistoryScreen(AdminPage& page) const;
  View HistoryItems(AdminPage& page, const std::string& path,
                    const std::vector<HistoryItem>& items, const std::string& from,
                    const std::string& to) const;
  // An item of a page's history as people name it: "đã đăng, pub, 2026-12-02 10:15".
  std::string HistoryLabel(const AdminPage& page, const HistoryItem& item) const;
  void Restore(AdminPage& page) const;
  void UnpublishForm(AdminPage& page, bool refused) const;
  void Unpublish(AdminPage& page) const;
  // The media library (admin_media.cpp).
  void RegisterMedia();
  // `alt_lang`: the language whose alt text the Markdown of each image carries.
  View MediaItems(AdminPage& page, const std::vector<MediaRow>& rows,
                  const std::string& alt_lang) const;
  // The editor's "insert an image" list: the newest images with their Markdown.
  void AddMediaPicker(AdminPage& page, const EditRow& edit, View* view) const;
  // `errors`: a catalog key by field ("file", "alt.vi", "consent_basis", "consent_given_by").
  // `refused`: why a delete was refused, shown above the library.
  void MediaScreen(AdminPage& page, int status,
                   const std::map<std::string, std::string>& errors,
                   const std::string& refused = "") const;
  void UploadMedia(AdminPage& page) const;
  // Deletes the image named in the path unless a live page or an open edit shows it: then the
  // library says which, in the editor's language (409).
  void DeleteMedia(AdminPage& page) const;

  httplib::Server& server_;
  std::shared_ptr<EditorAuth> auth_;
  std::shared_ptr<const AdminText> text_;
  const SiteConfig& config_;
  PageFinder find_pages_;
  std::shared_ptr<media::MediaLibrary> media_;
};

}  // namespace clemency
