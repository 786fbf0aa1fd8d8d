#pragma once
// The editorial workflow: editors draft changes to page files, publishers approve and publish
// them (now or at a set time), and nobody approves their own change. Every write names the
// version it was made from (its ETag); a write from an older version is refused with both
// versions and, when the two changes do not overlap, a merge the writer can take. Every action
// is audited. Serialised: one workflow per store, its own connection, one action at a time.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/datetime.h"
#include "core/status.h"
#include "editorial/content_port.h"
#include "store/edits.h"
#include "store/store.h"
#include "store/users.h"

namespace clemency {

struct Actor {
  std::string name, role;  // role: editor, publisher or admin
};

// What each role may do.
enum class Permission { kEdit, kApprove, kPublish, kReadAudit, kManageUsers };
bool May(const std::string& role, Permission permission);

// A three-way merge of a stale write with the version saved since (see textdiff).
struct MergeOffer {
  bool clean = false;
  std::string merged;  // when clean: both changes applied
  struct Conflict {
    std::string label, base, mine, theirs;
  };
  std::vector<Conflict> conflicts;  // when not clean: the units both changed
};

// Why an action was refused, as an HTTP status and a sentence for the person who asked.
struct Refusal {
  int status = 400;  // 400, 403, 404, 409, 412 (stale), 422 (content checks) or 500
  std::string message;  // English, for the API and logs
  // What the refusal is, for saying it in an editor's language ("note_required"; the admin's
  // catalogs have "refusal_<key>"), with its named parts; "" for a refusal nobody can act on.
  std::string key;
  std::map<std::string, std::string> args;
  Diagnostics diagnostics;          // 422: the content checks' problems
  std::optional<EditRow> current;   // 412: the version saved since the one the writer had
  std::string mine;                 // 412: the text the writer sent
  std::optional<MergeOffer> merge;  // 412: the merge of the two changes against their base
};

template <typename T>
class Outcome {
 public:
  Outcome(T value) : value_(std::move(value)) {}              // NOLINT: implicit by design
  Outcome(Refusal refusal) : value_(std::move(refusal)) {}    // NOLINT
  bool ok() const { return std::holds_alternative<T>(value_); }
  const T& value() const { return std::get<T>(value_); }
  T& value() { return std::get<T>(value_); }
  const T* operator->() const { return &value(); }
  const T& operator*() const { return value(); }
  const Refusal& refusal() const { return std::get<Refusal>(value_); }

 private:
  std::variant<T, Refusal> value_;
};

// The "ETag" of an edit's version: "e<id>.<version>", quoted as HTTP wants.
std::string EditETag(const EditRow& edit);

// What an editor changes in a draft; unset fields stay as they are.
struct EditChanges {
  std::optional<std::string> text, change_type, note;
  // The text was merged with a change published since the edit began: it now starts from the
  // live page (see Publish's 409).
  bool rebase = false;
};

// A translation that lags its source: missing, or translated from an older source text.
struct TranslationFlag {
  std::string key;            // "guides/slug"
  std::string lang;           // the translation's language
  std::string path;           // the translation's file (where it would be, when missing)
  std::string source_path;    // the source (default language) file
  bool missing = false;
  std::string translated_from, source_updated;  // RFC 3339
  std::string diff_html;  // the source's words changed since translated_from (outdated only)
};

// A version of an open edit saved by someone (its text, type or note), for presence.
struct RecentSave {
  std::string by, at;  // at: RFC 3339
};

// How long after saving an editor counts as still editing a page.
inline constexpr int64_t kEditingPresenceSeconds = 15 * 60;

struct Dashboard {
  std::vector<EditRow> drafts, in_review, approved, scheduled;
  std::vector<TranslationFlag> translations;
};

// One item of a page file's history for editors: a published revision or a version of an edit.
struct HistoryItem {
  std::string ref;   // "r<revision id>" or "e<edit id>.<version>"
  std::string kind;  // "published" or the edit's state at that version
  std::string at, by, change_type, note;
  RevisionPeople people;  // published revisions
};

class Workflow {
 public:
  struct Options {
    std::string default_language = "vi";
    std::vector<std::string> languages;   // the site's languages, default first
    std::function<DateTime()> now;        // the clock (tests set it)
    // The kind of the pages of a section ("guide", "story", …): a major change to a guide
    // needs a legal review.
    std::function<std::string(const std::string& section)> section_kind;
    // An administrator's setting (site/config.yaml `review: {approve_own_merge: true}`): a
    // publisher who only merged an edit may approve it when nobody else can, by saying so
    // (Approve's `own_merge`), audited. Off: such an edit waits for another publisher.
    bool approve_own_merge = false;
  };
  // REQUIRES: `store` is this workflow's own connection; `port` outlives the workflow.
  Workflow(std::unique_ptr<Store> store, ContentPort* port, Options options);

