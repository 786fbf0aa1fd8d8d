// The workflow's actions on edits: create, save, submit, approve, reject, publish, schedule,
// discard, unpublish.
#include <algorithm>

#include "content/page_file.h"
#include "editorial/edit_rules.h"
#include "editorial/review.h"
#include "editorial/workflow.h"
#include "store/users.h"

namespace clemency {
namespace {

Refusal NotAllowed(const Actor& actor, const std::string& what) {
  return Refuse(403, "the " + actor.role + " role may not " + what, "not_allowed",
                {{"role", actor.role}});
}

Refusal WrongState(const EditRow& edit, const std::string& what) {
  return Refuse(409,
                "edit #" + std::to_string(edit.id) + " is " + edit.state + ": it cannot be " + what,
                "wrong_state", {{"state", edit.state}});
}

bool IsChangeType(const std::string& type) {
  return type == "major" || type == "minor" || type == "correction";
}

// The text to publish: an approved legal review sets the page's `reviewed` date.
std::string TextToPublish(const EditRow& edit, const DateTime& now) {
  if (!edit.legal_review) return edit.source_text;
  return ReplaceFrontMatterFields(edit.source_text, {"reviewed"},
                                  "reviewed: " + now.ToDateString() + "\n");
}

std::string RenderedSummary(const PublishReport& report) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", report.seconds);
  std::string out = "rendered " + std::to_string(report.rendered.size()) + " outputs in " +
                    seconds + " s; steps: " + report.steps;
  for (const auto& output : report.rendered) out += "; " + output;
  return out;
}

}  // namespace

Outcome<EditRow> Workflow::Create(const Actor& actor, const std::string& path,
                                  std::optional<std::string> text) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kEdit)) return NotAllowed(actor, "edit pages");
  auto file = ParseContentPath(path, options_.languages);
  if (!file) return Refuse(400, "path: not a page file of the site: " + path, "not_page", {{"path", path}});
  auto open = OpenFor(path);
  if (!open.ok()) return open.refusal();
  if (open.value()) {
    Refusal refusal = Refuse(409, path + " already has an open edit (#" +
                                      std::to_string((*open.value()).id) + "): continue that one",
                             "open_edit");
    refusal.current = *open.value();
    return refusal;
  }
  auto published = PageRepository(store_.get()).Get(file->section, file->slug, file->lang);
  if (!published.ok()) return StoreFailure(published.status());
  bool live = published->has_value() && (*published)->status == "published";
  if (!text && !live) {
    return Refuse(404, path + " is not published: send a text for a new page", "not_published");
  }
  EditRow edit;
  edit.source_path = path;
  edit.base_hash = live ? (*published)->content_hash : "";
  if (!text) {
    auto live_text = PageRepository(store_.get()).SourceText(path);
    if (!live_text.ok()) return StoreFailure(live_text.status());
    text = std::move(live_text).value();
  }
  edit.source_text = *text;
  edit.author = actor.name;
  edit.created_at = edit.updated_at = Now();
  auto id = EditRepository(store_.get()).Insert(edit, actor.name);
  if (!id.ok()) return Refuse(409, id.status().message(), "open_edit");
  edit.id = *id;
  AuditLog(store_.get()).Record(actor.name, "edit.create", "#" + std::to_string(*id) + " " + path);
  return Get(*id);
}

Outcome<EditRow> Workflow::Save(const Actor& actor, int64_t id, const std::string& if_match,
                                const EditChanges& changes) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kEdit)) return NotAllowed(actor, "edit pages");
  bool stale = false;
  auto current = Load(id, if_match, &stale);
  if (!current.ok()) return current;
  EditRow edit = current.value();
  if (!IsOpenState(edit.state)) return WrongState(edit, "changed");
  if (changes.change_type && !IsChangeType(*changes.change_type)) {
    return Refuse(400, "change_type: must be major, minor or correction", "change_type");
  }
  if (stale) {
    return Stale(edit, VersionInETag(if_match, id), changes.text.value_or(edit.source_text));
  }
  EditRow changed = edit;
  if (changes.text) changed.source_text = *changes.text;
  if (changes.change_type) changed.change_type = *changes.change_type;
  if (changes.note) changed.note = *changes.note;
  if (changes.rebase) changed.base_hash = PublishedHash(edit.source_path);
  bool same = changed.source_text == edit.source_text && changed.change_type == edit.change_type &&
              changed.note == edit.note && changed.base_hash == edit.base_hash;
  if (same) return edit;  // an autosave of what is saved already
  // Taking the offered merge with a page published since, and nothing else, writes nothing of
  // one's own: audited as a merge, so the publisher who did it may still approve.
  bool merged_only = false;
  if (changes.rebase && changed.change_type == edit.change_type && changed.note == edit.note) {
    auto live = LiveText(edit.source_path);
    auto base = TextWithHash(edit.source_path, edit.base_hash);
    if (live && base) {
      MergeOffer offer = OfferMerge(*base, edit.source_text, *live);
      merged_only = offer.clean && offer.merged == changed.source_text;
    }
  }
  if (changed.state != "draft") {  // a change after review must be reviewed again
    changed.state = "draft";
    changed.approver.clear();
    changed.legal_review = false;
    changed.publish_at.clear();
    changed.publish_at_unix = 0;
  }
  return Write(actor, changed, edit.version, merged_only ? "edit.merge" : "edit.save",
               merged_only ? MergeDetail(edit.version + 1) : "", /*written=*/true);
}

