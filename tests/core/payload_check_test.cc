// CheckPayloadAgainstSurvey: a payload that Contract 3 accepts, matched against the registered
// survey version it names (the collector's 422). Every payload here is written by hand or
// produced by the widget's own code path (PayloadFromSession), never by the checker.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_host.h"
#include "nazar/aggregate.h"
#include "nazar/i18n.h"
#include "nazar/privacy.h"
#include "nazar/session.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::MustParse;
using testing::PostCheckout;

// Every countable question type, a csat with its own satisfied set, and scrubbed comments.
const char* const kAllTypes = R"({
  "nazar": 1, "id": "all-types", "version": "3", "default_locale": "en",
  "trigger": { "on": "manual" },
  "questions": [
    { "id": "nps", "type": "nps", "text": { "en": "Recommend?", "ar": "?" } },
    { "id": "why", "type": "text", "max_length": 200, "text": { "en": "Why?" } },
    { "id": "sat", "type": "csat", "scale": 7, "satisfied": [5, 6, 7], "text": { "en": "Sat?" } },
    { "id": "ease", "type": "ces", "scale": 5, "text": { "en": "Easy?" } },
    { "id": "stars", "type": "rating", "scale": 5, "text": { "en": "Stars?" } },
    { "id": "plan", "type": "choice", "text": { "en": "Plan?" },
      "options": [ { "id": "free", "text": { "en": "Free" } },
                   { "id": "pro", "text": { "en": "Pro" } } ] },
    { "id": "networks", "type": "choice", "multiple": true, "required": false,
      "text": { "en": "Networks?" },
      "options": [ { "id": "instagram", "text": { "en": "Instagram" } },
                   { "id": "x", "text": { "en": "X" } },
                   { "id": "linkedin", "text": { "en": "LinkedIn" } } ] }
  ],
  "privacy": { "comments": "scrubbed" }
})";

// Comments allowed, but no NPS question to take a group from.
const char* const kNoNps = R"({
  "nazar": 1, "id": "no-nps", "version": "1", "trigger": { "on": "manual" },
  "questions": [
    { "id": "sat", "type": "csat", "scale": 5, "text": { "en": "Sat?" } },
    { "id": "note", "type": "text", "text": { "en": "Anything else?" } }
  ],
  "privacy": { "comments": "scrubbed" }
})";

// A valid Contract 3 tally of post-checkout, written by hand (the DESIGN.md example, plus sat).
const char* const kPostCheckoutTally = R"({
  "nazar": 1, "batch": "9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a", "site": "shop.example",
  "survey": "post-checkout", "survey_version": "2026-11-01", "period": "2026-11-22",
  "locale": "fa", "displays": 3, "completions": 2, "dismissals": 1,
  "questions": {
    "nps": { "type": "nps", "counts": [0,0,0,0,0,0,1,0,0,1,0] },
    "ease": { "type": "ces", "scale": 7, "counts": [0,0,0,0,1,1,0], "skipped": 1 },
    "sat": { "type": "csat", "scale": 5, "counts": [0,0,0,1,1] },
    "channel": { "type": "choice", "options": ["web","app"], "counts": [2,0] } } })";

// Every question type of all-types, by hand.
const char* const kAllTypesTally = R"({
  "nazar": 1, "batch": "00000000000000000000000000000001", "site": "shop.example",
  "survey": "all-types", "survey_version": "3", "period": "2026-11-22",
  "locale": "ar", "displays": 4, "completions": 3, "dismissals": 1,
  "questions": {
    "nps": { "type": "nps", "counts": [1,0,0,0,0,0,0,1,0,1,1] },
    "sat": { "type": "csat", "scale": 7, "satisfied": [5,6,7], "counts": [0,0,0,1,1,1,1] },
    "ease": { "type": "ces", "scale": 5, "counts": [0,1,0,1,1], "skipped": 1 },
    "stars": { "type": "rating", "scale": 5, "counts": [0,0,1,1,2] },
    "plan": { "type": "choice", "options": ["free","pro"], "counts": [3,1] },
    "networks": { "type": "choice", "options": ["instagram","x","linkedin"], "multiple": true,
                  "n": 3, "counts": [2,1,3], "skipped": 1 } } })";

