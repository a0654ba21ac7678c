// Mergeable tallies and the report (Contract 4): what the collector, `nazar score` and the
// analyze page all print. Non-answers never enter a denominator; they are counted apart.
#ifndef NAZAR_REPORT_H_
#define NAZAR_REPORT_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nazar/definition.h"
#include "nazar/json.h"
#include "nazar/privacy.h"
#include "nazar/result.h"
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
  bool multiple = false;             // choice: several options per respondent
  double answered = 0;               // respondents who answered (n for choice and text)
  double skipped = 0;                // saw the question and gave no answer (never in n)
  // Local differential privacy (METRICS.md, "Privacy"; aggregate.h, PayloadFromSession): when
  // noise_epsilon > 0 the counts are the REPORTED (randomized) values of k-ary randomized
  // response ("grr") over noise_k values, one of which is "no answer", kept raw so they merge by
  // addition; the report estimates and widens from them. noise_epsilon is this question's share
  // of the respondent's budget. `skipped` holds the "no answer" reports and `answered` the
  // number of reports (one per display), not an answer count.
  //   nps: noise_k 4 = the 3 groups + no answer (reports sit at cells 0, 7, 9), 12 = 11 answers
  //   csat/ces/rating: scale + 1; single choice: options + 1
  //   multiple choice: 2, one yes/no bit per option plus a "no answer" bit, each at
  //   noise_epsilon / (options + 1)
  double noise_epsilon = 0;
  int noise_k = 0;

  bool Noisy() const { return noise_epsilon > 0 && noise_k >= 2; }
  // NPS randomized over its 3 groups (plus "no answer") rather than the 11 answers.
  bool NpsGrouped() const {
    return type == QuestionType::kNps && Noisy() && noise_k == kNpsGroupedNoiseK;
  }
  static constexpr int kNpsGroupedNoiseK = 4;
  // Under that randomization each group's count sits in the 11-cell histogram at one
  // representative answer (detractor, passive, promoter), so every NPS statistic, which only
  // sees the groups, stays correct.
  static constexpr int kNpsGroupCell[3] = {0, 7, 9};
  // Nothing counted yet (no counts, answers or skips).
  bool Empty() const;

  // An empty tally shaped for `q` (no noise: set the noise where reports are randomized).
  static QuestionTally For(const Question& q);
  // Adds `other` cell by cell. Shapes must match (same type, scale and options) and so must the
  // noise (same epsilon and k, or both none; an Empty() side takes the other's noise); returns
  // false and leaves this unchanged when they do not.
  bool Merge(const QuestionTally& other);
};

// Everything counted for one survey in one cell (segment x period). Merges by addition.
struct Tally {
  double displays = 0;
  double completions = 0;
  double dismissals = 0;
  std::vector<QuestionTally> questions;  // in definition order
  // Local DP: the whole per-respondent budget and the number m of items it is split over
  // (aggregate.h). Then `completions` holds the randomized completed/not reports (k = 2 at
  // noise_epsilon / noise_items) and `dismissals` stays 0.
  double noise_epsilon = 0;
  int noise_items = 0;

  bool Noisy() const { return noise_epsilon > 0 && noise_items > 0; }

  // An empty tally with one QuestionTally per question of `survey`.
  static Tally For(const Survey& survey);
  // The tally of a question, or nullptr.
  QuestionTally* Find(const std::string& question_id);
  const QuestionTally* Find(const std::string& question_id) const;
  // Adds counts; questions missing here are appended. False when a shape or the noise conflicts
  // (then nothing is added); a tally with no displays takes the other's noise.
  bool Merge(const Tally& other);
};

struct ReportOptions {
  // Cells and questions with n below this carry no numbers (values below 5 count as 5).
  int min_count = kDefaultMinCount;
  // Shared reports (collector, share links, `nazar score` by default) hide small cells and
  // questions with complementary suppression (METRICS.md, "Privacy"). False shows every number
  // and marks what is below min_count `low_precision` instead: the analyze page scores an
  // analyst's own file.
  bool suppress = true;
  static constexpr int kDefaultMinCount = kMinCellCount;  // privacy.h, METRICS.md
};

