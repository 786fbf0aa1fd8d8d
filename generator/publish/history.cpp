#include "publish/history.h"

#include <map>
#include <optional>

#include "content/front_matter.h"
#include "markdown/markdown.h"
#include "textdiff/textdiff.h"

namespace clemency {
namespace {

// The body text of revisions as readers saw it (the Markdown rendered to plain text, so the
// diff shows words, not markup), read from the store once each.
class RevisionBodies {
 public:
  explicit RevisionBodies(Store* store) : pages_(store) {}
  Result<std::string> Get(int64_t revision_id) {
    auto it = bodies_.find(revision_id);
    if (it != bodies_.end()) return it->second;
    auto text = pages_.RevisionText(revision_id);
    if (!text.ok()) return text.status();
    std::string plain = RenderMarkdown(MarkdownBody(*text), MarkdownOptions()).plain_text;
    return bodies_.emplace(revision_id, std::move(plain)).first->second;
  }
  // Forgets the bodies read so far (one page's revisions are compared only with each other).
  void Clear() { bodies_.clear(); }

 private:
  PageRepository pages_;
  std::map<int64_t, std::string> bodies_;
};

std::string LocaleOf(const SiteConfig& config, const std::string& lang) {
  for (const LanguageConfig& language : config.languages) {
    if (language.code == lang) return language.locale;
  }
  return lang;
}

// One page's rows (newest first) as the site shows them.
Result<std::vector<PageRevision>> PageHistory(const std::vector<const AnnouncedRevision*>& rows,
                                              const SiteConfig& config, RevisionBodies* bodies) {
  std::vector<PageRevision> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const AnnouncedRevision& row = *rows[i];
    PageRevision revision;
    revision.at = ParseDateTime(row.updated, config.utc_offset_minutes).value_or(DateTime{});
    revision.change_type = row.change_type;
    revision.note = row.change_note;
    revision.skipped_review = row.people.SkippedReview();
    if (row.change_type == "major" && i + 1 < rows.size()) {
      auto after = bodies->Get(row.id);
      if (!after.ok()) return after.status();
      auto before = bodies->Get(rows[i + 1]->id);
      if (!before.ok()) return before.status();
      revision.diff = WordDiff(*before, *after, LocaleOf(config, row.lang));
    }
    out.push_back(std::move(revision));
  }
  return out;
}

// The rows of `keys`' pages (all pages' when null), by page, each page's newest first.
Result<std::vector<AnnouncedRevision>> ReadRows(PageRepository* pages,
                                                const std::set<std::string>* keys) {
  if (!keys) return pages->AnnouncedRevisions(std::nullopt);
  std::vector<AnnouncedRevision> rows;
  for (const std::string& key : *keys) {
    const size_t slash = key.find('/');
    if (slash == std::string::npos) continue;  // the home page or a section's: no history page
    auto page =
        pages->AnnouncedRevisions(std::make_pair(key.substr(0, slash), key.substr(slash + 1)));
    if (!page.ok()) return page.status();
    rows.insert(rows.end(), page->begin(), page->end());
  }
  return rows;
}

}  // namespace

Status AddHistories(Store* store, Site* site, const std::set<std::string>* keys) {
  PageRepository pages(store);
  auto rows = ReadRows(&pages, keys);
  if (!rows.ok()) return rows.status();
  RevisionBodies bodies(store);
  std::set<std::pair<std::string, std::string>> found;  // (key, lang)
  for (size_t first = 0; first < rows->size();) {
    const AnnouncedRevision& head = (*rows)[first];
    std::vector<const AnnouncedRevision*> page;
    size_t next = first;
    for (; next < rows->size() && (*rows)[next].section == head.section &&
           (*rows)[next].slug == head.slug && (*rows)[next].lang == head.lang;
         ++next) {
      page.push_back(&(*rows)[next]);
    }
    first = next;
    if (head.slug.empty()) continue;  // an index page: no history page
    auto history = PageHistory(page, site->config(), &bodies);
    if (!history.ok()) return history.status();
    bodies.Clear();
    const std::string key = head.section + "/" + head.slug;
    site->SetHistory(key, head.lang, std::move(history).value());
    found.emplace(key, head.lang);
  }
  for (const std::string& key : keys ? *keys : std::set<std::string>()) {
    for (const LanguageConfig& language : site->config().languages) {
      if (!found.count({key, language.code})) site->SetHistory(key, language.code, std::nullopt);
    }
  }
  return Status::Ok();
}

}  // namespace clemency
