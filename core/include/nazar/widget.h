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
#include "nazar/view.h"

namespace nazar {

struct WidgetConfig {
  std::string locale;          // requested locale tag
  std::string site;            // payload "site"
  int utc_offset_minutes = 0;  // host's offset, for the payload's local day
};

// How the page embeds the survey (Contract 2).
struct EmbedOptions {
  PlacementOptions placement;   // inline in a container, corner mirroring
  bool user_activated = false;  // shown by the visitor's own action (a click that called show())
};

class Widget {
 public:
  // Starts a session on `survey`. The returned update (Start()) shows the first question.
  Widget(Survey survey, WidgetConfig config, Host* host, EmbedOptions embed = {});

  // The first update: the view plus a "show" event and a "store" effect holding the payload
  // (so a closed tab still counts the display). It moves focus into the survey only when it is
  // a modal (centre) or the visitor's own action showed it: never pulled from the page otherwise.
  Json Start();
  // Applies one event (see wasm/nazar_abi.h; an "action" may carry "pointer": true when made
  // with a pointer, which auto_advance needs) and returns the update, or kInvalidArgument /
  // kFailedPrecondition for events that do not fit. When the session ends the update carries
  // the tally as a "send" effect and, under privacy.comments "scrubbed" with submitted text, a
  // "comments" effect {"type": "comments", "batch": C, "after": B, "payload": ...} whose payload
  // web/ sends only on a later flush than batch B. Events name the survey and question, never
  // an answer's value.
  Result<Json> HandleEvent(const Json& event);

  const Session& session() const { return session_; }

 private:
  // One step of work for an event: what changed and what the page should hear of it.
  struct Outcome {
    bool handled = true;
    bool persist = false;   // the answers changed: store (or send, once ended) the payload
    bool close = false;
    std::string focus;      // element id to focus, "" to leave focus alone
    Json events = Json::array();
  };
  Json Update(Outcome outcome);
  Json PayloadJson();
  Status ApplyAction(const std::string& action, const Json& value, Outcome* out);
  // After a pointer selection: auto_advance moves on (not from the last question), and tapping
  // "other" focuses its text field.
  Status AfterTap(const std::string& action, const Json& value, Outcome* out);
  Status ApplyKey(const std::string& key, const std::string& action, const Json& value,
                  Outcome* out);
  Json Event(const char* type) const;

  Session session_;
  WidgetConfig config_;
  EmbedOptions embed_;
  Host* host_;
  std::string batch_;
  std::string period_;
  ViewState view_state_;
  bool sent_ = false;
};

// Builds a widget from the session config the web side sends: {"definition": <definition file
// text or object>, "survey": id (optional with one survey), "locale": tag, "site": host name,
// "utc_offset_minutes": n, "inline": bool, "mirror": bool, "user_activated": bool}. Errors name
// the config field at fault.
Result<std::unique_ptr<Widget>> CreateWidget(const Json& config, Host* host);

// Milliseconds after which web/ may send a stored, unfinished payload (an abandoned session).
inline constexpr int64_t kAbandonAfterMs = 30 * 60 * 1000;

}  // namespace nazar

#endif  // NAZAR_WIDGET_H_
