// Scoring and statistics against the METRICS.md vectors and published reference values.
// Reference values not in METRICS.md were computed with mpmath at 30 digits.
#include "nazar/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace nazar {
namespace {

// An NPS histogram with P promoters (answer 10), A passives (8) and D detractors (3).
std::vector<double> Nps(double p, double a, double d) {
  std::vector<double> c(11, 0.0);
  c[10] = p;
  c[8] = a;
  c[3] = d;
  return c;
}

// A 1..scale histogram of individual answers.
std::vector<double> Histogram(const std::vector<int>& answers, int scale) {
  std::vector<double> c(scale, 0.0);
  for (int a : answers) c[a - 1] += 1;
  return c;
}

// k satisfied out of n on a 2-point CSAT scale (satisfied = 2).
std::vector<double> Csat2(double k, double n) { return {n - k, k}; }

void ExpectFinite(const Interval& i) {
  EXPECT_TRUE(std::isfinite(i.lo));
  EXPECT_TRUE(std::isfinite(i.hi));
}

TEST(StatsDistribution, NormalCdf) {
  EXPECT_NEAR(NormalCdf(0), 0.5, 1e-15);
  EXPECT_NEAR(NormalCdf(kZ95), 0.975000000903558, 1e-12);
  EXPECT_NEAR(NormalCdf(-1), 0.158655253931457, 1e-12);
  EXPECT_NEAR(NormalCdf(3), 0.998650101968370, 1e-12);
  EXPECT_EQ(NormalCdf(std::numeric_limits<double>::infinity()), 1.0);
  EXPECT_EQ(NormalCdf(std::nan("")), 0.5);
}

TEST(StatsDistribution, StudentTCdf) {
  EXPECT_NEAR(StudentTCdf(0, 5), 0.5, 1e-15);
  EXPECT_NEAR(StudentTCdf(2, 3), 0.930337015720578, 1e-12);
  EXPECT_NEAR(StudentTCdf(-1.5, 7.3), 0.0877815464015431, 1e-12);
  EXPECT_NEAR(StudentTCdf(1, 1), 0.75, 1e-12);  // Cauchy
  EXPECT_NEAR(StudentTCdf(1.5, 1e9), NormalCdf(1.5), 1e-9);
  EXPECT_EQ(StudentTCdf(std::numeric_limits<double>::infinity(), 3), 1.0);
  EXPECT_EQ(StudentTCdf(-std::numeric_limits<double>::infinity(), 3), 0.0);
  EXPECT_EQ(StudentTCdf(1, 0), 0.5);  // invalid df: no NaN
}

TEST(StatsDistribution, StudentTQuantileTable) {
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.706204736174693, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 9), 2.262157162798205, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.042272456301238, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 1000), 1.962339080826408, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.999, 3), 10.214531852407387, 1e-8);
  EXPECT_NEAR(StudentTQuantile(0.975, 1e5), 1.959987707534609, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 1e6), 1.959966356814107, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 1e12), 1.959963984540054, 1e-9);  // the normal
}

// With 1 and 2 degrees of freedom the quantile has a closed form: tan(pi (p - 1/2)), and
// (2p - 1) / sqrt(2p(1 - p)). The search must reach it to the last few digits, at both tails.
TEST(StatsDistribution, StudentTQuantileClosedForms) {
  const double pi = 3.14159265358979323846;
  for (double p : {0.6, 0.9, 0.975, 0.995, 0.9999, 0.025}) {
    const double one = std::tan(pi * (p - 0.5));
    const double two = (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    EXPECT_NEAR(StudentTQuantile(p, 1), one, 1e-12 * std::fabs(one)) << p;
    EXPECT_NEAR(StudentTQuantile(p, 2), two, 1e-12 * std::fabs(two)) << p;
  }
}

TEST(StatsDistribution, StudentTQuantileFractionalDf) {
  EXPECT_NEAR(StudentTQuantile(0.975, 2.5), 3.574654842003682, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 0.5), 164.557673480488241, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.025, 4.5), -2.658912347204404, 1e-9);
  EXPECT_NEAR(StudentTQuantile(0.975, 15.9874), 2.120041092964349, 1e-9);
  // Round trip through the CDF.
  for (double df : {0.3, 1.7, 6.2, 48.5}) {
    for (double p : {0.01, 0.2, 0.9, 0.995}) {
      EXPECT_NEAR(StudentTCdf(StudentTQuantile(p, df), df), p, 1e-12) << df << " " << p;
    }
  }
}

