// Helpers of the Prio3 tests: hex strings of encodings and deterministic field elements.
#ifndef NAZAR_TESTS_CORE_PRIO3_TEST_UTIL_H_
#define NAZAR_TESTS_CORE_PRIO3_TEST_UTIL_H_

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/hex.h"
#include "nazar/prio3/field.h"

namespace nazar::prio3 {

// The bytes of a hex literal of a test; empty when it is not hex (the test's checks then fail).
inline std::vector<uint8_t> HexBytes(std::string_view hex) {
  auto bytes = FromHex(hex);
  return bytes.ok() ? *bytes : std::vector<uint8_t>();
}

template <class F>
std::string Hex(const F& x) {
  return ToHex(EncodeVec(std::vector<F>{x}));
}

template <class F>
std::string Hex(const std::vector<F>& v) {
  return ToHex(EncodeVec(v));
}

// An element from a uniformly random 128-bit integer (mod p): Field128 gets its full range.
template <class F>
F RandomElement(std::mt19937_64* rng) {
  F two32 = F::FromUint64(uint64_t{1} << 32);
  return F::FromUint64((*rng)()) * two32 * two32 + F::FromUint64((*rng)());
}

template <class F>
std::vector<F> RandomVec(std::mt19937_64* rng, size_t n) {
  std::vector<F> out(n);
  for (F& x : out) x = RandomElement<F>(rng);
  return out;
}

}  // namespace nazar::prio3

#endif  // NAZAR_TESTS_CORE_PRIO3_TEST_UTIL_H_