// The numbers of one question in one cell, before rounding. Which fields apply depends on the
// type (see ReportToJson); NaN marks "not defined" (e.g. a mean below 2 answers has no sd).
struct QuestionResult {
  std::string id;
  QuestionType type = QuestionType::kNps;
  // Hidden: n below the minimum, or hidden so that another hidden number cannot be derived
  // (complementary suppression), or the whole cell is hidden. Only id and type are shown.
  bool suppressed = false;
  // NPS: the interval is wider than +-10 points. Any type, when not suppressing: n is below
  // the minimum.
  bool low_precision = false;
  double n = 0;  // answers (choice and text: respondents); with local DP, reports
  double skipped = 0;
  int scale = 0;  // csat, ces, rating
  double score = 0;  // nps, csat
  double mean = 0;   // ces, rating
  double sd = 0;     // ces, when has_ci
  bool has_ci = true;  // false for a mean below 2 answers
  Interval ci95;
  double promoters = 0, passives = 0, detractors = 0;  // nps
  double satisfied = 0;                                // csat
  std::vector<int> satisfied_set;                      // csat
  double agree_pct = 0;                                // ces
  std::vector<std::string> options;                    // choice
  std::vector<double> shares;                          // choice, percent of respondents
  std::vector<double> counts;  // plain counts, or local-DP estimates clipped to [0, n]
  // Local differential privacy: the counts were randomized reports (QuestionTally::Noisy()).
  bool noisy = false;
  double noise_epsilon = 0;
  int noise_k = 0;
  double epsilon_per_option = 0;  // multiple choice: the budget of each yes/no report
  std::vector<double> reported_counts;
  double reported_skipped = 0;  // the randomized "no answer" reports

  // Nobody answered: nothing to hide and nothing to score.
  bool Unanswered() const;
};

// One report cell (the overall, a segment, a period, or segment x period).
struct CellResult {
  std::string segment;  // "" when not a segment cell
  std::string period;   // "" when not a period cell
  // n of the cell: its respondents, i.e. the larger of completions and the largest question n
  // (a dismissed session's answers count even though it did not complete). Below the minimum
  // the whole cell is hidden, and so is a cell hidden by complementary suppression.
  double n = 0;
  bool suppressed = false;     // no numbers at all: not even displays or completions
  bool low_precision = false;  // n below the minimum when not suppressing
  double displays = 0;
  double completions = 0;
  // Local DP: the whole per-respondent budget and the number of items it was split over (m);
  // completions are then estimated from randomized reports.
  double noise_epsilon = 0;
  int noise_items = 0;
  std::vector<QuestionResult> questions;  // in definition order
  // The survey versions counted in this cell (ReportCellInput::version), sorted: a trend marks
  // where they change. Written only for a shown cell (a hidden cell tells nothing) and, when
  // suppressing, only the versions whose own respondents in the cell reach min_count: a version
  // seen in a few responses would tell that those respondents ran an older cached widget.
  std::vector<std::string> versions;

  // "segment=web/period=2026-W47/", "" for the overall cell: prefixes its suppressed entries.
  std::string Label() const;
  // What this cell hides: its own label ("(overall)" for the overall cell) when the whole cell
  // is hidden, else Label() + id of each hidden question, in question order.
  std::vector<std::string> Suppressed() const;
};

// ---- Comparison of two ranges (Contract 4 "compare"; METRICS.md, "Comparisons") ----

// What a page says about one compared question; VerdictCode is the code pages translate.
enum class Verdict {
  kUp,             // b is higher, unlikely to be chance (Benjamini-Hochberg adjusted)
  kDown,           // b is lower, likewise
  kNoChange,       // tested, no significant change
  kNotEnoughData,  // a side is hidden (suppressed), unanswered or below 30 answers: not tested
  kNotComparable,  // the sides differ in shape (type, scale, satisfied set) or are randomized
                   // by local DP, for which METRICS.md defines no change test
};
// "up", "down", "no_change", "not_enough_data", "not_comparable".
const char* VerdictCode(Verdict verdict);

