// What editors read: the dashboard, a page file's history, diffs, checks and previews; and
// restoring an old text as a new edit.
#include <algorithm>
#include <map>

#include "content/page_file.h"
#include "editorial/edit_rules.h"
#include "editorial/review.h"
#include "editorial/workflow.h"

namespace clemency {
namespace {

int64_t UnixOf(const std::string& rfc3339) {
  auto parsed = ParseDateTime(rfc3339, 0);
  return parsed ? parsed->unix_seconds : 0;
}

}  // namespace

Outcome<EditRow> Workflow::Current(int64_t id, const std::string& if_match) {
  bool stale = false;
  auto edit = Load(id, if_match, &stale);
  if (!edit.ok() || !stale) return edit;
  int64_t version = VersionInETag(if_match, id);
  auto mine = EditRepository(store_.get()).Version(id, version);
  std::string text = mine.ok() && mine->has_value() ? (*mine)->source_text : "";
  return Stale(edit.value(), version, text);
}

bool Workflow::NeedsLegalReview(const EditRow& edit) const {
  auto file = ParseContentPath(edit.source_path, options_.languages);
  return file && edit.change_type == "major" && options_.section_kind &&
         options_.section_kind(file->section) == "guide";
}

std::string Workflow::PublishedHash(const std::string& path) {
  auto file = ParseContentPath(path, options_.languages);
  if (!file) return "";
  auto row = PageRepository(store_.get()).Get(file->section, file->slug, file->lang);
  if (!row.ok() || !row->has_value() || (*row)->status != "published") return "";
  return (*row)->content_hash;
}

std::optional<std::string> Workflow::LiveText(const std::string& path) {
  auto text = PageRepository(store_.get()).SourceText(path);
  if (!text.ok()) return std::nullopt;
  return std::move(text).value();
}

Outcome<std::string> Workflow::PublishedText(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::optional<std::string> text = LiveText(path);
  if (!text) return Refuse(404, "nothing is published at " + path, "not_published");
  return std::move(*text);
}

std::string Workflow::SavedBy(int64_t id, int64_t version) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto row = EditRepository(store_.get()).Version(id, version);
  return row.ok() && row->has_value() ? (*row)->saved_by : "";
}

std::vector<std::string> Workflow::Writers(int64_t id) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto writers = EditRepository(store_.get()).Writers(id);
  return writers.ok() ? writers.value() : std::vector<std::string>{};
}

std::vector<std::string> Workflow::ContentWriters(int64_t id) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto edit = Get(id);
  auto versions = EditRepository(store_.get()).Versions(id);
  if (!edit.ok() || !versions.ok()) return {};
  std::vector<std::string> out{edit->author};
  for (const EditVersionRow& v : *versions) {
    if (v.saved_by.empty() || std::find(out.begin(), out.end(), v.saved_by) != out.end()) continue;
    auto merged = AuditLog(store_.get())
                      .Has(v.saved_by, "edit.merge", Subject(edit.value()), MergeDetail(v.version));
    if (!merged.ok() || !*merged) out.push_back(v.saved_by);
  }
  return out;
}

std::vector<RecentSave> Workflow::RecentSaves(int64_t id, const std::string& except,
                                              int64_t within_seconds) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto versions = EditRepository(store_.get()).Versions(id);
  if (!versions.ok()) return {};
  const int64_t now = options_.now().unix_seconds;
  std::vector<RecentSave> out;
  for (auto it = versions->rbegin(); it != versions->rend(); ++it) {  // newest first
    if (it->saved_by.empty() || it->saved_by == except) continue;
    auto at = ParseDateTime(it->saved_at, 0);
    if (!at || now - at->unix_seconds > within_seconds) continue;
    bool seen = std::any_of(out.begin(), out.end(),
                            [&](const RecentSave& s) { return s.by == it->saved_by; });
    if (!seen) out.push_back({it->saved_by, it->saved_at});
  }
  return out;
}

std::optional<std::string> Workflow::TextWithHash(const std::string& path, const std::string& hash) {
  if (hash.empty()) return std::string();  // a new page started from nothing
  auto revisions = EditRepository(store_.get()).Revisions(path);
  if (!revisions.ok()) return std::nullopt;
  for (const auto& revision : *revisions) {
    if (revision.content_hash == hash) return revision.source_text;
  }
  return std::nullopt;
}

Outcome<std::vector<HistoryItem>> Workflow::History(const std::string& path) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  EditRepository edits(store_.get());
  auto revisions = edits.Revisions(path);
  if (!revisions.ok()) return StoreFailure(revisions.status());
  std::vector<HistoryItem> items;
  for (const auto& r : *revisions) {
    items.push_back({"r" + std::to_string(r.id), "published", r.recorded, r.people.publisher,
                     r.change_type, r.change_note, r.people});
  }
  auto all = edits.List({});
  if (!all.ok()) return StoreFailure(all.status());
  for (const auto& edit : *all) {
    if (edit.source_path != path) continue;
    auto versions = edits.Versions(edit.id);
    if (!versions.ok()) return StoreFailure(versions.status());
    for (const auto& v : *versions) {
      std::string ref = "e" + std::to_string(edit.id) + "." + std::to_string(v.version);
      items.push_back({ref, "edit (" + edit.state + ")", v.saved_at, v.saved_by, edit.change_type,
                       edit.note, {}});
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const HistoryItem& a, const HistoryItem& b) {
    return UnixOf(a.at) > UnixOf(b.at);
  });
  return items;
}

