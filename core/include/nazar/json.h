// The one place the core includes nlohmann/json. The core uses only non-throwing calls
// (parse(..., nullptr, false), find, is_*), so it builds with -fno-exceptions.
#ifndef NAZAR_JSON_H_
#define NAZAR_JSON_H_

#include <nlohmann/json.hpp>

namespace nazar {
using Json = nlohmann::json;  // ordered keys are not needed: payload order is not a contract
}  // namespace nazar

#endif  // NAZAR_JSON_H_
