// Prio3 (nazar::prio3): the XOF against published vectors, every VDAF end to end over the wire
// encodings with random measurements (2 and 3 aggregators) against sums computed directly, and
// malformed or tampered shares rejected with errors that say what and where. The byte-exact
// official vectors run in nazar-vdaf-test (ctest vdaf_vectors).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fake_host.h"
#include "nazar/hex.h"
#include "nazar/prio3/prio3.h"

namespace nazar::prio3 {
namespace {

std::vector<uint8_t> Text(const std::string& text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

// RFC 9861, section 5: TurboSHAKE128 of the empty message with D = 0x1F, the first 64 bytes,
// and the last 32 of 10,032 (many blocks squeezed).
TEST(TurboShake128Test, MatchesRfc9861EmptyMessage) {
  TurboShake128 sponge(0x1F);
  std::vector<uint8_t> out(64);
  sponge.Squeeze(out.data(), out.size());
  EXPECT_EQ(ToHex(out.data(), out.size()),
            "1e415f1c5983aff2169217277d17bb538cd945a397ddec541f1ce41af2c1b74c"
            "3e8ccae2a4dae56c84a04c2385c03c15e8193bdf58737363321691c05462c8df");
  TurboShake128 long_sponge(0x1F);
  std::vector<uint8_t> long_out(10032);
  long_sponge.Squeeze(long_out.data(), 5000);  // in two pieces: the stream continues
  long_sponge.Squeeze(long_out.data() + 5000, 10032 - 5000);
  EXPECT_EQ(ToHex(long_out.data() + 10000, 32),
            "a3b9b0385900ce761f22aed548e754da10a5242d62e8c658e3f3a923a7555607");
}

// XofTurboShake128.json of draft-irtf-cfrg-vdaf-20, written out here by hand.
TEST(XofTurboShake128Test, MatchesDraftVector) {
  std::vector<uint8_t> seed(32);
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(i);
  std::vector<uint8_t> dst = Text("domain separation tag");
  std::vector<uint8_t> binder = Text("binder string");
  Seed derived = XofTurboShake128::DeriveSeed(seed, dst, binder);
  EXPECT_EQ(ToHex(derived.data(), derived.size()),
            "b62ef0a2778190792d4d42d8c167ba20e0c37a3f319ba79645829c427d70eea5");
  std::vector<Field128> vec = XofTurboShake128::ExpandIntoVec<Field128>(seed, dst, binder, 40);
  ASSERT_EQ(vec.size(), 40u);
  uint8_t first[16], middle[16], last[16];
  vec[0].Encode(first);
  vec[20].Encode(middle);
  vec[39].Encode(last);
  EXPECT_EQ(ToHex(first, 16), "b62ef0a2778190792d4d42d8c167ba20");
  EXPECT_EQ(ToHex(middle, 16), "db64ea31e6ab44540a52a8d3399d64a0");
  EXPECT_EQ(ToHex(last, 16), "fb9fcd02cea38089f239f68404814973");
}

const std::vector<uint8_t> kCtx = Text("nazar test");

std::vector<uint8_t> RandomBytes(Host& host, size_t size) {
  std::vector<uint8_t> out(size);
  host.FillRandom(out.data(), out.size());
  return out;
}

// Runs `measurements` through every step as separate parties would, each message through its
// wire encoding, and returns the aggregate result.
template <class F>
std::vector<uint64_t> RunOverWire(const Prio3<F>& vdaf,
                                  const std::vector<std::vector<uint64_t>>& measurements,
                                  Host& host) {
  const size_t n = vdaf.num_shares();
  std::vector<uint8_t> verify_key = RandomBytes(host, kVerifyKeySize);
  std::vector<std::vector<F>> agg_shares(n, vdaf.AggInit());
  for (const auto& measurement : measurements) {
    std::vector<uint8_t> nonce = RandomBytes(host, kNonceSize);
    auto shards = vdaf.Shard(kCtx, measurement, nonce, host);
    EXPECT_TRUE(shards.ok()) << shards.status().message();
    if (!shards.ok()) return {};
    std::vector<uint8_t> public_bytes = vdaf.EncodePublicShare(shards->public_share);
    EXPECT_EQ(public_bytes.size(), vdaf.public_share_size());
    std::vector<Prio3VerifyState<F>> states;
    std::vector<Prio3VerifierShare<F>> verifier_shares;
    for (size_t j = 0; j < n; ++j) {
      std::vector<uint8_t> input_bytes = vdaf.EncodeInputShare(shards->input_shares[j]);
      EXPECT_EQ(input_bytes.size(), vdaf.input_share_size(j));
      auto public_share = vdaf.DecodePublicShare(public_bytes);
      auto input_share = vdaf.DecodeInputShare(j, input_bytes);
      EXPECT_TRUE(public_share.ok() && input_share.ok());
      if (!public_share.ok() || !input_share.ok()) return {};
      auto verification = vdaf.VerifyInit(verify_key, kCtx, j, nonce, *public_share, *input_share);
      EXPECT_TRUE(verification.ok()) << verification.status().message();
      if (!verification.ok()) return {};
      auto share = vdaf.DecodeVerifierShare(vdaf.EncodeVerifierShare(verification->share));
      EXPECT_TRUE(share.ok());
      if (!share.ok()) return {};
      states.push_back(verification->state);
      verifier_shares.push_back(*share);
    }
    auto message = vdaf.VerifierSharesToMessage(kCtx, verifier_shares);
    EXPECT_TRUE(message.ok()) << message.status().message();
    if (!message.ok()) return {};
    auto decoded_message = vdaf.DecodeVerifierMessage(vdaf.EncodeVerifierMessage(*message));
    EXPECT_TRUE(decoded_message.ok());
    for (size_t j = 0; j < n; ++j) {
      auto out_share = vdaf.VerifyNext(kCtx, states[j], *decoded_message);
      EXPECT_TRUE(out_share.ok()) << out_share.status().message();
      if (!out_share.ok()) return {};
      auto decoded = vdaf.DecodeOutShare(vdaf.EncodeOutShare(*out_share));
      EXPECT_TRUE(decoded.ok());
      EXPECT_TRUE(vdaf.AggUpdate(&agg_shares[j], *decoded).ok());
    }
  }
  std::vector<std::vector<F>> received;
  for (const auto& share : agg_shares) {
    auto decoded = vdaf.DecodeAggShare(vdaf.EncodeAggShare(share));
    EXPECT_TRUE(decoded.ok());
    received.push_back(*decoded);
  }
  auto result = vdaf.Unshard(received, measurements.size());
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? *result : std::vector<uint64_t>();
}

// Element-wise sums of vector measurements: the expected result of SumVec and MultihotCountVec.
std::vector<uint64_t> Sums(const std::vector<std::vector<uint64_t>>& measurements, size_t length) {
  std::vector<uint64_t> sums(length, 0);
  for (const auto& m : measurements) {
    for (size_t i = 0; i < length; ++i) sums[i] += m[i];
  }
  return sums;
}

class Prio3RoundTripTest : public ::testing::TestWithParam<size_t> {};

TEST_P(Prio3RoundTripTest, CountAndSum) {
  const size_t shares = GetParam();
  FakeHost host(0, 100 + shares);
  std::vector<std::vector<uint64_t>> bits, values;
  uint64_t ones = 0, total = 0;
  for (int i = 0; i < 12; ++i) {
    uint64_t bit = host.RandomBelow(2), value = host.RandomBelow(1338);
    bits.push_back({bit});
    values.push_back({value});
    ones += bit;
    total += value;
  }
  auto count = MakePrio3Count(shares);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(RunOverWire(*count, bits, host), std::vector<uint64_t>{ones});
  auto sum = MakePrio3Sum(shares, 1337);
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(RunOverWire(*sum, values, host), std::vector<uint64_t>{total});
  // The draft's test-only degree-3 circuit: measurements 0, 1 or 2.
  std::vector<std::vector<uint64_t>> trits;
  uint64_t trit_total = 0;
  for (int i = 0; i < 8; ++i) {
    trits.push_back({host.RandomBelow(3)});
    trit_total += trits.back()[0];
  }
  auto higher = MakePrio3HigherDegree(shares);
  ASSERT_TRUE(higher.ok());
  EXPECT_EQ(RunOverWire(*higher, trits, host), std::vector<uint64_t>{trit_total});
}

TEST_P(Prio3RoundTripTest, HistogramOfNpsAnswers) {
  const size_t shares = GetParam();
  FakeHost host(0, 200 + shares);
  std::vector<std::vector<uint64_t>> answers;
  std::vector<uint64_t> counts(11, 0);
  for (int i = 0; i < 20; ++i) {
    uint64_t answer = host.RandomBelow(11);
    answers.push_back({answer});
    ++counts[answer];
  }
  auto histogram = MakePrio3Histogram(shares, 11, 3);
  ASSERT_TRUE(histogram.ok());
  EXPECT_EQ(RunOverWire(*histogram, answers, host), counts);
}

TEST_P(Prio3RoundTripTest, SumVecMultihotAndMultiproof) {
  const size_t shares = GetParam();
  FakeHost host(0, 300 + shares);
  std::vector<std::vector<uint64_t>> vectors, multihot;
  for (int i = 0; i < 6; ++i) {
    std::vector<uint64_t> v, hot(7, 0);
    for (int k = 0; k < 5; ++k) v.push_back(host.RandomBelow(256));
    hot[host.RandomBelow(7)] = 1;  // one or two set entries, max_weight 2
    hot[host.RandomBelow(7)] = 1;
    vectors.push_back(v);
    multihot.push_back(hot);
  }
  auto sum_vec = MakePrio3SumVec(shares, 5, 255, 3);
  ASSERT_TRUE(sum_vec.ok());
  EXPECT_EQ(RunOverWire(*sum_vec, vectors, host), Sums(vectors, 5));
  auto multiproof = MakePrio3SumVecWithMultiproof(shares, 3, 5, 255, 3);
  ASSERT_TRUE(multiproof.ok());
  EXPECT_EQ(multiproof->num_proofs(), 3u);
  EXPECT_EQ(RunOverWire(*multiproof, vectors, host), Sums(vectors, 5));
  auto hot = MakePrio3MultihotCountVec(shares, 7, 2, 3);
  ASSERT_TRUE(hot.ok());
  EXPECT_EQ(RunOverWire(*hot, multihot, host), Sums(multihot, 7));
}

INSTANTIATE_TEST_SUITE_P(Shares, Prio3RoundTripTest, ::testing::Values(2, 3));

// Proof lengths of ParallelSum(Mul, c) over L buckets, worked by hand: 2c wire seeds plus a
// gadget polynomial of degree 2 * (next_pow2(ceil(L / c) + 1) - 1), plus one. L = 11: c = 3 gives
// 6 + 14 + 1 = 21, c = 4 gives 8 + 6 + 1 = 15, c = 5 gives 10 + 6 + 1 = 17. L = 5: c = 2 gives
// 4 + 6 + 1 = 11, c = 3 gives 13. L = 7: c = 3 gives 6 + 6 + 1 = 13, c = 4 gives 15, c = 2 gives
// 19. L = 1: only c = 1. L = 100: c = 10 gives 20 + 2 * 15 + 1 = 51, c = 9 (12 calls) 18 + 30 +
// 1 = 49, c = 13 (8 calls) 26 + 30 + 1 = 57, c = 7 (15 calls) 14 + 30 + 1 = 45, c = 6 (17
// calls) 12 + 62 + 1 = 75, c = 15 (7 calls) 30 + 14 + 1 = 45 again: the smaller, 7.
TEST(Prio3Test, HistogramChunkLengthMakesTheSmallestProof) {
  EXPECT_EQ(HistogramChunkLength(11), 4u);
  EXPECT_EQ(HistogramChunkLength(5), 2u);
  EXPECT_EQ(HistogramChunkLength(7), 3u);
  EXPECT_EQ(HistogramChunkLength(1), 1u);
  EXPECT_EQ(HistogramChunkLength(100), 7u);
  EXPECT_EQ(HistogramChunkLength(0), 0u);  // no histogram has no buckets
}

TEST(Prio3Test, RejectsBadParametersAndMeasurements) {
  // 512 values of 8 bits at chunk 1: 4,096 gadget calls, so a proof of 2 + 2 * (8,192 - 1) + 1 =
  // 16,385 Field64 elements; 255 of them and the measurement take (4,096 + 255 * 16,385) * 8 =
  // 33,458,168 bytes, over the 16 MiB bound (which 127 proofs, 16,679,928 bytes, stay under).
  EXPECT_EQ(MakePrio3SumVecWithMultiproof(2, 255, 512, 255, 1).status().message(),
            "Prio3: the leader's input share would take 33,458,168 bytes, more than 16,777,216");
  EXPECT_TRUE(MakePrio3SumVecWithMultiproof(2, 127, 512, 255, 1).ok());
  EXPECT_FALSE(MakePrio3Histogram(1, 11, 3).ok());
  EXPECT_FALSE(MakePrio3Histogram(256, 11, 3).ok());
  EXPECT_FALSE(MakePrio3SumVecWithMultiproof(2, 0, 5, 255, 3).ok());
  auto vdaf = MakePrio3Histogram(2, 11, 3);
  ASSERT_TRUE(vdaf.ok());
  FakeHost host;
  std::vector<uint8_t> nonce(kNonceSize, 7);
  EXPECT_FALSE(vdaf->Shard(kCtx, {11}, nonce, host).ok());  // bucket 11 of 0..10
  auto short_nonce = vdaf->Shard(kCtx, {3}, std::vector<uint8_t>(15), host);
  ASSERT_FALSE(short_nonce.ok());
  EXPECT_EQ(short_nonce.status().message(), "nonce: 15 bytes, expected 16");
  auto short_rand = vdaf->Shard(kCtx, {3}, nonce, std::vector<uint8_t>(127));
  ASSERT_FALSE(short_rand.ok());
  // Two seeds (share, blind) per helper, then the leader's blind and the prove seed: 4 x 32.
  EXPECT_EQ(short_rand.status().message(), "shard randomness: 127 bytes, expected 128");
}

// Prio3Histogram(2, length 4, chunk 2), as in the draft's Prio3Histogram_0.json: a leader input
// share is 16 x (4 measurement + 11 proof elements) + a 32-byte blind = 272 bytes.
class Prio3MalformedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = MakePrio3Histogram(2, 4, 2);
    ASSERT_TRUE(made.ok());
    vdaf_.emplace(std::move(*made));
    auto shards = vdaf_->Shard(kCtx, {2}, nonce_, host_);
    ASSERT_TRUE(shards.ok());
    shards_ = *shards;
    leader_ = vdaf_->EncodeInputShare(shards_.input_shares[0]);
    helper_ = vdaf_->EncodeInputShare(shards_.input_shares[1]);
  }

