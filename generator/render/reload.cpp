// Site::Reload(): a loaded site takes changed content files without loading the others again.
#include <algorithm>
#include <tuple>

#include "content/loader.h"
#include "render/site.h"

namespace clemency {
namespace {

// One change to pages_, so that it can be undone.
struct Edit {
  enum Kind { kReplaced, kInserted, kErased } kind;
  size_t index;
  RenderedPage old;  // replaced or erased
};

bool SameHeadingIds(const RenderedPage& a, const RenderedPage& b) {
  const auto& x = a.body.headings;
  const auto& y = b.body.headings;
  return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), [](const auto& p, const auto& q) {
           return p.id == q.id;
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

}  // namespace

bool Site::ParseOne(const std::string& path, RenderedPage* out, Diagnostics* problems) const {
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
    return false;
  }
  Derive(out, stamp, problems);
  return problems->size() == errors_before;
}

bool Site::Reload(const std::vector<std::string>& paths, Diagnostics* diagnostics,
                  std::set<std::string>* changed_keys) {
  Diagnostics problems;
  std::vector<std::pair<std::string, std::optional<RenderedPage>>> fresh;
  for (const std::string& path : paths) {
    if (!fs_->IsFile(JoinPath(source_dir_, path))) {
      fresh.emplace_back(path, std::nullopt);
      continue;
    }
    RenderedPage rendered;
    if (ParseOne(path, &rendered, &problems)) fresh.emplace_back(path, std::move(rendered));
  }
  if (!problems.empty()) {
    diagnostics->Append(problems);
    return false;
  }
  std::vector<Edit> edits;
  std::set<std::string> keys;
  // Pages only replaced by pages of the same language, draft or not and dated the same (so live
  // or scheduled as before), keep every index valid; the link targets change only when headings do.
  bool same_structure = true, same_headings = true;
  for (auto& [path, page] : fresh) {
    auto it = std::find_if(pages_.begin(), pages_.end(),
                           [&path](const RenderedPage& r) { return r.page.source_path == path; });
    if (it != pages_.end()) {
      keys.insert(it->key);
      const size_t index = it - pages_.begin();
      edits.push_back({page ? Edit::kReplaced : Edit::kErased, index, std::move(*it)});
      if (page) {
        const RenderedPage& old = edits.back().old;
        same_structure = same_structure && old.page.draft == page->page.draft &&
                         old.page.date == page->page.date;
        same_headings = same_headings && SameHeadingIds(old, *page);
        page->live_at = old.live_at;  // right while the structure stays; else rebuilt below
        page->live = old.live;
        *it = std::move(*page);
      } else {
        same_structure = false;
        pages_.erase(it);
      }
    } else if (page) {
      keys.insert(page->key);
      same_structure = false;
      auto at = std::lower_bound(pages_.begin(), pages_.end(), *page, InPageOrder);
      edits.push_back({Edit::kInserted, static_cast<size_t>(at - pages_.begin()), {}});
      pages_.insert(at, std::move(*page));
    }
  }
  if (!same_structure || !same_headings) RebuildIndexes();
  CheckTranslationsHaveSource(keys, &problems);
  CheckAliases(&problems);
  CheckLinks(&problems, [&keys](const RenderedPage& rendered) {
    return keys.count(rendered.key) > 0 || MayLinkTo(rendered, keys);
  });
  CheckSelfCheckLinks(&problems);
  if (problems.empty()) {
    changed_keys->insert(keys.begin(), keys.end());
    return true;
  }
  for (auto edit = edits.rbegin(); edit != edits.rend(); ++edit) {
    auto at = pages_.begin() + edit->index;
    if (edit->kind == Edit::kReplaced) *at = std::move(edit->old);
    if (edit->kind == Edit::kErased) pages_.insert(at, std::move(edit->old));
    if (edit->kind == Edit::kInserted) pages_.erase(at);
  }
  RebuildIndexes();
  diagnostics->Append(problems);
  return false;
}

void Site::CheckTranslationsHaveSource(const std::set<std::string>& keys,
                                       Diagnostics* problems) const {
  for (const RenderedPage& rendered : pages_) {
    const Page& page = rendered.page;
    if (page.lang == config_.default_language || !keys.count(rendered.key)) continue;
    const bool has_source = std::any_of(pages_.begin(), pages_.end(), [&](const RenderedPage& r) {
      return r.key == rendered.key && r.page.lang == config_.default_language;
    });
    if (!has_source) {
      problems->Add(page.source_path, 0, "", TranslationWithoutSource(page, config_));
    }
  }
}

void Site::CheckAliases(Diagnostics* problems) const {
  std::set<std::string> keys;
  for (const RenderedPage& rendered : pages_) keys.insert(rendered.key);
  std::map<std::string, std::string> claimed;  // "<section>/<alias>" -> the key claiming it
  for (const RenderedPage& rendered : pages_) {
    const Page& page = rendered.page;
    for (const std::string& alias : page.aliases) {
      const std::string alias_key = page.section + "/" + alias;
      if (keys.count(alias_key)) {
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
