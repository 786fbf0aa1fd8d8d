#pragma once
// The content checks' problems in the editors' language: a problem's code is the key of a message
// in the admin's catalogs (generator/api/admin/i18n/*.yaml) and its arguments are the message's,
// so the admin can say it in Vietnamese or English.
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace clemency {

struct CheckMessage {
  std::string key;  // "check_wording", … ("" for a diagnostic made with no code)
  std::vector<std::pair<std::string, std::string>> args;
};

// Returns the catalog message for `diagnostic`: its code, with "field" first among its arguments.
CheckMessage CheckMessageOf(const Diagnostic& diagnostic);

// Returns every code of the diagnostic catalog, in its order, with its argument names ("field"
// first; values empty).
std::vector<CheckMessage> CheckMessageKinds();

}  // namespace clemency
