#pragma once
// The page cache, kept next to the output folder (`public.pages`): every page as the last
// successful build loaded and checked it (front matter, heading ids, links, readability, hash),
// with the file's stamp (size, times, inode). A rebuild reuses a page whose file has the same stamp
// instead of reading, parsing and checking it again, so one edited file costs one file's work.
// Valid only for the same program and the same site/ files; anything else starts empty.
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/fs.h"
#include "render/site.h"

namespace clemency {

class PageCache {
 public:
  static std::string PathFor(const std::string& out_dir);
  // Empty when the file is missing, damaged, or written by another build of the program.
  static PageCache Load(const std::string& out_dir);
  // Cheap (reads no record): whether `out_dir` has a cache written by this program since the
  // last change under `site_dir`, so that a build can expect to reuse it.
  static bool Usable(const std::string& out_dir, const std::string& site_dir);
  // Stores every page of `site` that has a stamp, with the site's link targets (call after a
  // successful build only: a stored page counts as link-checked). When `previous` (the cache this
  // build loaded) still holds most of them, only the changed pages are appended; otherwise the
  // file is written anew, with unchanged pages copied as they were stored, not encoded again.
  static Status Save(const std::string& out_dir, const Site& site,
                     const PageCache* previous = nullptr);

  const std::string& site_key() const { return site_key_; }
  // Site::link_targets() of the build that stored the cache: its pages' links were checked
  // against those targets.
  const std::string& link_targets() const { return link_targets_; }
  // Decodes the cached page for `source_path` into `out` if its file still has `stamp`. Safe to
  // call from several threads at once for different paths.
  bool Take(const std::string& source_path, const std::string& stamp, RenderedPage* out);
  size_t size() const { return records_.size(); }

  // The byte encoding of one page (without its text), exposed for round-trip tests.
  static std::string Encode(const RenderedPage& page);
  static bool Decode(std::string_view bytes, RenderedPage* page);

 private:
  struct Record {
    std::string_view stamp, bytes;  // into file_; a record is decoded only when taken
  };
  std::string site_key_;  // of the site/ files the pages were checked against
  std::string link_targets_;
  // The file, mapped (records point into it; appending to it or replacing it leaves the mapping
  // as it was loaded).
  std::shared_ptr<const MappedFile> file_;
  std::unordered_map<std::string_view, Record> records_;  // by source path, the latest of each
  size_t stored_records_ = 0;  // records in the file, replaced ones included
};

}  // namespace clemency
