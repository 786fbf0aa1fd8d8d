// The editor API's JSON reader on any request body, and its typed field accessors.
#include <cstddef>
#include <cstdint>
#include <string>

#include "editor_api/json_reader.h"

using namespace clemency;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string error;
  auto value = ParseJson(std::string_view(reinterpret_cast<const char*>(data), size), &error);
  if (!value) {
    if (error.empty()) __builtin_trap();  // a refusal always says why
    return 0;
  }
  bool wrong = false;
  for (const char* key : {"text", "note", "base", "publish", "when", "version"}) {
    (void)value->StringField(key, &wrong);
    (void)value->BoolField(key, &wrong);
    (void)value->IntField(key, &wrong);
  }
  return 0;
}
