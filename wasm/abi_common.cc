#include <cstdlib>
#include <string>

#include "abi_internal.h"
#include "nazar_abi.h"

namespace nazar::abi {

// The response slot: owned here, valid until the next call that writes it.
std::string& Slot() {
  static std::string slot;
  return slot;
}

int Respond(const Json& payload) {
  // Invalid UTF-8 in strings is replaced rather than aborting (the core never throws).
  Slot() = JsonText(payload);
  return NAZAR_OK;
}

int Fail(const Status& status, Json extra) {
  extra["code"] = StatusCodeName(status.code());
  extra["message"] = status.message();
  Respond(extra);
  return static_cast<int>(status.code());
}

bool ParseInput(const char* data, size_t size, const char* what, Json* out, int* status) {
  if (data == nullptr && size != 0) {
    *status = Fail(Status::Cold(StatusCode::kInvalidArgument,
                                [&] { return std::string(what) + ": null input"; }));
    return false;
  }
  if (JsonTooDeepAt(std::string_view(data == nullptr ? "" : data, size)) != std::string_view::npos) {
    *status = Fail(Status::Cold(StatusCode::kInvalidArgument, [&] {
      return std::string(what) + ": nested deeper than " + std::to_string(kMaxJsonDepth) +
             " levels";
    }));
    return false;
  }
  *out = ParseJson(data, data + size);
  if (out->is_discarded()) {
    *status = Fail(Status::Cold(StatusCode::kInvalidArgument,
                                [&] { return std::string(what) + ": not valid JSON"; }));
    return false;
  }
  return true;
}

}  // namespace nazar::abi

extern "C" {

void* nazar_alloc(size_t size) { return std::malloc(size == 0 ? 1 : size); }

void nazar_free(void* ptr) { std::free(ptr); }

const char* nazar_response_data(void) { return nazar::abi::Slot().data(); }

size_t nazar_response_size(void) { return nazar::abi::Slot().size(); }

int nazar_core_version(void) {
  return nazar::abi::Respond(nazar::JsonObject({{"version", "0.1.0"}, {"abi", 1}}));
}

}  // extern "C"

// The ABI's status values are the core's StatusCode values: proven here at compile time.
static_assert(NAZAR_OK == static_cast<int>(nazar::StatusCode::kOk));
static_assert(NAZAR_INVALID_ARGUMENT == static_cast<int>(nazar::StatusCode::kInvalidArgument));
static_assert(NAZAR_INVALID_DEFINITION == static_cast<int>(nazar::StatusCode::kInvalidDefinition));
static_assert(NAZAR_NOT_FOUND == static_cast<int>(nazar::StatusCode::kNotFound));
static_assert(NAZAR_FAILED_PRECONDITION ==
              static_cast<int>(nazar::StatusCode::kFailedPrecondition));
static_assert(NAZAR_OUT_OF_RANGE == static_cast<int>(nazar::StatusCode::kOutOfRange));
static_assert(NAZAR_INTERNAL == static_cast<int>(nazar::StatusCode::kInternal));
