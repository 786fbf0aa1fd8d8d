#pragma once
// Mustache templates from site/templates/: a base layout, partials, one template per page kind.
// The only module that includes the Mustache header.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "core/fs.h"
#include "core/status.h"
#include "templates/view.h"

namespace clemency {

class TemplateSet {
 public:
  // Loads <dir>/*.mustache and <dir>/partials/*.mustache; reports syntax errors per file.
  static Result<std::shared_ptr<const TemplateSet>> Load(const FileSystem& fs,
                                                         const std::string& dir,
                                                         Diagnostics* diagnostics);
  TemplateSet();
  ~TemplateSet();
  bool Has(const std::string& name) const;
  // A copy whose `{{t.KEY}}` tags are replaced by `strings[KEY]` (HTML-escaped), so the interface
  // strings of one language are not handed to every page's view again.
  std::shared_ptr<const TemplateSet> WithStrings(
      const std::map<std::string, std::string>& strings) const;
  // Renders template `name` with `view`, then the `baseof` layout around it (as {{{content}}}).
  // Thread-safe: each call parses nothing and shares no mutable state.
  std::string RenderPage(const std::string& name, const View& view) const;
  // Renders one template on its own (feeds' XML, robots.txt, …).
  std::string Render(const std::string& name, const View& view) const;

 private:
  uint64_t id_;  // unique per set, copies included
  std::map<std::string, std::string> sources_;
  std::map<std::string, std::string> partials_;
};

}  // namespace clemency
