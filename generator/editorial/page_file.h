#pragma once
// A page file's path as editors name it: "content/<section>/<slug>.<lang>.md", the section
// index "content/<section>/_index.<lang>.md" or the home page "content/_index.<lang>.md".
#include <optional>
#include <string>
#include <vector>

namespace clemency {

struct PageFile {
  std::string section, slug, lang;  // slug "" for an index page; section "" for home
};

// The parts of `path`, or nullopt when it is not a page file of one of `languages` (anything
// else: another folder, "..", other characters than a–z, 0–9 and '-' in names).
std::optional<PageFile> ParsePageFile(const std::string& path,
                                      const std::vector<std::string>& languages);
// The path of `file`, as ParsePageFile reads it.
std::string PageFilePath(const PageFile& file);

}  // namespace clemency
