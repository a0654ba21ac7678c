// A deterministic Host for tests, benchmarks and fuzzers: a settable clock and a seeded PRNG
// (SplitMix64). Never linked into anything that ships: production randomness comes from the
// platform's cryptographic source (nazar::platform).
#ifndef NAZAR_TESTS_SUPPORT_FAKE_HOST_H_
#define NAZAR_TESTS_SUPPORT_FAKE_HOST_H_

#include <cstddef>
#include <cstdint>

#include "nazar/host.h"

namespace nazar {

class FakeHost : public Host {
 public:
  explicit FakeHost(int64_t now_ms = 0, uint64_t seed = 1) : now_ms_(now_ms), state_(seed) {}
  int64_t NowMs() override { return now_ms_; }
  void FillRandom(uint8_t* out, size_t size) override;
  void set_now_ms(int64_t now_ms) { now_ms_ = now_ms; }
  void Advance(int64_t ms) { now_ms_ += ms; }

 private:
  int64_t now_ms_;
  uint64_t state_;
};

}  // namespace nazar

#endif  // NAZAR_TESTS_SUPPORT_FAKE_HOST_H_
