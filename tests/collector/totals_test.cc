// The totals mapping (collector/totals.h): a payload's tally flattened into counters and
// rebuilt from them, for every question type, with and without local DP.
#include "collector/totals.h"

#include <gtest/gtest.h>

#include "nazar/aggregate.h"
#include "test_surveys.h"

namespace nazar::collector {
namespace {

using testing::kDpSurvey;
using testing::kShopSurvey;

Survey Parse(const char* text) {
  ParsedDefinitions parsed = ParseDefinitions(text);
  EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.errors[0].ToString());
  return parsed.surveys.at(0);
}

Payload ParsePayload(const std::string& text) {
  Result<Payload> p = PayloadFromJson(ParseJson(text.data(), text.data() + text.size()));
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.value();
}

// Every counted field of `rebuilt` equals `original`'s; questions the payload left out are
// empty in the rebuilt tally; noise parameters match.
void ExpectSameTally(const Tally& original, const Tally& rebuilt) {
  EXPECT_EQ(original.displays, rebuilt.displays);
  EXPECT_EQ(original.completions, rebuilt.completions);
  EXPECT_EQ(original.dismissals, rebuilt.dismissals);
  EXPECT_EQ(original.noise_epsilon, rebuilt.noise_epsilon);
  EXPECT_EQ(original.noise_items, rebuilt.noise_items);
  for (const QuestionTally& r : rebuilt.questions) {
    const QuestionTally* o = original.Find(r.id);
    if (o == nullptr) {
      EXPECT_TRUE(r.Empty()) << r.id;
      continue;
    }
    SCOPED_TRACE(r.id);
    EXPECT_EQ(o->type, r.type);
    EXPECT_EQ(o->scale, r.scale);
    EXPECT_EQ(o->counts, r.counts);
    EXPECT_EQ(o->options, r.options);
    EXPECT_EQ(o->multiple, r.multiple);
    EXPECT_EQ(o->answered, r.answered);
    EXPECT_EQ(o->skipped, r.skipped);
    EXPECT_EQ(o->noise_epsilon, r.noise_epsilon);
    EXPECT_EQ(o->noise_k, r.noise_k);
  }
  for (const QuestionTally& o : original.questions) EXPECT_NE(rebuilt.Find(o.id), nullptr) << o.id;
}

TEST(Totals, HandWrittenCountersOfThePayloadOfContract3) {
  // Contract 3's example tally (without noise), flattened by hand.
  const Payload p = ParsePayload(R"({ "nazar": 1, "batch": "9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a",
    "site": "shop.example", "survey": "shop", "survey_version": "v1", "period": "2026-11-22",
    "locale": "fa", "displays": 3, "completions": 2, "dismissals": 1,
    "questions": {
      "nps":  { "type": "nps",  "counts": [0,0,0,0,0,0,1,0,0,1,0] },
      "ease": { "type": "ces",  "scale": 7, "counts": [0,0,0,0,1,1,0], "skipped": 1 },
      "channel": { "type": "choice", "options": ["web","app"], "counts": [2,0] } } })");
  const std::vector<std::pair<std::string, int64_t>> expected = {
      {"completions", 2},    {"dismissals", 1}, {"displays", 3}, {"q/channel/0", 2},
      {"q/channel/n", 2},    {"q/ease/4", 1},   {"q/ease/5", 1}, {"q/ease/n", 2},
      {"q/ease/skipped", 1}, {"q/nps/6", 1},    {"q/nps/9", 1},  {"q/nps/n", 2}};
  std::vector<std::pair<std::string, int64_t>> got;
  for (const Counter& c : CountersFromTally(p.tally)) got.emplace_back(c.name, c.value);
  EXPECT_EQ(expected, got);
}