  // Runs verification of (possibly altered) wire shares; the first error, or "" when accepted.
  std::string Verify(const std::vector<uint8_t>& public_bytes,
                     const std::vector<std::vector<uint8_t>>& inputs) {
    auto public_share = vdaf_->DecodePublicShare(public_bytes);
    if (!public_share.ok()) return public_share.status().message();
    std::vector<Prio3VerifyState<Field128>> states;
    std::vector<Prio3VerifierShare<Field128>> shares;
    for (size_t j = 0; j < inputs.size(); ++j) {
      auto input = vdaf_->DecodeInputShare(j, inputs[j]);
      if (!input.ok()) return input.status().message();
      auto verification = vdaf_->VerifyInit(key_, kCtx, j, nonce_, *public_share, *input);
      if (!verification.ok()) return verification.status().message();
      states.push_back(verification->state);
      shares.push_back(verification->share);
    }
    auto message = vdaf_->VerifierSharesToMessage(kCtx, shares);
    if (!message.ok()) return message.status().message();
    for (const auto& state : states) {
      auto out = vdaf_->VerifyNext(kCtx, state, *message);
      if (!out.ok()) return out.status().message();
    }
    return "";
  }

  FakeHost host_{0, 42};
  std::vector<uint8_t> nonce_ = std::vector<uint8_t>(kNonceSize, 1);
  std::vector<uint8_t> key_ = std::vector<uint8_t>(kVerifyKeySize, 2);
  std::optional<Prio3<Field128>> vdaf_;
  Prio3Shards<Field128> shards_;
  std::vector<uint8_t> leader_, helper_;
};

TEST_F(Prio3MalformedTest, HonestReportIsAccepted) {
  EXPECT_EQ(leader_.size(), 272u);
  EXPECT_EQ(helper_.size(), 64u);
  EXPECT_EQ(Verify(vdaf_->EncodePublicShare(shards_.public_share), {leader_, helper_}), "");
}

TEST_F(Prio3MalformedTest, InputShareOfWrongLengthIsAnError) {
  std::vector<uint8_t> truncated(leader_.begin(), leader_.end() - 1);
  auto decoded = vdaf_->DecodeInputShare(0, truncated);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(), "input share of aggregator 0: 271 bytes, expected 272");
  std::vector<uint8_t> longer = helper_;
  longer.push_back(0);
  decoded = vdaf_->DecodeInputShare(1, longer);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(), "input share of aggregator 1: 65 bytes, expected 64");
  EXPECT_FALSE(vdaf_->DecodeInputShare(0, {}).ok());
}

