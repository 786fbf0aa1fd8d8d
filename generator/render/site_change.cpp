// Site::Changed(): a new site from a loaded one, with changed content files (the others are not
// loaded again), another time, or new records.
#include <algorithm>
#include <tuple>

#include "content/loader.h"
#include "core/text.h"
#include "render/site.h"

namespace clemency {
namespace {

bool SameHeadingIds(const RenderedPage& a, const RenderedPage& b) {
  const auto& x = a.body.headings;
  const auto& y = b.body.headings;
  return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](const auto& p, const auto& q) {
           return p.id == q.id;
         });
}

const std::string& SectionOf(const RenderedPage& rendered) { return rendered.page.section; }
const std::string& SectionOf(const std::string& section) { return section; }

// The pages of `section` ("": those outside a section), one run in page order.
std::pair<SharedList<RenderedPage>::const_iterator, SharedList<RenderedPage>::const_iterator>
SectionRange(const SharedList<RenderedPage>& pages, const std::string& section) {
  return std::equal_range(pages.begin(), pages.end(), section, [](const auto& a, const auto& b) {
    return SectionOf(a) < SectionOf(b);
  });
}

bool InPageOrder(const RenderedPage& a, const RenderedPage& b) {
  return std::tie(a.page.section, a.page.slug, a.page.lang) <
         std::tie(b.page.section, b.page.slug, b.page.lang);
}

// Whether a link of `rendered` may point at a page of `keys`: its href names the key's last
// part (a slug, or a section for a list page). Too many is only slower; the home page's key
// ("") matches every page.
bool MayLinkTo(const RenderedPage& rendered, const std::set<std::string>& keys) {
  for (const std::string& key : keys) {
    const std::string last = key.substr(key.rfind('/') + 1);
    for (const auto& link : rendered.body.links) {
      if (link.href.find(last) != std::string::npos) return true;
    }
  }
  return false;
}

// The pages whose translation key is `key`, one run in page order (section, slug, language): a
// section's page "<section>/<slug>", its list page "<section>" (slug ""), or, for "", every page
// outside a section.
std::pair<SharedList<RenderedPage>::const_iterator, SharedList<RenderedPage>::const_iterator>
KeyRange(const SharedList<RenderedPage>& pages, const std::string& key) {
  const size_t slash = key.find('/');
  const std::string section = key.substr(0, slash);
  const std::string slug = slash == std::string::npos ? "" : key.substr(slash + 1);
  if (section.empty()) return SectionRange(pages, section);
  const auto wanted = std::tie(section, slug);
  auto first = std::lower_bound(pages.begin(), pages.end(), wanted,
                                [](const RenderedPage& r, const auto& w) {
                                  return std::tie(r.page.section, r.page.slug) < w;
                                });
  auto last = std::upper_bound(first, pages.end(), wanted,
                               [](const auto& w, const RenderedPage& r) {
                                 return w < std::tie(r.page.section, r.page.slug);
                               });
  return {first, last};
}

// What each withdrawn page shows, by translation key: a key whose entry differs was withdrawn,
// restored or changed.
std::map<std::string, std::string> TombstoneSignatures(const std::vector<Tombstone>& tombstones) {
  std::map<std::string, std::string> out;
  for (const Tombstone& t : tombstones) {
    out[t.section + "/" + t.slug] += t.lang + "\x1f" + t.title + "\x1f" + t.reason + "\x1f" +
                                     t.reason_lang + "\x1f" + t.at.ToRfc3339() +
                                     (t.gone ? "\x1fgone" : "") + "\n";
  }
  return out;
}

// The translation keys whose withdrawn pages differ between `before` and `after`.
void AddChangedTombstones(const std::vector<Tombstone>& before, const std::vector<Tombstone>& after,
                          std::set<std::string>* keys) {
  std::map<std::string, std::string> old = TombstoneSignatures(before),
                                     now = TombstoneSignatures(after);
  for (const auto& [key, signature] : now) {
    auto it = old.find(key);
    if (it == old.end() || it->second != signature) keys->insert(key);
  }
  for (const auto& [key, signature] : old) {
    if (!now.count(key)) keys->insert(key);
  }
}

}  // namespace

