#include "nazar/aggregate.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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

TEST_F(AggregateTest, ScrubbedCommentsCarryOnlyTheGroup) {
  Survey survey = survey_;
  survey.privacy.comments = CommentsPolicy::kScrubbed;
  Session s = Completed(survey);
  Json j = PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_));
  ASSERT_EQ(j["comments"].size(), 1u);
  EXPECT_EQ(j["comments"][0]["question"], "why");
  EXPECT_EQ(j["comments"][0]["group"], "detractor");
  EXPECT_EQ(j["comments"][0]["text"], "late, call [PHONE]");
  EXPECT_EQ(j["comments"][0].size(), 3u);
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

TEST_F(AggregateTest, LocalDpRandomizesNpsGroupsAndDeclaresNoise) {
  Survey survey = survey_;
  survey.privacy.local_dp_epsilon = 2.0;
  Session s = Completed(survey);
  Payload p = PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_);
  Json j = PayloadToJson(p);
  EXPECT_EQ(j["noise"], Json::parse(R"({"mechanism":"grr","epsilon":2.0})"));
  ASSERT_TRUE(j["questions"]["nps"].contains("groups"));
  EXPECT_FALSE(j["questions"]["nps"].contains("counts"));
  double total = 0;
  for (const Json& g : j["questions"]["nps"]["groups"]) total += g.get<double>();
  EXPECT_EQ(total, 1);
  auto back = PayloadFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_TRUE(back->tally.Find("nps")->NpsGrouped());
  // Each question carries its mechanism, on both sides of the wire.
  for (const Payload* side : {&p, &*back}) {
    const QuestionTally* nps = side->tally.Find("nps");
    ASSERT_NE(nps, nullptr);
    EXPECT_TRUE(nps->NpsGrouped());
    EXPECT_EQ(nps->noise_epsilon, 2.0);
    EXPECT_EQ(nps->noise_k, 3);
    EXPECT_EQ(side->tally.Find("ease")->noise_k, 7);
    EXPECT_EQ(side->tally.Find("channel")->noise_k, 2);  // single choice over 2 options
  }
  EXPECT_EQ(PayloadToJson(*back), j);
}

TEST_F(AggregateTest, LocalDpEstimatorIsUnbiasedOverManySessions) {
  Survey survey = survey_;
  survey.privacy.local_dp_epsilon = 1.0;
  Tally total = Tally::For(survey);
  const int kSessions = 20000;
  for (int i = 0; i < kSessions; ++i) {
    Session s(survey, "en", &host_);
    s.SelectValue(i % 2 == 0 ? 10 : 2);  // half promoters, half detractors: NPS 0
    s.Next();
    const Payload p =
        PayloadFromSession(s, "s", "00000000000000000000000000000000", "2026-11-22", host_);
    ASSERT_TRUE(total.Merge(p.tally));  // raw reports merge by addition
  }
  const Json nps = ReportCell(total, ReportOptions{})["questions"]["nps"];
  EXPECT_EQ(nps["n"], kSessions);
  EXPECT_EQ(nps["noise"]["k"], 3);
  // Standard error of the score here: 100 * sqrt(0.788 / (20000 (p - q)^2)) = 1.72 points
  // (p - q = 0.364 at eps 1, k 3); of each share 0.9%. Allow 4 sigma.
  EXPECT_NEAR(nps["score"].get<double>(), 0.0, 7.0);
  EXPECT_NEAR(nps["promoters"].get<double>() / kSessions, 0.5, 0.04);
  EXPECT_NEAR(nps["detractors"].get<double>() / kSessions, 0.5, 0.04);
  EXPECT_NEAR(nps["passives"].get<double>() / kSessions, 0.0, 0.04);
  const double half = (nps["ci95"][1].get<double>() - nps["ci95"][0].get<double>()) / 2;
  EXPECT_NEAR(half, kZ95 * 1.72, 0.1);  // the widened interval
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
  EXPECT_EQ((*report)["noise"], Json::parse(R"({"mechanism":"grr","epsilon":2.0})"));
  const Json& nps = (*report)["questions"]["nps"];
  EXPECT_EQ(nps["n"], 40);
  EXPECT_EQ(nps["noise"], Json::parse(R"({"mechanism":"grr","epsilon":2.0,"k":3,)"
                                      R"("reported_counts":)" +
                                      nps["noise"]["reported_counts"].dump() + "}"));
  // At n = 40 and eps 2 the interval is about +-42 points (30% detractors, 70% promoters);
  // no sampling-only interval at n = 40 is wider than +-31 (2 z sqrt(1 / 40)).
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
  Json plain = aggregates[0];
  plain.erase("noise");
  plain["questions"]["nps"].erase("groups");
  plain["questions"]["nps"]["counts"] = Json::parse("[0,0,0,0,0,0,0,0,0,1,0]");
  mixed.push_back(plain);
  expect_error(mixed, "/aggregates/1/noise: no noise does not match epsilon 2 of earlier payloads");
  mixed = payloads(2.0, false, 2);
  mixed.push_back(payloads(2.0, true, 1)[0]);
  expect_error(mixed,
               "/aggregates/2/questions/nps/noise: randomized over 11 values, earlier payloads "
               "over 3");
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
  expect_error(Json::array(), "expected an object");
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

// Under local DP a comment must not carry the true NPS group next to the randomized one.
TEST_F(AggregatePrivacyTest, NoisyPayloadCommentsCarryNoGroup) {
  Survey survey = survey_;
  survey.privacy.comments = CommentsPolicy::kScrubbed;
  survey.privacy.local_dp_epsilon = 0.1;
  Session s(survey, "en", &host_);
  s.SelectValue(0);
  s.Next();
  s.SetText("slow");
  s.Next();
  Json j = PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_));
  ASSERT_EQ(j["comments"].size(), 1u);
  EXPECT_FALSE(j["comments"][0].contains("group"));
}

// Text typed but not submitted (the respondent closed the survey instead) never leaves.
TEST_F(AggregatePrivacyTest, UnsubmittedTextStaysOnTheDevice) {
  Survey survey = survey_;
  survey.privacy.comments = CommentsPolicy::kScrubbed;
  Session s(survey, "en", &host_);
  s.SelectValue(0);
  s.Next();
  s.SetText("call me at 0912 345 6789");
  s.Dismiss();
  Json j = PayloadToJson(PayloadFromSession(s, "s", NewBatchId(host_), "2026-11-22", host_));
  EXPECT_FALSE(j.contains("comments"));
  EXPECT_EQ(j["dismissals"], 1);
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
