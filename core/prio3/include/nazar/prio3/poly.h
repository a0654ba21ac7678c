// Polynomials over a Prio3 field in the Lagrange basis: a polynomial of degree < n (n a power of
// two) is held as its values at the n-th roots of unity w^0, w^1, ..., w = F::RootOfUnity(log2 n),
// the roots the draft's FLP uses. The FLP needs only these few operations.
#ifndef NAZAR_PRIO3_POLY_H_
#define NAZAR_PRIO3_POLY_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace nazar {
namespace prio3 {

// log2(n) for a power of two n.
inline size_t Log2(size_t n) {
  size_t log = 0;
  while ((size_t{1} << log) < n) ++log;
  return log;
}

// The smallest power of two >= n (n >= 1).
inline size_t NextPowerOf2(size_t n) { return size_t{1} << Log2(n); }

// 1 / 2^log_n, from 1/2 computed once.
template <class F>
F InvPowerOf2(size_t log_n) {
  static const F half = F::FromUint64(2).Inv();
  return half.Pow(log_n);
}

// w^0 .. w^(n-1) for the n-th root of unity w (n a power of two).
template <class F>
std::vector<F> RootPowers(size_t n) {
  std::vector<F> out(n);
  F w = F::RootOfUnity(Log2(n));
  F x = F::FromUint64(1);
  for (size_t i = 0; i < n; ++i, x *= w) out[i] = x;
  return out;
}

// In place: a[k] becomes sum_j a[j] * root^(jk), root a primitive a->size()-th root of unity
// (the size a power of two). Iterative radix 2, natural order in and out.
template <class F>
void Ntt(std::vector<F>* a, F root) {
  size_t n = a->size();
  std::vector<F>& v = *a;
  for (size_t i = 1, j = 0; i < n; ++i) {  // bit-reversal permutation
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(v[i], v[j]);
  }
  std::vector<F> twiddle(n / 2);
  F x = F::FromUint64(1);
  for (size_t i = 0; i < n / 2; ++i, x *= root) twiddle[i] = x;
  for (size_t len = 2; len <= n; len <<= 1) {
    size_t half = len / 2, stride = n / len;
    for (size_t start = 0; start < n; start += len) {
      for (size_t j = 0; j < half; ++j) {
        F u = v[start + j];
        F t = v[start + j + half] * twiddle[j * stride];
        v[start + j] = u + t;
        v[start + j + half] = u - t;
      }
    }
  }
}

// The monomial coefficients of the polynomial whose values at the n-th roots are `values`.
template <class F>
std::vector<F> LagrangeToMonomial(std::vector<F> values) {
  size_t n = values.size();
  Ntt(&values, F::RootOfUnity(Log2(n)).Pow(n - 1));  // the inverse root
  F inv_n = InvPowerOf2<F>(Log2(n));
  for (F& c : values) c *= inv_n;
  return values;
}

// The values at the n-th roots of unity of the polynomial with coefficients `coeffs`
// (coeffs.size() <= n, n a power of two).
template <class F>
std::vector<F> MonomialToLagrange(std::vector<F> coeffs, size_t n) {
  coeffs.resize(n);
  Ntt(&coeffs, F::RootOfUnity(Log2(n)));
  return coeffs;
}

// From the values of a polynomial at the n-th roots, its values at the 2n-th roots (in their
// order: the given values at the even positions, the new ones at the odd positions).
template <class F>
std::vector<F> DoubleEvaluations(const std::vector<F>& values) {
  size_t n = values.size();
  std::vector<F> coeffs = LagrangeToMonomial(values);
  // The odd 2n-th roots are s * w^i with s the 2n-th root: scale coefficient j by s^j.
  F s = F::RootOfUnity(Log2(n) + 1), x = F::FromUint64(1);
  for (F& c : coeffs) {
    c *= x;
    x *= s;
  }
  Ntt(&coeffs, F::RootOfUnity(Log2(n)));
  std::vector<F> out(2 * n);
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = values[i];
    out[2 * i + 1] = coeffs[i];
  }
  return out;
}

// values holds a polynomial of degree < n - 1 at the first n - 1 of the n-th roots of unity
// (n a power of two); appends its value at the last one. The coefficient of x^(n-1) of the
// inverse transform, (1/n) sum_i v_i w^i, is zero; solving for v_(n-1) gives the sum below.
template <class F>
void ExtendByOne(std::vector<F>* values) {
  size_t n = values->size() + 1;
  F w = F::RootOfUnity(Log2(n)), x = F::FromUint64(1), sum;
  for (const F& v : *values) {
    sum += v * x;
    x *= w;
  }
  values->push_back(-(w * sum));
}

// The value at x of each polynomial polys[j] (all of one power-of-two length n, Lagrange basis),
// without inversions except one: with nodes w^i,
//   P(x) = ((-1)^(n-1) / n) * sum_i P(w^i) w^i prod_(l != i) (w^l - x),
// accumulated term by term; also right when x is a node.
template <class F>
std::vector<F> LagrangeEvalBatched(const std::vector<std::vector<F>>& polys, F x) {
  std::vector<F> out(polys.size());
  if (polys.empty()) return out;
  size_t n = polys[0].size();
  F w = F::RootOfUnity(Log2(n)), node = F::FromUint64(1);
  F prefix = F::FromUint64(1);  // prod_(l < i) (w^l - x)
  for (size_t i = 0; i < n; ++i) {
    F d = node - x, t = prefix * node;
    for (size_t j = 0; j < polys.size(); ++j) {
      out[j] = out[j] * d + t * polys[j][i];
    }
    prefix *= d;
    node *= w;
  }
  F factor = InvPowerOf2<F>(Log2(n));
  if (n % 2 == 0) factor = -factor;
  for (F& v : out) v *= factor;
  return out;
}

}  // namespace prio3
}  // namespace nazar

#endif  // NAZAR_PRIO3_POLY_H_
