#include "collector/ingest.h"

#include <utility>

#include "collector/totals.h"
#include "nazar/aggregate.h"
#include "nazar/date.h"
#include "nazar/json.h"
#include "nazar/privacy.h"

namespace nazar::collector {
namespace {

IngestOutcome Refuse(int status, std::string message) {
  IngestOutcome out;
  out.status = status;
  out.message = std::move(message);
  return out;
}

}  // namespace

IngestOutcome DecideIngest(std::string_view body, const Catalog& catalog, int64_t today,
                           int max_age_days) {
  JsonParseError parse_error;
  const Json json = ParseJsonStrict(body.data(), body.data() + body.size(), &parse_error);
  if (json.is_discarded()) return Refuse(400, parse_error.ToString());
  Result<Payload> parsed = PayloadFromJson(json);
  if (!parsed.ok()) return Refuse(400, parsed.status().message());
  Payload& p = *parsed;
  if (catalog.Latest(p.survey) == nullptr) {
    IngestOutcome out = Refuse(422, "/survey: \"" + p.survey + "\" is not a registered survey");
    out.unknown_version = true;
    return out;
  }
  const RegisteredSurvey* def = catalog.Find(p.survey, p.survey_version);
  if (def == nullptr) {
    IngestOutcome out = Refuse(422, "/survey_version: \"" + p.survey_version +
                                        "\" is not a registered version of " + p.survey);
    out.unknown_version = true;
    return out;
  }
  // The core's rules: the payload matches the registered version (questions, scales, options,
  // privacy mode, locale, comments policy) and its day is within max_age_days.
  if (Status s = CheckPayloadAgainstSurvey(p, def->survey); !s.ok()) {
    return Refuse(422, s.message());
  }
  if (Status s = CheckPayloadPeriod(p, today, max_age_days); !s.ok()) {
    return Refuse(422, s.message());
  }
  const int64_t day = *ParseIsoDay(p.period);
  // Scrubbed again on arrival: the collector does not trust the browser's scrubbing.
  RescrubComments(&p);
  Ingest item;
  item.batch = p.batch;
  item.day = day;
  if (p.kind == PayloadKind::kTally) {
    item.key = TotalsKey{p.site, p.survey, p.survey_version, day, p.locale};
    item.counters = CountersFromTally(p.tally);
  } else {
    // Filed under the day it arrived, not the answer's: readers see comments up to yesterday
    // only, so none appears the moment it is written, whether its period is a visitor's local
    // day behind UTC or a day long readable (a comment sent on a later page load).
    for (const Comment& c : p.comments) {
      item.comments.push_back(
          StoredComment{p.survey, p.survey_version, today, p.locale, c.question, c.group, c.text});
    }
  }
  IngestOutcome out;
  out.ingest = std::move(item);
  return out;
}

}  // namespace nazar::collector
