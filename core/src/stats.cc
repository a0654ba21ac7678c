// Scoring and statistics per METRICS.md. Every function works on histograms of (possibly
// fractional or negative, when local-DP estimates) counts and never returns NaN or infinity.
#include "nazar/stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>

#include "nazar/definition.h"

namespace nazar {
namespace {

constexpr double kSqrt2 = 1.41421356237309504880;
constexpr double kPi = 3.14159265358979323846;
// Above this many degrees of freedom t is the normal to better than 3e-7 in the quantile, and
// lgamma differences of such large arguments lose precision: use the normal.
constexpr double kNormalDf = 1e7;

double Clamp(double x, double lo, double hi) { return std::min(std::max(x, lo), hi); }
double Clamp01(double x) { return Clamp(x, 0.0, 1.0); }

// `counts` as exactly `size` cells: missing cells are 0, extra cells and non-finite values are
// ignored, so callers may pass any vector without out-of-bounds reads.
std::vector<double> Cells(const std::vector<double>& counts, size_t size) {
  std::vector<double> cells(size, 0.0);
  for (size_t i = 0; i < size && i < counts.size(); ++i) {
    if (std::isfinite(counts[i])) cells[i] = counts[i];
  }
  return cells;
}

size_t ScaleCells(const std::vector<double>& counts, int scale) {
  return scale > 0 ? static_cast<size_t>(scale) : counts.size();
}

double Sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// Two-sided normal p-value 2 * (1 - Phi(|z|)), computed without cancellation.
double TwoSidedNormalP(double z) { return std::erfc(std::fabs(z) / kSqrt2); }

// Continued fraction of the incomplete beta function (modified Lentz, as in Numerical Recipes
// betacf). Converges in O(sqrt(max(a, b))) steps for x < (a + 1) / (a + b + 2).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr int kMaxIterations = 20000;
  constexpr double kEpsilon = 1e-15;
  constexpr double kTiny = 1e-300;
  const double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));  // even step
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));  // odd step
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEpsilon) break;
  }
  return h;
}

// Regularized incomplete beta I_x(a, b); y = 1 - x is passed separately to keep precision when
// x is close to 1.
double RegularizedBeta(double a, double b, double x, double y) {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log(y));
  if (x < (a + 1) / (a + b + 2)) return Clamp01(front * BetaContinuedFraction(a, b, x) / a);
  return Clamp01(1 - front * BetaContinuedFraction(b, a, y) / b);
}

// P(T > t) for t >= 0 and df > 0.
double StudentTUpperTail(double t, double df) {
  if (std::isinf(t)) return 0;
  if (df > kNormalDf) return 0.5 * std::erfc(t / kSqrt2);
  const double t2 = t * t;
  return 0.5 * RegularizedBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
}

// Variance of the NPS variable (+1 promoter, 0 passive, -1 detractor) from the promoter and
// detractor shares; shares are clamped into [0, 1] so local-DP estimates cannot make it negative.
double NpsVariance(double p, double d) {
  p = Clamp01(p);
  d = Clamp01(d);
  return std::max(0.0, p + d - (p - d) * (p - d));
}

Interval Scaled(const Interval& i, double factor) { return {i.lo * factor, i.hi * factor}; }

}  // namespace

double NormalCdf(double x) {
  if (std::isnan(x)) return 0.5;
  return 0.5 * std::erfc(-x / kSqrt2);
}

double StudentTCdf(double t, double df) {
  if (std::isnan(t) || !(df > 0)) return 0.5;
  const double upper = StudentTUpperTail(std::fabs(t), df);
  return t >= 0 ? 1 - upper : upper;
}

