// libFuzzer target: PayloadFromJson (the collector's and the report builder's parser of
// Contract 3 payloads) on arbitrary JSON text. Text that is not JSON is dropped before the call,
// as the callers do. Checks: an error names what is wrong; an accepted payload keeps the
// Contract 3 shape, and its own JSON form parses again to the same JSON (normalization is
// idempotent), so what the collector stores it can read back.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "nazar/aggregate.h"
#include "nazar/json.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsLowerHex(const std::string& s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A count as Contract 3 allows it: finite and not negative.
bool IsCount(double v) { return std::isfinite(v) && v >= 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* text = reinterpret_cast<const char*>(data);
  const nazar::Json json = nazar::ParseJson(text, text + size);
  if (json.is_discarded()) return 0;

  const nazar::Result<nazar::Payload> parsed = nazar::PayloadFromJson(json);
  if (!parsed.ok()) {
    Check(parsed.status().code() != nazar::StatusCode::kOk);
    Check(!parsed.status().message().empty());
    return 0;
  }
  const nazar::Payload& p = *parsed;
  Check(p.batch.size() == 32 && IsLowerHex(p.batch));
  Check(p.period.size() == 10 && p.period[4] == '-' && p.period[7] == '-');
  Check(!p.survey.empty() && !p.site.empty() && !p.locale.empty());
  // The two kinds never mix: comments carry no counts, tallies no comments.
  if (p.kind == nazar::PayloadKind::kComments) {
    Check(!p.comments.empty() && p.comments.size() <= 1000);
    Check(p.tally.questions.empty() && p.tally.displays == 0);
  } else {
    Check(p.comments.empty());
  }
  Check(IsCount(p.tally.displays) && IsCount(p.tally.completions) &&
        IsCount(p.tally.dismissals));
  Check(p.tally.displays <= nazar::kMaxPayloadCount);
  Check(p.tally.completions + p.tally.dismissals <= p.tally.displays);
  Check(p.tally.noise_epsilon >= 0 && p.tally.noise_epsilon <= 10);
  for (const nazar::QuestionTally& q : p.tally.questions) {
    Check(!q.id.empty());
    Check(IsCount(q.answered) && IsCount(q.skipped));
    // Contract 3: answers plus non-answers never exceed the displays.
    if (p.kind == nazar::PayloadKind::kTally && !q.multiple && !q.Noisy()) {
      Check(q.answered + q.skipped <= p.tally.displays);
    }
    for (double c : q.counts) Check(std::isfinite(c));
    if (!q.Noisy()) {
      for (double c : q.counts) Check(c >= 0);
    }
  }

  // What the parser accepted, written back, is accepted again and written the same way.
  const nazar::Json once = nazar::PayloadToJson(p);
  const nazar::Result<nazar::Payload> again = nazar::PayloadFromJson(once);
  Check(again.ok());
  Check(nazar::PayloadToJson(*again) == once);
  return 0;
}
