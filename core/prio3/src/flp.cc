// The generic FLP of BBCGGI19 (draft-irtf-cfrg-vdaf-20, "FLP Construction") over one gadget:
// ParallelSum(Mul, chunk_length) for every circuit but Sum (PolyEval(x^2 - x)) and the draft's
// test circuit HigherDegree (PolyEval of degree 3). With p the wire polynomials' length (a power
// of two) and d the gadget's degree, the gadget polynomial has degree <= d(p - 1): the proof
// carries its first d(p - 1) + 1 values at the n-th roots of unity, n the next power of two.
#include "nazar/prio3/flp.h"

#include <string>
#include <utility>

#include "nazar/prio3/poly.h"

namespace nazar {
namespace prio3 {
namespace {

// The longest encoded measurement: a survey's is a few dozen elements (11 for NPS). It keeps a
// proof under 16,400 elements (chunk length 1: a gadget polynomial of degree 2 * (8,192 - 1)), so
// sizes stay far from overflow with a 32-bit size_t (wasm) and one shard takes milliseconds, not
// minutes. The chunk length is at most the measurement's length (longer chunks only add wires).
constexpr size_t kMaxMeasLen = size_t{1} << 12;

size_t BitLength(uint64_t v) {
  size_t bits = 0;
  while (bits < 64 && (v >> bits) != 0) ++bits;
  return bits;
}

size_t WirePolyLen(const CircuitSpec& spec) { return NextPowerOf2(1 + spec.gadget_calls); }

// Values of the gadget polynomial the proof carries: enough for its degree.
size_t GadgetPolyLen(const CircuitSpec& spec) {
  return spec.gadget_degree * (WirePolyLen(spec) - 1) + 1;
}

// 1 when a == b, else 0, without a branch on the values.
uint64_t CtEq(uint64_t a, uint64_t b) {
  uint64_t x = a ^ b;
  return 1 ^ ((x | (0 - x)) >> 63);
}

Status InvalidArgument(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

// The gadget on one input vector: PolyEval(poly) of in[0], or the sum over chunks of
// in[2i] * in[2i+1].
template <class F>
F EvalGadget(const CircuitSpec& spec, const F* in) {
  F out;
  if (!spec.poly.empty()) {
    for (size_t i = spec.poly.size(); i-- > 0;) {
      int64_t c = spec.poly[i];
      F coefficient = F::FromUint64(static_cast<uint64_t>(c < 0 ? -c : c));
      out = out * in[0] + (c < 0 ? -coefficient : coefficient);
    }
    return out;
  }
  for (size_t i = 0; i < spec.chunk_length; ++i) out += in[2 * i] * in[2 * i + 1];
  return out;
}

// The gadget as the circuit calls it: records each call's inputs as the next values of the wire
// polynomials (after the seeds) and answers with the gadget's value (prover) or with the gadget
// polynomial's value at the call's root of unity (verifier: `gadget_values` at the n-th roots,
// of which every (n/p)-th is a p-th root).
template <class F>
class GadgetWires {
 public:
  GadgetWires(const CircuitSpec& spec, const F* seeds, const std::vector<F>* gadget_values)
      : spec_(spec), gadget_values_(gadget_values) {
    size_t p = WirePolyLen(spec);
    wires_.assign(spec.gadget_arity, std::vector<F>(p));
    for (size_t j = 0; j < spec.gadget_arity; ++j) wires_[j][0] = seeds[j];
  }

  F Call(const std::vector<F>& in) {
    ++calls_;
    for (size_t j = 0; j < spec_.gadget_arity; ++j) wires_[j][calls_] = in[j];
    if (gadget_values_ != nullptr) {
      return (*gadget_values_)[calls_ * (gadget_values_->size() / wires_[0].size())];
    }
    return EvalGadget(spec_, in.data());
  }

  const std::vector<std::vector<F>>& wires() const { return wires_; }

 private:
  const CircuitSpec& spec_;
  const std::vector<F>* gadget_values_;
  std::vector<std::vector<F>> wires_;
  size_t calls_ = 0;
};

// sum_l 2^l b_l for l < bits - 1, plus (max - 2^(bits-1) + 1) * b_(bits-1): the value of a
// range-checked integer from its (shares of) bits; linear, so it also applies to shares.
template <class F>
F DecodeRangeChecked(const F* bits, size_t n_bits, uint64_t max) {
  uint64_t rest_all_ones = (uint64_t{1} << (n_bits - 1)) - 1;
  F out;
  for (size_t l = 0; l + 1 < n_bits; ++l) out += F::FromUint64(uint64_t{1} << l) * bits[l];
  return out + F::FromUint64(max - rest_all_ones) * bits[n_bits - 1];
}

// The bits of value in [0, max]: the low bits - 1 bits of value, or of value minus the last
// weight with the last bit set when value exceeds 2^(bits-1) - 1; chosen without a branch.
template <class F>
void EncodeRangeChecked(uint64_t value, uint64_t max, size_t n_bits, std::vector<F>* out) {
  uint64_t rest_all_ones = (uint64_t{1} << (n_bits - 1)) - 1;
  uint64_t last_weight = max - rest_all_ones;
  // value > rest_all_ones: the borrow of rest_all_ones - value, in 128 bits.
  uint64_t high =
      static_cast<uint64_t>((static_cast<field_internal::U128>(rest_all_ones) - value) >> 127);
  uint64_t rest = value - (last_weight & (0 - high));
  for (size_t l = 0; l + 1 < n_bits; ++l) out->push_back(F::FromUint64((rest >> l) & 1));
  out->push_back(F::FromUint64(high));
}

// The validity circuit's outputs (all zero for a valid measurement share sum) on meas, calling
// the gadget through `gadget`.
template <class F>
std::vector<F> EvalCircuit(const CircuitSpec& spec, const std::vector<F>& meas,
                           const std::vector<F>& joint_rand, size_t num_shares,
                           GadgetWires<F>* gadget) {
  if (spec.kind == CircuitKind::kCount) return {gadget->Call({meas[0], meas[0]}) - meas[0]};
  if (spec.kind == CircuitKind::kHigherDegree) return {gadget->Call({meas[0]})};
  std::vector<F> out;
  if (spec.kind == CircuitKind::kSum) {
    for (const F& b : meas) out.push_back(gadget->Call({b}));
    return out;
  }
  // SumVec, Histogram, MultihotCountVec: every entry is 0 or 1, checked as
  // sum_i r_i^(j+1) * x_ij * (x_ij - 1/num_shares) over chunks of chunk_length entries.
  F shares_inv = F::FromUint64(num_shares).Inv();
  F range_check;
  std::vector<F> inputs(spec.gadget_arity);
  for (size_t i = 0; i < spec.gadget_calls; ++i) {
    F r = joint_rand[i], r_power = r;
    for (size_t j = 0; j < spec.chunk_length; ++j) {
      size_t index = i * spec.chunk_length + j;
      F x = index < meas.size() ? meas[index] : F();
      inputs[2 * j] = r_power * x;
      inputs[2 * j + 1] = x - shares_inv;
      r_power *= r;
    }
    range_check += gadget->Call(inputs);
  }
  out.push_back(range_check);
  if (spec.kind == CircuitKind::kHistogram) {
    F sum = -shares_inv;  // exactly one bucket is set
    for (const F& x : meas) sum += x;
    out.push_back(sum);
  } else if (spec.kind == CircuitKind::kMultihotCountVec) {
    F weight;  // the set bits add up to the weight the client claims
    for (size_t i = 0; i < spec.length; ++i) weight += meas[i];
    out.push_back(weight -
                  DecodeRangeChecked(meas.data() + spec.length, spec.bits, spec.max_measurement));
  }
  return out;
}

// A vector length beyond any encoded measurement the FLP accepts, named as the caller gave it.
Status LengthTooLong(const char* name, size_t length) {
  return InvalidArgument(std::string(name) + ": length " + std::to_string(length) +
                         " would make the encoded measurement longer than " +
                         std::to_string(kMaxMeasLen) + " elements");
}

// The chunked range check's shape, one gadget call (and joint randomness element) per chunk,
// once its sizes are checked; `name` starts the error message.
Result<CircuitSpec> ChunkedSpec(const char* name, CircuitKind kind, size_t length, size_t meas_len,
                                size_t chunk_length, uint64_t max, size_t bits) {
  if (length == 0) return InvalidArgument(std::string(name) + ": length must be at least 1");
  if (meas_len > kMaxMeasLen) {
    return InvalidArgument(std::string(name) + ": the encoded measurement (" +
                           std::to_string(meas_len) + " elements) exceeds " +
                           std::to_string(kMaxMeasLen));
  }
  if (chunk_length == 0 || chunk_length > meas_len) {
    return InvalidArgument(std::string(name) + ": chunk_length must be in [1, " +
                           std::to_string(meas_len) + "] (the encoded measurement's length), got " +
                           std::to_string(chunk_length));
  }
  CircuitSpec spec;
  spec.kind = kind;
  spec.length = length;
  spec.max_measurement = max;
  spec.bits = bits;
  spec.chunk_length = chunk_length;
  spec.meas_len = meas_len;
  spec.output_len = length;
  spec.gadget_arity = 2 * chunk_length;
  spec.gadget_calls = (meas_len + chunk_length - 1) / chunk_length;
  spec.joint_rand_len = spec.gadget_calls;
  spec.eval_output_len = kind == CircuitKind::kSumVec ? 1 : 2;
  return spec;
}

}  // namespace

// Only the factories make an Flp: the circuit code indexes by the spec's lengths.
struct FlpMaker {
  template <class F>
  static Flp<F> Make(const CircuitSpec& spec) {
    return Flp<F>(spec);
  }
};

template <class F>
size_t Flp<F>::proof_len() const {
  return spec_.gadget_arity + GadgetPolyLen(spec_);
}

template <class F>
size_t Flp<F>::query_rand_len() const {
  return (spec_.eval_output_len > 1 ? spec_.eval_output_len : 0) + 1;
}

template <class F>
Result<std::vector<F>> Flp<F>::Encode(const std::vector<uint64_t>& measurement) const {
  const CircuitSpec& s = spec_;
  size_t want =
      s.kind == CircuitKind::kSumVec || s.kind == CircuitKind::kMultihotCountVec ? s.length : 1;
  if (measurement.size() != want) {
    return InvalidArgument("prio3 measurement: expected " + std::to_string(want) +
                           " integer(s), got " + std::to_string(measurement.size()));
  }
  std::vector<F> out;
  out.reserve(s.meas_len);
  switch (s.kind) {
    case CircuitKind::kCount:
    case CircuitKind::kHigherDegree:
      if (measurement[0] > s.max_measurement) {
        return InvalidArgument("prio3 count measurement: must be at most " +
                               std::to_string(s.max_measurement) + ", got " +
                               std::to_string(measurement[0]));
      }
      out.push_back(F::FromUint64(measurement[0]));
      break;
    case CircuitKind::kSum:
    case CircuitKind::kSumVec:
      for (size_t i = 0; i < measurement.size(); ++i) {
        if (measurement[i] > s.max_measurement) {
          return InvalidArgument("prio3 sum measurement: entry " + std::to_string(i) + " is " +
                                 std::to_string(measurement[i]) + ", above the maximum " +
                                 std::to_string(s.max_measurement));
        }
        EncodeRangeChecked(measurement[i], s.max_measurement, s.bits, &out);
      }
      break;
    case CircuitKind::kHistogram:
      if (measurement[0] >= s.length) {
        return InvalidArgument("prio3 histogram measurement: bucket " +
                               std::to_string(measurement[0]) + " is not below the length " +
                               std::to_string(s.length));
      }
      for (size_t i = 0; i < s.length; ++i)
        out.push_back(F::FromUint64(CtEq(uint64_t{i}, measurement[0])));
      break;
    case CircuitKind::kMultihotCountVec: {
      uint64_t weight = 0;
      for (size_t i = 0; i < s.length; ++i) {
        if (measurement[i] > 1) {
          return InvalidArgument("prio3 multihot measurement: entry " + std::to_string(i) +
                                 " must be 0 or 1, got " + std::to_string(measurement[i]));
        }
        weight += measurement[i];
        out.push_back(F::FromUint64(measurement[i]));
      }
      if (weight > s.max_measurement) {
        return InvalidArgument("prio3 multihot measurement: " + std::to_string(weight) +
                               " entries set, above the maximum weight " +
                               std::to_string(s.max_measurement));
      }
      EncodeRangeChecked(weight, s.max_measurement, s.bits, &out);
      break;
    }
  }
  return out;
}

template <class F>
std::vector<F> Flp<F>::Prove(const std::vector<F>& meas, const std::vector<F>& prove_rand,
                             const std::vector<F>& joint_rand) const {
  if (meas.size() != meas_len() || prove_rand.size() != prove_rand_len() ||
      joint_rand.size() != joint_rand_len()) {
    return {};
  }
  GadgetWires<F> gadget(spec_, prove_rand.data(), nullptr);
  EvalCircuit(spec_, meas, joint_rand, 1, &gadget);
  // The gadget polynomial G(x) = gadget(wire polynomials at x), at the n-th roots of unity:
  // the wires' values there (each from p values to n), then the gadget applied pointwise.
  size_t gadget_poly_len = GadgetPolyLen(spec_), n = NextPowerOf2(gadget_poly_len);
  std::vector<std::vector<F>> wires_at_n;
  wires_at_n.reserve(spec_.gadget_arity);
  for (const std::vector<F>& wire : gadget.wires()) {
    wires_at_n.push_back(MonomialToLagrange(LagrangeToMonomial(wire), n));
  }
  std::vector<F> proof(prove_rand);
  std::vector<F> at_point(spec_.gadget_arity);
  for (size_t k = 0; k < gadget_poly_len; ++k) {
    for (size_t j = 0; j < spec_.gadget_arity; ++j) at_point[j] = wires_at_n[j][k];
    proof.push_back(EvalGadget(spec_, at_point.data()));
  }
  return proof;
}

template <class F>
std::vector<F> Flp<F>::Query(const std::vector<F>& meas, const std::vector<F>& proof,
                             const std::vector<F>& query_rand, const std::vector<F>& joint_rand,
                             size_t num_shares) const {
  if (meas.size() != meas_len() || proof.size() != proof_len() ||
      query_rand.size() != query_rand_len() || joint_rand.size() != joint_rand_len()) {
    return {};
  }
  size_t p = WirePolyLen(spec_);
  F t = query_rand.back();
  // A test point among the wire polynomials' nodes would reveal a wire value: the draft aborts.
  if (t.Pow(p) == F::FromUint64(1)) return {};
  std::vector<F> gadget_values(proof.begin() + spec_.gadget_arity, proof.end());
  ExtendToPowerOf2(&gadget_values, NextPowerOf2(gadget_values.size()));
  GadgetWires<F> gadget(spec_, proof.data(), &gadget_values);
  std::vector<F> out = EvalCircuit(spec_, meas, joint_rand, num_shares, &gadget);
  F v = out[0];
  if (out.size() > 1) {  // a random linear combination of the outputs
    v = F();
    for (size_t i = 0; i < out.size(); ++i) v += query_rand[i] * out[i];
  }
  std::vector<F> verifier{v};
  std::vector<F> wire_checks = LagrangeEvalBatched(gadget.wires(), t);
  verifier.insert(verifier.end(), wire_checks.begin(), wire_checks.end());
  verifier.push_back(LagrangeEvalBatched<F>({gadget_values}, t)[0]);
  return verifier;
}

template <class F>
bool Flp<F>::Decide(const std::vector<F>& verifier) const {
  if (verifier.size() != verifier_len()) return false;
  if (verifier[0] != F()) return false;
  return EvalGadget(spec_, verifier.data() + 1) == verifier.back();
}

template <class F>
std::vector<F> Flp<F>::Truncate(const std::vector<F>& meas) const {
  if (meas.size() != meas_len()) return {};
  switch (spec_.kind) {
    case CircuitKind::kSum:
      return {DecodeRangeChecked(meas.data(), spec_.bits, spec_.max_measurement)};
    case CircuitKind::kSumVec: {
      std::vector<F> out;
      for (size_t i = 0; i < spec_.length; ++i) {
        out.push_back(
            DecodeRangeChecked(meas.data() + i * spec_.bits, spec_.bits, spec_.max_measurement));
      }
      return out;
    }
    case CircuitKind::kMultihotCountVec:
      return std::vector<F>(meas.begin(), meas.begin() + spec_.length);
    case CircuitKind::kCount:
    case CircuitKind::kHistogram:
    case CircuitKind::kHigherDegree:
      break;
  }
  return meas;
}

template <class F>
Result<std::vector<uint64_t>> Flp<F>::Decode(const std::vector<F>& output,
                                             uint64_t /*num_measurements*/) const {
  if (output.size() != output_len()) {
    return InvalidArgument("prio3 aggregate: expected " + std::to_string(output_len()) +
                           " elements, got " + std::to_string(output.size()));
  }
  std::vector<uint64_t> out(output.size());
  for (size_t i = 0; i < output.size(); ++i) {
    if (!output[i].ToUint64(&out[i])) {
      return Status(StatusCode::kOutOfRange,
                    "prio3 aggregate: element " + std::to_string(i) + " exceeds 64 bits");
    }
  }
  return out;
}

template class Flp<Field64>;
template class Flp<Field128>;

Result<Flp<Field64>> CountFlp() {
  CircuitSpec spec;  // the defaults: one Mul call on (x, x)
  return FlpMaker::Make<Field64>(spec);
}

Result<Flp<Field64>> SumFlp(uint64_t max_measurement) {
  size_t bits = BitLength(max_measurement);
  if (bits == 0 || bits > 63) {  // 2^bits must stay below the modulus
    return InvalidArgument("prio3 sum: max_measurement must be in [1, 2^63), got " +
                           std::to_string(max_measurement));
  }
  CircuitSpec spec;
  spec.kind = CircuitKind::kSum;
  spec.max_measurement = max_measurement;
  spec.bits = bits;
  spec.meas_len = bits;
  spec.output_len = 1;
  spec.eval_output_len = bits;
  spec.gadget_arity = 1;
  spec.gadget_calls = bits;
  spec.poly = {0, -1, 1};
  return FlpMaker::Make<Field64>(spec);
}

Result<Flp<Field64>> HigherDegreeFlp() {
  CircuitSpec spec;
  spec.kind = CircuitKind::kHigherDegree;
  spec.max_measurement = 2;
  spec.gadget_arity = 1;
  spec.gadget_degree = 3;
  spec.poly = {0, 2, -3, 1};  // x(x - 1)(x - 2)
  return FlpMaker::Make<Field64>(spec);
}

template <class F>
Result<Flp<F>> SumVecFlp(size_t length, uint64_t max_measurement, size_t chunk_length) {
  size_t bits = BitLength(max_measurement);
  if (bits == 0 || (F::kLimbs == 1 && bits > 63)) {  // 2^bits must stay below the modulus
    return InvalidArgument(std::string("prio3 sumvec: max_measurement must be in [1, ") +
                           (F::kLimbs == 1 ? "2^63)" : "2^64)") + ", got " +
                           std::to_string(max_measurement));
  }
  if (length > kMaxMeasLen) return LengthTooLong("prio3 sumvec", length);
  size_t meas_len = length * bits;
  Result<CircuitSpec> spec = ChunkedSpec("prio3 sumvec", CircuitKind::kSumVec, length, meas_len,
                                         chunk_length, max_measurement, bits);
  if (!spec.ok()) return spec.status();
  return FlpMaker::Make<F>(*spec);
}
template Result<Flp<Field64>> SumVecFlp<Field64>(size_t, uint64_t, size_t);
template Result<Flp<Field128>> SumVecFlp<Field128>(size_t, uint64_t, size_t);

Result<Flp<Field128>> HistogramFlp(size_t length, size_t chunk_length) {
  Result<CircuitSpec> spec =
      ChunkedSpec("prio3 histogram", CircuitKind::kHistogram, length, length, chunk_length, 1, 1);
  if (!spec.ok()) return spec.status();
  return FlpMaker::Make<Field128>(*spec);
}

Result<Flp<Field128>> MultihotCountVecFlp(size_t length, size_t max_weight, size_t chunk_length) {
  if (max_weight == 0 || max_weight > length) {
    return InvalidArgument("prio3 multihot: max_weight must be in [1, length " +
                           std::to_string(length) + "], got " + std::to_string(max_weight));
  }
  size_t bits = BitLength(max_weight);
  if (length > kMaxMeasLen) return LengthTooLong("prio3 multihot", length);
  size_t meas_len = length + bits;
  Result<CircuitSpec> spec = ChunkedSpec("prio3 multihot", CircuitKind::kMultihotCountVec, length,
                                         meas_len, chunk_length, max_weight, bits);
  if (!spec.ok()) return spec.status();
  return FlpMaker::Make<Field128>(*spec);
}

}  // namespace prio3
}  // namespace nazar
