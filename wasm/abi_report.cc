#include "abi_internal.h"
#include "nazar/aggregate.h"
#include "nazar/report.h"
#include "nazar_abi.h"

extern "C" int nazar_report_build(const char* request, size_t size) {
  nazar::Json json;
  int status = 0;
  if (!nazar::abi::ParseInput(request, size, "request", &json, &status)) return status;
  auto report = nazar::ReportOfPayloads(json);
  if (!report.ok()) return nazar::abi::Fail(report.status());
  return nazar::abi::RespondText(nazar::ReportToJsonText(report.value()));
}
