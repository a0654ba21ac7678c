// The widget controller: turns user events into session changes, then returns the new view,
// the effects for web/ to run (store, send, close) and the events for the page's listeners.
// This is the whole behaviour behind the C ABI's session calls.
#ifndef NAZAR_WIDGET_H_
#define NAZAR_WIDGET_H_

#include <memory>
#include <optional>
#include <string>

#include "nazar/aggregate.h"
#include "nazar/json.h"
#include "nazar/kiosk.h"
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
  // Kiosk mode (kiosk.h, data-mode="kiosk"): rounds merge into one batch, the survey restarts.
  std::optional<KioskOptions> kiosk;
};

class Widget {
 public:
  // Starts a session on `survey`. The returned update (Start()) shows the first question.
  Widget(Survey survey, WidgetConfig config, Host* host, EmbedOptions embed = {});

  // The first update: the view plus a "show" event, and no effect. web/ sends {"type": "shown"}
  // once the question has painted; that update stores the payload counting the display ("store",
  // so a closed tab still counts it), in the local day of that moment. Storing waits for it so
  // that the payload's code is not on the first question's path (web/split.mjs leaves what the
  // first question does not run to a part of the module loaded after it). Start moves focus
  // into the survey only when it is a modal (centre) or the visitor's own action showed it:
  // never pulled from the page otherwise.
  Json Start();
  // Applies one event (see wasm/nazar_abi.h; an "action" may carry "pointer": true when made
  // with a pointer, which auto_advance needs) and returns the update, or kInvalidArgument /
  // kFailedPrecondition for events that do not fit. When the session ends the update carries
  // the tally as a "send" effect and, under privacy.comments "scrubbed" with submitted text, a
  // "comments" effect {"type": "comments", "batch": C, "after": B, "payload": ...} whose payload
  // web/ sends only on a later flush than batch B. Events name the survey and question, never
  // an answer's value.
  //
  // Kiosk mode (config "mode": "kiosk"): no tally per round. A completed round merges into the
  // kiosk's batch, stored ("store", send_after_ms the interval) until KioskBatchDue, then sent
  // ("send") and a new batch starts; a round that ends dismissed, or is left idle, is discarded
  // (nothing of it counts) and the first question shows again. Every update then carries
  // "wake_ms" (KioskWakeMs, null when nothing is pending): web/ sends {"type": "tick"} then, and
  // the thank-you's end, the idle discard and the interval send happen on that tick. {"type":
  // "outbox", "payloads": [...]} tells the core the outbox's unacknowledged tallies, for the
  // staff's count of unsent answers in the view (KioskUnsent).
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
    Json effects = Json::array();  // kiosk: batch effects decided before the update
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
  // Kiosk mode: a completed round merges into the batch; a dismissed one restarts.
  void KioskRound(Outcome* out);
  // Kiosk mode: the thank-you's end, the idle discard and the interval send, at host time.
  void KioskTick(Outcome* out);
  void KioskSend(Outcome* out);
  void KioskRestart(Outcome* out);
  std::string Period() const;

  Session session_;
  WidgetConfig config_;
  EmbedOptions embed_;
  Host* host_;
  std::string batch_;
  std::string period_;
  ViewState view_state_;
  bool sent_ = false;
  // Kiosk mode: the merged batch (batch_, rounds_ rounds since first_round_ms_), the running
  // round's last input and completion times (-1: none), the outbox's other unsent answers.
  Payload kiosk_batch_;
  int rounds_ = 0;
  int64_t first_round_ms_ = -1;
  int64_t last_input_ms_ = -1;
  int64_t completed_ms_ = -1;
  int unsent_elsewhere_ = 0;
};

// Builds a widget from the session config the web side sends: {"definition": <definition file
// text or object>, "survey": id (optional with one survey), "locale": tag, "site": host name,
// "utc_offset_minutes": n, "inline": bool, "mirror": bool, "user_activated": bool, "mode":
// "default" | "kiosk", "kiosk": {...} (ParseKioskOptions)}. Errors name the config field at fault.
Result<std::unique_ptr<Widget>> CreateWidget(const Json& config, Host* host);

// Milliseconds after which web/ may send a stored, unfinished payload (an abandoned session).
inline constexpr int64_t kAbandonAfterMs = 30 * 60 * 1000;

}  // namespace nazar

#endif  // NAZAR_WIDGET_H_