double StudentTQuantile(double p, double df) {
  if (!(p > 0 && p < 1) || !(df > 0) || p == 0.5) return 0;
  const double tail = p < 0.5 ? p : 1 - p;
  // Newton steps on the density for the root of UpperTail(t) = tail, from a start close to it,
  // each kept inside the bracket [lo, hi] the evaluations so far give (a bisection where a step
  // would leave it, a doubling while there is no upper end): the tail is monotone, so this holds
  // for every df, including the heavy tails of fractional df < 1. A report of many cells needs
  // this per cell: two or three evaluations of the tail where bracketing first took seven.
  const bool normal = df > kNormalDf;  // StudentTUpperTail() is the normal's there
  const double log_scale =
      normal ? -0.5 * std::log(2 * kPi)
             : std::lgamma((df + 1) / 2) - std::lgamma(df / 2) - 0.5 * std::log(df * kPi);
  auto density = [&](double t) {
    return std::exp(normal ? log_scale - t * t / 2
                           : log_scale - (df + 1) / 2 * std::log1p(t * t / df));
  };
  // The start: the normal quantile (Abramowitz and Stegun 26.2.23, error under 4.5e-4) through
  // the Cornish-Fisher expansion of t in 1/df to its second term. Only a start: the steps make
  // the result exact.
  const double w = std::sqrt(-2 * std::log(tail));
  const double z =
      std::max(0.0, w - (2.515517 + 0.802853 * w + 0.010328 * w * w) /
                            (1 + 1.432788 * w + 0.189269 * w * w + 0.001308 * w * w * w));
  const double z2 = z * z;
  double t = z + z * (z2 + 1) / (4 * df) + z * ((5 * z2 + 16) * z2 + 3) / (96 * df * df);
  if (!(t > 0 && t < 1e300)) t = 1;
  double lo = 0, hi = HUGE_VAL;
  for (int i = 0; i < 4000 && (std::isinf(hi) || hi - lo > 1e-15 * hi); ++i) {
    const double excess = StudentTUpperTail(t, df) - tail;  // falls as t grows
    if (excess > 0) {
      lo = t;
    } else if (excess < 0) {
      hi = t;
    } else {
      break;
    }
    const double f = density(t);
    const double next = f > 0 ? t + excess / f : lo - 1;  // an underflowed density: no step
    const bool inside = next > lo && next < hi;
    // Newton converges quadratically: after a step this small, next is as exact as the tail's
    // own rounding allows (about 1e-13 relative for a large df, where bisection only chased it).
    if (f > 0 && std::fabs(next - t) <= 1e-12 * t) {
      if (inside) t = next;
      break;
    }
    if (inside) {
      t = next;
    } else if (std::isinf(hi)) {
      if (t >= 1e300) break;
      t *= 2;
    } else {
      t = 0.5 * (lo + hi);
    }
  }
  return p < 0.5 ? -t : t;
}

NpsScore ScoreNps(const std::vector<double>& counts) {
  const std::vector<double> c = Cells(counts, 11);
  NpsScore s;
  for (int v = 0; v <= 10; ++v) {
    const NpsGroup g = NpsGroupOf(v);
    (g == NpsGroup::kPromoter  ? s.promoters
     : g == NpsGroup::kPassive ? s.passives
                               : s.detractors) += c[v];
  }
  s.n = s.promoters + s.passives + s.detractors;
  if (!(s.n > 0)) return NpsScore{};
  const double p = s.promoters / s.n, d = s.detractors / s.n;
  s.score = 100 * (p - d);
  s.wald_se = std::sqrt(NpsVariance(p, d) / s.n);
  s.adj_n = s.n + 3;
  const double pa = (s.promoters + 0.75) / s.adj_n, da = (s.detractors + 0.75) / s.adj_n;
  const double centre = pa - da;
  s.adj_var = NpsVariance(pa, da);
  const double half = kZ95 * std::sqrt(s.adj_var / s.adj_n);
  s.ci95 = {100 * Clamp(centre - half, -1, 1), 100 * Clamp(centre + half, -1, 1)};
  return s;
}

std::vector<int> DefaultCsatSatisfied(int scale) {
  if (scale < 1) return {};
  if (scale <= 3) return {scale};  // top box on 2 and 3 points
  return {scale - 1, scale};       // top-2 box otherwise
}

