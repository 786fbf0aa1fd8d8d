#include "publish/history.h"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>

#include "config/yaml_tree.h"
#include "content/page_file.h"
#include "core/fs.h"
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

// Whether the public history needs the body of the `i`th of `rows` (newest first): a major
// change is compared with the announced revision before it.
bool NeedsBody(const std::vector<const AnnouncedRevision*>& rows, size_t i) {
  return (rows[i]->change_type == "major" && i + 1 < rows.size()) ||
         (i > 0 && rows[i - 1]->change_type == "major");
}

// One page's rows (newest first) as the site shows them; `body(i)` is the body text of the
// `i`th (asked for only where NeedsBody).
Result<std::vector<PageRevision>> PageHistory(
    const std::vector<const AnnouncedRevision*>& rows, const SiteConfig& config,
    const std::function<Result<std::string>(size_t)>& body) {
  std::vector<PageRevision> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    const AnnouncedRevision& row = *rows[i];
    PageRevision revision;
    revision.at = ParseDateTime(row.updated, config.utc_offset_minutes).value_or(DateTime{});
    revision.change_type = row.change_type;
    revision.note = row.change_note;
    revision.skipped_review = row.people.SkippedReview();
    if (row.change_type == "major" && i + 1 < rows.size()) {
      auto after = body(i);
      if (!after.ok()) return after.status();
      auto before = body(i + 1);
      if (!before.ok()) return before.status();
      revision.diff = WordDiff(*before, *after, LocaleOf(config, row.lang));
    }
    out.push_back(std::move(revision));
  }
  return out;
}

