// Privacy rules applied before anything leaves the page: PII scrubbing of comments and local
// differential privacy by k-ary randomized response (METRICS.md, "Privacy").
#ifndef NAZAR_PRIVACY_H_
#define NAZAR_PRIVACY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/host.h"

namespace nazar {

// Minimum n for a report cell to carry numbers, and for comments to be shown.
inline constexpr int kMinCellCount = 5;
inline constexpr int kMinCommentCount = 10;

// A comment's cell in every shared view (collector, dashboard, share links): the text question
// it answers and its respondent's NPS group ("" without an NPS question).
struct CommentCell {
  std::string question;
  std::string group;
};

// The comment minimum in effect: kMinCommentCount, raised (never lowered) by `requested`, the
// operator's or a reader's own minimum (METRICS.md: "comments need 10. Configurable upwards
// only").
int CommentMinimum(int requested);

// The last day a comments view may include on `today` (UTC day numbers): yesterday. Comments of
// a day are released only once it is over, since a comment appearing the moment a known visitor
// answers would name its writer. Ranges that reach further are refused or cut to this day.
int64_t LastCommentDay(int64_t today);

// Whether each comment, given by its cell, may be shown: only when its (question, group) cell
// holds at least `min_count` comments, so a lone detractor's comment is not shown among nine
// promoters'. A comments payload is one respondent's, with at most one comment per question (the
// core refuses more), so a cell's count of comments is its count of respondents. Pass the result
// of CommentMinimum. Returns one flag per input, in input order.
std::vector<bool> ShownComments(const std::vector<CommentCell>& comments, int min_count);

// Largest local-DP epsilon a definition or payload may carry: above it randomized response is
// practically the truth, so the setting would only pretend to protect.
inline constexpr int kMaxLocalDpEpsilon = 10;

// Replaces e-mails, card numbers, phone numbers, Iranian national ids and long digit runs with
// [EMAIL], [CARD], [PHONE], [NATIONAL_ID], [NUMBER] (METRICS.md, "Privacy"). Persian,
// Arabic-Indic and full-width digits are read as ASCII, and zero-width/bidi marks and tatweel
// inside a run are ignored, for classification; text outside masked spans is kept byte for byte
// (short numbers keep their digits). A run's digit groups join across any gap of white space
// (spaces, tabs, line breaks), dashes, parentheses and slashes, however long ("0912    345
// 6789", "0912\n345\n6789", "0912/345/6789" are each [PHONE]), holding besides at most three
// other characters that are neither letters nor digits (ASCII punctuation and symbols, non-ASCII
// separators): "1,234,567,890", "0912 . 345 . 6789", "0912_345_6789", "0912, 345, 6789" are
// each one number. A letter, or a fourth such character, ends the run. So lists join too: "1, 2,
// 3" keeps its digits (too few), but "1, 2, 3, 4, 5, 6, 7, 8" becomes [NUMBER], as it cannot be
// told from a number typed in pieces. Fails closed: when unsure, masks. So a date with 8 digits
// becomes [NUMBER] whether written 2024-01-15, 1403/08/12 or 2024 01 15, and so does a 13-19 digit
// run failing Luhn or a number glued to a word; a shorter date (12/08/03) or score (10/10) keeps
// its digits. Input and output are UTF-8; invalid UTF-8 bytes are replaced by U+FFFD.
std::string ScrubPii(std::string_view text);

// k-ary randomized response (generalized randomized response, "grr").
struct RandomizedResponse {
  int k = 2;
  double epsilon = 1;
  double p() const;  // probability of reporting the true value
  double q() const;  // probability of each particular other value
  // The value to report for `true_value` in [0, k): the true value with probability p, else one
  // of the other k-1 uniformly. An out-of-range true value reports a uniform draw over all k.
  int Randomize(int true_value, Host& host) const;
  // Unbiased estimate of the true counts from `reported` counts (size k):
  // (c - n q) / (p - q), unclipped so estimates merge by addition. Returns `reported` unchanged
  // when the parameters cannot be inverted (k < 2, epsilon <= 0, size != k).
  std::vector<double> Estimate(const std::vector<double>& reported) const;
};

}  // namespace nazar

#endif  // NAZAR_PRIVACY_H_
