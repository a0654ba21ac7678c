#include "nazar/aggregate.h"

#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>

#include "fake_host.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::PostCheckout;
using testing::MustParse;

class AggregateTest : public ::testing::Test {
 protected:
  // A completed session: nps 3 -> why "..." -> ease 5 -> sat 4 -> channel app.
  Session Completed(const Survey& survey, const std::string& why = "late, call 09123456789") {
    Session s(survey, "en", &host_);
    s.SelectValue(3);
    s.Next();
    s.SetText(why);
    s.Next();
    s.SelectValue(5);
    s.Next();
    s.SelectValue(4);
    s.Next();
    s.ToggleChoice("app");
    s.Next();
    return s;
  }
  FakeHost host_{0, 11};
  Survey survey_ = MustParse(PostCheckout());
};

TEST_F(AggregateTest, PayloadHasExactlyTheContractFields) {
  Session s = Completed(survey_);
  Json j = PayloadToJson(PayloadFromSession(s, "shop.example", NewBatchId(host_), "2026-11-22", host_));
  std::set<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
  EXPECT_EQ(keys, (std::set<std::string>{"nazar", "batch", "site", "survey", "survey_version",
                                         "period", "locale", "displays", "completions",
                                         "dismissals", "questions"}));
  EXPECT_EQ(j["nazar"], 1);
  EXPECT_EQ(j["batch"].get<std::string>().size(), 32u);
  EXPECT_EQ(j["survey"], "post-checkout");
  EXPECT_EQ(j["survey_version"], "2026-11-01");
  EXPECT_EQ(j["displays"], 1);
  EXPECT_EQ(j["completions"], 1);
  EXPECT_EQ(j["dismissals"], 0);
  EXPECT_EQ(j["questions"]["nps"], Json::parse(R"({"type":"nps","counts":[0,0,0,1,0,0,0,0,0,0,0]})"));
  EXPECT_EQ(j["questions"]["ease"], Json::parse(R"({"type":"ces","scale":7,"counts":[0,0,0,0,1,0,0]})"));
  EXPECT_EQ(j["questions"]["sat"], Json::parse(R"({"type":"csat","scale":5,"counts":[0,0,0,1,0]})"));
  EXPECT_EQ(j["questions"]["channel"],
            Json::parse(R"({"type":"choice","options":["web","app"],"counts":[0,1]})"));
  EXPECT_FALSE(j["questions"].contains("why"));  // free text never leaves by default
  EXPECT_EQ(j.dump().find("late"), std::string::npos);
}

TEST_F(AggregateTest, BatchIdsAreFreshHex) {
  const std::string a = NewBatchId(host_), b = NewBatchId(host_);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST_F(AggregateTest, ScrubbedCommentsTravelApartWithOnlyTheGroup) {
  Survey survey = survey_;
  survey.privacy.comments = CommentsPolicy::kScrubbed;
  Session s = Completed(survey);
  // The tally never carries text.
  const Json tally =
      PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_));
  EXPECT_FALSE(tally.contains("comments"));
  EXPECT_EQ(tally.dump().find("late"), std::string::npos);
  std::optional<Payload> comments =
      CommentsFromSession(s, "s", "0b6e0000000000000000000000000000", "2026-11-22");
  ASSERT_TRUE(comments.has_value());
  EXPECT_EQ(
      PayloadToJson(*comments),
      Json::parse(R"({"nazar":1,"kind":"comments","batch":"0b6e0000000000000000000000000000",)"
                  R"("site":"s","survey":"post-checkout","survey_version":"2026-11-01",)"
                  R"("period":"2026-11-22","locale":"en","comments":[{"question":"why",)"
                  R"("group":"detractor","text":"late, call [PHONE]"}]})"));
  auto back = PayloadFromJson(PayloadToJson(*comments));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->kind, PayloadKind::kComments);
  EXPECT_EQ(back->comments.size(), 1u);
  // Without "scrubbed" nothing at all.
  EXPECT_FALSE(
      CommentsFromSession(Completed(survey_), "s", "0b6e0000000000000000000000000000", "2026-11-22")
          .has_value());
}

TEST_F(AggregateTest, UnansweredSeenQuestionsAreSkippedNotCounted) {
  Session s(survey_, "en", &host_);
  s.SelectValue(1);
  s.Next();
  s.Skip();
  s.Dismiss();  // dismissed on "ease"
  Json j = PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_));
  EXPECT_EQ(j["dismissals"], 1);
  EXPECT_EQ(j["questions"]["ease"]["skipped"], 1);
  EXPECT_EQ(j["questions"]["ease"]["counts"], Json::parse("[0,0,0,0,0,0,0]"));
  EXPECT_FALSE(j["questions"].contains("sat"));  // never reached
}

TEST_F(AggregateTest, LocalDpRandomizesEveryQuestionAndDeclaresNoise) {
  Survey survey = survey_;
  survey.privacy.local_dp_epsilon = 2.0;
  Session s = Completed(survey);
  Payload p = PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_);
  Json j = PayloadToJson(p);
  EXPECT_EQ(j["noise"], Json::parse(R"({"mechanism":"grr","epsilon":2.0})"));
  EXPECT_EQ(j["displays"], 1);
  EXPECT_EQ(j["dismissals"], 0);  // constant: completion is the randomized two-valued answer
  ASSERT_TRUE(j["questions"]["nps"].contains("groups"));
  EXPECT_FALSE(j["questions"]["nps"].contains("counts"));
  // One report per question: an answer value or "no answer" (skipped).
  for (const char* id : {"nps", "ease", "sat", "channel"}) {
    const Json& q = j["questions"][id];
    double total = q["skipped"].get<double>();
    for (const Json& c : q.contains("groups") ? q["groups"] : q["counts"]) total += c.get<double>();
    EXPECT_EQ(total, 1) << id;
  }
  EXPECT_FALSE(j["questions"].contains("why"));
  auto back = PayloadFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  // Each question carries its mechanism, on both sides of the wire: 5 items (nps, ease, sat,
  // channel, completion) share epsilon 2, 0.4 each; k counts "no answer".
  for (const Payload* side : {&p, &*back}) {
    EXPECT_EQ(side->tally.noise_epsilon, 2.0);
    EXPECT_EQ(side->tally.noise_items, 5);
    const QuestionTally* nps = side->tally.Find("nps");
    ASSERT_NE(nps, nullptr);
    EXPECT_TRUE(nps->NpsGrouped());
    EXPECT_NEAR(nps->noise_epsilon, 0.4, 1e-12);
    EXPECT_EQ(nps->noise_k, 4);                          // 3 groups + no answer
    EXPECT_EQ(side->tally.Find("ease")->noise_k, 8);     // 7 points + no answer
    EXPECT_EQ(side->tally.Find("channel")->noise_k, 3);  // 2 options + no answer
  }
  EXPECT_EQ(PayloadToJson(*back), j);
}