std::pair<SharedList<RenderedPage>::const_iterator, SharedList<RenderedPage>::const_iterator>
Site::PagesOfSection(const std::string& section) const {
  return SectionRange(pages_, section);
}

Site::Site(const Site& other)
    : source_dir_(other.source_dir_),
      fs_(other.fs_),
      config_(other.config_),
      catalogs_(other.catalogs_),
      templates_(other.templates_),
      pages_(other.pages_),
      now_(other.now_),
      indexes_(other.indexes_),
      static_files_(other.static_files_),
      site_key_(other.site_key_),
      pages_from_cache_(other.pages_from_cache_),
      link_targets_(other.link_targets_),
      media_(other.media_),
      tombstones_(other.tombstones_),
      histories_(other.histories_),
      wording_(other.wording_),
      feed_html_(other.feed_html_),
      templates_in_(other.templates_in_),
      termbase_(other.termbase_),
      invalid_pages_(other.invalid_pages_),
      selfcheck_(other.selfcheck_) {}

std::unique_ptr<Site> Site::Changed(const SiteChange& change, Diagnostics* diagnostics,
                                    std::set<std::string>* changed_keys) const {
  return Changed(std::unique_ptr<Site>(new Site(*this)), change, diagnostics, changed_keys);
}

std::unique_ptr<Site> Site::Changed(std::unique_ptr<Site> next, const SiteChange& change,
                                    Diagnostics* diagnostics, std::set<std::string>* changed_keys) {
  if (change.fs) next->fs_ = change.fs;
  // An image leaves the library only when no live page or open edit shows it (the admin's
  // delete), so no page that passed its checks fails them now.
  if (change.media && *change.media != *next->media_) {
    next->media_ = change.media;
    next->RebuildIndexes();
  }
  std::set<std::string> keys = change.keys;
  if (!change.paths.empty() &&
      !next->ReadAgain(change.paths, change.keep_problems, diagnostics, &keys)) {
    return nullptr;
  }
  if (change.now) next->ShowAt(*change.now, &keys);
  if (change.records && !next->TakeRecords(change.records, change.all_records ? nullptr : &keys,
                                           diagnostics, &keys)) {
    return nullptr;
  }
  changed_keys->insert(keys.begin(), keys.end());
  return next;
}

void Site::ShowAt(int64_t now_unix, std::set<std::string>* changed_keys) {
  std::vector<char> was_live(pages_.size());
  for (size_t i = 0; i < pages_.size(); ++i) was_live[i] = pages_[i].live;
  now_ = now_unix;
  RebuildIndexes();
  for (size_t i = 0; changed_keys && i < pages_.size(); ++i) {
    if (pages_[i].live != static_cast<bool>(was_live[i])) changed_keys->insert(pages_[i].key);
  }
}

bool Site::TakeRecords(SiteRecords* records, const std::set<std::string>* keys,
                       Diagnostics* diagnostics, std::set<std::string>* changed_keys) {
  if (!records) return true;
  auto tombstones = records->Tombstones(config_, diagnostics);
  if (!tombstones.ok()) {
    diagnostics->Add(source_dir_, 0, "", PlainProblem(tombstones.status().message()));
    return false;
  }
  if (changed_keys) AddChangedTombstones(tombstones_, *tombstones, changed_keys);
  tombstones_ = std::move(tombstones).value();
  // A changed or withdrawn page's public history changed with it.
  const std::set<std::string> touched = keys ? *keys : std::set<std::string>();
  auto histories = records->Histories(config_, keys ? &touched : nullptr, diagnostics);
  if (!histories.ok()) {
    diagnostics->Add(source_dir_, 0, "", PlainProblem(histories.status().message()));
    return false;
  }
  for (const std::string& key : touched) {
    for (const LanguageConfig& language : config_.languages) {
      histories_.changed[language.code + "/" + key] = std::nullopt;
    }
  }
  for (auto& [id, revisions] : *histories) PutHistory(id, std::move(revisions));
  MergeHistories();
  return diagnostics->empty();
}