const char* const kAllTypesComments = R"({
  "nazar": 1, "kind": "comments", "batch": "00000000000000000000000000000002",
  "site": "shop.example", "survey": "all-types", "survey_version": "3", "period": "2026-11-22",
  "locale": "en",
  "comments": [ { "question": "why", "group": "detractor", "text": "late, call [PHONE]" } ] })";

const char* const kNoNpsComments = R"({
  "nazar": 1, "kind": "comments", "batch": "00000000000000000000000000000003",
  "site": "shop.example", "survey": "no-nps", "survey_version": "1", "period": "2026-11-22",
  "locale": "en", "comments": [ { "question": "note", "text": "ok" } ] })";

Survey WithDp(Survey survey, double epsilon, bool full_histogram) {
  survey.privacy.local_dp_epsilon = epsilon;
  survey.privacy.nps_full_histogram = full_histogram;
  return survey;
}

// The tally the widget sends for a session of `survey` (nps 3, why, ease 5, sat 4, channel app;
// `complete` false leaves after the NPS answer), as the collector receives it: JSON.
Json WidgetTally(const Survey& survey, bool complete, uint64_t seed) {
  FakeHost host(0, seed);
  Session s(survey, "en", &host);
  s.SelectValue(3);
  s.Next();
  if (complete) {
    s.SetText("late");
    s.Next();
    s.SelectValue(5);
    s.Next();
    s.SelectValue(4);
    s.Next();
    s.ToggleChoice("app");
    s.Next();
  } else {
    s.Dismiss();
  }
  return PayloadToJson(PayloadFromSession(s, "shop.example", NewBatchId(host), "2026-11-22", host));
}

// Parses with the Contract 3 validator first: every case below is a payload it accepts.
Payload MustAccept(const Json& json) {
  Result<Payload> p = PayloadFromJson(json);
  EXPECT_TRUE(p.ok()) << p.status().message() << "\n" << json.dump();
  return p.ok() ? p.value() : Payload();
}

TEST(PayloadCheckTest, AcceptsEveryQuestionTypeAndBothKinds) {
  const Survey post = MustParse(PostCheckout());
  const Survey all = MustParse(kAllTypes);
  const Survey no_nps = MustParse(kNoNps);
  for (const auto& [json, survey] :
       std::vector<std::pair<const char*, const Survey*>>{{kPostCheckoutTally, &post},
                                                          {kAllTypesTally, &all},
                                                          {kAllTypesComments, &all},
                                                          {kNoNpsComments, &no_nps}}) {
    const Status status = CheckPayloadAgainstSurvey(MustAccept(Json::parse(json)), *survey);
    EXPECT_TRUE(status.ok()) << status.message();
  }
}

TEST(PayloadCheckTest, AcceptsTheWidgetsOwnPayloads) {
  const Survey post = MustParse(PostCheckout());
  const Survey dp_groups = WithDp(post, 2, false);
  const Survey dp_full = WithDp(post, 0.5, true);
  for (const Survey* survey : {&post, &dp_groups, &dp_full}) {
    for (bool complete : {true, false}) {
      for (uint64_t seed = 1; seed <= 20; ++seed) {
        const Json json = WidgetTally(*survey, complete, seed);
        const Status status = CheckPayloadAgainstSurvey(MustAccept(json), *survey);
        EXPECT_TRUE(status.ok()) << status.message() << "\n" << json.dump();
      }
    }
  }
  // The randomized payloads really are randomized, grouped or full, as the survey says.
  EXPECT_TRUE(WidgetTally(dp_groups, true, 1)["questions"]["nps"].contains("groups"));
  EXPECT_EQ(WidgetTally(dp_full, true, 1)["questions"]["nps"]["counts"].size(), 11u);
  EXPECT_EQ(WidgetTally(dp_full, true, 1)["noise"]["epsilon"], 0.5);
}

