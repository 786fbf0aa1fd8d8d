#include "server/editor.h"

#include "admin/admin_pages.h"
#include "admin/admin_ui.h"
#include "admin/notify.h"
#include "editor_api/editor_api.h"
#include "editor_api/editor_auth.h"
#include "media/library.h"
#include "public_api/search_route.h"

namespace clemency {

size_t EditorMaxBodyBytes(const SiteConfig& config) {
  return static_cast<size_t>(config.max_content_file_bytes) * 2 + 64 * 1024;
}

bool IsEditorPath(const std::string& path) {
  return path == "/admin" || path.rfind("/admin/", 0) == 0 ||
         path.rfind("/api/v1/editor/", 0) == 0;
}

Status RegisterEditor(httplib::Server& server, const ServerOptions& options) {
  if (!options.workflow || !options.sessions || !options.login_limiter || !options.store ||
      !options.config) {
    return Status::Error("server: the editor side needs a workflow, sessions, a login limiter "
                         "and the store");
  }
  Diagnostics diagnostics;
  auto text = AdminText::Load(&diagnostics);
  if (!text.ok()) return Status::Error("server: " + diagnostics.ToString());
  auto auth = std::make_shared<EditorAuth>(options.store, options.workflow, options.sessions,
                                           options.login_limiter, options.secure_cookies);
  RegisterEditorApi(server, auth, *options.config);
  Store* store = options.store;
  const SiteConfig* config = options.config;
  auto find_pages = [store, config](const std::string& query) {
    auto keys = FindPageKeys(store, *config, query, 200);
    return keys.ok() ? std::move(keys).value() : std::set<std::string>();
  };
  auto admin = std::make_shared<AdminSite>(server, auth, *text, *options.config, find_pages);
  // Uploads are written on a store connection of the media library's own.
  auto media = media::MediaLibrary::Open(options.store->path());
  if (!media.ok()) return Status::Error("server: " + media.status().message());
  admin->SetMediaLibrary(std::move(media).value());
  admin->Register();
  // Publishers hear of a change waiting for them (by e-mail, when notify.sendmail is set).
  auto notifier = std::make_shared<ReviewNotifier>(options.store->path(), *text, *options.config);
  options.workflow->OnSubmitted([notifier](const EditRow& edit, const Actor& actor) {
    notifier->Submitted(edit, actor.name);
  });
  return Status::Ok();
}

}  // namespace clemency
