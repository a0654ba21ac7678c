// Deterministic synthetic survey responses, shared by the generator program and the benchmarks so
// both measure the same data: date, nps, csat, ces and channel columns.
#ifndef NAZAR_BENCH_RESPONSE_GEN_H_
#define NAZAR_BENCH_RESPONSE_GEN_H_

#include <cstdint>
#include <cstdio>
#include <string>

#include "nazar/date.h"

namespace nazar::bench {

// SplitMix64: a small, fast, seedable generator (not for anything but test data).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) (bias negligible for the small bounds used here).
  int Below(int bound) { return static_cast<int>(Next() % static_cast<uint64_t>(bound)); }

 private:
  uint64_t state_;
};

// One synthetic response; 0 means "skipped" for csat and ces.
struct Response {
  int64_t day = 0;
  int nps = 0;
  int csat = 0;
  int ces = 0;
  int channel = 0;
};

inline constexpr const char* kChannels[] = {"web", "app", "store", "phone"};

// A plausible mix: NPS skewed to promoters, ~5% of csat/ces skipped, dates over 2026.
inline Response NextResponse(SplitMix64& rng) {
  static const int64_t kFirstDay = DaysFromCivil(2026, 1, 1);
  static const int kNpsWeights[11] = {2, 1, 1, 2, 2, 4, 6, 10, 16, 24, 32};  // sum 100
  Response r;
  r.day = kFirstDay + rng.Below(365);
  int pick = rng.Below(100);
  for (int v = 0; v <= 10; ++v) {
    pick -= kNpsWeights[v];
    if (pick < 0) {
      r.nps = v;
      break;
    }
  }
  r.csat = rng.Below(20) == 0 ? 0 : 1 + rng.Below(5);
  r.ces = rng.Below(20) == 0 ? 0 : 1 + rng.Below(7);
  r.channel = rng.Below(4);
  return r;
}

inline constexpr const char* kCsvHeader = "date,nps,csat,ces,channel\n";

// Appends one CSV row ("2026-03-14,9,4,,web\n") to `out`.
inline void AppendCsvRow(const Response& r, std::string* out) {
  char buf[64];
  const std::string day = FormatDay(r.day);
  char csat[4] = "", ces[4] = "";
  if (r.csat > 0) std::snprintf(csat, sizeof csat, "%d", r.csat);
  if (r.ces > 0) std::snprintf(ces, sizeof ces, "%d", r.ces);
  std::snprintf(buf, sizeof buf, "%s,%d,%s,%s,%s\n", day.c_str(), r.nps, csat, ces,
                kChannels[r.channel]);
  out->append(buf);
}

// Appends one NDJSON line to `out` (skipped answers are null).
inline void AppendNdjsonRow(const Response& r, std::string* out) {
  char buf[128];
  char csat[8] = "null", ces[8] = "null";
  if (r.csat > 0) std::snprintf(csat, sizeof csat, "%d", r.csat);
  if (r.ces > 0) std::snprintf(ces, sizeof ces, "%d", r.ces);
  std::snprintf(buf, sizeof buf,
                "{\"date\":\"%s\",\"nps\":%d,\"csat\":%s,\"ces\":%s,\"channel\":\"%s\"}\n",
                FormatDay(r.day).c_str(), r.nps, csat, ces, kChannels[r.channel]);
  out->append(buf);
}

// ---- The issue-7-shaped export (the analyze page's benchmark) ----
// date,nps,csat,ces,locale,comment: ISO dates over 2026, ~5% of csat and ces empty, locales
// en/fa/ar/de (5:3:2:1), ~10% of rows with a comment of which half are quoted RFC 4180 fields
// with commas and doubled quotes (Persian text among them). 1,000,000 rows are about 23 MB.

inline constexpr const char* kIssueCsvHeader = "date,nps,csat,ces,locale,comment\n";
inline constexpr const char* kIssueLocales[] = {"en", "en", "en", "en", "en", "fa",
                                                "fa", "fa", "ar", "ar", "de"};
inline constexpr const char* kPlainComments[] = {
    "fast delivery", "ok", "too slow", "great support", "خیلی خوب بود", "ممتاز", "price too high"};
// Written as they appear in the file (quoted, inner quotes doubled).
inline constexpr const char* kQuotedComments[] = {
    "\"slow, but friendly\"", "\"said \"\"thanks\"\", then left\"", "\"cheap, fast, good\"",
    "\"گران بود، ولی خوب\"", "\"line one, \"\"two\"\"\""};

// One issue-shaped response: the scores of NextResponse(), a locale and a comment.
struct IssueResponse {
  Response r;
  const char* locale = "en";
  const char* comment = "";  // "" for none, else as written in the CSV (maybe quoted)
};

inline IssueResponse NextIssueResponse(SplitMix64& rng) {
  IssueResponse out;
  out.r = NextResponse(rng);
  out.locale = kIssueLocales[rng.Below(11)];
  const int kind = rng.Below(100);
  if (kind < 5) {
    out.comment = kPlainComments[rng.Below(7)];
  } else if (kind < 10) {
    out.comment = kQuotedComments[rng.Below(5)];
  }
  return out;
}

// Appends one issue-shaped CSV row ("2026-03-14,9,4,,fa,\"slow, but friendly\"\n") to `out`.
inline void AppendIssueCsvRow(const IssueResponse& x, std::string* out) {
  char buf[64];
  char csat[4] = "", ces[4] = "";
  if (x.r.csat > 0) std::snprintf(csat, sizeof csat, "%d", x.r.csat);
  if (x.r.ces > 0) std::snprintf(ces, sizeof ces, "%d", x.r.ces);
  std::snprintf(buf, sizeof buf, "%s,%d,%s,%s,%s,", FormatDay(x.r.day).c_str(), x.r.nps, csat, ces,
                x.locale);
  out->append(buf);
  out->append(x.comment);
  out->push_back('\n');
}

}  // namespace nazar::bench

#endif  // NAZAR_BENCH_RESPONSE_GEN_H_