  Outcome<Dashboard> GetDashboard();
  // Every published page translation, list pages included, by section, slug and language:
  // what an editor may start an edit of.
  Outcome<std::vector<TranslationState>> Pages();
  Outcome<EditRow> Get(int64_t id);
  // The open edit of a page file, if any.
  Outcome<std::optional<EditRow>> OpenFor(const std::string& path);
  // Starts an edit of `path` from its published text, or from `text` for a new page. 409 when
  // the file already has an open edit.
  Outcome<EditRow> Create(const Actor& actor, const std::string& path,
                          std::optional<std::string> text);
  // Saves `changes` to a draft (an edit in review goes back to draft). 412 when `if_match` is
  // not the current ETag, with both versions and a merge offer.
  Outcome<EditRow> Save(const Actor& actor, int64_t id, const std::string& if_match,
                        const EditChanges& changes);
  Outcome<EditRow> Submit(const Actor& actor, int64_t id, const std::string& if_match);
  // Calls `hook` after every edit submitted for review, with the edit and who submitted it
  // (under the workflow's lock: it must only start work of its own, such as a notice).
  // REQUIRES: called before the workflow is used from other threads.
  void OnSubmitted(std::function<void(const EditRow&, const Actor&)> hook) {
    on_submitted_ = std::move(hook);
  }
  // Approves a submitted edit: a publisher who wrote none of it, the content checks passing
  // (422 with their problems otherwise), and for a major change to a guide a legal review
  // sign-off (`legal_review`), which sets the guide's `reviewed` date when it is published.
  // A publisher who only merged it (see MergeApproval) approves only when it says kOwnMerge,
  // with `own_merge` set: audited "approved own merge".
  Outcome<EditRow> Approve(const Actor& actor, int64_t id, const std::string& if_match,
                           bool legal_review, const std::string& comment, bool own_merge = false);
  // Whether `approver` may approve edit `id` after merging into it.
  enum class MergeApproval {
    kNotMerged,     // they saved no version of it: the usual rules
    kOthers,        // they merged; `others` (who wrote none of it) must approve
    kSettingOff,    // they merged, nobody else may approve, and the setting is off
    kOwnMerge,      // they merged, nobody else may approve: "approve my own merge" is offered
  };
  // Returns how `approver` stands towards edit `id`; `others` gets the enabled accounts that may
  // approve it instead (writing none of it).
  MergeApproval MergeApprovalOf(int64_t id, const std::string& approver,
                                std::vector<std::string>* others);
  // Sends a submitted or approved edit back to draft with the reason.
  Outcome<EditRow> Reject(const Actor& actor, int64_t id, const std::string& if_match,
                          const std::string& reason);
  // Publishes an approved edit now through the port; the audit entry records what was rendered.
  Outcome<EditRow> Publish(const Actor& actor, int64_t id, const std::string& if_match);
  // Sets an approved edit to publish at `at` (in the future); stored, so a restart keeps it.
  Outcome<EditRow> Schedule(const Actor& actor, int64_t id, const std::string& if_match,
                            const DateTime& at);
  // Gives up an open edit (its versions stay in the history).
  Outcome<EditRow> Discard(const Actor& actor, int64_t id, const std::string& if_match);
  // Publishes every scheduled edit whose time has come; returns how many were published.
  Outcome<int> PublishDue();
  // The earliest time (unix seconds) an edit is scheduled for; nullopt when none is.
  Outcome<std::optional<int64_t>> NextDue();
  // Withdraws a page (a notice and reason, or 410 Gone when `gone`).
  Outcome<std::vector<std::string>> Unpublish(const Actor& actor, const UnpublishOrder& order);
  // Starts an edit of `path` whose text is that of `ref` (see HistoryItem).
  Outcome<EditRow> Restore(const Actor& actor, const std::string& path, const std::string& ref);
  // Every published revision and every edit version of `path`, newest first.
  Outcome<std::vector<HistoryItem>> History(const std::string& path);
  // The text of a history item.
  Outcome<std::string> TextOf(const std::string& ref);
  // The word-level difference between two history items' texts, as HTML with <ins>/<del>.
  Outcome<std::string> Diff(const std::string& from_ref, const std::string& to_ref);
  // The content checks' problems for an edit's text (empty: it may be approved).
  Outcome<Diagnostics> Check(int64_t id);
  Outcome<std::string> Preview(const std::string& path, const std::string& text,
                               Diagnostics* diagnostics);
  // Records something the HTTP layer did (sign-in, sign-out, refused sign-in).
  void Audit(const std::string& actor, const std::string& action, const std::string& subject,
             const std::string& detail = "");
  Outcome<std::vector<AuditRow>> RecentAudit(int limit);
  // The live (published) text of `path`; 404 when nothing is published there.
  Outcome<std::string> PublishedText(const std::string& path);
  // Who saved version `version` of edit `id`; "" when that version is not kept.
  std::string SavedBy(int64_t id, int64_t version);
  // Everyone who saved a version of edit `id`; empty when unknown.
  std::vector<std::string> Writers(int64_t id);
  // Those who wrote part of edit `id` (they may not approve it): its author and everyone who
  // saved a version of it, except a publisher whose every version only took the clean merge of
  // the edit with a page published since (audited "edit.merge"); empty when unknown.
  std::vector<std::string> ContentWriters(int64_t id);
  // The latest save of edit `id` by each person other than `except` in the last
  // `within_seconds`, newest first: who else is editing it now. Nothing is tracked beyond the
  // versions saved (opening or reading a page leaves no trace).
  std::vector<RecentSave> RecentSaves(int64_t id, const std::string& except,
                                      int64_t within_seconds = kEditingPresenceSeconds);
  Store* store() { return store_.get(); }

