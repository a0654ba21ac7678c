// The floor of issue 7's "warm scoring" target: bench/analyze/jsloop.js ported to C++ statement
// for statement, so the same single pass over the bytes of the generated export (fixed-offset
// ISO month, 1-2 digit answers, a 2-byte locale as a table key, comments skipped) runs natively
// and compiled to wasm next to the JavaScript loop it was written as. It knows one file layout
// and gives up (returns a negative code) on anything else: a bound on what any scorer of that
// file can reach in each engine, not a scorer (bench/analyze_floor.mjs runs it).
#include <cstdint>
#include <cstring>

namespace {

constexpr int kCells = (100 * 16 + 64) * 16;  // (year-month slot, locale) as jsloop.js keys them
int32_t counts[kCells * 24];                  // nps 0-10, csat 1-5, ces 1-7, rows
int8_t locale_of[65536];

}  // namespace

extern "C" {

// Scores the complete rows of b[0, n) after the header; returns the rows, or -1..-6 where the
// layout is not the generated one.
long floor_score(const uint8_t* b, long n) {
  std::memset(counts, 0, sizeof counts);
  std::memset(locale_of, -1, sizeof locale_of);
  int locales = 0;
  long i = 0;
  while (i < n && b[i] != '\n') ++i;
  ++i;
  long lim = n;
  while (lim > 0 && b[lim - 1] != '\n') --lim;
  long rows = 0;
  while (i < lim) {
    const int m = b[i + 5] * 10 + b[i + 6] - 528;
    const int y = b[i + 2] * 10 + b[i + 3] - 528;
    if (b[i + 4] != '-' || b[i + 7] != '-' || b[i + 10] != ',' || static_cast<unsigned>(m) > 12 ||
        m == 0 || static_cast<unsigned>(y) > 99 || b[i] != '2' || b[i + 1] != '0') {
      return -1;
    }
    const int month = (y << 4) | m;
    int v = b[i + 11] - '0';
    i += 12;
    if (b[i] == ',') {
      ++i;
    } else if (v == 1 && b[i] == '0' && b[i + 1] == ',') {
      v = 10;
      i += 2;
    } else {
      return -2;
    }
    int csat = -1;
    if (b[i] != ',') {
      csat = b[i] - '1';
      ++i;
      if (static_cast<unsigned>(csat) > 4 || b[i] != ',') return -3;
    }
    ++i;
    int ces = -1;
    if (b[i] != ',') {
      ces = b[i] - '1';
      ++i;
      if (static_cast<unsigned>(ces) > 6 || b[i] != ',') return -4;
    }
    ++i;
    if (b[i + 2] != ',' || b[i] == ',' || b[i + 1] == ',') return -5;
    const int key = (b[i] << 8) | b[i + 1];
    int locale = locale_of[key];
    if (locale < 0) {
      if (locales == 16) return -5;
      locale = locale_of[key] = static_cast<int8_t>(locales++);
    }
    i += 3;
    if (b[i] == '\n') {
      ++i;
    } else if (b[i] == '"') {
      long q = i;
      for (;;) {
        const void* next = std::memchr(b + q + 1, '"', static_cast<size_t>(lim - q - 1));
        if (next == nullptr) return -6;
        q = static_cast<const uint8_t*>(next) - b;
        if (b[q + 1] != '"') break;
        ++q;
      }
      i = q + 1;
      if (b[i] != '\n') return -6;
      ++i;
    } else {
      i = static_cast<const uint8_t*>(std::memchr(b + i, '\n', static_cast<size_t>(lim - i))) - b +
          1;
    }
    int32_t* c = counts + (month * 16 + locale) * 24;
    ++c[v];
    if (csat >= 0) ++c[11 + csat];
    if (ces >= 0) ++c[16 + ces];
    ++c[23];
    ++rows;
  }
  return rows;
}

// The NPS histogram over every cell (value 0-10), to check against the other scorers.
long floor_nps(int value) {
  long sum = 0;
  for (int cell = 0; cell < kCells; ++cell) sum += counts[cell * 24 + value];
  return sum;
}

}  // extern "C"
