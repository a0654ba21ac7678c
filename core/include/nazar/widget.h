// The widget controller: turns user events into session changes, then returns the new view,
// the effects for web/ to run (store, send, close) and the events for the page's listeners.
// This is the whole behaviour behind the C ABI's session calls.
#ifndef NAZAR_WIDGET_H_
#define NAZAR_WIDGET_H_

#include <memory>
#include <string>

#include "nazar/aggregate.h"
#include "nazar/json.h"
#include "nazar/result.h"
#include "nazar/session.h"

namespace nazar {

struct WidgetConfig {
  std::string locale;          // requested locale tag
  std::string site;            // payload "site"
  int utc_offset_minutes = 0;  // host's offset, for the payload's local day
};

class Widget {
 public:
  // Starts a session on `survey`. The returned update (Start()) shows the first question.
  Widget(Survey survey, WidgetConfig config, Host* host);

  // The first update: the view plus a "show" event and a "store" effect holding the payload
  // (so a closed tab still counts the display).
  Json Start();
  // Applies one event (see wasm/nazar_abi.h) and returns the update, or kInvalidArgument /
  // kFailedPrecondition for events that do not fit.
  Result<Json> HandleEvent(const Json& event);

  const Session& session() const { return session_; }

 private:
  Json Update(bool handled, const std::string& focus, Json events);
  Status ApplyAction(const std::string& action, const Json& value, Json* events);
  Result<Json> HandleKey(const Json& event);

  Session session_;
  WidgetConfig config_;
  Host* host_;
  std::string batch_;
  std::string period_;
};

// Milliseconds after which web/ may send a stored, unfinished payload (an abandoned session).
inline constexpr int64_t kAbandonAfterMs = 30 * 60 * 1000;

}  // namespace nazar

#endif  // NAZAR_WIDGET_H_
