#include "nazar/host.h"

namespace nazar {

double Host::RandomUnit() {
  uint8_t bytes[8];
  FillRandom(bytes, sizeof bytes);
  uint64_t bits = 0;
  for (uint8_t b : bytes) bits = (bits << 8) | b;
  return static_cast<double>(bits >> 11) * 0x1.0p-53;  // 53 random mantissa bits
}

uint32_t Host::RandomBelow(uint32_t bound) {
  // Rejection sampling: draw until the value falls below the largest multiple of bound.
  const uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
  for (;;) {
    uint8_t bytes[4];
    FillRandom(bytes, sizeof bytes);
    uint32_t v = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                 (uint32_t{bytes[2]} << 8) | bytes[3];
    if (v < limit) return v % bound;
  }
}

}  // namespace nazar