TEST(StatsDistribution, StudentTQuantileInvalidArguments) {
  EXPECT_EQ(StudentTQuantile(0.5, 3), 0.0);
  EXPECT_EQ(StudentTQuantile(0, 3), 0.0);
  EXPECT_EQ(StudentTQuantile(1, 3), 0.0);
  EXPECT_EQ(StudentTQuantile(0.975, 0), 0.0);
  EXPECT_EQ(StudentTQuantile(0.975, -2), 0.0);
  EXPECT_EQ(StudentTQuantile(std::nan(""), 3), 0.0);
  EXPECT_EQ(StudentTQuantile(0.975, std::nan("")), 0.0);
  EXPECT_TRUE(std::isfinite(StudentTQuantile(0.975, 0.01)));  // astronomically heavy tail
  // Far in the tail the density underflows to 0: no Newton step, so no stop on one. The
  // quantile of 1e-300 with 3 degrees of freedom is -1.0331e100: there the tail is 2 sqrt(3) / (pi
  // t^3) to many digits.
  const double far = StudentTQuantile(1e-300, 3);
  EXPECT_NEAR(far, -1.0331e100, 1e96);
  EXPECT_NEAR(StudentTCdf(far, 3) / 1e-300, 1.0, 1e-6);
}

TEST(StatsNps, MetricsVectors) {
  const NpsScore a = ScoreNps(Nps(50, 30, 20));
  EXPECT_EQ(a.n, 100);
  EXPECT_EQ(a.promoters, 50);
  EXPECT_EQ(a.passives, 30);
  EXPECT_EQ(a.detractors, 20);
  EXPECT_NEAR(a.score, 30.0, 1e-9);
  EXPECT_NEAR(a.wald_se, 0.078102, 1e-6);
  EXPECT_NEAR(a.ci95.lo, 14.05, 0.01);
  EXPECT_NEAR(a.ci95.hi, 44.20, 0.01);
  EXPECT_EQ(a.adj_n, 103);

  const NpsScore b = ScoreNps(Nps(45, 30, 25));
  EXPECT_NEAR(b.score, 20.0, 1e-9);
  EXPECT_NEAR(b.ci95.lo, 3.77, 0.01);
  EXPECT_NEAR(b.ci95.hi, 35.06, 0.01);
}

TEST(StatsNps, GroupsByAnswer) {
  std::vector<double> c(11, 1.0);  // one answer of each value 0..10
  const NpsScore s = ScoreNps(c);
  EXPECT_EQ(s.detractors, 7);
  EXPECT_EQ(s.passives, 2);
  EXPECT_EQ(s.promoters, 2);
  EXPECT_NEAR(s.score, 100.0 * (2 - 7) / 11, 1e-9);
}

TEST(StatsNps, IntervalIsClamped) {
  const NpsScore s = ScoreNps(Nps(200, 0, 0));
  EXPECT_EQ(s.score, 100);
  EXPECT_LE(s.ci95.hi, 100);
  EXPECT_GT(s.ci95.lo, 90);
  EXPECT_EQ(s.wald_se, 0);
  const NpsScore one = ScoreNps(Nps(0, 0, 1));
  EXPECT_GE(one.ci95.lo, -100);
  EXPECT_EQ(one.score, -100);
}

TEST(StatsCsat, MetricsVectors) {
  const Interval a = WilsonInterval(85, 100);
  EXPECT_NEAR(100 * a.lo, 76.72, 0.01);
  EXPECT_NEAR(100 * a.hi, 90.69, 0.01);
  const Interval b = WilsonInterval(0, 20);
  EXPECT_EQ(b.lo, 0.0);
  EXPECT_NEAR(100 * b.hi, 16.11, 0.01);

  // 85 of 100 on a 5-point scale through ScoreCsat: 40 fours and 45 fives satisfied.
  const CsatScore s = ScoreCsat({5, 4, 6, 40, 45}, 5, {});
  EXPECT_EQ(s.n, 100);
  EXPECT_EQ(s.satisfied, 85);
  EXPECT_NEAR(s.score, 85.0, 1e-9);
  EXPECT_NEAR(s.ci95.lo, 76.72, 0.01);
  EXPECT_NEAR(s.ci95.hi, 90.69, 0.01);
  EXPECT_EQ(s.satisfied_set, (std::vector<int>{4, 5}));
}

