// The host capabilities the core may use: a clock and randomness. Injected so every behaviour
// is reproducible in tests (pass a fake) and the core stays free of platform calls.
#ifndef NAZAR_HOST_H_
#define NAZAR_HOST_H_

#include <cstddef>
#include <cstdint>

namespace nazar {

class Host {
 public:
  virtual ~Host() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t NowMs() = 0;
  // Fills `out` with `size` random bytes (cryptographic quality where the platform has it).
  virtual void FillRandom(uint8_t* out, size_t size) = 0;

  // A uniform draw in [0, 1) built from FillRandom.
  double RandomUnit();
  // A uniform integer in [0, bound), bound > 0, without modulo bias.
  uint32_t RandomBelow(uint32_t bound);
};

// A deterministic host for tests, examples and benchmarks: a settable clock and a seeded PRNG
// (SplitMix64). Not for production randomness.
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

#endif  // NAZAR_HOST_H_