Outcome<EditRow> Workflow::Submit(const Actor& actor, int64_t id, const std::string& if_match) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kEdit)) return NotAllowed(actor, "edit pages");
  auto edit = Current(id, if_match);
  if (!edit.ok()) return edit;
  if (edit->state != "draft") return WrongState(edit.value(), "submitted");
  if (edit->change_type != "minor" && edit->note.empty()) {
    return Refuse(400, "note: a " + edit->change_type +
                           " change needs a change note: readers are told what changed",
                  "note_required", {{"type", edit->change_type}});
  }
  EditRow submitted = edit.value();
  submitted.state = "submitted";
  submitted.review_comment.clear();
  auto written = Write(actor, submitted, edit->version, "edit.submit", "");
  if (written.ok() && on_submitted_) on_submitted_(written.value(), actor);
  return written;
}

Outcome<EditRow> Workflow::Approve(const Actor& actor, int64_t id, const std::string& if_match,
                                   bool legal_review, const std::string& comment, bool own_merge) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kApprove)) return NotAllowed(actor, "approve changes");
  auto edit = Current(id, if_match);
  if (!edit.ok()) return edit;
  if (edit->state != "submitted") return WrongState(edit.value(), "approved");
  auto writers = EditRepository(store_.get()).Writers(id);
  if (!writers.ok()) return StoreFailure(writers.status());
  const std::vector<std::string> content_writers = ContentWriters(id);
  if (content_writers.empty()) return StoreFailure(Status::Error("the edit's writers are unknown"));
  const bool merged = std::find(writers->begin(), writers->end(), actor.name) != writers->end();
  if (std::find(content_writers.begin(), content_writers.end(), actor.name) !=
      content_writers.end()) {
    return Refuse(403, "you wrote part of this change: another publisher must approve it", "co_author");
  }
  if (merged) {
    if (auto refusal = OwnMergeRefusal(id, actor, own_merge)) return *refusal;
  }
  auto problems = Check(id);
  if (!problems.ok()) return problems.refusal();
  if (!problems->empty()) {
    Refusal refusal = Refuse(422, "the change fails the content checks", "checks");
    refusal.diagnostics = problems.value();
    return refusal;
  }
  if (NeedsLegalReview(edit.value()) && !legal_review) {
    Refusal refusal =
        Refuse(422, "a major change to a guide needs a legal review sign-off", "legal_review");
    refusal.diagnostics.Add(edit->source_path, 0, "legal_review", Diag::check_legal_review);
    return refusal;
  }
  EditRow approved = edit.value();
  approved.state = "approved";
  approved.approver = actor.name;
  approved.legal_review = legal_review && NeedsLegalReview(approved);
  approved.review_comment = comment;
  // A publisher who only merged is recorded as such.
  std::string detail = merged ? "approved own merge: no other publisher" : "";
  if (approved.legal_review) detail += std::string(detail.empty() ? "" : "; ") + "legal review signed off";
  return Write(actor, approved, edit->version, "edit.approve", detail);
}

Workflow::MergeApproval Workflow::MergeApprovalOf(int64_t id, const std::string& approver,
                                                  std::vector<std::string>* others) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  others->clear();
  auto writers = EditRepository(store_.get()).Writers(id);
  const std::vector<std::string> content_writers = ContentWriters(id);
  auto wrote = [&content_writers](const std::string& name) {
    return std::find(content_writers.begin(), content_writers.end(), name) != content_writers.end();
  };
  auto users = UserRepository(store_.get()).List();
  if (users.ok()) {
    for (const UserRow& user : *users) {
      if (user.name != approver && user.disabled_at.empty() &&
          May(user.role, Permission::kApprove) && !wrote(user.name)) {
        others->push_back(user.name);
      }
    }
  }
  if (!writers.ok() || wrote(approver) ||
      std::find(writers->begin(), writers->end(), approver) == writers->end()) {
    return MergeApproval::kNotMerged;
  }
  if (!others->empty()) return MergeApproval::kOthers;
  return options_.approve_own_merge ? MergeApproval::kOwnMerge : MergeApproval::kSettingOff;
}

