// Any numbers (and anything else) typed into the self-check's time question, on the server route
// that computes the answer. It must answer 303 or 400 with the form, never a server error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/site_paths.h"
#include "site_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* const kQuestions[] = {"time-fixed", "time-life"};
  static const char* const kLanguages[] = {"vi", "en", "km"};
  std::string query(reinterpret_cast<const char*>(data + 1), size - 1);
  for (char& c : query)
    if (c == ' ' || c == '\r' || c == '\n' || c == '#') c = '+';  // stay inside the request line
  std::string request = "GET /" + std::string(kLanguages[data[0] % 3]) + "/" +
                        clemency::paths::kSelfCheckFolder + "/" + kQuestions[(data[0] / 3) % 2] +
                        "/?served_years=" + query +
                        " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  clemency::fuzz::RequireClientError(clemency::fuzz::Exchange(request), false);
  return 0;
}