TEST(StatsCsat, DefaultSatisfiedSets) {
  EXPECT_EQ(DefaultCsatSatisfied(2), (std::vector<int>{2}));
  EXPECT_EQ(DefaultCsatSatisfied(3), (std::vector<int>{3}));
  EXPECT_EQ(DefaultCsatSatisfied(4), (std::vector<int>{3, 4}));
  EXPECT_EQ(DefaultCsatSatisfied(5), (std::vector<int>{4, 5}));
  EXPECT_EQ(DefaultCsatSatisfied(7), (std::vector<int>{6, 7}));
  EXPECT_EQ(DefaultCsatSatisfied(10), (std::vector<int>{9, 10}));
  EXPECT_TRUE(DefaultCsatSatisfied(0).empty());
}

TEST(StatsCsat, OverriddenSetIsNormalized) {
  const CsatScore s = ScoreCsat({1, 1, 1, 1, 2, 3, 4}, 7, {7, 5, 6, 6, 9, 0});
  EXPECT_EQ(s.satisfied_set, (std::vector<int>{5, 6, 7}));  // sorted, unique, in range
  EXPECT_EQ(s.satisfied, 9);
  EXPECT_NEAR(s.score, 100.0 * 9 / 13, 1e-9);
}

TEST(StatsCes, MetricsVector) {
  const std::vector<double> c = Histogram({7, 6, 5, 7, 4, 6, 7, 3, 5, 6}, 7);
  const CesScore s = ScoreCes(c, 7);
  EXPECT_EQ(s.n, 10);
  EXPECT_NEAR(s.mean, 5.6, 1e-12);
  EXPECT_NEAR(s.sd, 1.349897, 1e-6);
  EXPECT_NEAR(s.ci95.lo, 4.634, 0.001);
  EXPECT_NEAR(s.ci95.hi, 6.566, 0.001);
  EXPECT_NEAR(s.agree_pct, 80.0, 1e-9);  // 8 of 10 answered 5-7
}

TEST(StatsCes, AgreePctByScale) {
  EXPECT_NEAR(AgreePct({1, 1, 1, 1, 1, 1, 1}, 7), 100.0 * 3 / 7, 1e-9);  // 5, 6, 7
  EXPECT_NEAR(AgreePct({1, 1, 1, 1, 1}, 5), 40.0, 1e-9);                 // 4, 5
  EXPECT_EQ(AgreePct({}, 5), 0.0);
}

TEST(StatsCes, MeanHelperSharedWithRating) {
  const MeanScore m = ScoreMean({0, 0, 2, 2}, 4);  // answers 3, 3, 4, 4
  EXPECT_EQ(m.n, 4);
  EXPECT_NEAR(m.mean, 3.5, 1e-12);
  EXPECT_NEAR(m.sd, std::sqrt(1.0 / 3), 1e-12);
  const double half = StudentTQuantile(0.975, 3) * m.sd / 2;
  EXPECT_NEAR(m.ci95.lo, 3.5 - half, 1e-12);
  EXPECT_NEAR(m.ci95.hi, 3.5 + half, 1e-12);
  EXPECT_TRUE(m.has_ci);
}

TEST(StatsMerge, MergedHistogramsScoreLikeConcatenatedAnswers) {
  const std::vector<int> first = {7, 6, 5, 7, 4}, second = {6, 7, 3, 5, 6, 1, 2};
  std::vector<int> all = first;
  all.insert(all.end(), second.begin(), second.end());
  std::vector<double> merged = Histogram(first, 7);
  const std::vector<double> h2 = Histogram(second, 7);
  for (size_t i = 0; i < merged.size(); ++i) merged[i] += h2[i];
  const CesScore a = ScoreCes(merged, 7), b = ScoreCes(Histogram(all, 7), 7);
  EXPECT_EQ(a.n, b.n);
  EXPECT_DOUBLE_EQ(a.mean, b.mean);
  EXPECT_DOUBLE_EQ(a.sd, b.sd);
  EXPECT_DOUBLE_EQ(a.ci95.lo, b.ci95.lo);

  std::vector<double> nps = Nps(50, 30, 20);
  const std::vector<double> more = Nps(45, 30, 25);
  for (size_t i = 0; i < nps.size(); ++i) nps[i] += more[i];
  const NpsScore merged_nps = ScoreNps(nps), direct = ScoreNps(Nps(95, 60, 45));
  EXPECT_DOUBLE_EQ(merged_nps.score, direct.score);
  EXPECT_DOUBLE_EQ(merged_nps.ci95.lo, direct.ci95.lo);
  EXPECT_DOUBLE_EQ(merged_nps.ci95.hi, direct.ci95.hi);
}

