// Private to the importer: the one place that knows about vector instructions. It marks the
// bytes of a CSV block that can end or open a field (the delimiter, '"', '\n', '\r') as bits of a
// 64-bit mask: SSE2 natively, wasm simd128 when the module is built with -msimd128, and plain
// C++ elsewhere. All three give the same mask.
#ifndef NAZAR_SRC_IMPORT_SIMD_H_
#define NAZAR_SRC_IMPORT_SIMD_H_

#include <cstddef>
#include <cstdint>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace nazar::import_internal {

// Bytes per SpecialMask64() block.
inline constexpr size_t kSpecialBlock = 64;

// Bit i is set when p[i] is `delim`, '"', '\n' or '\r', for the `n` bytes at `p` (n <= 64;
// bits at and past n are 0).
inline uint64_t SpecialMaskScalar(const char* p, size_t n, char delim) {
  uint64_t mask = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = p[i];
    if (c == delim || c == '"' || c == '\n' || c == '\r') mask |= uint64_t{1} << i;
  }
  return mask;
}

// SpecialMaskScalar(p, 64, delim), a vector at a time where the target has vectors.
inline uint64_t SpecialMask64(const char* p, char delim) {
#if defined(__wasm_simd128__)
  const v128_t d = wasm_i8x16_splat(delim);
  const v128_t q = wasm_i8x16_splat('"');
  const v128_t lf = wasm_i8x16_splat('\n');
  const v128_t cr = wasm_i8x16_splat('\r');
  uint64_t mask = 0;
  for (int k = 0; k < 4; ++k) {
    const v128_t v = wasm_v128_load(p + 16 * k);
    const v128_t hit = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, d), wasm_i8x16_eq(v, q)),
                                    wasm_v128_or(wasm_i8x16_eq(v, lf), wasm_i8x16_eq(v, cr)));
    mask |= static_cast<uint64_t>(wasm_i8x16_bitmask(hit) & 0xFFFF) << (16 * k);
  }
  return mask;
#elif defined(__SSE2__)
  const __m128i d = _mm_set1_epi8(delim);
  const __m128i q = _mm_set1_epi8('"');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  uint64_t mask = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, q)),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)));
    mask |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(hit)) & 0xFFFF)
            << (16 * k);
  }
  return mask;
#else
  return SpecialMaskScalar(p, kSpecialBlock, delim);
#endif
}

// SpecialMaskScalar(p, 16, delim): one vector where the target has vectors.
inline uint32_t SpecialMask16(const char* p, char delim) {
#if defined(__wasm_simd128__)
  const v128_t v = wasm_v128_load(p);
  const v128_t hit = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat(delim)),
                                               wasm_i8x16_eq(v, wasm_i8x16_splat('"'))),
                                  wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('\n')),
                                               wasm_i8x16_eq(v, wasm_i8x16_splat('\r'))));
  return static_cast<uint32_t>(wasm_i8x16_bitmask(hit)) & 0xFFFF;
#elif defined(__SSE2__)
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i hit = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(delim)), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
  return static_cast<uint32_t>(_mm_movemask_epi8(hit)) & 0xFFFF;
#else
  return static_cast<uint32_t>(SpecialMaskScalar(p, 16, delim));
#endif
}

// Index of the lowest set bit of a non-zero mask.
inline int LowestBit(uint64_t mask) {
#if defined(__GNUC__) || defined(__clang__)
  return __builtin_ctzll(mask);
#else
  int i = 0;
  while (!(mask & 1)) {
    mask >>= 1;
    ++i;
  }
  return i;
#endif
}

// The first delimiter, quote or line end in [p, end), or `end`.
inline const char* FirstSpecial(const char* p, const char* end, char delim) {
  for (; end - p >= 16; p += 16) {
    const uint32_t mask = SpecialMask16(p, delim);
    if (mask != 0) return p + LowestBit(mask);
  }
  const uint64_t mask = SpecialMaskScalar(p, static_cast<size_t>(end - p), delim);
  return mask != 0 ? p + LowestBit(mask) : end;
}

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_SIMD_H_