std::optional<Refusal> Workflow::OwnMergeRefusal(int64_t id, const Actor& actor, bool own_merge) {
  std::vector<std::string> others;
  std::string names;
  switch (MergeApprovalOf(id, actor.name, &others)) {
    case MergeApproval::kNotMerged:
      return std::nullopt;
    case MergeApproval::kOthers:
      for (const std::string& name : others) names += (names.empty() ? "" : ", ") + name;
      return Refuse(403, "you merged this change: " + names + " can approve it", "merged_others",
                    {{"names", names}});
    case MergeApproval::kSettingOff:
      return Refuse(403, "you merged this change and nobody else can approve it; an "
                         "administrator's setting (review.approve_own_merge) lets you approve "
                         "your own merge", "merged_setting_off");
    case MergeApproval::kOwnMerge:
      if (own_merge) return std::nullopt;
      return Refuse(403, "you merged this change: approve it as your own merge, explicitly",
                    "merged_explicit");
  }
  return std::nullopt;
}

Outcome<EditRow> Workflow::Reject(const Actor& actor, int64_t id, const std::string& if_match,
                                  const std::string& reason) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kApprove)) return NotAllowed(actor, "review changes");
  if (reason.empty()) return Refuse(400, "reason: say what needs to change", "reject_reason");
  auto edit = Current(id, if_match);
  if (!edit.ok()) return edit;
  if (edit->state == "draft" || !IsOpenState(edit->state)) return WrongState(edit.value(), "sent back");
  EditRow rejected = edit.value();
  rejected.state = "draft";
  rejected.approver.clear();
  rejected.legal_review = false;
  rejected.publish_at.clear();
  rejected.publish_at_unix = 0;
  rejected.review_comment = reason;
  return Write(actor, rejected, edit->version, "edit.reject", reason);
}

Outcome<EditRow> Workflow::Publish(const Actor& actor, int64_t id, const std::string& if_match) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kPublish)) return NotAllowed(actor, "publish");
  auto edit = Current(id, if_match);
  if (!edit.ok()) return edit;
  if (edit->state != "approved" && edit->state != "scheduled") {
    return WrongState(edit.value(), "published before it is approved");
  }
  return PublishEdit(actor.name, edit.value());
}

Outcome<EditRow> Workflow::PublishEdit(const std::string& publisher, EditRow edit) {
  std::string live_hash = PublishedHash(edit.source_path);
  if (live_hash != edit.base_hash) {
    // Someone published this page since the edit began: publishing it would undo their change.
    Refusal refusal = Refuse(409, "the page was published by someone else since this edit began; "
                                  "merge their change and save again",
                             "published_since");
    auto live = LiveText(edit.source_path);
    auto base = TextWithHash(edit.source_path, edit.base_hash);
    if (live && base) refusal.merge = OfferMerge(*base, edit.source_text, *live);
    refusal.current = edit;
    return refusal;
  }
  DateTime now = options_.now();
  EditRow published = edit;
  published.state = "published";
  published.publisher = publisher;
  published.published_at = now.ToRfc3339();
  published.updated_at = Now();
  published.source_text = TextToPublish(edit, now);
  PublishOrder order;
  order.path = edit.source_path;
  order.text = published.source_text;
  order.change_type = edit.change_type;
  order.note = edit.note;
  order.author = edit.author;
  order.approver = edit.approver;
  order.publisher = publisher;
  // The edit's state and the audit entry commit with the revision, so a crash cannot leave the
  // text live while the edit still says "approved".
  order.with_revision = [&](Store* store) -> Status {
    auto stored =
        EditRepository(store).Update(published, edit.version, publisher, published.updated_at, true);
    if (!stored.ok()) return stored.status();
    if (!*stored) return Status::Error("the edit changed while it was being published");
    return AuditLog(store).Record(publisher, "publish", Subject(published),
                                  edit.change_type + ", approved by " + edit.approver);
  };
  Diagnostics diagnostics;
  auto report = port_->Publish(order, &diagnostics);
  if (!report.ok()) {
    Refusal refusal = Refuse(422, report.status().message(), "publish_failed");
    refusal.diagnostics = diagnostics;
    return refusal;
  }
  // What went live, once it has: after a crash before this line the publish entry above stands.
  Audit(publisher, "publish.live", Subject(published),
        report->page + ": " + RenderedSummary(report.value()));
  return Get(edit.id);
}

