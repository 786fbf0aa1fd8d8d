#pragma once
// Every page kind, defined once: where it may appear, which front matter it takes and needs, the
// template that shows it and how a section of that kind sorts its list. Adding a kind without
// fields of its own is one row of PageKinds().
#include <string_view>
#include <vector>

namespace clemency {

enum class ListOrder {
  kWeightThenTitle,  // weight, then title in the reader's collation
  kNewestFirst,      // date, newest first, then title
  kWeightThenPlace,  // weight, then province and district, then title
};

struct PageKind {
  std::string_view name;
  bool section_kind;     // may be a section's `kind` in site/config.yaml
  bool list_page;        // home or a section's landing page: shows a list of other pages
  bool cites_sources;    // a guide: `sources` (at least one) and `reviewed` are required
  bool story_fields;     // a retold story: `consent` and `source`
  bool support_fields;   // a support entry: province, district, services, contact, verified …
  bool leaflet;          // prints as a leaflet: QR code to the page, version date, legal note
  bool round_fields;     // an amnesty round: decision, key dates, conditions, status
  std::string_view template_name;
  ListOrder order;       // of the list of a section of this kind
};

// Every kind: home and section (the list pages), then the kinds a section can have.
const std::vector<PageKind>& PageKinds();
// The kind called `name`, or nullptr.
const PageKind* FindPageKind(std::string_view name);

}  // namespace clemency
