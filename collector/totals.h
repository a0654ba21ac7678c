// The collector's flattening of a core Tally into the named counters of a totals row
// (store.h), and back. Counters add like the tally does, so summing counters of many payloads
// and rebuilding gives the merged tally.
//
// Names (only non-zero counters are written):
//   "displays", "completions", "dismissals"
//   "q/<question>/<i>"     counts[i] of the question (i from 0: scale value - min, or option)
//   "q/<question>/n"       QuestionTally::answered (answers; multiple choice: respondents;
//                          local DP: reports)
//   "q/<question>/skipped" QuestionTally::skipped
// Shapes (type, scale, options, multiple, satisfied) and the local-DP parameters are not
// stored: they come from the registered definition version the row belongs to.
#ifndef NAZAR_COLLECTOR_TOTALS_H_
#define NAZAR_COLLECTOR_TOTALS_H_

#include <vector>

#include "collector/store.h"
#include "nazar/aggregate.h"  // EmptyTallyOf: the tally a row is rebuilt into
#include "nazar/definition.h"
#include "nazar/report.h"
#include "nazar/result.h"

namespace nazar::collector {

// The non-zero counters of `tally`, sorted by name. Counts are whole numbers (payload counts).
std::vector<Counter> CountersFromTally(const Tally& tally);

// Rebuilds the tally of a totals row of `survey` from its counters. Fails (kFailedPrecondition,
// naming the counter) on a counter that does not fit the definition.
Result<Tally> TallyFromCounters(const Survey& survey, const std::vector<Counter>& counters);

}  // namespace nazar::collector

#endif  // NAZAR_COLLECTOR_TOTALS_H_
