// TurboSHAKE128 (RFC 9861) on Keccak-p[1600, 12], and the VDAF XOF framing around it.
#include "nazar/prio3/xof.h"

namespace nazar::prio3 {
namespace {

// Round constants of Keccak-f[1600]; Keccak-p[1600, 12] runs the last 12 (rounds 12..23).
constexpr uint64_t kRoundConstants[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};
// rho rotation offsets and pi lane order, walked along the pi cycle starting at lane 1.
constexpr int kRho[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                          27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr int kPi[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                         15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

inline uint64_t Rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

}  // namespace

TurboShake128::TurboShake128(uint8_t domain) : domain_(domain) {}

void TurboShake128::XorByte(size_t index, uint8_t byte) {
  state_[index / 8] ^= static_cast<uint64_t>(byte) << (8 * (index % 8));
}

uint8_t TurboShake128::StateByte(size_t index) const {
  return static_cast<uint8_t>(state_[index / 8] >> (8 * (index % 8)));
}

void TurboShake128::Permute() {
  uint64_t* a = state_;
  uint64_t c[5];
  for (int round = 12; round < 24; ++round) {
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; ++x) {
      uint64_t d = c[(x + 4) % 5] ^ Rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
    }
    uint64_t carried = a[1];
    for (int i = 0; i < 24; ++i) {
      int j = kPi[i];
      uint64_t next = a[j];
      a[j] = Rotl(carried, kRho[i]);
      carried = next;
    }
    for (int y = 0; y < 25; y += 5) {
      for (int x = 0; x < 5; ++x) c[x] = a[y + x];
      for (int x = 0; x < 5; ++x) a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
    }
    a[0] ^= kRoundConstants[round];
  }
}

void TurboShake128::Absorb(ByteSpan bytes) {
  for (size_t i = 0; i < bytes.size; ++i) {
    XorByte(offset_++, bytes.data[i]);
    if (offset_ == kRate) {
      Permute();
      offset_ = 0;
    }
  }
}

void TurboShake128::Squeeze(uint8_t* out, size_t size) {
  if (!squeezing_) {
    // Padding: the domain byte after the message, and 0x80 on the last byte of the block.
    XorByte(offset_, domain_);
    XorByte(kRate - 1, 0x80);
    Permute();
    offset_ = 0;
    squeezing_ = true;
  }
  for (size_t i = 0; i < size; ++i) {
    if (offset_ == kRate) {
      Permute();
      offset_ = 0;
    }
    out[i] = StateByte(offset_++);
  }
}

XofTurboShake128::XofTurboShake128(ByteSpan seed, ByteSpan dst, ByteSpan binder) : sponge_(1) {
  const uint8_t dst_length[2] = {static_cast<uint8_t>(dst.size & 0xff),
                                 static_cast<uint8_t>((dst.size >> 8) & 0xff)};
  const uint8_t seed_length = static_cast<uint8_t>(seed.size);
  sponge_.Absorb(ByteSpan(dst_length, 2));
  sponge_.Absorb(dst);
  sponge_.Absorb(ByteSpan(&seed_length, 1));
  sponge_.Absorb(seed);
  sponge_.Absorb(binder);
}

Seed XofTurboShake128::DeriveSeed(ByteSpan seed, ByteSpan dst, ByteSpan binder) {
  XofTurboShake128 xof(seed, dst, binder);
  Seed out;
  xof.Next(out.data(), out.size());
  return out;
}

}  // namespace nazar::prio3