TEST_F(Prio3MalformedTest, FieldElementEqualToTheModulusIsAnError) {
  // p = 2^128 - 28 * 2^64 + 1, little-endian: 01 00 .. 00 | e4 ff .. ff.
  std::vector<uint8_t> bad = leader_;
  const uint8_t p[16] = {1, 0, 0, 0, 0, 0, 0, 0, 0xe4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  std::copy(p, p + 16, bad.begin() + 16 * 5);  // proof element 1 (after 4 measurement elements)
  auto decoded = vdaf_->DecodeInputShare(0, bad);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(),
            "input share of aggregator 0, proof share: element 1 is not below the field modulus");
  bad[16 * 5] = 0;  // p - 1 is a field element
  EXPECT_TRUE(vdaf_->DecodeInputShare(0, bad).ok());
}

TEST_F(Prio3MalformedTest, WrongAggregatorIdIsAnError) {
  auto out_of_range = vdaf_->DecodeInputShare(2, helper_);
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.status().message(),
            "input share: aggregator id 2 out of range for 2 shares");
  // A helper's share read as the leader's: the length says it is not one.
  EXPECT_FALSE(vdaf_->DecodeInputShare(0, helper_).ok());
  // A decoded leader share given to verify_init as aggregator 1.
  auto public_share = vdaf_->DecodePublicShare(vdaf_->EncodePublicShare(shards_.public_share));
  ASSERT_TRUE(public_share.ok());
  auto swapped = vdaf_->VerifyInit(key_, kCtx, 1, nonce_, *public_share, shards_.input_shares[0]);
  ASSERT_FALSE(swapped.ok());
  EXPECT_EQ(swapped.status().message(), "input share for aggregator 1 is a leader share");
}

