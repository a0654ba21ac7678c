// CompareReportsBySegment (Benjamini-Hochberg over the overall and every segment together) and
// the survey versions of report cells. The p-values were computed apart from the core, in Python
// from METRICS.md's formulas (adjusted Wald centres, erfc for the normal tail), and the
// Benjamini-Hochberg steps by hand.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nazar/report.h"

namespace nazar {
namespace {

Survey NpsSurvey() {
  Survey s;
  s.id = "post-checkout";
  Question q;
  q.id = "nps";
  q.type = QuestionType::kNps;
  s.questions.push_back(q);
  return s;
}

// A tally of P promoters (answer 10), A passives (7) and D detractors (0).
Tally Nps(double p, double a, double d) {
  Tally t = Tally::For(NpsSurvey());
  QuestionTally* q = t.Find("nps");
  q->counts[10] = p;
  q->counts[7] = a;
  q->counts[0] = d;
  q->answered = p + a + d;
  t.displays = p + a + d;
  t.completions = p + a + d;
  return t;
}

Report BySegment(const std::string& from, const std::string& to, const Tally& fa, const Tally& en) {
  return ComputeReport("post-checkout", from, to,
                       {ReportCellInput{"fa", "", fa, ""}, ReportCellInput{"en", "", en, ""}},
                       ReportOptions());
}

const QuestionComparison& Nps(const std::vector<QuestionComparison>& list) {
  EXPECT_EQ(list.size(), 1u);
  return list.at(0);
}

// fa: (P, A, D) 22,24,14 -> 22,31,34: z -2.0520, p 0.0402.
// en: 49,37,14 -> 46,20,26: z -1.1501, p 0.250.
// overall: 71,61,28 -> 68,51,60: z -2.5812, p 0.00985.
// Benjamini-Hochberg over the three, at 0.05: sorted p 0.00985 <= 0.05/3 = 0.0167, 0.0402 >
// 0.1/3 = 0.0333, 0.250 > 0.05, so only the overall change is flagged. Alone, fa's p 0.0402 is
// below 0.05 and would be.
TEST(CompareReportsBySegment, BenjaminiHochbergOverOverallAndSegments) {
  const Report a = BySegment("2026-10-01", "2026-10-31", Nps(22, 24, 14), Nps(49, 37, 14));
  const Report b = BySegment("2026-11-01", "2026-11-30", Nps(22, 31, 34), Nps(46, 20, 26));
  const Comparison c = CompareReportsBySegment(a, b);
  EXPECT_EQ(c.from, "2026-10-01");
  EXPECT_EQ(c.to, "2026-10-31");
  const QuestionComparison& overall = Nps(c.questions);
  ASSERT_TRUE(overall.tested);
  EXPECT_NEAR(overall.change.p_value, 0.00984683, 2e-6);
  EXPECT_TRUE(overall.significant);
  EXPECT_EQ(overall.verdict, Verdict::kDown);
  ASSERT_EQ(c.segments.size(), 2u);
  EXPECT_EQ(c.segments[0].segment, "en");  // segment order
  EXPECT_EQ(c.segments[1].segment, "fa");
  const QuestionComparison& en = Nps(c.segments[0].questions);
  const QuestionComparison& fa = Nps(c.segments[1].questions);
  EXPECT_NEAR(en.change.p_value, 0.250118, 2e-6);
  EXPECT_NEAR(fa.change.p_value, 0.0401694, 2e-6);
  EXPECT_FALSE(en.significant);
  EXPECT_FALSE(fa.significant);
  EXPECT_EQ(fa.verdict, Verdict::kNoChange);
  EXPECT_EQ(en.verdict, Verdict::kNoChange);

  // The same fa change compared on its own is flagged: the joint adjustment is what hid it.
  const Result<Comparison> alone =
      CompareCells(ComputeReport("x", "", "",
                                 {ReportCellInput{"a", "", Nps(22, 24, 14), ""},
                                  ReportCellInput{"b", "", Nps(22, 31, 34), ""}},
                                 ReportOptions()),
                   CellKey{"a", std::nullopt}, CellKey{"b", std::nullopt});
  ASSERT_TRUE(alone.ok());
  EXPECT_TRUE(Nps(alone->questions).significant);

  const Json j = ComparisonToJson(c);
  ASSERT_TRUE(j.contains("segments"));
  EXPECT_EQ(j["segments"][1]["segment"], "fa");
  EXPECT_EQ(j["segments"][1]["questions"]["nps"]["p_value"], 0.0402);
  EXPECT_EQ(j["segments"][1]["questions"]["nps"]["significant"], false);
  EXPECT_EQ(j["segments"][1]["questions"]["nps"]["verdict"], "no_change");
  EXPECT_EQ(j["questions"]["nps"]["p_value"], 0.00985);
  EXPECT_EQ(j["questions"]["nps"]["verdict"], "down");
}

TEST(CompareReportsBySegment, OnlySegmentsShownOnBothSides) {
  // "ar" has 3 respondents in b (hidden whole), "tr" exists only in a.
  const Report a = ComputeReport("s", "2026-10-01", "2026-10-31",
                                 {ReportCellInput{"fa", "", Nps(40, 20, 20), ""},
                                  ReportCellInput{"ar", "", Nps(30, 10, 10), ""},
                                  ReportCellInput{"tr", "", Nps(30, 10, 10), ""}},
                                 ReportOptions());
  const Report b = ComputeReport(
      "s", "2026-11-01", "2026-11-30",
      {ReportCellInput{"fa", "", Nps(40, 20, 20), ""}, ReportCellInput{"ar", "", Nps(1, 1, 1), ""},
       ReportCellInput{"en", "", Nps(30, 10, 10), ""}},
      ReportOptions());
  const Comparison c = CompareReportsBySegment(a, b);
  ASSERT_EQ(c.segments.size(), 1u);
  EXPECT_EQ(c.segments[0].segment, "fa");
  EXPECT_EQ(Nps(c.segments[0].questions).verdict, Verdict::kNoChange);
}

TEST(CompareCells, NamesTheComparedCells) {
  const Report r = BySegment("", "", Nps(22, 24, 14), Nps(49, 37, 14));
  const Result<Comparison> c =
      CompareCells(r, CellKey{"fa", std::nullopt}, CellKey{"en", std::nullopt});
  ASSERT_TRUE(c.ok());
  const Json j = ComparisonToJson(*c);
  ASSERT_TRUE(j.contains("a") && j.contains("b")) << j.dump();
  EXPECT_EQ(j["a"], Json({{"segment", "fa"}}));
  EXPECT_EQ(j["b"], Json({{"segment", "en"}}));
  EXPECT_TRUE(j["from"].is_null());
}

TEST(ReportVersions, ShownCellsListTheVersionsCountedInThem) {
  // Day 4 has 3 respondents (hidden whole); complementary suppression then hides the smallest
  // other day, day 1 (20). Days 2 and 3 stay shown: day 2 counted v1 and v2, day 3 only v2.
  // The overall counted v1 40 times, v2 50 times and v3 3 times: v3 is below the minimum (5),
  // so the overall does not list it (it would tell that day 4's few ran that version).
  const char* v1 = "2026-10-01";
  const char* v2 = "2026-11-01";
  const char* v3 = "2026-11-15";
  const std::vector<ReportCellInput> cells = {
      {"", "2026-11-01", Nps(10, 5, 5), v1}, {"", "2026-11-02", Nps(10, 5, 5), v2},
      {"", "2026-11-02", Nps(10, 5, 5), v1}, {"", "2026-11-03", Nps(15, 10, 5), v2},
      {"", "2026-11-04", Nps(1, 1, 1), v3},
  };
  const Report r = ComputeReport("s", "2026-11-01", "2026-11-04", cells, ReportOptions());
  ASSERT_EQ(r.periods.size(), 4u);
  EXPECT_EQ(r.overall.versions, (std::vector<std::string>{v1, v2}));
  EXPECT_EQ(r.periods[1].versions, (std::vector<std::string>{v1, v2}));
  const Json j = ReportToJson(r);
  ASSERT_TRUE(j.contains("versions") && j["periods"][1].contains("versions") &&
              j["periods"][2].contains("versions"))
      << j.dump();
  EXPECT_EQ(j["versions"], Json({v1, v2}));
  EXPECT_EQ(j["periods"][0]["suppressed"], Json({"period=2026-11-01/"}));
  EXPECT_FALSE(j["periods"][0].contains("versions"));
  EXPECT_EQ(j["periods"][1]["versions"], Json({v1, v2}));
  EXPECT_EQ(j["periods"][2]["versions"], Json({v2}));
  EXPECT_EQ(j["periods"][3]["suppressed"], Json({"period=2026-11-04/"}));
  EXPECT_FALSE(j["periods"][3].contains("versions"));
  // A report without versions (the analyze page, `nazar score`) writes none.
  const Report plain =
      ComputeReport("s", "", "", {ReportCellInput{"", "", Nps(10, 5, 5), ""}}, ReportOptions());
  EXPECT_FALSE(ReportToJson(plain).contains("versions"));
}

TEST(ReportVersions, AVersionIsListedOnlyWhenItsRespondentsReachTheMinimum) {
  // One cell of 15 respondents (shown). By hand, each version's respondents in it:
  //   v1: two inputs of 2 and 3 answers: 5, listed (neither input alone reaches 5);
  //   v2: one input of 4 answers: below 5, not listed;
  //   v3: 6 answers but 2 completions (4 answered, then dismissed): n = max(2, 6) = 6, listed.
  const char* v1 = "2026-09-01";
  const char* v2 = "2026-10-01";
  const char* v3 = "2026-11-01";
  Tally dismissed = Nps(3, 2, 1);
  dismissed.completions = 2;
  const std::vector<ReportCellInput> cells = {
      {"", "", Nps(2, 0, 0), v1},
      {"", "", Nps(1, 1, 1), v1},
      {"", "", Nps(2, 1, 1), v2},
      {"", "", dismissed, v3},
  };
  const Report r = ComputeReport("s", "", "", cells, ReportOptions());
  ASSERT_FALSE(r.overall.suppressed);
  EXPECT_EQ(r.overall.n, 15);
  EXPECT_EQ(r.overall.versions, (std::vector<std::string>{v1, v3}));
  EXPECT_EQ(ReportToJson(r)["versions"], Json({v1, v3}));

  // The report's own minimum decides: at 7 no version reaches it, and none is written.
  ReportOptions seven;
  seven.min_count = 7;
  const Report r7 = ComputeReport("s", "", "", cells, seven);
  ASSERT_FALSE(r7.overall.suppressed);
  EXPECT_TRUE(r7.overall.versions.empty());
  EXPECT_FALSE(ReportToJson(r7).contains("versions"));

  // Not suppressing (an analyst's own file), every number is shown, and so is every version.
  ReportOptions all;
  all.suppress = false;
  EXPECT_EQ(ComputeReport("s", "", "", cells, all).overall.versions,
            (std::vector<std::string>{v1, v2, v3}));
}

// What a live view steps on: every shown cell's n and every shown question's n, by label. fa
// has 6 answers, en 8 (one of them skipped the question), ar 2 (below the minimum of 5: hidden,
// and so, by complementary suppression, is the next smallest, fa).
TEST(LiveCounts, ShownCellsAndQuestionsByLabel) {
  Tally en = Nps(4, 2, 1);
  en.completions = 8;
  en.displays = 8;
  const Report r =
      ComputeReport("post-checkout", "", "",
                    {ReportCellInput{"fa", "", Nps(3, 2, 1), ""}, ReportCellInput{"en", "", en, ""},
                     ReportCellInput{"ar", "", Nps(1, 1, 0), ""}},
                    ReportOptions());
  const LiveCounts expected = {{"", 16}, {"nps", 15}, {"segment=en/", 8}, {"segment=en/nps", 7}};
  EXPECT_EQ(LiveCountsOf(r), expected);
}

TEST(LiveCounts, EveryCountMovesByAStepOrNotAtAll) {
  const LiveCounts sent = {{"", 20}, {"segment=en/", 12}, {"segment=fa/", 8}};
  // Four in English and one in Persian: fa would move by one.
  EXPECT_FALSE(LiveStepReached(sent, {{"", 25}, {"segment=en/", 16}, {"segment=fa/", 9}}, 5));
  // Five in English: fa does not move.
  EXPECT_TRUE(LiveStepReached(sent, {{"", 25}, {"segment=en/", 17}, {"segment=fa/", 8}}, 5));
  // A cell shown for the first time counts from 0: five is a step, three is not.
  EXPECT_TRUE(LiveStepReached(
      sent, {{"", 25}, {"segment=en/", 12}, {"segment=fa/", 8}, {"segment=ar/", 5}}, 5));
  EXPECT_FALSE(LiveStepReached(
      sent, {{"", 25}, {"segment=en/", 14}, {"segment=fa/", 8}, {"segment=ar/", 3}}, 5));
  // Nothing moved, or a cell is hidden now: no step.
  EXPECT_FALSE(LiveStepReached(sent, sent, 5));
  EXPECT_FALSE(LiveStepReached(sent, {{"", 20}, {"segment=en/", 12}}, 5));
  // A question moving by less than a step holds the view even when its cell moved by a step.
  EXPECT_FALSE(LiveStepReached({{"", 20}, {"nps", 20}}, {{"", 25}, {"nps", 21}}, 5));
  // A higher minimum count is the step.
  EXPECT_FALSE(LiveStepReached(sent, {{"", 26}, {"segment=en/", 18}, {"segment=fa/", 8}}, 7));
  EXPECT_TRUE(LiveStepReached(sent, {{"", 27}, {"segment=en/", 19}, {"segment=fa/", 8}}, 7));
}

}  // namespace
}  // namespace nazar