TEST(StatsChange, NpsZTest) {
  const Change ch = CompareNps(Nps(50, 30, 20), Nps(45, 30, 25));
  EXPECT_NEAR(ch.diff, -10.0, 1e-9);
  EXPECT_NEAR(ch.statistic, -0.875783533742518, 1e-9);
  EXPECT_NEAR(ch.p_value, 0.381147723316852, 1e-9);
  EXPECT_TRUE(ch.testable);
  EXPECT_LT(ch.ci95.lo, ch.diff);
  EXPECT_GT(ch.ci95.hi, 0);
}

TEST(StatsChange, NewcombePublishedExample) {
  // Newcombe (1998), Stat Med 17:873, example (a): 56/70 - 48/80, method 10.
  const Interval i = NewcombeInterval(56, 70, 48, 80);
  EXPECT_NEAR(i.lo, 0.0524, 5e-5);
  EXPECT_NEAR(i.hi, 0.3339, 5e-5);
  EXPECT_NEAR(i.lo, 0.0524314712180457, 1e-9);
  EXPECT_NEAR(i.hi, 0.333872655016008, 1e-9);
}

TEST(StatsChange, CsatPooledZAndNewcombe) {
  const Change ch = CompareCsat(Csat2(48, 80), Csat2(56, 70), 2, {});
  EXPECT_NEAR(ch.diff, 20.0, 1e-9);
  EXPECT_NEAR(ch.ci95.lo, 5.24, 0.01);
  EXPECT_NEAR(ch.ci95.hi, 33.39, 0.01);
  EXPECT_NEAR(ch.statistic, 2.65017195125853, 1e-9);
  EXPECT_NEAR(ch.p_value, 0.00804508136819658, 1e-9);
  EXPECT_TRUE(ch.testable);
}

TEST(StatsChange, CesWelchHandComputed) {
  // a: mean 5.6, var 16.4/9; b: mean 3.75, var 7.5/7.
  // se = sqrt(16.4/90 + 7.5/56) = 0.562273, t = -1.85 / se = -3.290217,
  // df = se^4 / ((16.4/90)^2/9 + (7.5/56)^2/7) = 15.98749.
  const std::vector<double> a = Histogram({7, 6, 5, 7, 4, 6, 7, 3, 5, 6}, 7);
  const std::vector<double> b = Histogram({4, 5, 3, 4, 5, 2, 4, 3}, 7);
  const Change ch = CompareCes(a, b, 7);
  EXPECT_NEAR(ch.diff, -1.85, 1e-12);
  EXPECT_NEAR(ch.statistic, -3.29021736554581, 1e-9);
  EXPECT_NEAR(ch.df, 15.9874886051593, 1e-9);
  EXPECT_NEAR(ch.p_value, 0.00461735918322380, 1e-9);
  EXPECT_NEAR(ch.ci95.lo, -3.04204107757758, 1e-8);
  EXPECT_NEAR(ch.ci95.hi, -0.657958922422415, 1e-8);
  EXPECT_FALSE(ch.testable);  // n < 30: numbers, but never flagged
}

TEST(StatsChange, TestableNeedsThirtyInEachGroup) {
  EXPECT_FALSE(CompareNps(Nps(20, 5, 4), Nps(50, 30, 20)).testable);  // 29
  EXPECT_TRUE(CompareNps(Nps(20, 5, 5), Nps(50, 30, 20)).testable);   // 30
  EXPECT_FALSE(CompareCsat(Csat2(10, 100), Csat2(1, 29), 2, {}).testable);
}

TEST(StatsChange, BenjaminiHochbergPaperExample) {
  // Benjamini & Hochberg (1995), section 4: 15 p-values, q = 0.05 -> the four smallest.
  const std::vector<double> p = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
                                 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000};
  const std::vector<bool> d = BenjaminiHochberg(p, 0.05);
  for (size_t i = 0; i < p.size(); ++i) EXPECT_EQ(d[i], i < 4) << i;
}

TEST(StatsChange, BenjaminiHochbergStepUpAndOrder) {
  // Sorted: 0.01 (<= 0.0125), 0.03 (> 0.025), 0.035 (<= 0.0375), 0.9: step-up keeps the 0.03.
  const std::vector<bool> d = BenjaminiHochberg({0.9, 0.035, 0.01, 0.03}, 0.05);
  EXPECT_EQ(d, (std::vector<bool>{false, true, true, true}));
  EXPECT_TRUE(BenjaminiHochberg({}).empty());
  EXPECT_EQ(BenjaminiHochberg({std::nan(""), 0.001}), (std::vector<bool>{false, true}));
}

