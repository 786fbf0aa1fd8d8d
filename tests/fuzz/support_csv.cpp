// `clemency import support FILE.csv` on any CSV, against the project's real content/support.
#include <cstddef>
#include <cstdint>
#include <string>

#include "content/support_import.h"
#include "site_fixture.h"

using namespace clemency;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string csv(reinterpret_cast<const char*>(data), size);
  static const DiskFileSystem fs;
  DateTime today;  // the epoch: a `verified` date later than it is "in the future"
  Diagnostics diagnostics;
  auto updates = PlanSupportImport(fs, CLEMENCY_SOURCE_DIR, "fuzz.csv", csv, fuzz::RealConfig(),
                                   today, &diagnostics);
  if (!updates.empty() && !diagnostics.empty()) __builtin_trap();  // all or nothing
  return 0;
}
