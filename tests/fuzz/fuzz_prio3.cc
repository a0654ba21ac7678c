// libFuzzer target: Prio3Histogram (length 11, the NPS scale; chunk 3; 2 or 3 aggregators) on
// arbitrary bytes. Byte 0 picks the aggregator count (bit 0) and the mode (the rest):
//   0: the bytes XORed onto an honest report's public share || input shares, then every
//      aggregator decodes and runs verify_init, and verifier_shares_to_message and verify_next;
//   1: the bytes as the public share, 2: as an input share (byte 1 = aggregator id, 0..3),
//   3: as a verifier share, 4: as the verifier message, 5: as all verifier shares, one after
//      the other, then verifier_shares_to_message.
// Checks: an error has a message; whatever decodes encodes back to the same bytes; the honest
// report (all-zero XOR) is accepted; an accepted report's output shares add up to one bucket.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "fake_host.h"
#include "nazar/prio3/prio3.h"

namespace {

using nazar::prio3::Field128;
using nazar::prio3::Prio3;
using Bytes = std::vector<uint8_t>;

void Check(bool condition) {
  if (!condition) std::abort();
}

template <class T>
bool Failed(const nazar::Result<T>& result) {
  if (result.ok()) return false;
  Check(!result.status().message().empty());
  return true;
}

const Bytes kCtx = {'n', 'a', 'z', 'a', 'r'};
const Bytes kNonce(nazar::prio3::kNonceSize, 5);
const Bytes kKey(nazar::prio3::kVerifyKeySize, 6);

struct Fixture {
  explicit Fixture(size_t shares) : vdaf(*nazar::prio3::MakePrio3Histogram(shares, 11, 3)) {
    nazar::FakeHost host(0, shares);
    auto shards = vdaf.Shard(kCtx, {7}, kNonce, host);
    Check(shards.ok());
    report = vdaf.EncodePublicShare(shards->public_share);
    for (size_t j = 0; j < shares; ++j) {
      Bytes input = vdaf.EncodeInputShare(shards->input_shares[j]);
      report.insert(report.end(), input.begin(), input.end());
    }
  }
  Prio3<Field128> vdaf;
  Bytes report;  // public share || input share 0 || ... (the honest report)
};

// Verifies a report given as public share || input shares; checks what an acceptance means.
void VerifyReport(const Fixture& fx, const Bytes& report, bool honest) {
  const Prio3<Field128>& vdaf = fx.vdaf;
  size_t at = vdaf.public_share_size();
  auto public_share = vdaf.DecodePublicShare(Bytes(report.begin(), report.begin() + at));
  Check(!Failed(public_share));  // every byte string of the right length is a public share
  std::vector<nazar::prio3::Prio3VerifyState<Field128>> states;
  std::vector<nazar::prio3::Prio3VerifierShare<Field128>> shares;
  for (size_t j = 0; j < vdaf.num_shares(); ++j) {
    Bytes bytes(report.begin() + at, report.begin() + at + vdaf.input_share_size(j));
    at += bytes.size();
    auto input = vdaf.DecodeInputShare(j, bytes);
    if (Failed(input)) return Check(!honest);
    Check(vdaf.EncodeInputShare(*input) == bytes);
    auto verification = vdaf.VerifyInit(kKey, kCtx, j, kNonce, *public_share, *input);
    if (Failed(verification)) return Check(!honest);
    states.push_back(verification->state);
    shares.push_back(verification->share);
  }
  auto message = vdaf.VerifierSharesToMessage(kCtx, shares);
  if (Failed(message)) return Check(!honest);
  std::vector<std::vector<Field128>> out_shares;
  for (const auto& state : states) {
    auto out = vdaf.VerifyNext(kCtx, state, *message);
    if (Failed(out)) return Check(!honest);
    out_shares.push_back(*out);
  }
  // Accepted: the output shares of this one report add up to exactly one bucket.
  auto result = vdaf.Unshard(out_shares, 1);
  Check(result.ok());
  uint64_t total = 0;
  for (uint64_t count : *result) {
    Check(count <= 1);
    total += count;
  }
  Check(total == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Fixture two(2), three(3);
  if (size == 0) return 0;
  const Fixture& fx = (data[0] & 1) ? three : two;
  const Prio3<Field128>& vdaf = fx.vdaf;
  const int mode = (data[0] >> 1) % 6;
  const Bytes bytes(data + 1, data + size);
  // Anything a decoder accepts encodes back to the bytes it came from.
  const auto round_trip = [](const auto& decoded, const auto& encode, const Bytes& from) {
    if (!Failed(decoded)) Check(encode(*decoded) == from);
  };
  switch (mode) {
    case 0: {
      Bytes report = fx.report;
      bool honest = true;
      for (size_t i = 0; i < bytes.size() && i < report.size(); ++i) {
        report[i] ^= bytes[i];
        honest = honest && bytes[i] == 0;
      }
      VerifyReport(fx, report, honest);
      break;
    }
    case 1:
      round_trip(
          vdaf.DecodePublicShare(bytes), [&](const auto& x) { return vdaf.EncodePublicShare(x); },
          bytes);
      break;
    case 2: {
      if (bytes.empty()) break;
      const Bytes rest(bytes.begin() + 1, bytes.end());
      round_trip(
          vdaf.DecodeInputShare(bytes[0] % 4, rest),
          [&](const auto& x) { return vdaf.EncodeInputShare(x); }, rest);
      break;
    }
    case 3:
      round_trip(
          vdaf.DecodeVerifierShare(bytes),
          [&](const auto& x) { return vdaf.EncodeVerifierShare(x); }, bytes);
      break;
    case 4:
      round_trip(
          vdaf.DecodeVerifierMessage(bytes),
          [&](const auto& x) { return vdaf.EncodeVerifierMessage(x); }, bytes);
      break;
    default: {
      std::vector<nazar::prio3::Prio3VerifierShare<Field128>> shares;
      const size_t each = vdaf.verifier_share_size();
      for (size_t at = 0; at + each <= bytes.size(); at += each) {
        auto share = vdaf.DecodeVerifierShare(Bytes(bytes.begin() + at, bytes.begin() + at + each));
        if (Failed(share)) return 0;
        shares.push_back(*share);
      }
      auto message = vdaf.VerifierSharesToMessage(kCtx, shares);
      if (shares.size() != vdaf.num_shares()) Check(!message.ok());
      Failed(message);
      break;
    }
  }
  return 0;
}
