#pragma once
// Loading and validating content/: every file is parsed and checked, every problem reported.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/site_config.h"
#include "content/page.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency {

class ProvinceIndex;  // i18n/provinces.h

// A file's text as pages hold it: without a byte-order mark, in NFC.
std::string NormaliseSourceText(std::string text);

// Parses one file. `relative_path` is relative to content/ (e.g. guides/quy-trinh.vi.md);
// `display_path` is what diagnostics print. `provinces`: the config's province list, indexed once
// by a caller that reads many files (null: indexed for this file when it needs it).
// Returns false (with diagnostics) when invalid.
bool PageFromText(const std::string& relative_path, const std::string& display_path,
                   std::string text, const SiteConfig& config, Diagnostics* diagnostics,
                   Page* page, const ProvinceIndex* provinces = nullptr);

// Returns the problem of a translation whose default-language page is missing.
Problem TranslationWithoutSource(const Page& page, const SiteConfig& config);

// Returns why the content file at `path` may not be read, or nullopt: a link leading out of the
// source folder (it would publish whatever it points at) or a file above `max_bytes`.
std::optional<Problem> ContentFileRefusal(const FileSystem& fs, const std::string& path,
                                          const std::string& content_dir, uint64_t max_bytes);

// Loads every .md file under `content_dir` and checks cross-file rules (each translation has a
// default-language page). Pages come back sorted by section, slug, language.
// Optional hooks, called on the loading threads. Files are numbered 0..count-1 in list order.
struct LoadHooks {
  // Called once with the number of files, before any other hook.
  std::function<void(size_t count)> on_listed;
  // Where file `file`'s page is parsed into (so callers can keep pages in their own structure
  // without moving them around); by default, a slot of LoadContent's own.
  std::function<Page*(size_t file)> page_slot;
  // Runs first for every file: when it returns true it has filled page_slot(file) (from an
  // earlier, successful load of the unchanged file) and the file is not read at all.
  std::function<bool(size_t file, const std::string& path, const std::string& display_path)> cached;
  // Runs for every valid page read from its file, with that file's own diagnostics, so callers
  // can derive what they need and drop the text before the next file.
  std::function<void(size_t file, Page& page, Diagnostics* problems)> on_parsed;
  // Called (on the calling thread) with the translation key and language of every file whose
  // name is right but whose page is invalid: what points at it fails because of that one
  // problem, already reported, so callers need not report it again.
  std::function<void(const std::string& key, const std::string& lang)> on_invalid;
};
std::vector<Page> LoadContent(const FileSystem& fs, const std::string& content_dir,
                              const std::string& display_prefix, const SiteConfig& config,
                              Diagnostics* diagnostics);
// The same, with hooks, every page left in its `hooks.page_slot` (required): returns the numbers
// of the files that hold a valid page, in page order (section, slug, language).
std::vector<size_t> LoadContentInPlace(const FileSystem& fs, const std::string& content_dir,
                                       const std::string& display_prefix, const SiteConfig& config,
                                       Diagnostics* diagnostics, const LoadHooks& hooks);

}  // namespace clemency