// One side of a compared question, as its report shows it. A hidden side carries no numbers.
struct CompareSide {
  bool suppressed = false;
  double n = 0;
  double value = 0;  // score (nps, csat) or mean (ces, rating)
  Interval ci95;
  bool has_ci = true;  // false for a mean below 2 answers
};

// The change of one question from range a (the baseline, earlier) to range b (the current one).
struct QuestionComparison {
  std::string id;
  QuestionType type = QuestionType::kNps;
  CompareSide a, b;
  // The test ran: both sides shown, comparable and with n >= 30 (kMinNForChange). Otherwise
  // only the sides and the verdict are shown.
  bool tested = false;
  const char* test = "";  // "z" (nps, csat) or "welch_t" (ces, rating)
  Change change;          // diff = b - a, its ci95, statistic, df and two-sided p (stats.h)
  bool significant = false;  // Benjamini-Hochberg at 0.05 over every test of the comparison
  Verdict verdict = Verdict::kNotEnoughData;
};

// Names one cell of a report: the overall (neither field), a segment, a period, or a
// segment x period cell (both).
struct CellKey {
  std::optional<std::string> segment;
  std::optional<std::string> period;
};

// One segment compared across two ranges (CompareReportsBySegment).
struct SegmentComparison {
  std::string segment;
  std::vector<QuestionComparison> questions;
};

// Every compared question (nps, csat, ces, rating present in both reports' overall cells), in
// the current report's order.
struct Comparison {
  std::string from, to;  // the baseline range a
  // The baseline range in the report's calendar (Report::from_label); "" when not set.
  std::string from_label, to_label;
  // CompareCells: the cells compared (a is the baseline), named in the JSON as "a" and "b".
  std::optional<CellKey> a_cell, b_cell;
  std::vector<QuestionComparison> questions;
  // CompareReportsBySegment: each segment shown on both sides, in segment order.
  std::vector<SegmentComparison> segments;
};

// A whole report: the typed form of Contract 4, rendered by ReportToJson and ReportToText.
struct Report {
  std::string survey;
  std::string from, to;  // "YYYY-MM-DD" or "" (unknown)
  // from and to in the calendar of the report's periods (FormatDayIn), for pages to show; ""
  // when not set (then not written).
  std::string from_label, to_label;
  CellResult overall;
  std::vector<CellResult> segments;  // sorted by segment
  std::vector<CellResult> periods;   // sorted by period
  std::vector<CellResult> cells;     // segment x period, sorted by (segment, period)
  std::vector<std::string> conflicts;  // labels of input cells left out (shapes differ)
  int64_t duplicates = 0;  // payloads skipped because their batch id was merged already
  std::optional<Comparison> compare;  // against an earlier range (CompareReports)
};

// One labelled cell of a segmented or periodic report.
struct ReportCellInput {
  ReportCellInput() = default;
  ReportCellInput(std::string segment_label, std::string period_label, Tally counted,
                  std::string survey_version = "")
      : segment(std::move(segment_label)),
        period(std::move(period_label)),
        tally(std::move(counted)),
        version(std::move(survey_version)) {}

  std::string segment;  // "" when not segmented
  std::string period;   // "" when not by period
  Tally tally;
  std::string version;  // the survey version counted, "" when unknown (CellResult::versions)
};