Interval WilsonInterval(double k, double n, double z) {
  if (!(n > 0) || !std::isfinite(k)) return {};
  const double ph = k / n, pc = Clamp01(ph), z2 = z * z;
  const double denom = 1 + z2 / n;
  const double centre = (ph + z2 / (2 * n)) / denom;
  const double half = z * std::sqrt(pc * (1 - pc) / n + z2 / (4 * n * n)) / denom;
  return {Clamp01(centre - half), Clamp01(centre + half)};
}

Interval NewcombeInterval(double k1, double n1, double k2, double n2, double z) {
  if (!(n1 > 0) || !(n2 > 0)) return {};
  const double p1 = k1 / n1, p2 = k2 / n2, diff = p1 - p2;
  const Interval w1 = WilsonInterval(k1, n1, z), w2 = WilsonInterval(k2, n2, z);
  const double lo = diff - std::hypot(p1 - w1.lo, w2.hi - p2);
  const double hi = diff + std::hypot(w1.hi - p1, p2 - w2.lo);
  return {Clamp(lo, -1, 1), Clamp(hi, -1, 1)};
}

namespace {
// The CSAT satisfied set actually used on `cells` points: the default when empty, then sorted,
// unique, within 1..cells.
std::vector<int> UsedSatisfiedSet(std::vector<int> satisfied_set, size_t cells) {
  if (satisfied_set.empty()) satisfied_set = DefaultCsatSatisfied(static_cast<int>(cells));
  std::sort(satisfied_set.begin(), satisfied_set.end());
  satisfied_set.erase(std::unique(satisfied_set.begin(), satisfied_set.end()), satisfied_set.end());
  satisfied_set.erase(
      std::remove_if(satisfied_set.begin(), satisfied_set.end(),
                     [&](int v) { return v < 1 || static_cast<size_t>(v) > cells; }),
      satisfied_set.end());
  return satisfied_set;
}
}  // namespace

CsatScore ScoreCsat(const std::vector<double>& counts, int scale, std::vector<int> satisfied_set) {
  const size_t cells = ScaleCells(counts, scale);
  const std::vector<double> c = Cells(counts, cells);
  CsatScore s;
  s.satisfied_set = UsedSatisfiedSet(std::move(satisfied_set), cells);
  s.n = Sum(c);
  if (!(s.n > 0)) {
    s.n = 0;
    return s;
  }
  for (int v : s.satisfied_set) s.satisfied += c[v - 1];
  s.score = 100 * s.satisfied / s.n;
  s.ci95 = Scaled(WilsonInterval(s.satisfied, s.n), 100);
  return s;
}

MeanScore ScoreMean(const std::vector<double>& counts, int scale) {
  const std::vector<double> c = Cells(counts, ScaleCells(counts, scale));
  MeanScore s;
  s.n = Sum(c);
  if (!(s.n > 0)) return MeanScore{};
  double total = 0;
  for (size_t i = 0; i < c.size(); ++i) total += c[i] * static_cast<double>(i + 1);
  s.mean = total / s.n;
  s.ci95 = {s.mean, s.mean};
  if (s.n < 2) return s;
  double squares = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    const double dev = static_cast<double>(i + 1) - s.mean;
    squares += c[i] * dev * dev;
  }
  s.sd = std::sqrt(std::max(0.0, squares / (s.n - 1)));
  const double half = StudentTQuantile(0.975, s.n - 1) * s.sd / std::sqrt(s.n);
  s.ci95 = {s.mean - half, s.mean + half};
  s.has_ci = true;
  return s;
}

double AgreePct(const std::vector<double>& counts, int scale) {
  const std::vector<double> c = Cells(counts, ScaleCells(counts, scale));
  const double n = Sum(c);
  if (!(n > 0)) return 0;
  double agree = 0;
  // Answers strictly above the neutral midpoint (scale + 1) / 2: 5-7 of 7, 4-5 of 5.
  for (size_t i = 0; i < c.size(); ++i) {
    if (2 * static_cast<double>(i + 1) > static_cast<double>(c.size() + 1)) agree += c[i];
  }
  return 100 * agree / n;
}

