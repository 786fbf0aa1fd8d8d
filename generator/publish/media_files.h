#pragma once
// The media library's images on the public site and in an export. A build writes the copies of
// the library images that live pages show (Site::MediaOutputs) under media/ of the output folder,
// as BuildOptions::extra_files, so they go out in the same commit as the pages; an image no live
// page shows is not public (an upload for a draft stays private until the page is published).
// The bytes come from the store (serve, `build --db`) or from an export's media/ folder (a plain
// `build`), which `clemency export` writes: every copy, and library.yaml with each image's record
// (alt text per language, caption, credit, consent basis, who uploaded it and when).
#include <map>
#include <memory>
#include <set>
#include <string>

#include "core/status.h"
#include "render/site.h"
#include "store/store.h"

namespace clemency {

// The folder of an export (beside content/) that holds the media library, and its record file.
constexpr char kMediaExportFolder[] = "media";
constexpr char kMediaRecordFile[] = "library.yaml";

// Returns the store's media library as pages may use it (LoadOptions::media): every copy's site
// path, and the images that show a person with their consent basis.
Result<std::shared_ptr<const MediaIndex>> StoredMedia(Store* store);

// The same of `source_dir`/media/ (an export's library): the files whose names are media names
// (paths::ParseMediaFile), and the people from library.yaml's records (an unreadable record
// file adds none: ImportMedia reports it); empty when there is no such folder.
std::shared_ptr<const MediaIndex> FolderMedia(const std::string& source_dir);

// Returns the output files (Site::MediaOutputs -> bytes) of the library images `site`'s live
// pages show, read from the store.
Result<std::map<std::string, std::string>> StoredMediaOutputs(const Site& site, Store* store);

// The same, read from `source_dir`/media/.
Result<std::map<std::string, std::string>> FolderMediaOutputs(const Site& site,
                                                              const std::string& source_dir);

// Writes the store's media library under `to_dir`/media/: every copy, and library.yaml (nothing
// when the library is empty).
Status ExportMedia(Store* store, const std::string& to_dir);

// Stores the library of `source_dir`/media/ (library.yaml and the copies named after each
// image's hash) in the store; an image stored already keeps its record. None: nothing to do.
// A record without its copies, or a file that cannot be read, is an error naming it.
Status ImportMedia(const std::string& source_dir, Store* store);

}  // namespace clemency
