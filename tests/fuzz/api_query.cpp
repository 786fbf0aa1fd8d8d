// Any query string on the public API's routes. Each must answer 200/304 or a 4xx problem.
#include <cstddef>
#include <cstdint>
#include <string>

#include "site_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* const kRoutes[] = {"/api/v1/pages", "/api/v1/support", "/api/v1/support.csv",
                                        "/api/v1/pages/guides/quy-trinh", "/api/v1/languages"};
  const char* route = kRoutes[data[0] % 5];
  std::string query(reinterpret_cast<const char*>(data + 1), size - 1);
  for (char& c : query)
    if (c == ' ' || c == '\r' || c == '\n' || c == '#') c = '+';  // stay inside the request line
  std::string request = "GET " + std::string(route) + "?" + query +
                        " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  clemency::fuzz::RequireClientError(clemency::fuzz::Exchange(request), false);
  return 0;
}
