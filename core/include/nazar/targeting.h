// Trigger and targeting decisions from facts the host passes in (no DOM, no storage here).
#ifndef NAZAR_TARGETING_H_
#define NAZAR_TARGETING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/definition.h"
#include "nazar/host.h"
#include "nazar/json.h"
#include "nazar/kiosk.h"
#include "nazar/result.h"

namespace nazar {

// What the page reports, and what the visitor's own storage remembers about one survey.
struct TargetingFacts {
  std::string kind;          // "event" | "pageview" | "exit_intent" | "scroll" | "dwell" | "manual"
  std::string event;         // kind = event: the tracked name
  std::string url_path;      // location.pathname (never leaves the page)
  int scroll_percent = 0;    // kind = scroll
  int dwell_seconds = 0;     // kind = dwell
  int64_t now_ms = 0;
  int displays = 0;          // earlier displays of this survey to this visitor
  int64_t last_display_ms = -1;  // -1: never shown
  bool completed = false;    // visitor already completed this survey
  double sample_draw = -1;   // this visitor's stored draw for the survey in [0, 1); -1: none yet
  // Kiosk mode (data-mode="kiosk"): a shared device, so the per-visitor caps (completion,
  // max_displays, recontact_days, sample_rate) do not apply; trigger and url rules still do.
  bool kiosk = false;
};

struct TargetingDecision {
  bool show = false;
  int delay_ms = 0;
  std::string reason;  // why not, for data-debug ("sampled out", "recontact: 12 days left", ...)
  // A fresh sample draw in [0, 1) that the host must store with the display history (-1: none
  // was drawn), so the visitor is never drawn again for this survey.
  double sample_draw = -1;
  // Refused only because the scroll or dwell fact is short of the trigger's threshold: the
  // value at which to ask again (0: asking again with a larger value changes nothing).
  int wait_scroll_percent = 0;
  int wait_dwell_seconds = 0;
};

// True when `path` matches the glob `pattern` ('*' matches any run, including '/'; every other
// character, '?' too, matches itself, case-sensitively). A "?query" or "#fragment" on `path` is
// ignored, since rules target pages, not their parameters.
bool UrlGlobMatch(std::string_view pattern, std::string_view path);
// True when the survey's url rules admit `path`: no exclude rule matches, and some include rule
// does (no include rules: every path).
bool UrlAllowed(const UrlRules& rules, std::string_view path);
// Decides whether `survey` shows now. Checks, in order: the trigger (facts.kind must equal
// trigger.on; the event name must match), the url rules, completion (a completed survey never
// shows again unless max_displays is 0), max_displays (0 = unlimited), recontact_days since the
// last display, the scroll percent or dwell seconds (a shortfall sets wait_*), and last the
// sample: the visitor's stored draw (facts.sample_draw) when there is one, otherwise one drawn
// from `host` (returned in sample_draw for the host to store) only when everything else admits
// the display, so a visitor is drawn once per survey (METRICS.md), not once per page view.
// In kiosk mode (facts.kiosk) completion, max_displays, recontact and the sample are skipped (no
// draw is made): every person at the kiosk is a new respondent.
// A refusal carries a reason for data-debug ("sampled out", "recontact: 12 days left", ...).
// kind "manual" (nazar.show(id)) is the site's explicit request and shows any survey at once,
// bypassing all of the above (trigger kind, url, history, sample); only a manual survey's own
// delay_ms applies. A manual survey never shows for any other kind of fact.
TargetingDecision Decide(const Survey& survey, const TargetingFacts& facts, Host& host);

// Decides over a whole definition file for the web side. Request:
// {"definition": <file text or object>, "survey": id (optional: decide for this one only),
//  "mode": "default" | "kiosk" (optional, default "default"; kiosk: TargetingFacts::kiosk),
//  "facts": {"kind", "event", "url_path", "scroll_percent", "dwell_seconds", "now_ms"},
//  "history": {"<survey id>": {"displays", "last_display_ms", "completed", "sample_draw"}}}.
// Result: {"show": {"survey", "delay_ms"} or null (the first survey, in file order, that shows),
//  "decisions": [{"survey", "show", "reason", "sample_draw" (only when freshly drawn: store it
//  in history[survey].sample_draw)}],
//  "wait": {"scroll_percent": n, "dwell_seconds": n} (each only when some survey waits for that
//  fact to grow: the smallest value worth asking again at; absent when none does)}.
Result<Json> DecideFromJson(const Json& request, Host& host);

}  // namespace nazar

#endif  // NAZAR_TARGETING_H_
