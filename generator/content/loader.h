#pragma once
// Loading and validating content/: every file is parsed and checked, every problem reported.
#include <functional>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "content/page.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency {

// A file's text as pages hold it: without a byte-order mark, in NFC.
std::string NormaliseSourceText(std::string text);

// Parses one file. `relative_path` is relative to content/ (e.g. guides/quy-trinh.vi.md);
// `display_path` is what diagnostics print. Returns false (with diagnostics) when invalid.
bool ParsePageFile(const std::string& relative_path, const std::string& display_path,
                   std::string text, const SiteConfig& config, Diagnostics* diagnostics,
                   Page* page);

// Loads every .md file under `content_dir` and checks cross-file rules (each translation has a
// default-language page). Pages come back sorted by section, slug, language.
// `on_parsed` (optional) runs on the loading thread for every valid page, with that file's own
// diagnostics, so callers can derive what they need and drop the text before the next file.
// `cached` (optional) runs first for every file: when it returns true it has filled the page (from
// an earlier, successful load of the unchanged file) and the file is not read at all.
using CachedPageFn =
    std::function<bool(const std::string& path, const std::string& display_path, Page* page)>;
std::vector<Page> LoadContent(const FileSystem& fs, const std::string& content_dir,
                              const std::string& display_prefix, const SiteConfig& config,
                              Diagnostics* diagnostics,
                              const std::function<void(Page&, Diagnostics*)>& on_parsed = nullptr,
                              const CachedPageFn& cached = nullptr);

}  // namespace clemency
