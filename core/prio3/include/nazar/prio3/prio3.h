// Prio3 (draft-irtf-cfrg-vdaf-20, wire format of draft 18): a client splits a measurement into
// secret shares, one per aggregator, with a zero-knowledge proof that it is valid; the
// aggregators check the proof together without learning the measurement, add up their output
// shares, and only the sum of all shares of all reports is revealed. Portable, no I/O; errors
// come back as Status with what and where.
#ifndef NAZAR_PRIO3_PRIO3_H_
#define NAZAR_PRIO3_PRIO3_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "nazar/host.h"
#include "nazar/prio3/field.h"
#include "nazar/prio3/flp.h"
#include "nazar/prio3/xof.h"
#include "nazar/result.h"

namespace nazar::prio3 {

// Size of a report's nonce and of the verification key the aggregators share.
constexpr size_t kNonceSize = 16;
// The largest leader input share Create accepts (16 MiB): every share and proof of a VDAF made
// then fits comfortably in memory, also in wasm.
constexpr uint64_t kMaxInputShareBytes = uint64_t{16} << 20;
constexpr size_t kVerifyKeySize = kSeedSize;

// The public share: one joint randomness part per aggregator, or none when the circuit uses no
// joint randomness (Count).
struct Prio3PublicShare {
  std::vector<Seed> joint_rand_parts;
};

// One aggregator's input share. The leader (aggregator 0) gets its measurement and proof shares
// in full; each helper gets a seed that expands to them. `blind` is set iff joint randomness is.
template <class F>
struct Prio3InputShare {
  bool leader = false;
  std::vector<F> meas_share;    // leader only
  std::vector<F> proofs_share;  // leader only: num_proofs proofs, one after the other
  Seed share_seed{};            // helpers only
  std::optional<Seed> blind;
};

// What an aggregator keeps between verify_init and verify_next (never sent).
template <class F>
struct Prio3VerifyState {
  std::vector<F> out_share;
  std::optional<Seed> corrected_joint_rand_seed;
};

// What each aggregator broadcasts after verify_init.
template <class F>
struct Prio3VerifierShare {
  std::vector<F> verifiers;  // num_proofs verifiers, one after the other
  std::optional<Seed> joint_rand_part;
};

// The one verifier message: the joint randomness seed, or nothing without joint randomness.
using Prio3VerifierMessage = std::optional<Seed>;

// What shard returns: the public share and one input share per aggregator (index = agg id).
template <class F>
struct Prio3Shards {
  Prio3PublicShare public_share;
  std::vector<Prio3InputShare<F>> input_shares;
};

// What verify_init returns: the state to keep and the share to broadcast.
template <class F>
struct Prio3Verification {
  Prio3VerifyState<F> state;
  Prio3VerifierShare<F> share;
};

// Prio3 over a fully linear proof system `Flp<F>`, with XofTurboShake128. Instances are
// immutable; every method is const and safe to call from several threads.
template <class F>
class Prio3 {
 public:
  // `algorithm_id` names the VDAF in the domain separation tags (1 = Prio3Count, ...);
  // num_shares in 2..255, num_proofs in 1..255.
  static Result<Prio3> Create(uint32_t algorithm_id, size_t num_shares, size_t num_proofs,
                              Flp<F> flp);

  uint32_t algorithm_id() const { return id_; }
  size_t num_shares() const { return shares_; }
  size_t num_proofs() const { return proofs_; }
  const Flp<F>& flp() const { return flp_; }
  bool uses_joint_rand() const { return flp_.joint_rand_len() > 0; }
  // Bytes of randomness shard consumes.
  size_t rand_size() const;

  // The client: splits `measurement` (as Flp::Encode takes it) into shares bound to `nonce`
  // (kNonceSize bytes) and the application context `ctx`, from `rand` (rand_size() bytes).
  Result<Prio3Shards<F>> Shard(ByteSpan ctx, const std::vector<uint64_t>& measurement,
                               ByteSpan nonce, ByteSpan rand) const;
  // The same with rand_size() bytes drawn from the host's cryptographic source.
  Result<Prio3Shards<F>> Shard(ByteSpan ctx, const std::vector<uint64_t>& measurement,
                               ByteSpan nonce, Host& host) const;

  // Aggregator `agg_id`: expands its input share and queries the proof(s).
  Result<Prio3Verification<F>> VerifyInit(ByteSpan verify_key, ByteSpan ctx, size_t agg_id,
                                          ByteSpan nonce, const Prio3PublicShare& public_share,
                                          const Prio3InputShare<F>& input_share) const;
  // Combines all aggregators' verifier shares (in agg id order) and decides; an invalid report
  // is an error here.
  Result<Prio3VerifierMessage> VerifierSharesToMessage(
      ByteSpan ctx, const std::vector<Prio3VerifierShare<F>>& shares) const;
  // Checks the joint randomness the client claimed against the one the aggregators computed;
  // returns the output share.
  Result<std::vector<F>> VerifyNext(ByteSpan ctx, const Prio3VerifyState<F>& state,
                                    const Prio3VerifierMessage& message) const;

