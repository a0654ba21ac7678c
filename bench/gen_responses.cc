// nazar_gen_responses: writes N synthetic responses (CSV with date, nps, csat, ces, channel, or
// NDJSON) to stdout, deterministically from a seed. Used by bench/cli_e2e.sh.
//   nazar_gen_responses N [--seed S] [--ndjson]
//   nazar_gen_responses N --issue [--seed S]
// --issue writes issue 7's export instead: date,nps,csat,ces,locale,comment with quoted comments
// (response_gen.h, NextIssueResponse); 1,000,000 rows are about 23 MB.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "response_gen.h"

int main(int argc, char** argv) {
  long long n = -1;
  unsigned long long seed = 20261122;
  bool ndjson = false;
  bool issue = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--ndjson") == 0) {
      ndjson = true;
    } else if (std::strcmp(argv[i], "--issue") == 0) {
      issue = true;
    } else if (n < 0 && argv[i][0] >= '0' && argv[i][0] <= '9') {
      n = std::strtoll(argv[i], nullptr, 10);
    } else {
      n = -1;
      break;
    }
  }
  if (n < 0 || (issue && ndjson)) {
    std::fprintf(stderr, "usage: nazar_gen_responses N [--seed S] [--ndjson | --issue]\n");
    return 1;
  }
  nazar::bench::SplitMix64 rng(seed);
  std::string out;
  if (!ndjson) out = issue ? nazar::bench::kIssueCsvHeader : nazar::bench::kCsvHeader;
  for (long long i = 0; i < n; ++i) {
    if (issue) {
      nazar::bench::AppendIssueCsvRow(nazar::bench::NextIssueResponse(rng), &out);
      if (out.size() >= (1 << 20)) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        out.clear();
      }
      continue;
    }
    const nazar::bench::Response r = nazar::bench::NextResponse(rng);
    if (ndjson) {
      nazar::bench::AppendNdjsonRow(r, &out);
    } else {
      nazar::bench::AppendCsvRow(r, &out);
    }
    if (out.size() >= (1 << 20)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}