TEST_F(AggregateTest, LocalDpEstimatorIsUnbiasedOverManySessions) {
  Survey survey = survey_;
  survey.privacy.local_dp_epsilon = 5.0;  // 5 items: 1 each
  Tally total = Tally::For(survey);
  const int kSessions = 20000;
  for (int i = 0; i < kSessions; ++i) {
    Session s(survey, "en", &host_);
    s.SelectValue(i % 2 == 0 ? 10 : 2);  // half promoters, half detractors: NPS 0
    s.Next();
    if (i % 4 == 0) {  // a quarter complete: 10 -> ease, sat, channel
      for (int k = 0; k < 3; ++k) {
        if (s.current_question().type == QuestionType::kChoice) {
          s.ToggleChoice("web");
        } else {
          s.SelectValue(3);
        }
        s.Next();
      }
    }
    const Payload p =
        PayloadFromSession(s, "s", "00000000000000000000000000000000", "2026-11-22", host_);
    ASSERT_TRUE(total.Merge(p.tally));  // raw reports merge by addition
  }
  const Json cell = ReportCell(total, ReportOptions{});
  const Json& nps = cell["questions"]["nps"];
  ASSERT_TRUE(nps.contains("noise")) << nps.dump();
  EXPECT_EQ(nps["noise"]["k"], 4);
  // k 4 at eps 1: p - q = 0.3005. Standard error of each estimated share here about
  // sqrt(0.25 / 20000) / 0.3005 = 1.2%; of the score 100 sqrt(1 / 20000) / 0.3005 = 2.4 points.
  // Allow 4 sigma.
  EXPECT_NEAR(nps["n"].get<double>() / kSessions, 1.0, 0.05);
  EXPECT_NEAR(nps["score"].get<double>(), 0.0, 10.0);
  EXPECT_NEAR(nps["promoters"].get<double>() / kSessions, 0.5, 0.05);
  EXPECT_NEAR(nps["detractors"].get<double>() / kSessions, 0.5, 0.05);
  // Nobody answered sat except the completing quarter: 5000 answers, 15000 "no answer".
  EXPECT_NEAR(cell["questions"]["sat"]["n"].get<double>(), 5000, 1000);
  EXPECT_NEAR(cell["questions"]["sat"]["skipped"].get<double>(), 15000, 1000);
  EXPECT_NEAR(cell["questions"]["sat"]["counts"][2].get<double>(), 5000, 1000);  // all answered 3
  EXPECT_NEAR(cell["questions"]["sat"]["score"].get<double>(), 0.0, 10.0);
  // Completions: a quarter.
  EXPECT_NEAR(cell["completions"].get<double>(), 5000, 1000);
  EXPECT_EQ(cell["noise"], Json::parse(R"({"mechanism":"grr","epsilon":5.0,"items":5})"));
}

TEST_F(AggregateTest, ReportFromNoisyPayloadsWidensAndNamesMismatches) {
  auto payloads = [&](double eps, bool full, int count) {
    Survey survey = survey_;
    survey.privacy.local_dp_epsilon = eps;
    survey.privacy.nps_full_histogram = full;
    Json out = Json::array();
    for (int i = 0; i < count; ++i) {
      Session s(survey, "en", &host_);
      s.SelectValue(i % 3 == 0 ? 3 : 9);
      s.Next();
      s.Dismiss();
      out.push_back(PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_)));
    }
    return out;
  };
  Json aggregates = payloads(2.0, false, 40);
  auto report = ReportFromPayloads({{"aggregates", aggregates}, {"survey", PostCheckout()}});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ((*report)["noise"], Json::parse(R"({"mechanism":"grr","epsilon":2.0,"items":5})"));
  const Json& nps = (*report)["questions"]["nps"];
  // The raw reports of the report are the sums of the payloads' groups and skips (counted here
  // from the JSON sent), at cells 0, 7 and 9.
  std::vector<int64_t> groups(3, 0);
  int64_t none = 0;
  for (const Json& a : aggregates) {
    for (int g = 0; g < 3; ++g) groups[g] += a["questions"]["nps"]["groups"][g].get<int64_t>();
    none += a["questions"]["nps"]["skipped"].get<int64_t>();
  }
  EXPECT_EQ(groups[0] + groups[1] + groups[2] + none, 40);
  EXPECT_EQ(nps["noise"]["reported_counts"],
            Json({groups[0], 0, 0, 0, 0, 0, 0, groups[1], 0, groups[2], 0}));
  EXPECT_EQ(nps["noise"]["reported_skipped"], none);
  EXPECT_EQ(nps["noise"]["k"], 4);
  EXPECT_NEAR(nps["noise"]["epsilon"].get<double>(), 0.4, 1e-12);  // 2 over 5 items
  EXPECT_EQ((*report)["displays"], 40);
  // At 40 reports and eps 0.4 per item the interval is far wider than any sampling-only
  // interval at n = 40 (+-31: 2 z sqrt(1 / 40)).
  EXPECT_GT(nps["ci95"][1].get<double>() - nps["ci95"][0].get<double>(), 62);

  auto expect_error = [&](Json list, const std::string& message) {
    auto r = ReportFromPayloads({{"aggregates", list}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), message);
  };
  Json mixed = payloads(2.0, false, 3);
  mixed.push_back(payloads(1.0, false, 1)[0]);
  expect_error(mixed, "/aggregates/3/noise: epsilon 1 does not match 2 of earlier payloads");
  mixed = payloads(2.0, false, 1);
  Json plain =
      Json::parse(R"({"nazar":1,"batch":"00000000000000000000000000000001","site":"s",)"
                  R"("survey":"post-checkout","survey_version":"1","period":"2026-11-22",)"
                  R"("locale":"en","displays":1,"completions":0,"dismissals":1,)"
                  R"("questions":{"nps":{"type":"nps","counts":[0,0,0,0,0,0,0,0,0,1,0]}}})");
  mixed.push_back(plain);
  expect_error(mixed, "/aggregates/1/noise: no noise does not match epsilon 2 of earlier payloads");
  mixed = payloads(2.0, false, 2);
  mixed.push_back(payloads(2.0, true, 1)[0]);
  expect_error(mixed,
               "/aggregates/2/questions/nps/noise: randomized over 12 values, earlier payloads "
               "over 4");
}

