// Private: the JSON of one report cell, shared by ReportToJsonText and ReportCell.
#ifndef NAZAR_SRC_REPORT_INTERNAL_H_
#define NAZAR_SRC_REPORT_INTERNAL_H_

#include <string>

#include "json_writer.h"
#include "nazar/report.h"

namespace nazar::report_internal {

// {"displays", ..., "suppressed": [...]} of `cell`; `label` prefixes its suppressed entries.
void CellJson(JsonWriter& w, const CellResult& cell, const std::string& label);

// The numbers of `tally` as one cell, with the minimum applied (no complementary suppression).
CellResult ScoreCellAlone(const Tally& tally, const ReportOptions& options);

// {"from", "to", "questions": {...}} of a comparison (ReportToJson's "compare").
void ComparisonJson(JsonWriter& w, const Comparison& comparison);

// The members of a report's object (Contract 4), written into the object open in `w`.
void ReportMembers(JsonWriter& w, const Report& report);

}  // namespace nazar::report_internal

#endif  // NAZAR_SRC_REPORT_INTERNAL_H_
