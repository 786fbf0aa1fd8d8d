// The jobs of feeds: per language and per section, Atom, RSS and JSON Feed of the newest pages
// and of withdrawals.
#include <algorithm>
#include <string>
#include <vector>

#include "core/site_paths.h"
#include "core/text.h"
#include "feeds/feeds.h"
#include "render/output.h"
#include "render/planner.h"

namespace clemency {
namespace {

// The home page with news: an announced change (a later `updated` and a change note). The
// language's feed lists it as an entry of its own for each such change.
bool IsHomeNews(const Page& p) {
  return p.section.empty() && p.slug.empty() && !p.change_note.empty() && p.updated > p.date;
}

}  // namespace

void Site::Planner::CollectFeedPages() {
  for (size_t i = 0; i < site_.pages_.size(); ++i) {
    const RenderedPage& rendered = site_.pages_[i];
    const Page& p = rendered.page;
    if (!rendered.live) continue;
    if (!p.IsIndex()) {
      if (!p.section.empty()) feed_pages_[{p.lang, p.section}].emplace_back(&rendered, i);
      feed_pages_[{p.lang, ""}].emplace_back(&rendered, i);
    } else if (IsHomeNews(p)) {
      feed_pages_[{p.lang, ""}].emplace_back(&rendered, i);
    }
  }
}

Job Site::Planner::FeedJob(const ViewBuilder& builder, const std::string& section_name) const {
  // The language's newest live translations, or one section's.
  const std::string lang = builder.language().code;
  static const std::vector<std::pair<const RenderedPage*, size_t>> kNone;
  auto listed = feed_pages_.find({lang, section_name});
  const auto& found = listed == feed_pages_.end() ? kNone : listed->second;
  // Newest first, ties in page order.
  const size_t limit = std::min(found.size(), static_cast<size_t>(site_.config_.feed_limit));
  std::vector<std::pair<const RenderedPage*, size_t>> newest(limit);
  std::partial_sort_copy(found.begin(), found.end(), newest.begin(), newest.end(),
                         [](const auto& a, const auto& b) {
                           if (a.first->page.updated != b.first->page.updated)
                             return a.first->page.updated > b.first->page.updated;
                           return a.second < b.second;
                         });
  std::vector<const RenderedPage*> entries;
  for (const auto& [page, index] : newest) entries.push_back(page);
  std::vector<const Tombstone*> withdrawals = Withdrawals(lang, section_name);
  std::string key = nav_keys_.at(lang) + "|feed|" + section_name;
  for (const RenderedPage* r : entries) {
    key += "|" + r->source_hash + "|" + AnnouncedChangeType(*r);
  }
  for (const Tombstone* t : withdrawals) {
    key += "|w " + t->title + t->reason + t->reason_lang + t->at.ToRfc3339();
  }
  if (entries.empty()) key += "|" + std::to_string(NewestLiveUpdate().unix_seconds);
  return {{paths::OutputFile(paths::Feed(lang, section_name, "atom")),
           paths::OutputFile(paths::Feed(lang, section_name, "rss")),
           paths::OutputFile(paths::Feed(lang, section_name, "json"))},
          HashHex(key),
          "",
          [this, &builder, section_name, entries, withdrawals]() {
            return WriteFeed(builder, section_name, entries, withdrawals);
          }};
}

DateTime Site::Planner::NewestLiveUpdate() const {
  // Not a scheduled page's: a feed must not tell of a change readers cannot see yet.
  DateTime newest;
  for (const auto& rendered : site_.pages_) {
    if (rendered.live) newest = std::max(newest, rendered.page.updated);
  }
  return newest;
}

std::vector<const Tombstone*> Site::Planner::Withdrawals(const std::string& lang,
                                                         const std::string& section_name) const {
  std::vector<const Tombstone*> out;
  for (const Tombstone& t : site_.tombstones_) {
    if (t.lang == lang && (section_name.empty() || t.section == section_name)) out.push_back(&t);
  }
  return out;
}

Status Site::Planner::WriteFeed(const ViewBuilder& builder, const std::string& section_name,
                                const std::vector<const RenderedPage*>& entries,
                                const std::vector<const Tombstone*>& withdrawals) const {
  const std::string lang = builder.language().code;
  FeedInfo info = FeedHeader(builder, section_name, entries);
  std::vector<FeedEntry> feed_entries;
  for (const RenderedPage* r : entries) {
    auto entry = PageEntry(builder, *r);
    if (!entry.ok()) return entry.status();
    feed_entries.push_back(std::move(entry).value());
  }
  for (const Tombstone* t : withdrawals) {
    feed_entries.push_back(WithdrawalEntry(builder, *t));
    info.updated = std::max(info.updated, t->at);
  }
  std::stable_sort(feed_entries.begin(), feed_entries.end(),
                   [](const FeedEntry& a, const FeedEntry& b) { return a.updated > b.updated; });
  const size_t limit = static_cast<size_t>(site_.config_.feed_limit);
  if (feed_entries.size() > limit) feed_entries.resize(limit);
  using Render = std::string (*)(const FeedInfo&, const std::vector<FeedEntry>&);
  const std::pair<const char*, Render> formats[] = {
      {"atom", RenderAtom}, {"rss", RenderRss}, {"json", RenderJsonFeed}};
  Status s;
  for (const auto& [format, render] : formats) {
    const std::string path = paths::Feed(lang, section_name, format);
    info.feed_url = builder.Absolute(path);
    if (s.ok()) s = writer_->Write(paths::OutputFile(path), render(info, feed_entries));
  }
  return s;
}

FeedInfo Site::Planner::FeedHeader(const ViewBuilder& builder, const std::string& section_name,
                                   const std::vector<const RenderedPage*>& entries) const {
  const std::string lang = builder.language().code;
  const std::string base = paths::Section(lang, section_name);
  FeedInfo info;
  const RenderedPage* index = site_.Find(section_name, lang);
  info.title = builder.language().title +
               (section_name.empty()
                    ? ""
                    : " – " + (index ? index->page.title : builder.T("section_" + section_name)));
  info.subtitle = builder.T("site_description");
  info.lang = lang;
  info.author = builder.language().title;
  info.home_url = builder.Absolute(base);
  info.id = builder.Absolute(base);
  info.base_url = site_.config_.base_url;
  info.hub_url = site_.config_.WebSubHubUrl();
  info.updated = entries.empty() ? DateTime{} : entries.front()->page.updated;
  if (entries.empty()) info.updated = NewestLiveUpdate();
  const SiteConfig& config = site_.config_;
  if (!config.licence.empty()) {
    info.licence = {config.licence.name, config.licence.spdx, config.licence.url,
                    config.Attribution(lang), config.RightsLine(lang)};
  }
  return info;
}

std::string Site::Planner::RetoldReportRights(const Page& p, const std::string& lang) const {
  if (site_.config_.licence.empty() || !p.IsRetoldReport()) return "";
  const StorySource& source = *p.story_source;
  std::string cited = source.title;
  if (!source.publisher.empty()) cited += ", " + source.publisher;
  if (!source.url.empty()) cited += ", " + source.url;
  return site_.config_.RetellingNote(lang) + " (" + cited + ")";
}

std::string Site::Planner::AnnouncedChangeType(const RenderedPage& rendered) const {
  const Site::History* history = site_.FindHistory(rendered.key, rendered.page.lang);
  if (history) {
    for (const PageRevision& revision : history->revisions) {
      if (revision.change_type == "major" || revision.change_type == "correction")
        return revision.change_type;
    }
  }
  return "major";  // a page from files alone: its first publication, or a change announced in it
}

Result<FeedEntry> Site::Planner::PageEntry(const ViewBuilder& builder,
                                           const RenderedPage& rendered) const {
  const std::string lang = builder.language().code;
  const Page& p = rendered.page;
  FeedEntry entry;
  // Each piece of the home page's news is an entry of its own, named by when it was announced.
  entry.id = TagUri(site_.config_.base_url, IsHomeNews(p) ? p.updated : p.date, p.PathIn(lang));
  entry.url = builder.Absolute(p.PathIn(lang));
  entry.title = p.title;
  entry.summary = p.summary;
  auto html = site_.FeedHtml(rendered);
  if (!html.ok()) return html.status();
  entry.content_html = **html;
  entry.change_note = p.change_note;
  entry.change_type = AnnouncedChangeType(rendered);
  entry.lang = lang;
  entry.tags = p.tags;
  entry.published = p.date;
  entry.updated = p.updated;
  entry.rights = RetoldReportRights(p, lang);
  return entry;
}

FeedEntry Site::Planner::WithdrawalEntry(const ViewBuilder& builder,
                                         const Tombstone& tombstone) const {
  const std::string lang = builder.language().code;
  FeedEntry entry;
  const std::string path = paths::Page(lang, tombstone.section, tombstone.slug);
  entry.id = TagUri(site_.config_.base_url, tombstone.published, path);
  entry.url = builder.Absolute(path);
  entry.title = builder.T("withdrawn_feed_title", {{"title", tombstone.title}});
  entry.summary = builder.T("withdrawn_notice", {{"title", tombstone.title},
                                                 {"date", tombstone.at},
                                                 {"reason", ShownReason(builder, tombstone)}});
  entry.content_html = "<p>" + EscapeHtml(entry.summary) + "</p>";
  entry.change_type = tombstone.gone ? "gone" : "withdrawn";
  entry.withdrawn_reason = tombstone.reason;
  entry.withdrawn_reason_lang = tombstone.reason_lang.empty() ? lang : tombstone.reason_lang;
  entry.lang = lang;
  entry.published = tombstone.published;
  entry.updated = tombstone.at;
  return entry;
}

}  // namespace clemency