TEST_F(AggregateTest, RoundTripsThroughJson) {
  Session s = Completed(survey_);
  Payload p = PayloadFromSession(s, "shop.example", NewBatchId(host_), "2026-11-22", host_);
  Json j = PayloadToJson(p);
  auto back = PayloadFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(PayloadToJson(*back), j);
}

TEST_F(AggregateTest, RejectsIdentifiersAndMalformedCounts) {
  Json good = PayloadToJson(
      PayloadFromSession(Completed(survey_), "shop.example", NewBatchId(host_), "2026-11-22", host_));
  auto expect_error = [&](Json j, const std::string& needle) {
    auto r = PayloadFromJson(j);
    ASSERT_FALSE(r.ok()) << j.dump();
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  };
  Json j = good;
  j["user_agent"] = "Mozilla";
  expect_error(j, "/user_agent: unknown field");
  j = good;
  j["site"] = "shop.example/checkout?id=42";
  expect_error(j, "/site: expected a host name");
  j = good;
  j["period"] = "2026-11-22T10:00:00Z";
  expect_error(j, "/period: expected a day");
  j = good;
  j["questions"]["nps"]["counts"] = Json::parse("[1,2]");
  expect_error(j, "/questions/nps/counts: expected 11 counts, got 2");
  j = good;
  j["questions"]["nps"]["counts"][3] = -1;
  expect_error(j, "/questions/nps/counts/3: expected a whole count");
  j = good;
  j["questions"]["ease"]["scale"] = 6;
  expect_error(j, "/questions/ease/scale: 6 is not a valid ces scale");
  j = good;
  j["completions"] = 5;
  expect_error(j, "/completions: completions + dismissals exceed displays");
  j = good;
  j["batch"] = "xyz";
  expect_error(j, "/batch: expected 32 lowercase hex digits");
  j = good;
  j["questions"]["nps"]["groups"] = Json::parse("[1,0,0]");
  expect_error(j, "/questions/nps/groups: NPS groups are only sent with local-DP noise");
  expect_error(Json::array(), "/: expected a payload object");
}

TEST_F(AggregateTest, ReportFromPayloadsMergesByAddition) {
  Json aggregates = Json::array();
  for (int score : {10, 10, 9, 8, 3, 0}) {
    Session s(survey_, "en", &host_);
    s.SelectValue(score);
    s.Next();
    s.Dismiss();
    aggregates.push_back(
        PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-2" + std::to_string(score % 3), host_)));
  }
  auto report = ReportFromPayloads({{"aggregates", aggregates}});
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ((*report)["survey"], "post-checkout");
  EXPECT_EQ((*report)["displays"], 6);
  EXPECT_EQ((*report)["from"], "2026-11-20");
  EXPECT_EQ((*report)["to"], "2026-11-22");
  const Json& nps = (*report)["questions"]["nps"];
  EXPECT_EQ(nps["n"], 6);
  EXPECT_EQ(nps["promoters"], 3);
  EXPECT_EQ(nps["detractors"], 2);
  EXPECT_NEAR(nps["score"].get<double>(), 100.0 * (3 - 2) / 6, 0.051);

  Json other = aggregates[0];
  other["survey"] = "other";
  other["batch"] = NewBatchId(host_);  // the same batch would be skipped as a resend
  aggregates.push_back(other);
  auto mixed = ReportFromPayloads({{"aggregates", aggregates}});
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().message(), "/aggregates/6/survey: \"other\" is not \"post-checkout\"");
}

}  // namespace
}  // namespace nazar

namespace nazar {
namespace {

class AggregatePrivacyTest : public ::testing::Test {
 protected:
  FakeHost host_{0, 21};
  Survey survey_ = testing::MustParse(testing::PostCheckout());
};

// Under local DP no comment leaves at all (the validator rejects the combination; the core
// refuses it too): a comment's presence would reveal the group.
TEST_F(AggregatePrivacyTest, NoisyPayloadsHaveNoComments) {
  Survey survey = survey_;
  survey.privacy.comments = CommentsPolicy::kScrubbed;
  survey.privacy.local_dp_epsilon = 0.1;
  Session s(survey, "en", &host_);
  s.SelectValue(0);
  s.Next();
  s.SetText("slow");
  s.Next();
  EXPECT_FALSE(CommentsFromSession(s, "s", NewBatchId(host_), "2026-11-22").has_value());
  EXPECT_FALSE(PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_))
                   .contains("comments"));
}