TEST(StatsPlanning, NpsSampleSize) {
  // 1.959964^2 / 0.05^2 - 3
  EXPECT_NEAR(NpsSampleSize(5), 1533.5835525184, 1e-6);
  EXPECT_NEAR(NpsSampleSize(5, 1.0), 1.959964 * 1.959964 / 0.0025 - 3, 1e-9);
  EXPECT_NEAR(NpsSampleSize(10, 0.61), 1.959964 * 1.959964 * 0.61 / 0.01 - 3, 1e-9);
  EXPECT_EQ(NpsSampleSize(0), 0.0);
  EXPECT_EQ(NpsSampleSize(-5), 0.0);
  EXPECT_EQ(NpsSampleSize(500), 0.0);  // would be negative
}

TEST(StatsPlanning, LowPrecision) {
  EXPECT_TRUE(IsLowPrecision({14.05, 44.20}));  // +-15
  EXPECT_FALSE(IsLowPrecision({20, 40}));       // exactly +-10
  EXPECT_TRUE(IsLowPrecision({20, 40.02}));
}

TEST(StatsDegenerate, EmptyAndZeroCounts) {
  for (const std::vector<double>& c : {std::vector<double>{}, std::vector<double>(11, 0.0)}) {
    const NpsScore n = ScoreNps(c);
    EXPECT_EQ(n.n, 0);
    EXPECT_EQ(n.score, 0);
    EXPECT_EQ(n.ci95.lo, 0);
    EXPECT_EQ(n.ci95.hi, 0);
    const CsatScore s = ScoreCsat(c, 5, {});
    EXPECT_EQ(s.n, 0);
    EXPECT_EQ(s.score, 0);
    const CesScore e = ScoreCes(c, 7);
    EXPECT_EQ(e.n, 0);
    EXPECT_EQ(e.mean, 0);
    EXPECT_EQ(e.agree_pct, 0);
  }
  const Interval w = WilsonInterval(0, 0);
  EXPECT_EQ(w.lo, 0);
  EXPECT_EQ(w.hi, 0);
  const Change ch = CompareCes({}, {1, 2, 3}, 5);
  EXPECT_EQ(ch.p_value, 1);
  EXPECT_FALSE(ch.testable);
}

TEST(StatsDegenerate, SingleAnswerHasNoMeanInterval) {
  const MeanScore m = ScoreMean({0, 0, 0, 1, 0}, 5);
  EXPECT_EQ(m.n, 1);
  EXPECT_EQ(m.mean, 4);
  EXPECT_EQ(m.sd, 0);
  EXPECT_FALSE(m.has_ci);
  EXPECT_EQ(m.ci95.lo, 4);
  EXPECT_EQ(m.ci95.hi, 4);
  const Change ch = CompareCes({0, 0, 0, 1, 0}, {0, 0, 3, 3, 0}, 5);
  EXPECT_NEAR(ch.diff, -0.5, 1e-12);
  EXPECT_EQ(ch.p_value, 1);
}

TEST(StatsDegenerate, NoSpreadGivesZeroWidthNotNan) {
  const MeanScore m = ScoreMean({0, 0, 0, 0, 40}, 5);
  EXPECT_EQ(m.sd, 0);
  EXPECT_EQ(m.ci95.lo, 5);
  EXPECT_EQ(m.ci95.hi, 5);
  const Change ch = CompareCes({0, 0, 0, 0, 40}, {0, 0, 0, 40, 0}, 5);
  EXPECT_EQ(ch.diff, -1);
  EXPECT_EQ(ch.statistic, 0);
  EXPECT_EQ(ch.p_value, 1);
  const Change cs = CompareCsat(Csat2(40, 40), Csat2(50, 50), 2, {});
  EXPECT_EQ(cs.statistic, 0);
  EXPECT_EQ(cs.p_value, 1);
  ExpectFinite(cs.ci95);
}

TEST(StatsDegenerate, WrongLengthCounts) {
  // Missing cells count as 0; extra cells are ignored.
  EXPECT_EQ(ScoreNps({0, 0, 0, 4}).detractors, 4);
  std::vector<double> long_nps(15, 1.0);
  EXPECT_EQ(ScoreNps(long_nps).n, 11);
  EXPECT_EQ(ScoreCsat({1, 2}, 5, {}).n, 3);
  EXPECT_EQ(ScoreCsat({1, 2, 3, 4, 5, 6, 7}, 5, {}).n, 15);
  EXPECT_EQ(ScoreCes({1, 1, 1, 1, 1, 1, 1, 9}, 7).n, 7);
  // A satisfied answer beyond the counts is simply not counted.
  EXPECT_EQ(ScoreCsat({1, 2}, 5, {5}).satisfied, 0);
}

