// The two prime fields of Prio3 (draft-irtf-cfrg-vdaf-20, section "Finite Fields"): Field64 and
// Field128, with the canonical little-endian encoding the VDAF's messages use. Arithmetic runs in
// Montgomery form without branches or table lookups on element values, so it may touch secrets.
#ifndef NAZAR_PRIO3_FIELD_H_
#define NAZAR_PRIO3_FIELD_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nazar {
namespace prio3 {
namespace field_internal {

__extension__ typedef unsigned __int128 U128;  // clang and gcc, also in wasm32

inline uint64_t Lo(U128 x) { return static_cast<uint64_t>(x); }
inline uint64_t Hi(U128 x) { return static_cast<uint64_t>(x >> 64); }

// Montgomery arithmetic on N 64-bit limbs (least significant first) modulo P::kModulus, with
// R = 2^(64N). Every value kept is fully reduced (< p), so equal values have equal limbs.
template <class Derived, class P>
class MontgomeryField {
 public:
  static constexpr size_t kLimbs = P::kLimbs;
  // Bytes of one encoded element: 8 for Field64, 16 for Field128.
  static constexpr size_t kEncodedSize = 8 * kLimbs;
  // log2 of the order of the multiplicative subgroup of power-of-two order the NTT uses.
  static constexpr size_t kLogGenOrder = P::kLogGenOrder;

  // v reduced modulo p.
  static Derived FromUint64(uint64_t v) {
    uint64_t a[kLimbs] = {v};
    Derived out;
    MulMont(a, P::kR2, out.w_);
    return out;
  }

  Derived operator+(const Derived& o) const {
    Derived out;
    uint64_t carry = 0;
    for (size_t i = 0; i < kLimbs; ++i) {
      U128 s = static_cast<U128>(w_[i]) + o.w_[i] + carry;
      out.w_[i] = Lo(s);
      carry = Hi(s);
    }
    ReduceOnce(out.w_, carry);
    return out;
  }
  Derived operator-(const Derived& o) const {
    Derived out;
    uint64_t borrow = 0;
    for (size_t i = 0; i < kLimbs; ++i) {
      U128 d = static_cast<U128>(w_[i]) - o.w_[i] - borrow;
      out.w_[i] = Lo(d);
      borrow = Hi(d) & 1;
    }
    // Add p back when the difference went below zero.
    uint64_t mask = 0 - borrow, carry = 0;
    for (size_t i = 0; i < kLimbs; ++i) {
      U128 s = static_cast<U128>(out.w_[i]) + (P::kModulus[i] & mask) + carry;
      out.w_[i] = Lo(s);
      carry = Hi(s);
    }
    return out;
  }
  Derived operator-() const { return Derived() - Self(); }
  Derived operator*(const Derived& o) const {
    Derived out;
    MulMont(w_, o.w_, out.w_);
    return out;
  }
  Derived& operator+=(const Derived& o) { return Self() = Self() + o; }
  Derived& operator-=(const Derived& o) { return Self() = Self() - o; }
  Derived& operator*=(const Derived& o) { return Self() = Self() * o; }
  bool operator==(const Derived& o) const {
    uint64_t diff = 0;
    for (size_t i = 0; i < kLimbs; ++i) diff |= w_[i] ^ o.w_[i];
    return diff == 0;
  }
  bool operator!=(const Derived& o) const { return !(*this == o); }

  // this^e; the exponent is public (square-and-multiply branches on its bits only).
  Derived Pow(uint64_t e) const {
    uint64_t limbs[kLimbs] = {e};
    return PowLimbs(limbs);
  }
  // The multiplicative inverse (this^(p-2)); zero for zero.
  Derived Inv() const {
    uint64_t e[kLimbs];
    uint64_t borrow = 2;
    for (size_t i = 0; i < kLimbs; ++i) {
      U128 d = static_cast<U128>(P::kModulus[i]) - borrow;
      e[i] = Lo(d);
      borrow = Hi(d) & 1;
    }
    return PowLimbs(e);
  }

