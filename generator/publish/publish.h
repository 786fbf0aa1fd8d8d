#pragma once
// `clemency publish`: one content file becomes a new revision of its page in the store, after the
// whole site has been checked with it. A running `serve` does this itself when asked through its
// control socket (LiveSite), else it republishes the revision once it sees it.
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/datetime.h"
#include "core/status.h"
#include "publish/control_socket.h"
#include "publish/store_site.h"
#include "store/store.h"

namespace clemency {

struct PublishRequest {
  std::string file;         // where the text comes from, for messages
  std::string stored_path;  // the page it revises, as the store keeps it: "content/<section>/<name>"
  std::string text;
  std::string change_type = "major";  // major (announced, note required), minor, correction
  std::string note;                   // the change note of a major change or a correction
  DateTime now;                       // the revision's time
  RevisionPeople people;              // who wrote, approved and published it
  // Outside the workflow (the command line): the operating-system account, written to the audit
  // log in the revision's transaction. "" when the caller audits it itself (the workflow).
  std::string audit_actor;
  // Written on the same store inside the revision's transaction (the workflow's edit state and
  // audit entry); its error rolls the revision back.
  std::function<Status(Store* store)> with_revision;
  // The output folder serve builds into: its page cache (when there is one) spares the check
  // from parsing every unchanged page again.
  std::string out_dir;
};

struct PublishResult {
  std::string page;        // "guides/slug/vi"
  bool changed = false;    // false when the store already had this text
  std::string steps;      // each step's time, as StepTimer prints them
  std::vector<std::string> rendered;  // through serve: the outputs rendered again
};

// A request for the content file `file` (`<slug>.<lang>.md` in a folder named for its section),
// with its text read.
Result<PublishRequest> ReadPublishRequest(const std::string& file);

// Checks `request` against the site as stored (with the file in place of its page: wording,
// readability, links in both directions, exactly as `clemency check`), then stores it in one
// transaction: the page row with `updated` = now, and for a major change or a correction the
// file's own `updated` and `change_note` set to now and the note. Problems go to `diagnostics`
// (file:line: field: message); on any, the store is not changed.
Result<PublishResult> PublishFile(Store* store, const std::string& source_dir,
                                  const PublishRequest& request, Diagnostics* diagnostics);

// The same for a site held in memory (serve's), whose content/ is `content` (under `files`): a
// new site is made from `site` with the file laid over (Site::Changed: only the changed page and
// the pages that may link to it are checked again) and stored. On success `content` shows the
// stored text, `next` is the new site and `changed_keys` gains its translation key (none when
// the text was already published); otherwise the store and `content` are as they were.
Result<PublishResult> PublishToSite(Store* store, StoredContent* content,
                                    std::shared_ptr<const FileSystem> files, const Site& site,
                                    const std::string& source_dir, const PublishRequest& request,
                                    Diagnostics* diagnostics, std::unique_ptr<Site>* next,
                                    std::set<std::string>* changed_keys);

// Ok unless site/config.yaml under `source_dir` says `command_line_publishing: refused` (or
// cannot be read): changes outside the workflow skip the two-person review.
Status CommandLinePublishingAllowed(const std::string& source_dir);

// Who a change made outside the workflow is credited to: the operating-system account `user`,
// in the revision's people (no approver: the review was skipped) and in the audit log.
std::string SystemActor(const std::string& user);
RevisionPeople OutsideReview(const std::string& actor);

// The control socket's publish request and answer (a running serve answers: LiveSite). The
// message never names people: serve credits the socket's peer.
ControlMessage PublishRequestMessage(const PublishRequest& request);
Result<PublishRequest> PublishRequestFrom(const ControlMessage& message, const ControlPeer& peer);
ControlMessage PublishAnswer(const Result<PublishResult>& result, const Diagnostics& diagnostics);
// Asks the serve listening at `socket_path` to publish `request` (it sets the time). nullopt
// when no serve listens there; a refused change is an error whose message has the problems.
Result<std::optional<PublishResult>> PublishThroughServe(const std::string& socket_path,
                                                         const PublishRequest& request);

struct UnpublishRequest {
  std::string section, slug;
  std::string lang;    // "" for every translation
  // Shown on the notice, in feeds and in the API: `reason` is in the site's default language and
  // shown (labelled as such) in every language `reasons` (below) has none for.
  std::string reason;
  bool gone = false;   // removed: the URL answers 410 instead of showing a notice
  DateTime now;
  std::string by;      // who withdrew it, for the page's history
  std::string audit_actor = "";                     // as PublishRequest's
  std::map<std::string, std::string> reasons = {};  // the reason by language
};

// Withdraws a page's translations: they stay in the store as tombstones (status, time, reason)
// and a revision records it. Refused, with the problems in `diagnostics`, when the site without
// them fails a check (a link to them from another page, a translation left without its source).
// Returns the ids ("guides/slug/vi") withdrawn.
Result<std::vector<std::string>> UnpublishPage(Store* store, const std::string& source_dir,
                                               const UnpublishRequest& request,
                                               Diagnostics* diagnostics);

}  // namespace clemency