TEST_F(Prio3MalformedTest, OtherMessagesOfWrongLengthAreErrors) {
  std::vector<uint8_t> public_bytes = vdaf_->EncodePublicShare(shards_.public_share);
  public_bytes.pop_back();
  auto public_share = vdaf_->DecodePublicShare(public_bytes);
  ASSERT_FALSE(public_share.ok());
  EXPECT_EQ(public_share.status().message(), "public share: 63 bytes, expected 64");
  auto verifier_share = vdaf_->DecodeVerifierShare(std::vector<uint8_t>(129));
  ASSERT_FALSE(verifier_share.ok());
  EXPECT_EQ(verifier_share.status().message(),
            "verifier share: 129 bytes, expected 128 (6 verifier elements and a 32-byte joint "
            "randomness part)");
  std::vector<uint8_t> all_ones(128, 0xff);  // every element >= p
  verifier_share = vdaf_->DecodeVerifierShare(all_ones);
  ASSERT_FALSE(verifier_share.ok());
  EXPECT_EQ(verifier_share.status().message(),
            "verifier share: element 0 is not below the field modulus");
  EXPECT_FALSE(vdaf_->DecodeVerifierMessage(std::vector<uint8_t>(31)).ok());
  // Output and aggregate shares: 4 Field128 elements, one per bucket; each names itself.
  auto agg_share = vdaf_->DecodeAggShare(std::vector<uint8_t>(65));
  ASSERT_FALSE(agg_share.ok());
  EXPECT_EQ(agg_share.status().message(), "aggregate share: 65 bytes, expected 64");
  auto out_share = vdaf_->DecodeOutShare(std::vector<uint8_t>(63));
  ASSERT_FALSE(out_share.ok());
  EXPECT_EQ(out_share.status().message(), "output share: 63 bytes, expected 64");
  out_share = vdaf_->DecodeOutShare(std::vector<uint8_t>(64, 0xff));
  ASSERT_FALSE(out_share.ok());
  EXPECT_EQ(out_share.status().message(), "output share: element 0 is not below the field modulus");
}

