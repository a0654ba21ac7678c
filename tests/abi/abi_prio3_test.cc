// nazar_prio3_histogram_shard, called as a page would: the shares it returns are handed to two
// (or three) aggregators run with nazar::prio3, which must recover exactly the measurement. The
// share sizes are worked by hand from the draft's formulas (draft-irtf-cfrg-vdaf-20, Prio3 and
// the FLP's proof length), not read from the code.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "../core/prio3_test_util.h"
#include "nazar/json.h"
#include "nazar/prio3/prio3.h"
#include "nazar_abi.h"

namespace {

using nazar::Json;
namespace prio3 = nazar::prio3;

Json SlotJson() {
  return Json::parse(std::string(nazar_response_data(), nazar_response_size()), nullptr, false);
}

int Shard(const Json& request) {
  const std::string text = request.dump();
  char* buf = static_cast<char*>(nazar_alloc(text.size()));
  std::copy(text.begin(), text.end(), buf);
  const int status = nazar_prio3_histogram_shard(buf, text.size());
  nazar_free(buf);
  return status;
}

// Runs the aggregators on one report and unshards it alone: *histogram is that measurement's
// histogram. Stops at the first step that fails (a fatal failure: callers wrap the call in
// ASSERT_NO_FATAL_FAILURE), so a regression reports instead of dereferencing an error.
void Aggregate(const prio3::Prio3<prio3::Field128>& vdaf, const Json& shards,
               const std::vector<uint8_t>& ctx, std::vector<uint64_t>* histogram) {
  const std::vector<uint8_t> verify_key(prio3::kVerifyKeySize, 7);
  const std::vector<uint8_t> nonce = prio3::HexBytes(shards["nonce"].get<std::string>());
  auto public_share =
      vdaf.DecodePublicShare(prio3::HexBytes(shards["public_share"].get<std::string>()));
  ASSERT_TRUE(public_share.ok()) << public_share.status().message();
  std::vector<prio3::Prio3VerifyState<prio3::Field128>> states;
  std::vector<prio3::Prio3VerifierShare<prio3::Field128>> verifier_shares;
  for (size_t agg = 0; agg < vdaf.num_shares(); ++agg) {
    auto input =
        vdaf.DecodeInputShare(agg, prio3::HexBytes(shards["input_shares"][agg].get<std::string>()));
    ASSERT_TRUE(input.ok()) << input.status().message();
    auto init = vdaf.VerifyInit(verify_key, ctx, agg, nonce, *public_share, *input);
    ASSERT_TRUE(init.ok()) << init.status().message();
    states.push_back(init->state);
    verifier_shares.push_back(init->share);
  }
  auto message = vdaf.VerifierSharesToMessage(ctx, verifier_shares);
  ASSERT_TRUE(message.ok()) << message.status().message();
  std::vector<std::vector<prio3::Field128>> agg_shares;
  for (const auto& state : states) {
    auto out = vdaf.VerifyNext(ctx, state, *message);
    ASSERT_TRUE(out.ok()) << out.status().message();
    std::vector<prio3::Field128> agg = vdaf.AggInit();
    ASSERT_TRUE(vdaf.AggUpdate(&agg, *out).ok());
    agg_shares.push_back(agg);
  }
  auto result = vdaf.Unshard(agg_shares, 1);
  ASSERT_TRUE(result.ok()) << result.status().message();
  *histogram = *result;
}

TEST(AbiPrio3, HistogramSharesRecoverTheMeasurementAtTheAggregators) {
  const std::vector<uint8_t> ctx = {'n', 'a', 'z', 'a', 'r'};
  for (int shares : {2, 3}) {
    auto vdaf = prio3::MakePrio3Histogram(shares, 11, 3);
    ASSERT_TRUE(vdaf.ok());
    for (int bucket : {0, 9, 10}) {
      ASSERT_EQ(Shard({{"length", 11},
                       {"chunk_length", 3},
                       {"shares", shares},
                       {"measurement", bucket},
                       {"ctx", "6e617a6172"}}),
                NAZAR_OK)
          << SlotJson().dump();
      const Json shards = SlotJson();
      ASSERT_EQ(shards["input_shares"].size(), static_cast<size_t>(shares));
      std::vector<uint64_t> expected(11, 0);
      expected[bucket] = 1;
      std::vector<uint64_t> histogram;
      ASSERT_NO_FATAL_FAILURE(Aggregate(*vdaf, shards, ctx, &histogram)) << "bucket " << bucket;
      EXPECT_EQ(histogram, expected) << "bucket " << bucket;
    }
  }
}

TEST(AbiPrio3, ShareSizesFollowTheDraftsFormulas) {
  // Histogram(11, chunk 3) over Field128 (16 bytes): one ParallelSum(Mul, 3) gadget of arity 6
  // called ceil(11 / 3) = 4 times; its polynomial has degree 2 * (next_pow2(4 + 1) - 1) = 14,
  // so PROOF_LEN = 6 + 14 + 1 = 21. Leader: (MEAS_LEN 11 + 21) * 16 + a 32-byte blind = 544.
  // Helper: a 32-byte share seed + a 32-byte blind. Public share: a 32-byte part per aggregator.
  ASSERT_EQ(Shard({{"length", 11},
                   {"chunk_length", 3},
                   {"measurement", 4},
                   {"nonce", "000102030405060708090a0b0c0d0e0f"}}),
            NAZAR_OK);
  const Json shards = SlotJson();
  EXPECT_EQ(shards["nonce"], "000102030405060708090a0b0c0d0e0f");  // given, not drawn
  EXPECT_EQ(shards["public_share"].get<std::string>().size(), 2u * 2 * 32);
  ASSERT_EQ(shards["input_shares"].size(), 2u);  // "shares" defaults to 2
  EXPECT_EQ(shards["input_shares"][0].get<std::string>().size(), 2u * 544);
  EXPECT_EQ(shards["input_shares"][1].get<std::string>().size(), 2u * 64);
  EXPECT_EQ(shards["chunk_length"], 3);  // as asked
  // Without a chunk length, the core picks the one with the smallest proof: 4 for 11 buckets
  // (PROOF_LEN 8 + 2 * (next_pow2(3 + 1) - 1) + 1 = 15 against 21 at chunk 3, 17 at 5), so the
  // leader's share is (11 + 15) * 16 + 32 = 448 bytes.
  ASSERT_EQ(Shard({{"length", 11}, {"measurement", 4}}), NAZAR_OK);
  EXPECT_EQ(SlotJson()["chunk_length"], 4);
  EXPECT_EQ(SlotJson()["input_shares"][0].get<std::string>().size(), 2u * 448);
  // Randomness comes from the platform: the same measurement never gives the same shares.
  ASSERT_EQ(Shard({{"length", 11}, {"chunk_length", 3}, {"measurement", 4}}), NAZAR_OK);
  const Json again = SlotJson();
  EXPECT_NE(again["input_shares"][1], shards["input_shares"][1]);
  EXPECT_EQ(again["nonce"].get<std::string>().size(), 32u);  // drawn: 16 bytes
  EXPECT_NE(again["nonce"], shards["nonce"]);
}

TEST(AbiPrio3, BadRequestsNameWhatIsWrong) {
  struct Case {
    std::string request;
    std::string message_part;
  };
  const std::vector<Case> cases = {
      {"[1]", "expected an object"},
      {"{\"chunk_length\":3,\"measurement\":1}", "/length"},
      {"{\"length\":11,\"chunk_length\":3,\"measurement\":1,\"shares\":1}", "/shares"},
      {"{\"length\":11,\"chunk_length\":3,\"measurement\":-1}", "/measurement"},
      {"{\"length\":11,\"chunk_length\":3,\"measurement\":11}", "bucket 11"},
      {"{\"length\":11,\"chunk_length\":3,\"measurement\":1,\"ctx\":\"abc\"}",
       "/ctx: an odd number of hex digits (3)"},
      {"{\"length\":11,\"chunk_length\":3,\"measurement\":1,\"ctx\":\"zz\"}",
       "/ctx: not a hex digit at offset 0"},
      {"{\"length\":11,\"chunk_length\":3,\"measurement\":1,\"ctx\":\"00aZ\"}",
       "/ctx: not a hex digit at offset 3"},
      {"{\"length\":11,\"chunk_length\":3,\"measurement\":1,\"nonce\":\"00\"}", "nonce"},
      {"{\"length\":11,\"chunk_length\":3,\"measurement\":1,\"ctx\":5}", "/ctx: expected"},
      // Sizes a page could ask for that would take the module's memory and minutes: refused by
      // the core's bounds at once, the default chunk length included.
      {"{\"length\":1048576,\"chunk_length\":1,\"measurement\":0}", "exceeds 4096"},
      {"{\"length\":4294967295,\"measurement\":0}", "exceeds 4096"},
      {"{\"length\":11,\"chunk_length\":65536,\"measurement\":0}",
       "chunk_length must be in [1, 11]"},
      {"{\"length\":11,\"chunk_length\":0,\"measurement\":0}", "chunk_length must be in [1, 11]"},
      {"{\"length\":0,\"measurement\":0}", "/length: expected a whole number from 1 to 4294967295"},
      {"{\"length\":11,", "not valid JSON"},
  };
  for (const Case& c : cases) {
    char* buf = static_cast<char*>(nazar_alloc(c.request.size()));
    std::copy(c.request.begin(), c.request.end(), buf);
    const int status = nazar_prio3_histogram_shard(buf, c.request.size());
    nazar_free(buf);
    EXPECT_EQ(status, NAZAR_INVALID_ARGUMENT) << c.request;
    const Json slot = SlotJson();
    EXPECT_EQ(slot.value("code", ""), "invalid_argument") << c.request;
    EXPECT_NE(slot.value("message", "").find(c.message_part), std::string::npos)
        << c.request << " -> " << slot.value("message", "");
  }
}

}  // namespace