  // An empty aggregate share, adding one output share to it, and adding aggregate shares.
  std::vector<F> AggInit() const;
  Status AggUpdate(std::vector<F>* agg_share, const std::vector<F>& out_share) const;
  Result<std::vector<F>> Merge(const std::vector<std::vector<F>>& agg_shares) const;
  // The collector: the aggregate result of `num_measurements` reports from all agg shares.
  Result<std::vector<uint64_t>> Unshard(const std::vector<std::vector<F>>& agg_shares,
                                        uint64_t num_measurements) const;

  // Wire encodings. Decoders check the length and that each field element is below the modulus.
  size_t public_share_size() const;
  size_t input_share_size(size_t agg_id) const;
  size_t verifier_share_size() const;
  size_t verifier_message_size() const;
  size_t agg_share_size() const;  // also the size of an output share
  std::vector<uint8_t> EncodePublicShare(const Prio3PublicShare& share) const;
  Result<Prio3PublicShare> DecodePublicShare(ByteSpan bytes) const;
  std::vector<uint8_t> EncodeInputShare(const Prio3InputShare<F>& share) const;
  Result<Prio3InputShare<F>> DecodeInputShare(size_t agg_id, ByteSpan bytes) const;
  std::vector<uint8_t> EncodeVerifierShare(const Prio3VerifierShare<F>& share) const;
  Result<Prio3VerifierShare<F>> DecodeVerifierShare(ByteSpan bytes) const;
  std::vector<uint8_t> EncodeVerifierMessage(const Prio3VerifierMessage& message) const;
  Result<Prio3VerifierMessage> DecodeVerifierMessage(ByteSpan bytes) const;
  std::vector<uint8_t> EncodeAggShare(const std::vector<F>& agg_share) const;
  Result<std::vector<F>> DecodeAggShare(ByteSpan bytes) const;
  std::vector<uint8_t> EncodeOutShare(const std::vector<F>& out_share) const;
  Result<std::vector<F>> DecodeOutShare(ByteSpan bytes) const;

 private:
  Prio3(uint32_t id, size_t shares, size_t proofs, Flp<F> flp)
      : id_(id), shares_(shares), proofs_(proofs), flp_(std::move(flp)) {}

  std::vector<uint8_t> Dst(uint16_t usage, ByteSpan ctx) const;
  std::vector<F> HelperMeasShare(ByteSpan ctx, size_t agg_id, const Seed& share) const;
  std::vector<F> HelperProofsShare(ByteSpan ctx, size_t agg_id, const Seed& share) const;
  Seed JointRandPart(ByteSpan ctx, size_t agg_id, const Seed& blind,
                     const std::vector<F>& meas_share, ByteSpan nonce) const;
  Seed JointRandSeed(ByteSpan ctx, const std::vector<Seed>& parts) const;
  std::vector<F> JointRands(ByteSpan ctx, const Seed& seed) const;
  Result<std::vector<F>> DecodeOutputVector(ByteSpan bytes, const char* what) const;
  std::vector<F> ProveAll(const std::vector<F>& meas, const std::vector<F>& prove_rands,
                          const std::vector<F>& joint_rands) const;

  uint32_t id_;
  size_t shares_;
  size_t proofs_;
  Flp<F> flp_;
};

// The VDAFs of the draft (algorithm ids in parentheses), each with num_shares aggregators.
// Prio3Count (1): measurement {0} or {1}.
Result<Prio3<Field64>> MakePrio3Count(size_t num_shares);
// Prio3Sum (2): measurement {v}, 0 <= v <= max_measurement.
Result<Prio3<Field64>> MakePrio3Sum(size_t num_shares, uint64_t max_measurement);
// Prio3SumVec (3): `length` values each in 0..max_measurement.
Result<Prio3<Field128>> MakePrio3SumVec(size_t num_shares, size_t length, uint64_t max_measurement,
                                        size_t chunk_length);
// Prio3Histogram (4): measurement {bucket}, 0 <= bucket < length.
Result<Prio3<Field128>> MakePrio3Histogram(size_t num_shares, size_t length, size_t chunk_length);
// The chunk length that makes a Prio3Histogram proof over `length` buckets smallest (the smaller
// one on a tie): 4 for NPS's 11 buckets, 2 for a 5-point CSAT, 3 for a 7-point CES. 0 when no
// histogram of that length can be made.
size_t HistogramChunkLength(size_t length);
// Prio3MultihotCountVec (5): `length` values of 0 or 1, at most max_weight of them 1.
Result<Prio3<Field128>> MakePrio3MultihotCountVec(size_t num_shares, size_t length,
                                                  size_t max_weight, size_t chunk_length);
// Prio3SumVecWithMultiproof (0xFFFFFFFF, the draft's experimental codepoint): SumVec over
// Field64 with num_proofs proofs, as the draft's reference tests define it.
Result<Prio3<Field64>> MakePrio3SumVecWithMultiproof(size_t num_shares, size_t num_proofs,
                                                     size_t length, uint64_t max_measurement,
                                                     size_t chunk_length);

// Prio3HigherDegree (0xFFFFFFFF): the draft's test-only instance with a degree-3 gadget
// (measurement {0}, {1} or {2}), behind its Prio3HigherDegree vectors. Not for deployment.
Result<Prio3<Field64>> MakePrio3HigherDegree(size_t num_shares);

}  // namespace nazar::prio3

#endif  // NAZAR_PRIO3_PRIO3_H_
