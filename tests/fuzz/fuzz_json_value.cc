// libFuzzer target: JsonValue's parser (the widget module's JSON) against nlohmann's on arbitrary
// bytes. Both must accept the same texts with the same DOM and the same document-order numbers,
// or refuse them at the same position with the same reason (tests/support/json_compare.h).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "json_compare.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // A few pointers any small document may hold, so that the numbering is compared too.
  const nazar::PointerOrder order = {"", "/a", "/0", "/0/a", "/a/1", "/"};
  const std::string d = nazar::testing::ParseDifference(text, order);
  if (!d.empty()) {
    std::fprintf(stderr, "fuzz_json_value: %s\n", d.c_str());
    std::abort();
  }
  return 0;
}
