#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "abi_internal.h"
#include "nazar/widget.h"
#include "nazar_abi.h"

namespace {

// Live sessions by handle, in creation order. Handles are never reused within a module
// instance. A page holds one or two at a time: a vector searched in order, not a tree map (whose
// insert, find and rebalancing erase cost the widget module about 1 KB of code).
using Live = std::vector<std::pair<int32_t, std::unique_ptr<nazar::Widget>>>;
Live& Sessions() {
  static Live sessions;
  return sessions;
}
int32_t next_handle = 1;

Live::iterator Find(int32_t handle) {
  return std::find_if(Sessions().begin(), Sessions().end(),
                      [handle](const Live::value_type& s) { return s.first == handle; });
}

}  // namespace

extern "C" {

int nazar_session_create(const char* config, size_t size) {
  nazar::Json json;
  int status = 0;
  if (!nazar::abi::ParseInput(config, size, "config", &json, &status)) return status;
  auto widget = nazar::CreateWidget(json, &nazar::PlatformHost());
  if (!widget.ok()) return nazar::abi::Fail(widget.status());
  nazar::Json update = widget.value()->Start();
  const int32_t handle = next_handle++;
  Sessions().emplace_back(handle, std::move(widget).value());
  update["handle"] = handle;
  return nazar::abi::Respond(update);
}

int nazar_session_event(int32_t handle, const char* event, size_t size) {
  auto it = Find(handle);
  if (it == Sessions().end()) {
    return nazar::abi::Fail({nazar::StatusCode::kNotFound, "no session " + std::to_string(handle)});
  }
  nazar::Json json;
  int status = 0;
  if (!nazar::abi::ParseInput(event, size, "event", &json, &status)) return status;
  auto update = it->second->HandleEvent(json);
  if (!update.ok()) return nazar::abi::Fail(update.status());
  return nazar::abi::Respond(update.value());
}

int nazar_session_destroy(int32_t handle) {
  auto it = Find(handle);
  if (it == Sessions().end()) {
    return nazar::abi::Fail({nazar::StatusCode::kNotFound, "no session " + std::to_string(handle)});
  }
  Sessions().erase(it);
  return nazar::abi::Respond(nazar::Json::object());
}

int nazar_session_live(void) { return static_cast<int>(Sessions().size()); }

}  // extern "C"