TEST(PayloadCheckTest, LocaleIsTheSurveysOrABuiltInOne) {
  const Survey post = MustParse(PostCheckout());  // en, fa
  EXPECT_TRUE(IsPayloadLocale(post, "en"));
  EXPECT_TRUE(IsPayloadLocale(post, "fa"));
  EXPECT_TRUE(IsPayloadLocale(post, "FA"));  // compared as canonical tags
  EXPECT_TRUE(IsPayloadLocale(post, "ar"));  // built-in UI strings
  EXPECT_FALSE(IsPayloadLocale(post, "de"));     // a language file (web/locales) the survey lacks
  EXPECT_FALSE(IsPayloadLocale(post, "fa-IR"));  // neither the survey's nor built in
  EXPECT_FALSE(IsPayloadLocale(post, "ja"));
  EXPECT_FALSE(IsPayloadLocale(post, ""));
  EXPECT_TRUE(IsUiLocale("ar"));
  EXPECT_FALSE(IsUiLocale("tr"));
  EXPECT_FALSE(IsUiLocale("fa-IR"));
  // A survey that adds German UI strings may send German payloads.
  Json with_german = Json::parse(PostCheckout());
  with_german["strings"] = Json::parse(testing::LocaleFile("de"));
  EXPECT_TRUE(IsPayloadLocale(MustParse(with_german.dump()), "de"));
}

TEST(PayloadCheckTest, NamesTheMismatchedScaleExactly) {
  Json j = Json::parse(kPostCheckoutTally);
  j["questions"]["ease"]["scale"] = 5;
  j["questions"]["ease"]["counts"] = Json::parse("[0,0,1,1,0]");
  const Status status = CheckPayloadAgainstSurvey(MustAccept(j), MustParse(PostCheckout()));
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "/questions/ease/scale: 5 does not match scale 7 of post-checkout version 2026-11-01");
}

struct Case {
  const char* name;
  const char* definition;  // nullptr: post-checkout
  double epsilon;          // > 0: the definition with local DP (nps_full_histogram: full)
  bool full_histogram;
  const char* base;     // nullptr: the widget's own payload for that definition
  const char* patch;    // RFC 6902, applied to the base
  const char* pointer;  // the message starts with this pointer and ": "
};

