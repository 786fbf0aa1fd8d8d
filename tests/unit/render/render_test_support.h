#pragma once
// Helpers shared by the build module's tests.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>
#include <string>

#include "render/page_cache.h"
#include "render/site.h"
#include "support/fixture.h"

namespace clemency::render_test {

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Every file under `dir`, by relative path, with its bytes.
inline std::map<std::string, std::string> Tree(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[std::filesystem::relative(entry.path(), dir).string()] =
          testing::ReadFile(entry.path().string());
    }
  }
  return files;
}

// A round page's file: its status and decision date (and number, when given).
inline std::string RoundFile(const std::string& title, const std::string& status,
                             const std::string& date, const std::string& decision = "") {
  return "---\ntitle: " + title +
         "\ndate: 2026-12-01\nreviewed: 2026-12-01\n"
         "sources: [{title: Luật Đặc xá, number: 30/2018/QH14}]\n" +
         (decision.empty() ? "" : "decision: \"" + decision + "\"\n") + "decision_date: " + date +
         "\nstatus: " + status + "\nkey_dates: [{label: Có hiệu lực, date: " + date +
         "}]\n---\nMột đợt đặc xá.\n";
}

inline std::unique_ptr<Site> LoadOrFail(const std::string& dir, PageCache* cache = nullptr) {
  Diagnostics diagnostics;
  auto site = Site::Load(std::make_shared<DiskFileSystem>(), dir, &diagnostics, nullptr, cache);
  INFO(diagnostics.ToString());
  REQUIRE(site);
  return site;
}

// Makes `*site` the site Site::Changed makes of it with `change`; false (and `*site` as it was)
// when the change fails a check.
inline bool Change(std::unique_ptr<Site>* site, const SiteChange& change, Diagnostics* diagnostics,
                   std::set<std::string>* keys) {
  std::unique_ptr<Site> next = (*site)->Changed(change, diagnostics, keys);
  if (!next) return false;
  *site = std::move(next);
  return true;
}

// The content files `paths` read again (what serve does when the store changes).
inline bool Reload(std::unique_ptr<Site>* site, const std::vector<std::string>& paths,
                   Diagnostics* diagnostics, std::set<std::string>* keys) {
  SiteChange change;
  change.paths = paths;
  return Change(site, change, diagnostics, keys);
}

// The site shown at `now_unix` (what serve does as time passes).
inline void ShowAt(std::unique_ptr<Site>* site, int64_t now_unix,
                   std::set<std::string>* keys = nullptr) {
  std::set<std::string> ignored;
  Diagnostics diagnostics;
  SiteChange change;
  change.now = now_unix;
  REQUIRE(Change(site, change, &diagnostics, keys ? keys : &ignored));
}

// Records that hold one page's revisions (none: nullopt) and the site's tombstones.
class OneHistory : public SiteRecords {
 public:
  OneHistory(std::string id, std::optional<std::vector<PageRevision>> revisions,
             std::vector<Tombstone> tombstones)
      : id_(std::move(id)), revisions_(std::move(revisions)), tombstones_(std::move(tombstones)) {}
  Result<std::vector<Tombstone>> Tombstones(const SiteConfig&, Diagnostics*) override {
    return tombstones_;
  }
  Result<std::map<std::string, std::vector<PageRevision>>> Histories(
      const SiteConfig&, const std::set<std::string>*, Diagnostics*) override {
    std::map<std::string, std::vector<PageRevision>> out;
    if (revisions_) out[id_] = *revisions_;
    return out;
  }

 private:
  std::string id_;
  std::optional<std::vector<PageRevision>> revisions_;
  std::vector<Tombstone> tombstones_;
};

// The page `key` in `lang` with these announced revisions (none: its own dates) in its records.
inline void SetHistory(std::unique_ptr<Site>* site, const std::string& key, const std::string& lang,
                       std::optional<std::vector<PageRevision>> revisions) {
  OneHistory records(lang + "/" + key, std::move(revisions), (*site)->tombstones());
  SiteChange change;
  change.records = &records;
  change.keys = {key};
  std::set<std::string> keys;
  Diagnostics diagnostics;
  REQUIRE(Change(site, change, &diagnostics, &keys));
}

// `dir`/public holds, byte for byte, what a fresh full build of `dir`'s site/ and content/ gives.
inline void CheckEqualsFullBuild(const std::string& dir) {
  testing::TempDir full;
  for (const char* folder : {"site", "content"}) {
    std::filesystem::copy(dir + "/" + folder, full / folder,
                          std::filesystem::copy_options::recursive);
  }
  BuildOptions options;
  options.out_dir = full / "public";
  REQUIRE(LoadOrFail(full.path())->Build(options).ok());
  auto built = Tree(dir + "/public"), fresh = Tree(full / "public");
  CHECK(built.size() == fresh.size());
  for (const auto& [path, bytes] : fresh) {
    INFO(path);
    CHECK(built[path] == bytes);
  }
}

}  // namespace clemency::render_test