TEST(StatsDegenerate, LocalDpEstimatesNeverProduceNan) {
  // Unbiased estimates can be negative or fractional; they are scored as given.
  const NpsScore n = ScoreNps(Nps(12.5, -3.25, 0.75));
  EXPECT_EQ(n.n, 10);
  EXPECT_NEAR(n.score, 100 * (12.5 - 0.75) / 10, 1e-9);  // above 100: as given
  EXPECT_TRUE(std::isfinite(n.wald_se));
  ExpectFinite(n.ci95);
  EXPECT_LE(n.ci95.hi, 100);

  const CsatScore c = ScoreCsat({-2.5, 0.5, 1.2, 4.1, 7.7}, 5, {});
  EXPECT_NEAR(c.n, 11, 1e-12);
  ExpectFinite(c.ci95);
  EXPECT_GE(c.ci95.lo, 0);
  EXPECT_LE(c.ci95.hi, 100);

  const CesScore e = ScoreCes({-1.5, 0.25, 3, -0.75, 9}, 5);
  EXPECT_TRUE(std::isfinite(e.sd));
  ExpectFinite(e.ci95);

  const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  const NpsScore bad = ScoreNps({nan, inf, 1, 0, 0, 0, 0, 0, 0, 0, 2});
  EXPECT_EQ(bad.n, 3);  // non-finite cells are ignored
  ExpectFinite(bad.ci95);
  ExpectFinite(CompareNps(Nps(-5, 2, 3), Nps(1, 1, -1)).ci95);
  ExpectFinite(CompareCes({-3, 1, 1, 1, 4}, {0, 2, 2, 0.5, 1}, 5).ci95);
}

// ---- Local differential privacy (k-ary randomized response) ----
// Vectors use epsilons whose p and q are exact fractions (METRICS.md: p = e^eps / (e^eps + k - 1),
// q = 1 / (e^eps + k - 1)): k 4 at eps ln 2 -> p 2/5, q 1/5; k 3 at ln 2 -> 1/2, 1/4; k 4 at
// ln 9 -> 3/4, 1/12.

// NPS reports in the 11-cell layout: groups at cells 0, 7, 9.
std::vector<double> GroupReports(double detractors, double passives, double promoters) {
  std::vector<double> c(11, 0.0);
  c[0] = detractors;
  c[7] = passives;
  c[9] = promoters;
  return c;
}

TEST(StatsGrr, ShareInvertsTheMechanism) {
  // k 3, eps ln 2: a value with true share theta is reported with share 1/4 + theta / 4.
  EXPECT_NEAR(GrrShare(0.25, 1, 0.5, 0.25), 0.0, 1e-12);
  EXPECT_NEAR(GrrShare(0.375, 1, 0.5, 0.25), 0.5, 1e-12);
  EXPECT_NEAR(GrrShare(0.5, 1, 0.5, 0.25), 1.0, 1e-12);
  EXPECT_NEAR(GrrShare(0.625, 2, 0.5, 0.25), 0.5, 1e-12);  // two values: 2/4 + theta / 4
  EXPECT_EQ(GrrShare(0.5, 1, 0.3, 0.3), 0);  // not invertible: default, never NaN
}

// Hand-worked: k 4 (3 groups + "no answer"), p 2/5, q 1/5. Reports D, A, P, none = 22, 24, 30,
// 24 of N = 100 give theta = (pi - 1/5) / (1/5) = 0.1, 0.2, 0.5, 0.2: 80 estimated answers,
// 10 detractors, 20 passives, 50 promoters, NPS 100 (50 - 10) / 80 = 50.
TEST(StatsGrr, NpsWithNoAnswerHandVector) {
  const NpsScore s = ScoreNpsGrr(GroupReports(22, 24, 30), 24, true, 0.4, 0.2);
  EXPECT_NEAR(s.n, 80, 1e-9);
  EXPECT_NEAR(s.detractors, 10, 1e-9);
  EXPECT_NEAR(s.passives, 20, 1e-9);
  EXPECT_NEAR(s.promoters, 50, 1e-9);
  EXPECT_NEAR(s.score, 50, 1e-9);
  // Everyone answered (theta_none = 0): 25, 25, 30, 20 -> theta 0.25, 0.25, 0.5, 0.
  const NpsScore all = ScoreNpsGrr(GroupReports(25, 25, 30), 20, true, 0.4, 0.2);
  EXPECT_NEAR(all.n, 100, 1e-9);
  EXPECT_NEAR(all.score, 25, 1e-9);
  // Full histogram, k 12 at eps ln 11: p 1/2, q 1/22. Of 200 respondents 44 answered 3, 22
  // answered 7, 66 each 9 and 10, and 2 gave no answer; value v with t_v true answers is
  // reported 200 q + t_v (p - q) = (200 + 10 t_v) / 22 times.
  std::vector<double> full(11, 0.0);
  for (int v = 0; v <= 10; ++v) {
    const int t = v == 3 ? 44 : v == 7 ? 22 : v >= 9 ? 66 : 0;
    full[v] = (200.0 + 10 * t) / 22;
  }
  const NpsScore f = ScoreNpsGrr(full, (200.0 + 10 * 2) / 22, false, 0.5, 1.0 / 22);
  EXPECT_NEAR(f.n, 198, 1e-9);
  EXPECT_NEAR(f.detractors, 44, 1e-9);
  EXPECT_NEAR(f.passives, 22, 1e-9);
  EXPECT_NEAR(f.promoters, 132, 1e-9);
  EXPECT_NEAR(f.score, 44.444444444, 1e-6);  // 100 (132 - 44) / 198
}

