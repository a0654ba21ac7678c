// Prio3Histogram end to end, as DAP would run it: 1,000 NPS answers (0..10) are each split by
// the "browser" into two input shares; a leader and a helper each verify their share of every
// report together (exchanging only verifier shares) and add up their output shares; a collector
// adds the two aggregate shares and gets the exact histogram. One aggregator's sum alone is
// random field elements. Then the sizes and native timings for NPS, CSAT and CES scales.
//
//   nazar_prio3_example
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "nazar/platform_host.h"
#include "nazar/prio3/prio3.h"

namespace {

using nazar::prio3::Field128;
using nazar::prio3::Prio3;
using Bytes = std::vector<uint8_t>;

const Bytes kCtx = {'n', 'a', 'z', 'a', 'r', ' ', 'n', 'p', 's'};

// What the client uploads: the nonce and public share go to both, each input share to one.
struct Report {
  Bytes nonce;
  Bytes public_share;
  Bytes input_share[2];
};

// One aggregator: decodes its input shares, verifies with the other (through `peer`'s verifier
// shares), and adds up the output shares of the reports that pass.
class Aggregator {
 public:
  Aggregator(const Prio3<Field128>& vdaf, size_t id, Bytes verify_key)
      : vdaf_(vdaf), id_(id), key_(std::move(verify_key)), agg_share_(vdaf.AggInit()) {}

  // verify_init: returns the verifier share to send to the other aggregator.
  bool Start(const Report& report, Bytes* verifier_share) {
    auto public_share = vdaf_.DecodePublicShare(report.public_share);
    auto input = vdaf_.DecodeInputShare(id_, report.input_share[id_]);
    if (!public_share.ok() || !input.ok()) return false;
    auto verification = vdaf_.VerifyInit(key_, kCtx, id_, report.nonce, *public_share, *input);
    if (!verification.ok()) return false;
    state_ = verification->state;
    *verifier_share = vdaf_.EncodeVerifierShare(verification->share);
    return true;
  }

  // verifier_shares_to_message and verify_next on both verifier shares (leader's first).
  bool Finish(const Bytes& leader_share, const Bytes& helper_share) {
    std::vector<nazar::prio3::Prio3VerifierShare<Field128>> shares;
    for (const Bytes* bytes : {&leader_share, &helper_share}) {
      auto share = vdaf_.DecodeVerifierShare(*bytes);
      if (!share.ok()) return false;
      shares.push_back(*share);
    }
    auto message = vdaf_.VerifierSharesToMessage(kCtx, shares);
    if (!message.ok()) return false;
    auto out_share = vdaf_.VerifyNext(kCtx, state_, *message);
    return out_share.ok() && vdaf_.AggUpdate(&agg_share_, *out_share).ok();
  }

  Bytes AggShare() const { return vdaf_.EncodeAggShare(agg_share_); }

