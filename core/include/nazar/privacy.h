// Privacy rules applied before anything leaves the page: PII scrubbing of comments and local
// differential privacy by k-ary randomized response (METRICS.md, "Privacy").
#ifndef NAZAR_PRIVACY_H_
#define NAZAR_PRIVACY_H_

#include <string>
#include <string_view>
#include <vector>

#include "nazar/host.h"

namespace nazar {

// Minimum n for a report cell to carry numbers, and for comments to be shown.
inline constexpr int kMinCellCount = 5;
inline constexpr int kMinCommentCount = 10;

// Replaces e-mails, card numbers, phone numbers, Iranian national ids and long digit runs with
// [EMAIL], [CARD], [PHONE], [NATIONAL_ID], [NUMBER]. Persian, Arabic-Indic and full-width digits
// are normalized to ASCII first. Fails closed: when unsure, masks. Input and output are UTF-8;
// invalid UTF-8 bytes are replaced by U+FFFD.
std::string ScrubPii(std::string_view text);

// k-ary randomized response (generalized randomized response, "grr").
struct RandomizedResponse {
  int k = 2;
  double epsilon = 1;
  double p() const;  // probability of reporting the true value
  double q() const;  // probability of each particular other value
  // The value to report for `true_value` in [0, k).
  int Randomize(int true_value, Host& host) const;
  // Unbiased estimate of the true counts from `reported` counts (size k); unclipped.
  std::vector<double> Estimate(const std::vector<double>& reported) const;
};

}  // namespace nazar

#endif  // NAZAR_PRIVACY_H_
