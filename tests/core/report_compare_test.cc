// CompareReports and the Contract 4 "compare" block, against numbers worked independently from
// METRICS.md's formulas (a Python reference: erf for the normal, Simpson's rule over Student's t
// density for Welch's test) and METRICS.md's own vectors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "nazar/report.h"

namespace nazar {
namespace {

Question MakeQuestion(const std::string& id, QuestionType type, int scale = 0) {
  Question q;
  q.id = id;
  q.type = type;
  q.scale = scale;
  return q;
}

Survey MakeSurvey(int sat_scale = 5) {
  Survey s;
  s.id = "post-checkout";
  s.questions.push_back(MakeQuestion("nps", QuestionType::kNps));
  s.questions.push_back(MakeQuestion("why", QuestionType::kText));
  s.questions.push_back(MakeQuestion("ease", QuestionType::kCes, 7));
  s.questions.push_back(MakeQuestion("sat", QuestionType::kCsat, sat_scale));
  Question channel = MakeQuestion("channel", QuestionType::kChoice);
  channel.options = {{"web", {}}, {"app", {}}};
  s.questions.push_back(channel);
  s.questions.push_back(MakeQuestion("stars", QuestionType::kRating, 5));
  return s;
}

struct Counts {
  std::vector<double> nps, ease, sat, stars;
  int sat_scale = 5;
};

Report ReportOf(const std::string& from, const std::string& to, const Counts& c,
                int min_count = 5) {
  Tally t = Tally::For(MakeSurvey(c.sat_scale));
  t.displays = 312;
  t.completions = 120;
  t.Find("nps")->counts = c.nps;
  t.Find("ease")->counts = c.ease;
  t.Find("sat")->counts = c.sat;
  t.Find("stars")->counts = c.stars;
  QuestionTally* channel = t.Find("channel");
  channel->counts = {30, 10};
  channel->answered = 40;
  for (QuestionTally* q : {t.Find("nps"), t.Find("ease"), t.Find("sat"), t.Find("stars")}) {
    for (double v : q->counts) q->answered += v;
  }
  ReportOptions options;
  options.min_count = min_count;
  return ComputeReport("post-checkout", from, to, {ReportCellInput{"", "", t}}, options);
}

// METRICS.md vectors: NPS P,A,D 50,30,20 and 45,30,25; CSAT 85/100; CES [7,6,5,7,4,6,7,3,5,6]
// three times (n 30).
const Counts kA = {{5, 0, 5, 5, 0, 5, 0, 15, 15, 25, 25},
                   {0, 0, 3, 3, 6, 9, 9},
                   {5, 4, 6, 40, 45},
                   {0, 0, 2, 2, 1}};
const Counts kB = {{5, 5, 5, 5, 0, 5, 0, 15, 15, 20, 25},
                   {0, 1, 3, 6, 8, 7, 5},
                   {5, 10, 15, 30, 40},
                   {0, 1, 2, 2, 1}};

const QuestionComparison* Find(const Comparison& c, const std::string& id) {
  for (const QuestionComparison& q : c.questions) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

TEST(ReportCompare, HandWorkedTestsAndVerdicts) {
  const Report a = ReportOf("2026-10-01", "2026-10-31", kA);
  const Report b = ReportOf("2026-11-01", "2026-11-30", kB);
  const Comparison c = CompareReports(a, b);
  EXPECT_EQ(c.from, "2026-10-01");
  EXPECT_EQ(c.to, "2026-10-31");
  // Compared: nps, ease, sat, stars in the report's order; not text or choice.
  ASSERT_EQ(c.questions.size(), 4u);
  EXPECT_EQ(c.questions[0].id, "nps");
  EXPECT_EQ(c.questions[3].id, "stars");

  const QuestionComparison* nps = Find(c, "nps");
  EXPECT_STREQ(nps->test, "z");
  EXPECT_TRUE(nps->tested);
  EXPECT_NEAR(nps->a.value, 30.0, 1e-9);
  EXPECT_NEAR(nps->a.ci95.lo, 14.05113, 1e-3);  // METRICS.md: [14.05, 44.20]
  EXPECT_NEAR(nps->b.ci95.hi, 35.06470, 1e-3);  // METRICS.md: [3.77, 35.06]
  EXPECT_NEAR(nps->change.diff, -10.0, 1e-9);
  EXPECT_NEAR(nps->change.p_value, 0.3811477, 1e-5);
  EXPECT_NEAR(nps->change.ci95.lo, -31.43645, 1e-3);
  EXPECT_NEAR(nps->change.ci95.hi, 12.01898, 1e-3);
  EXPECT_FALSE(nps->significant);
  EXPECT_EQ(nps->verdict, Verdict::kNoChange);

  const QuestionComparison* sat = Find(c, "sat");
  EXPECT_STREQ(sat->test, "z");
  EXPECT_NEAR(sat->a.ci95.lo, 76.716, 1e-2);  // METRICS.md: 85/100 -> [76.72, 90.69]
  EXPECT_NEAR(sat->change.diff, -15.0, 1e-9);
  EXPECT_NEAR(sat->change.p_value, 0.01108517, 1e-6);
  EXPECT_NEAR(sat->change.ci95.lo, -26.14860, 1e-3);  // Newcombe hybrid score
  EXPECT_NEAR(sat->change.ci95.hi, -3.41077, 1e-3);
  // Benjamini-Hochberg over the 3 tests: 0.0111 <= 1 * 0.05 / 3.
  EXPECT_TRUE(sat->significant);
  EXPECT_EQ(sat->verdict, Verdict::kDown);

  const QuestionComparison* ease = Find(c, "ease");
  EXPECT_STREQ(ease->test, "welch_t");
  EXPECT_NEAR(ease->a.value, 5.6, 1e-9);
  EXPECT_NEAR(ease->change.diff, -0.533333, 1e-5);
  EXPECT_NEAR(ease->change.df, 57.88134, 1e-3);
  EXPECT_NEAR(ease->change.p_value, 0.1267059, 1e-5);
  EXPECT_NEAR(ease->change.ci95.lo, -1.222337, 1e-4);
  EXPECT_NEAR(ease->change.ci95.hi, 0.155670, 1e-4);
  EXPECT_EQ(ease->verdict, Verdict::kNoChange);

  // Stars: 5 and 6 answers, below 30: shown, not tested.
  const QuestionComparison* stars = Find(c, "stars");
  EXPECT_FALSE(stars->tested);
  EXPECT_EQ(stars->a.n, 5);
  EXPECT_EQ(stars->verdict, Verdict::kNotEnoughData);
}

TEST(ReportCompare, BenjaminiHochbergOverEveryTest) {
  // CSAT 70/100 -> 83/100: p = 0.0302 on its own.
  Counts a = kA, b = kA;
  a.sat = {10, 10, 10, 30, 40};
  b.sat = {0, 0, 17, 41, 42};
  // With NPS and CES tested too (both unchanged, p = 1), 0.0302 > 0.05 / 3 at rank 1.
  Comparison c = CompareReports(ReportOf("", "", a), ReportOf("", "", b));
  const QuestionComparison* sat = Find(c, "sat");
  EXPECT_NEAR(sat->change.p_value, 0.03015700, 1e-6);
  EXPECT_FALSE(sat->significant);
  EXPECT_EQ(sat->verdict, Verdict::kNoChange);
  EXPECT_EQ(Find(c, "nps")->change.p_value, 1);
  // The only test (NPS and CES below 30 answers): significant, "up".
  a.nps = b.nps = {0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 3};
  a.ease = b.ease = {0, 0, 0, 1, 1, 1, 1};
  c = CompareReports(ReportOf("", "", a), ReportOf("", "", b));
  sat = Find(c, "sat");
  EXPECT_TRUE(sat->significant);
  EXPECT_EQ(sat->verdict, Verdict::kUp);
  EXPECT_EQ(Find(c, "nps")->verdict, Verdict::kNotEnoughData);
}

TEST(ReportCompare, ContractJson) {
  Report b = ReportOf("2026-11-01", "2026-11-30", kB);
  b.compare = CompareReports(ReportOf("2026-10-01", "2026-10-31", kA), b);
  const Json j = ReportToJson(b);
  ASSERT_TRUE(j.contains("compare"));
  const Json& compare = j["compare"];
  EXPECT_EQ(compare["from"], "2026-10-01");
  EXPECT_EQ(compare["to"], "2026-10-31");
  EXPECT_EQ(compare["questions"]["nps"], Json::parse(R"({"type": "nps",
      "a": {"n": 100, "score": 30.0, "ci95": [14.1, 44.2]},
      "b": {"n": 100, "score": 20.0, "ci95": [3.8, 35.1]},
      "test": "z", "diff": -10.0, "ci95": [-31.4, 12.0], "p_value": 0.381,
      "significant": false, "verdict": "no_change"})"));
  EXPECT_EQ(compare["questions"]["sat"]["verdict"], "down");
  EXPECT_EQ(compare["questions"]["sat"]["p_value"], 0.0111);
  EXPECT_EQ(compare["questions"]["sat"]["ci95"], Json::parse("[-26.1, -3.4]"));
  EXPECT_EQ(compare["questions"]["ease"]["test"], "welch_t");
  EXPECT_EQ(compare["questions"]["ease"]["diff"], -0.53);
  EXPECT_EQ(compare["questions"]["ease"]["ci95"], Json::parse("[-1.22, 0.16]"));
  EXPECT_EQ(compare["questions"]["ease"]["a"]["mean"], 5.6);
  EXPECT_EQ(compare["questions"]["ease"]["a"]["ci95"], Json::parse("[5.11, 6.09]"));
  // Stars by hand: a = 3,3,4,4,5: mean 3.8, s 0.8367, t(0.975, 4) 2.7764 -> 3.8 -+ 1.04;
  // b = 2,3,3,4,4,5: mean 3.5, s 1.0488, t(0.975, 5) 2.5706 -> 3.5 -+ 1.10.
  EXPECT_EQ(compare["questions"]["stars"], Json::parse(R"({"type": "rating",
      "a": {"n": 5, "mean": 3.8, "ci95": [2.76, 4.84]},
      "b": {"n": 6, "mean": 3.5, "ci95": [2.4, 4.6]},
      "verdict": "not_enough_data"})"));
  EXPECT_FALSE(compare["questions"].contains("channel"));
  EXPECT_FALSE(compare["questions"].contains("why"));
  EXPECT_FALSE(ReportToJson(ReportOf("", "", kA)).contains("compare"));
}

TEST(ReportCompare, SuppressedSidesShowNoNumbers) {
  // min_count 6 hides stars (5 answers) in a; the whole cell of b is hidden at 200.
  const Report a = ReportOf("2026-10-01", "2026-10-31", kA, 6);
  Report b = ReportOf("2026-11-01", "2026-11-30", kB, 6);
  b.compare = CompareReports(a, b);
  Json j = ReportToJson(b);
  EXPECT_EQ(j["compare"]["questions"]["stars"],
            Json::parse(R"({"type": "rating", "a": {"suppressed": true},
      "b": {"n": 6, "mean": 3.5, "ci95": [2.4, 4.6]}, "verdict": "not_enough_data"})"));
  const Report hidden = ReportOf("2026-11-01", "2026-11-30", kB, 200);
  ASSERT_TRUE(hidden.overall.suppressed);
  Report shown = ReportOf("2026-11-01", "2026-11-30", kB);
  shown.compare = CompareReports(hidden, shown);
  j = ReportToJson(shown);
  for (const char* id : {"nps", "ease", "sat", "stars"}) {
    SCOPED_TRACE(id);
    const Json& q = j["compare"]["questions"][id];
    EXPECT_EQ(q["a"], Json::parse(R"({"suppressed": true})"));
    EXPECT_EQ(q["verdict"], "not_enough_data");
    EXPECT_FALSE(q.contains("diff"));
    EXPECT_FALSE(q.contains("p_value"));
    EXPECT_FALSE(q.contains("ci95"));
  }
}

TEST(ReportCompare, TextTable) {
  Report b = ReportOf("2026-11-01", "2026-11-30", kB);
  b.compare = CompareReports(ReportOf("2026-10-01", "2026-10-31", kA, 6), b);
  const std::string text = ReportToText(b);
  const std::string expected =
      "\nCompared with 2026-10-01 to 2026-10-31\n"
      "question  then        now   change                        verdict\n"
      "nps       30.0        20.0  -10.0 [-31.4, 12.0] p 0.381   no_change\n"
      "ease      5.60        5.07  -0.53 [-1.22, 0.16] p 0.127   no_change\n"
      "sat       85.0        70.0  -15.0 [-26.1, -3.4] p 0.0111  down\n"
      "stars     suppressed  3.50  -                             not_enough_data\n";
  ASSERT_GE(text.size(), expected.size());
  EXPECT_EQ(text.substr(text.size() - expected.size()), expected) << text;
}

TEST(ReportCompare, DifferentShapesAreNotCompared) {
  Counts b = kB;
  b.sat_scale = 7;
  b.sat = {5, 5, 5, 10, 15, 30, 30};
  const Comparison c = CompareReports(ReportOf("", "", kA), ReportOf("", "", b));
  EXPECT_EQ(Find(c, "sat")->verdict, Verdict::kNotComparable);
  EXPECT_FALSE(Find(c, "sat")->tested);
  EXPECT_STREQ(VerdictCode(Verdict::kNotComparable), "not_comparable");
  EXPECT_STREQ(VerdictCode(Verdict::kNotEnoughData), "not_enough_data");
}

}  // namespace
}  // namespace nazar
