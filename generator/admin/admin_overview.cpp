// The admin's sign-in, dashboard, page list and audit log.
#include <algorithm>
#include <ctime>

#include "admin/admin_pages.h"

#include <map>

#include "core/site_paths.h"
#include "core/text.h"
#include "i18n/text.h"

namespace clemency {

// ---- signing in and out ----

void AdminSite::ShowLogin(AdminPage& page, int status, const std::string& error_text,
                          const std::string& name) const {
  // Each showing of the form gets a fresh token in a short-lived cookie: there is no session yet
  // to hold one, and a page on another site cannot read the cookie to copy it into its form; the
  // token is signed, so a cookie set by some other means with a made-up value is no use either.
  std::string token = auth_->NewLoginToken();
  page.res.set_header("Set-Cookie", auth_->LoginCookie(token));
  View view;
  view.Set("login_csrf", token).Set("name", name);
  if (!error_text.empty()) view.Set("error", error_text);
  Show(page, status, "login", T(page, "login_title"), std::move(view));
}

void AdminSite::SignIn(AdminPage& page) const {
  const httplib::Request& req = page.req;
  std::string name = FormField(req, "name");
  if (!auth_->LoginTokenOk(req)) {
    return ShowLogin(page, 403, T(page, "login_expired"), name);
  }
  std::string old_session = CookieValue(req.get_header_value("Cookie"), kSessionCookie);
  EditorAuth::SignIn result =
      auth_->SignInWith(name, FormField(req, "password"), auth_->ClientAddress(req), old_session);
  switch (result.result) {
    case EditorAuth::SignIn::Result::kLimited:
      page.res.set_header("Retry-After", std::to_string(result.retry_after));
      return ShowLogin(page, 429,
                       T(page, "login_limited", {{"seconds", static_cast<long>(result.retry_after)}}),
                       name);
    case EditorAuth::SignIn::Result::kBusy:
      page.res.set_header("Retry-After", std::to_string(result.retry_after));
      return ShowLogin(page, 503,
                       T(page, "login_busy", {{"seconds", static_cast<long>(result.retry_after)}}),
                       name);
    case EditorAuth::SignIn::Result::kRefused:
      return ShowLogin(page, 401, T(page, "login_failed"), name);
    case EditorAuth::SignIn::Result::kOk:
      page.res.set_header("Set-Cookie", auth_->SessionCookie(result.session_id));
      page.res.set_header("Set-Cookie", auth_->ClearLoginCookie());
      return Redirect(page, "/admin/");
  }
}

void AdminSite::RegisterSignIn() {
  auto self = shared_from_this();
  server_.Get("/admin/login", [self](const httplib::Request& req, httplib::Response& res) {
    AdminPage page{req, res, Caller(), ""};
    self->StartPage(page);
    EditorAuth::Failure why;
    if (self->auth_->Identify(req, false, &why)) return Redirect(page, "/admin/");
    self->ShowLogin(page, 200, "", "");
  });
  server_.Post("/admin/login", [self](const httplib::Request& req, httplib::Response& res) {
    AdminPage page{req, res, Caller(), ""};
    self->StartPage(page);
    self->SignIn(page);
  });
  Route("POST", "/admin/logout", "", [this](AdminPage& page) {
    auth_->SignOut(page.caller);
    page.res.set_header("Set-Cookie", auth_->ClearSessionCookie());
    Redirect(page, "/admin/login?done=signed_out");
  });
}

// ---- dashboard, pages, audit ----

void AdminSite::RegisterOverview() {
  Route("GET", "/admin/", "", [this](AdminPage& page) { DashboardScreen(page); });
  Route("GET", "/admin/pages", "", [this](AdminPage& page) { PagesScreen(page); });
  Route("GET", "/admin/audit", "audit", [this](AdminPage& page) { AuditScreen(page); });
}

View AdminSite::DashboardGroups(AdminPage& page, const Dashboard& dashboard) const {
  const std::pair<const char*, const std::vector<EditRow>*> kGroups[] = {
      {"drafts", &dashboard.drafts},
      {"in_review", &dashboard.in_review},
      {"approved", &dashboard.approved},
      {"scheduled", &dashboard.scheduled},
  };
  View groups = View::List();
  for (const auto& [key, edits] : kGroups) {
    View group;
    group.Set("key", key).Set("heading", T(page, std::string("group_") + key));
    group.Set("empty", edits->empty());
    View list = View::List();
    for (const EditRow& edit : *edits) {
      View item;
      item.Set("id", std::to_string(edit.id)).Set("path", edit.source_path);
      item.Set("state_name", T(page, "state_" + edit.state));
      item.Set("by_line", T(page, "by_line", {{"author", edit.author},
                                              {"updated", Time(edit.updated_at)}}));
      if (!edit.publish_at.empty()) {
        item.Set("scheduled_for", T(page, "scheduled_for", {{"at", Time(edit.publish_at)}}));
      }
      list.Push(std::move(item));
    }
    group.Set("edits", std::move(list));
    groups.Push(std::move(group));
  }
  return groups;
}

View AdminSite::TranslationsView(AdminPage& page, const Dashboard& dashboard) const {
  View list = View::List();
  const bool may_edit = May(page.caller.role, Permission::kEdit);
  for (const TranslationFlag& flag : dashboard.translations) {
    View item;
    std::string lang = LanguageName(page, flag.lang);
    item.Set("path", flag.path).Set("source_path", flag.source_path);
    item.Set("missing", flag.missing).Set("may_edit", may_edit).Set("csrf", page.caller.csrf);
    item.Set("open_href", OpenHref(flag.path, flag.missing ? flag.source_path : ""));
    item.Set("status_text", T(page, flag.missing ? "translation_missing" : "translation_outdated",
                              {{"lang", lang}}));
    item.Set("source_line",
             flag.missing ? T(page, "translation_source_missing", {{"source", flag.source_path}})
                          : T(page, "translation_source_outdated",
                              {{"source", flag.source_path},
                               {"from", Time(flag.translated_from)},
                               {"updated", Time(flag.source_updated)}}));
    // diff_html is the textdiff module's escaped HTML, so it goes in as it is.
    if (!flag.diff_html.empty()) item.Set("diff_html", flag.diff_html);
    item.Set("action_text", T(page, flag.missing ? "translation_start" : "translation_update",
                              {{"lang", lang}}));
    list.Push(std::move(item));
  }
  return list;
}

View AdminSite::AttacksView(AdminPage& page) const {
  View list = View::List();
  for (const LoginLimiter::Attack& attack : auth_->Attacks()) {
    View item;
    item.Set("account", attack.account.empty() ? T(page, "attack_no_account") : attack.account);
    item.Set("slowed", attack.slowed);
    item.Set("line", T(page, attack.slowed ? "attack_line_slowed" : "attack_line",
                       {{"failures", static_cast<long>(attack.failures)},
                        {"addresses", static_cast<long>(attack.addresses)}}));
    list.Push(std::move(item));
  }
  return list;
}

// For those who approve: the submitted edits they may approve (not those they wrote part of),
// counted at the top of the dashboard with links to each.
void AdminSite::AddWaitingForReview(AdminPage& page, const Dashboard& dashboard, View* view) const {
  View list = View::List();
  long count = 0;
  for (const EditRow& edit : dashboard.in_review) {
    std::vector<std::string> writers = auth_->workflow()->ContentWriters(edit.id);
    if (edit.author == page.caller.name ||
        std::find(writers.begin(), writers.end(), page.caller.name) != writers.end()) {
      continue;
    }
    View item;
    item.Set("id", std::to_string(edit.id)).Set("path", edit.source_path);
    item.Set("by_line", T(page, "by_line", {{"author", edit.author}, {"updated", Time(edit.updated_at)}}));
    list.Push(std::move(item));
    ++count;
  }
  view->Set("show_waiting", true).Set("waiting", std::move(list)).Set("has_waiting", count > 0);
  view->Set("waiting_heading", T(page, "waiting_count", {{"count", count}}));
}

// Who else saved the open edit `edit` lately, as a sentence ("" when nobody did).
std::string AdminSite::PresenceText(AdminPage& page, const EditRow& edit) const {
  std::string names;
  for (const RecentSave& save : auth_->workflow()->RecentSaves(edit.id, page.caller.name)) {
    names += (names.empty() ? "" : ", ") +
             T(page, "presence_person", {{"name", save.by}, {"at", Time(save.at)}});
  }
  return names.empty() ? "" : T(page, "presence_editing", {{"names", names}});
}

void AdminSite::DashboardScreen(AdminPage& page) const {
  auto dashboard = auth_->workflow()->GetDashboard();
  if (!dashboard.ok()) return ShowRefusal(page, dashboard.refusal(), "/admin/");
  View view;
  view.Set("nav_dashboard", true);
  view.Set("groups", DashboardGroups(page, dashboard.value()));
  if (May(page.caller.role, Permission::kApprove)) AddWaitingForReview(page, dashboard.value(), &view);
  view.Set("has_translations", !dashboard->translations.empty());
  view.Set("translations", TranslationsView(page, dashboard.value()));
  // Guessing at passwords is for those who manage accounts to see (and act on).
  if (May(page.caller.role, Permission::kManageUsers)) {
    View attacks = AttacksView(page);
    view.Set("show_attacks", true).Set("has_attacks", !attacks.list().empty());
    view.Set("attacks", std::move(attacks));
  }
  Show(page, 200, "dashboard", T(page, "dashboard_title"), std::move(view));
}

View AdminSite::PageFilters(AdminPage& page, const std::string& section,
                            const std::string& lang) const {
  View filters;
  View sections = View::List(), languages = View::List();
  for (const SectionConfig& config_section : config_.sections) {
    View item;
    item.Set("name", config_section.name).Set("selected", config_section.name == section);
    item.Set("label", SectionName(page, config_section.name));
    sections.Push(std::move(item));
  }
  for (const LanguageConfig& language : config_.languages) {
    View item;
    item.Set("code", language.code).Set("name", LanguageName(page, language.code));
    item.Set("selected", language.code == lang);
    languages.Push(std::move(item));
  }
  filters.Set("sections", std::move(sections)).Set("content_languages", std::move(languages));
  return filters;
}

namespace {

// Whether a page matches the search `query`: its title or slug contains it, diacritics and case
// folded the way slugs are made ("dieu kien" finds "Điều kiện"); a query with no Latin letters
// (Khmer) is looked for as written.
bool MatchesSearch(const TranslationState& row, const std::string& query) {
  if (query.empty()) return true;
  const std::string folded = Slugify(query);
  if (folded.empty()) return row.title.find(query) != std::string::npos;
  return Slugify(row.title).find(folded) != std::string::npos ||
         row.slug.find(folded) != std::string::npos;
}

// The page's open edit as the list's state filter names it: "draft", "review" or "" (none).
std::string OpenState(const std::map<std::string, std::string>& open, const std::string& path) {
  auto it = open.find(path);
  return it == open.end() ? "" : it->second;
}

}  // namespace

void AdminSite::PagesScreen(AdminPage& page) const {
  std::string section = QueryParam(page.req, "section");
  std::string lang = QueryParam(page.req, "page_lang");
  std::string state = QueryParam(page.req, "state"), query(Trim(QueryParam(page.req, "q")));
  auto pages = auth_->workflow()->Pages();
  if (!pages.ok()) return ShowRefusal(page, pages.refusal(), "/admin/");
  std::map<std::string, std::string> open;  // path -> "draft" | "review"
  std::map<std::string, std::string> presence;  // path -> who else is editing it
  if (auto dashboard = auth_->workflow()->GetDashboard(); dashboard.ok()) {
    for (const EditRow& e : dashboard->drafts) {
      open[e.source_path] = "draft";
      if (std::string text = PresenceText(page, e); !text.empty()) presence[e.source_path] = text;
    }
    for (const auto* group : {&dashboard->in_review, &dashboard->approved, &dashboard->scheduled}) {
      for (const EditRow& e : *group) open[e.source_path] = "review";
    }
  }
  // The site's search finds words in the body too, without diacritics, in every language.
  const std::set<std::string> found =
      query.empty() || !find_pages_ ? std::set<std::string>() : find_pages_(query);
  View view = PageFilters(page, section, lang);
  view.Set("nav_pages", true).Set("q", query);
  View states = View::List();
  for (const char* value : {"", "published", "draft", "review"}) {
    View item;
    item.Set("value", value).Set("selected", state == value);
    item.Set("label", T(page, *value ? std::string("pages_state_") + value : "pages_all"));
    states.Push(std::move(item));
  }
  view.Set("states", std::move(states));
  const bool may_edit = May(page.caller.role, Permission::kEdit);
  View list = View::List();
  // Pages whose title or slug holds the query come first, then those only the index finds.
  std::vector<const TranslationState*> direct, by_index;
  for (const TranslationState& row : pages.value()) {
    const std::string row_state = OpenState(open, row.source_path);
    if ((!section.empty() && row.section != section) || (!lang.empty() && row.lang != lang) ||
        (state == "published" && !row_state.empty()) ||
        ((state == "draft" || state == "review") && row_state != state)) {
      continue;
    }
    if (MatchesSearch(row, query)) {
      direct.push_back(&row);
    } else if (found.count(paths::Page(row.lang, row.section, row.slug))) {
      by_index.push_back(&row);
    }
  }
  direct.insert(direct.end(), by_index.begin(), by_index.end());
  for (const TranslationState* row : direct) {
    auto it = presence.find(row->source_path);
    list.Push(PageListItem(page, *row, OpenState(open, row->source_path),
                           it == presence.end() ? "" : it->second));
  }
  const long count = static_cast<long>(direct.size());
  view.Set("pages", std::move(list)).Set("may_edit", may_edit);
  view.Set("count_text", T(page, "pages_count", {{"count", count}}));
  Show(page, 200, "pages", T(page, "pages_title"), std::move(view));
}

View AdminSite::PageListItem(const AdminPage& page, const TranslationState& row,
                             const std::string& row_state, const std::string& presence) const {
  View item;
  item.Set("title", row.title).Set("path", row.source_path).Set("lang", row.lang);
  item.Set("section_name", row.section.empty() ? T(page, "section_home")
                                               : SectionName(page, row.section));
  item.Set("lang_name", LanguageName(page, row.lang));
  if (!row_state.empty()) item.Set("state_text", T(page, "pages_state_" + row_state));
  item.Set("history_href", "/admin/history?path=" + QueryEncode(row.source_path));
  item.Set("unpublish_href", "/admin/unpublish?path=" + QueryEncode(row.source_path));
  item.Set("edit_href", OpenHref(row.source_path, ""));
  if (!presence.empty()) item.Set("presence", presence);
  // A list page stays as long as its section does: it can be edited, not unpublished.
  item.Set("may_edit", May(page.caller.role, Permission::kEdit));
  item.Set("may_publish", May(page.caller.role, Permission::kPublish) && !row.slug.empty());
  item.Set("csrf", page.caller.csrf);
  return item;
}

void AdminSite::AuditScreen(AdminPage& page) const {
  auto rows = auth_->workflow()->RecentAudit(200);
  if (!rows.ok()) return ShowRefusal(page, rows.refusal(), "/admin/");
  View entries = View::List();
  for (const AuditRow& row : rows.value()) {
    View item;
    item.Set("at", Time(row.at)).Set("actor", row.actor).Set("action", row.action);
    if (!row.subject.empty()) item.Set("subject", row.subject);
    if (!row.detail.empty()) item.Set("detail", row.detail);
    entries.Push(std::move(item));
  }
  View view;
  view.Set("nav_audit", true).Set("entries", std::move(entries));
  Show(page, 200, "audit", T(page, "audit_title"), std::move(view));
}

}  // namespace clemency
