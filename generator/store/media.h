#pragma once
// Uploaded images as the store keeps them (migration 13): the image's record (alt text per
// language, caption, credit, the consent basis of the people in it) and its written copies by
// site path. The bytes come already processed (media module); this file holds the SQL only.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace clemency {

struct MediaRow {
  int64_t id = 0;
  std::string hash;  // names every copy (paths::MediaName::hash)
  std::string path;  // the full copy's site path ("/media/<hash>-WxH.ext")
  int64_t width = 0, height = 0;
  std::map<std::string, std::string> alt;  // by language code; each must be non-empty
  std::string alt_search;                  // the alt texts folded for search (the caller folds)
  std::string caption, credit;
  // no-person | personal (someone shown agreed: consent_given_by says who) | published-report
  std::string consent_basis, consent_given_by;
  std::string uploaded_by, uploaded_at;
};

struct MediaFileRow {
  std::string path;   // site path of one copy
  std::string bytes;  // the encoded image
};

// A page that shows an image: a live page (its title) or an open edit (title empty).
struct MediaUse {
  std::string source_path, title;
  bool open_edit = false;
};

class MediaRepository {
 public:
  explicit MediaRepository(Store* store) : store_(store) {}
  // Stores `row` and its `files` in one transaction and returns the image's id; an image whose
  // hash is stored already keeps its record (the same bytes were uploaded again) and its id is
  // returned.
  Result<int64_t> Insert(const MediaRow& row, const std::vector<MediaFileRow>& files);
  // Returns the image whose copies are named by `hash`, if stored.
  Result<std::optional<MediaRow>> FindByHash(const std::string& hash);
  // Returns up to `limit` images, newest first, whose alt_search holds every word of
  // `folded_query` (all when empty).
  Result<std::vector<MediaRow>> List(const std::string& folded_query, int limit);
  // Returns the bytes of the copy at site path `path`, if stored.
  Result<std::optional<std::string>> FileBytes(const std::string& path);
  // Returns the live pages and the open edits whose text shows a copy of the image `hash`.
  Result<std::vector<MediaUse>> Uses(const std::string& hash);
  // Deletes the image `hash` with its copies unless a live page or an open edit shows it (then
  // `uses` names them), in one transaction. Returns true when it was deleted, false when it is
  // used or not stored.
  Result<bool> DeleteUnused(const std::string& hash, std::vector<MediaUse>* uses);
  // Returns the consent basis of each image that shows a person (every basis but no-person), by
  // hash.
  Result<std::map<std::string, std::string>> PeopleBases();
  // Returns the site paths of every stored copy, sorted.
  Result<std::vector<std::string>> FilePaths();

 private:
  Store* store_;
};

}  // namespace clemency