// METRICS.md: "the cost at n = 1000: about +-7 points of standard error at eps = 1, +-3.8 at
// eps = 2" for NPS under 3-way randomization (k 3, no "no answer" value, the whole epsilon on the
// one item). With the contract's 50/30/20 distribution the standard error of the estimated
// score (sampling and noise together) is 7.09 and 3.74 points (plain Wald se at n = 1000: 2.47).
TEST(StatsGrr, NpsStandardErrorMatchesMetricsClaim) {
  struct Case {
    double eps, p, q, claimed, expected_se;
  };
  // p = e / (e + 2) and e^2 / (e^2 + 2), q = 1 / (e + 2) and 1 / (e^2 + 2), to 9 digits.
  for (const Case& c : {Case{1.0, 0.576116885, 0.211941558, 7.0, 7.0905},
                        Case{2.0, 0.786986586, 0.106506707, 3.8, 3.7399}}) {
    const double gap = c.p - c.q;
    // Expected reports of 1000 respondents at 50/30/20: 1000 (q + (p - q) share).
    const NpsScore s = ScoreNpsGrr(
        GroupReports(1000 * (c.q + gap * 0.2), 1000 * (c.q + gap * 0.3), 1000 * (c.q + gap * 0.5)),
        0, true, c.p, c.q);
    EXPECT_NEAR(s.n, 1000, 1e-4);
    EXPECT_NEAR(s.score, 30.0, 1e-4);
    EXPECT_NEAR(100 * s.wald_se, c.expected_se, 1e-3) << "eps " << c.eps;
    EXPECT_NEAR(100 * s.wald_se, c.claimed, 0.1 * c.claimed) << "eps " << c.eps;
    EXPECT_NEAR(s.ci95.hi - s.ci95.lo, 2 * kZ95 * 100 * s.wald_se, 1e-9);
  }
  EXPECT_NEAR(100 * ScoreNps(Nps(500, 300, 200)).wald_se, 2.4698, 1e-3);
}

// The interval of a score with "no answer" (a ratio of estimates) against the exact
// distribution of the estimate: every outcome of N = 90 reports drawn from the report
// probabilities (multinomial), enumerated, scored by ScoreNpsGrr itself. k 4 at eps ln 9
// (p 3/4, q 1/12); true shares D 0.1, A 0.2, P 0.5, none 0.2 (NPS 50).
TEST(StatsGrr, NpsIntervalMatchesExactEnumeration) {
  const double p = 0.75, q = 1.0 / 12, gap = p - q;
  const double theta[4] = {0.1, 0.2, 0.5, 0.2};
  double pi[4], log_pi[4];
  for (int v = 0; v < 4; ++v) {
    pi[v] = q + gap * theta[v];
    log_pi[v] = std::log(pi[v]);
  }
  const int n = 90;
  double mass = 0, sum = 0, sum2 = 0;
  for (int d = 0; d <= n; ++d) {
    for (int a = 0; a + d <= n; ++a) {
      for (int pr = 0; pr + a + d <= n; ++pr) {
        const int none = n - d - a - pr;
        const double weight =
            std::exp(std::lgamma(n + 1) - std::lgamma(d + 1) - std::lgamma(a + 1) -
                     std::lgamma(pr + 1) - std::lgamma(none + 1) + d * log_pi[0] + a * log_pi[1] +
                     pr * log_pi[2] + none * log_pi[3]);
        const NpsScore s = ScoreNpsGrr(GroupReports(d, a, pr), none, true, p, q);
        if (!(s.n > 0)) continue;  // no answers estimated: no score
        mass += weight;
        sum += weight * s.score;
        sum2 += weight * s.score * s.score;
      }
    }
  }
  ASSERT_NEAR(mass, 1, 1e-6);
  const double mean = sum / mass, sd = std::sqrt(sum2 / mass - mean * mean);
  EXPECT_NEAR(mean, 50.0, 0.5);  // a ratio: nearly unbiased (exactly: 50.11)
  EXPECT_NEAR(sd, 13.78, 0.01);
  const NpsScore at_expectation =
      ScoreNpsGrr(GroupReports(n * pi[0], n * pi[1], n * pi[2]), n * pi[3], true, p, q);
  EXPECT_NEAR(at_expectation.score, 50.0, 1e-9);
  EXPECT_NEAR(100 * at_expectation.wald_se, sd, 0.03 * sd);  // delta method: 13.70 vs 13.78
}

