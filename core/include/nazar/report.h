// Mergeable tallies and the report (Contract 4): what the collector, `nazar score` and the
// analyze page all print. Non-answers never enter a denominator; they are counted apart.
#ifndef NAZAR_REPORT_H_
#define NAZAR_REPORT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nazar/definition.h"
#include "nazar/json.h"
#include "nazar/stats.h"

namespace nazar {

// Histogram of one question. Scale questions: counts[v - MinValue()]. Choice: counts per option
// (a multiple-choice answer adds one to each chosen option). Text: counts unused.
struct QuestionTally {
  std::string id;
  QuestionType type = QuestionType::kNps;
  int scale = 0;                     // csat/ces/rating points; 11 for nps
  std::vector<double> counts;
  std::vector<std::string> options;  // choice option ids, in order
  std::vector<int> satisfied;        // csat satisfied set used (empty: default for the scale)
  double answered = 0;               // respondents who answered (n for choice and text)
  double skipped = 0;                // saw the question and gave no answer (never in n)

  // An empty tally shaped for `q`.
  static QuestionTally For(const Question& q);
  // Adds `other` cell by cell. Shapes must match (same type, scale and options); returns false
  // and leaves this unchanged when they do not.
  bool Merge(const QuestionTally& other);
};

// Everything counted for one survey in one cell (segment x period). Merges by addition.
struct Tally {
  double displays = 0;
  double completions = 0;
  double dismissals = 0;
  std::vector<QuestionTally> questions;  // in definition order

  // An empty tally with one QuestionTally per question of `survey`.
  static Tally For(const Survey& survey);
  QuestionTally* Find(const std::string& question_id);
  // Adds counts; questions missing here are appended. False when a shape conflicts.
  bool Merge(const Tally& other);
};

struct ReportOptions {
  int min_count = kDefaultMinCount;  // cells with n below this carry no numbers (>= 5)
  static constexpr int kDefaultMinCount = 5;
};

// Report for one cell: {"displays", "completions", "response_rate", "questions": {...},
// "suppressed": [...]}; scores per METRICS.md. `label` prefixes suppressed entries
// (e.g. "segment=web/" so an entry reads "segment=web/nps"). response_rate is null when there
// are no displays.
Json ReportCell(const Tally& tally, const ReportOptions& options, const std::string& label = "");

// One labelled cell of a segmented or periodic report.
struct ReportCellInput {
  std::string segment;  // "" when not segmented
  std::string period;   // "" when not by period
  Tally tally;
};

// Full Contract 4 report: the overall cell at top level, plus "segments" (when any cell has a
// segment) and "periods" (when any cell has a period), each an array of labelled cells.
// `from`/`to` are "YYYY-MM-DD" or empty (then null).
Json BuildReport(const std::string& survey_id, const std::string& from, const std::string& to,
                 const std::vector<ReportCellInput>& cells, const ReportOptions& options);

// A readable fixed-width table of a BuildReport() result, for `nazar score --format text`.
std::string FormatReportText(const Json& report);

}  // namespace nazar

#endif  // NAZAR_REPORT_H_
