// Kiosk mode (Contract 2, data-mode="kiosk"): one shared device answering round after round. The
// rules live here: the options and their limits, when the merged batch is sent, when the survey
// returns to its first question, and the count of unsent answers shown to the staff.
#ifndef NAZAR_KIOSK_H_
#define NAZAR_KIOSK_H_

#include <cstdint>
#include <string>

#include "nazar/json.h"
#include "nazar/result.h"

namespace nazar {

struct KioskOptions {
  int batch = 20;                        // send after this many completed rounds (1..1000)
  int64_t interval_ms = 15 * 60 * 1000;  // or this long after the batch's first round (1..1440 min)
  int64_t idle_ms = 60 * 1000;           // an unfinished round is discarded after this (5..3600 s)
  int64_t thank_you_ms = 4000;           // the thank-you shows this long, then the next round
};

// Reads an optional "mode" member of `obj`: true for "kiosk", false for "default" or none. Any
// other value is an error at `at` ("config/mode: expected \"default\" or \"kiosk\", got 3").
Result<bool> ParseKioskMode(const Json& obj, const std::string& at);

// Reads the session config's "kiosk" object {"batch": n, "interval_minutes": n, "idle_seconds":
// n}, each optional (defaults above), a whole number or a string of digits (a script tag's
// attribute). Errors name the field and its limits: "config/kiosk/batch: expected a whole number
// from 1 to 1000 (data-kiosk-batch), got \"x\"".
Result<KioskOptions> ParseKioskOptions(const Json& kiosk);

// The merged batch is due for sending: `rounds` completed rounds reached options.batch, or
// options.interval_ms have passed since its first round (first_round_ms). Never with no round.
bool KioskBatchDue(const KioskOptions& options, int rounds, int64_t first_round_ms, int64_t now_ms);

// The kiosk's next deadline after `now_ms` (ms from now, at least 0), or -1 when none is pending:
// the thank-you's end (completed_ms >= 0), the idle discard of a touched round (last_input_ms >=
// 0: the time of its last input), the batch interval (rounds > 0). web/ asks again ("tick") then.
int64_t KioskWakeMs(const KioskOptions& options, int64_t now_ms, int64_t completed_ms,
                    int64_t last_input_ms, int rounds, int64_t first_round_ms);

// Unsent completed answers for the staff's count: the completions of every tally in `payloads`
// (the outbox's records, not yet acknowledged) of survey `survey`, except batch `current`,
// whose count is `current_rounds` (the core's own, newer than any stored copy).
int KioskUnsent(const Json& payloads, const std::string& survey, const std::string& current,
                int current_rounds);

}  // namespace nazar

#endif  // NAZAR_KIOSK_H_
