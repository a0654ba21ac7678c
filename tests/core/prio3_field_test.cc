// Field64 and Field128 of Prio3, and the Lagrange-basis polynomial operations of poly.h.
#include <gtest/gtest.h>

#include <random>

#include "nazar/prio3/field.h"
#include "nazar/prio3/poly.h"
#include "prio3_test_util.h"

namespace nazar::prio3 {
namespace {

template <class F>
F FromHexElement(const std::string& hex) {
  F out;
  std::vector<uint8_t> bytes = HexBytes(hex);
  EXPECT_TRUE(F::Decode(bytes.data(), &out)) << hex;
  return out;
}

// Expected values computed with python3 big integers, printed as little-endian hex:
//   p64 = 2**32*4294967295+1; p128 = 2**66*4611686018427387897+1
//   a = 0x0123456789abcdef; b = 0xfedcba9876543210 % p; x.to_bytes(n, 'little').hex() of
//   a*b % p, (p-1)*(p-1) % p, (a-b) % p, (b+p-1) % p, pow(a, p-2, p), pow(a, 1000003, p),
//   (2**64-1) % p; for Field128 also A = a*2**64 + b: A*A % p and pow(A, p-2, p).
struct Expected {
  const char* product;
  const char* minus_one_squared;
  const char* difference;
  const char* sum_wrapping;
  const char* inverse;
  const char* power;
  const char* max_uint64;
};

template <class F>
void CheckArithmetic(const Expected& e) {
  F a = F::FromUint64(0x0123456789abcdefu), b = F::FromUint64(0xfedcba9876543210u);
  F minus_one = -F::FromUint64(1);
  EXPECT_EQ(Hex(a * b), e.product);
  EXPECT_EQ(Hex(minus_one * minus_one), e.minus_one_squared);
  EXPECT_EQ(Hex(a - b), e.difference);
  EXPECT_EQ(Hex(b + minus_one), e.sum_wrapping);
  EXPECT_EQ(Hex(a.Inv()), e.inverse);
  EXPECT_EQ(Hex(a.Pow(1000003)), e.power);
  EXPECT_EQ(Hex(F::FromUint64(UINT64_MAX)), e.max_uint64);
  F c = a;
  c *= b;
  c += a;
  c -= a;
  EXPECT_EQ(c, a * b);
  EXPECT_NE(a, b);
}

TEST(Prio3FieldTest, Field64ArithmeticMatchesBigIntegers) {
  CheckArithmetic<Field64>({"aebbc736d1afaecf", "0100000000000000", "e09b5713ce8a4602",
                            "0f32547698badcfe", "0415046a132224c8", "4eeefea58668513d",
                            "feffffff00000000"});
}

TEST(Prio3FieldTest, Field128ArithmeticMatchesBigIntegers) {
  CheckArithmetic<Field128>({"f08c61e58fd8362242d777ad00fa2101", "01000000000000000000000000000000",
                             "e09b5713cf8a4602e3ffffffffffffff", "0f32547698badcfe0000000000000000",
                             "fb4f4f50843ac7938fb4556570e971e1", "b10447bac668f2ebff91fd04fd5d2e55",
                             "ffffffffffffffff0000000000000000"});
  Field128 wide = FromHexElement<Field128>("1032547698badcfeefcdab8967452301");
  EXPECT_EQ(Hex(wide * wide), "72f2b8a28d57deff871550e3687ab1a7");
  EXPECT_EQ(Hex(wide.Inv()), "0d17db015a8d470e627c13314cefd587");
}

TEST(Prio3FieldTest, DecodeRejectsValuesOutsideTheField) {
  // p64 = ffffffff00000001, p128 = 2^128 - 28 * 2^64 + 1, little-endian.
  Field64 x64 = Field64::FromUint64(5);
  for (const char* hex : {"01000000ffffffff", "ffffffffffffffff"}) {
    std::vector<uint8_t> bytes = HexBytes(hex);
    EXPECT_FALSE(Field64::Decode(bytes.data(), &x64)) << hex;
    EXPECT_EQ(x64, Field64::FromUint64(5)) << "a rejected value writes nothing";
  }
  std::vector<uint8_t> p_minus_1 = HexBytes("00000000ffffffff");
  ASSERT_TRUE(Field64::Decode(p_minus_1.data(), &x64));
  EXPECT_EQ(x64, -Field64::FromUint64(1));

  Field128 x128;
  for (const char* hex : {"0100000000000000e4ffffffffffffff", "ffffffffffffffffffffffffffffffff",
                          "0000000000000000e5ffffffffffffff"}) {
    std::vector<uint8_t> bytes = HexBytes(hex);
    EXPECT_FALSE(Field128::Decode(bytes.data(), &x128)) << hex;
  }
  std::vector<uint8_t> p128_minus_1 = HexBytes("0000000000000000e4ffffffffffffff");
  ASSERT_TRUE(Field128::Decode(p128_minus_1.data(), &x128));
  EXPECT_EQ(x128, -Field128::FromUint64(1));
  EXPECT_EQ(Hex(x128), "0000000000000000e4ffffffffffffff");
}

TEST(Prio3FieldTest, VectorsEncodeDecodeAndAdd) {
  std::vector<Field128> v{Field128::FromUint64(1), -Field128::FromUint64(2)};
  std::vector<uint8_t> bytes = EncodeVec(v);
  ASSERT_EQ(bytes.size(), 32u);
  std::vector<Field128> back;
  ASSERT_TRUE(DecodeVec(bytes.data(), bytes.size(), &back));
  EXPECT_EQ(back, v);
  EXPECT_FALSE(DecodeVec(bytes.data(), 31, &back));
  EXPECT_TRUE(back.empty());
  bytes[24] = 0xff;  // the second element's high limb becomes 2^64 - 1: >= p
  EXPECT_FALSE(DecodeVec(bytes.data(), bytes.size(), &back));
  EXPECT_TRUE(VecAdd(&v, std::vector<Field128>{Field128::FromUint64(4), Field128::FromUint64(7)}));
  EXPECT_EQ(v, (std::vector<Field128>{Field128::FromUint64(5), Field128::FromUint64(5)}));
  EXPECT_TRUE(VecSub(&v, std::vector<Field128>{Field128::FromUint64(6), Field128::FromUint64(5)}));
  EXPECT_EQ(v, (std::vector<Field128>{-Field128::FromUint64(1), Field128()}));
}

// DecodeVec names the element that failed: one >= p, or the incomplete last one.
TEST(Prio3FieldTest, DecodeVecReportsTheFailingElement) {
  std::vector<uint8_t> bytes(3 * 8, 0);
  for (size_t i = 16; i < 24; ++i) bytes[i] = 0xff;  // element 2 is 2^64 - 1 >= p (Field64)
  std::vector<Field64> out;
  size_t bad = 99;
  EXPECT_FALSE(DecodeVec(bytes.data(), bytes.size(), &out, &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_TRUE(out.empty());
  bad = 99;
  EXPECT_FALSE(DecodeVec(bytes.data(), 13, &out, &bad));  // element 0 whole, element 1 is 5 bytes
  EXPECT_EQ(bad, 1u);
  EXPECT_TRUE(DecodeVec(bytes.data(), 16, &out, &bad));
  EXPECT_EQ(out.size(), 2u);
  std::vector<uint8_t> appended = {7};
  AppendVec(std::vector<Field64>{Field64::FromUint64(0x0102)}, &appended);
  EXPECT_EQ(appended, (std::vector<uint8_t>{7, 2, 1, 0, 0, 0, 0, 0, 0}));
}

// Vectors of different lengths are refused whole: nothing is added to or taken from a prefix.
TEST(Prio3FieldTest, VecAddAndSubRefuseALengthMismatch) {
  const std::vector<Field64> start{Field64::FromUint64(1), Field64::FromUint64(2)};
  std::vector<Field64> acc = start;
  EXPECT_FALSE(VecAdd(&acc, std::vector<Field64>{Field64::FromUint64(5)}));
  EXPECT_EQ(acc, start);
  EXPECT_FALSE(VecSub(&acc, std::vector<Field64>(3, Field64::FromUint64(1))));
  EXPECT_EQ(acc, start);
}

TEST(Prio3FieldTest, ToUint64OnlyWhenTheValueFits) {
  uint64_t out = 0;
  EXPECT_TRUE(Field64::FromUint64(UINT64_MAX).ToUint64(&out));
  EXPECT_EQ(out, 0xfffffffeu);  // 2^64 - 1 - p
  EXPECT_TRUE(Field128::FromUint64(UINT64_MAX).ToUint64(&out));
  EXPECT_EQ(out, UINT64_MAX);
  EXPECT_FALSE((Field128::FromUint64(UINT64_MAX) + Field128::FromUint64(1)).ToUint64(&out));
}

template <class F>
void CheckInverses() {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000; ++i) {
    F x = RandomElement<F>(&rng);
    if (x == F()) continue;
    ASSERT_EQ(x * x.Inv(), F::FromUint64(1)) << Hex(x);
    F y = RandomElement<F>(&rng);
    ASSERT_EQ((x + y) - y, x);
    ASSERT_EQ(x * (y + F::FromUint64(1)), x * y + x);
  }
  EXPECT_EQ(F().Inv(), F());
}

TEST(Prio3FieldTest, InverseTimesValueIsOne) {
  CheckInverses<Field64>();
  CheckInverses<Field128>();
}

// The roots of unity are the draft's: g^(2^(L-k)) with g = 7^4294967295 (Field64) or
// 7^4611686018427387897 (Field128); python3: pow(g, 2**(L-k), p) for k = 1 is p - 1 and for
// k = 3 printed little-endian below.
TEST(Prio3FieldTest, RootsOfUnityHaveTheirOrder) {
  EXPECT_EQ(Field64::RootOfUnity(1), -Field64::FromUint64(1));
  EXPECT_EQ(Field128::RootOfUnity(1), -Field128::FromUint64(1));
  EXPECT_EQ(Hex(Field64::RootOfUnity(3)), "010000fffeffffff");
  EXPECT_EQ(Hex(Field128::RootOfUnity(3)), "1dc3cc30dda4e972f005b231933ced68");
  for (size_t k : {size_t{4}, size_t{20}, size_t{32}}) {
    Field64 w = Field64::RootOfUnity(k);
    EXPECT_EQ(w.Pow(uint64_t{1} << k), Field64::FromUint64(1));
    EXPECT_NE(w.Pow(uint64_t{1} << (k - 1)), Field64::FromUint64(1));
  }
  Field128 w = Field128::RootOfUnity(66);
  for (int i = 0; i < 65; ++i) w = w * w;
  EXPECT_EQ(w, -Field128::FromUint64(1));
}

// The NTT against evaluating the polynomial by Horner's rule at each root.
template <class F>
void CheckNttAgainstHorner() {
  std::mt19937_64 rng(11);
  for (size_t n : {size_t{1}, size_t{2}, size_t{8}, size_t{64}}) {
    std::vector<F> coeffs = RandomVec<F>(&rng, n);
    std::vector<F> values = MonomialToLagrange(coeffs, n);
    std::vector<F> roots = RootPowers<F>(n);
    for (size_t i = 0; i < n; ++i) {
      F horner;
      for (size_t j = n; j-- > 0;) horner = horner * roots[i] + coeffs[j];
      ASSERT_EQ(values[i], horner) << "n " << n << " root " << i;
    }
    EXPECT_EQ(LagrangeToMonomial(values), coeffs);
    // Padded to 2n coefficients: the values at the 2n-th roots, checked by Horner too.
    std::vector<F> doubled = MonomialToLagrange(LagrangeToMonomial(values), 2 * n);
    std::vector<F> roots2 = RootPowers<F>(2 * n);
    for (size_t i = 0; i < 2 * n; ++i) {
      F horner;
      for (size_t j = n; j-- > 0;) horner = horner * roots2[i] + coeffs[j];
      ASSERT_EQ(doubled[i], horner) << "n " << n << " root " << i << " of " << 2 * n;
    }
    // Evaluation at an arbitrary point, and at a node.
    F x = RandomElement<F>(&rng), horner;
    for (size_t j = n; j-- > 0;) horner = horner * x + coeffs[j];
    EXPECT_EQ(LagrangeEvalBatched<F>({values, values}, x), (std::vector<F>{horner, horner}));
    EXPECT_EQ(LagrangeEvalBatched<F>({values}, roots[n - 1])[0], values[n - 1]);
    // A polynomial of degree < m at the first m roots, extended to all n of them.
    for (size_t m = 1; m < n; m += (m < 3 ? 1 : n / 4)) {
      std::vector<F> low(coeffs.begin(), coeffs.begin() + m);
      std::vector<F> all = MonomialToLagrange(low, n), some(all.begin(), all.begin() + m);
      ExtendToPowerOf2(&some, n);
      ASSERT_EQ(some, all) << "n " << n << " m " << m;
    }
    if (n >= 2) {  // not a polynomial of degree < n - 1 any more: its extension differs
      std::vector<F> changed(values.begin(), values.end() - 1);
      changed.back() += F::FromUint64(1);
      ExtendToPowerOf2(&changed, n);
      EXPECT_NE(changed.back(), values.back());
    }
  }
}

TEST(Prio3FieldTest, NttAgreesWithNaiveEvaluation) {
  CheckNttAgainstHorner<Field64>();
  CheckNttAgainstHorner<Field128>();
}

}  // namespace
}  // namespace nazar::prio3