// Text typed but not submitted (the respondent closed the survey instead, or went Back) never
// leaves; after Back the last SUBMITTED text is what counts.
TEST_F(AggregatePrivacyTest, UnsubmittedTextStaysOnTheDevice) {
  Survey survey = survey_;
  survey.privacy.comments = CommentsPolicy::kScrubbed;
  Session s(survey, "en", &host_);
  s.SelectValue(0);
  s.Next();
  s.SetText("call me at 0912 345 6789");
  s.Dismiss();
  EXPECT_FALSE(CommentsFromSession(s, "s", NewBatchId(host_), "2026-11-22").has_value());

  Session back(survey, "en", &host_);
  back.SelectValue(0);
  back.Next();
  back.SetText("call me at 0912 345 6789");
  back.Back();
  back.Dismiss();
  EXPECT_FALSE(CommentsFromSession(back, "s", NewBatchId(host_), "2026-11-22").has_value());

  Session edited(survey, "en", &host_);
  edited.SelectValue(0);
  edited.Next();
  edited.SetText("slow delivery");
  edited.Next();
  edited.Back();
  edited.SetText("slow delivery, call 09123456789");  // edited, never submitted
  edited.Dismiss();
  auto c = CommentsFromSession(edited, "s", NewBatchId(host_), "2026-11-22");
  ASSERT_TRUE(c.has_value());
  ASSERT_EQ(c->comments.size(), 1u);
  EXPECT_EQ(c->comments[0].text, "slow delivery");
}

// Integers beyond int range are refused, not truncated into valid-looking values.
TEST_F(AggregatePrivacyTest, HugeIntegersAreRefusedNotTruncated) {
  Session s(survey_, "en", &host_);
  s.SelectValue(9);
  s.Next();
  Json good = PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_));
  Json j = good;
  j["nazar"] = 4294967297LL;  // 2^32 + 1: would truncate to 1
  EXPECT_FALSE(PayloadFromJson(j).ok());
  j = good;
  j["questions"]["ease"] = Json::parse(R"({"type":"ces","scale":4294967301,"counts":[0,0,0,0,0]})");
  EXPECT_FALSE(PayloadFromJson(j).ok());
  j = good;
  j["displays"] = 18446744073709551615ULL;
  EXPECT_FALSE(PayloadFromJson(j).ok());
}

}  // namespace
}  // namespace nazar

namespace nazar {
namespace {

// A survey with every kind of branch: a CSAT only detractors see and a CES only promoters see
// (show_if on NPS), an optional multiple choice, an optional rating, a single choice and text.
const char kBranchy[] = R"({
  "nazar": 1, "id": "branchy", "version": "1", "default_locale": "en",
  "questions": [
    { "id": "nps", "type": "nps", "text": { "en": "Recommend?" } },
    { "id": "sad", "type": "csat", "scale": 5, "text": { "en": "Satisfied?" },
      "show_if": { "question": "nps", "max": 6 } },
    { "id": "happy", "type": "ces", "scale": 7, "text": { "en": "Easy?" },
      "show_if": { "question": "nps", "min": 9 } },
    { "id": "tags", "type": "choice", "multiple": true, "required": false, "text": { "en": "What?" },
      "options": [ { "id": "price", "text": { "en": "Price" } },
                   { "id": "speed", "text": { "en": "Speed" } },
                   { "id": "care", "text": { "en": "Care" } } ] },
    { "id": "stars", "type": "rating", "scale": 5, "required": false, "text": { "en": "Stars?" } },
    { "id": "pick", "type": "choice", "text": { "en": "Where?" },
      "show_if": { "question": "tags", "any_of": ["price"] },
      "options": [ { "id": "web", "text": { "en": "Web" } }, { "id": "app", "text": { "en": "App" } } ] },
    { "id": "why", "type": "text", "text": { "en": "Why?" } }
  ]
})";

class PayloadRulesTest : public ::testing::Test {
 protected:
  Json Tally(const Session& s) {
    return PayloadToJson(
        PayloadFromSession(s, "shop.example", NewBatchId(host_), "2026-11-22", host_));
  }
  FakeHost host_{0, 31};
  Survey survey_ = testing::MustParse(kBranchy);
};

// ---- Only submitted answers count ----

TEST_F(PayloadRulesTest, ASelectionNotSubmittedIsASkip) {
  Session s(survey_, "en", &host_);
  s.SelectValue(9);  // selected, then the respondent closes the survey
  s.Dismiss();
  EXPECT_EQ(Tally(s)["questions"],
            Json::parse(R"({"nps":{"type":"nps","counts":[0,0,0,0,0,0,0,0,0,0,0],"skipped":1}})"));
}

TEST_F(PayloadRulesTest, AfterBackTheLastSubmittedAnswerCounts) {
  Session s(survey_, "en", &host_);
  s.SelectValue(3);
  s.Next();  // 3 submitted: "sad" shows
  s.SelectValue(2);
  s.Next();  // sad 2 submitted: on to "tags"
  s.Back();
  s.Back();          // back on nps
  s.SelectValue(9);  // changed, not submitted
  s.Dismiss();
  // nps 3 counts; "sad" shows given the submitted 3 and counts its 2; "happy" (nps >= 9) was
  // never shown given submitted answers; "tags" was shown and never submitted: a skip.
  EXPECT_EQ(Tally(s)["questions"], Json::parse(R"({
    "nps": {"type":"nps","counts":[0,0,0,1,0,0,0,0,0,0,0]},
    "sad": {"type":"csat","scale":5,"counts":[0,1,0,0,0]},
    "tags": {"type":"choice","options":["price","speed","care"],"counts":[0,0,0],"multiple":true,
             "n":0,"skipped":1}})"));
}

