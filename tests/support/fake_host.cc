#include "fake_host.h"

namespace nazar {

void FakeHost::FillRandom(uint8_t* out, size_t size) {
  for (size_t i = 0; i < size; i += 8) {
    // SplitMix64 step.
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    for (size_t j = 0; j < 8 && i + j < size; ++j) out[i + j] = static_cast<uint8_t>(z >> (8 * j));
  }
}

}  // namespace nazar
