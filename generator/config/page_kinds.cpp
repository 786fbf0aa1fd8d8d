#include "config/page_kinds.h"

namespace clemency {

const std::vector<PageKind>& PageKinds() {
  using O = ListOrder;
  static const std::vector<PageKind> kKinds = {
      // name     section list  sources story  support leaflet round template   order
      {"home",    false,  true,  false,  false, false,  false,  false, "home",    O::kWeightThenTitle},
      {"section", false,  true,  false,  false, false,  false,  false, "section", O::kWeightThenTitle},
      {"guide",   true,   false, true,   false, false,  true,   false, "guide",   O::kWeightThenTitle},
      {"story",   true,   false, false,  true,  false,  true,   false, "story",   O::kNewestFirst},
      {"support", true,   false, false,  false, true,   true,   false, "support", O::kWeightThenPlace},
      {"round",   true,   false, true,   false, false,  false,  true,  "round",   O::kWeightThenTitle},
      {"page",    true,   false, false,  false, false,  false,  false, "page",    O::kWeightThenTitle},
  };
  return kKinds;
}

const PageKind* FindPageKind(std::string_view name) {
  for (const PageKind& kind : PageKinds()) {
    if (kind.name == name) return &kind;
  }
  return nullptr;
}

}  // namespace clemency
