// The admin's workflow buttons (submit, approve, reject, publish, schedule, discard), history
// with diffs and restore, and unpublishing.
#include "admin/admin_pages.h"
#include "editor_api/editor_api.h"
#include "core/datetime.h"

namespace clemency {
namespace {

std::string EditHref(int64_t id) { return "/admin/edits/" + std::to_string(id); }

// What the flash message after an action says ("?done=…").
const char* DoneKey(const std::string& action) {
  static const std::pair<const char*, const char*> kDone[] = {
      {"submit", "submitted"}, {"approve", "approved"},   {"reject", "rejected"},
      {"publish", "published"}, {"schedule", "scheduled"}, {"discard", "discarded"},
  };
  for (const auto& [name, done] : kDone) {
    if (action == name) return done;
  }
  return "saved";
}

}  // namespace

void AdminSite::RegisterActions() {
  for (const char* action : {"submit", "approve", "reject", "publish", "schedule", "discard"}) {
    std::string name = action;
    Route("POST", std::string(R"(/admin/edits/(\d+)/)") + action, name, [this, name](AdminPage& page) {
      RunAction(page, name, EditIdFrom(page.req.matches[1]));
    });
  }
}

void AdminSite::RunAction(AdminPage& page, const std::string& action, int64_t id) const {
  std::string etag = FormField(page.req, "etag");
  if (id == 0 || etag.empty()) {
    return ShowMessage(page, id == 0 ? 404 : 428, "refused_heading", {}, "/admin/",
                       "back_to_dashboard");
  }
  Workflow* workflow = auth_->workflow();
  const Actor actor{page.caller.name, page.caller.role};
  std::optional<Outcome<EditRow>> done;
  if (action == "submit") done = workflow->Submit(actor, id, etag);
  if (action == "approve") {
    done = workflow->Approve(actor, id, etag, FormField(page.req, "legal_review") == "1",
                             FormField(page.req, "comment"), FormField(page.req, "own_merge") == "1");
  }
  if (action == "reject") done = workflow->Reject(actor, id, etag, FormField(page.req, "reason"));
  if (action == "publish") done = workflow->Publish(actor, id, etag);
  if (action == "discard") done = workflow->Discard(actor, id, etag);
  if (action == "schedule") {
    // datetime-local has no offset: it is the site's time (Vietnam's).
    auto at = ParseDateTime(FormField(page.req, "at"), config_.utc_offset_minutes);
    if (!at) {
      return ShowMessage(page, 400, "refused_heading",
                         {T(page, "bad_request", {{"detail", "at"}})}, EditHref(id),
                         "back_to_edit");
    }
    done = workflow->Schedule(actor, id, etag, *at);
  }
  if (!done) return ShowMessage(page, 404, "not_found_heading", {T(page, "not_found")}, "/admin/", "back_to_dashboard");
  const Refusal* refused = done->ok() ? nullptr : &done->refusal();
  if (refused && refused->status == 409 && refused->merge && refused->current) {
    return ConflictScreen(page, id, *refused, true);  // published behind the edit's back
  }
  if (refused) return ShowRefusal(page, *refused, EditHref(id));
  Redirect(page, EditHref(id) + "?done=" + DoneKey(action));
}

void AdminSite::RegisterHistory() {
  Route("GET", "/admin/history", "", [this](AdminPage& page) { HistoryScreen(page); });
  Route("POST", "/admin/restore", "restore", [this](AdminPage& page) { Restore(page); });
  Route("GET", "/admin/unpublish", "unpublish", [this](AdminPage& page) { UnpublishForm(page, false); });
  Route("POST", "/admin/unpublish", "unpublish", [this](AdminPage& page) { Unpublish(page); });
}

std::string AdminSite::HistoryLabel(const AdminPage& page, const HistoryItem& item) const {
  std::string kind = item.kind == "published" ? T(page, "kind_published")
                                               : T(page, "state_" + item.kind);
  return T(page, "history_label", {{"kind", kind}, {"by", item.by}, {"at", Time(item.at)}});
}

View AdminSite::HistoryItems(AdminPage& page, const std::string& path,
                             const std::vector<HistoryItem>& items, const std::string& from,
                             const std::string& to) const {
  View list = View::List();
  bool may_edit = May(page.caller.role, Permission::kEdit);
  int n = 0;
  for (const HistoryItem& item : items) {
    View entry;
    entry.Set("n", std::to_string(++n)).Set("ref", item.ref);
    entry.Set("kind_name", item.kind == "published" ? T(page, "kind_published")
                                                    : T(page, "state_" + item.kind));
    std::string change = item.change_type.empty() ? "" : T(page, "change_" + item.change_type);
    entry.Set("line", change.empty()
                          ? T(page, "history_line", {{"at", Time(item.at)}, {"by", item.by}})
                          : T(page, "history_change",
                              {{"at", Time(item.at)}, {"by", item.by}, {"change", change}}));
    if (!item.note.empty()) entry.Set("note", item.note);
    entry.Set("who_when", HistoryLabel(page, item));
    // Unless chosen, the newest item is compared with the one before it.
    entry.Set("is_to", to.empty() ? n == 1 : item.ref == to);
    entry.Set("is_from", from.empty() ? n == 2 : item.ref == from);
    entry.Set("may_edit", may_edit).Set("csrf", page.caller.csrf).Set("path", path);
    list.Push(std::move(entry));
  }
  return list;
}

void AdminSite::HistoryScreen(AdminPage& page) const {
  std::string path = QueryParam(page.req, "path");
  std::string from = QueryParam(page.req, "from"), to = QueryParam(page.req, "to");
  auto items = auth_->workflow()->History(path);
  if (!items.ok()) return ShowRefusal(page, items.refusal(), "/admin/pages");
  View view;
  view.Set("heading", T(page, "history_heading", {{"path", path}})).Set("path", path);
  auto open = auth_->workflow()->OpenFor(path);
  view.Set("edit_href", open.ok() && open.value() ? EditHref((*open.value()).id) : "/admin/pages");
  if (!from.empty() && !to.empty()) {
    auto diff = auth_->workflow()->Diff(from, to);
    if (!diff.ok()) return ShowRefusal(page, diff.refusal(), "/admin/pages");
    view.Set("has_diff", true).Set("diff_html", diff.value());  // textdiff's escaped HTML
    std::string from_label = from, to_label = to;
    for (const HistoryItem& item : items.value()) {
      if (item.ref == from) from_label = HistoryLabel(page, item);
      if (item.ref == to) to_label = HistoryLabel(page, item);
    }
    view.Set("diff_heading",
             T(page, "history_diff_heading", {{"from", from_label}, {"to", to_label}}));
  }
  view.Set("has_items", !items->empty());
  view.Set("items", HistoryItems(page, path, items.value(), from, to));
  Show(page, 200, "history", T(page, "history_title", {{"path", path}}), std::move(view));
}

void AdminSite::Restore(AdminPage& page) const {
  std::string path = FormField(page.req, "path");
  auto edit = auth_->workflow()->Restore({page.caller.name, page.caller.role}, path,
                                         FormField(page.req, "ref"));
  if (!edit.ok()) {
    return ShowRefusal(page, edit.refusal(), "/admin/history?path=" + QueryEncode(path),
                       "back_to_history");
  }
  Redirect(page, EditHref(edit->id) + "?done=restored");
}

// The unpublish form; nothing changes until it is sent with its confirmation box ticked.
// `refused`: sent without it (the form again, with the reason as typed and the box marked).
void AdminSite::UnpublishForm(AdminPage& page, bool refused) const {
  std::string path = refused ? FormField(page.req, "path") : QueryParam(page.req, "path");
  auto file = FileOf(path);
  if (!file || file->slug.empty()) {  // a list page stays as long as its section does
    return ShowMessage(page, 404, "not_found_heading", {T(page, "not_found")}, "/admin/pages",
                       "back_to_pages");
  }
  const std::string& lang = file->lang;
  View view;
  view.Set("heading", T(page, "unpublish_heading", {{"path", path}})).Set("path", path);
  view.Set("scope_one", T(page, "unpublish_scope_one", {{"lang", LanguageName(page, lang)}}));
  // The reason in the default language is shown wherever a language has none of its own.
  const std::string default_name = LanguageName(page, config_.default_language);
  view.Set("reason_label", T(page, "unpublish_reason_in", {{"lang", default_name}}));
  View others = View::List();
  for (const LanguageConfig& language : config_.languages) {
    if (language.code == config_.default_language) continue;
    View other;
    other.Set("code", language.code);
    other.Set("label", T(page, "unpublish_reason_in", {{"lang", LanguageName(page, language.code)}}));
    other.Set("hint", T(page, "unpublish_reason_other_hint", {{"default", default_name}}));
    others.Push(std::move(other));
  }
  view.Set("other_reasons", std::move(others));
  if (refused) {
    view.Set("reason", FormField(page.req, "reason")).Set("confirm_error", T(page, "unpublish_confirm_missing"));
  }
  Show(page, refused ? 400 : 200, "unpublish", T(page, "unpublish_title", {{"path", path}}), std::move(view));
}

void AdminSite::Unpublish(AdminPage& page) const {
  std::string path = FormField(page.req, "path");
  UnpublishOrder order;
  auto file = FileOf(path);
  if (file) order = {file->section, file->slug, file->lang, "", "", false};
  if (!file || file->slug.empty()) {
    return ShowMessage(page, 404, "not_found_heading", {T(page, "not_found")}, "/admin/pages",
                       "back_to_pages");
  }
  if (FormField(page.req, "confirm") != "1") return UnpublishForm(page, true);
  if (FormField(page.req, "scope") == "all") order.lang = "";
  order.reason = FormField(page.req, "reason");
  for (const LanguageConfig& language : config_.languages) {
    std::string text = FormField(page.req, "reason_" + language.code);
    if (language.code != config_.default_language && !text.empty()) {
      order.reasons[language.code] = std::move(text);
    }
  }
  order.gone = FormField(page.req, "gone") == "1";
  order.by = page.caller.name;
  auto pages = auth_->workflow()->Unpublish({page.caller.name, page.caller.role}, order);
  if (!pages.ok()) {
    return ShowRefusal(page, pages.refusal(), "/admin/unpublish?path=" + QueryEncode(path),
                       "back_to_unpublish");
  }
  std::string list;
  for (const std::string& id : pages.value()) list += (list.empty() ? "" : ", ") + id;
  ShowMessage(page, 200, "unpublished_heading", {T(page, "unpublished", {{"pages", list}})},
              "/admin/pages", "back_to_pages");
}

}  // namespace clemency
