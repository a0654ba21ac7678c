// Scoring and statistics exactly as METRICS.md: every metric from a histogram of counts, so the
// widget, the collector, the CLI and the analyze page agree and aggregates merge by addition.
// Counts are doubles so that estimates (which may be fractional or negative) flow through the
// same code; plain data holds whole numbers. Local-DP (randomized) reports are scored by the
// *Grr functions, which widen the intervals by the noise.
#ifndef NAZAR_STATS_H_
#define NAZAR_STATS_H_

#include <cstdint>
#include <vector>

namespace nazar {

inline constexpr double kZ95 = 1.959964;  // two-sided 95% normal quantile, as METRICS.md uses

struct Interval {
  double lo = 0;
  double hi = 0;
};

// ---- Distributions ----
// Standard normal cumulative distribution Phi(x).
double NormalCdf(double x);
// Quantile of Student's t with `df` degrees of freedom (df > 0, may be fractional), 0 < p < 1.
// Out-of-domain arguments return 0 (never NaN); callers check n before asking.
double StudentTQuantile(double p, double df);
// Cumulative distribution of Student's t (regularized incomplete beta; normal for df > 1e7).
double StudentTCdf(double t, double df);

// ---- NPS: counts has 11 cells, answers 0..10 ----
struct NpsScore {
  double n = 0;
  double promoters = 0, passives = 0, detractors = 0;
  double score = 0;    // 100 * (P - D) / n, plain
  Interval ci95;       // adjusted Wald, in points, clamped to [-100, 100]
  double wald_se = 0;  // plain Wald standard error, as a proportion
  double adj_var = 0;  // var' of the adjusted Wald interval
  double adj_n = 0;    // n' = n + 3
};
NpsScore ScoreNps(const std::vector<double>& counts);

// ---- CSAT: counts[i] is answer i+1 on a 1..scale scale ----
// Default satisfied answers for a scale (METRICS.md): 2->{2} 3->{3} 4->{3,4} 5->{4,5} 7->{6,7}
// 10->{9,10}.
std::vector<int> DefaultCsatSatisfied(int scale);
struct CsatScore {
  double n = 0;
  double satisfied = 0;
  double score = 0;  // 100 * satisfied / n
  Interval ci95;     // Wilson score interval, in percent
  std::vector<int> satisfied_set;
};
CsatScore ScoreCsat(const std::vector<double>& counts, int scale, std::vector<int> satisfied_set);
// Wilson score interval of a proportion k/n, as proportions in [0, 1].
Interval WilsonInterval(double k, double n, double z = kZ95);
// Newcombe hybrid score interval (method 10) of k1/n1 - k2/n2, built from the two Wilson
// intervals; as proportions in [-1, 1].
Interval NewcombeInterval(double k1, double n1, double k2, double n2, double z = kZ95);

// ---- CES: counts[i] is answer i+1 on a 1..scale agreement scale (5 or 7) ----
struct CesScore {
  double n = 0;
  double mean = 0;
  double sd = 0;         // n-1 sample standard deviation
  Interval ci95;         // t-interval of the mean
  double agree_pct = 0;  // share of 5-7 answers (4-5 on a 5-point scale), percent
};
CesScore ScoreCes(const std::vector<double>& counts, int scale);

// Mean of answers 1..scale from a histogram (counts[i] is answer i+1), with the n-1 standard
// deviation and the t-interval mean -+ t(0.975, n-1) * s / sqrt(n); shared by CES and rating.
// With n < 2 there is no interval: has_ci is false and ci95 is [mean, mean].
struct MeanScore {
  double n = 0;
  double mean = 0;
  double sd = 0;
  Interval ci95;
  bool has_ci = false;
};
MeanScore ScoreMean(const std::vector<double>& counts, int scale);
// Percent of answers above the midpoint of a 1..scale agreement scale (5-7 of 7, 4-5 of 5).
double AgreePct(const std::vector<double>& counts, int scale);

// ---- Local differential privacy: scores from randomized reports (METRICS.md, "Privacy") ----
// With k-ary randomized response ("grr") every report is the true value with probability p and
// each other value with probability q = (1 - p) / (k - 1) (see RandomizedResponse). A set G of m
// values with true share theta_G is then reported with share pi_G = m q + (p - q) theta_G, so
//   theta_G = (pi_G - m q) / (p - q)
// is unbiased. One of the k values is "no answer" (a question hidden, skipped or not reached is
// randomized too, aggregate.h), so the functions below take the REPORTED histogram of the answer
// values (counts[i] reports of value i) plus the `no_answer` reports; N is their sum. Estimated
// counts (N theta) are unbiased and unclipped (they merge and average correctly); n is the
// estimated number of answers N (1 - theta_no_answer), and a score is a ratio of estimated
// counts over n, with a delta-method normal interval from the multinomial variance of the
// reports divided by (p - q)^2: it covers sampling and randomization together (the widened
// interval), clamped to the metric's range. With no_answer = 0 and p, q of a mechanism without a
// "no answer" value the score is linear in the reports and its variance exact. When p <= q, or
// no answers are estimated (n <= 0), everything stays at default.

// Unbiased true share of a set of `m` values reported with share `reported_share`.
double GrrShare(double reported_share, double m, double p, double q);

// NPS from reported counts in 11 cells. `grouped`: the 3 groups were randomized (each group's
// reports sit in any of its cells, usually 0, 7, 9); else all 11 answers.
// score = 100 (theta_P - theta_D) / (1 - theta_none); promoters/passives/detractors are the
// unclipped estimated counts; wald_se is the standard error of the score as a proportion
// (sqrt(Var)); adj_* stay 0.
NpsScore ScoreNpsGrr(const std::vector<double>& reported, double no_answer, bool grouped, double p,
                     double q);

// CSAT from reported counts on 1..scale: score = 100 theta_S / (1 - theta_none) for the
// satisfied answers S, normal ci95 clamped to [0, 100]; satisfied = N theta_S.
CsatScore ScoreCsatGrr(const std::vector<double>& reported, double no_answer, int scale,
                       std::vector<int> satisfied_set, double p, double q);

// Mean of answers 1..scale from reported counts: sum v theta_v / (1 - theta_none), normal ci95
// (has_ci from N >= 2); sd is the plug-in sd of the estimated answer distribution.
MeanScore ScoreMeanGrr(const std::vector<double>& reported, double no_answer, int scale, double p,
                       double q);

// Percent of answers above the midpoint (as AgreePct) estimated from reported counts.
double AgreePctGrr(const std::vector<double>& reported, double no_answer, int scale, double p,
                   double q);

// ---- Changes between two periods or segments ----
struct Change {
  double diff = 0;        // b - a, in the metric's unit (points, percent, scale units)
  double statistic = 0;   // z or t
  double df = 0;          // Welch degrees of freedom (CES only)
  double p_value = 1;     // two-sided
  Interval ci95;          // of the difference (CSAT: Newcombe hybrid score; NPS: normal; CES: t)
  bool testable = false;  // false when either group has n < 30: never flag such a change
};
inline constexpr double kMinNForChange = 30;
// Compare*: change from `a` (baseline) to `b`. NPS: z on the adjusted-Wald centres, diff in plain
// points; CSAT: pooled two-proportion z; CES: Welch t. When a group is empty everything stays at
// its default. Without spread to test against (CES: n < 2 or no spread in either group, ci95
// [diff, diff]; CSAT: all or none satisfied in both) statistic is 0 and p 1: never flagged.
Change CompareNps(const std::vector<double>& a, const std::vector<double>& b);
Change CompareCsat(const std::vector<double>& a, const std::vector<double>& b, int scale,
                   const std::vector<int>& satisfied_set);
Change CompareCes(const std::vector<double>& a, const std::vector<double>& b, int scale);

// Benjamini-Hochberg: which of `p_values` are discoveries at false discovery rate `q`.
std::vector<bool> BenjaminiHochberg(const std::vector<double>& p_values, double q = 0.05);

// ---- Planning ----
// Responses needed for an NPS margin of +-`margin_points` (METRICS.md; var 1.0 worst case).
double NpsSampleSize(double margin_points, double var = 1.0);
// True when an interval is wider than +-10 points ("low precision").
bool IsLowPrecision(const Interval& ci);

}  // namespace nazar

#endif  // NAZAR_STATS_H_
