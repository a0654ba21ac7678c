// The aggregate payloads (Contract 3): the only data that leaves the browser. Tallies (counts
// only, no identifiers, day resolution, optional local-DP noise) and, apart, scrubbed comments.
#ifndef NAZAR_AGGREGATE_H_
#define NAZAR_AGGREGATE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/host.h"
#include "nazar/json.h"
#include "nazar/report.h"
#include "nazar/result.h"
#include "nazar/session.h"

namespace nazar {

// One scrubbed comment of a "comments" payload.
struct Comment {
  std::string question;
  std::string group;  // NPS group of the respondent ("promoter" | "passive" | "detractor" | "")
  std::string text;   // scrubbed
};

// The two kinds of payload (Contract 3), never mixed in one request. A tally carries counts and
// no text; a comments payload carries scrubbed text and no counts, under its own batch id, so the
// collector cannot join a comment to a score.
enum class PayloadKind { kTally, kComments };

// A parsed, validated payload of either kind. The collector switches on `kind`: kTally adds
// `tally` into daily totals; kComments stores `comments`.
struct Payload {
  PayloadKind kind = PayloadKind::kTally;
  std::string batch;  // 32 lowercase hex digits
  std::string site;   // a host name
  std::string survey;
  std::string survey_version;
  std::string period;  // YYYY-MM-DD
  std::string locale;
  // kTally only. With local DP (tally.Noisy()) the randomized reports, each question carrying
  // its share of the budget (report.h).
  Tally tally;
  std::vector<Comment> comments;  // kComments only, 1 to 1000 of them
};

// Largest count a payload may carry in any field (Contract 3): one browser's outbox, not totals.
inline constexpr int kMaxPayloadCount = 10000;

// A fresh random 128-bit batch id as 32 hex digits.
std::string NewBatchId(Host& host);

// The empty tally of `survey` (Tally::For) with, when the survey sets local DP, the noise
// parameters every payload of it carries: noise_epsilon E, noise_items m = 1 + the non-text
// questions, and per non-text question the share E / m and k (below). The one rule that
// PayloadFromSession, CheckPayloadAgainstSurvey and the collector's stored totals share.
Tally EmptyTallyOf(const Survey& survey);

// The tally of one session as it stands (displays 1). Counts only answers SUBMITTED with Next
// (Session::submitted): a selection on the question showing at dismissal is a skip, and after
// Back the last submitted answer counts; show_if is evaluated on submitted answers too. Text
// never enters a tally.
//
// Without local DP: a question is present when it was shown and is visible given the submitted
// answers; counts hold its answer, "skipped" 1 when it has none; completions/dismissals by state.
//
// With local DP (privacy.local_dp_epsilon = E), the shape depends on the definition alone and
// every respondent-dependent field is randomized (METRICS.md, "Privacy"):
//   - m = 1 + the number of non-text questions: each non-text question is one item and
//     completion is one item; each item gets E / m (sequential composition, so one respondent
//     spends E in all).
//   - displays is the constant 1 and dismissals the constant 0; completions is a two-valued
//     answer (completed or not) randomized with k = 2.
//   - every non-text question is present; its true value is the submitted answer when the
//     question is visible given the submitted answers, else "no answer" (hidden by show_if, not
//     reached, skipped or not submitted). NPS randomizes its 3 groups plus "no answer" (k = 4;
//     11 answers plus "no answer", k = 12, with nps_full_histogram); csat/ces/rating the scale
//     plus "no answer"; single choice the options plus "no answer"; the report lands in counts
//     (NPS groups: "groups") or, for "no answer", in "skipped", which is always present.
//   - multiple choice is basic RAPPOR: one yes/no bit per option plus a "no answer" bit, each
//     randomized with k = 2 at E / m / (options + 1); counts[o] is option o's bit, "skipped" the
//     "no answer" bit, and there is no "n".
// Randomness (and nothing else) comes from `host`: in production the platform's cryptographic
// source. Two calls randomize independently.
Payload PayloadFromSession(const Session& session, const std::string& site,
                           const std::string& batch, const std::string& period, Host& host);

// The comments payload of a session: one scrubbed comment per text question whose text was
// submitted with Next and that is visible given the submitted answers, with the NPS group of the
// submitted NPS answer (no group without one); control characters other than tab and line
// breaks become spaces (PayloadFromJson refuses them). Only under privacy.comments "scrubbed" and
// never with local DP; nullopt when there is no comment to send.
std::optional<Payload> CommentsFromSession(const Session& session, const std::string& site,
                                           const std::string& batch, const std::string& period);

// Contract 3 JSON of a payload of either kind.
Json PayloadToJson(const Payload& payload);

// Validates and parses a payload of either kind, the same code on both sides of the wire.
// Without "kind" it is a tally; "kind": "comments" is a comments payload. Errors name the JSON
// pointer ("/questions/nps/counts: expected 11 counts, got 10"). Enforced:
//   both:  exactly the Contract 3 fields; batch 32 hex digits; site a host name (DNS labels or
//          an IP literal); survey a slug; period YYYY-MM-DD; locale a BCP 47 tag shape.
//   tally: no "comments"; every count an integer 0..kMaxPayloadCount; displays >= 1;
//          completions + dismissals <= displays. Without noise, per question answers plus
//          "skipped" <= displays (multiple choice: n + skipped <= displays and each option count
//          <= n). With "noise" (the local-DP shape above): every non-text question carries
//          "skipped"; for k-ary questions the counts plus "skipped" equal displays (one report
//          per display); multiple choice has no "n" and each bit count <= displays; dismissals
//          is 0; completions <= displays.
//          No string holds a control character (U+0000-U+001F, U+007F), except tab, line feed
//          and carriage return in comment text ("/comments/0/text: control character U+0000 at
//          byte 1 (not allowed in payloads)").
//   comments: no counts, questions or noise; 1 to 1000 comments {question, group?, text}, one
//          respondent's: at most one comment per question, all with the same group (or none).
Result<Payload> PayloadFromJson(const Json& json);

// Whether `locale` may label a payload of `survey` (Contract 3): one of the survey's locales
// (Survey::Locales(), compared as canonical tags) or a built-in UI locale (IsUiLocale, i18n.h).
bool IsPayloadLocale(const Survey& survey, std::string_view locale);

// The registered version a payload names, among every (id, version) ever registered. Errors
// (kNotFound, the collector's 422): "/survey: no registered survey \"x\"",
// "/survey_version: \"v\" is not a registered version of post-checkout (2026-11-01, ...)".
Result<const Survey*> FindPayloadSurvey(const Payload& payload,
                                        const std::vector<Survey>& registered);

// Checks a payload already accepted by PayloadFromJson (Contract 3) against the registered
// survey version it names: the collector answers 422 when this fails, and nothing else decides
// it. Ok, or kFailedPrecondition whose message is every mismatch found (up to 20, joined by
// "; "), each "pointer: message" with the pointer into the payload, e.g.
// "/questions/ease/scale: 5 does not match scale 7 of post-checkout version 2026-11-01".
// Checked, both kinds: survey id and survey_version equal the survey's; the locale passes
// IsPayloadLocale.
// Tally: every question exists in the survey with the same type, is not a text question, and
// has the survey's scale (csat, ces, rating; a csat "satisfied" set, when sent, is the survey's
// set), or its option ids in order and its single/multiple choice (choice). Privacy mode: noise
// present exactly when the survey sets local DP, with its epsilon; then every non-text question
// is present and each carries the budget share and k that PayloadFromSession uses for this
// survey (one rule: the same code builds both), so NPS sends "groups" unless
// nps_full_histogram, and "counts" of 0-10 then.
// Comments: the survey sets privacy.comments "scrubbed"; each comment names a text question of
// the survey; its group is "" or an NPS group, and only when the survey has an NPS question.
// The period (max-age-days) is the caller's: it needs a clock.
Status CheckPayloadAgainstSurvey(const Payload& payload, const Survey& survey);

// Whether a payload's period is recent enough to count (Contract 5, --max-age-days, a 422 when
// not): from `today - max_age_days` through `today + 1`, `today` the collector's UTC day number
// (date.h), since a respondent's local day runs up to 14 hours ahead of UTC. Errors
// (kFailedPrecondition): "/period: 2026-09-01 is older than the last 35 days (from
// 2026-10-26)", "/period: 2026-12-05 is in the future (today is 2026-11-30 UTC)".
Status CheckPayloadPeriod(const Payload& payload, int64_t today, int max_age_days);

// Scrubs every comment's text again with ScrubPii (privacy.h, METRICS.md), as the collector
// does on arrival: a comments payload is not trusted to have been scrubbed by the widget. Text
// already scrubbed is unchanged ([PHONE] and the like hold no digits). Tallies are untouched.
void RescrubComments(Payload* payload);

// A report over aggregate payloads: {"survey": <definition object or text, optional>,
// "aggregates": [payload...], "min_count": n}. A batch id counts once (a re-sent payload is
// skipped). Payloads of other surveys are an error, and so are
// comments payloads and tallies whose local-DP noise differs from the earlier ones
// ("/aggregates/3/noise: epsilon 1 does not match epsilon 2 of earlier payloads"): randomized
// reports are merged raw, by addition, and the report estimates and widens the intervals from
// them (ReportCell).
Result<Json> ReportFromPayloads(const Json& request);

}  // namespace nazar

#endif  // NAZAR_AGGREGATE_H_
