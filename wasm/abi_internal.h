// Shared plumbing of the binding files: the response slot and the platform host. Not exported.
#ifndef NAZAR_WASM_ABI_INTERNAL_H_
#define NAZAR_WASM_ABI_INTERNAL_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "nazar/json.h"
#include "nazar/platform_host.h"
#include "nazar/result.h"
#include "nazar_abi.h"

namespace nazar::abi {

// The response slot's storage.
std::string& Slot();
// Writes `payload` to the slot and returns NAZAR_OK.
int Respond(const Json& payload);
// Puts what the core wrote itself into the slot: JSON text, or an import state's bytes.
inline int RespondText(std::string text) {
  Slot() = std::move(text);
  return NAZAR_OK;
}
// Writes {"code", "message", ...extra} to the slot and returns the status value.
int Fail(const Status& status, Json extra = Json::object());
// The bytes of an input range ("" for a null pointer of size 0); a null pointer with a size
// fills the slot with "<what>: null input" and returns false.
inline bool InputBytes(const char* data, size_t size, const char* what, std::string_view* out,
                       int* status) {
  if (data == nullptr && size != 0) {
    *status = Fail(Status(StatusCode::kInvalidArgument, std::string(what) + ": null input"));
    return false;
  }
  *out = std::string_view(data == nullptr ? "" : data, size);
  return true;
}
// Parses a JSON input range (the same null check first); on failure fills the slot and returns
// false.
bool ParseInput(const char* data, size_t size, const char* what, Json* out, int* status);

}  // namespace nazar::abi

#endif  // NAZAR_WASM_ABI_INTERNAL_H_