CesScore ScoreCes(const std::vector<double>& counts, int scale) {
  const MeanScore m = ScoreMean(counts, scale);
  CesScore s;
  s.n = m.n;
  s.mean = m.mean;
  s.sd = m.sd;
  s.ci95 = m.ci95;
  s.agree_pct = AgreePct(counts, scale);
  return s;
}

// ---- Local differential privacy (k-ary randomized response) ----

double GrrShare(double reported_share, double m, double p, double q) {
  const double gap = p - q;
  if (!(gap > 0) || !std::isfinite(reported_share)) return 0;
  return (reported_share - m * q) / gap;
}

namespace {

// A ratio sum_v a_v theta_v / sum_v b_v theta_v of estimated true shares theta_v = (pi_v - q) /
// (p - q) of reported values (pi_v = c_v / N), with its delta-method variance: the estimate is a
// smooth function of the multinomial report shares, so
//   Var(R) ~= [sum pi_v w_v^2 - (sum pi_v w_v)^2] / (N den^2),  w_v = (a_v - R b_v) / (p - q).
// Without a "no answer" value (den = 1) this is the exact variance of a linear estimate.
struct GrrRatio {
  double reports = 0;  // N
  double num = 0;      // sum a theta
  double den = 0;      // sum b theta: the estimated share of reports that are answers
  double ratio = 0;
  double var = 0;
  bool ok = false;  // N > 0, p > q and den > 0
};

GrrRatio GrrRatioOf(const std::vector<double>& c, const std::vector<double>& a,
                    const std::vector<double>& b, double p, double q) {
  GrrRatio r;
  const double gap = p - q;
  r.reports = Sum(c);
  if (!(r.reports > 0) || !(gap > 0)) return r;
  for (size_t v = 0; v < c.size(); ++v) {
    const double theta = GrrShare(c[v] / r.reports, 1, p, q);
    r.num += a[v] * theta;
    r.den += b[v] * theta;
  }
  if (!(r.den > 0)) return r;
  r.ratio = r.num / r.den;
  double m1 = 0, m2 = 0;
  for (size_t v = 0; v < c.size(); ++v) {
    const double pi = c[v] / r.reports, w = (a[v] - r.ratio * b[v]) / gap;
    m1 += pi * w;
    m2 += pi * w * w;
  }
  r.var = std::max(0.0, m2 - m1 * m1) / (r.reports * r.den * r.den);
  r.ok = true;
  return r;
}

// The reported values of a 1..scale (or NPS) item followed by the "no answer" reports.
std::vector<double> WithNoAnswer(std::vector<double> cells, double no_answer) {
  cells.push_back(std::isfinite(no_answer) ? no_answer : 0);
  return cells;
}

// Indicator coefficients over `size` answer values plus "no answer" (0).
std::vector<double> Answers(size_t size) {
  std::vector<double> b(size + 1, 1.0);
  b.back() = 0;
  return b;
}

}  // namespace

NpsScore ScoreNpsGrr(const std::vector<double>& reported, double no_answer, bool grouped, double p,
                     double q) {
  const std::vector<double> cells = Cells(reported, 11);
  // Values randomized over: the 3 groups (detractor, passive, promoter) or the 11 answers.
  std::vector<double> values;
  std::vector<int> group_of;
  if (grouped) {
    values.assign(3, 0.0);
    for (int v = 0; v <= 10; ++v) values[static_cast<int>(NpsGroupOf(v))] += cells[v];
    group_of = {0, 1, 2};
  } else {
    values = cells;
    for (int v = 0; v <= 10; ++v) group_of.push_back(static_cast<int>(NpsGroupOf(v)));
  }
  const std::vector<double> c = WithNoAnswer(values, no_answer);
  std::vector<double> a(c.size(), 0.0);
  for (size_t v = 0; v < group_of.size(); ++v)
    a[v] = group_of[v] == 2 ? 1 : group_of[v] == 0 ? -1 : 0;
  const GrrRatio r = GrrRatioOf(c, a, Answers(values.size()), p, q);
  if (!r.ok) return NpsScore{};
  NpsScore s;
  s.n = r.reports * r.den;
  double* group_counts[3] = {&s.detractors, &s.passives, &s.promoters};
  for (size_t v = 0; v < group_of.size(); ++v) {
    *group_counts[group_of[v]] += r.reports * GrrShare(c[v] / r.reports, 1, p, q);
  }
  s.score = 100 * r.ratio;
  s.wald_se = std::sqrt(r.var);
  const double half = 100 * kZ95 * s.wald_se;
  s.ci95 = {Clamp(s.score - half, -100, 100), Clamp(s.score + half, -100, 100)};
  return s;
}