TEST_F(PayloadRulesTest, ResubmittingHidesWhatTheNewAnswerHides) {
  Session s(survey_, "en", &host_);
  s.SelectValue(3);
  s.Next();
  s.SelectValue(2);
  s.Next();  // sad answered
  s.Back();
  s.Back();
  s.SelectValue(10);
  s.Next();  // 10 submitted: "sad" no longer shows, "happy" does
  s.Dismiss();
  // "tags" was shown before Back and never submitted: still a skip.
  EXPECT_EQ(Tally(s)["questions"], Json::parse(R"({
    "nps": {"type":"nps","counts":[0,0,0,0,0,0,0,0,0,0,1]},
    "happy": {"type":"ces","scale":7,"counts":[0,0,0,0,0,0,0],"skipped":1},
    "tags": {"type":"choice","options":["price","speed","care"],"counts":[0,0,0],"multiple":true,
             "n":0,"skipped":1}})"));
}

// ---- Local DP: the payload's shape depends on the definition alone ----

// The shape of a JSON value: keys and array lengths, recursively; every number and string
// replaced by a placeholder (booleans kept: they are definition constants).
Json Shape(const Json& j) {
  if (j.is_object()) {
    Json out = Json::object();
    for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = Shape(it.value());
    return out;
  }
  if (j.is_array()) {
    Json out = Json::array();
    for (const Json& e : j) out.push_back(Shape(e));
    return out;
  }
  if (j.is_number()) return 0;
  if (j.is_string()) return "s";
  return j;
}

// One way through the survey: the NPS value and what to do afterwards.
enum class Path {
  kOpenOnly,
  kSelectThenClose,
  kSubmitThenClose,
  kSubmitBackClose,
  kAnswerAll,
  kSkipOptional,
  kTagsPrice
};

Session Walk(const Survey& survey, Host* host, int nps, Path path) {
  Session s(survey, "en", host);
  if (path == Path::kOpenOnly) return s;
  s.SelectValue(nps);
  if (path == Path::kSelectThenClose) {
    s.Dismiss();
    return s;
  }
  s.Next();
  if (path == Path::kSubmitThenClose || path == Path::kSubmitBackClose) {
    if (path == Path::kSubmitBackClose) s.Back();
    s.Dismiss();
    return s;
  }
  while (s.state() == SessionState::kQuestion) {
    const Question& q = s.current_question();
    if (!q.required && path == Path::kSkipOptional) {
      s.Skip();
      continue;
    }
    if (q.type == QuestionType::kChoice) {
      s.ToggleChoice(q.id == "tags" && path == Path::kTagsPrice ? "price" : q.options.back().id);
      if (q.multiple && path == Path::kAnswerAll) s.ToggleChoice(q.options.front().id);
    } else if (q.type == QuestionType::kText) {
      s.SetText("fine");
    } else {
      s.SelectValue(q.MinValue());
    }
    s.Next();
  }
  return s;
}

TEST_F(PayloadRulesTest, LocalDpShapeIsTheSameForEveryAnswerAndBranch) {
  const Path kPaths[] = {Path::kOpenOnly,        Path::kSelectThenClose, Path::kSubmitThenClose,
                         Path::kSubmitBackClose, Path::kAnswerAll,       Path::kSkipOptional,
                         Path::kTagsPrice};
  for (bool full : {false, true}) {
    Survey survey = survey_;
    survey.privacy.local_dp_epsilon = 1.0;
    survey.privacy.nps_full_histogram = full;
    std::optional<Json> first;
    std::set<std::string> plain_shapes;
    for (int nps = 0; nps <= 10; ++nps) {
      for (Path path : kPaths) {
        const Session s = Walk(survey, &host_, nps, path);
        const Json shape = Shape(Tally(s));
        if (!first) first = shape;
        EXPECT_EQ(shape, *first) << "nps " << nps << " path " << static_cast<int>(path);
        // The same walk without noise: shapes differ (the test sees branches at all).
        Survey plain = survey;
        plain.privacy.local_dp_epsilon.reset();
        plain_shapes.insert(Shape(Tally(Walk(plain, &host_, nps, path))).dump());
      }
    }
    EXPECT_GT(plain_shapes.size(), 5u);
    // Every non-text question present, each with its "no answer" report.
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ((*first)["questions"].size(), 6u);
    for (auto it = (*first)["questions"].begin(); it != (*first)["questions"].end(); ++it) {
      EXPECT_TRUE(it.value().contains("skipped")) << it.key();
    }
  }
}

// ---- PayloadFromJson: Contract 3's invariants ----

Json PlainPayload() {
  return Json::parse(R"({"nazar":1,"batch":"9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a","site":"shop.example",
    "survey":"post-checkout","survey_version":"2026-11-01","period":"2026-11-22","locale":"fa",
    "displays":3,"completions":2,"dismissals":1,
    "questions":{
      "nps":{"type":"nps","counts":[0,0,0,0,0,0,1,0,0,1,0]},
      "ease":{"type":"ces","scale":7,"counts":[0,0,0,0,1,1,0],"skipped":1},
      "tags":{"type":"choice","options":["price","speed"],"counts":[2,1],"multiple":true,"n":2,
              "skipped":1}}})");
}

void ExpectError(const Json& j, const std::string& needle) {
  auto r = PayloadFromJson(j);
  ASSERT_FALSE(r.ok()) << j.dump();
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
}

TEST(PayloadFromJson, AcceptsTheContractExample) {
  auto r = PayloadFromJson(PlainPayload());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->kind, PayloadKind::kTally);
  EXPECT_EQ(r->tally.Find("tags")->answered, 2);
}

