#pragma once
// Interface strings from site/i18n/<lang>.yaml, written in ICU MessageFormat
// (`{count, plural, one {# page} other {# pages}}`, `{date, date, long}`).
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "config/site_config.h"
#include "core/datetime.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency {

using MessageArg = std::variant<std::string, long, DateTime>;
using MessageArgs = std::vector<std::pair<std::string, MessageArg>>;

class MessageCatalogs {
 public:
  // Loads site/i18n/<lang>.yaml for every configured language. Every pattern is compiled once to
  // report syntax errors with file:line, and every language must define the default's keys.
  static Result<MessageCatalogs> Load(const FileSystem& fs, const std::string& i18n_dir,
                                      const SiteConfig& config, Diagnostics* diagnostics);

  // Formats `key` in `lang`. Unknown keys come back as the key itself, so a gap is visible.
  std::string Format(const std::string& lang, const std::string& key,
                     const MessageArgs& args = {}) const;
  // Every key of `lang` formatted without arguments (for templates' `t.*`).
  std::map<std::string, std::string> PlainStrings(const std::string& lang) const;
  bool Has(const std::string& lang, const std::string& key) const;

 private:
  struct Catalog {
    std::string locale;
    std::map<std::string, std::string> patterns;
  };
  std::map<std::string, Catalog> catalogs_;
  // Tells this load's compiled patterns and formatted results apart from another's in the
  // per-thread caches (a rebuild may load changed catalogs or another time zone).
  uint64_t id_ = 0;
};

// Sets the time zone used when dates are shown to readers (e.g. Asia/Ho_Chi_Minh).
void SetDisplayTimeZone(const std::string& zone_id);

}  // namespace clemency
