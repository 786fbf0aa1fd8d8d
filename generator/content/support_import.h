#pragma once
// `clemency import support FILE.csv`: verified contacts for support entries, from a CSV.
#include <string>
#include <vector>

#include "config/site_config.h"
#include "core/datetime.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency {

struct FileUpdate {
  std::string path;  // file to replace
  std::string text;  // its new contents
};

// Columns: slug, phone, address, hours, verified (header row required, any order). Each row sets
// the contact and `verified` date of every translation of content/support/<slug>. Every row is
// checked first; on any problem (reported as FILE:line: column: message) nothing is returned.
std::vector<FileUpdate> PlanSupportImport(const FileSystem& fs, const std::string& source_dir,
                                          const std::string& csv_display,
                                          const std::string& csv_text, const SiteConfig& config,
                                          const DateTime& today, Diagnostics* diagnostics);

// Writes every update beside its file first, then renames each into place; on a failed write
// nothing is replaced.
Status WriteFileUpdates(const std::vector<FileUpdate>& updates);

}  // namespace clemency
