#pragma once
// The content checks' problems in the editors' language: every kind a page file can have (its
// name, front matter, body, links and the checks of its words) is matched to a message of the
// admin's catalogs with its parts as arguments, so the admin can say it in Vietnamese or English.
// A problem of no known kind (a site/ file's) keeps the checks' English text.
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace clemency {

struct CheckMessage {
  std::string key;  // "check_wording", … ("" when the problem is of no known kind)
  std::vector<std::pair<std::string, std::string>> args;
};

// The catalog message for `diagnostic` (see above); "field" is always among the arguments.
CheckMessage ClassifyCheck(const Diagnostic& diagnostic);

// Every kind ClassifyCheck knows, in its order: the key with its argument names (values empty).
std::vector<CheckMessage> CheckMessageKinds();

}  // namespace clemency