// A verifier share's joint randomness part wrongly present or absent is named as such. Prio3Count
// has no joint randomness: 4 verifier elements (the Mul gadget's 2 inputs, its output, the
// circuit's output) of 8 bytes; Histogram(4, 2) has 6 elements and a 32-byte part.
TEST_F(Prio3MalformedTest, VerifierShareNamesAMisplacedJointRandomnessPart) {
  auto count = MakePrio3Count(2);
  ASSERT_TRUE(count.ok());
  auto decoded = count->DecodeVerifierShare(std::vector<uint8_t>(64));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message(),
            "verifier share: 64 bytes, expected 32 (4 verifier elements; this VDAF has no joint "
            "randomness part)");
  Prio3VerifierShare<Field64> plain;
  plain.verifiers.assign(4, Field64());
  Prio3VerifierShare<Field64> with_part = plain;
  with_part.joint_rand_part = Seed{};
  auto message = count->VerifierSharesToMessage(kCtx, {plain, with_part});
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().message(),
            "verifier share 1: a joint randomness part, which this VDAF does not use");
  Prio3VerifierShare<Field128> no_part;
  no_part.verifiers.assign(6, Field128());
  auto histogram = vdaf_->VerifierSharesToMessage(kCtx, {no_part, no_part});
  ASSERT_FALSE(histogram.ok());
  EXPECT_EQ(histogram.status().message(),
            "verifier share 0: no joint randomness part, which this VDAF requires");
}

