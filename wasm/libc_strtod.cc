// nazar_strtod: Clinger's fast path when the digits and the power of ten are both exact doubles,
// otherwise the exact decimal shift algorithm of Go's strconv (decimal.go, atof.go): the digits
// are kept as a decimal string, halved or doubled by exact shifts until they hold the 53 bits of
// the result, then rounded half to even. No long double and no big tables.
#include "libc_strtod.h"

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace {

// Enough digits to decide the rounding of any double exactly (a halfway point between two
// subnormals has at most 767 significant digits); `trunc` records nonzero digits beyond.
constexpr int kMaxDigits = 800;
// The largest shift in one pass: 9 << 60 and its carries fit 64 bits.
constexpr unsigned kMaxShift = 60;

struct Decimal {
  uint8_t d[kMaxDigits];  // digit values 0-9, most significant first, no trailing zeros
  int nd = 0;             // digits used
  int dp = 0;             // decimal point: the value is 0.d[0]d[1]... * 10^dp
  bool trunc = false;     // nonzero digits were dropped beyond d[nd-1]
};

void Trim(Decimal* a) {
  while (a->nd > 0 && a->d[a->nd - 1] == 0) --a->nd;
  if (a->nd == 0) a->dp = 0;
}

// a /= 2^k, k <= kMaxShift.
void RightShift(Decimal* a, unsigned k) {
  int r = 0;
  int w = 0;
  uint64_t n = 0;
  for (; (n >> k) == 0; ++r) {  // enough leading digits for the first output digit
    if (r >= a->nd) {
      if (n == 0) {
        a->nd = 0;
        return;
      }
      while ((n >> k) == 0) {
        n *= 10;
        ++r;
      }
      break;
    }
    n = n * 10 + a->d[r];
  }
  a->dp -= r - 1;
  const uint64_t mask = (uint64_t{1} << k) - 1;
  for (; r < a->nd; ++r) {
    const uint8_t c = a->d[r];
    a->d[w++] = static_cast<uint8_t>(n >> k);
    n = (n & mask) * 10 + c;
  }
  while (n > 0) {
    const uint8_t dig = static_cast<uint8_t>(n >> k);
    n &= mask;
    if (w < kMaxDigits) {
      a->d[w++] = dig;
    } else if (dig > 0) {
      a->trunc = true;
    }
    n *= 10;
  }
  a->nd = w;
  Trim(a);
}

// a *= 2^k, k <= kMaxShift: from the last digit up, into a scratch buffer.
void LeftShift(Decimal* a, unsigned k) {
  uint8_t out[kMaxDigits + 20];  // 2^60 adds at most 19 digits
  int w = sizeof out;
  uint64_t n = 0;
  for (int r = a->nd - 1; r >= 0; --r) {
    n += uint64_t{a->d[r]} << k;
    out[--w] = static_cast<uint8_t>(n % 10);
    n /= 10;
  }
  for (; n > 0; n /= 10) out[--w] = static_cast<uint8_t>(n % 10);
  int count = static_cast<int>(sizeof out) - w;
  a->dp += count - a->nd;
  if (count > kMaxDigits) {
    for (int i = kMaxDigits; i < count; ++i) a->trunc |= out[w + i] != 0;
    count = kMaxDigits;
  }
  std::memcpy(a->d, out + w, count);
  a->nd = count;
  Trim(a);
}

// a *= 2^k for any k (negative halves).
void Shift(Decimal* a, int k) {
  constexpr int kMax = kMaxShift;
  if (a->nd == 0) return;
  for (; k > kMax; k -= kMax) LeftShift(a, kMax);
  for (; k < -kMax; k += kMax) RightShift(a, kMax);
  if (k > 0) LeftShift(a, k);
  if (k < 0) RightShift(a, -k);
}

// The integer part of a, rounded half to even (a < 2^54 here).
uint64_t RoundedInteger(const Decimal& a) {
  uint64_t n = 0;
  for (int i = 0; i < a.dp; ++i) n = n * 10 + (i < a.nd ? a.d[i] : 0);
  const int i = a.dp;
  if (i < 0 || i >= a.nd) return n;
  const bool round_up = a.d[i] == 5 && i + 1 == a.nd
                            ? a.trunc || (i > 0 && a.d[i - 1] % 2 == 1)  // exactly halfway
                            : a.d[i] >= 5;
  return n + round_up;
}

// The IEEE bits of |a| (a nonzero), Go's decimal.floatBits for float64. *overflow is set to
// whether the result is infinite.
uint64_t FloatBits(Decimal* a, bool* overflow) {
  constexpr int kMantBits = 52;
  constexpr int kBias = -1023;
  constexpr int kMaxExp = 2047;  // exponent field of infinity
  // Bits to shift for dp digits: 2^n <= 10^dp, so the value stays >= 0.5 / < 1 after it.
  static constexpr uint8_t kPowTab[] = {1, 3, 6, 9, 13, 16, 19, 23, 26};
  *overflow = false;
  if (a->dp > 310) {
    *overflow = true;
    return uint64_t{kMaxExp} << kMantBits;
  }
  if (a->dp < -330) return 0;
  int exp = 0;
  while (a->dp > 0) {  // scale into [0.5, 1)
    const int n = a->dp >= 9 ? 27 : kPowTab[a->dp];
    Shift(a, -n);
    exp += n;
  }
  while (a->dp < 0 || (a->dp == 0 && a->d[0] < 5)) {
    const int n = -a->dp >= 9 ? 27 : kPowTab[-a->dp];
    Shift(a, n);
    exp -= n;
  }
  --exp;                  // [0.5, 1) to the [1, 2) of the format
  if (exp < kBias + 1) {  // subnormal: shift to the minimum exponent
    const int n = kBias + 1 - exp;
    Shift(a, -n);
    exp += n;
  }
  if (exp - kBias >= kMaxExp) {
    *overflow = true;
    return uint64_t{kMaxExp} << kMantBits;
  }
  Shift(a, 1 + kMantBits);
  uint64_t mant = RoundedInteger(*a);
  if (mant == uint64_t{2} << kMantBits) {  // rounding carried into a new bit
    mant >>= 1;
    ++exp;
    if (exp - kBias >= kMaxExp) {
      *overflow = true;
      return uint64_t{kMaxExp} << kMantBits;
    }
  }
  if ((mant & (uint64_t{1} << kMantBits)) == 0) exp = kBias;  // subnormal
  return (mant & ((uint64_t{1} << kMantBits) - 1)) | uint64_t(exp - kBias) << kMantBits;
}

// Whether p starts with `lower` in any case.
bool StartsWith(const char* p, const char* lower) {
  for (; *lower != 0; ++p, ++lower) {
    if ((*p | 0x20) != *lower) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

double FromBits(uint64_t bits) {
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

}  // namespace

extern "C" double nazar_strtod(const char* text, char** end) {
  const char* p = text;
  while (*p == ' ' || (*p >= '\t' && *p <= '\r')) ++p;
  const bool negative = *p == '-';
  if (*p == '-' || *p == '+') ++p;
  const uint64_t sign = uint64_t{negative} << 63;
  uint64_t bits = 0;
  bool range_error = false;

  if (StartsWith(p, "inf")) {
    p += StartsWith(p + 3, "inity") ? 8 : 3;
    bits = uint64_t{0x7ff} << 52;
  } else if (StartsWith(p, "nan")) {
    p += 3;
    if (*p == '(') {
      const char* q = p + 1;
      while (IsDigit(*q) || ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z') || *q == '_') ++q;
      if (*q == ')') p = q + 1;
    }
    bits = uint64_t{0x7ff8} << 48;
  } else {
    Decimal a;
    bool any_digit = false;
    bool seen_point = false;
    for (;; ++p) {
      if (IsDigit(*p)) {
        any_digit = true;
        if (a.nd == 0 && *p == '0') {  // leading zero
          if (seen_point) --a.dp;
          continue;
        }
        if (!seen_point) ++a.dp;
        if (a.nd < kMaxDigits) {
          a.d[a.nd++] = static_cast<uint8_t>(*p - '0');
        } else if (*p != '0') {
          a.trunc = true;
        }
      } else if (*p == '.' && !seen_point) {
        seen_point = true;
      } else {
        break;
      }
    }
    if (!any_digit) {
      if (end != nullptr) *end = const_cast<char*>(text);
      return 0;
    }
    if ((*p | 0x20) == 'e') {
      const char* q = p + 1;
      const bool exp_negative = *q == '-';
      if (*q == '-' || *q == '+') ++q;
      if (IsDigit(*q)) {
        int e = 0;
        for (; IsDigit(*q); ++q) {
          if (e < 100000) e = e * 10 + (*q - '0');  // beyond, the result is 0 or inf anyway
        }
        a.dp += exp_negative ? -e : e;
        p = q;
      }
    }
    Trim(&a);
    if (a.nd > 0) {
      // Clinger's fast path: an integer below 2^53 times or over a power of ten up to 1e22,
      // both exact, so one correctly rounded operation gives the correctly rounded result.
      int e10 = a.dp - a.nd;
      uint64_t m = 0;
      if (!a.trunc && a.nd <= 19) {
        for (int i = 0; i < a.nd; ++i) m = m * 10 + a.d[i];
      }
      constexpr uint64_t kExact = uint64_t{1} << 53;
      if (m != 0 && m <= kExact) {
        while (e10 > 22 && m <= kExact / 10) {
          m *= 10;
          --e10;
        }
      }
      if (m != 0 && m <= kExact && e10 >= -22 && e10 <= 22) {
        double scale = 1;
        for (int i = e10 < 0 ? -e10 : e10; i > 0; --i) scale *= 10;
        const double x = static_cast<double>(m);
        const double v = e10 < 0 ? x / scale : x * scale;
        std::memcpy(&bits, &v, sizeof v);
      } else {
        bits = FloatBits(&a, &range_error);
        range_error = range_error || (bits & (uint64_t{0x7ff} << 52)) == 0;  // subnormal or 0
      }
    }
  }
  if (end != nullptr) *end = const_cast<char*>(p);
  if (range_error) errno = ERANGE;
  return FromBits(bits | sign);
}

#ifdef NAZAR_WASM_REPLACE_STRTOD
// Replaces musl's strtod in the wasm modules (wasm/CMakeLists.txt; not in the wasm core suite,
// whose libc++ locale code needs musl's strtod_l): when this object defines strtod, strtof and
// strtold, libc's strtod.o (and its floatscan, 128-bit soft-float) stays out of the link.
extern "C" double strtod(const char* text, char** end) { return nazar_strtod(text, end); }

// Only libc++'s std::stof and std::stold (string.o) name these, and nothing calls those, so LTO
// drops them; converting nazar_strtod's result would round twice, so they trap rather than
// return a value that could be wrong.
extern "C" float strtof(const char*, char**) { __builtin_trap(); }
extern "C" long double strtold(const char*, char**) { __builtin_trap(); }
#endif