void Site::MergeHistories() {
  // Merged when the changes outgrow a quarter of the base: a load's histories are merged a few
  // times as they arrive, a publish's three or so pages hardly ever.
  if (histories_.changed.size() <= std::max<size_t>(256, histories_.base->size() / 4)) return;
  auto merged = std::make_shared<std::map<std::string, History>>(*histories_.base);
  for (auto& [id, history] : histories_.changed) {
    if (history) {
      (*merged)[id] = std::move(*history);
    } else {
      merged->erase(id);
    }
  }
  histories_.base = std::move(merged);
  histories_.changed.clear();
}

void Site::PutHistory(const std::string& id, std::vector<PageRevision> revisions) {
  // Fields end with a separator no text holds, so a note cannot pass for a diff.
  std::string parts;
  for (const PageRevision& r : revisions) {
    parts += r.at.ToRfc3339() + "\x1f" + r.change_type + "\x1f" + r.note + "\x1f" +
             (r.skipped_review ? "unreviewed\x1f" : "");
    for (const DiffOp& op : r.diff) {
      parts += std::to_string(static_cast<int>(op.kind)) + op.text + "\x1e";
    }
    parts += "\x1d";
  }
  histories_.changed[id] = History{std::move(revisions), HashHex(parts)};
}

bool Site::ParseOne(const std::string& path, RenderedPage* out, Diagnostics* problems,
                    bool* partial) const {
  if (partial) *partial = false;
  const std::string content_dir = JoinPath(source_dir_, "content");
  const std::string full = JoinPath(source_dir_, path);
  if (auto refusal = ContentFileRefusal(*fs_, full, content_dir, config_.max_content_file_bytes)) {
    problems->Add(path, 0, "file", *refusal);
    return false;
  }
  const std::string stamp = fs_->Stamp(full);
  auto text = fs_->ReadFile(full);
  if (!text.ok()) {
    problems->Add(path, 0, "", Diag::check_file_unreadable);
    return false;
  }
  const std::string relative = path.substr(path.find('/') + 1);  // under content/
  size_t errors_before = problems->size();
  if (!PageFromText(relative, path, std::move(text).value(), config_, problems, &out->page)) {
    // Its front matter read as fields (its kind is known) but some were wrong: the text is
    // still checked, so a save hears of its wording as well as of its fields.
    if (!partial || out->page.kind.empty()) return false;
    Derive(out, stamp, problems);
    *partial = true;
    return false;
  }
  Derive(out, stamp, problems);
  return problems->size() == errors_before;
}