TEST_F(Prio3MalformedTest, TamperedSharesFailVerification) {
  const std::vector<uint8_t> public_bytes = vdaf_->EncodePublicShare(shards_.public_share);
  std::vector<uint8_t> helper = helper_;
  helper[0] ^= 1;  // the helper's measurement and proof seed
  EXPECT_NE(Verify(public_bytes, {leader_, helper}), "");
  helper = helper_;
  helper[32] ^= 1;  // the helper's joint randomness blind
  EXPECT_NE(Verify(public_bytes, {leader_, helper}), "");
  std::vector<uint8_t> leader = leader_;
  leader[0] ^= 1;  // the leader's first measurement element
  EXPECT_NE(Verify(public_bytes, {leader, helper_}), "");
  std::vector<uint8_t> tampered_public = public_bytes;
  tampered_public[0] ^= 1;  // the leader's joint randomness part
  std::string error = Verify(tampered_public, {leader_, helper_});
  EXPECT_NE(error, "");
}

TEST(Prio3CountTest, TamperedHelperSeedIsRejectedByTheProof) {
  auto vdaf = MakePrio3Count(2);
  ASSERT_TRUE(vdaf.ok());
  FakeHost host(0, 9);
  std::vector<uint8_t> nonce(kNonceSize, 3), key(kVerifyKeySize, 4);
  auto shards = vdaf->Shard(kCtx, {1}, nonce, host);
  ASSERT_TRUE(shards.ok());
  Prio3InputShare<Field64> helper = shards->input_shares[1];
  helper.share_seed[0] ^= 1;
  std::vector<Prio3VerifierShare<Field64>> shares;
  for (size_t j = 0; j < 2; ++j) {
    auto v = vdaf->VerifyInit(key, kCtx, j, nonce, shards->public_share,
                              j == 0 ? shards->input_shares[0] : helper);
    ASSERT_TRUE(v.ok());
    shares.push_back(v->share);
  }
  auto message = vdaf->VerifierSharesToMessage(kCtx, shares);
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.status().message(), "verification failed: proof 1 of 1 rejects the report");
}

}  // namespace
}  // namespace nazar::prio3
