// nazar-vdaf-test FOLDER: runs every VDAF test vector file (*.json) under FOLDER against
// nazar::prio3, one line per file (PASS with the number of operations run, FAIL with the first
// mismatch or what the file leaves unexercised, or SKIP for a VDAF or XOF Nazar does not
// implement), then "N passed, M failed, K skipped". Exit status 0 only when no
// file failed (and at least one was found). The same source runs natively and under node.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "nazar/hex.h"
#include "nazar/prio3/prio3.h"

namespace {

namespace fs = std::filesystem;
using nazar::Result;
using nazar::prio3::ByteSpan;
using nazar::prio3::Prio3;
using nazar::prio3::Prio3InputShare;
using nazar::prio3::Prio3PublicShare;
using nazar::prio3::Prio3VerifierShare;
using nazar::prio3::Prio3VerifyState;
using nlohmann::json;
using Bytes = std::vector<uint8_t>;

// The outcome of one file: empty means it passed.
using Failure = std::optional<std::string>;

Failure Fail(std::string message) { return Failure(std::move(message)); }

// Non-throwing JSON access (the runner is built without exceptions in wasm).
const json* Member(const json& object, const std::string& key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// index is 64-bit so that a file's index beyond SIZE_MAX (wasm32) is missing, not truncated.
const json* Element(const json* array, uint64_t index) {
  if (array == nullptr || !array->is_array() || index >= array->size()) return nullptr;
  return &(*array)[index];
}

bool ToUint(const json* value, uint64_t* out) {
  if (value == nullptr || !value->is_number_unsigned()) return false;
  *out = value->get<uint64_t>();
  return true;
}

// A measurement or aggregate result as integers: 3 -> {3}, true -> {1}, [1, 0] -> {1, 0}.
bool ToUints(const json* value, std::vector<uint64_t>* out) {
  if (value == nullptr) return false;
  out->clear();
  auto one = [out](const json& v) {
    if (v.is_boolean()) {
      out->push_back(v.get<bool>() ? 1 : 0);
    } else if (v.is_number_unsigned()) {
      out->push_back(v.get<uint64_t>());
    } else {
      return false;
    }
    return true;
  };
  if (!value->is_array()) return one(*value);
  for (const json& v : *value) {
    if (!one(v)) return false;
  }
  return true;
}

std::string Join(const std::vector<uint64_t>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

// Compares a produced byte string with the file's; names the field and first differing byte.
Failure Compare(const Bytes& got, const Bytes& want, const std::string& field) {
  if (got == want) return std::nullopt;
  size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  return Fail(field + " differs at byte " + std::to_string(i) + " (" + std::to_string(got.size()) +
              " bytes produced, " + std::to_string(want.size()) + " in the file)");
}

// Reads the hex field `path` (for messages) at `value`.
Failure Hex(const json* value, const std::string& path, Bytes* out) {
  if (value == nullptr || !value->is_string()) return Fail(path + ": missing or not a string");
  auto bytes = nazar::FromHex(value->get_ref<const std::string&>());
  if (!bytes.ok()) return Fail(path + ": " + bytes.status().message());
  *out = std::move(*bytes);
  return std::nullopt;
}

std::string Indexed(const std::string& field, size_t i) {
  return field + "[" + std::to_string(i) + "]";
}

// Runs one Prio3 test vector: its operations in order, every produced byte string compared.
template <class F>
class Prio3Vector {
 public:
  Prio3Vector(const Prio3<F>& vdaf, const json& tv) : vdaf_(vdaf), tv_(tv) {}

  // Runs the file's operations; *operations is how many ran (for the PASS line).
  Failure Run(size_t* operations_run) {
    Failure f = Hex(Member(tv_, "verify_key"), "verify_key", &verify_key_);
    if (!f) f = Hex(Member(tv_, "ctx"), "ctx", &ctx_);
    if (f) return f;
    uint64_t shares = 0;
    if (!ToUint(Member(tv_, "shares"), &shares) || shares != vdaf_.num_shares()) {
      return Fail("shares: missing or not the VDAF's");
    }
    const json* operations = Member(tv_, "operations");
    if (operations == nullptr || !operations->is_array()) return Fail("operations: missing");
    // A file must exercise something: an empty list, or one that skips a report's steps, would
    // otherwise pass without checking a byte.
    if (operations->empty()) return Fail("operations: none, the file exercises nothing");
    const json* reports = Member(tv_, "reports");
    if (reports == nullptr || !reports->is_array() || reports->empty()) {
      return Fail("reports: missing or empty");
    }
    for (size_t i = 0; i < operations->size(); ++i) {
      const json& op = (*operations)[i];
      const json* name = Member(op, "operation");
      const json* success = Member(op, "success");
      if (name == nullptr || !name->is_string() || success == nullptr || !success->is_boolean()) {
        return Fail(Indexed("operations", i) + ": no operation name or success flag");
      }
      const std::string& op_name = name->get_ref<const std::string&>();
      std::string where = Indexed("operations", i) + " (" + op_name + ")";
      const bool expect_success = success->get<bool>();
      compare_ = expect_success;
      std::string error;  // the VDAF's error, when the operation failed
      Failure mismatch = Dispatch(op_name, op, &error);
      if (mismatch) return Fail(where + ": " + *mismatch);
      if (expect_success && !error.empty()) return Fail(where + " failed: " + error);
      if (!expect_success && error.empty()) {
        return Fail(where + " succeeded, but the file expects it to fail");
      }
    }
    *operations_run = operations->size();
    return CheckCoverage(*operations, *reports);
  }

 private:
  // Every report is verified by at least one aggregator (the `_bad_` files start at
  // verify_init, and one of them stops after the leader's); a report with a measurement is
  // sharded and verified by every aggregator.
  Failure CheckCoverage(const json& operations, const json& reports) const {
    std::set<uint64_t> sharded;
    std::set<std::pair<uint64_t, uint64_t>> verified;
    for (const json& op : operations) {
      const json* name = Member(op, "operation");
      uint64_t report_index = 0, agg_id = 0;
      if (!ToUint(Member(op, "report_index"), &report_index)) continue;
      if (*name == "shard") sharded.insert(report_index);
      if (*name == "verify_init" && ToUint(Member(op, "aggregator_id"), &agg_id)) {
        verified.insert({report_index, agg_id});
      }
    }
    for (uint64_t r = 0; r < reports.size(); ++r) {
      const std::string rp = "reports[" + std::to_string(r) + "]";
      const json* measurement = Member(reports[r], "measurement");
      const bool measured = measurement != nullptr && !measurement->is_null();
      if (measured && sharded.count(r) == 0) {
        return Fail(rp + ": no shard operation, though it has a measurement");
      }
      size_t count = 0;
      for (uint64_t agg = 0; agg < vdaf_.num_shares(); ++agg) {
        if (verified.count({r, agg}) != 0) {
          ++count;
        } else if (measured) {
          return Fail(rp + ": no verify_init operation for aggregator " + std::to_string(agg));
        }
      }
      if (count == 0) return Fail(rp + ": no verify_init operation");
    }
    return std::nullopt;
  }

  // Runs one operation. A returned Failure is a mismatch with the file (or a malformed file);
  // *error is the VDAF's own error when the operation itself failed.
  Failure Dispatch(const std::string& name, const json& op, std::string* error) {
    uint64_t report_index = 0;
    uint64_t agg_id = 0;
    uint64_t round = 0;
    bool has_report = ToUint(Member(op, "report_index"), &report_index);
    bool has_agg = ToUint(Member(op, "aggregator_id"), &agg_id);
    bool has_round = ToUint(Member(op, "round"), &round);
    if (has_agg && agg_id >= vdaf_.num_shares()) {
      return Fail("aggregator_id: " + std::to_string(agg_id) + ", expected less than " +
                  std::to_string(vdaf_.num_shares()));
    }
    const json* report = Element(Member(tv_, "reports"), report_index);
    const std::string rp = "reports[" + std::to_string(report_index) + "]";
    if (name == "shard") {
      if (!has_report || report == nullptr) return Fail("no such report");
      return Shard(*report, rp, error);
    }
    if (name == "verify_init") {
      if (!has_report || report == nullptr || !has_agg) return Fail("no report or aggregator");
      return VerifyInit(*report, rp, report_index, agg_id, error);
    }
    if (name == "verifier_shares_to_message") {
      if (!has_report || report == nullptr || !has_round) return Fail("no report or round");
      return SharesToMessage(*report, rp, round, error);
    }
    if (name == "verify_next") {
      if (!has_report || report == nullptr || !has_agg || !has_round) {
        return Fail("no report, aggregator or round");
      }
      return VerifyNext(*report, rp, report_index, agg_id, round, error);
    }
    if (name == "aggregate") {
      if (!has_agg) return Fail("no aggregator");
      return Aggregate(agg_id, error);
    }
    if (name == "unshard") return Unshard(error);
    return Fail("unknown operation");
  }

  Failure Shard(const json& report, const std::string& rp, std::string* error) {
    std::vector<uint64_t> measurement;
    Bytes nonce, rand;
    if (!ToUints(Member(report, "measurement"), &measurement)) {
      return Fail(rp + ".measurement: missing or not integers");
    }
    Failure f = Hex(Member(report, "nonce"), rp + ".nonce", &nonce);
    if (!f) f = Hex(Member(report, "rand"), rp + ".rand", &rand);
    if (f) return f;
    auto shards = vdaf_.Shard(ctx_, measurement, nonce, rand);
    if (!shards.ok()) {
      *error = shards.status().message();
      return std::nullopt;
    }
    if (!compare_) return std::nullopt;
    Bytes want;
    f = Hex(Member(report, "public_share"), rp + ".public_share", &want);
    if (!f) f = Compare(vdaf_.EncodePublicShare(shards->public_share), want, rp + ".public_share");
    if (f) return f;
    const json* input_shares = Member(report, "input_shares");
    if (input_shares == nullptr || !input_shares->is_array() ||
        input_shares->size() != shards->input_shares.size()) {
      return Fail(rp + ".input_shares: not one per aggregator");
    }
    for (size_t j = 0; j < shards->input_shares.size(); ++j) {
      std::string field = Indexed(rp + ".input_shares", j);
      f = Hex(&(*input_shares)[j], field, &want);
      if (!f) f = Compare(vdaf_.EncodeInputShare(shards->input_shares[j]), want, field);
      if (f) return f;
    }
    return std::nullopt;
  }

  Failure VerifyInit(const json& report, const std::string& rp, uint64_t report_index,
                     uint64_t agg_id, std::string* error) {
    Bytes nonce, public_bytes, input_bytes;
    Failure f = Hex(Member(report, "nonce"), rp + ".nonce", &nonce);
    if (!f) f = Hex(Member(report, "public_share"), rp + ".public_share", &public_bytes);
    std::string input_field = Indexed(rp + ".input_shares", agg_id);
    if (!f) f = Hex(Element(Member(report, "input_shares"), agg_id), input_field, &input_bytes);
    if (f) return f;
    auto public_share = vdaf_.DecodePublicShare(public_bytes);
    if (!public_share.ok()) return Error(public_share.status(), error);
    auto input_share = vdaf_.DecodeInputShare(agg_id, input_bytes);
    if (!input_share.ok()) return Error(input_share.status(), error);
    auto verification =
        vdaf_.VerifyInit(verify_key_, ctx_, agg_id, nonce, *public_share, *input_share);
    if (!verification.ok()) return Error(verification.status(), error);
    states_[{report_index, agg_id}] = verification->state;
    if (!compare_) return std::nullopt;
    std::string field = rp + ".verifier_shares[0][" + std::to_string(agg_id) + "]";
    Bytes want;
    f = Hex(Element(Element(Member(report, "verifier_shares"), 0), agg_id), field, &want);
    if (!f) f = Compare(vdaf_.EncodeVerifierShare(verification->share), want, field);
    return f;
  }

  Failure SharesToMessage(const json& report, const std::string& rp, uint64_t round,
                          std::string* error) {
    const json* shares = Element(Member(report, "verifier_shares"), round);
    if (shares == nullptr || !shares->is_array()) {
      return Fail(rp + ".verifier_shares[" + std::to_string(round) + "]: missing");
    }
    std::vector<Prio3VerifierShare<F>> decoded;
    for (size_t j = 0; j < shares->size(); ++j) {
      Bytes bytes;
      std::string field =
          rp + ".verifier_shares[" + std::to_string(round) + "][" + std::to_string(j) + "]";
      if (Failure f = Hex(&(*shares)[j], field, &bytes)) return f;
      auto share = vdaf_.DecodeVerifierShare(bytes);
      if (!share.ok()) return Error(share.status(), error);
      decoded.push_back(std::move(*share));
    }
    auto message = vdaf_.VerifierSharesToMessage(ctx_, decoded);
    if (!message.ok()) return Error(message.status(), error);
    if (!compare_) return std::nullopt;
    Bytes want;
    std::string field = Indexed(rp + ".verifier_messages", round);
    Failure f = Hex(Element(Member(report, "verifier_messages"), round), field, &want);
    if (!f) f = Compare(vdaf_.EncodeVerifierMessage(*message), want, field);
    return f;
  }

  Failure VerifyNext(const json& report, const std::string& rp, uint64_t report_index,
                     uint64_t agg_id, uint64_t round, std::string* error) {
    auto state = states_.find({report_index, agg_id});
    if (state == states_.end() || round != 1) {
      return Fail("no verification state of round " + std::to_string(round) + " for aggregator " +
                  std::to_string(agg_id));
    }
    Bytes message_bytes;
    std::string field = Indexed(rp + ".verifier_messages", round - 1);
    Failure f = Hex(Element(Member(report, "verifier_messages"), round - 1), field, &message_bytes);
    if (f) return f;
    auto message = vdaf_.DecodeVerifierMessage(message_bytes);
    if (!message.ok()) return Error(message.status(), error);
    auto out_share = vdaf_.VerifyNext(ctx_, state->second, *message);
    if (!out_share.ok()) return Error(out_share.status(), error);
    if (!compare_) return std::nullopt;
    Bytes want;
    field = Indexed(rp + ".out_shares", agg_id);
    f = Hex(Element(Member(report, "out_shares"), agg_id), field, &want);
    if (!f) f = Compare(vdaf_.EncodeOutShare(*out_share), want, field);
    return f;
  }

  Failure Aggregate(uint64_t agg_id, std::string* error) {
    const json* reports = Member(tv_, "reports");
    if (reports == nullptr || !reports->is_array()) return Fail("reports: missing");
    std::vector<F> agg_share = vdaf_.AggInit();
    for (size_t r = 0; r < reports->size(); ++r) {
      Bytes bytes;
      std::string field = Indexed("reports[" + std::to_string(r) + "].out_shares", agg_id);
      if (Failure f = Hex(Element(Member((*reports)[r], "out_shares"), agg_id), field, &bytes)) {
        return f;
      }
      auto out_share = vdaf_.DecodeOutShare(bytes);
      if (!out_share.ok()) return Error(out_share.status(), error);
      nazar::Status status = vdaf_.AggUpdate(&agg_share, *out_share);
      if (!status.ok()) return Error(status, error);
    }
    if (!compare_) return std::nullopt;
    Bytes want;
    std::string field = Indexed("agg_shares", agg_id);
    Failure f = Hex(Element(Member(tv_, "agg_shares"), agg_id), field, &want);
    if (!f) f = Compare(vdaf_.EncodeAggShare(agg_share), want, field);
    return f;
  }

  Failure Unshard(std::string* error) {
    const json* agg_shares = Member(tv_, "agg_shares");
    const json* reports = Member(tv_, "reports");
    if (agg_shares == nullptr || !agg_shares->is_array() || reports == nullptr ||
        !reports->is_array()) {
      return Fail("agg_shares or reports: missing");
    }
    std::vector<std::vector<F>> decoded;
    for (size_t j = 0; j < agg_shares->size(); ++j) {
      Bytes bytes;
      if (Failure f = Hex(&(*agg_shares)[j], Indexed("agg_shares", j), &bytes)) return f;
      auto share = vdaf_.DecodeAggShare(bytes);
      if (!share.ok()) return Error(share.status(), error);
      decoded.push_back(std::move(*share));
    }
    auto result = vdaf_.Unshard(decoded, reports->size());
    if (!result.ok()) return Error(result.status(), error);
    if (!compare_) return std::nullopt;
    std::vector<uint64_t> want;
    if (!ToUints(Member(tv_, "agg_result"), &want)) return Fail("agg_result: not integers");
    if (*result != want) {
      size_t i = 0;
      while (i < result->size() && i < want.size() && (*result)[i] == want[i]) ++i;
      return Fail("agg_result differs at index " + std::to_string(i) + ": " + Join(*result) +
                  ", the file has " + Join(want));
    }
    return std::nullopt;
  }

  static Failure Error(const nazar::Status& status, std::string* error) {
    *error = status.message();
    return std::nullopt;
  }

  const Prio3<F>& vdaf_;
  const json& tv_;
  Bytes verify_key_;
  Bytes ctx_;
  bool compare_ = true;  // the operation should succeed: compare what it produced with the file
  std::map<std::pair<uint64_t, uint64_t>, Prio3VerifyState<F>> states_;
};

template <class F>
Failure RunPrio3(const Result<Prio3<F>>& vdaf, const json& tv, size_t* operations_run) {
  if (!vdaf.ok())
    return Fail("cannot build the VDAF from the file's parameters: " + vdaf.status().message());
  return Prio3Vector<F>(*vdaf, tv).Run(operations_run);
}

// A parameter of the file: a whole number from 0 to max. Sizes go to the factories as size_t,
// so their max is SIZE_MAX (4,294,967,295 on wasm32, where a larger one would be truncated).
// The first problem of the file's parameters is kept in *error; the result is then 0.
uint64_t Param(const json& tv, const char* name, uint64_t max, Failure* error) {
  const json* value = Member(tv, name);
  uint64_t v = 0;
  if (value != nullptr && value->is_number_unsigned() && value->get<uint64_t>() <= max) {
    v = value->get<uint64_t>();
  } else if (!*error) {
    *error = Fail(std::string(name) + ": " +
                  (value == nullptr ? std::string("missing")
                                    : value->dump() + " is not a whole number from 0 to " +
                                          std::to_string(max)));
  }
  return v;
}

size_t Size(const json& tv, const char* name, Failure* error) {
  return static_cast<size_t>(Param(tv, name, SIZE_MAX, error));
}

// XofTurboShake128.json: derive_seed and expand_into_vec over Field128, byte for byte.
Failure RunXofTurboShake128(const json& tv) {
  Bytes seed, dst, binder, derived, expanded;
  Failure f = Hex(Member(tv, "seed"), "seed", &seed);
  if (!f) f = Hex(Member(tv, "dst"), "dst", &dst);
  if (!f) f = Hex(Member(tv, "binder"), "binder", &binder);
  if (!f) f = Hex(Member(tv, "derived_seed"), "derived_seed", &derived);
  if (!f) f = Hex(Member(tv, "expanded_vec_field128"), "expanded_vec_field128", &expanded);
  if (f) return f;
  const size_t length = Size(tv, "length", &f);
  if (f) return f;
  // The file's own expansion bounds the length (a huge one would exhaust memory before any
  // byte is compared).
  constexpr size_t kElement = nazar::prio3::Field128::kEncodedSize;
  if (expanded.size() % kElement != 0 || length != expanded.size() / kElement) {
    return Fail("length " + std::to_string(length) + ", but expanded_vec_field128 holds " +
                std::to_string(expanded.size()) + " bytes");
  }
  using nazar::prio3::XofTurboShake128;
  nazar::prio3::Seed got = XofTurboShake128::DeriveSeed(seed, dst, binder);
  f = Compare(Bytes(got.begin(), got.end()), derived, "derived_seed");
  if (f) return f;
  auto vec = XofTurboShake128::ExpandIntoVec<nazar::prio3::Field128>(seed, dst, binder, length);
  Bytes encoded(vec.size() * nazar::prio3::Field128::kEncodedSize);
  for (size_t i = 0; i < vec.size(); ++i) {
    vec[i].Encode(encoded.data() + i * nazar::prio3::Field128::kEncodedSize);
  }
  return Compare(encoded, expanded, "expanded_vec_field128");
}

struct Outcome {
  enum Kind { kPass, kFail, kSkip } kind;
  std::string reason;  // what failed, why skipped, or what a pass ran
};

// Picks the algorithm from the file name (Prio3Histogram_bad_public_share.json ->
// Prio3Histogram), as the draft's own runner does, and builds it from the file's parameters.
Outcome RunFile(const fs::path& path) {
  std::string stem = path.stem().string();
  std::string algorithm = stem.substr(0, stem.find('_'));
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  json tv = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (!in || tv.is_discarded()) return {Outcome::kFail, "not readable JSON"};

  // Every parameter is checked before a factory sees it.
  Failure bad;
  size_t shares = Size(tv, "shares", &bad);
  Failure failure;
  size_t operations = 0;         // run by a Prio3 file that passed
  using namespace nazar::prio3;  // NOLINT: the factories
  if (algorithm == "XofTurboShake128") {
    failure = RunXofTurboShake128(tv);
  } else if (algorithm == "Prio3Count") {
    failure = bad ? bad : RunPrio3(MakePrio3Count(shares), tv, &operations);
  } else if (algorithm == "Prio3Sum") {
    uint64_t max = Param(tv, "max_measurement", UINT64_MAX, &bad);
    failure = bad ? bad : RunPrio3(MakePrio3Sum(shares, max), tv, &operations);
  } else if (algorithm == "Prio3SumVec") {
    size_t length = Size(tv, "length", &bad), chunk = Size(tv, "chunk_length", &bad);
    uint64_t max = Param(tv, "max_measurement", UINT64_MAX, &bad);
    failure = bad ? bad : RunPrio3(MakePrio3SumVec(shares, length, max, chunk), tv, &operations);
  } else if (algorithm == "Prio3SumVecWithMultiproof") {
    // The files do not carry the number of proofs: the draft's runner uses 3 over Field64.
    size_t length = Size(tv, "length", &bad), chunk = Size(tv, "chunk_length", &bad);
    uint64_t max = Param(tv, "max_measurement", UINT64_MAX, &bad);
    size_t proofs = Member(tv, "proofs") != nullptr ? Size(tv, "proofs", &bad) : 3;
    failure = bad ? bad
                  : RunPrio3(MakePrio3SumVecWithMultiproof(shares, proofs, length, max, chunk), tv,
                             &operations);
  } else if (algorithm == "Prio3Histogram") {
    size_t length = Size(tv, "length", &bad), chunk = Size(tv, "chunk_length", &bad);
    failure = bad ? bad : RunPrio3(MakePrio3Histogram(shares, length, chunk), tv, &operations);
  } else if (algorithm == "Prio3MultihotCountVec") {
    size_t length = Size(tv, "length", &bad), weight = Size(tv, "max_weight", &bad),
           chunk = Size(tv, "chunk_length", &bad);
    failure =
        bad ? bad
            : RunPrio3(MakePrio3MultihotCountVec(shares, length, weight, chunk), tv, &operations);
  } else if (algorithm == "Prio3HigherDegree") {
    failure = bad ? bad : RunPrio3(MakePrio3HigherDegree(shares), tv, &operations);
  } else {
    return {Outcome::kSkip, algorithm + " is not implemented by nazar::prio3"};
  }
  if (failure) return {Outcome::kFail, *failure};
  if (algorithm == "XofTurboShake128") return {Outcome::kPass, "(derive_seed, expand_into_vec)"};
  return {Outcome::kPass, "(" + std::to_string(operations) + " operations)"};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: nazar-vdaf-test FOLDER\n");
    return 2;
  }
  const fs::path root(argv[1]);
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    std::fprintf(stderr, "nazar-vdaf-test: %s is not a folder\n", argv[1]);
    return 2;
  }
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) {
    std::fprintf(stderr, "nazar-vdaf-test: cannot list %s: %s\n", argv[1], ec.message().c_str());
    return 2;
  }
  std::sort(files.begin(), files.end());
  int passed = 0, failed = 0, skipped = 0;
  for (const fs::path& file : files) {
    Outcome outcome = RunFile(file);
    std::string name = file.lexically_relative(root).generic_string();
    switch (outcome.kind) {
      case Outcome::kPass:
        ++passed;
        std::printf("PASS %s %s\n", name.c_str(), outcome.reason.c_str());
        break;
      case Outcome::kFail:
        ++failed;
        std::printf("FAIL %s: %s\n", name.c_str(), outcome.reason.c_str());
        break;
      case Outcome::kSkip:
        ++skipped;
        std::printf("SKIP %s: %s\n", name.c_str(), outcome.reason.c_str());
        break;
    }
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  if (files.empty()) {
    std::fprintf(stderr, "nazar-vdaf-test: no .json files under %s\n", argv[1]);
    return 1;
  }
  return failed == 0 ? 0 : 1;
}
