#include "nazar/result.h"

namespace nazar {

Status::Status(StatusCode code, const char* message)
    : code_(code), message_(message != nullptr ? message : "") {}

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kInvalidDefinition: return "invalid_definition";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kFailedPrecondition: return "failed_precondition";
    case StatusCode::kOutOfRange: return "out_of_range";
    case StatusCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace nazar
