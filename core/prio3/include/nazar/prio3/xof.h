// TurboSHAKE128 (RFC 9861: Keccak-p[1600,12]) and the VDAF's XofTurboShake128 built on it
// (draft-irtf-cfrg-vdaf-20, "XofTurboShake128"): the one source of every pseudorandom value Prio3
// derives, so two parties that share a seed derive the same shares, proofs and randomness.
#ifndef NAZAR_PRIO3_XOF_H_
#define NAZAR_PRIO3_XOF_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nazar::prio3 {

// A read-only view of bytes (C++17 has no std::span); converts from vectors and arrays.
struct ByteSpan {
  const uint8_t* data = nullptr;
  size_t size = 0;
  ByteSpan() = default;
  ByteSpan(const uint8_t* bytes, size_t count) : data(bytes), size(count) {}
  ByteSpan(const std::vector<uint8_t>& bytes)  // NOLINT: implicit by design
      : data(bytes.data()), size(bytes.size()) {}
  template <size_t N>
  ByteSpan(const std::array<uint8_t, N>& bytes)  // NOLINT: implicit by design
      : data(bytes.data()), size(N) {}
};

// TurboSHAKE128 as a sponge: absorb any number of times, then squeeze any number of times.
// `domain` is the domain separation byte D in 0x01..0x7F (the VDAF XOF uses 1).
class TurboShake128 {
 public:
  static constexpr size_t kRate = 168;
  explicit TurboShake128(uint8_t domain);
  // Absorbs more message bytes; only before the first Squeeze.
  void Absorb(ByteSpan bytes);
  // Writes the next `size` bytes of the output stream.
  void Squeeze(uint8_t* out, size_t size);

 private:
  void Permute();
  void XorByte(size_t index, uint8_t byte);
  uint8_t StateByte(size_t index) const;

  uint64_t state_[25] = {};
  size_t offset_ = 0;  // absorb or squeeze position within the rate
  bool squeezing_ = false;
  uint8_t domain_;
};

// Size of every XOF seed (and of Prio3's verification key).
constexpr size_t kSeedSize = 32;
using Seed = std::array<uint8_t, kSeedSize>;

// XofTurboShake128(seed, dst, binder): TurboSHAKE128 with D = 1 over
// le16(len(dst)) || dst || u8(len(seed)) || seed || binder. dst must be shorter than 65,536
// bytes (Prio3 checks its context string before building one).
class XofTurboShake128 {
 public:
  XofTurboShake128(ByteSpan seed, ByteSpan dst, ByteSpan binder);
  // The next `size` bytes of the stream.
  void Next(uint8_t* out, size_t size) { sponge_.Squeeze(out, size); }
  // The next `length` field elements, by rejection sampling: an encoded value >= p is dropped.
  template <class F>
  std::vector<F> NextVec(size_t length) {
    std::vector<F> vec;
    vec.reserve(length);
    uint8_t buf[F::kEncodedSize];
    while (vec.size() < length) {
      Next(buf, sizeof buf);
      F x;
      if (F::Decode(buf, &x)) vec.push_back(x);
    }
    return vec;
  }

  // A fresh seed: the first kSeedSize bytes of XofTurboShake128(seed, dst, binder).
  static Seed DeriveSeed(ByteSpan seed, ByteSpan dst, ByteSpan binder);
  // `length` field elements drawn from XofTurboShake128(seed, dst, binder).
  template <class F>
  static std::vector<F> ExpandIntoVec(ByteSpan seed, ByteSpan dst, ByteSpan binder, size_t length) {
    XofTurboShake128 xof(seed, dst, binder);
    return xof.NextVec<F>(length);
  }

 private:
  TurboShake128 sponge_;
};

}  // namespace nazar::prio3

#endif  // NAZAR_PRIO3_XOF_H_
