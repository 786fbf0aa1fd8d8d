#pragma once
// The content model: one Page per Markdown file (one translation of one page).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/datetime.h"

namespace clemency {

// An optional part of a page kept on the heap: most pages have no consent, story source or
// support entry, and a build holds every page at once (10k pages: 4.5 MB less than inline).
// Reads like std::optional; copies copy the value.
template <typename T>
class Boxed {
 public:
  Boxed() = default;
  Boxed(const Boxed& other) : value_(other ? std::make_unique<T>(*other) : nullptr) {}
  Boxed(Boxed&&) noexcept = default;
  Boxed& operator=(const Boxed& other) {
    value_ = other ? std::make_unique<T>(*other) : nullptr;
    return *this;
  }
  Boxed& operator=(Boxed&&) noexcept = default;
  Boxed& operator=(const T& value) {
    value_ = std::make_unique<T>(value);
    return *this;
  }

  bool has_value() const { return value_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& emplace() {
    value_ = std::make_unique<T>();
    return *value_;
  }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }
  T* operator->() { return value_.get(); }
  const T* operator->() const { return value_.get(); }

 private:
  std::unique_ptr<T> value_;
};

struct LegalSource {
  std::string title, number, article, url;
};

// What a story may claim about its people's agreement. `personal`: someone agreed, on a date,
// to a scope; `published-report`: retold from a published report, nobody was asked (then the
// other fields stay empty and the page must not claim consent).
struct Consent {
  std::string basis;  // personal | published-report
  std::string given_by;
  std::optional<DateTime> date;
  std::string scope;  // initials-only | full-name ("" for published-report)
  std::string images;  // allowed | not-allowed: photos of the person ("" : not said, so not)
  bool personal() const { return basis == "personal"; }
};

// Returns whether a story's `consent` lets it show a photo of a person whose library record has
// the consent basis `image_basis` ("no-person": nobody identifiable, always shown). A personal
// consent covers photos only when it says `images: allowed`; a story retold from a published
// report may show only that report's photos (image basis `published-report`).
bool ConsentCoversImage(const Consent* consent, const std::string& image_basis);

struct StorySource {
  std::string title, publisher, url;
  std::optional<DateTime> date;
};

struct Contact {
  std::string phone, address, hours;
  bool empty() const { return phone.empty() && address.empty() && hours.empty(); }
};

struct Coordinates {
  double lat = 0, lon = 0;
};

// Places are written as the source gave them; `current_province` is the province the place
// belongs to since the 2025 reform (34 provinces, no districts), when it differs.
struct SupportInfo {
  std::string province, current_province;
  std::string commune, former_district;
  std::string district;  // older entries: a district as the source named it
  std::string organisation;
  std::vector<std::string> services;
  Contact contact;
  std::optional<Coordinates> coordinates;
  // Someone (an office or role) confirmed on this date that the entry still operates.
  std::optional<DateTime> verified;
  std::string verified_by;
  // The district-level name shown: the former district, else the older `district` field.
  const std::string& DistrictShown() const {
    return former_district.empty() ? district : former_district;
  }
  // The province the place belongs to today: where a family looking for help near them lives.
  const std::string& ProvinceNow() const {
    return current_province.empty() ? province : current_province;
  }
  // The phone number for a tel: link in E.164 ("0299 3 777 111" -> "+842993777111"; Vietnam's
  // trunk 0 becomes +84), or "" when there is no number.
  std::string PhoneE164() const;
};

// An amnesty round: its decision, the dates a family needs, what it adds to the law's conditions,
// and where it stands.
struct KeyDate {
  std::string label;
  DateTime date;
};

struct RoundInfo {
  std::string decision;  // decision number, "" when not known
  std::optional<DateTime> decision_date;
  std::string status;                   // announced | reviewing | released | closed
  std::vector<KeyDate> key_dates;       // in the order written
  std::vector<std::string> conditions;  // what this round adds, in plain words
};

// The statuses of a round, in the order a round goes through them.
const std::vector<std::string>& RoundStatuses();

struct Page {
  // Identity: `section` is empty for the home page; `slug` is empty for an _index page.
  std::string section, slug, lang;
  std::string kind;         // guide | story | support | page | section | home
  std::string source_path;  // relative to the site folder, e.g. content/guides/x.vi.md
  std::string source_text;  // the whole file, NFC

  std::string title, summary;
  DateTime date, updated;
  std::optional<DateTime> reviewed;
  bool draft = false;
  long weight = 0;
  std::vector<std::string> tags;
  // Old slugs of this page in its section (`aliases`): each old URL redirects to the page.
  std::vector<std::string> aliases;
  int aliases_line = 0;  // the field's line in the file, for diagnostics (0: none)
  std::vector<LegalSource> sources;
  std::string change_note;
  std::string translation_status;  // "" for the default language, else reviewed | machine-assisted
  std::optional<DateTime> translated_from;
  Boxed<Consent> consent;
  Boxed<StorySource> story_source;
  Boxed<SupportInfo> support;
  Boxed<RoundInfo> round;

  size_t body_offset = 0;   // where the Markdown body starts in source_text
  int body_first_line = 1;  // line of the body's first line in the file, for diagnostics

  std::string_view body_markdown() const {
    return std::string_view(source_text).substr(body_offset);
  }

  bool IsIndex() const { return slug.empty(); }
  // True for a story retold from a published press report (consent basis `published-report`
  // with its `source`): the site's licence covers the retelling only, not the report.
  bool IsRetoldReport() const {
    return consent && consent->basis == "published-report" && story_source;
  }
  // Links translations: "guides/quy-trinh", "guides" for a section index, "" for home.
  std::string TranslationKey() const;
  // Site path of this page in `language`: /vi/guides/quy-trinh/.
  std::string PathIn(const std::string& language) const;
};

// Whether round page `a` is less current than `b`, as the home page's box picks the round it
// shows: a round not yet closed comes before a closed one, then the later decision.
// REQUIRES: both pages have `round`.
bool LessCurrentRound(const Page& a, const Page& b);

}  // namespace clemency