TEST(PayloadFromJson, AnswersPlusSkipsNeverExceedDisplays) {
  Json j = PlainPayload();
  j["questions"]["ease"]["counts"][0] = 2;  // 4 answers + 1 skip > 3 displays
  ExpectError(j, "/questions/ease: answers plus skipped (5) exceed the displays (3)");
  j = PlainPayload();
  j["questions"]["tags"]["n"] = 3;  // 3 + 1 > 3
  ExpectError(j, "/questions/tags: answers plus skipped (4) exceed the displays (3)");
  j = PlainPayload();
  j["questions"]["tags"]["counts"][0] = 3;  // chosen by more respondents than answered
  ExpectError(j, "/questions/tags/counts/0: exceeds n (2)");
  j = PlainPayload();
  j["dismissals"] = 2;
  ExpectError(j, "/completions: completions + dismissals exceed displays");
  j = PlainPayload();
  j["displays"] = 0;
  ExpectError(j, "/displays: expected at least 1 display");
}

TEST(PayloadFromJson, CountsAreCappedPerPayload) {
  Json j = PlainPayload();
  j["displays"] = 10000;
  j["questions"]["nps"]["counts"][0] = 9998;
  EXPECT_TRUE(PayloadFromJson(j).ok());
  j["displays"] = 10001;
  ExpectError(j, "/displays: expected a whole count from 0 to 10000");
  j = PlainPayload();
  j["questions"]["nps"]["counts"][3] = 10001;
  ExpectError(j, "/questions/nps/counts/3: expected a whole count from 0 to 10000");
}

TEST(PayloadFromJson, LocaleAndSiteHaveTheirShapes) {
  for (const char* site : {"shop.example", "localhost", "xn--mgbh0fb.example", "10.0.0.1", "[::1]",
                           "a-b.c1.example"}) {
    Json j = PlainPayload();
    j["site"] = site;
    EXPECT_TRUE(PayloadFromJson(j).ok()) << site;
  }
  for (const char* site : {"https://shop.example", "shop.example/checkout", "shop.example:8080",
                           ":8080", "", "-shop.example", "shop..example", "999.1.1.1",
                           "shop.example?id=4", "user@shop.example", "[zz::1]", "shop example",
                           // all digits and long: must not overflow an octet (found by fuzzing)
                           "2222222224", "1.2.3.99999999999"}) {
    Json j = PlainPayload();
    j["site"] = site;
    ExpectError(j, "/site: expected a host name");
  }
  for (const char* locale : {"en-US/../x", "english please", "", "e"}) {
    Json j = PlainPayload();
    j["locale"] = locale;
    ExpectError(j, "/locale: expected a BCP 47 language tag");
  }
}

TEST(PayloadFromJson, KindsNeverMix) {
  Json j = PlainPayload();
  j["comments"] = Json::parse(R"([{"question":"why","text":"hi"}])");
  ExpectError(j,
              "/comments: unknown field (a tally carries only counts; comments travel in their "
              "own payload)");
  Json c = Json::parse(R"({"nazar":1,"kind":"comments","batch":"0b6e0000000000000000000000000000",
    "site":"shop.example","survey":"post-checkout","survey_version":"2026-11-01",
    "period":"2026-11-22","locale":"fa",
    "comments":[{"question":"why","group":"detractor","text":"late, call me on [PHONE]"}]})");
  auto ok = PayloadFromJson(c);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->kind, PayloadKind::kComments);
  EXPECT_EQ(ok->comments[0].group, "detractor");
  Json counted = c;
  counted["displays"] = 1;
  ExpectError(counted, "/displays: unknown field (a comments payload carries no counts)");
  counted = c;
  counted["questions"] = Json::object();
  ExpectError(counted, "/questions: unknown field (a comments payload carries no counts)");
  Json empty = c;
  empty["comments"] = Json::array();
  ExpectError(empty, "/comments: expected a list of 1 to 1000 comments");
  Json other = c;
  other["kind"] = "tally";
  ExpectError(other, "/kind: expected \"comments\"");
  Json score = c;
  score["comments"][0]["score"] = 3;
  ExpectError(score, "/comments/0/score: unknown field");
}

// A noisy payload has exactly the local-DP shape: every question with "skipped", one report per
// display, no "n", dismissals 0.
TEST(PayloadFromJson, NoisyPayloadsHaveTheLocalDpShape) {
  const Json noisy = Json::parse(R"({"nazar":1,"batch":"9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a",
    "site":"shop.example","survey":"s","survey_version":"1","period":"2026-11-22","locale":"en",
    "displays":2,"completions":1,"dismissals":0,
    "questions":{
      "nps":{"type":"nps","groups":[1,0,0],"skipped":1},
      "tags":{"type":"choice","options":["price","speed"],"counts":[2,0],"multiple":true,
              "skipped":1}},
    "noise":{"mechanism":"grr","epsilon":2}})");
  auto r = PayloadFromJson(noisy);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->tally.noise_items, 3);
  EXPECT_NEAR(r->tally.Find("nps")->noise_epsilon, 2.0 / 3, 1e-12);
  EXPECT_EQ(r->tally.Find("tags")->answered, 2);  // reports: one per display
  Json j = noisy;
  j["questions"]["nps"].erase("skipped");
  ExpectError(j, "/questions/nps/skipped: missing");
  j = noisy;
  j["questions"]["nps"]["groups"][1] = 1;
  ExpectError(j,
              "/questions/nps: randomized reports (counts plus skipped, 3) must equal the "
              "displays (2)");
  j = noisy;
  j["dismissals"] = 1;
  j["completions"] = 0;
  ExpectError(j, "/dismissals: must be 0 with local-DP noise");
  j = noisy;
  j["questions"]["tags"]["n"] = 1;
  ExpectError(j, "/questions/tags/n: randomized multiple-choice reports carry no n");
  j = noisy;
  j["questions"]["tags"]["counts"][0] = 3;
  ExpectError(j,
              "/questions/tags/counts/0: a randomized bit reported more often than the 2 "
              "displays");
}

