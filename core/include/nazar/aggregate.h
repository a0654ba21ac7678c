// The aggregate payload (Contract 3): the only data that leaves the browser. Counts only, no
// identifiers, day resolution; optional scrubbed comments and local-DP noise per the survey.
#ifndef NAZAR_AGGREGATE_H_
#define NAZAR_AGGREGATE_H_

#include <string>
#include <vector>

#include "nazar/host.h"
#include "nazar/json.h"
#include "nazar/report.h"
#include "nazar/result.h"
#include "nazar/session.h"

namespace nazar {

struct Comment {
  std::string question;
  std::string group;  // NPS group of the respondent ("promoter" | "passive" | "detractor" | "")
  std::string text;   // scrubbed
};

// A parsed, validated payload.
struct Payload {
  std::string batch;  // 32 lowercase hex digits
  std::string site;
  std::string survey;
  std::string survey_version;
  std::string period;  // YYYY-MM-DD
  std::string locale;
  Tally tally;  // with local DP: the randomized reports, each question carrying its noise
  std::vector<Comment> comments;
  double noise_epsilon = 0;  // > 0 when counts are randomized reports (mechanism "grr")
};

// A fresh random 128-bit batch id as 32 hex digits.
std::string NewBatchId(Host& host);

// The payload of one session as it stands (displays 1; completions/dismissals by state).
// Applies privacy settings: comments only when "scrubbed" (scrubbed, with NPS group), and
// local-DP randomization of every scale answer when an epsilon is set.
Payload PayloadFromSession(const Session& session, const std::string& site,
                           const std::string& batch, const std::string& period, Host& host);

// Contract 3 JSON of a payload.
Json PayloadToJson(const Payload& payload);

// Validates and parses a payload (for the collector and the report builder). Errors name the
// JSON pointer: "/questions/nps/counts: expected 11 counts, got 10".
Result<Payload> PayloadFromJson(const Json& json);

// A report over aggregate payloads: {"survey": <definition object or text, optional>,
// "aggregates": [payload...], "min_count": n}. Payloads of other surveys are an error, and so are
// payloads whose local-DP noise differs from the earlier ones ("/aggregates/3/noise: epsilon 1
// does not match epsilon 2 of earlier payloads"): randomized reports are merged raw, by
// addition, and the report estimates and widens the intervals from them (ReportCell).
Result<Json> ReportFromPayloads(const Json& request);

}  // namespace nazar

#endif  // NAZAR_AGGREGATE_H_
