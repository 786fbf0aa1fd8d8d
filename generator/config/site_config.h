#pragma once
// site/config.yaml as an immutable value.
#include <string>
#include <vector>

#include "config/provinces.h"
#include "core/fs.h"
#include "core/status.h"

namespace clemency {

struct LanguageConfig {
  std::string code;    // vi
  std::string name;    // Tiếng Việt (in its own language, for the switcher)
  std::string locale;  // vi_VN (ICU locale for collation, dates, plurals, breaks)
  std::string title;   // site title in this language
  // How numbers are written in this language's text: "khmer" (០–៩), "western" (0–9), or "" (not
  // checked). Content is checked against it and interface strings (dates) are formatted with it.
  std::string numerals{};
  // How to credit the site in this language: "{title}" and "{base_url}" are filled in
  // (SiteConfig::Attribution). Empty: the site states no attribution in this language.
  std::string attribution{};
  // Said beside a story retold from a press report: the licence covers the retelling only.
  std::string retelling_note{};
  // `locale` with ICU's numbering system for `numerals` ("km_KH@numbers=khmr").
  std::string FormatLocale() const {
    return numerals == "khmer" ? locale + "@numbers=khmr" : locale;
  }
};

struct SectionConfig {
  std::string name;  // guides
  std::string kind;  // guide | story | support | page
};

struct ReadabilityConfig {
  double en_min_flesch = 60;  // Flesch reading ease, higher is easier
  double vi_max_syllables_per_sentence = 20;
  double km_max_words_per_sentence = 25;
  // The longest single sentence allowed (0: no limit): a page's average can pass while one
  // sentence runs on; each over the limit is reported at its line.
  double en_max_words_in_sentence = 0;
  double vi_max_syllables_in_sentence = 0;
  double km_max_words_in_sentence = 0;
};

// The licence the site's own content is published under (`licence:`); all empty when none is
// stated, and then feeds, the API and pages say nothing about reuse.
struct LicenceConfig {
  std::string name;  // CC BY 4.0
  std::string spdx;  // CC-BY-4.0
  std::string url;   // https://creativecommons.org/licenses/by/4.0/
  bool empty() const { return name.empty(); }
};

// A WebSub hub (W3C) that `serve` runs at paths::kWebSubHub (`websub:`). When on, every feed
// advertises it (rel="hub"), in `build`'s output too, so the files are the same whoever writes
// them; a site without it advertises none (a static-only deployment has no hub to offer).
struct WebSubConfig {
  bool hub = false;
  // Hosts a callback may be on ("": any public host). Private, loopback and link-local
  // addresses are refused whatever this says.
  std::vector<std::string> callback_hosts{};
};

// E-mail notices to editors (`notify:`): a change submitted for review is told to the
// publishers through the machine's sendmail interface. Without `sendmail`, nothing is sent.
struct NotifyConfig {
  std::string sendmail;   // the program's absolute path (/usr/sbin/sendmail)
  std::string from;       // the From address ("": sendmail's default)
  std::string admin_url;  // where the admin is reached ("": base_url), for the mail's link
};

struct SiteConfig {
  std::string base_url;  // https://example.org, no trailing slash
  std::string default_language;
  std::vector<LanguageConfig> languages;
  std::vector<SectionConfig> sections;
  std::string time_zone = "Asia/Ho_Chi_Minh";  // ICU zone for displayed dates
  int utc_offset_minutes = 420;                // offset for dates written without one
  int summary_length = 200;                    // characters, cut on a word boundary
  int feed_limit = 50;
  int list_page_size = 50;  // items per page of a section's list; longer lists get more pages
  // A content file above this is refused: a page is a few KB, and a huge file would take the
  // build's memory many times over (`max_content_file_mb`).
  uint64_t max_content_file_bytes = 4 << 20;
  // Whether `clemency publish`, `unpublish` and `import` may change the store, which skips the
  // two-person review (`command_line_publishing: refused` for ministries that require review).
  bool command_line_publishing = true;
  ReadabilityConfig readability;
  LicenceConfig licence{};
  WebSubConfig websub{};
  NotifyConfig notify{};
  // An administrator's choice (`review: {approve_own_merge: true}`): a publisher who only merged
  // an edit may approve it, explicitly and audited, when no other publisher may.
  bool approve_own_merge = false;
  // site/provinces.yaml, beside config.yaml (empty when the site has none).
  std::vector<Province> provinces{};

  const LanguageConfig* FindLanguage(const std::string& code) const;
  const SectionConfig* FindSection(const std::string& name) const;
  const LanguageConfig& DefaultLanguage() const { return *FindLanguage(default_language); }
  // Returns the attribution line in `lang` ("Nguồn: <title> (<base_url>)"), or "" when the
  // language (or the default language, as a fallback) gives none.
  std::string Attribution(const std::string& lang) const;
  // Returns the licence and attribution in one line ("CC BY 4.0 <url>. Nguồn: …"), for
  // Atom's <rights> and RSS's <copyright>; "" when no licence is stated.
  std::string RightsLine(const std::string& lang) const;
  // Returns the note that the licence covers only the site's retelling of a press report, in
  // `lang` (or the default language).
  std::string RetellingNote(const std::string& lang) const;
  // Returns the hub's absolute URL when the site runs one (`websub.hub`), else "".
  std::string WebSubHubUrl() const;
};

// The names of the kinds a section may have (PageKinds() with section_kind).
const std::vector<std::string>& KnownSectionKinds();
// Services a support entry may offer; each has an interface string `service_<name>`.
const std::vector<std::string>& KnownServices();

// Reads and validates `path`, and the province list beside it; every problem goes to
// `diagnostics`.
Result<SiteConfig> LoadSiteConfig(const FileSystem& fs, const std::string& path,
                                  Diagnostics* diagnostics);

}  // namespace clemency
