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
};

struct TargetingDecision {
  bool show = false;
  int delay_ms = 0;
  std::string reason;  // why not, for data-debug ("sampled out", "recontact: 12 days left", ...)
};

// True when `path` matches the glob `pattern` ('*' matches any run, including '/'; every other
// character, '?' too, matches itself, case-sensitively). A "?query" or "#fragment" on `path` is
// ignored, since rules target pages, not their parameters.
bool UrlGlobMatch(std::string_view pattern, std::string_view path);
// True when the survey's url rules admit `path`: no exclude rule matches, and some include rule
// does (no include rules: every path).
bool UrlAllowed(const UrlRules& rules, std::string_view path);
// Decides whether `survey` shows now. Checks, in order: the trigger (facts.kind must equal
// trigger.on; the event name, scroll percent or dwell seconds must be reached), the url rules,
// completion (a completed survey never shows again unless max_displays is 0), max_displays
// (0 = unlimited), recontact_days since the last display, and last the sample, drawn from `host`
// only when everything else admits the display, so a visitor is sampled once per opportunity.
// A refusal carries a reason for data-debug ("sampled out", "recontact: 12 days left", ...).
// kind "manual" (nazar.show(id)) is the site's explicit request and shows any survey at once,
// bypassing all of the above (trigger kind, url, history, sample); only a manual survey's own
// delay_ms applies. A manual survey never shows for any other kind of fact.
TargetingDecision Decide(const Survey& survey, const TargetingFacts& facts, Host& host);

// Decides over a whole definition file for the web side. Request:
// {"definition": <file text or object>, "survey": id (optional: decide for this one only),
//  "facts": {"kind", "event", "url_path", "scroll_percent", "dwell_seconds", "now_ms"},
//  "history": {"<survey id>": {"displays", "last_display_ms", "completed"}}}.
// Result: {"show": {"survey", "delay_ms"} or null (the first survey, in file order, that shows),
//  "decisions": [{"survey", "show", "reason"}]}.
Result<Json> DecideFromJson(const Json& request, Host& host);

}  // namespace nazar

#endif  // NAZAR_TARGETING_H_