TEST(StatsGrr, NoNoiseLimitIsThePlainWald) {
  // eps 40: p = 1 and q = 0 to double precision.
  const NpsScore s = ScoreNpsGrr(Nps(50, 30, 20), 0, true, 1.0, 0.0);
  EXPECT_NEAR(s.score, 30.0, 1e-9);
  EXPECT_NEAR(s.wald_se, 0.078102, 1e-6);  // METRICS.md plain Wald se
}

// Hand-worked CSAT and mean on a 5-point scale, k 6 (5 answers + "no answer") at eps ln 5:
// p 5/10, q 1/10, gap 2/5. Reports 1..5, none = 10, 14, 18, 26, 22, 10 of N = 100 give
// theta = (pi - 0.1) / 0.4 = 0, 0.1, 0.2, 0.4, 0.3, 0: n 100, satisfied (4-5) 70%, mean
// 1*0 + 2*0.1 + 3*0.2 + 4*0.4 + 5*0.3 = 3.9, agree (4-5 of 5) 70%.
TEST(StatsGrr, CsatAndMeanHandVector) {
  const std::vector<double> reported = {10, 14, 18, 26, 22};
  const CsatScore c = ScoreCsatGrr(reported, 10, 5, {}, 0.5, 0.1);
  EXPECT_EQ(c.satisfied_set, (std::vector<int>{4, 5}));
  EXPECT_NEAR(c.n, 100, 1e-9);
  EXPECT_NEAR(c.satisfied, 70, 1e-9);
  EXPECT_NEAR(c.score, 70, 1e-9);
  EXPECT_LT(c.ci95.lo, c.score);
  EXPECT_GT(c.ci95.hi - c.ci95.lo, ScoreCsat({0, 10, 20, 40, 30}, 5, {}).ci95.hi -
                                       ScoreCsat({0, 10, 20, 40, 30}, 5, {}).ci95.lo);
  const MeanScore m = ScoreMeanGrr(reported, 10, 5, 0.5, 0.1);
  EXPECT_NEAR(m.n, 100, 1e-9);
  EXPECT_NEAR(m.mean, 3.9, 1e-12);
  // Plug-in sd: E[v^2] = 0.4 + 1.8 + 6.4 + 7.5 = 16.1, minus 3.9^2 = 15.21 -> sqrt(0.89).
  EXPECT_NEAR(m.sd, std::sqrt(0.89), 1e-12);
  EXPECT_TRUE(m.has_ci);
  EXPECT_NEAR(AgreePctGrr(reported, 10, 5, 0.5, 0.1), 70, 1e-9);
}

TEST(StatsGrr, DegenerateInputsStayFinite) {
  EXPECT_EQ(ScoreNpsGrr({}, 0, true, 0.5, 0.25).n, 0);
  EXPECT_EQ(ScoreNpsGrr(Nps(1, 1, 1), 0, true, 0.5, 0.5).n, 0);
  EXPECT_EQ(ScoreNpsGrr({}, 5, true, 0.4, 0.2).n, 0);  // only "no answer": nothing estimated
  const NpsScore one = ScoreNpsGrr(GroupReports(0, 0, 1), 0, true, 0.5, 0.25);
  EXPECT_GE(one.ci95.lo, -100);
  EXPECT_LE(one.ci95.hi, 100);
  const MeanScore m = ScoreMeanGrr({1, 0, 0}, 0, 3, 0.5, 0.25);
  EXPECT_FALSE(m.has_ci);
  EXPECT_TRUE(std::isfinite(m.mean));
  const CsatScore c = ScoreCsatGrr({0, 0, 5}, 0, 3, {}, 0.5, 0.25);
  EXPECT_LE(c.ci95.hi, 100);
  EXPECT_GE(c.ci95.lo, 0);
}

}  // namespace
}  // namespace nazar
