#include "abi_internal.h"
#include "nazar/targeting.h"
#include "nazar_abi.h"

extern "C" int nazar_targeting_decide(const char* request, size_t size) {
  nazar::Json json;
  int status = 0;
  if (!nazar::abi::ParseInput(request, size, "request", &json, &status)) return status;
  auto decision = nazar::DecideFromJson(json, nazar::PlatformHost());
  if (!decision.ok()) return nazar::abi::Fail(decision.status());
  return nazar::abi::Respond(decision.value());
}