 private:
  const Prio3<Field128>& vdaf_;
  size_t id_;
  Bytes key_;
  nazar::prio3::Prio3VerifyState<Field128> state_;
  std::vector<Field128> agg_share_;
};

std::string List(const std::vector<uint64_t>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

std::string Hex(const uint8_t* data, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = size; i-- > 0;) {  // little-endian on the wire: print most significant first
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Sizes and median native times (microseconds) for one scale: shard is the client's work for
// one report; verify is both aggregators' whole verification of it (verify_init twice,
// verifier_shares_to_message, verify_next twice), as one process runs it here.
void PrintSizes(const char* name, size_t length, nazar::Host& host) {
  const size_t chunk = nazar::prio3::HistogramChunkLength(length);
  auto vdaf = nazar::prio3::MakePrio3Histogram(2, length, chunk);
  if (!vdaf.ok()) return;
  Bytes key(nazar::prio3::kVerifyKeySize), nonce(nazar::prio3::kNonceSize);
  host.FillRandom(key.data(), key.size());
  std::vector<double> shard_us, verify_us;
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < 301; ++i) {
    host.FillRandom(nonce.data(), nonce.size());
    auto t0 = Clock::now();
    auto shards = vdaf->Shard(kCtx, {static_cast<uint64_t>(i % length)}, nonce, host);
    auto t1 = Clock::now();
    if (!shards.ok()) return;
    std::vector<nazar::prio3::Prio3VerifierShare<Field128>> shares;
    std::vector<nazar::prio3::Prio3VerifyState<Field128>> states;
    for (size_t j = 0; j < 2; ++j) {
      auto v = vdaf->VerifyInit(key, kCtx, j, nonce, shards->public_share, shards->input_shares[j]);
      if (!v.ok()) return;
      shares.push_back(v->share);
      states.push_back(v->state);
    }
    auto message = vdaf->VerifierSharesToMessage(kCtx, shares);
    if (!message.ok()) return;
    for (const auto& state : states) {
      if (!vdaf->VerifyNext(kCtx, state, *message).ok()) return;
    }
    auto t2 = Clock::now();
    shard_us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    verify_us.push_back(std::chrono::duration<double, std::micro>(t2 - t1).count());
  }
  std::printf("%-5s %6zu %5zu %12zu %12zu %12zu %14zu %11.0f %12.0f\n", name, length, chunk,
              vdaf->public_share_size(), vdaf->input_share_size(0), vdaf->input_share_size(1),
              vdaf->verifier_share_size(), Median(shard_us), Median(verify_us));
}

}  // namespace

int main() {
  nazar::Host& host = nazar::PlatformHost();
  const size_t kLength = 11;
  auto made =
      nazar::prio3::MakePrio3Histogram(2, kLength, nazar::prio3::HistogramChunkLength(kLength));
  if (!made.ok()) {
    std::fprintf(stderr, "%s\n", made.status().message().c_str());
    return 1;
  }
  const Prio3<Field128>& vdaf = *made;

  // 1,000 answers from a fixed-seed, NPS-like distribution (many 9s and 10s, some detractors).
  std::mt19937 answers_rng(2026);
  const double kWeights[11] = {2, 1, 1, 2, 2, 6, 5, 9, 17, 25, 30};
  std::discrete_distribution<int> answer_of(std::begin(kWeights), std::end(kWeights));
  std::vector<uint64_t> truth(kLength, 0);

  // The two aggregators share a verification key; neither ever sees the other's input shares.
  Bytes key(nazar::prio3::kVerifyKeySize);
  host.FillRandom(key.data(), key.size());
  Aggregator leader(vdaf, 0, key), helper(vdaf, 1, key);
  size_t accepted = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t answer = static_cast<uint64_t>(answer_of(answers_rng));
    ++truth[answer];
    // The client: a fresh nonce and randomness from the platform's cryptographic source.
    Report report;
    report.nonce.resize(nazar::prio3::kNonceSize);
    host.FillRandom(report.nonce.data(), report.nonce.size());
    auto shards = vdaf.Shard(kCtx, {answer}, report.nonce, host);
    if (!shards.ok()) {
      std::fprintf(stderr, "shard: %s\n", shards.status().message().c_str());
      return 1;
    }
    report.public_share = vdaf.EncodePublicShare(shards->public_share);
    for (size_t j = 0; j < 2; ++j)
      report.input_share[j] = vdaf.EncodeInputShare(shards->input_shares[j]);
    // The aggregators: one exchange of verifier shares, then each finishes on its own.
    Bytes leader_share, helper_share;
    if (leader.Start(report, &leader_share) && helper.Start(report, &helper_share) &&
        leader.Finish(leader_share, helper_share) && helper.Finish(leader_share, helper_share)) {
      ++accepted;
    }
  }

  // The collector: the two aggregate shares, added.
  std::vector<std::vector<Field128>> agg_shares;
  for (const Bytes& bytes : {leader.AggShare(), helper.AggShare()}) {
    auto share = vdaf.DecodeAggShare(bytes);
    if (!share.ok()) return 1;
    agg_shares.push_back(*share);
  }
  auto histogram = vdaf.Unshard(agg_shares, accepted);
  if (!histogram.ok()) {
    std::fprintf(stderr, "unshard: %s\n", histogram.status().message().c_str());
    return 1;
  }
  std::printf("Prio3Histogram, length %zu, chunk length %zu, 2 aggregators\n", kLength,
              vdaf.flp().spec().chunk_length);
  std::printf("reports accepted: %zu of 1000\n", accepted);
  std::printf("unsharded histogram: %s\n", List(*histogram).c_str());
  std::printf("true histogram: %s\n", List(truth).c_str());
  std::printf("the leader's aggregate share alone (its sum of 1000 output shares, mod p):\n");
  const Bytes leader_bytes = leader.AggShare();
  for (size_t i = 0; i < kLength; ++i) {
    std::printf("  bucket %2zu: 0x%s\n", i, Hex(leader_bytes.data() + 16 * i, 16).c_str());
  }

  std::printf("\nsizes in bytes (2 aggregators) and native median times in microseconds\n");
  std::printf("%-5s %6s %5s %12s %12s %12s %14s %11s %12s\n", "scale", "length", "chunk", "public",
              "leader input", "helper input", "verifier share", "shard (us)", "verify (us)");
  PrintSizes("NPS", 11, host);
  PrintSizes("CSAT", 5, host);
  PrintSizes("CES", 7, host);
  return *histogram == truth ? 0 : 1;
}