const Case kCases[] = {
    {"other survey", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/survey","value":"post-signup"}])", "/survey"},
    {"other version", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/survey_version","value":"2026-12-01"}])", "/survey_version"},
    {"foreign locale", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/locale","value":"ja"}])", "/locale"},
    {"regional variant of a survey locale", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/locale","value":"en-GB"}])", "/locale"},
    {"unknown question", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"add","path":"/questions/color","value":{"type":"csat","scale":5,"counts":[0,0,0,0,1]}}])",
     "/questions/color"},
    {"text question counted", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"add","path":"/questions/why","value":{"type":"nps","counts":[0,0,0,0,0,0,0,0,0,0,1]}}])",
     "/questions/why"},
    {"type mismatch", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/questions/ease/type","value":"rating"}])",
     "/questions/ease/type"},
    {"nps sent as csat", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/questions/nps","value":{"type":"csat","scale":10,"counts":[0,0,0,0,0,0,0,0,0,1]}}])",
     "/questions/nps/type"},
    {"ces scale", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/questions/ease/scale","value":5},
         {"op":"replace","path":"/questions/ease/counts","value":[0,0,0,1,1]}])",
     "/questions/ease/scale"},
    {"csat scale", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/questions/sat/scale","value":7},
         {"op":"replace","path":"/questions/sat/counts","value":[0,0,0,0,0,1,1]}])",
     "/questions/sat/scale"},
    {"csat satisfied set", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"add","path":"/questions/sat/satisfied","value":[5]}])", "/questions/sat/satisfied"},
    {"csat custom satisfied set", kAllTypes, 0, false, kAllTypesTally,
     R"([{"op":"replace","path":"/questions/sat/satisfied","value":[6,7]}])",
     "/questions/sat/satisfied"},
    {"rating scale", kAllTypes, 0, false, kAllTypesTally,
     R"([{"op":"replace","path":"/questions/stars/scale","value":10},
         {"op":"replace","path":"/questions/stars/counts","value":[0,0,0,0,0,0,0,1,1,2]}])",
     "/questions/stars/scale"},
    {"options reordered", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/questions/channel/options","value":["app","web"]}])",
     "/questions/channel/options"},
    {"option added", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"replace","path":"/questions/channel/options","value":["web","app","phone"]},
         {"op":"replace","path":"/questions/channel/counts","value":[2,0,0]}])",
     "/questions/channel/options"},
    {"single sent as multiple", nullptr, 0, false, kPostCheckoutTally,
     R"([{"op":"add","path":"/questions/channel/multiple","value":true},
         {"op":"add","path":"/questions/channel/n","value":2}])",
     "/questions/channel/multiple"},
    {"multiple sent as single", kAllTypes, 0, false, kAllTypesTally,
     R"([{"op":"remove","path":"/questions/networks/multiple"},
         {"op":"remove","path":"/questions/networks/n"},
         {"op":"replace","path":"/questions/networks/counts","value":[1,1,0]}])",
     "/questions/networks/multiple"},
    {"noise without local DP", nullptr, 0, false, nullptr,
     R"([{"op":"add","path":"/noise","value":{"mechanism":"grr","epsilon":2}},
         {"op":"replace","path":"/questions","value":{}}])",
     "/noise"},
    {"local DP without noise", nullptr, 2, false, kPostCheckoutTally, "[]", "/noise"},
    {"other epsilon", nullptr, 2, false, nullptr,
     R"([{"op":"replace","path":"/noise/epsilon","value":1}])", "/noise/epsilon"},
    {"full histogram where groups are due", nullptr, 2, false, nullptr,
     R"([{"op":"remove","path":"/questions/nps/groups"},
         {"op":"add","path":"/questions/nps/counts","value":[0,0,0,0,0,0,0,0,0,0,0]},
         {"op":"replace","path":"/questions/nps/skipped","value":1}])",
     "/questions/nps"},
    {"groups where the full histogram is due", nullptr, 2, true, nullptr,
     R"([{"op":"remove","path":"/questions/nps/counts"},
         {"op":"add","path":"/questions/nps/groups","value":[0,0,0]},
         {"op":"replace","path":"/questions/nps/skipped","value":1}])",
     "/questions/nps"},
    {"question left out under local DP", nullptr, 2, false, nullptr,
     R"([{"op":"remove","path":"/questions/channel"}])", "/questions/channel"},
    {"comments where the survey drops them", nullptr, 0, false, kAllTypesComments,
     R"([{"op":"replace","path":"/survey","value":"post-checkout"},
         {"op":"replace","path":"/survey_version","value":"2026-11-01"}])",
     "/comments"},
    {"comment on a scale question", kAllTypes, 0, false, kAllTypesComments,
     R"([{"op":"replace","path":"/comments/0/question","value":"sat"}])", "/comments/0/question"},
    {"comment on an unknown question", kAllTypes, 0, false, kAllTypesComments,
     R"([{"op":"replace","path":"/comments/0/question","value":"reason"}])",
     "/comments/0/question"},
    {"comment group without an NPS question", kNoNps, 0, false, kNoNpsComments,
     R"([{"op":"add","path":"/comments/0/group","value":"promoter"}])", "/comments/0/group"},
    {"comments of another version", kAllTypes, 0, false, kAllTypesComments,
     R"([{"op":"replace","path":"/survey_version","value":"2"}])", "/survey_version"},
    {"comments in a foreign locale", kAllTypes, 0, false, kAllTypesComments,
     R"([{"op":"replace","path":"/locale","value":"ja"}])", "/locale"},
};

