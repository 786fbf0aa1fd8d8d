// A new page from a form: its section (named in the editor's language), language and title; the
// slug made from the title (ICU transliteration: no diacritics, đ -> d), shown and editable, and
// checked against the site's pages and open edits as it is typed (/admin/slug). The page starts
// with its title; the edit form then shows every field of its kind, the required ones marked.
#include <regex>

#include "admin/admin_pages.h"
#include "core/json.h"
#include "core/text.h"
#include "i18n/text.h"

namespace clemency {
namespace {

bool IsSlugText(const std::string& slug) {
  static const std::regex kSlug("[a-z0-9]+(-[a-z0-9]+)*");
  return slug.size() <= 120 && std::regex_match(slug, kSlug);
}

// A new page's first text: its title, and an empty summary to write.
std::string StarterText(const std::string& title) {
  return "---\ntitle: " + YamlQuoted(title) + "\nsummary: \"\"\n---\n\n";
}

}  // namespace

std::string AdminSite::SectionName(const AdminPage& page, const std::string& section) const {
  return text_->Has(page.lang, "section_" + section) ? T(page, "section_" + section) : section;
}

void AdminSite::RegisterNewPage() {
  Route("GET", "/admin/pages/new", "", [this](AdminPage& page) {
    if (!May(page.caller.role, Permission::kEdit)) {
      return ShowMessage(page, 403, "forbidden_heading", {}, "/admin/pages", "back_to_pages");
    }
    NewPageScreen(page, 200, {});
  });
  Route("GET", "/admin/slug", "", [this](AdminPage& page) { SlugCheck(page); });
}

std::string AdminSite::SlugTaken(const std::string& path) const {
  Workflow* workflow = auth_->workflow();
  auto pages = workflow->Pages();
  if (pages.ok()) {
    for (const TranslationState& row : pages.value()) {
      if (row.source_path == path) return "published";
    }
  }
  auto open = workflow->OpenFor(path);
  if (open.ok() && open.value()) return "open";
  return "";
}

// The form, with what was posted and the problems next to their fields (`errors` by field).
void AdminSite::NewPageScreen(AdminPage& page, int status,
                              const std::map<std::string, std::string>& errors) const {
  View view;
  view.Set("nav_pages", true).Set("csrf", page.caller.csrf);
  const std::string section = FormField(page.req, "section");
  const std::string lang = FormField(page.req, "page_lang");
  View sections = View::List(), languages = View::List();
  for (const SectionConfig& s : config_.sections) {
    View item;
    item.Set("name", s.name).Set("label", SectionName(page, s.name)).Set("selected", s.name == section);
    sections.Push(std::move(item));
  }
  for (const LanguageConfig& language : config_.languages) {
    View item;
    item.Set("code", language.code).Set("name", LanguageName(page, language.code));
    item.Set("selected", language.code == lang);
    languages.Push(std::move(item));
  }
  view.Set("sections", std::move(sections)).Set("content_languages", std::move(languages));
  view.Set("title", FormField(page.req, "title")).Set("slug", FormField(page.req, "slug"));
  for (const char* field : {"title", "slug"}) {
    auto it = errors.find(field);
    if (it == errors.end()) continue;
    view.Set(std::string(field) + "_error", it->second);
  }
  view.Set("has_errors", !errors.empty());
  Show(page, status, "new_page", T(page, "new_page_heading"), std::move(view));
}

// {"slug": made from ?title (or ?slug as typed), "valid", "taken": "published" | "open" | ""}.
void AdminSite::SlugCheck(AdminPage& page) const {
  std::string slug = QueryParam(page.req, "slug");
  if (slug.empty()) slug = Slugify(QueryParam(page.req, "title"));
  std::string section = QueryParam(page.req, "section"), lang = QueryParam(page.req, "page_lang");
  bool valid = IsSlugText(slug) && slug != "page" && slug != "province";
  std::string taken, message;
  if (valid && config_.FindSection(section) && config_.FindLanguage(lang)) {
    taken = SlugTaken(ContentPathOf({section, slug, lang}));
  }
  if (!slug.empty() && !valid) message = T(page, "new_page_bad_slug");
  if (!taken.empty()) message = T(page, "new_page_taken_" + taken);
  if (valid && taken.empty()) message = T(page, "new_page_slug_free", {{"slug", slug}});
  JsonWriter json;
  json.BeginObject();
  json.Key("slug").String(slug).Key("valid").Bool(valid).Key("taken").String(taken);
  json.Key("message").String(message);
  json.EndObject();
  page.res.set_content(json.str(), "application/json");
}

// Starts a new page: the title is required, the slug made from it when left empty; a slug in use
// (a published page or an open edit) is refused next to its field.
void AdminSite::CreateNewPage(AdminPage& page) const {
  std::string section = FormField(page.req, "section"), lang = FormField(page.req, "page_lang");
  std::string title(Trim(FormField(page.req, "title")));
  std::string slug(Trim(FormField(page.req, "slug")));
  if (slug.empty()) slug = Slugify(title);
  std::map<std::string, std::string> errors;
  if (title.empty()) errors["title"] = T(page, "new_page_no_title");
  if (!IsSlugText(slug) || slug == "page" || slug == "province") {
    errors["slug"] = T(page, "new_page_bad_slug");
  }
  if (!config_.FindSection(section) || !config_.FindLanguage(lang)) {
    return ShowMessage(page, 400, "refused_heading", {T(page, "new_page_bad_slug")},
                       "/admin/pages", "back_to_pages");
  }
  std::string path = ContentPathOf({section, slug, lang});
  if (errors.empty()) {
    if (std::string taken = SlugTaken(path); !taken.empty()) {
      errors["slug"] = T(page, "new_page_taken_" + taken);
    }
  }
  if (!errors.empty()) return NewPageScreen(page, 422, errors);
  auto edit = auth_->workflow()->Create({page.caller.name, page.caller.role}, path,
                                        StarterText(title));
  if (edit.ok()) return Redirect(page, "/admin/edits/" + std::to_string(edit->id) + "?done=created");
  ShowRefusal(page, edit.refusal(), "/admin/pages/new");
}

}  // namespace clemency
