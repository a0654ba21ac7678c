// The ingest decision of POST /v1/aggregates (Contract 5) as a pure function: body bytes in,
// an HTTP status and message out, and on acceptance what to commit. The handler keeps what
// depends on the connection (origin, rate limit, body size) and the commit itself.
#ifndef NAZAR_COLLECTOR_INGEST_H_
#define NAZAR_COLLECTOR_INGEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "collector/definitions.h"
#include "collector/store.h"

namespace nazar::collector {

// What DecideIngest decided. status 200 with `ingest` set: commit it. 400 (the body is not a
// Contract 3 payload) or 422 (a payload the registered definitions refuse): `ingest` is empty
// and `message` says what and where, starting with a JSON pointer ("/questions/nps/counts/9:
// ...").
struct IngestOutcome {
  int status = 200;
  std::string message;
  std::optional<Ingest> ingest;
  // 422 because `catalog` does not know the payload's survey or version (another replica may
  // have registered it since this one read the store).
  bool unknown_version = false;
};

// Parses `body` (duplicate keys refused), checks it as a Contract 3 payload, against the
// registered version in `catalog`, and its period against `today` (days since 1970-01-01) and
// `max_age_days`; scrubs comments again; and maps it to the Ingest a Store commits: totals
// under the payload's period, comments under `today`, the day they arrived.
IngestOutcome DecideIngest(std::string_view body, const Catalog& catalog, int64_t today,
                           int max_age_days);

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_INGEST_H_
