#include "publish/search_index.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <set>

#include "core/text.h"
#include "i18n/search_text.h"
#include "render/manifest.h"
#include "publish/store_site.h"

namespace clemency {
namespace {

std::string LocaleOf(const Site& site, const std::string& lang) {
  const LanguageConfig* language = site.config().FindLanguage(lang);
  return language ? language->locale : lang;
}

void Append(std::string* to, const std::string& text, const std::string& locale) {
  std::string folded = SearchIndexText(text, locale);
  if (folded.empty()) return;
  if (!to->empty()) *to += ' ';
  *to += folded;
}

// The site's term a wording rule suggests, as one phrase: its first suggestion ("người (người
// được đặc xá, …)" -> "người", "a / b" -> "a").
std::string FirstSuggestion(const std::string& use) {
  size_t cut = std::min(use.find(" ("), use.find(" /"));
  std::string out = use.substr(0, cut);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

SearchFields SearchFieldsFor(const Site& site, const RenderedPage& rendered,
                             const MarkdownResult& body) {
  const Page& page = rendered.page;
  const std::string locale = LocaleOf(site, page.lang);
  SearchFields fields;
  Append(&fields.title, page.title, locale);
  for (const MarkdownHeading& heading : body.headings) {
    Append(&fields.headings, heading.text, locale);
  }
  Append(&fields.headings, page.summary, locale);
  if (page.support) {
    const SupportInfo& support = *page.support;
    for (const std::string* name : {&support.organisation, &support.province,
                                    &support.current_province, &support.commune,
                                    &support.former_district, &support.district}) {
      Append(&fields.terms, *name, locale);
    }
    for (const std::string& service : support.services) Append(&fields.terms, service, locale);
  }
  Append(&fields.body, body.plain_text, locale);
  return fields;
}

std::vector<SearchSynonym> SiteSynonyms(const Site& site) {
  std::vector<SearchSynonym> out;
  std::set<std::pair<std::string, std::string>> seen;
  auto add = [&](const std::string& lang, const std::string& variant, const std::string& term) {
    const std::string locale = LocaleOf(site, lang);
    SearchSynonym synonym{lang, SearchIndexText(variant, locale), term,
                          SearchIndexText(term, locale)};
    if (synonym.variant.empty() || synonym.term_folded.empty() ||
        synonym.variant == synonym.term_folded || !seen.emplace(lang, synonym.variant).second) {
      return;
    }
    out.push_back(std::move(synonym));
  };
  for (const TermConcept& concept_ : site.termbase().concepts) {
    for (const auto& [lang, variants] : concept_.variants) {
      auto preferred = concept_.preferred.find(lang);
      if (preferred == concept_.preferred.end()) continue;
      for (const std::string& variant : variants) add(lang, variant, preferred->second);
    }
  }
  for (const auto& [lang, rules] : site.wording()) {
    for (const WordingRule& rule : rules) add(lang, rule.term, FirstSuggestion(rule.use));
  }
  return out;
}

Status RefreshSearchIndex(const Site& site, Store* store) {
  SearchIndex index(store);
  auto indexed = index.Count();
  if (!indexed.ok()) return indexed.status();
  auto stmt = store->Prepare(
      "SELECT count(*) FROM pages WHERE status = 'published' AND draft = 0");
  if (!stmt.ok()) return stmt.status();
  const int64_t published = stmt->Step() ? stmt->Int(0) : -1;
  if (Status s = store->Begin(); !s.ok()) return s;
  Status s = index.ReplaceSynonyms(SiteSynonyms(site));
  PageRepository pages(store);
  for (size_t i = 0; s.ok() && *indexed != published && i < site.pages().size(); ++i) {
    auto row = PageToRow(site, site.pages()[i]);
    s = row.ok() ? pages.WriteSearch(*row) : row.status();
  }
  if (s.ok()) return store->Commit();
  store->Rollback();
  return s;
}

namespace {

// What a search file's rows depend on besides each page's own text: the files under site/ (the
// base URL, the languages) and this program. A file made under another key is written anew.
std::string SearchFileKey(const Site& site) {
  return HashHex(site.site_key() + "\n" + ProgramIdentity());
}

// Returns the key the search file `store` was made under ("" when it has none).
std::string StoredKey(Store* store) {
  auto stmt = store->Prepare("SELECT key FROM search_file");
  return stmt.ok() && stmt->Step() ? stmt->Text(0) : "";
}

Status StoreKey(Store* store, const std::string& key) {
  Status s = store->Exec("CREATE TABLE IF NOT EXISTS search_file (key TEXT NOT NULL)");
  if (s.ok()) s = store->Exec("DELETE FROM search_file");
  auto stmt = store->Prepare("INSERT INTO search_file (key) VALUES (?1)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, key);
  return s.ok() ? stmt->Run() : s;
}

// Writes the search file at `path` whole: under a temporary name, renamed when complete, so a
// crash costs nothing a journal or syncs would save; back to WAL, as every store is, at the end.
Status WriteWholeSearchFile(const Site& site, const std::string& path, const std::string& key) {
  const std::string temp = path + ".new-" + std::to_string(::getpid());
  std::remove(temp.c_str());
  Status s;
  {
    auto store = Store::Open(temp);
    if (!store.ok()) return store.status();
    for (const char* pragma : {"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF",
                               "PRAGMA cache_size = -16384"}) {
      if (s.ok()) s = (*store)->Exec(pragma);
    }
    if (s.ok()) s = ImportSite(site, store->get(), false, RowContent::kSearch);  // synonyms too
    if (s.ok()) s = StoreKey(store->get(), key);
    if (s.ok()) s = (*store)->Exec("PRAGMA journal_mode = WAL");
  }
  if (s.ok() && std::rename(temp.c_str(), path.c_str()) != 0) {
    s = Status::Error("cannot rename " + temp + " to " + path);
  }
  if (!s.ok()) std::remove(temp.c_str());
  return s;
}

}  // namespace

Status WriteSearchFile(const Site& site, const std::string& path) {
  const std::string key = SearchFileKey(site);
  if (std::filesystem::is_regular_file(path)) {
    // A one-page rebuild makes one page's rows, in one transaction, not every page's again.
    auto store = Store::Open(path);
    if (store.ok() && StoredKey(store->get()) == key) {
      return ImportSite(site, store->get(), /*keep_unchanged=*/true, RowContent::kSearch);
    }
  }
  return WriteWholeSearchFile(site, path, key);
}

}  // namespace clemency