// Calls `use(page)` for each page's rows of `rows` (by section, slug and language, each page's
// newest first), list pages left out.
Status ForEachPage(const std::vector<AnnouncedRevision>& rows,
                   const std::function<Status(const std::vector<const AnnouncedRevision*>&)>& use) {
  for (size_t first = 0; first < rows.size();) {
    const AnnouncedRevision& head = rows[first];
    std::vector<const AnnouncedRevision*> page;
    size_t next = first;
    for (; next < rows.size() && rows[next].section == head.section &&
           rows[next].slug == head.slug && rows[next].lang == head.lang;
         ++next) {
      page.push_back(&rows[next]);
    }
    first = next;
    if (head.slug.empty()) continue;  // an index page: no history page
    if (Status s = use(page); !s.ok()) return s;
  }
  return Status::Ok();
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

Result<std::vector<Tombstone>> StoreRecords::Tombstones(const SiteConfig& config, Diagnostics*) {
  return ReadTombstones(store_, config.utc_offset_minutes);
}

Result<RevisionsById> StoreRecords::Histories(const SiteConfig& config,
                                              const std::set<std::string>* keys, Diagnostics*) {
  PageRepository pages(store_);
  auto rows = ReadRows(&pages, keys);
  if (!rows.ok()) return rows.status();
  RevisionBodies bodies(store_);
  RevisionsById out;
  Status s = ForEachPage(*rows, [&](const std::vector<const AnnouncedRevision*>& page) {
    auto history = PageHistory(page, config, [&](size_t i) { return bodies.Get(page[i]->id); });
    if (!history.ok()) return history.status();
    bodies.Clear();
    out[page[0]->lang + "/" + page[0]->section + "/" + page[0]->slug] = std::move(history).value();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace clemency

namespace clemency {
namespace {

// `text` as a double-quoted YAML scalar on one line (line breaks and tabs escaped).
std::string YamlLine(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string HistoryFile(const std::string& dir, const AnnouncedRevision& row) {
  return JoinPath(dir, std::string(kHistoryFolder) + "/" + row.section + "/" + row.slug + "." +
                           row.lang + ".yaml");
}

}  // namespace

Status ExportWithdrawals(const std::vector<Tombstone>& tombstones, const std::string& to_dir) {
  if (tombstones.empty()) return Status::Ok();
  std::string text =
      "# The store's withdrawn pages, as `clemency export` wrote them: `clemency build` shows\n"
      "# their notices (or 410 markers) and feed entries.\n";
  for (const Tombstone& t : tombstones) {
    text += "- section: " + YamlLine(t.section) + "\n  slug: " + YamlLine(t.slug) +
            "\n  lang: " + YamlLine(t.lang) + "\n  title: " + YamlLine(t.title) +
            "\n  reason: " + YamlLine(t.reason) + "\n  reason_lang: " + YamlLine(t.reason_lang) +
            "\n  published: " + YamlLine(t.published.ToRfc3339()) +
            "\n  at: " + YamlLine(t.at.ToRfc3339()) + "\n  gone: " + (t.gone ? "true" : "false") +
            "\n";
  }
  std::error_code ec;
  std::filesystem::create_directories(JoinPath(to_dir, kHistoryFolder), ec);
  return WriteFileAtomically(JoinPath(to_dir, std::string(kHistoryFolder) + "/" + kWithdrawnFile),
                             text);
}

Result<std::vector<std::string>> ExportHistories(Store* store, const std::string& to_dir) {
  PageRepository pages(store);
  auto rows = pages.AnnouncedRevisions(std::nullopt);
  if (!rows.ok()) return rows.status();
  RevisionBodies bodies(store);
  std::vector<std::string> written;
  Status s = ForEachPage(*rows, [&](const std::vector<const AnnouncedRevision*>& page) {
    std::string text =
        "# The page's announced revisions, newest first, as `clemency export` wrote them from the\n"
        "# store: `clemency build` shows them on the page's history (body: the text a major\n"
        "# change is compared with, Markdown rendered to plain text).\n";
    for (size_t i = 0; i < page.size(); ++i) {
      const AnnouncedRevision& row = *page[i];
      text += "- updated: " + YamlLine(row.updated) + "\n  change_type: " +
              YamlLine(row.change_type) + "\n  note: " + YamlLine(row.change_note) + "\n";
      // Who published is not exported, but readers are told when nobody reviewed a change.
      if (row.people.SkippedReview()) text += "  review: skipped\n";
      if (NeedsBody(page, i)) {
        auto body = bodies.Get(row.id);
        if (!body.ok()) return body.status();
        text += "  body: " + YamlLine(*body) + "\n";
      }
    }
    bodies.Clear();
    const std::string path = HistoryFile(to_dir, *page[0]);
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (Status w = WriteFileAtomically(path, text); !w.ok()) return w;
    written.push_back(path);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return written;
}

namespace {

// The revisions of one history file (`display` names it in problems), or nullopt with them.
std::optional<std::vector<AnnouncedRevision>> ReadHistoryFile(
    const std::string& display, const std::string& text, std::vector<std::string>* bodies,
    Diagnostics* diagnostics) {
  YamlNode root;
  YamlError error;
  if (!ParseYaml(text, &root, &error)) {
    diagnostics->Add(display, error.line, "", PlainProblem(error.message));
    return std::nullopt;
  }
  if (!root.IsSequence()) {
    diagnostics->Add(display, root.line, "", PlainProblem("expected a list of revisions"));
    return std::nullopt;
  }
  std::vector<AnnouncedRevision> out;
  for (const YamlNode& item : root.items) {
    AnnouncedRevision row;
    std::string body;
    const std::pair<const char*, std::string*> fields[] = {{"updated", &row.updated},
                                                           {"change_type", &row.change_type},
                                                           {"note", &row.change_note},
                                                           {"body", &body}};
    for (const auto& [name, target] : fields) {
      const YamlNode* value = item.IsMap() ? item.Find(name) : nullptr;
      if (value && value->IsScalar()) {
        *target = value->scalar;
      } else if (std::string(name) != "body" || (value && !value->IsScalar())) {
        diagnostics->Add(display, item.line, name, PlainProblem("required text is missing"));
        return std::nullopt;
      }
    }
    if (const YamlNode* review = item.Find("review")) {
      if (!review->IsScalar() || review->scalar != "skipped") {
        diagnostics->Add(display, review->line, "review", PlainProblem("may only be 'skipped'"));
        return std::nullopt;
      }
      row.people.publisher = "(outside the review)";  // SkippedReview(): no approver
    }
    out.push_back(std::move(row));
    bodies->push_back(std::move(body));
  }
  return out;
}

// The withdrawn pages of `text` (ExportWithdrawals' file, `display`), or nullopt with problems.
std::optional<std::vector<Tombstone>> ReadWithdrawals(const std::string& display,
                                                     const std::string& text,
                                                     const SiteConfig& config,
                                                     Diagnostics* diagnostics) {
  YamlNode root;
  YamlError error;
  if (!ParseYaml(text, &root, &error) || !root.IsSequence()) {
    diagnostics->Add(
        display, error.line, "",
        PlainProblem(error.message.empty() ? "expected a list of withdrawn pages" : error.message));
    return std::nullopt;
  }
  std::vector<Tombstone> out;
  for (const YamlNode& item : root.items) {
    Tombstone t;
    std::string published, at, gone;
    const std::pair<const char*, std::string*> fields[] = {
        {"section", &t.section}, {"slug", &t.slug},     {"lang", &t.lang},
        {"title", &t.title},     {"reason", &t.reason}, {"reason_lang", &t.reason_lang},
        {"published", &published}, {"at", &at},         {"gone", &gone}};
    for (const auto& [name, target] : fields) {
      const YamlNode* value = item.IsMap() ? item.Find(name) : nullptr;
      if (!value || !value->IsScalar()) {
        diagnostics->Add(display, item.line, name, PlainProblem("required text is missing"));
        return std::nullopt;
      }
      *target = value->scalar;
    }
    t.published = ParseDateTime(published, config.utc_offset_minutes).value_or(DateTime{});
    t.at = ParseDateTime(at, config.utc_offset_minutes).value_or(DateTime{});
    t.gone = gone == "true";
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Result<std::vector<Tombstone>> HistoryFolder::Tombstones(const SiteConfig& config,
                                                        Diagnostics* diagnostics) {
  const std::string path = JoinPath(JoinPath(source_dir_, kHistoryFolder), kWithdrawnFile);
  if (!fs_.IsFile(path)) return std::vector<Tombstone>();
  auto text = fs_.ReadFile(path);
  if (!text.ok()) return text.status();
  return ReadWithdrawals(path, *text, config, diagnostics).value_or(std::vector<Tombstone>());
}

Result<RevisionsById> HistoryFolder::Histories(const SiteConfig& config,
                                               const std::set<std::string>* keys,
                                               Diagnostics* diagnostics) {
  RevisionsById out;
  const std::string dir = JoinPath(source_dir_, kHistoryFolder);
  if (!fs_.IsDirectory(dir)) return out;
  for (const std::string& relative : fs_.ListFiles(dir)) {  // <section>/<slug>.<lang>.yaml
    if (relative == kWithdrawnFile) continue;
    const std::string path = JoinPath(dir, relative);
    const size_t slash = relative.find('/'), dot = relative.find('.');
    const size_t last = relative.rfind(".yaml");
    if (slash == std::string::npos || dot == std::string::npos || dot < slash ||
        last == std::string::npos || last + 5 != relative.size() || last <= dot) {
      diagnostics->Add(path, 0, "",
                       PlainProblem("not a history file (<section>/<slug>.<lang>.yaml)"));
      continue;
    }
    const std::string key = relative.substr(0, dot);
    if (keys && !keys->count(key)) continue;
    auto text = fs_.ReadFile(path);
    if (!text.ok()) return text.status();
    std::vector<std::string> bodies;
    auto rows = ReadHistoryFile(path, *text, &bodies, diagnostics);
    if (!rows) continue;
    std::vector<const AnnouncedRevision*> page;
    for (auto& row : *rows) {
      row.lang = relative.substr(dot + 1, last - dot - 1);
      page.push_back(&row);
    }
    if (page.empty()) continue;
    auto history = PageHistory(page, config,
                               [&](size_t i) -> Result<std::string> { return bodies[i]; });
    if (!history.ok()) return history.status();
    out[page[0]->lang + "/" + key] = std::move(history).value();
  }
  return out;
}

}  // namespace clemency