 private:
  Outcome<EditRow> Load(int64_t id, const std::string& if_match, bool* stale);
  // The edit when `if_match` names its current version; 412 (with both versions) otherwise.
  Outcome<EditRow> Current(int64_t id, const std::string& if_match);
  bool NeedsLegalReview(const EditRow& edit) const;
  // The content hash of the live page at `path` ("" when none is published).
  std::string PublishedHash(const std::string& path);
  std::optional<std::string> LiveText(const std::string& path);
  // The text of the published revision of `path` with `hash`, if kept.
  std::optional<std::string> TextWithHash(const std::string& path, const std::string& hash);
  TranslationFlag Outdated(const TranslationState& source, const TranslationState& translation);
  // Writes `edit` over version `expected`, audited as `action`; 412 (with the merge) when someone
  // wrote in between. `written`: the writer changed the text, type or note (a saved version
  // that makes them one of its writers), not only its state.
  Outcome<EditRow> Write(const Actor& actor, EditRow edit, int64_t expected,
                         const std::string& action, const std::string& detail,
                         bool written = false);
  Outcome<EditRow> PublishEdit(const std::string& publisher, EditRow edit);
  // Why `actor`, who merged into edit `id`, may not approve it now (nullopt: they may).
  std::optional<Refusal> OwnMergeRefusal(int64_t id, const Actor& actor, bool own_merge);
  Refusal Stale(const EditRow& current, int64_t mine_version, const std::string& mine_text);
  std::string Now() const;
  std::unique_ptr<Store> store_;
  ContentPort* port_;
  Options options_;
  std::recursive_mutex mutex_;
  std::function<void(const EditRow&, const Actor&)> on_submitted_;  // see OnSubmitted
};

}  // namespace clemency