Outcome<EditRow> Workflow::Schedule(const Actor& actor, int64_t id, const std::string& if_match,
                                    const DateTime& at) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kPublish)) return NotAllowed(actor, "schedule publishing");
  auto edit = Current(id, if_match);
  if (!edit.ok()) return edit;
  if (edit->state != "approved" && edit->state != "scheduled") {
    return WrongState(edit.value(), "scheduled before it is approved");
  }
  if (at.unix_seconds <= options_.now().unix_seconds) {
    return Refuse(400, "publish_at: the time must be in the future", "schedule_past");
  }
  EditRow scheduled = edit.value();
  scheduled.state = "scheduled";
  scheduled.publisher = actor.name;
  scheduled.publish_at = at.ToRfc3339();
  scheduled.publish_at_unix = at.unix_seconds;
  auto written = Write(actor, scheduled, edit->version, "edit.schedule", scheduled.publish_at);
  if (written.ok()) port_->Schedule(at);
  return written;
}

namespace {

// A refusal when `name` is not an active account any more (disabled, or unknown).
std::optional<Refusal> InactiveAccount(Store* store, const std::string& name) {
  auto user = UserRepository(store).Get(name);
  if (!user.ok()) return Refuse(500, user.status().message());
  if (user->has_value() && (*user)->disabled_at.empty()) return std::nullopt;
  return Refuse(403, "the account " + name +
                         " that scheduled it is disabled; a publisher must schedule it again",
                "scheduler_disabled", {{"name", name}});
}

}  // namespace

Outcome<std::optional<int64_t>> Workflow::NextDue() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto next = EditRepository(store_.get()).NextDue();
  if (!next.ok()) return StoreFailure(next.status());
  return next.value();
}

Outcome<int> Workflow::PublishDue() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto due = EditRepository(store_.get()).Due(options_.now().unix_seconds);
  if (!due.ok()) return StoreFailure(due.status());
  int published = 0;
  for (const EditRow& edit : *due) {
    // The account that scheduled it must still be active when it goes live: a disabled
    // account's schedules are not published in its name.
    const std::optional<Refusal> inactive = InactiveAccount(store_.get(), edit.publisher);
    auto outcome = inactive ? Outcome<EditRow>(*inactive) : PublishEdit(edit.publisher, edit);
    if (outcome.ok()) {
      ++published;
      continue;
    }
    // Not retried every second: back to approved, with the reason for the dashboard.
    EditRow failed = edit;
    failed.state = "approved";
    failed.review_comment = "scheduled publishing failed: " + outcome.refusal().message;
    Write({edit.publisher, "publisher"}, failed, edit.version, "publish.failed",
          outcome.refusal().message);
  }
  return published;
}

Outcome<EditRow> Workflow::Discard(const Actor& actor, int64_t id, const std::string& if_match) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kEdit)) return NotAllowed(actor, "edit pages");
  auto edit = Current(id, if_match);
  if (!edit.ok()) return edit;
  if (!IsOpenState(edit->state)) return WrongState(edit.value(), "discarded");
  EditRow discarded = edit.value();
  discarded.state = "discarded";
  return Write(actor, discarded, edit->version, "edit.discard", "");
}

Outcome<std::vector<std::string>> Workflow::Unpublish(const Actor& actor,
                                                      const UnpublishOrder& order) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  if (!May(actor.role, Permission::kPublish)) return NotAllowed(actor, "unpublish pages");
  bool any_reason = !order.reason.empty();
  for (const auto& [lang, text] : order.reasons) any_reason = any_reason || !text.empty();
  if (!any_reason) return Refuse(400, "reason: readers are told why the page went", "unpublish_reason");
  if (order.slug.empty()) {
    return Refuse(400, "a list page stays as long as its section does", "list_page");
  }
  UnpublishOrder named = order;
  named.by = actor.name;
  Diagnostics diagnostics;
  auto removed = port_->Unpublish(named, &diagnostics);
  if (!removed.ok()) {
    Refusal refusal = Refuse(422, removed.status().message(), "unpublish_failed");
    refusal.diagnostics = diagnostics;
    return refusal;
  }
  std::string ids;
  for (const auto& page : *removed) ids += (ids.empty() ? "" : ", ") + page;
  AuditLog(store_.get()).Record(actor.name, order.gone ? "unpublish.gone" : "unpublish", ids,
                                order.reason);
  return std::move(removed).value();
}

}  // namespace clemency