  // The canonical value as kEncodedSize little-endian bytes.
  void Encode(uint8_t* out) const {
    uint64_t c[kLimbs];
    ToCanonical(c);
    for (size_t i = 0; i < kLimbs; ++i) {
      for (size_t b = 0; b < 8; ++b) out[8 * i + b] = static_cast<uint8_t>(c[i] >> (8 * b));
    }
  }
  // Reads kEncodedSize little-endian bytes; false (and *out untouched) when the value is >= p.
  static bool Decode(const uint8_t* in, Derived* out) {
    uint64_t c[kLimbs];
    for (size_t i = 0; i < kLimbs; ++i) {
      c[i] = 0;
      for (size_t b = 0; b < 8; ++b) c[i] |= static_cast<uint64_t>(in[8 * i + b]) << (8 * b);
    }
    uint64_t borrow = 0;  // c - p borrows exactly when c < p
    for (size_t i = 0; i < kLimbs; ++i) {
      U128 d = static_cast<U128>(c[i]) - P::kModulus[i] - borrow;
      borrow = Hi(d) & 1;
    }
    if (borrow == 0) return false;
    MulMont(c, P::kR2, out->w_);
    return true;
  }
  // The canonical value when it fits 64 bits; false otherwise.
  bool ToUint64(uint64_t* out) const {
    uint64_t c[kLimbs];
    ToCanonical(c);
    for (size_t i = 1; i < kLimbs; ++i) {
      if (c[i] != 0) return false;
    }
    *out = c[0];
    return true;
  }

  // A primitive 2^log_n-th root of unity: the generator of the draft raised to
  // 2^(kLogGenOrder - log_n), so the NTT evaluates at the same points as the draft. Zero when
  // log_n > kLogGenOrder. The roots are computed once (thread-safe static) and then looked up.
  static Derived RootOfUnity(size_t log_n) {
    struct Table {
      Derived root[kLogGenOrder + 1];
      Table() {
        MulMont(P::kGen, P::kR2, root[kLogGenOrder].w_);
        for (size_t i = kLogGenOrder; i > 0; --i) root[i - 1] = root[i] * root[i];
      }
    };
    static const Table table;
    return log_n > kLogGenOrder ? Derived() : table.root[log_n];
  }

 private:
  Derived& Self() { return static_cast<Derived&>(*this); }
  const Derived& Self() const { return static_cast<const Derived&>(*this); }

  // Subtracts p from the (kLimbs limbs + top) value in r when it is >= p; r < 2p on entry.
  static void ReduceOnce(uint64_t* r, uint64_t top) {
    uint64_t d[kLimbs];
    uint64_t borrow = 0;
    for (size_t i = 0; i < kLimbs; ++i) {
      U128 x = static_cast<U128>(r[i]) - P::kModulus[i] - borrow;
      d[i] = Lo(x);
      borrow = Hi(x) & 1;
    }
    uint64_t keep_diff = 0 - (top | (borrow ^ 1));
    for (size_t i = 0; i < kLimbs; ++i) r[i] = (d[i] & keep_diff) | (r[i] & ~keep_diff);
  }

  // out = a * b / R mod p (CIOS); a < R and b < p suffice for a reduced result.
  static void MulMont(const uint64_t* a, const uint64_t* b, uint64_t* out) {
    uint64_t t[kLimbs + 2] = {};
    for (size_t i = 0; i < kLimbs; ++i) {
      uint64_t carry = 0;
      for (size_t j = 0; j < kLimbs; ++j) {
        U128 c = static_cast<U128>(a[i]) * b[j] + t[j] + carry;
        t[j] = Lo(c);
        carry = Hi(c);
      }
      U128 c = static_cast<U128>(t[kLimbs]) + carry;
      t[kLimbs] = Lo(c);
      t[kLimbs + 1] = Hi(c);
      uint64_t m = t[0] * P::kNegInv;
      c = static_cast<U128>(m) * P::kModulus[0] + t[0];
      carry = Hi(c);
      for (size_t j = 1; j < kLimbs; ++j) {
        c = static_cast<U128>(m) * P::kModulus[j] + t[j] + carry;
        t[j - 1] = Lo(c);
        carry = Hi(c);
      }
      c = static_cast<U128>(t[kLimbs]) + carry;
      t[kLimbs - 1] = Lo(c);
      t[kLimbs] = t[kLimbs + 1] + Hi(c);
    }
    ReduceOnce(t, t[kLimbs]);
    for (size_t i = 0; i < kLimbs; ++i) out[i] = t[i];
  }