Outcome<std::string> Workflow::TextOf(const std::string& ref) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  EditRepository edits(store_.get());
  long long id = 0, version = 0;
  char tail = 0;
  if (std::sscanf(ref.c_str(), "r%lld%c", &id, &tail) == 1) {
    auto revision = edits.Revision(id);
    if (!revision.ok()) return StoreFailure(revision.status());
    if (revision->has_value()) return (*revision)->source_text;
  } else if (std::sscanf(ref.c_str(), "e%lld.%lld%c", &id, &version, &tail) == 2) {
    auto saved = edits.Version(id, version);
    if (!saved.ok()) return StoreFailure(saved.status());
    if (saved->has_value() && (*saved)->version == version) return (*saved)->source_text;
  }
  return Refuse(404, "no revision or edit version '" + ref + "'", "not_in_history");
}

Outcome<std::string> Workflow::Diff(const std::string& from_ref, const std::string& to_ref) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto from = TextOf(from_ref);
  if (!from.ok()) return from;
  auto to = TextOf(to_ref);
  if (!to.ok()) return to;
  return WordDiffHtml(from.value(), to.value(), options_.default_language);
}

Outcome<EditRow> Workflow::Restore(const Actor& actor, const std::string& path,
                                   const std::string& ref) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto history = History(path);
  if (!history.ok()) return history.refusal();
  bool of_path = std::any_of(history->begin(), history->end(),
                             [&](const HistoryItem& item) { return item.ref == ref; });
  if (!of_path) return Refuse(404, "'" + ref + "' is not in the history of " + path, "not_in_history");
  auto text = TextOf(ref);
  if (!text.ok()) return text.refusal();
  auto restored = Create(actor, path, text.value());
  if (restored.ok()) Audit(actor.name, "edit.restore", path, "from " + ref);
  return restored;
}

Outcome<Diagnostics> Workflow::Check(int64_t id) {
  auto edit = Get(id);  // under the workflow's lock; the check itself needs none (LiveSite::Check)
  if (!edit.ok()) return edit.refusal();
  Diagnostics diagnostics;
  Status s = port_->Check(edit->source_path, edit->source_text, &diagnostics);
  if (!s.ok() && diagnostics.empty())
    diagnostics.Add(edit->source_path, 0, "", PlainProblem(s.message()));
  return diagnostics;
}

Outcome<std::string> Workflow::Preview(const std::string& path, const std::string& text,
                                       Diagnostics* diagnostics) {
  // No lock: the site previews on a site of its own, so a publish in progress does not wait.
  if (!ParseContentPath(path, options_.languages)) {
    return Refuse(400, "path: not a page file: " + path, "not_page", {{"path", path}});
  }
  auto html = port_->Preview(path, text, diagnostics);
  if (!html.ok()) {
    Refusal refusal = Refuse(422, html.status().message(), "checks");
    refusal.diagnostics = *diagnostics;
    return refusal;
  }
  return std::move(html).value();
}

TranslationFlag Workflow::Outdated(const TranslationState& source,
                                   const TranslationState& translation) {
  TranslationFlag flag{source.section + "/" + source.slug, translation.lang,
                       translation.source_path, source.source_path, false,
                       translation.translated_from, source.updated, ""};
  // The source as the translator read it: its newest revision at or before translated_from.
  int64_t from = UnixOf(translation.translated_from);
  auto revisions = EditRepository(store_.get()).Revisions(source.source_path);
  auto live = LiveText(source.source_path);
  if (!revisions.ok() || !live) return flag;
  for (const auto& revision : *revisions) {  // newest first
    if (revision.change_type != "withdrawal" && UnixOf(revision.updated) <= from) {
      flag.diff_html = WordDiffHtml(std::string(MarkdownBody(revision.source_text)),
                                    std::string(MarkdownBody(*live)),
                                    options_.default_language);
      break;
    }
  }
  return flag;
}

Outcome<std::vector<TranslationState>> Workflow::Pages() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  auto pages = EditRepository(store_.get()).Translations(true);
  if (!pages.ok()) return StoreFailure(pages.status());
  return std::move(pages).value();
}

Outcome<Dashboard> Workflow::GetDashboard() {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  EditRepository edits(store_.get());
  auto open = edits.List(OpenEditStates());
  if (!open.ok()) return StoreFailure(open.status());
  Dashboard dashboard;
  for (auto& edit : *open) {
    auto& list = edit.state == "draft"       ? dashboard.drafts
                 : edit.state == "submitted" ? dashboard.in_review
                 : edit.state == "approved"  ? dashboard.approved
                                             : dashboard.scheduled;
    list.push_back(std::move(edit));
  }
  // List pages too: the home page's news is translated like any page.
  auto states = edits.Translations(true);
  if (!states.ok()) return StoreFailure(states.status());
  std::map<std::string, std::map<std::string, const TranslationState*>> by_key;
  for (const auto& state : *states) by_key[state.section + "/" + state.slug][state.lang] = &state;
  for (const auto& [key, langs] : by_key) {
    auto source = langs.find(options_.default_language);
    if (source == langs.end()) continue;
    for (const auto& lang : options_.languages) {
      if (lang == options_.default_language) continue;
      auto found = langs.find(lang);
      if (found == langs.end()) {
        ContentPath file{source->second->section, source->second->slug, lang};
        dashboard.translations.push_back({key, lang, "", source->second->source_path, true, "",
                                          source->second->updated, ""});
        dashboard.translations.back().path = ContentPathOf(file);
      } else if (UnixOf(found->second->translated_from) < UnixOf(source->second->updated)) {
        dashboard.translations.push_back(Outdated(*source->second, *found->second));
      }
    }
  }
  return dashboard;
}

}  // namespace clemency