TEST(PayloadCheckTest, EveryMismatchNamesItsPointer) {
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.name);
    Survey survey = MustParse(c.definition ? c.definition : PostCheckout());
    if (c.epsilon > 0) survey = WithDp(survey, c.epsilon, c.full_histogram);
    const Json base = c.base ? Json::parse(c.base) : WidgetTally(survey, true, 7);
    const Json json = base.patch(Json::parse(c.patch));
    const Payload payload = MustAccept(json);  // well-formed: a 422, not a 400
    const Status status = CheckPayloadAgainstSurvey(payload, survey);
    EXPECT_FALSE(status.ok()) << json.dump();
    if (status.ok()) continue;
    EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(status.message().rfind(std::string(c.pointer) + ": ", 0), 0u) << status.message();
    // The unpatched base of this survey is accepted: the patch alone makes the mismatch.
    if (base["survey"] == survey.id && (c.base == nullptr || c.epsilon == 0)) {
      EXPECT_TRUE(CheckPayloadAgainstSurvey(MustAccept(base), survey).ok()) << c.name;
    }
  }
  EXPECT_GE(sizeof kCases / sizeof kCases[0], 20u);
}

TEST(PayloadCheckTest, FindsTheRegisteredVersion) {
  const Survey post = MustParse(PostCheckout());
  Survey older = post;
  older.version = "2026-01-01";
  const std::vector<Survey> registered = {older, MustParse(kAllTypes), post};
  Payload p = MustAccept(Json::parse(kPostCheckoutTally));
  Result<const Survey*> found = FindPayloadSurvey(p, registered);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value(), &registered[2]);
  p.survey_version = "2026-12-01";
  found = FindPayloadSurvey(p, registered);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(found.status().message(),
            "/survey_version: \"2026-12-01\" is not a registered version of post-checkout "
            "(2026-01-01, 2026-11-01)");
  p.survey = "post-signup";
  found = FindPayloadSurvey(p, registered);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().message(), "/survey: no registered survey \"post-signup\"");
}

TEST(PayloadCheckTest, PeriodWithinMaxAge) {
  Payload p;
  const int64_t today = 20787;  // 2026-11-30: 56 years of 365 days (20440) + 14 leap days + 333
  const auto check = [&](const char* period) {
    p.period = period;
    return CheckPayloadPeriod(p, today, 35);
  };
  EXPECT_TRUE(check("2026-11-30").ok());
  EXPECT_TRUE(check("2026-12-01").ok());  // the respondent's day can be ahead of UTC
  EXPECT_TRUE(check("2026-10-26").ok());  // 35 days back
  EXPECT_EQ(check("2026-10-25").message(),
            "/period: 2026-10-25 is older than the last 35 days (from 2026-10-26)");
  EXPECT_EQ(check("2026-10-25").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(check("2026-12-02").message(),
            "/period: 2026-12-02 is in the future (today is 2026-11-30 UTC)");
}

TEST(PayloadCheckTest, CommentsAreScrubbedAgainOnArrival) {
  // A comments payload that did not go through the widget's scrubber.
  Payload p = MustAccept(Json::parse(R"({
    "nazar": 1, "kind": "comments", "batch": "00000000000000000000000000000009",
    "site": "shop.example", "survey": "all-types", "survey_version": "3", "period": "2026-11-22",
    "locale": "en",
    "comments": [ { "question": "why", "text": "card 4111 1111 1111 1111 declined" },
                  { "question": "more", "text": "call me at [PHONE]" } ] })"));
  RescrubComments(&p);
  EXPECT_EQ(p.comments[0].text, "card [CARD] declined");  // METRICS.md example
  EXPECT_EQ(p.comments[1].text, "call me at [PHONE]");    // already scrubbed: unchanged
}

}  // namespace
}  // namespace nazar