CsatScore ScoreCsatGrr(const std::vector<double>& reported, double no_answer, int scale,
                       std::vector<int> satisfied_set, double p, double q) {
  const size_t cells = ScaleCells(reported, scale);
  CsatScore s;
  s.satisfied_set = UsedSatisfiedSet(std::move(satisfied_set), cells);
  const std::vector<double> c = WithNoAnswer(Cells(reported, cells), no_answer);
  std::vector<double> a(c.size(), 0.0);
  for (int v : s.satisfied_set) a[v - 1] = 1;
  const GrrRatio r = GrrRatioOf(c, a, Answers(cells), p, q);
  if (!r.ok) return s;
  s.n = r.reports * r.den;
  s.satisfied = r.reports * r.num;
  s.score = 100 * r.ratio;
  const double half = 100 * kZ95 * std::sqrt(r.var);
  s.ci95 = {Clamp(s.score - half, 0, 100), Clamp(s.score + half, 0, 100)};
  return s;
}

MeanScore ScoreMeanGrr(const std::vector<double>& reported, double no_answer, int scale, double p,
                       double q) {
  const size_t cells = ScaleCells(reported, scale);
  const std::vector<double> c = WithNoAnswer(Cells(reported, cells), no_answer);
  std::vector<double> a(c.size(), 0.0), a2(c.size(), 0.0);
  for (size_t i = 0; i < cells; ++i) {
    a[i] = static_cast<double>(i + 1);
    a2[i] = a[i] * a[i];
  }
  const std::vector<double> b = Answers(cells);
  const GrrRatio r = GrrRatioOf(c, a, b, p, q);
  if (!r.ok) return MeanScore{};
  MeanScore s;
  s.n = r.reports * r.den;
  s.mean = r.ratio;
  s.sd = std::sqrt(std::max(0.0, GrrRatioOf(c, a2, b, p, q).ratio - s.mean * s.mean));
  s.ci95 = {s.mean, s.mean};
  if (r.reports < 2) return s;
  const double half = kZ95 * std::sqrt(r.var);
  s.ci95 = {s.mean - half, s.mean + half};
  s.has_ci = true;
  return s;
}

double AgreePctGrr(const std::vector<double>& reported, double no_answer, int scale, double p,
                   double q) {
  const size_t cells = ScaleCells(reported, scale);
  const std::vector<double> c = WithNoAnswer(Cells(reported, cells), no_answer);
  std::vector<double> a(c.size(), 0.0);
  for (size_t i = 0; i < cells; ++i) {
    if (2 * static_cast<double>(i + 1) > static_cast<double>(cells + 1)) a[i] = 1;
  }
  const GrrRatio r = GrrRatioOf(c, a, Answers(cells), p, q);
  return r.ok ? 100 * r.ratio : 0;
}

Change CompareNps(const std::vector<double>& a, const std::vector<double>& b) {
  const NpsScore sa = ScoreNps(a), sb = ScoreNps(b);
  Change ch;
  ch.testable = sa.n >= kMinNForChange && sb.n >= kMinNForChange;
  if (!(sa.n > 0 && sb.n > 0)) return ch;
  ch.diff = sb.score - sa.score;
  ch.ci95 = {ch.diff, ch.diff};
  // Adjusted-Wald centres c = p' - d' = (P - D) / n'.
  const double ca = (sa.promoters - sa.detractors) / sa.adj_n;
  const double cb = (sb.promoters - sb.detractors) / sb.adj_n;
  const double se = std::sqrt(sa.adj_var / sa.adj_n + sb.adj_var / sb.adj_n);
  if (!(se > 0)) return ch;
  ch.statistic = (cb - ca) / se;
  ch.p_value = TwoSidedNormalP(ch.statistic);
  ch.ci95 = {100 * Clamp(cb - ca - kZ95 * se, -2, 2), 100 * Clamp(cb - ca + kZ95 * se, -2, 2)};
  return ch;
}

