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
#include "nazar/privacy.h"
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
  int min_count = kDefaultMinCount;  // questions with n below this carry no numbers (>= 5)
  static constexpr int kDefaultMinCount = kMinCellCount;  // privacy.h, METRICS.md
};

// Report for one cell: {"displays", "completions", "response_rate", "questions": {...},
// "suppressed": [...]}; scores per METRICS.md. `label` prefixes suppressed entries
// (e.g. "segment=web/" so an entry reads "segment=web/nps"). response_rate is null when there
// are no displays. Per question, by type (n counts answers; for choice, respondents):
//   nps    {type, n, score, ci95, promoters, passives, detractors, counts, skipped
//           [, low_precision: true when the interval is wider than +-10 points]}
//   csat   {type, scale, n, score, ci95, satisfied, satisfied_set, counts, skipped}
//   ces    {type, scale, n, mean, sd, ci95, agree_pct, counts, skipped}
//   rating {type, scale, n, mean, ci95 (t-interval), counts, skipped}
//   choice {type, n, options, counts, shares (percent of respondents per option), skipped}
//   text   {type, n}
// With local DP (QuestionTally::Noisy()) n is the estimated number of answers; scores, means,
// shares and agree_pct are estimated from the unbiased (unclipped) count estimates, ci95 is the
// normal interval widened by the noise (stats.h, *Grr), promoters/passives/detractors/
// satisfied/counts are the estimated counts and skipped the estimated "no answer" count (not
// shown, not reached or skipped), clipped to [0, n] for display, and the question gains
// "noise": {"mechanism": "grr", "epsilon" (its share), "k" ("no answer" included),
// "reported_counts", "reported_skipped"[, "epsilon_per_option" for multiple choice]}. A noisy
// tally (Tally::Noisy()) shows its estimated completions and response rate (clipped) and the
// cell gains "noise": {"mechanism": "grr", "epsilon" (the whole budget), "items" (m)}.
// Scores, percents and their intervals have one decimal; means, sd and their intervals two;
// counts are integers when whole, else two decimals (local-DP estimates). A question nobody
// answered is {type, n: 0[, skipped]}; one with 0 < n < min_count is {type, suppressed: true}
// and listed in "suppressed". sd and ci95 of a mean are null below 2 answers.
Json ReportCell(const Tally& tally, const ReportOptions& options, const std::string& label = "");

// One labelled cell of a segmented or periodic report.
struct ReportCellInput {
  std::string segment;  // "" when not segmented
  std::string period;   // "" when not by period
  Tally tally;
};

// Full Contract 4 report: {"survey", "from", "to", <the overall cell>} plus, when present,
// "segments" (cells with only a segment, each with "segment"), "periods" (only a period, each
// with "period") and "cells" (segment x period, with both), each sorted by label. Input cells
// with the same labels are merged. Totals not given are summed from finer cells: the overall
// from the unlabelled cells, else segments, else periods; segments and periods from the
// segment x period cells when none were given. Input cells whose question shapes conflict are
// left out and named in "conflicts" (absent when none). `from`/`to` are "YYYY-MM-DD" or empty
// (then null). ReportOptions::min_count below 5 counts as 5.
Json BuildReport(const std::string& survey_id, const std::string& from, const std::string& to,
                 const std::vector<ReportCellInput>& cells, const ReportOptions& options);

// A readable fixed-width table of a BuildReport() result, for `nazar score --format text`.
std::string FormatReportText(const Json& report);

}  // namespace nazar

#endif  // NAZAR_REPORT_H_