  void ToCanonical(uint64_t* out) const {
    uint64_t one[kLimbs] = {1};
    MulMont(w_, one, out);
  }

  // Left-to-right square-and-multiply from the exponent's top set bit (it is public).
  Derived PowLimbs(const uint64_t* e) const {
    Derived result = FromUint64(1);
    bool started = false;
    for (size_t i = kLimbs; i-- > 0;) {
      for (int bit = 63; bit >= 0; --bit) {
        if (started) result = result * result;
        if ((e[i] >> bit) & 1) {
          result = result * Self();
          started = true;
        }
      }
    }
    return result;
  }

  uint64_t w_[kLimbs] = {};  // Montgomery form: value * R mod p
};

// Constants computed with python3 big integers: kNegInv = -p^-1 mod 2^64, kR2 = R^2 mod p,
// kGen = the draft's generator (7^4294967295, 7^4611686018427387897) in canonical form.
struct Field64Params {
  static constexpr size_t kLimbs = 1;
  static constexpr size_t kLogGenOrder = 32;
  static constexpr uint64_t kModulus[1] = {0xffffffff00000001u};
  static constexpr uint64_t kNegInv = 0xfffffffeffffffffu;
  static constexpr uint64_t kR2[1] = {0xfffffffe00000001u};
  static constexpr uint64_t kGen[1] = {0x185629dcda58878cu};
};
struct Field128Params {
  static constexpr size_t kLimbs = 2;
  static constexpr size_t kLogGenOrder = 66;
  static constexpr uint64_t kModulus[2] = {0x1u, 0xffffffffffffffe4u};
  static constexpr uint64_t kNegInv = 0xffffffffffffffffu;
  static constexpr uint64_t kR2[2] = {0xfffffffffffffcf1u, 0x5587u};
  static constexpr uint64_t kGen[2] = {0x1f9b2759c5109f06u, 0x6d278fbf4f60228bu};
};

}  // namespace field_internal

// GF(2^32 * 4294967295 + 1), encoded in 8 bytes: Prio3Count, Prio3Sum.
class Field64 : public field_internal::MontgomeryField<Field64, field_internal::Field64Params> {};

// GF(2^66 * 4611686018427387897 + 1), encoded in 16 bytes: Prio3Histogram, SumVec,
// MultihotCountVec.
class Field128 : public field_internal::MontgomeryField<Field128, field_internal::Field128Params> {
};

// Appends the concatenated encodings of v to *out.
template <class F>
void AppendVec(const std::vector<F>& v, std::vector<uint8_t>* out) {
  size_t at = out->size();
  out->resize(at + v.size() * F::kEncodedSize);
  for (const F& x : v) {
    x.Encode(out->data() + at);
    at += F::kEncodedSize;
  }
}

// The concatenated encodings of v.
template <class F>
std::vector<uint8_t> EncodeVec(const std::vector<F>& v) {
  std::vector<uint8_t> out;
  AppendVec(v, &out);
  return out;
}

// Parses size bytes as consecutive elements into *out. False when an element is >= p or size is
// not a multiple of F::kEncodedSize (the incomplete last element fails); then *out is left
// empty and *bad_index, when given, is the index of the element that failed.
template <class F>
bool DecodeVec(const uint8_t* in, size_t size, std::vector<F>* out, size_t* bad_index = nullptr) {
  out->clear();
  const size_t count = size / F::kEncodedSize;
  size_t i = 0;
  out->resize(count);
  while (i < count && F::Decode(in + i * F::kEncodedSize, &(*out)[i])) ++i;
  if (i == count && size % F::kEncodedSize == 0) return true;
  out->clear();
  if (bad_index != nullptr) *bad_index = i;
  return false;
}

// *acc += x element-wise. False, with *acc unchanged, when the lengths differ.
template <class F>
[[nodiscard]] bool VecAdd(std::vector<F>* acc, const std::vector<F>& x) {
  if (acc->size() != x.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) (*acc)[i] += x[i];
  return true;
}

// *acc -= x element-wise. False, with *acc unchanged, when the lengths differ.
template <class F>
[[nodiscard]] bool VecSub(std::vector<F>* acc, const std::vector<F>& x) {
  if (acc->size() != x.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) (*acc)[i] -= x[i];
  return true;
}

}  // namespace prio3
}  // namespace nazar

#endif  // NAZAR_PRIO3_FIELD_H_