// Scores and suppresses. Input cells with the same labels are merged. Totals not given are
// summed from finer cells: the overall from the unlabelled cells, else segments, else periods;
// segments and periods from the segment x period cells when none were given. Input cells whose
// question shapes conflict are left out and named in `conflicts`.
//
// Suppression (options.suppress): a cell with n < min_count is hidden whole; inside a shown
// cell a question with 0 < n < min_count is hidden. Then complementary suppression, for cells
// and for each question apart: every total with its parts (the overall with the segments, the
// overall with the periods, each segment with its segment x period cells, each period with its
// segment x period cells) is an equation total = sum of parts; when exactly one member of an
// equation is hidden, another member is hidden too: the shown part with the smallest n (above 0)
// that is not the only such part of another equation, else the total itself (the overall
// included), and this is repeated until no equation has exactly one hidden member. Then every
// hidden member the sums still determine (one joining two otherwise separate groups of hidden
// members of the segment x period table) gets a shown member hidden beside it that closes a
// cycle, smallest n first. So no hidden number follows from the shown numbers and the sums.
Report ComputeReport(const std::string& survey_id, const std::string& from, const std::string& to,
                     const std::vector<ReportCellInput>& cells, const ReportOptions& options);

// Contract 4 JSON: {"survey", "from", "to", <the overall cell>, "suppressed": [...]} plus, when
// present, "from_label" and "to_label", "segments" (each with "segment"), "periods" (each with
// "period"), "cells" (both), "conflicts" and "duplicates" (when above 0). `from`/`to` are null
// when unknown.
// With report.compare: "compare": {"from", "to" (the baseline range)[, "from_label",
//   "to_label"][, "a": cell, "b": cell (CompareCells: {"segment"} and/or {"period"})],
//   "questions": {...}[, "segments": [{"segment", "questions": {...}}] (CompareReportsBySegment)]}
//   where "questions" is {id: {
//   "type", "a": side, "b": side, "verdict"[, "test", "diff", "ci95", "p_value",
//   "significant"]}}} where a side is {"n", "score" | "mean", "ci95"} or {"suppressed": true},
//   and the test fields appear only when the test ran (never beside a suppressed side). diff
//   and its ci95 are in points (nps, csat; one decimal) or scale units (ces, rating; two);
//   p_value has three significant digits.
// A shown cell: {"displays", "completions", "response_rate" (null without displays),
// "questions": {...}, "suppressed": [...][, "low_precision": true][, "noise"][, "versions":
// ["2026-11-01", ...] when known: those reaching the minimum]}. A hidden cell
// has only its labels and "suppressed": [its label]. The top-level "suppressed" lists what the
// overall cell hides plus the label of every hidden cell.
// Per question, by type (n counts answers; for choice, respondents):
//   nps    {type, n, score, ci95, promoters, passives, detractors, counts, skipped
//           [, low_precision: true when the interval is wider than +-10 points]}
//   csat   {type, scale, n, score, ci95, satisfied, satisfied_set, counts, skipped}
//   ces    {type, scale, n, mean, sd, ci95, agree_pct, counts, skipped}
//   rating {type, scale, n, mean, ci95 (t-interval), counts, skipped}
//   choice {type, n, options, counts, shares (percent of respondents per option), skipped}
//   text   {type, n}
// When not suppressing, a question or cell below the minimum gains "low_precision": true.
// With local DP n is the number of reports; scores, means, shares and agree_pct are the
// unbiased (unclipped) estimates, ci95 the normal interval widened by the noise (stats.h,
// *Grr), promoters/passives/detractors/satisfied/counts the estimated counts clipped at 0 for
// display, and the question gains "noise": {"mechanism": "grr", "epsilon", "k",
// "reported_counts"[, "epsilon_per_option" for multiple choice]}; the cell gains
// "noise": {"mechanism": "grr", "epsilon"}.
// Scores, percents and their intervals have one decimal; means, sd and their intervals two;
// counts are integers when whole, else two decimals (local-DP estimates). A question nobody
// answered is {type, n: 0[, skipped]}; a hidden one is {type, suppressed: true}. sd and ci95 of
// a mean are null below 2 answers.
Json ReportToJson(const Report& report);
// The same report as compact JSON text, written directly (ReportToJson parses this text): what
// the analyze module answers with, without building a DOM first.
std::string ReportToJsonText(const Report& report);

// A readable fixed-width table of the report (questions in definition order), for
// `nazar score --format text` and the native example.
std::string ReportToText(const Report& report);

// ReportToJson(ComputeReport(...)).
Json BuildReport(const std::string& survey_id, const std::string& from, const std::string& to,
                 const std::vector<ReportCellInput>& cells, const ReportOptions& options);

