// Prio3 (draft-irtf-cfrg-vdaf-20): sharding, verification, aggregation and the wire encodings.
#include "nazar/prio3/prio3.h"

#include <algorithm>
#include <string>
#include <utility>

namespace nazar::prio3 {
namespace {

// The usages of the domain separation tag (draft section "Prio3").
constexpr uint16_t kUsageMeasShare = 1;
constexpr uint16_t kUsageProofShare = 2;
constexpr uint16_t kUsageJointRandomness = 3;
constexpr uint16_t kUsageProveRandomness = 4;
constexpr uint16_t kUsageQueryRandomness = 5;
constexpr uint16_t kUsageJointRandSeed = 6;
constexpr uint16_t kUsageJointRandPart = 7;
// The draft's version byte: draft 18's wire format, unchanged through draft 20.
constexpr uint8_t kVersion = 18;
// The longest context string: the tag's length is a 16-bit number and its header is 8 bytes.
constexpr size_t kMaxContextSize = 0xffff - 8;

// "1,056": byte counts in messages, grouped for reading.
std::string Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

// Vectors the code itself sized disagree: a bug in Nazar, never the input's fault.
Status Mismatch(const char* what) {
  return Status(StatusCode::kInternal, std::string("Prio3: ") + what + " lengths disagree");
}

Status SizeError(const std::string& what, size_t got, size_t expected) {
  return Invalid(what + ": " + Grouped(got) + " bytes, expected " + Grouped(expected));
}

void AppendSeed(const Seed& seed, std::vector<uint8_t>* out) {
  out->insert(out->end(), seed.begin(), seed.end());
}

Seed ReadSeed(const uint8_t* data) {
  Seed seed;
  for (size_t i = 0; i < kSeedSize; ++i) seed[i] = data[i];
  return seed;
}

// Decodes `count` elements at `data` (the caller checked the size); an encoding >= p fails
// with `what` and the element's index.
template <class F>
Status DecodeElements(const uint8_t* data, size_t count, const std::string& what,
                      std::vector<F>* out) {
  size_t bad = 0;
  if (DecodeVec(data, count * F::kEncodedSize, out, &bad)) return Status::Ok();
  return Invalid(what + ": element " + Grouped(bad) + " is not below the field modulus");
}

template <class F>
std::vector<F> Slice(const std::vector<F>& vec, size_t index, size_t length) {
  return std::vector<F>(vec.begin() + index * length, vec.begin() + (index + 1) * length);
}

std::vector<uint8_t> Prefixed(uint8_t first, ByteSpan rest) {
  std::vector<uint8_t> out;
  out.reserve(1 + rest.size);
  out.push_back(first);
  out.insert(out.end(), rest.data, rest.data + rest.size);
  return out;
}

Status CheckContext(ByteSpan ctx) {
  if (ctx.size > kMaxContextSize) {
    return Invalid("context string: " + Grouped(ctx.size) + " bytes, at most " +
                   Grouped(kMaxContextSize));
  }
  return Status::Ok();
}

Status CheckCommon(ByteSpan ctx, ByteSpan nonce) {
  Status status = CheckContext(ctx);
  if (!status.ok()) return status;
  if (nonce.size != kNonceSize) return SizeError("nonce", nonce.size, kNonceSize);
  return Status::Ok();
}

}  // namespace

template <class F>
Result<Prio3<F>> Prio3<F>::Create(uint32_t algorithm_id, size_t num_shares, size_t num_proofs,
                                  Flp<F> flp) {
  if (num_shares < 2 || num_shares > 255) {
    return Invalid("Prio3: " + std::to_string(num_shares) + " shares, expected 2 to 255");
  }
  if (num_proofs < 1 || num_proofs > 255) {
    return Invalid("Prio3: " + std::to_string(num_proofs) + " proofs, expected 1 to 255");
  }
  // The leader's input share, counted in 64 bits so that it cannot wrap around a 32-bit size_t
  // (wasm): the FLP bounds one proof, not 255 of them.
  const uint64_t leader_bytes =
      (uint64_t{flp.meas_len()} + uint64_t{flp.proof_len()} * num_proofs) * F::kEncodedSize;
  if (leader_bytes > kMaxInputShareBytes) {
    return Invalid("Prio3: the leader's input share would take " + Grouped(leader_bytes) +
                   " bytes, more than " + Grouped(kMaxInputShareBytes));
  }
  return Prio3(algorithm_id, num_shares, num_proofs, std::move(flp));
}

template <class F>
size_t Prio3<F>::rand_size() const {
  return (uses_joint_rand() ? 2 : 1) * shares_ * kSeedSize;
}

template <class F>
std::vector<uint8_t> Prio3<F>::Dst(uint16_t usage, ByteSpan ctx) const {
  std::vector<uint8_t> dst = {kVersion,
                              0,  // algorithm class: VDAF
                              static_cast<uint8_t>(id_ >> 24),
                              static_cast<uint8_t>(id_ >> 16),
                              static_cast<uint8_t>(id_ >> 8),
                              static_cast<uint8_t>(id_),
                              static_cast<uint8_t>(usage >> 8),
                              static_cast<uint8_t>(usage)};
  dst.insert(dst.end(), ctx.data, ctx.data + ctx.size);
  return dst;
}

template <class F>
std::vector<F> Prio3<F>::HelperMeasShare(ByteSpan ctx, size_t agg_id, const Seed& share) const {
  const uint8_t binder = static_cast<uint8_t>(agg_id);
  return XofTurboShake128::ExpandIntoVec<F>(share, Dst(kUsageMeasShare, ctx), ByteSpan(&binder, 1),
                                            flp_.meas_len());
}

template <class F>
std::vector<F> Prio3<F>::HelperProofsShare(ByteSpan ctx, size_t agg_id, const Seed& share) const {
  const uint8_t binder[2] = {static_cast<uint8_t>(proofs_), static_cast<uint8_t>(agg_id)};
  return XofTurboShake128::ExpandIntoVec<F>(share, Dst(kUsageProofShare, ctx), ByteSpan(binder, 2),
                                            flp_.proof_len() * proofs_);
}

template <class F>
Seed Prio3<F>::JointRandPart(ByteSpan ctx, size_t agg_id, const Seed& blind,
                             const std::vector<F>& meas_share, ByteSpan nonce) const {
  std::vector<uint8_t> binder = Prefixed(static_cast<uint8_t>(agg_id), nonce);
  AppendVec(meas_share, &binder);
  return XofTurboShake128::DeriveSeed(blind, Dst(kUsageJointRandPart, ctx), binder);
}

template <class F>
Seed Prio3<F>::JointRandSeed(ByteSpan ctx, const std::vector<Seed>& parts) const {
  std::vector<uint8_t> binder;
  for (const Seed& part : parts) AppendSeed(part, &binder);
  return XofTurboShake128::DeriveSeed(Seed{}, Dst(kUsageJointRandSeed, ctx), binder);
}

template <class F>
std::vector<F> Prio3<F>::JointRands(ByteSpan ctx, const Seed& seed) const {
  const uint8_t binder = static_cast<uint8_t>(proofs_);
  return XofTurboShake128::ExpandIntoVec<F>(seed, Dst(kUsageJointRandomness, ctx),
                                            ByteSpan(&binder, 1), flp_.joint_rand_len() * proofs_);
}

template <class F>
std::vector<F> Prio3<F>::ProveAll(const std::vector<F>& meas, const std::vector<F>& prove_rands,
                                  const std::vector<F>& joint_rands) const {
  std::vector<F> proofs;
  proofs.reserve(flp_.proof_len() * proofs_);
  for (size_t p = 0; p < proofs_; ++p) {
    std::vector<F> proof = flp_.Prove(meas, Slice(prove_rands, p, flp_.prove_rand_len()),
                                      Slice(joint_rands, p, flp_.joint_rand_len()));
    proofs.insert(proofs.end(), proof.begin(), proof.end());
  }
  return proofs;
}

template <class F>
Result<Prio3Shards<F>> Prio3<F>::Shard(ByteSpan ctx, const std::vector<uint64_t>& measurement,
                                       ByteSpan nonce, ByteSpan rand) const {
  Status common = CheckCommon(ctx, nonce);
  if (!common.ok()) return common;
  if (rand.size != rand_size()) return SizeError("shard randomness", rand.size, rand_size());
  auto encoded = flp_.Encode(measurement);
  if (!encoded.ok()) return Invalid("measurement: " + encoded.status().message());
  const std::vector<F>& meas = *encoded;
  const bool jr = uses_joint_rand();

  // rand is a list of seeds: (share, blind) per helper when joint randomness is used (else
  // share), then the leader's blind (if any) and the prove seed.
  std::vector<Seed> seeds;
  for (size_t at = 0; at < rand.size; at += kSeedSize) seeds.push_back(ReadSeed(rand.data + at));
  const size_t per_helper = jr ? 2 : 1;
  const Seed& prove_seed = seeds.back();

  Prio3Shards<F> out;
  out.input_shares.resize(shares_);
  std::vector<F> leader_meas = meas;
  std::vector<Seed> parts(jr ? shares_ : 0);
  for (size_t j = 1; j < shares_; ++j) {
    Prio3InputShare<F>& helper = out.input_shares[j];
    helper.share_seed = seeds[(j - 1) * per_helper];
    std::vector<F> helper_meas = HelperMeasShare(ctx, j, helper.share_seed);
    if (!VecSub(&leader_meas, helper_meas)) return Mismatch("measurement share");
    if (jr) {
      helper.blind = seeds[(j - 1) * per_helper + 1];
      parts[j] = JointRandPart(ctx, j, *helper.blind, helper_meas, nonce);
    }
  }
  Prio3InputShare<F>& leader = out.input_shares[0];
  leader.leader = true;
  std::vector<F> joint_rands;
  if (jr) {
    leader.blind = seeds[(shares_ - 1) * 2];
    parts[0] = JointRandPart(ctx, 0, *leader.blind, leader_meas, nonce);
    joint_rands = JointRands(ctx, JointRandSeed(ctx, parts));
  }
  const uint8_t prove_binder = static_cast<uint8_t>(proofs_);
  std::vector<F> prove_rands = XofTurboShake128::ExpandIntoVec<F>(
      prove_seed, Dst(kUsageProveRandomness, ctx), ByteSpan(&prove_binder, 1),
      flp_.prove_rand_len() * proofs_);
  leader.proofs_share = ProveAll(meas, prove_rands, joint_rands);
  for (size_t j = 1; j < shares_; ++j) {
    if (!VecSub(&leader.proofs_share, HelperProofsShare(ctx, j, out.input_shares[j].share_seed))) {
      return Mismatch("proof share");
    }
  }
  leader.meas_share = std::move(leader_meas);
  out.public_share.joint_rand_parts = std::move(parts);
  return out;
}

template <class F>
Result<Prio3Shards<F>> Prio3<F>::Shard(ByteSpan ctx, const std::vector<uint64_t>& measurement,
                                       ByteSpan nonce, Host& host) const {
  std::vector<uint8_t> rand(rand_size());
  host.FillRandom(rand.data(), rand.size());
  return Shard(ctx, measurement, nonce, rand);
}

template <class F>
Result<Prio3Verification<F>> Prio3<F>::VerifyInit(ByteSpan verify_key, ByteSpan ctx, size_t agg_id,
                                                  ByteSpan nonce,
                                                  const Prio3PublicShare& public_share,
                                                  const Prio3InputShare<F>& input_share) const {
  Status common = CheckCommon(ctx, nonce);
  if (!common.ok()) return common;
  if (verify_key.size != kVerifyKeySize) {
    return SizeError("verify key", verify_key.size, kVerifyKeySize);
  }
  if (agg_id >= shares_) {
    return Invalid("aggregator id " + std::to_string(agg_id) + " out of range for " +
                   std::to_string(shares_) + " shares");
  }
  if (input_share.leader != (agg_id == 0)) {
    return Invalid("input share for aggregator " + std::to_string(agg_id) + " is a " +
                   (input_share.leader ? "leader" : "helper") + " share");
  }
  const bool jr = uses_joint_rand();
  if (input_share.blind.has_value() != jr) {
    return Invalid(std::string("input share: joint randomness blind ") +
                   (jr ? "missing" : "present but not used by this VDAF"));
  }
  const size_t parts_expected = jr ? shares_ : 0;
  if (public_share.joint_rand_parts.size() != parts_expected) {
    return Invalid("public share: " + std::to_string(public_share.joint_rand_parts.size()) +
                   " joint randomness parts, expected " + std::to_string(parts_expected));
  }
  std::vector<F> meas_share;
  std::vector<F> proofs_share;
  if (input_share.leader) {
    if (input_share.meas_share.size() != flp_.meas_len() ||
        input_share.proofs_share.size() != flp_.proof_len() * proofs_) {
      return Invalid("leader input share: " + std::to_string(input_share.meas_share.size()) +
                     " measurement and " + std::to_string(input_share.proofs_share.size()) +
                     " proof elements, expected " + std::to_string(flp_.meas_len()) + " and " +
                     std::to_string(flp_.proof_len() * proofs_));
    }
    meas_share = input_share.meas_share;
    proofs_share = input_share.proofs_share;
  } else {
    meas_share = HelperMeasShare(ctx, agg_id, input_share.share_seed);
    proofs_share = HelperProofsShare(ctx, agg_id, input_share.share_seed);
  }

  Prio3Verification<F> out;
  out.state.out_share = flp_.Truncate(meas_share);
  std::vector<F> joint_rands;
  if (jr) {
    Seed part = JointRandPart(ctx, agg_id, *input_share.blind, meas_share, nonce);
    std::vector<Seed> parts = public_share.joint_rand_parts;
    parts[agg_id] = part;
    Seed corrected = JointRandSeed(ctx, parts);
    joint_rands = JointRands(ctx, corrected);
    out.state.corrected_joint_rand_seed = corrected;
    out.share.joint_rand_part = part;
  }
  std::vector<uint8_t> query_binder = Prefixed(static_cast<uint8_t>(proofs_), nonce);
  std::vector<F> query_rands = XofTurboShake128::ExpandIntoVec<F>(
      verify_key, Dst(kUsageQueryRandomness, ctx), query_binder, flp_.query_rand_len() * proofs_);
  out.share.verifiers.reserve(flp_.verifier_len() * proofs_);
  for (size_t p = 0; p < proofs_; ++p) {
    std::vector<F> verifier = flp_.Query(meas_share, Slice(proofs_share, p, flp_.proof_len()),
                                         Slice(query_rands, p, flp_.query_rand_len()),
                                         Slice(joint_rands, p, flp_.joint_rand_len()), shares_);
    if (verifier.size() != flp_.verifier_len()) {
      // The draft aborts when the query point is one the wire polynomials interpolate at.
      return Invalid("verification failed: proof " + std::to_string(p + 1) +
                     " cannot be queried at this report's query randomness");
    }
    out.share.verifiers.insert(out.share.verifiers.end(), verifier.begin(), verifier.end());
  }
  return out;
}

template <class F>
Result<Prio3VerifierMessage> Prio3<F>::VerifierSharesToMessage(
    ByteSpan ctx, const std::vector<Prio3VerifierShare<F>>& shares) const {
  Status context = CheckContext(ctx);
  if (!context.ok()) return context;
  if (shares.size() != shares_) {
    return Invalid("verifier shares: " + std::to_string(shares.size()) + ", expected " +
                   std::to_string(shares_));
  }
  const bool jr = uses_joint_rand();
  std::vector<F> verifiers(flp_.verifier_len() * proofs_);  // zeros
  std::vector<Seed> parts;
  for (size_t j = 0; j < shares.size(); ++j) {
    if (shares[j].verifiers.size() != verifiers.size()) {
      return Invalid("verifier share " + std::to_string(j) + ": " +
                     std::to_string(shares[j].verifiers.size()) + " verifier elements, expected " +
                     std::to_string(verifiers.size()));
    }
    if (shares[j].joint_rand_part.has_value() != jr) {
      return Invalid("verifier share " + std::to_string(j) +
                     (jr ? ": no joint randomness part, which this VDAF requires"
                         : ": a joint randomness part, which this VDAF does not use"));
    }
    if (!VecAdd(&verifiers, shares[j].verifiers)) return Mismatch("verifier share");  // checked
    if (jr) parts.push_back(*shares[j].joint_rand_part);
  }
  for (size_t p = 0; p < proofs_; ++p) {
    if (!flp_.Decide(Slice(verifiers, p, flp_.verifier_len()))) {
      return Invalid("verification failed: proof " + std::to_string(p + 1) + " of " +
                     std::to_string(proofs_) + " rejects the report");
    }
  }
  if (!jr) return Prio3VerifierMessage();
  return Prio3VerifierMessage(JointRandSeed(ctx, parts));
}

template <class F>
Result<std::vector<F>> Prio3<F>::VerifyNext(ByteSpan ctx, const Prio3VerifyState<F>& state,
                                            const Prio3VerifierMessage& message) const {
  if (message != state.corrected_joint_rand_seed) {
    return Invalid(
        "verification failed: the joint randomness seed of the verifier message differs from "
        "the one this aggregator computed (the public share does not match the input shares)");
  }
  return state.out_share;
}

template <class F>
std::vector<F> Prio3<F>::AggInit() const {
  return std::vector<F>(flp_.output_len());  // zeros
}

template <class F>
Status Prio3<F>::AggUpdate(std::vector<F>* agg_share, const std::vector<F>& out_share) const {
  if (agg_share->size() != flp_.output_len() || out_share.size() != flp_.output_len()) {
    return Invalid("aggregate: " + std::to_string(out_share.size()) +
                   "-element output share into a " + std::to_string(agg_share->size()) +
                   "-element aggregate share, expected " + std::to_string(flp_.output_len()));
  }
  if (!VecAdd(agg_share, out_share)) return Mismatch("aggregate share");  // checked above
  return Status::Ok();
}

template <class F>
Result<std::vector<F>> Prio3<F>::Merge(const std::vector<std::vector<F>>& agg_shares) const {
  std::vector<F> agg = AggInit();
  for (const auto& share : agg_shares) {
    Status status = AggUpdate(&agg, share);
    if (!status.ok()) return status;
  }
  return agg;
}

template <class F>
Result<std::vector<uint64_t>> Prio3<F>::Unshard(const std::vector<std::vector<F>>& agg_shares,
                                                uint64_t num_measurements) const {
  if (agg_shares.size() != shares_) {
    return Invalid("unshard: " + std::to_string(agg_shares.size()) +
                   " aggregate shares, expected " + std::to_string(shares_));
  }
  auto agg = Merge(agg_shares);
  if (!agg.ok()) return agg.status();
  return flp_.Decode(*agg, num_measurements);
}

template <class F>
size_t Prio3<F>::public_share_size() const {
  return uses_joint_rand() ? shares_ * kSeedSize : 0;
}

template <class F>
size_t Prio3<F>::input_share_size(size_t agg_id) const {
  size_t blind = uses_joint_rand() ? kSeedSize : 0;
  if (agg_id > 0) return kSeedSize + blind;
  return (flp_.meas_len() + flp_.proof_len() * proofs_) * F::kEncodedSize + blind;
}

template <class F>
size_t Prio3<F>::verifier_share_size() const {
  return flp_.verifier_len() * proofs_ * F::kEncodedSize + (uses_joint_rand() ? kSeedSize : 0);
}

template <class F>
size_t Prio3<F>::verifier_message_size() const {
  return uses_joint_rand() ? kSeedSize : 0;
}

template <class F>
size_t Prio3<F>::agg_share_size() const {
  return flp_.output_len() * F::kEncodedSize;
}

template <class F>
std::vector<uint8_t> Prio3<F>::EncodePublicShare(const Prio3PublicShare& share) const {
  std::vector<uint8_t> out;
  for (const Seed& part : share.joint_rand_parts) AppendSeed(part, &out);
  return out;
}

template <class F>
Result<Prio3PublicShare> Prio3<F>::DecodePublicShare(ByteSpan bytes) const {
  if (bytes.size != public_share_size()) {
    return SizeError("public share", bytes.size, public_share_size());
  }
  Prio3PublicShare share;
  for (size_t at = 0; at < bytes.size; at += kSeedSize) {
    share.joint_rand_parts.push_back(ReadSeed(bytes.data + at));
  }
  return share;
}

template <class F>
std::vector<uint8_t> Prio3<F>::EncodeInputShare(const Prio3InputShare<F>& share) const {
  std::vector<uint8_t> out;
  if (share.leader) {
    AppendVec(share.meas_share, &out);
    AppendVec(share.proofs_share, &out);
  } else {
    AppendSeed(share.share_seed, &out);
  }
  if (share.blind) AppendSeed(*share.blind, &out);
  return out;
}

template <class F>
Result<Prio3InputShare<F>> Prio3<F>::DecodeInputShare(size_t agg_id, ByteSpan bytes) const {
  if (agg_id >= shares_) {
    return Invalid("input share: aggregator id " + std::to_string(agg_id) + " out of range for " +
                   std::to_string(shares_) + " shares");
  }
  const std::string what = "input share of aggregator " + std::to_string(agg_id);
  if (bytes.size != input_share_size(agg_id)) {
    return SizeError(what, bytes.size, input_share_size(agg_id));
  }
  Prio3InputShare<F> share;
  const uint8_t* at = bytes.data;
  if (agg_id == 0) {
    share.leader = true;
    Status status =
        DecodeElements(at, flp_.meas_len(), what + ", measurement share", &share.meas_share);
    if (!status.ok()) return status;
    at += flp_.meas_len() * F::kEncodedSize;
    status =
        DecodeElements(at, flp_.proof_len() * proofs_, what + ", proof share", &share.proofs_share);
    if (!status.ok()) return status;
    at += flp_.proof_len() * proofs_ * F::kEncodedSize;
  } else {
    share.share_seed = ReadSeed(at);
    at += kSeedSize;
  }
  if (uses_joint_rand()) share.blind = ReadSeed(at);
  return share;
}

template <class F>
std::vector<uint8_t> Prio3<F>::EncodeVerifierShare(const Prio3VerifierShare<F>& share) const {
  std::vector<uint8_t> out = EncodeVec(share.verifiers);
  if (share.joint_rand_part) AppendSeed(*share.joint_rand_part, &out);
  return out;
}

template <class F>
Result<Prio3VerifierShare<F>> Prio3<F>::DecodeVerifierShare(ByteSpan bytes) const {
  const size_t count = flp_.verifier_len() * proofs_;
  if (bytes.size != verifier_share_size()) {
    // What the size is made of: a joint randomness part wrongly present or absent (32 bytes
    // off) is then plain from the message.
    return Invalid(SizeError("verifier share", bytes.size, verifier_share_size()).message() + " (" +
                   Grouped(count) + " verifier elements" +
                   (uses_joint_rand()
                        ? " and a " + std::to_string(kSeedSize) + "-byte joint randomness part)"
                        : "; this VDAF has no joint randomness part)"));
  }
  Prio3VerifierShare<F> share;
  Status status = DecodeElements(bytes.data, count, "verifier share", &share.verifiers);
  if (!status.ok()) return status;
  if (uses_joint_rand()) share.joint_rand_part = ReadSeed(bytes.data + count * F::kEncodedSize);
  return share;
}

template <class F>
std::vector<uint8_t> Prio3<F>::EncodeVerifierMessage(const Prio3VerifierMessage& message) const {
  std::vector<uint8_t> out;
  if (message) AppendSeed(*message, &out);
  return out;
}

template <class F>
Result<Prio3VerifierMessage> Prio3<F>::DecodeVerifierMessage(ByteSpan bytes) const {
  if (bytes.size != verifier_message_size()) {
    return SizeError("verifier message", bytes.size, verifier_message_size());
  }
  if (bytes.size == 0) return Prio3VerifierMessage();
  return Prio3VerifierMessage(ReadSeed(bytes.data));
}

template <class F>
std::vector<uint8_t> Prio3<F>::EncodeAggShare(const std::vector<F>& agg_share) const {
  return EncodeVec(agg_share);
}

template <class F>
Result<std::vector<F>> Prio3<F>::DecodeAggShare(ByteSpan bytes) const {
  return DecodeOutputVector(bytes, "aggregate share");
}

template <class F>
std::vector<uint8_t> Prio3<F>::EncodeOutShare(const std::vector<F>& out_share) const {
  return EncodeAggShare(out_share);
}

template <class F>
Result<std::vector<F>> Prio3<F>::DecodeOutShare(ByteSpan bytes) const {
  return DecodeOutputVector(bytes, "output share");
}

// An output share and an aggregate share are both output_len() elements; `what` names which.
template <class F>
Result<std::vector<F>> Prio3<F>::DecodeOutputVector(ByteSpan bytes, const char* what) const {
  if (bytes.size != agg_share_size()) return SizeError(what, bytes.size, agg_share_size());
  std::vector<F> share;
  Status status = DecodeElements(bytes.data, flp_.output_len(), what, &share);
  if (!status.ok()) return status;
  return share;
}

template class Prio3<Field64>;
template class Prio3<Field128>;

namespace {

// Wraps an Flp factory's result into a Prio3 with the draft's algorithm id.
template <class F>
Result<Prio3<F>> Make(uint32_t id, size_t num_shares, size_t num_proofs, Result<Flp<F>> flp) {
  if (!flp.ok()) return flp.status();
  return Prio3<F>::Create(id, num_shares, num_proofs, std::move(*flp));
}

}  // namespace

Result<Prio3<Field64>> MakePrio3Count(size_t num_shares) {
  return Make(0x00000001, num_shares, 1, CountFlp());
}

Result<Prio3<Field64>> MakePrio3Sum(size_t num_shares, uint64_t max_measurement) {
  return Make(0x00000002, num_shares, 1, SumFlp(max_measurement));
}

Result<Prio3<Field128>> MakePrio3SumVec(size_t num_shares, size_t length, uint64_t max_measurement,
                                        size_t chunk_length) {
  return Make(0x00000003, num_shares, 1,
              SumVecFlp<Field128>(length, max_measurement, chunk_length));
}

Result<Prio3<Field128>> MakePrio3Histogram(size_t num_shares, size_t length, size_t chunk_length) {
  return Make(0x00000004, num_shares, 1, HistogramFlp(length, chunk_length));
}

size_t HistogramChunkLength(size_t length) {
  // The proof holds 2 * chunk wire seeds plus a gadget polynomial whose degree grows with
  // length / chunk, so the smallest is near sqrt(length); past 3 * (sqrt(length) + 1) the wire
  // seeds alone outweigh the proof at chunk = ceil(sqrt(length)).
  if (!HistogramFlp(length, 1).ok()) return 0;  // a length the FLP refuses
  size_t root = 1;
  while (root * root < length) ++root;  // no overflow: the FLP bounds the length
  const size_t last = std::min(length, 3 * (root + 1));
  size_t best = 0, best_len = 0;
  for (size_t chunk = 1; chunk <= last; ++chunk) {
    Result<Flp<Field128>> flp = HistogramFlp(length, chunk);
    if (flp.ok() && (best == 0 || flp->proof_len() < best_len)) {
      best = chunk;
      best_len = flp->proof_len();
    }
  }
  return best;
}

Result<Prio3<Field128>> MakePrio3MultihotCountVec(size_t num_shares, size_t length,
                                                  size_t max_weight, size_t chunk_length) {
  return Make(0x00000005, num_shares, 1, MultihotCountVecFlp(length, max_weight, chunk_length));
}

Result<Prio3<Field64>> MakePrio3SumVecWithMultiproof(size_t num_shares, size_t num_proofs,
                                                     size_t length, uint64_t max_measurement,
                                                     size_t chunk_length) {
  return Make(0xFFFFFFFF, num_shares, num_proofs,
              SumVecFlp<Field64>(length, max_measurement, chunk_length));
}

Result<Prio3<Field64>> MakePrio3HigherDegree(size_t num_shares) {
  return Make(0xFFFFFFFF, num_shares, 1, HigherDegreeFlp());
}

}  // namespace nazar::prio3