TEST(Totals, RoundTripEveryQuestionTypeWithoutNoise) {
  const Survey shop = Parse(kShopSurvey);
  const Payload p = ParsePayload(R"({ "nazar": 1, "batch": "9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a",
    "site": "shop.example", "survey": "shop", "survey_version": "v1", "period": "2026-11-22",
    "locale": "en", "displays": 9, "completions": 5, "dismissals": 3,
    "questions": {
      "nps":  { "type": "nps",  "counts": [1,0,0,0,0,0,1,0,2,0,3], "skipped": 2 },
      "ease": { "type": "ces",  "scale": 7, "counts": [0,1,0,0,1,1,4], "skipped": 1 },
      "sat":  { "type": "csat", "scale": 5, "counts": [1,1,0,2,3] },
      "stars": { "type": "rating", "scale": 5, "counts": [0,0,0,0,9] },
      "channel": { "type": "choice", "options": ["web","app"], "counts": [5,3], "skipped": 1 },
      "nets": { "type": "choice", "multiple": true, "options": ["a","b","c"], "counts": [4,0,6],
                "n": 7, "skipped": 2 } } })");
  Result<Tally> rebuilt = TallyFromCounters(shop, CountersFromTally(p.tally));
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().message();
  ExpectSameTally(p.tally, *rebuilt);
  // A text question is in the definition but never in a payload: present, empty.
  ASSERT_NE(rebuilt->Find("why"), nullptr);
  EXPECT_TRUE(rebuilt->Find("why")->Empty());
}

TEST(Totals, RoundTripUnderLocalDp) {
  const Survey dp = Parse(kDpSurvey);
  // m = 1 + 4 non-text questions = 5 items at epsilon 2 / 5 = 0.4 each (aggregate.h).
  const Payload p = ParsePayload(R"({ "nazar": 1, "batch": "9f1c0e7a5b3d4c2e8a6f0b1d2c3e4f5a",
    "site": "shop.example", "survey": "dp", "survey_version": "v1", "period": "2026-11-22",
    "locale": "en", "displays": 4, "completions": 3, "dismissals": 0,
    "questions": {
      "nps":  { "type": "nps", "groups": [1,0,2], "skipped": 1 },
      "sat":  { "type": "csat", "scale": 5, "counts": [0,1,0,1,1], "skipped": 1 },
      "channel": { "type": "choice", "options": ["web","app"], "counts": [2,1], "skipped": 1 },
      "nets": { "type": "choice", "multiple": true, "options": ["a","b"], "counts": [3,1],
                "skipped": 2 } },
    "noise": { "mechanism": "grr", "epsilon": 2 } })");
  Result<Tally> rebuilt = TallyFromCounters(dp, CountersFromTally(p.tally));
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().message();
  ExpectSameTally(p.tally, *rebuilt);
  EXPECT_EQ(rebuilt->noise_items, 5);
  EXPECT_DOUBLE_EQ(rebuilt->Find("nps")->noise_epsilon, 0.4);
  EXPECT_EQ(rebuilt->Find("nps")->noise_k, 4);      // 3 groups + no answer
  EXPECT_EQ(rebuilt->Find("sat")->noise_k, 6);      // 5 points + no answer
  EXPECT_EQ(rebuilt->Find("channel")->noise_k, 3);  // 2 options + no answer
  EXPECT_EQ(rebuilt->Find("nets")->noise_k, 2);     // yes/no bits
}

TEST(Totals, SummedCountersRebuildTheMergedTally) {
  const Survey shop = Parse(kShopSurvey);
  const Payload a = ParsePayload(testing::ShopTally(testing::BatchId(1), "2026-11-22", 9).dump());
  const Payload b = ParsePayload(testing::ShopTally(testing::BatchId(2), "2026-11-22", 3).dump());
  std::map<std::string, int64_t> sum;
  for (const Payload* p : {&a, &b}) {
    for (const Counter& c : CountersFromTally(p->tally)) sum[c.name] += c.value;
  }
  std::vector<Counter> counters;
  for (const auto& [name, value] : sum) counters.push_back(Counter{name, value});
  Result<Tally> rebuilt = TallyFromCounters(shop, counters);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->displays, 2);
  const QuestionTally* nps = rebuilt->Find("nps");
  EXPECT_EQ(nps->counts[9], 1);
  EXPECT_EQ(nps->counts[3], 1);
  EXPECT_EQ(nps->answered, 2);
  EXPECT_EQ(rebuilt->Find("ease")->skipped, 2);
}

TEST(Totals, CounterThatDoesNotFitTheDefinitionIsAnError) {
  const Survey shop = Parse(kShopSurvey);
  EXPECT_FALSE(TallyFromCounters(shop, {Counter{"q/nps/11", 1}}).ok());
  EXPECT_FALSE(TallyFromCounters(shop, {Counter{"q/gone/0", 1}}).ok());
  EXPECT_FALSE(TallyFromCounters(shop, {Counter{"views", 1}}).ok());
}

}  // namespace
}  // namespace nazar::collector
