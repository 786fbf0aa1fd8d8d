#pragma once
// The media library: uploads processed (media.h) and kept in the store with their alt text per
// language, caption, credit and consent basis; listed and searched by alt text; their copies read
// back by site path. One store connection of its own, one call at a time.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "media/media.h"
#include "store/media.h"
#include "store/store.h"

namespace clemency::media {

// What an editor sends with an upload.
struct UploadForm {
  std::string bytes;                       // the file as sent (its name is never looked at)
  std::map<std::string, std::string> alt;  // by language code
  std::string alt_search;                  // the alt texts folded for search (the caller folds)
  std::string caption, credit;
  std::string consent_basis, consent_given_by;
  std::string user, now;  // who uploads, when (RFC 3339)
};

// The consent bases an image may have: nobody identifiable, someone shown agreed (and who), or
// taken from a published report.
const std::vector<std::string>& ConsentBases();

// The problems of a form, by field ("file", "alt.vi", "consent_basis", "consent_given_by"): each a
// code for the admin's catalogs (media_not_image, media_alt_missing, …).
using FormProblems = std::map<std::string, std::string>;

class MediaLibrary {
 public:
  // Opens its own connection to the store file at `store_path`.
  static Result<std::unique_ptr<MediaLibrary>> Open(const std::string& store_path);
  explicit MediaLibrary(std::unique_ptr<Store> store) : store_(std::move(store)) {}

  // Returns the stored image (an image already stored keeps its first record), or the form's
  // problems in `problems` (then an error). Every language of `languages` needs alt text.
  Result<MediaRow> Upload(const UploadForm& form, const std::vector<std::string>& languages,
                          FormProblems* problems);
  // Returns up to `limit` images whose alt text holds every word of `folded_query`.
  Result<std::vector<MediaRow>> List(const std::string& folded_query, int limit);
  // Deletes the image `hash` unless a live page or an open edit shows it (then `uses` names
  // them). Returns true when it was deleted.
  Result<bool> Delete(const std::string& hash, std::vector<MediaUse>* uses);
  // Returns the bytes of the copy at site path `path` ("/media/…"), if stored.
  Result<std::optional<std::string>> FileBytes(const std::string& path);

 private:
  std::mutex mutex_;
  std::unique_ptr<Store> store_;
};

// Returns the problems of `form` before its bytes are processed (alt text, consent).
FormProblems CheckForm(const UploadForm& form, const std::vector<std::string>& languages);

}  // namespace clemency::media