// The survey definition and the collector share one epsilon limit: a definition at the limit
// yields payloads the collector accepts, and both reject just above it (METRICS.md: epsilon in
// (0, 10]).
TEST(PayloadFromJson, EpsilonLimitMatchesTheDefinition) {
  EXPECT_EQ(kMaxLocalDpEpsilon, 10);
  const std::string nps = R"([{"id": "nps", "type": "nps", "text": {"en": "N?"}}])";
  auto definition = [&](const char* epsilon) {
    return ParseDefinitions(R"({"nazar": 1, "id": "s", "version": "1", "questions": )" + nps +
                            R"(, "privacy": {"local_dp_epsilon": )" + epsilon + "}}");
  };
  EXPECT_TRUE(definition("10").ok());
  EXPECT_FALSE(definition("10.001").ok());
  Json payload = Json::parse(R"({"nazar":1,"batch":"9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a",
    "site":"shop.example","survey":"s","survey_version":"1","period":"2026-11-22","locale":"en",
    "displays":1,"completions":1,"dismissals":0,
    "questions":{"nps":{"type":"nps","groups":[1,0,0],"skipped":0}},
    "noise":{"mechanism":"grr","epsilon":10}})");
  EXPECT_TRUE(PayloadFromJson(payload).ok());
  payload["noise"]["epsilon"] = 10.001;
  ExpectError(payload, "/noise/epsilon: expected a number in (0, 10]");
}

// Grouped NPS reports sit at the lowest answer of each group: 0 (detractors 0-6), 7 (passives
// 7-8), 9 (promoters 9-10), where every statistic reads the group right.
TEST(PayloadFromJson, GroupedNpsCellsAreTheGroupsLowestAnswers) {
  EXPECT_EQ(QuestionTally::kNpsGroupCell[0], 0);
  EXPECT_EQ(QuestionTally::kNpsGroupCell[1], 7);
  EXPECT_EQ(QuestionTally::kNpsGroupCell[2], 9);
  const Json noisy = Json::parse(R"({"nazar":1,"batch":"9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a",
    "site":"shop.example","survey":"s","survey_version":"1","period":"2026-11-22","locale":"en",
    "displays":6,"completions":6,"dismissals":0,
    "questions":{"nps":{"type":"nps","groups":[1,2,3],"skipped":0}},
    "noise":{"mechanism":"grr","epsilon":2}})");
  auto r = PayloadFromJson(noisy);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->tally.Find("nps")->counts, (std::vector<double>{1, 0, 0, 0, 0, 0, 0, 2, 0, 3, 0}));
}

}  // namespace
}  // namespace nazar

// ---- Control characters, one respondent's comments, the empty tally (issue 6) ----

namespace nazar {
namespace {

using testing::MustParse;
using testing::PostCheckout;

Json CommentsPayload() {
  return Json::parse(R"({"nazar":1,"kind":"comments","batch":"9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a",
    "site":"shop.example","survey":"post-checkout","survey_version":"2026-11-01",
    "period":"2026-11-22","locale":"en",
    "comments":[{"question":"why","group":"detractor","text":"slow"}]})");
}

// The whole error message of `j`, "" when accepted.
std::string ErrorOf(const Json& j) {
  Result<Payload> r = PayloadFromJson(j);
  return r.ok() ? "" : r.status().message();
}

TEST(PayloadFromJsonControls, EveryStringRefusesControlCharactersWithItsPointer) {
  struct Case {
    Json payload;
    const char* pointer;
    std::string value;
    const char* expected;
  };
  const std::string nul("a\0b", 3);
  const std::vector<Case> cases = {
      {CommentsPayload(), "/comments/0/text", nul,
       "/comments/0/text: control character U+0000 at byte 1 (not allowed in payloads)"},
      {CommentsPayload(), "/comments/0/text", "ok\x1b[31m",
       "/comments/0/text: control character U+001B at byte 2 (not allowed in payloads)"},
      {CommentsPayload(), "/comments/0/text", "del\x7f",
       "/comments/0/text: control character U+007F at byte 3 (not allowed in payloads)"},
      {CommentsPayload(), "/comments/0/text", "\x0b",
       "/comments/0/text: control character U+000B at byte 0 (not allowed in payloads)"},
      {CommentsPayload(), "/comments/0/question", "why\n",
       "/comments/0/question: control character U+000A at byte 3 (not allowed in payloads)"},
      {CommentsPayload(), "/comments/0/group", std::string("detractor\0", 10),
       "/comments/0/group: control character U+0000 at byte 9 (not allowed in payloads)"},
      {PlainPayload(), "/survey_version", "2026-11-01\t",
       "/survey_version: control character U+0009 at byte 10 (not allowed in payloads)"},
      {PlainPayload(), "/survey_version", std::string("\0", 1),
       "/survey_version: control character U+0000 at byte 0 (not allowed in payloads)"},
      {PlainPayload(), "/site", "shop.example\r",
       "/site: control character U+000D at byte 12 (not allowed in payloads)"},
      {PlainPayload(), "/survey", "post\x01",
       "/survey: control character U+0001 at byte 4 (not allowed in payloads)"},
      {PlainPayload(), "/locale", "fa\x1f",
       "/locale: control character U+001F at byte 2 (not allowed in payloads)"},
      {PlainPayload(), "/period", "2026-11-2\x7f",
       "/period: control character U+007F at byte 9 (not allowed in payloads)"},
      {PlainPayload(), "/batch", "9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5\n",
       "/batch: control character U+000A at byte 31 (not allowed in payloads)"},
      {PlainPayload(), "/questions/nps/type", std::string("nps\0", 4),
       "/questions/nps/type: control character"},
  };
  for (const Case& c : cases) {
    Json j = c.payload;
    // The value at c.pointer (member names without escapes, array indices), built by hand: the
    // same code for nlohmann's DOM and JsonValue, which has no json_pointer.
    const std::string_view pointer = c.pointer;
    Json* at = &j;
    for (size_t i = 1; i <= pointer.size();) {
      const size_t slash = std::min(pointer.find('/', i), pointer.size());
      const std::string token(pointer.substr(i, slash - i));
      at = at->is_array() ? &(*at)[static_cast<size_t>(std::stoul(token))] : &(*at)[token];
      i = slash + 1;
    }
    *at = c.value;
    SCOPED_TRACE(c.pointer);
    EXPECT_EQ(ErrorOf(j).rfind(c.expected, 0), 0u) << ErrorOf(j);
  }
  Json noise = PlainPayload();
  noise["noise"] = {{"mechanism", "grr\x02"}, {"epsilon", 1}};
  EXPECT_NE(ErrorOf(noise).find(
                "/noise/mechanism: control character U+0002 at byte 3 (not allowed in payloads)"),
            std::string::npos)
      << ErrorOf(noise);
}

TEST(PayloadFromJsonControls, CommentTextKeepsTabsAndLineBreaks) {
  Json j = CommentsPayload();
  j["comments"][0]["text"] = "line one\r\nline two\tend\n";
  Result<Payload> r = PayloadFromJson(j);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->comments[0].text, "line one\r\nline two\tend\n");
  // Non-ASCII letters and the C1 range stay: only C0 and DEL are refused.
  j["comments"][0]["text"] = "\xd8\xae\xd9\x88\xd8\xa8 \xc2\x85";
  EXPECT_EQ(ErrorOf(j), "");
}