bool Site::ReadAgain(const std::vector<std::string>& paths, bool keep_problems,
                     Diagnostics* diagnostics, std::set<std::string>* changed_keys) {
  Diagnostics problems;
  std::vector<std::pair<std::string, std::optional<RenderedPage>>> fresh;
  bool unreadable = false;  // a file with no page at all (keep_problems: the rest still runs)
  for (const std::string& path : paths) {
    if (!fs_->IsFile(JoinPath(source_dir_, path))) {
      fresh.emplace_back(path, std::nullopt);
      continue;
    }
    RenderedPage rendered;
    bool partial = false;
    if (ParseOne(path, &rendered, &problems, keep_problems ? &partial : nullptr) || partial) {
      fresh.emplace_back(path, std::move(rendered));
    } else {
      unreadable = true;
    }
  }
  if (!problems.empty() && (!keep_problems || unreadable)) {
    diagnostics->Append(problems);
    return false;
  }
  std::set<std::string> keys;
  // Pages only replaced by pages of the same language, draft or not and dated the same (so live
  // or scheduled as before), keep every index valid; the link targets change only when headings do.
  bool same_structure = true, same_headings = true;
  for (auto& [path, page] : fresh) {
    const std::string& source = path;  // clang 14 cannot capture a structured binding
    auto same_file = [&source](const RenderedPage& r) { return r.page.source_path == source; };
    // A file's name gives its page's place in page order; a file no longer there is looked for.
    auto it = page ? std::lower_bound(pages_.begin(), pages_.end(), *page, InPageOrder)
                   : pages_.end();
    if (it == pages_.end() || !same_file(*it)) {
      it = std::find_if(pages_.begin(), pages_.end(), same_file);
    }
    const size_t index = it - pages_.begin();
    if (it != pages_.end()) {
      keys.insert(it->key);
      if (page) {
        same_structure = same_structure && it->page.draft == page->page.draft &&
                         it->page.date == page->page.date;
        same_headings = same_headings && SameHeadingIds(*it, *page);
        page->live_at = it->live_at;  // right while the structure stays; else rebuilt below
        page->live = it->live;
        pages_.Set(index, std::move(*page));
      } else {
        same_structure = false;
        pages_.Erase(index);
      }
    } else if (page) {
      keys.insert(page->key);
      same_structure = false;
      auto at = std::lower_bound(pages_.begin(), pages_.end(), *page, InPageOrder);
      pages_.Insert(at - pages_.begin(), std::move(*page));
    }
  }
  if (!same_structure || !same_headings) RebuildIndexes();
  CheckTranslationsHaveSource(keys, &problems);
  CheckAliases(&problems);
  CheckLinks(&problems, [&keys](const RenderedPage& rendered) {
    return keys.count(rendered.key) > 0 || MayLinkTo(rendered, keys);
  });
  CheckSelfCheckLinks(&problems);
  // Only an edit of the home text is held to the round pages: a round withdrawn or edited is
  // never blocked by what the home text says (its next edit is).
  if (keys.count("")) CheckHomeRounds(&problems);
  diagnostics->Append(problems);
  if (!problems.empty() && !keep_problems) return false;
  changed_keys->insert(keys.begin(), keys.end());
  return true;
}

void Site::CheckTranslationsHaveSource(const std::set<std::string>& keys,
                                       Diagnostics* problems) const {
  // Only the pages of `keys`, each key's found by a binary search, reported in page order.
  std::vector<size_t> without_source;
  for (const std::string& key : keys) {
    const auto [first, last] = KeyRange(pages_, key);
    const bool has_source = std::any_of(first, last, [&](const RenderedPage& r) {
      return r.page.lang == config_.default_language;
    });
    for (auto it = first; !has_source && it != last; ++it) {
      without_source.push_back(it - pages_.begin());
    }
  }
  std::sort(without_source.begin(), without_source.end());
  for (size_t index : without_source) {
    const Page& page = pages_[index].page;
    problems->Add(page.source_path, 0, "", TranslationWithoutSource(page, config_));
  }
}

void Site::CheckAliases(Diagnostics* problems) const {
  // A page's key is "<section>/<slug>", so an alias is taken when a page of its section has that
  // slug: found by a binary search of the pages (in page order), not a set of every key, which
  // each publish would build again for the few pages that have aliases.
  auto taken = [this](const std::string& section, const std::string& alias) {
    if (section.empty() || alias.empty()) return false;
    auto at = std::lower_bound(pages_.begin(), pages_.end(), std::tie(section, alias),
                               [](const RenderedPage& r, const auto& wanted) {
                                 return std::tie(r.page.section, r.page.slug) < wanted;
                               });
    return at != pages_.end() && at->page.section == section && at->page.slug == alias;
  };
  std::map<std::string, std::string> claimed;  // "<section>/<alias>" -> the key claiming it
  for (const RenderedPage& rendered : pages_) {
    const Page& page = rendered.page;
    for (const std::string& alias : page.aliases) {
      const std::string alias_key = page.section + "/" + alias;
      if (taken(page.section, alias)) {
        problems->Add(page.source_path, page.aliases_line, "aliases",
                      {Diag::check_alias_taken, {{"alias", alias}, {"page", alias_key}}});
        continue;
      }
      auto [claim, fresh] = claimed.emplace(alias_key, rendered.key);
      if (!fresh && claim->second != rendered.key) {
        problems->Add(page.source_path, page.aliases_line, "aliases",
                      {Diag::check_alias_claimed, {{"alias", alias}, {"page", claim->second}}});
      }
    }
  }
}

}  // namespace clemency
