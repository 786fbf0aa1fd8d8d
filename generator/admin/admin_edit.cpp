// The admin's editor: starting an edit, the edit form with its problems and preview, saving
// (form post, or the script's PUT), conflicts, the workflow's buttons, history and unpublishing.
#include <algorithm>
#include <ctime>

#include "admin/admin_pages.h"
#include "editor_api/editor_api.h"
#include "editor_api/editor_json.h"
#include "http/http.h"
#include "admin/page_form.h"
#include "content/page_file.h"
#include "core/text.h"
#include "core/site_paths.h"
#include "editorial/edit_rules.h"

namespace clemency {
namespace {

const char kPreviewCsp[] =
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'";

std::string EditHref(int64_t id) { return "/admin/edits/" + std::to_string(id); }

// The If-Match of a page opened but not yet saved: the hash of the text it was opened with.
const std::string kStartETag = "start:";

bool IsOpen(const std::string& state) {
  return state == "draft" || state == "submitted" || state == "approved" || state == "scheduled";
}

}  // namespace

void AdminSite::RegisterEdits() {
  Route("POST", "/admin/edits", "create", [this](AdminPage& page) { CreateEdit(page); });
  Route("GET", R"(/admin/edits/(\d+))", "", [this](AdminPage& page) {
    if (int64_t id = EditIdFrom(page.req.matches[1])) return EditScreen(page, id);
    ShowMessage(page, 404, "not_found_heading", {T(page, "not_found")}, "/admin/",
                "back_to_dashboard");
  });
  Route("POST", R"(/admin/edits/(\d+))", "save", [this](AdminPage& page) {
    SaveEdit(page, EditIdFrom(page.req.matches[1]), false);
  });
  Route("PUT", R"(/admin/edits/(\d+))", "save", [this](AdminPage& page) {
    SaveEdit(page, EditIdFrom(page.req.matches[1]), true);
  });
  Route("GET", R"(/admin/edits/(\d+)/preview)", "", [this](AdminPage& page) {
    PreviewEdit(page, EditIdFrom(page.req.matches[1]));
  });
  // A page opened for editing before anything is saved: no draft exists until the first save.
  Route("GET", "/admin/edit", "", [this](AdminPage& page) { OpenPage(page); });
  Route("POST", "/admin/edit", "save", [this](AdminPage& page) { SaveNew(page); });
  Route("GET", "/admin/edit/preview", "", [this](AdminPage& page) {
    auto start = StartText(QueryParam(page.req, "path"), QueryParam(page.req, "from"));
    if (!start.ok()) return ShowRefusal(page, start.refusal(), "/admin/pages");
    PreviewText(page, QueryParam(page.req, "path"), start.value());
  });
}

std::string AdminSite::OpenHref(const std::string& path, const std::string& from) {
  return "/admin/edit?path=" + QueryEncode(path) + (from.empty() ? "" : "&from=" + QueryEncode(from));
}

// The text an edit of `path` would start from: the live page, or for a missing translation
// its source `from`.
Outcome<std::string> AdminSite::StartText(const std::string& path, const std::string& from) const {
  if (!FileOf(path) || (!from.empty() && !FileOf(from))) return Refuse(404, "not a page file");
  return auth_->workflow()->PublishedText(from.empty() ? path : from);
}

// The edit screen of a page nobody has an open edit of, filled from its live text (or its
// source's, for a missing translation). Reading it changes nothing; saving it makes the draft.
void AdminSite::OpenPage(AdminPage& page) const {
  std::string path = QueryParam(page.req, "path"), from = QueryParam(page.req, "from");
  auto open = auth_->workflow()->OpenFor(path);
  if (open.ok() && open.value()) return Redirect(page, EditHref((*open.value()).id));
  auto start = StartText(path, from);
  if (!start.ok()) {
    return ShowMessage(page, 404, "not_found_heading", {T(page, "not_found")}, "/admin/pages",
                       "back_to_pages");
  }
  EditRow unsaved;
  unsaved.source_path = path;
  unsaved.source_text = start.value();
  unsaved.state = "unsaved";
  unsaved.base_hash = from.empty() ? "live" : "";
  View view = EditView(page, unsaved);
  view.Set("etag", std::string(kStartETag) + HashHex(start.value()));
  view.Set("form_action", OpenHref(path, from));
  view.Set("preview_base", "/admin/edit/preview?path=" + QueryEncode(path) +
                               (from.empty() ? "" : "&from=" + QueryEncode(from)));
  view.Set("state_line", T(page, from.empty() ? "state_line_unsaved" : "state_line_unsaved_translation"));
  Show(page, 200, "edit", T(page, "edit_title", {{"path", path}}), std::move(view));
}

// The first save of an opened page: the draft is made from the text the screen was opened with
// (so a page published meanwhile, or an edit someone else started, is a conflict, not lost),
// then saved like any other.
void AdminSite::SaveNew(AdminPage& page) const {
  std::string path = QueryParam(page.req, "path"), from = QueryParam(page.req, "from");
  std::string etag = FormField(page.req, "etag");
  Workflow* workflow = auth_->workflow();
  auto start = StartText(path, from);
  if (!start.ok()) return ShowRefusal(page, start.refusal(), "/admin/pages");
  if (etag != kStartETag + HashHex(start.value())) {
    return ShowMessage(page, 409, "refused_heading", {T(page, "opened_page_changed")},
                       OpenHref(path, from), "back_to_edit");
  }
  std::optional<std::string> text;
  if (!from.empty()) text = start.value();
  auto edit = workflow->Create({page.caller.name, page.caller.role}, path, text);
  if (!edit.ok() && !edit.refusal().current) {
    return ShowRefusal(page, edit.refusal(), OpenHref(path, from));
  }
  // Someone started an edit in between: this save is stale against its first version.
  const EditRow& row = edit.ok() ? edit.value() : *edit.refusal().current;
  EditRow first = row;
  first.version = 1;
  SaveEdit(page, row.id, false, EditETag(first));
}

// Starts an edit of a published page, of a missing translation (from its source's text) or of
// a new page; a page that already has an open edit leads to that edit.
void AdminSite::CreateEdit(AdminPage& page) const {
  std::string path = FormField(page.req, "path");
  std::optional<std::string> text;
  if (FormField(page.req, "new") == "1") {
    return CreateNewPage(page);
  } else if (std::string from = FormField(page.req, "from"); !from.empty()) {
    auto source = auth_->workflow()->PublishedText(from);
    if (!source.ok()) {
      return ShowMessage(page, 404, "not_found_heading", {T(page, "not_found")}, "/admin/",
                         "back_to_dashboard");
    }
    text = *source;
  }
  Workflow* workflow = auth_->workflow();
  auto edit = workflow->Create({page.caller.name, page.caller.role}, path, text);
  if (edit.ok()) return Redirect(page, EditHref(edit->id) + "?done=created");
  if (edit.refusal().status == 409) {
    auto open = workflow->OpenFor(path);
    if (open.ok() && open.value()) return Redirect(page, EditHref((*open.value()).id));
  }
  ShowRefusal(page, edit.refusal(), "/admin/pages");
}

void AdminSite::EditScreen(AdminPage& page, int64_t id) const {
  auto edit = auth_->workflow()->Get(id);
  if (!edit.ok()) return ShowRefusal(page, edit.refusal(), "/admin/");
  View view = EditView(page, edit.value());
  Show(page, 200, "edit", T(page, "edit_title", {{"path", edit->source_path}}), std::move(view));
}

View AdminSite::EditView(AdminPage& page, const EditRow& edit) const {
  PageForm form = SplitPage(edit.source_text);
  bool unsaved = edit.state == "unsaved";
  bool editable = May(page.caller.role, Permission::kEdit) &&
                  (unsaved || edit.state == "draft" || edit.state == "submitted");
  View view;
  view.Set("unsaved", unsaved).Set("form_action", EditHref(edit.id));
  view.Set("preview_base", EditHref(edit.id) + "/preview");
  view.Set("unsaved_key", OpenHref(edit.source_path, ""));
  view.Set("id", std::to_string(edit.id)).Set("etag", EditETag(edit)).Set("editable", editable);
  view.Set("version", std::to_string(edit.version)).Set("csrf", page.caller.csrf);
  // The page's own title names it for people; its file stays in view below the heading.
  std::string name = form.title && !form.title->empty() ? *form.title : edit.source_path;
  view.Set("heading", T(page, "edit_heading", {{"title", name}})).Set("path", edit.source_path);
  if (!unsaved) view.Set("state_line", T(page, "state_line", {{"state", T(page, "state_" + edit.state)},
                                                {"author", edit.author},
                                                {"version", static_cast<long>(edit.version)},
                                                {"updated", Time(edit.updated_at)}}));
  if (std::string presence = IsOpen(edit.state) ? PresenceText(page, edit) : "";
      !presence.empty()) {
    view.Set("presence", presence);
  }
  if (!edit.review_comment.empty()) {
    view.Set("review_comment", edit.review_comment);
    view.Set("review_comment_label", T(page, "review_comment_label"));
  }
  auto file = FileOf(edit.source_path);
  if (file && edit.state == "published") {
    view.Set("public_href", file->slug.empty() ? paths::Section(file->lang, file->section)
                                               : paths::Page(file->lang, file->section, file->slug));
  }
  view.Set("history_href", "/admin/history?path=" + QueryEncode(edit.source_path));
  if (file && !file->slug.empty() && !edit.base_hash.empty() &&
      May(page.caller.role, Permission::kPublish)) {
    view.Set("unpublish_href", "/admin/unpublish?path=" + QueryEncode(edit.source_path));
  }
  if (auto typed = TypedPageOf(edit.source_path)) {
    KindForm typed_form =
        SplitForKind(edit.source_text, *typed->kind, typed->is_index, typed->is_translation);
    auto errors = AddTypedProblems(page, edit, typed_form, &view);
    if (IsOpen(edit.state) && !edit.base_hash.empty()) AddReviewDiff(page, edit, *typed, &view);
    view.Set("typed", true).Set("fields", FieldsView(page, typed_form, editable, errors));
    view.Set("original", typed_form.original).Set("advanced", typed_form.advanced);
    for (const char* place : {"advanced", "body"}) {
      View list = View::List();
      for (const std::string& e : errors[place]) list.Push(e);
      view.Set(std::string("has_") + place + "_errors", !errors[place].empty());
      view.Set(std::string(place) + "_errors", std::move(list));
    }
  } else {
    view.Set("has_title", form.title.has_value()).Set("title", form.title.value_or(""));
    view.Set("has_summary", form.summary.has_value()).Set("summary", form.summary.value_or(""));
    view.Set("front_matter", form.front_matter);
    AddProblems(page, edit, &view);
  }
  if (file && file->lang != config_.default_language) AddSourcePanel(page, edit.source_path, &view);
  view.Set("body", form.body).Set("note", edit.note);
  AddMediaPicker(page, edit, &view);
  View types = View::List();
  for (const char* type : {"major", "minor", "correction"}) {
    View choice;
    choice.Set("value", type).Set("checked", edit.change_type == type);
    choice.Set("label", T(page, std::string("change_") + type));
    choice.Set("hint", T(page, std::string("change_") + type + "_hint"));
    types.Push(std::move(choice));
  }
  view.Set("change_types", std::move(types));
  view.Set("preview_title", T(page, "preview_title", {{"path", edit.source_path}}));
  AddActions(page, edit, &view);
  return view;
}

// The content checks' problems of the saved text, each next to the field it names and all of
// them in a summary at the top whose links lead to those fields.
void AdminSite::AddProblems(AdminPage& page, const EditRow& edit, View* view) const {
  if (!IsOpen(edit.state)) return;
  auto checked = auth_->workflow()->Check(edit.id);
  std::vector<Diagnostic> items;
  if (checked.ok()) {
    items = checked->items();
  } else {
    Diagnostics refused;
    refused.Add(edit.source_path, 0, "", PlainProblem(checked.refusal().message));
    items = refused.items();
  }
  PageForm form = SplitPage(edit.source_text);
  static const std::pair<FormPlace, const char*> kPlaces[] = {
      {FormPlace::kTitle, "title"},
      {FormPlace::kSummary, "summary"},
      {FormPlace::kFrontMatter, "front_matter"},
      {FormPlace::kBody, "body"},
  };
  std::map<FormPlace, View> by_place;
  View summary = View::List();
  for (const PlacedDiagnostic& placed : PlaceDiagnostics(form, edit.source_path, items)) {
    std::string text = DiagnosticText(page, placed.diagnostic, placed.body_line);
    View item;
    item.Set("text", text);
    for (const auto& [place, name] : kPlaces) {
      if (place != placed.place) continue;
      std::string target = std::string("f-") + name;
      std::replace(target.begin(), target.end(), '_', '-');
      item.Set("target", target);
      if (!by_place.count(place)) by_place[place] = View::List();
      by_place[place].Push(text);
    }
    summary.Push(std::move(item));
  }
  for (const auto& [place, name] : kPlaces) {
    bool has = by_place.count(place) > 0;
    view->Set(std::string("has_") + name + "_errors", has);
    if (has) view->Set(std::string(name) + "_errors", by_place[place]);
  }
  view->Set("has_problems", !items.empty()).Set("problems", std::move(summary));
  view->Set("problems_heading",
            T(page, "problems_count", {{"count", static_cast<long>(items.size())}}));
}

std::map<std::string, std::vector<std::string>> AdminSite::AddTypedProblems(
    AdminPage& page, const EditRow& edit, const KindForm& form, View* view) const {
  std::map<std::string, std::vector<std::string>> by_input;
  if (!IsOpen(edit.state)) return by_input;
  auto checked = auth_->workflow()->Check(edit.id);
  std::vector<Diagnostic> items;
  if (checked.ok()) {
    items = checked->items();
  } else {
    Diagnostics refused;
    refused.Add(edit.source_path, 0, "", PlainProblem(checked.refusal().message));
    items = refused.items();
  }
  View summary = View::List();
  for (const FormPlacement& placed : PlaceOnForm(form, edit.source_path, items)) {
    View item;
    const Diagnostic& d = placed.diagnostic;
    if (placed.input.empty()) {
      item.Set("text", DiagnosticText(page, d, 0));
    } else if (placed.input == "body") {
      std::string text = DiagnosticText(page, d, placed.body_line);
      by_input["body"].push_back(text);
      item.Set("text", text).Set("target", "f-body");
    } else {
      by_input[placed.input].push_back(CheckText(page, d));
      std::string label = placed.input == "advanced" ? T(page, "field_front_matter")
                                                      : FieldLabel(page, placed.input);
      std::string target = "f-" + placed.input;
      std::replace(target.begin(), target.end(), '.', '-');
      std::replace(target.begin(), target.end(), '_', '-');
      item.Set("text", T(page, "diagnostic_field", {{"field", label}, {"message", CheckText(page, d)}}));
      item.Set("target", target);
    }
    summary.Push(std::move(item));
  }
  view->Set("has_problems", !items.empty()).Set("problems", std::move(summary));
  view->Set("problems_heading",
            T(page, "problems_count", {{"count", static_cast<long>(items.size())}}));
  return by_input;
}

// Only the buttons the caller's role and the edit's state allow (the workflow checks again).
void AdminSite::AddActions(AdminPage& page, const EditRow& edit, View* view) const {
  const std::string& role = page.caller.role;
  const std::string& state = edit.state;
  bool submit = May(role, Permission::kEdit) && state == "draft";
  bool may_approve = May(role, Permission::kApprove) && state == "submitted";
  std::vector<std::string> writers =
      may_approve ? auth_->workflow()->ContentWriters(edit.id) : std::vector<std::string>{};
  bool wrote = may_approve && (edit.author == page.caller.name ||
                               std::find(writers.begin(), writers.end(), page.caller.name) !=
                                   writers.end());
  bool approve = may_approve && !wrote;
  bool merge_blocked = false;
  if (approve) {  // a publisher who only merged: another approves, or they say it is their merge
    std::vector<std::string> others;
    std::string names;
    switch (auth_->workflow()->MergeApprovalOf(edit.id, page.caller.name, &others)) {
      case Workflow::MergeApproval::kNotMerged:
        break;
      case Workflow::MergeApproval::kOthers:
        for (const std::string& name : others) names += (names.empty() ? "" : ", ") + name;
        view->Set("approve_blocked", T(page, "approve_merged_others", {{"names", names}}));
        merge_blocked = true;
        break;
      case Workflow::MergeApproval::kSettingOff:
        view->Set("approve_blocked", T(page, "approve_merged_setting_off"));
        merge_blocked = true;
        break;
      case Workflow::MergeApproval::kOwnMerge:
        view->Set("approve_after_merge", T(page, "approve_after_merge")).Set("own_merge", true);
        break;
    }
    approve = !merge_blocked;
  }
  if (wrote) {  // nobody approves a change they wrote part of: say who can
    std::string others;
    for (const std::string& name : auth_->Approvers()) {
      if (name == edit.author || std::find(writers.begin(), writers.end(), name) != writers.end()) {
        continue;
      }
      others += (others.empty() ? "" : ", ") + name;
    }
    view->Set("approve_blocked", others.empty() ? T(page, "approve_nobody_else")
                                                : T(page, "approve_by_others", {{"names", others}}));
  }
  bool reject = May(role, Permission::kApprove) && (state == "submitted" || state == "approved");
  bool publish = May(role, Permission::kPublish) && state == "approved";
  bool discard = May(role, Permission::kEdit) && IsOpen(state);
  view->Set("can_submit", submit).Set("can_approve", approve).Set("can_reject", reject);
  view->Set("can_publish", publish).Set("can_discard", discard);
  view->Set("has_actions", submit || approve || wrote || merge_blocked || reject || publish || discard);
  view->Set("is_guide", edit.source_path.rfind("content/guides/", 0) == 0);
  view->Set("schedule_min",
            LocalInputTime(static_cast<int64_t>(std::time(nullptr)) + 60, config_.utc_offset_minutes));
}

// Saves the form: its parts joined into the page file, or the whole `text` of the conflict
// screen. A stale version shows both versions (the script gets the 412 as JSON).
void AdminSite::SaveEdit(AdminPage& page, int64_t id, bool from_script,
                         const std::string& first_etag) const {
  const httplib::Request& req = page.req;
  std::string etag = !first_etag.empty() ? first_etag
                     : from_script && req.has_header("If-Match")
                         ? std::string(Trim(req.get_header_value("If-Match")))
                         : FormField(req, "etag");
  if (id == 0 || etag.empty()) {
    if (from_script) return http::SendProblem(page.res, id == 0 ? 404 : 428, "If-Match is required");
    return ShowMessage(page, id == 0 ? 404 : 428, "refused_heading", {}, "/admin/",
                       "back_to_dashboard");
  }
  auto edit = auth_->workflow()->Get(id);
  if (!edit.ok()) {
    if (from_script) page.res.headers.erase("Content-Security-Policy");
    if (from_script) return SendRefusal(page.res, edit.refusal());
    return ShowRefusal(page, edit.refusal(), "/admin/");
  }
  const std::string path = edit->source_path;
  EditChanges changes;
  if (HasFormField(req, "text")) {
    changes.text = NormalizeNewlines(FormField(req, "text"));
  } else if (HasFormField(req, "original")) {
    auto text = TextFromPost(page, path);
    if (text) changes.text = *text;
  } else if (HasFormField(req, "body")) {
    PageForm form;
    form.has_front_matter = true;
    if (HasFormField(req, "title")) form.title = FormField(req, "title");
    if (HasFormField(req, "summary")) form.summary = FormField(req, "summary");
    form.front_matter = FormField(req, "front_matter");
    form.body = FormField(req, "body");
    changes.text = JoinPage(form);
  }
  if (changes.text) changes.text = WithTranslatedFrom(path, *changes.text);
  if (HasFormField(req, "change_type")) changes.change_type = FormField(req, "change_type");
  if (HasFormField(req, "note")) changes.note = NormalizeNewlines(FormField(req, "note"));
  changes.rebase = FormField(req, "rebase") == "1";
  auto saved = auth_->workflow()->Save({page.caller.name, page.caller.role}, id, etag, changes);
  if (from_script) {
    page.res.headers.erase("Content-Security-Policy");
    if (!saved.ok()) return SendRefusal(page.res, saved.refusal());
    page.res.set_header("ETag", EditETag(saved.value()));
    return page.res.set_content(EditJson(saved.value()), "application/json");
  }
  if (saved.ok()) return Redirect(page, EditHref(id) + "?done=saved");
  if (saved.refusal().status == 412 && saved.refusal().current) {
    return ConflictScreen(page, id, saved.refusal(), false);
  }
  ShowRefusal(page, saved.refusal(), EditHref(id));
}

// Both versions side by side; a clean merge is offered as a button, never saved on its own.
// `rebase`: the page was published since the edit began (publish's 409), so "theirs" is the live
// page and saving moves the edit onto it (back to draft, to be reviewed again).
void AdminSite::ConflictScreen(AdminPage& page, int64_t id, const Refusal& refusal,
                               bool rebase) const {
  const EditRow& current = *refusal.current;
  View view;
  view.Set("id", std::to_string(id)).Set("csrf", page.caller.csrf).Set("rebase", rebase);
  view.Set("current_etag", EditETag(current));
  if (rebase) {
    auto live = auth_->workflow()->PublishedText(current.source_path);
    view.Set("heading", T(page, "rebase_heading")).Set("intro", T(page, "rebase_intro"));
    view.Set("theirs_heading", T(page, "rebase_theirs_heading"));
    view.Set("theirs_text", live.ok() ? *live : "").Set("mine_text", current.source_text);
  } else {
    std::string by = current.author;
    if (std::string saved_by = auth_->workflow()->SavedBy(current.id, current.version);
        !saved_by.empty()) {
      by = saved_by;
    }
    view.Set("heading", T(page, "conflict_heading"));
    view.Set("intro", T(page, "conflict_intro", {{"name", by}, {"at", Time(current.updated_at)}}));
    view.Set("theirs_heading", T(page, "conflict_theirs_heading", {{"name", by}}));
    view.Set("theirs_text", current.source_text).Set("mine_text", refusal.mine);
  }
  bool clean = refusal.merge && refusal.merge->clean;
  view.Set("clean", clean);
  if (clean) view.Set("merged", refusal.merge->merged);
  View conflicts = View::List();
  if (refusal.merge) {
    for (const auto& conflict : refusal.merge->conflicts) {
      View item;
      item.Set("label", conflict.label).Set("mine", conflict.mine).Set("theirs", conflict.theirs);
      conflicts.Push(std::move(item));
    }
  }
  view.Set("has_conflicts", refusal.merge && !refusal.merge->conflicts.empty());
  view.Set("conflicts", std::move(conflicts));
  Show(page, rebase ? 409 : 412, "conflict", T(page, "conflict_title"), std::move(view));
}

// `html` with, at the top of its body, a notice that it cannot be published yet and why (none
// when `problems` is empty). No style of its own: the preview's CSP allows only the site's.
std::string AdminSite::MarkedNotPublishable(const AdminPage& page, const std::string& html,
                                            const std::vector<Diagnostic>& problems) const {
  if (problems.empty()) return html;
  std::string notice = "<div class=\"admin-preview-problems\" role=\"note\"><p><strong>" +
                       EscapeHtml(T(page, "preview_not_publishable",
                                    {{"count", static_cast<long>(problems.size())}})) +
                       "</strong></p><ul>";
  for (const Diagnostic& d : problems) notice += "<li>" + EscapeHtml(DiagnosticText(page, d, 0)) + "</li>";
  notice += "</ul><hr></div>";
  size_t body = html.find("<body");
  size_t open_end = body == std::string::npos ? std::string::npos : html.find('>', body);
  if (open_end == std::string::npos) return notice + html;
  return html.substr(0, open_end + 1) + notice + html.substr(open_end + 1);
}

// The saved text rendered by the real renderer, for the editor's <iframe> (so it may be framed
// by the admin itself, and nothing else).
void AdminSite::PreviewEdit(AdminPage& page, int64_t id) const {
  auto edit = auth_->workflow()->Get(id);
  if (!edit.ok()) return ShowRefusal(page, edit.refusal(), "/admin/");
  PreviewText(page, edit->source_path, edit->source_text);
}

void AdminSite::PreviewText(AdminPage& page, const std::string& path,
                            const std::string& text) const {
  Diagnostics problems;
  auto html = auth_->workflow()->Preview(path, text, &problems);
  if (html.ok()) {
    page.res.set_content(MarkedNotPublishable(page, html.value(), problems.items()),
                         "text/html; charset=utf-8");
  } else {
    std::vector<Diagnostic> items = html.refusal().diagnostics.items();
    for (const Diagnostic& d : problems.items()) items.push_back(d);
    // A document of its own (no admin script: the frame is sandboxed), answered 200: the frame
    // shows what keeps the page from rendering while the form shows the same problems by field.
    std::string doc = "<!doctype html><html lang=\"" + page.lang + "\"><head><meta charset=\"utf-8\">"
                      "<title>" + EscapeHtml(T(page, "preview_heading")) + "</title>"
                      "<link rel=\"stylesheet\" href=\"/admin/static/admin.css\"></head><body>"
                      "<main class=\"preview-problems\"><p>" + EscapeHtml(T(page, "preview_problems")) +
                      "</p><ul>";
    for (const Diagnostic& d : items) doc += "<li>" + EscapeHtml(DiagnosticText(page, d, 0)) + "</li>";
    doc += "</ul></main></body></html>";
    page.res.status = 200;
    page.res.set_content(doc, "text/html; charset=utf-8");
  }
  page.res.headers.erase("Content-Security-Policy");
  page.res.headers.erase("X-Frame-Options");
  page.res.set_header("Content-Security-Policy", kPreviewCsp);
  page.res.set_header("X-Frame-Options", "SAMEORIGIN");
}

}  // namespace clemency