// A blank comment says nothing; the widget never sends one (a blank text answer is a skip), and
// the collector must not store one. Found by fuzz_ingest in CI.
TEST(PayloadFromJsonComments, BlankTextIsRefused) {
  for (const char* blank : {"", " ", "\t\r\n  "}) {
    Json j = CommentsPayload();
    j["comments"][0]["text"] = blank;
    EXPECT_EQ(ErrorOf(j), "/comments/0/text: a blank comment: send none instead") << blank;
  }
  Json j = CommentsPayload();
  j["comments"][0]["text"] = " ok ";
  EXPECT_EQ(ErrorOf(j), "");
}

TEST(PayloadFromJsonComments, OneCommentPerQuestionAndOneGroup) {
  Json twice = CommentsPayload();
  twice["comments"].push_back({{"question", "why"}, {"group", "detractor"}, {"text", "again"}});
  EXPECT_EQ(ErrorOf(twice),
            "/comments/1/question: \"why\" already has comment 0 (one comment per question)");
  Json mixed = CommentsPayload();
  mixed["comments"].push_back({{"question", "more"}, {"group", "promoter"}, {"text", "x"}});
  EXPECT_EQ(ErrorOf(mixed),
            "/comments/1/group: \"promoter\" differs from comment 0's group \"detractor\" (one "
            "respondent's comments)");
  Json none = CommentsPayload();
  none["comments"].push_back({{"question", "more"}, {"text", "x"}});
  EXPECT_EQ(ErrorOf(none),
            "/comments/1/group: \"\" differs from comment 0's group \"detractor\" (one "
            "respondent's comments)");
  Json fine = CommentsPayload();
  fine["comments"].push_back({{"question", "more"}, {"group", "detractor"}, {"text", "x"}});
  EXPECT_EQ(ErrorOf(fine), "");
}

TEST_F(AggregateTest, CommentControlCharactersBecomeSpaces) {
  Survey survey = MustParse(PostCheckout());
  survey.privacy.comments = CommentsPolicy::kScrubbed;
  const Session s = Completed(survey, std::string("a\0b\x1b[0m\tc\nd\x7f", 12));
  std::optional<Payload> p =
      CommentsFromSession(s, "shop.example", "9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a", "2026-11-22");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->comments.size(), 1u);
  EXPECT_EQ(p->comments[0].text, "a b [0m\tc\nd ");
  EXPECT_EQ(ErrorOf(PayloadToJson(*p)), "");
  // Spaces before scrubbing: a phone number with four control characters between its groups
  // (as symbols, four would end the digit run) is masked like "0912    345    6789" (white space
  // joins however long), and the sent text stays a fixed point of ScrubPii.
  std::optional<Payload> phone =
      CommentsFromSession(Completed(survey,
                                    "call 0912\x01\x01\x01\x01"
                                    "345\x01\x01\x01\x01"
                                    "6789"),
                          "shop.example", "9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a", "2026-11-22");
  ASSERT_TRUE(phone.has_value());
  EXPECT_EQ(phone->comments[0].text, "call [PHONE]");
}

TEST(EmptyTallyOf, CarriesTheLocalDpParametersOfTheSurvey) {
  Survey survey = MustParse(PostCheckout());  // nps, why (text), ease ces 7, sat csat 5, channel
  Tally plain = EmptyTallyOf(survey);
  EXPECT_FALSE(plain.Noisy());
  EXPECT_EQ(plain.noise_items, 0);
  survey.privacy.local_dp_epsilon = 5.0;  // m = 1 + 4 non-text questions = 5: 1 each
  Tally noisy = EmptyTallyOf(survey);
  EXPECT_EQ(noisy.noise_epsilon, 5.0);
  EXPECT_EQ(noisy.noise_items, 5);
  EXPECT_EQ(noisy.displays, 0);
  const std::vector<std::pair<const char*, int>> k = {
      {"nps", 4}, {"ease", 8}, {"sat", 6}, {"channel", 3}};
  for (const auto& [id, expected_k] : k) {
    ASSERT_NE(noisy.Find(id), nullptr) << id;
    EXPECT_EQ(noisy.Find(id)->noise_epsilon, 1.0) << id;
    EXPECT_EQ(noisy.Find(id)->noise_k, expected_k) << id;
  }
  EXPECT_EQ(noisy.Find("why")->noise_k, 0);
  survey.privacy.nps_full_histogram = true;
  EXPECT_EQ(EmptyTallyOf(survey).Find("nps")->noise_k, 12);
}

}  // namespace
}  // namespace nazar
