// nazar_prio3_*: Prio3 client operations for a module that a survey turns Prio3 on for (issue
// 10). Not part of the widget module: only prio3.exports names these.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "abi_internal.h"
#include "nazar/hex.h"
#include "nazar/prio3/prio3.h"
#include "nazar_abi.h"

namespace {

using nazar::Json;
using nazar::Status;
using nazar::StatusCode;
namespace abi = nazar::abi;
namespace prio3 = nazar::prio3;

// request[key] as bytes from hex; an absent key is empty. False with the slot filled on error.
bool HexMember(const Json& request, const char* key, std::vector<uint8_t>* out, int* status) {
  const std::string* text = nazar::FindString(request, key);
  if (text == nullptr) {
    if (request.contains(key)) {
      *status = abi::Fail(Status(StatusCode::kInvalidArgument,
                                 std::string("/") + key + ": expected a string of hex digits"));
      return false;
    }
    return true;
  }
  auto bytes = nazar::FromHex(*text);
  if (!bytes.ok()) {
    *status = abi::Fail(Status(StatusCode::kInvalidArgument,
                               std::string("/") + key + ": " + bytes.status().message()));
    return false;
  }
  *out = std::move(*bytes);
  return true;
}

// request[key] as a whole number in [lo, hi]; `fallback` when absent and fallback >= 0.
bool IntMember(const Json& request, const char* key, int64_t lo, int64_t hi, int64_t fallback,
               int64_t* out, int* status) {
  auto it = request.find(key);
  if (it == request.end() && fallback >= 0) {
    *out = fallback;
    return true;
  }
  if (it == request.end() || !nazar::JsonIntInRange(*it, lo, hi, out)) {
    *status = abi::Fail(Status(StatusCode::kInvalidArgument,
                               std::string("/") + key + ": expected a whole number from " +
                                   std::to_string(lo) + " to " + std::to_string(hi)));
    return false;
  }
  return true;
}

}  // namespace

extern "C" {

int nazar_prio3_histogram_shard(const char* request_text, size_t size) {
  Json request;
  int status = NAZAR_OK;
  if (!abi::ParseInput(request_text, size, "prio3 shard request", &request, &status)) {
    return status;
  }
  if (!request.is_object()) {
    return abi::Fail(Status(StatusCode::kInvalidArgument, "/: expected an object"));
  }
  int64_t length = 0, chunk_length = 0, shares = 0, measurement = 0;
  std::vector<uint8_t> ctx, nonce;
  // Sizes are the core's to bound (nazar::prio3, the FLP's factories): here only their type.
  if (!IntMember(request, "length", 1, UINT32_MAX, -1, &length, &status) ||
      !IntMember(request, "chunk_length", 0, UINT32_MAX, 0, &chunk_length, &status) ||
      !IntMember(request, "shares", 2, 255, 2, &shares, &status) ||
      !IntMember(request, "measurement", 0, UINT32_MAX, -1, &measurement, &status) ||
      !HexMember(request, "ctx", &ctx, &status) || !HexMember(request, "nonce", &nonce, &status)) {
    return status;
  }
  if (!request.contains("chunk_length")) {
    chunk_length = static_cast<int64_t>(prio3::HistogramChunkLength(static_cast<size_t>(length)));
  }
  auto vdaf = prio3::MakePrio3Histogram(static_cast<size_t>(shares), static_cast<size_t>(length),
                                        static_cast<size_t>(chunk_length));
  if (!vdaf.ok()) return abi::Fail(vdaf.status());
  nazar::Host& host = nazar::PlatformHost();
  if (!request.contains("nonce")) {
    nonce.resize(prio3::kNonceSize);
    host.FillRandom(nonce.data(), nonce.size());
  }
  auto shards = vdaf->Shard(ctx, {static_cast<uint64_t>(measurement)}, nonce, host);
  if (!shards.ok()) return abi::Fail(shards.status());
  Json inputs = Json::array();
  for (const auto& share : shards->input_shares)
    inputs.push_back(nazar::ToHex(vdaf->EncodeInputShare(share)));
  return abi::Respond(
      {{"public_share", nazar::ToHex(vdaf->EncodePublicShare(shards->public_share))},
       {"input_shares", std::move(inputs)},
       {"nonce", nazar::ToHex(nonce)},
       {"chunk_length", chunk_length}});
}

}  // extern "C"
