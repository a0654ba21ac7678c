// Private: the JSON of one report cell, shared by ReportToJson and ReportCell.
#ifndef NAZAR_SRC_REPORT_INTERNAL_H_
#define NAZAR_SRC_REPORT_INTERNAL_H_

#include <string>

#include "nazar/report.h"

namespace nazar::report_internal {

// {"displays", ..., "suppressed": [...]} of `cell`; `label` prefixes its suppressed entries.
Json CellJson(const CellResult& cell, const std::string& label);

// The numbers of `tally` as one cell, with the minimum applied (no complementary suppression).
CellResult ScoreCellAlone(const Tally& tally, const ReportOptions& options);

// {"from", "to", "questions": {...}} of a comparison (ReportToJson's "compare").
Json ComparisonJson(const Comparison& comparison);

}  // namespace nazar::report_internal

#endif  // NAZAR_SRC_REPORT_INTERNAL_H_
