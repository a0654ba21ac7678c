// The fully linear proof (FLP) of BBCGGI19 as draft-irtf-cfrg-vdaf-20 specifies it (section
// "FLP Construction"), with the validity circuits of Prio3Count, Prio3Sum, Prio3SumVec,
// Prio3Histogram and Prio3MultihotCountVec. Prio3 shards a measurement's encoding and its proof
// additively; each aggregator runs Query on its shares, and the summed verifier shares Decide.
#ifndef NAZAR_PRIO3_FLP_H_
#define NAZAR_PRIO3_FLP_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "nazar/prio3/field.h"
#include "nazar/result.h"

namespace nazar {
namespace prio3 {

// Which validity circuit an Flp runs (see the factories below).
enum class CircuitKind { kCount, kSum, kSumVec, kHistogram, kMultihotCountVec };

// The parameters of one circuit and of the one gadget it calls: ParallelSum(Mul, chunk_length),
// or for Sum PolyEval(x^2 - x); both of degree 2. A small value type: Flp copies it.
struct CircuitSpec {
  CircuitKind kind = CircuitKind::kCount;
  size_t length = 1;             // entries of the measurement (SumVec, Histogram, Multihot)
  uint64_t max_measurement = 1;  // Sum, SumVec: largest value; Multihot: max_weight
  size_t bits = 1;               // bits of the range-checked integers (Sum, SumVec, Multihot)
  size_t chunk_length = 1;       // ParallelSum width (count of Mul subcircuits per call)
  size_t meas_len = 1;
  size_t output_len = 1;
  size_t joint_rand_len = 0;
  size_t eval_output_len = 1;
  size_t gadget_arity = 2;
  size_t gadget_calls = 1;
};

// One FLP instance over the field F. Lengths are those of the draft's FLP (PROOF_LEN, ...).
// Prove, Query, Truncate and Decide take vectors of the lengths these report; Query and
// Truncate return an empty vector, and Decide false, when a length does not match.
template <class F>
class Flp {
 public:
  explicit Flp(const CircuitSpec& spec) : spec_(spec) {}

  size_t meas_len() const { return spec_.meas_len; }
  size_t output_len() const { return spec_.output_len; }
  size_t proof_len() const;
  size_t verifier_len() const { return 1 + spec_.gadget_arity + 1; }
  size_t prove_rand_len() const { return spec_.gadget_arity; }
  size_t query_rand_len() const;
  size_t joint_rand_len() const { return spec_.joint_rand_len; }
  const CircuitSpec& spec() const { return spec_; }

  // The measurement as integers: Count {0|1}, Sum {v}, Histogram {index}, SumVec {v...},
  // MultihotCountVec {0|1 ...}; an error naming the entry when one is out of range, or when
  // the count of integers is wrong.
  Result<std::vector<F>> Encode(const std::vector<uint64_t>& measurement) const;

  // The proof that meas is valid (proof_len() elements).
  std::vector<F> Prove(const std::vector<F>& meas, const std::vector<F>& prove_rand,
                       const std::vector<F>& joint_rand) const;

  // One aggregator's verifier share (verifier_len() elements) for its measurement and proof
  // shares. Empty on a length mismatch, and when the query randomness's test point is a root of
  // unity the wire polynomials use (the draft aborts there; the chance is about 2^-50 or less).
  std::vector<F> Query(const std::vector<F>& meas, const std::vector<F>& proof,
                       const std::vector<F>& query_rand, const std::vector<F>& joint_rand,
                       size_t num_shares) const;

  // Whether the sum of all verifier shares shows a valid measurement.
  bool Decide(const std::vector<F>& verifier) const;

  // The aggregatable output (output_len() elements) of an encoded measurement or its share.
  std::vector<F> Truncate(const std::vector<F>& meas) const;

  // The aggregate result as integers (one per output element); an error when an element does
  // not fit 64 bits or the length is wrong.
  Result<std::vector<uint64_t>> Decode(const std::vector<F>& output,
                                       uint64_t num_measurements) const;

 private:
  CircuitSpec spec_;
};

extern template class Flp<Field64>;
extern template class Flp<Field128>;

// Prio3Count: a measurement of 0 or 1.
Result<Flp<Field64>> CountFlp();
// Prio3Sum: an integer in [0, max_measurement], max_measurement in [1, 2^63).
Result<Flp<Field64>> SumFlp(uint64_t max_measurement);
// Prio3SumVec: length integers each in [0, max_measurement], range-checked in chunks.
template <class F>
Result<Flp<F>> SumVecFlp(size_t length, uint64_t max_measurement, size_t chunk_length);
// Prio3Histogram: one bucket index in [0, length).
Result<Flp<Field128>> HistogramFlp(size_t length, size_t chunk_length);
// Prio3MultihotCountVec: length bits of which at most max_weight are set.
Result<Flp<Field128>> MultihotCountVecFlp(size_t length, size_t max_weight, size_t chunk_length);

}  // namespace prio3
}  // namespace nazar

#endif  // NAZAR_PRIO3_FLP_H_
