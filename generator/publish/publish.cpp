#include "publish/publish.h"

#include <algorithm>
#include <filesystem>

#include "config/site_config.h"
#include "content/page_file.h"
#include "core/fs.h"
#include "core/text.h"
#include "core/timing.h"
#include "publish/store_site.h"
#include "render/page_cache.h"
#include "render/site.h"
#include "store/users.h"

namespace clemency {
namespace {

// The file's path as the store keeps it: "content/<section>/<name>" (the section is the folder
// the file is in; a file in a folder named "content" is a home page).
Result<std::string> StoredPath(const std::string& file) {
  std::filesystem::path path = std::filesystem::absolute(file).lexically_normal();
  std::string name = path.filename().string(), folder = path.parent_path().filename().string();
  if (name.size() < 4 || name.compare(name.size() - 3, 3, ".md") != 0) {
    return Status::Error(file + ": not a content file (expected <slug>.<lang>.md)");
  }
  return folder == "content" ? "content/" + name : "content/" + folder + "/" + name;
}

// When readers get a revision of `text`: `now`, or the page's `date` when that is later (a
// scheduled page is shown then, and its `updated` may not be earlier than its `date`).
DateTime AnnouncedAt(const std::string& text, const DateTime& now) {
  const std::optional<std::string> value = FieldValue(text, "date");
  if (!value) return now;
  const std::optional<DateTime> date = ParseDateTime(Trim(*value), now.offset_minutes);
  return date && *date > now ? *date : now;
}

// The text as it will be stored. A major change or a correction is announced: the file's
// `updated` and `change_note` become the revision's time (AnnouncedAt) and note. A minor one is
// not: they stay
// as the stored page has them (`stored`, "" for a new page), whatever the editor's copy says.
Result<std::string> AnnouncedText(std::string text, const PublishRequest& request,
                                  const std::string& stored) {
  const std::vector<std::string> announced = {"updated", "change_note"};
  const bool closed = SplitPageFile(text).closed;
  if (request.change_type == "minor") {
    if (!closed || stored.empty()) return text;
    return ReplaceFrontMatterFields(text, announced, FrontMatterFieldLines(stored, announced));
  }
  if (request.note.empty()) {
    return Status::Error("--note is required for a " + request.change_type +
                         " change: readers and partners are told what changed");
  }
  if (!closed) return text;  // the check reports the unclosed front matter with its line
  return ReplaceFrontMatterFields(text, announced,
                                  "updated: " + AnnouncedAt(text, request.now).ToRfc3339() +
                                      "\nchange_note: " + YamlQuoted(request.note) + "\n");
}

const RenderedPage* FindBySource(const Site& site, const std::string& source_path) {
  for (const auto& rendered : site.pages()) {
    if (rendered.page.source_path == source_path) return &rendered;
  }
  return nullptr;
}

Status CheckChangeType(const std::string& type) {
  if (type == "major" || type == "minor" || type == "correction") return Status::Ok();
  return Status::Error("--change must be major, minor or correction, not '" + type + "'");
}

// Stores the checked page `stored_path` of `site` as a revision (see PublishFile), timing it
// into `timer`.
Result<PublishResult> StoreRevision(Store* store, const Site& site, const PublishRequest& request,
                                    StepTimer* timer) {
  const RenderedPage* rendered = FindBySource(site, request.stored_path);
  if (!rendered) return Status::Error(request.stored_path + ": not a page of the site");
  auto row = PageToRow(site, *rendered);
  if (!row.ok()) return row.status();
  // A scheduled page's revision is dated when readers get it, so that partners asking for
  // changes since their last look (updated_since) find it once it is there.
  const DateTime at = std::max(request.now, rendered->page.date);
  row->updated = at.ToRfc3339();
  row->updated_unix = at.unix_seconds;
  row->change_type = request.change_type;
  row->people = request.people;
  PublishResult result;
  result.page = row->section + "/" + row->slug + "/" + row->lang;
  PageRepository pages(store);
  auto before = pages.Get(row->section, row->slug, row->lang);
  // A tombstone published again with its old text is restored: a change like any other.
  result.changed = !before.ok() || !before->has_value() ||
                   (*before)->content_hash != row->content_hash ||
                   (*before)->status != "published";
  if (Status s = store->Begin(); !s.ok()) return s;
  Status s = result.changed ? pages.NoteLanguageChange(row->section, row->slug, row->lang,
                                                      !row->draft, row->updated, row->updated_unix)
                            : Status::Ok();
  if (s.ok() && result.changed) s = pages.Upsert(*row);
  timer->Mark("store");
  result.steps = timer->ToString();
  if (s.ok() && result.changed) {
    s = pages.LogPublish("publish", result.page + " (" + request.change_type + ")", result.steps);
  }
  if (s.ok() && result.changed && !request.audit_actor.empty()) {
    s = AuditLog(store).Record(request.audit_actor, "page.publish", result.page,
                               request.change_type + ", without the two-person review");
  }
  if (s.ok() && request.with_revision) s = request.with_revision(store);
  if (s.ok()) s = store->Commit();
  if (!s.ok()) {
    store->Rollback();
    return s;
  }
  return result;
}

// The withdrawal of `request`'s page in `lang`: with the reason in that language, else the
// default language's (readers are told which). An error when neither was given, or when a
// reason is in a language the site does not have.
Result<Withdrawal> WithdrawalIn(const UnpublishRequest& request, const std::string& lang,
                                const SiteConfig& config) {
  for (const auto& [code, text] : request.reasons) {
    if (!config.FindLanguage(code)) {
      return Status::Error("reason in '" + code + "': not a language of site/config.yaml");
    }
  }
  Withdrawal out{request.now.ToRfc3339(), request.now.unix_seconds, "", request.gone, request.by,
                 ""};
  auto own = request.reasons.find(lang);
  if (own != request.reasons.end() && !own->second.empty()) {
    out.reason = own->second;
  } else if (lang == config.default_language && !request.reason.empty()) {
    out.reason = request.reason;
  } else {
    auto fallback = request.reasons.find(config.default_language);
    out.reason = !request.reason.empty() ? request.reason
                 : fallback != request.reasons.end() ? fallback->second
                                                     : std::string();
    out.reason_lang = config.default_language;
  }
  if (out.reason.empty()) {
    return Status::Error("no reason for '" + lang + "': give it in '" + lang + "' or in '" +
                         config.default_language + "' (shown where a language has none)");
  }
  return out;
}

}  // namespace

Result<PublishRequest> ReadPublishRequest(const std::string& file) {
  PublishRequest request;
  request.file = file;
  auto stored_path = StoredPath(file);
  if (!stored_path.ok()) return stored_path.status();
  request.stored_path = std::move(stored_path).value();
  auto text = DiskFileSystem().ReadFile(file);
  if (!text.ok()) return text.status();
  request.text = std::move(text).value();
  return request;
}

Result<PublishResult> PublishFile(Store* store, const std::string& source_dir,
                                  const PublishRequest& request, Diagnostics* diagnostics) {
  if (Status s = CheckChangeType(request.change_type); !s.ok()) return s;
  StepTimer timer;
  auto stored = ReadStoredFiles(store, source_dir);
  if (!stored.ok()) return stored.status();
  const std::string full_path = JoinPath(source_dir, request.stored_path);
  auto previous = stored->content->ReadFile(full_path);
  auto announced = AnnouncedText(request.text, request, previous.ok() ? *previous : "");
  if (!announced.ok()) return announced.status();
  timer.Mark("read");
  stored->content->Put(full_path, std::move(announced).value());
  PageCache cache = request.out_dir.empty() ? PageCache() : PageCache::Load(request.out_dir);
  auto site = Site::Load(stored->files, source_dir, diagnostics, nullptr, &cache);
  if (!site) return Status::Error("the change was not published; the site is as it was");
  timer.Mark("check");
  return StoreRevision(store, *site, request, &timer);
}

Result<PublishResult> PublishToSite(Store* store, StoredContent* content, Site* site,
                                    const std::string& source_dir, const PublishRequest& request,
                                    Diagnostics* diagnostics, std::set<std::string>* changed_keys) {
  if (Status s = CheckChangeType(request.change_type); !s.ok()) return s;
  StepTimer timer;
  const std::string full_path = JoinPath(source_dir, request.stored_path);
  auto previous = content->ReadFile(full_path);
  auto announced = AnnouncedText(request.text, request, previous.ok() ? *previous : "");
  if (!announced.ok()) return announced.status();
  timer.Mark("read");
  content->Put(full_path, std::move(announced).value());
  std::set<std::string> keys;
  if (!site->Reload({request.stored_path}, diagnostics, &keys)) {
    content->Refresh();  // Reload left the site as it was
    return Status::Error("the change was not published; the site is as it was");
  }
  timer.Mark("check");
  auto result = StoreRevision(store, *site, request, &timer);
  if (!result.ok()) {  // back to the stored text, and the site as it was
    content->Refresh();
    Diagnostics ignored;
    site->Reload({request.stored_path}, &ignored, &keys);
    return result;
  }
  if (result->changed) changed_keys->insert(keys.begin(), keys.end());
  return result;
}

Status CommandLinePublishingAllowed(const std::string& source_dir) {
  Diagnostics diagnostics;
  const std::string path = JoinPath(source_dir, "site/config.yaml");
  auto config = LoadSiteConfig(DiskFileSystem(), path, &diagnostics);
  if (!config.ok()) return Status::Error(diagnostics.ToString() + config.status().message());
  if (config->command_line_publishing) return Status::Ok();
  return Status::Error(path + ": command_line_publishing: refused — this site publishes only "
                       "through the editorial workflow (an editor writes, a publisher approves)");
}

std::string SystemActor(const std::string& user) { return "system user " + user; }

RevisionPeople OutsideReview(const std::string& actor) { return {actor, "", actor}; }

ControlMessage PublishRequestMessage(const PublishRequest& request) {
  return {{"op", "publish"},          {"file", request.file},
          {"path", request.stored_path}, {"text", request.text},
          {"change", request.change_type}, {"note", request.note}};
}

Result<PublishRequest> PublishRequestFrom(const ControlMessage& message, const ControlPeer& peer) {
  PublishRequest request;
  for (const char* field : {"file", "path", "text", "change", "note"}) {
    if (!message.count(field)) return Status::Error(std::string("publish request without ") + field);
  }
  request.file = message.at("file");
  request.stored_path = message.at("path");
  request.text = message.at("text");
  request.change_type = message.at("change");
  request.note = message.at("note");
  request.audit_actor = SystemActor(peer.user);
  request.people = OutsideReview(request.audit_actor);
  // The path names a file of content/, as StoredPath makes it, nothing else.
  const std::string& path = request.stored_path;
  if (path.rfind("content/", 0) != 0 || path.find("..") != std::string::npos ||
      std::count(path.begin(), path.end(), '/') > 2) {
    return Status::Error("publish request for a path outside content/: " + path);
  }
  return request;
}

ControlMessage PublishAnswer(const Result<PublishResult>& result, const Diagnostics& diagnostics) {
  if (!result.ok()) {
    return {{"status", "refused"},
            {"message", diagnostics.ToString() + result.status().message()}};
  }
  return {{"status", "ok"},
          {"page", result->page},
          {"changed", result->changed ? "1" : "0"},
          {"steps", result->steps}};
}

Result<std::optional<PublishResult>> PublishThroughServe(const std::string& socket_path,
                                                         const PublishRequest& request) {
  auto answer = CallControl(socket_path, PublishRequestMessage(request));
  if (!answer.ok()) return answer.status();
  if (!answer->has_value()) return std::optional<PublishResult>();
  ControlMessage fields = std::move(answer).value().value();
  if (fields["status"] != "ok") return Status::Error(fields["message"]);
  PublishResult result;
  result.page = fields["page"];
  result.changed = fields["changed"] == "1";
  result.steps = fields["steps"];
  return std::optional<PublishResult>(std::move(result));
}

Result<std::vector<std::string>> UnpublishPage(Store* store, const std::string& source_dir,
                                               const UnpublishRequest& request,
                                               Diagnostics* diagnostics) {
  if (request.reason.empty() && request.reasons.empty()) {
    return Status::Error("--reason is required: the notice, the feeds and partners say why");
  }
  PageRepository pages(store);
  auto languages = pages.Translations(request.section, request.slug);
  if (!languages.ok()) return languages.status();
  std::vector<std::string> withdrawn;
  for (const auto& lang : *languages) {
    if (request.lang.empty() || lang == request.lang) withdrawn.push_back(lang);
  }
  const std::string id = request.section + "/" + request.slug;
  if (withdrawn.empty()) {
    return Status::Error("no published page " + id + (request.lang.empty() ? "" : " in '" + request.lang + "'"));
  }
  auto stored = ReadStoredFiles(store, source_dir);
  if (!stored.ok()) return stored.status();
  for (const auto& lang : withdrawn) {
    auto row = pages.Get(request.section, request.slug, lang);
    if (!row.ok()) return row.status();
    if (row->has_value()) stored->content->Remove(JoinPath(source_dir, (*row)->source_path));
  }
  auto site = Site::Load(stored->files, source_dir, diagnostics);
  if (!site) return Status::Error("the page was not withdrawn; the site is as it was");
  std::vector<Withdrawal> withdrawals;
  for (const auto& lang : withdrawn) {
    auto withdrawal = WithdrawalIn(request, lang, site->config());
    if (!withdrawal.ok()) return withdrawal.status();
    withdrawals.push_back(std::move(withdrawal).value());
  }
  if (Status s = store->Begin(); !s.ok()) return s;
  Status s;
  std::vector<std::string> ids;
  for (size_t i = 0; i < withdrawn.size(); ++i) {
    if (s.ok()) s = pages.Withdraw(request.section, request.slug, withdrawn[i], withdrawals[i]);
    ids.push_back(id + "/" + withdrawn[i]);
  }
  if (s.ok()) s = pages.LogPublish("unpublish", id + (request.gone ? " (gone)" : " (withdrawn)"), "");
  if (s.ok() && !request.audit_actor.empty()) {
    s = AuditLog(store).Record(request.audit_actor, "page.unpublish", id,
                               (request.gone ? "gone: " : "withdrawn: ") + request.reason);
  }
  if (s.ok()) s = store->Commit();
  if (!s.ok()) {
    store->Rollback();
    return s;
  }
  return ids;
}

}  // namespace clemency