Change CompareCsat(const std::vector<double>& a, const std::vector<double>& b, int scale,
                   const std::vector<int>& satisfied_set) {
  const CsatScore sa = ScoreCsat(a, scale, satisfied_set), sb = ScoreCsat(b, scale, satisfied_set);
  Change ch;
  ch.testable = sa.n >= kMinNForChange && sb.n >= kMinNForChange;
  if (!(sa.n > 0 && sb.n > 0)) return ch;
  ch.diff = sb.score - sa.score;
  ch.ci95 = Scaled(NewcombeInterval(sb.satisfied, sb.n, sa.satisfied, sa.n), 100);
  const double pooled = Clamp01((sa.satisfied + sb.satisfied) / (sa.n + sb.n));
  const double se = std::sqrt(pooled * (1 - pooled) * (1 / sa.n + 1 / sb.n));
  if (!(se > 0)) return ch;
  ch.statistic = (sb.satisfied / sb.n - sa.satisfied / sa.n) / se;
  ch.p_value = TwoSidedNormalP(ch.statistic);
  return ch;
}

Change CompareCes(const std::vector<double>& a, const std::vector<double>& b, int scale) {
  const MeanScore ma = ScoreMean(a, scale), mb = ScoreMean(b, scale);
  Change ch;
  ch.testable = ma.n >= kMinNForChange && mb.n >= kMinNForChange;
  if (!(ma.n > 0 && mb.n > 0)) return ch;
  ch.diff = mb.mean - ma.mean;
  ch.ci95 = {ch.diff, ch.diff};
  if (!ma.has_ci || !mb.has_ci) return ch;
  const double va = ma.sd * ma.sd / ma.n, vb = mb.sd * mb.sd / mb.n;
  const double se = std::sqrt(va + vb);
  if (!(se > 0)) return ch;  // no spread in either group: the t statistic is undefined
  // Welch-Satterthwaite degrees of freedom.
  ch.df = (va + vb) * (va + vb) / (va * va / (ma.n - 1) + vb * vb / (mb.n - 1));
  ch.statistic = ch.diff / se;
  ch.p_value = Clamp01(2 * StudentTUpperTail(std::fabs(ch.statistic), ch.df));
  const double half = StudentTQuantile(0.975, ch.df) * se;
  ch.ci95 = {ch.diff - half, ch.diff + half};
  return ch;
}

std::vector<bool> BenjaminiHochberg(const std::vector<double>& p_values, double q) {
  const size_t m = p_values.size();
  std::vector<bool> discovery(m, false);
  if (m == 0) return discovery;
  auto p_at = [&](size_t i) { return std::isnan(p_values[i]) ? 1.0 : p_values[i]; };
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return p_at(x) < p_at(y); });
  // Step-up: the largest rank k with p_(k) <= k q / m; every smaller p is a discovery too.
  size_t k = 0;
  for (size_t rank = m; rank >= 1; --rank) {
    if (p_at(order[rank - 1]) <= static_cast<double>(rank) * q / static_cast<double>(m)) {
      k = rank;
      break;
    }
  }
  for (size_t rank = 0; rank < k; ++rank) discovery[order[rank]] = true;
  return discovery;
}

double NpsSampleSize(double margin_points, double var) {
  if (!(margin_points > 0) || !(var >= 0)) return 0;
  const double m = margin_points / 100;
  const double n = kZ95 * kZ95 * var / (m * m) - 3;
  return std::isfinite(n) ? std::max(0.0, n) : 0;
}

bool IsLowPrecision(const Interval& ci) { return (ci.hi - ci.lo) / 2 > 10; }

}  // namespace nazar
