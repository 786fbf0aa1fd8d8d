#pragma once
// The content checks' problems in the editors' language: each kind editors meet most often is
// matched to a message of the admin's catalogs with its parts as arguments, so the admin can
// say it in Vietnamese or English. Problems of other kinds keep the checks' English text.
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace clemency {

struct CheckMessage {
  std::string key;  // "check_wording", … ("" when the problem is of no known kind)
  std::vector<std::pair<std::string, std::string>> args;
};

// The catalog message for `diagnostic` (see above).
CheckMessage ClassifyCheck(const Diagnostic& diagnostic);

}  // namespace clemency
