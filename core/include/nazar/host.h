// The host capabilities the core may use: a clock and randomness. Injected so every behaviour
// is reproducible in tests (tests/support/fake_host.h) and the core stays free of platform
// calls; programs pass nazar::PlatformHost() (core/platform), the cryptographic source.
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

}  // namespace nazar

#endif  // NAZAR_HOST_H_
