// The media library screen: upload an image with its alt text in each language, its caption,
// credit and consent basis; list and search by alt text; copy or insert its Markdown.
#include "admin/admin_pages.h"

#include <ctime>

#include "core/datetime.h"
#include "core/site_paths.h"
#include "i18n/search_text.h"
#include "media/library.h"

namespace clemency {
namespace {

// The alt texts of `alt` folded for search, one language after another.
std::string FoldAlts(const std::map<std::string, std::string>& alt, const SiteConfig& config) {
  std::string folded;
  for (const auto& language : config.languages) {
    auto it = alt.find(language.code);
    if (it == alt.end()) continue;
    std::string words = SearchIndexText(it->second, language.locale);
    if (!words.empty()) folded += (folded.empty() ? "" : " ") + words;
  }
  return folded;
}

}  // namespace

void AdminSite::RegisterMedia() {
  Route("GET", "/admin/media", "", [this](AdminPage& page) { MediaScreen(page, 200, {}); });
  Route("POST", "/admin/media", "save", [this](AdminPage& page) { UploadMedia(page); });
  Route("POST", R"(/admin/media/([0-9a-f]+)/delete)", "save",
        [this](AdminPage& page) { DeleteMedia(page); });
  // An image's copies for the admin's own screens, before any page that shows it is published.
  Route("GET", R"(/admin/media/file/([0-9a-f]+-[0-9]+x[0-9]+\.(jpg|png|webp)))", "",
        [this](AdminPage& page) {
          std::string path = "/" + std::string(paths::kMediaFolder) + "/" +
                             std::string(page.req.matches[1]);
          auto bytes = media_ ? media_->FileBytes(path)
                              : Result<std::optional<std::string>>(std::optional<std::string>());
          if (!bytes.ok() || !bytes->has_value()) {
            return ShowMessage(page, 404, "not_found_heading", {}, "/admin/media", "media_back");
          }
          auto name = paths::ParseMediaFile(path);
          page.res.set_content(**bytes, name->ext == "jpg"   ? "image/jpeg"
                                        : name->ext == "png" ? "image/png"
                                                             : "image/webp");
        });
}

View AdminSite::MediaItems(AdminPage& page, const std::vector<MediaRow>& rows,
                           const std::string& alt_lang) const {
  View items = View::List();
  for (const MediaRow& row : rows) {
    auto name = paths::ParseMediaFile(row.path);
    if (!name) continue;
    View item;
    paths::MediaName small = *name;  // the narrowest copy is enough for a list
    std::vector<int> widths = paths::MediaVariantWidths(name->width);
    if (!widths.empty()) {
      small.width = widths.front();
      small.height = paths::MediaVariantHeight(name->width, name->height, small.width);
    }
    std::string file = paths::MediaFile(small);
    item.Set("preview", "/admin/media/file/" + file.substr(file.rfind('/') + 1));
    std::string alt = row.alt.count(alt_lang) ? row.alt.at(alt_lang)
                                                : row.alt.empty() ? "" : row.alt.begin()->second;
    item.Set("alt", alt).Set("width", std::to_string(small.width));
    item.Set("height", std::to_string(small.height));
    item.Set("markdown", "![" + alt + "](" + row.path + ")").Set("hash", row.hash);
    View alts = View::List();
    for (const auto& [lang, text] : row.alt) {
      View a;
      a.Set("lang", lang).Set("language", LanguageName(page, lang)).Set("text", text);
      alts.Push(std::move(a));
    }
    item.Set("alts", std::move(alts)).Set("caption", row.caption).Set("credit", row.credit);
    item.Set("consent", T(page, "media_consent_" + row.consent_basis) +
                            (row.consent_given_by.empty() ? "" : " (" + row.consent_given_by + ")"));
    item.Set("uploaded", T(page, "media_uploaded", {{"by", row.uploaded_by},
                                                    {"at", Time(row.uploaded_at)}}));
    items.Push(std::move(item));
  }
  return items;
}

void AdminSite::AddMediaPicker(AdminPage& page, const EditRow& edit, View* view) const {
  if (!media_) return;
  auto rows = media_->List("", 12);
  if (!rows.ok() || rows->empty()) return;
  std::optional<ContentPath> file = FileOf(edit.source_path);
  view->Set("has_media", true);
  view->Set("media_items", MediaItems(page, *rows, file ? file->lang : page.lang));
}

void AdminSite::MediaScreen(AdminPage& page, int status,
                            const std::map<std::string, std::string>& errors,
                            const std::string& refused) const {
  View view;
  view.Set("nav_media", true);
  if (!refused.empty()) view.Set("delete_refused", refused);
  std::string q = QueryParam(page.req, "q");
  view.Set("q", q);
  std::string folded;
  for (const auto& language : config_.languages) {
    if (language.code == page.lang || folded.empty()) folded = SearchIndexText(q, language.locale);
  }
  auto rows = media_ ? media_->List(folded, 60) : Result<std::vector<MediaRow>>(std::vector<MediaRow>());
  if (rows.ok()) view.Set("items", MediaItems(page, *rows, page.lang)).Set("has_items", !rows->empty());
  if (QueryParam(page.req, "added") == "1") view.Set("flash", T(page, "media_added"));
  if (QueryParam(page.req, "deleted") == "1") view.Set("flash", T(page, "media_deleted"));
  // The form, with what was sent kept and each problem next to its field.
  auto sent = [&page](const std::string& name) {
    return page.req.method == "POST" ? FormField(page.req, name) : std::string();
  };
  // Set only when there is one: the template shows a key that is set, even to "".
  auto error = [this, &page, &errors](View& into, const std::string& key,
                                      const std::string& field) {
    if (auto it = errors.find(field); it != errors.end()) into.Set(key, T(page, it->second));
  };
  error(view, "file_error", "file");
  View alts = View::List();
  for (const auto& language : config_.languages) {
    View a;
    a.Set("code", language.code).Set("language", LanguageName(page, language.code));
    a.Set("value", sent("alt_" + language.code));
    error(a, "error", "alt." + language.code);
    alts.Push(std::move(a));
  }
  view.Set("alt_inputs", std::move(alts));
  view.Set("caption", sent("caption")).Set("credit", sent("credit"));
  View bases = View::List();
  for (const std::string& basis : media::ConsentBases()) {
    View b;
    b.Set("value", basis).Set("label", T(page, "media_consent_" + basis));
    b.Set("checked", sent("consent_basis") == basis);
    bases.Push(std::move(b));
  }
  view.Set("consent_bases", std::move(bases));
  error(view, "consent_error", "consent_basis");
  view.Set("given_by", sent("consent_given_by"));
  error(view, "given_by_error", "consent_given_by");
  view.Set("has_errors", !errors.empty());
  Show(page, status, "media", T(page, "media_heading"), std::move(view));
}

void AdminSite::UploadMedia(AdminPage& page) const {
  if (!page.req.is_multipart_form_data()) {
    return MediaScreen(page, 400, {{"file", "media_file_missing"}});
  }
  media::UploadForm form;
  form.bytes = FormField(page.req, "file");
  std::vector<std::string> languages;
  for (const auto& language : config_.languages) {
    languages.push_back(language.code);
    form.alt[language.code] = FormField(page.req, "alt_" + language.code);
  }
  form.alt_search = FoldAlts(form.alt, config_);
  form.caption = FormField(page.req, "caption");
  form.credit = FormField(page.req, "credit");
  form.consent_basis = FormField(page.req, "consent_basis");
  form.consent_given_by = FormField(page.req, "consent_given_by");
  form.user = page.caller.name;
  form.now = DateTime{static_cast<int64_t>(std::time(nullptr)), 0, true}.ToRfc3339();
  if (!media_) return MediaScreen(page, 503, {{"file", "media_unavailable"}});
  media::FormProblems problems;
  auto row = media_->Upload(form, languages, &problems);
  if (!problems.empty()) return MediaScreen(page, 422, problems);
  if (!row.ok()) return MediaScreen(page, 500, {{"file", "media_unavailable"}});
  Redirect(page, "/admin/media?added=1");
}

void AdminSite::DeleteMedia(AdminPage& page) const {
  if (!media_) return MediaScreen(page, 503, {}, T(page, "media_unavailable"));
  std::vector<MediaUse> uses;
  auto deleted = media_->Delete(page.req.matches[1], &uses);
  if (!deleted.ok()) return MediaScreen(page, 500, {}, T(page, "media_unavailable"));
  if (*deleted) return Redirect(page, "/admin/media?deleted=1");
  if (uses.empty()) {
    return ShowMessage(page, 404, "not_found_heading", {}, "/admin/media", "media_back");
  }
  // Live pages by their title, open edits by their file: what the editor finds in the lists.
  std::string names;
  for (const MediaUse& use : uses) {
    std::string name = use.open_edit ? T(page, "media_used_edit", {{"path", use.source_path}})
                                     : T(page, "media_used_page", {{"title", use.title},
                                                                   {"path", use.source_path}});
    names += (names.empty() ? "" : "; ") + name;
  }
  MediaScreen(page, 409, {}, T(page, "media_delete_refused", {{"pages", names}}));
}

}  // namespace clemency