// The change of every question from `a` (the baseline range, e.g. compare=FROM..TO) to `b` (the
// report's own range), on their overall cells (METRICS.md, "Comparisons shown to users"): NPS
// by the z-test on the adjusted-Wald centres, CSAT by the pooled two-proportion z-test with the
// Newcombe interval of the difference, CES and rating by Welch's t-test (CompareNps,
// CompareCsat, CompareCes). Only sides shown and with n >= 30 are tested; a change is
// significant when its Benjamini-Hochberg adjusted p is below 0.05, the adjustment over every
// test performed here. Choice and text questions are not compared. Set the result as
// b.compare so ReportToJson renders it.
Comparison CompareReports(const Report& a, const Report& b);

// CompareReports of the overall cells, and of each segment shown (not hidden whole) in both
// reports, in segment order: Benjamini-Hochberg over every test of the overall and all segments
// together (the view shows them at once). Segments of only one side, or hidden on a side, are
// left out. a's from/to name the baseline range.
Comparison CompareReportsBySegment(const Report& a, const Report& b);

// The cell `key` names in `report`, or nullptr when the report has no such cell.
const CellResult* FindCell(const Report& report, const CellKey& key);

// The change of every question from cell `a` to cell `b` of one report (the analyze page: two
// segments, two periods, or two segment x period cells), with the tests and verdicts of
// CompareReports on those cells. from/to are empty; a_cell and b_cell name the sides. Errors:
// kInvalidArgument when a and b are the same cell or not of the same kind (a segment against a
// period or the overall: overlapping respondents, which the tests do not allow), kNotFound
// naming the missing side ("b: no segment \"xx\" in the report").
Result<Comparison> CompareCells(const Report& report, const CellKey& a, const CellKey& b);

// A comparison as JSON: what ReportToJson writes under "compare".
Json ComparisonToJson(const Comparison& comparison);
std::string ComparisonToJsonText(const Comparison& comparison);  // the same, as JSON text

// The report over aggregate payloads (Contract 3), typed: {"survey": <definition object or
// text, optional>, "aggregates": [payload...], "min_count": n}. A payload whose batch id was
// merged already is skipped and counted in Report::duplicates (a resent batch counts once).
// Payloads of other surveys are an error, and so are payloads whose local-DP noise differs from
// the earlier ones ("/aggregates/3/noise: epsilon 1 does not match epsilon 2 of earlier
// payloads"). ReportFromPayloads (aggregate.h) is its JSON.
Result<Report> ReportOfPayloads(const Json& request);

// The JSON of one cell scored on its own (no complementary suppression: there is no total).
// `label` prefixes suppressed entries (e.g. "segment=web/" so an entry reads "segment=web/nps").
Json ReportCell(const Tally& tally, const ReportOptions& options, const std::string& label = "");

// ---- Live views (DESIGN.md Contract 5: they move in steps of at least the minimum count) ----
// What a live view steps on: the n of every shown cell (overall, segments, periods, segment x
// period cells), keyed by its label ("" overall, "segment=fa/", "period=2026-12-01/", ...), and
// the n of every shown question in it (the label followed by the question id). Hidden cells and
// questions are left out: they show nothing.
using LiveCounts = std::map<std::string, double>;
LiveCounts LiveCountsOf(const Report& report);

// True when a live view that showed `sent` may show `now`: some count moved by at least `step`
// and none moved by less (by 1 to step - 1). Five new answers, one of them in Persian, move the
// overall by five but the fa segment by one, which would show that one customer's answer: the
// view then waits until fa, too, has moved by a step (or the others have not moved at all). A
// count shown now and not before counts from 0.
bool LiveStepReached(const LiveCounts& sent, const LiveCounts& now, int step);
// The step of a live view of a report built with `options`: its minimum count, at least
// kMinCellCount (privacy.h).
int LiveStep(const ReportOptions& options);

}  // namespace nazar

#endif  // NAZAR_REPORT_H_
