// Any bytes as a request to `clemency serve`: the guarded connection loop, httplib's parser and
// every route behind it. A 5xx or a dead server is a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "site_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string request(reinterpret_cast<const char*>(data), size);
  // A client that closes without a whole head gets no answer; that is allowed.
  clemency::fuzz::RequireClientError(clemency::fuzz::Exchange(request), true);
  return 0;
}
