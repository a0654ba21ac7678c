// Private helpers writing numbers into report JSON: rounded values that never read
// "nan", "inf" or "-0.0", and counts that stay integers when whole.
#ifndef NAZAR_SRC_JSON_NUMBER_H_
#define NAZAR_SRC_JSON_NUMBER_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "json_writer.h"

namespace nazar::json_number {

// `x` rounded to `decimals` places (0.0 instead of -0.0); NaN stays NaN.
inline double RoundTo(double x, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double r = std::round(x * scale) / scale;
  return r == 0 ? 0.0 : r;
}

// `x` rounded to `decimals` places; null when not finite.
inline void Rounded(JsonWriter& w, double x, int decimals) {
  if (!std::isfinite(x)) {
    w.Null();
  } else {
    w.Double(RoundTo(x, decimals));
  }
}

// True when `x` is a whole number that an int64 holds exactly (plain counts).
inline bool IsWhole(double x) {
  const double r = std::round(x);
  return std::isfinite(x) && std::fabs(x - r) <= 1e-9 * std::max(1.0, std::fabs(x)) &&
         std::fabs(r) < 9e15;
}

// A count: an integer when whole, else up to two decimals (local-DP estimates); null when not
// finite.
inline void Count(JsonWriter& w, double x) {
  if (!std::isfinite(x)) {
    w.Null();
  } else if (IsWhole(x)) {
    w.Int(static_cast<int64_t>(std::round(x)));
  } else {
    Rounded(w, x, 2);
  }
}

inline void Counts(JsonWriter& w, const std::vector<double>& counts) {
  w.BeginArray();
  for (double c : counts) Count(w, c);
  w.EndArray();
}

// `s`, or null when it is empty (an unknown date).
inline void StringOrNull(JsonWriter& w, const std::string& s) {
  if (s.empty()) {
    w.Null();
  } else {
    w.String(s);
  }
}

// [lo, hi] rounded.
inline void Interval2(JsonWriter& w, double lo, double hi, int decimals) {
  w.BeginArray();
  Rounded(w, lo, decimals);
  Rounded(w, hi, decimals);
  w.EndArray();
}

}  // namespace nazar::json_number

#endif  // NAZAR_SRC_JSON_NUMBER_H_
