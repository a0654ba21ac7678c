// Tallies and the Contract 4 report: shapes, rounding, suppression, segments and periods, text.
#include "nazar/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "fake_host.h"
#include "nazar/aggregate.h"
#include "nazar/privacy.h"

namespace nazar {
namespace {

Question MakeQuestion(const std::string& id, QuestionType type, int scale = 0) {
  Question q;
  q.id = id;
  q.type = type;
  q.scale = scale;
  return q;
}

Survey MakeSurvey() {
  Survey s;
  s.id = "post-checkout";
  s.questions.push_back(MakeQuestion("nps", QuestionType::kNps));
  s.questions.push_back(MakeQuestion("why", QuestionType::kText));
  s.questions.push_back(MakeQuestion("ease", QuestionType::kCes, 7));
  s.questions.push_back(MakeQuestion("sat", QuestionType::kCsat, 5));
  Question channel = MakeQuestion("channel", QuestionType::kChoice);
  channel.options = {{"web", {}}, {"app", {}}};
  s.questions.push_back(channel);
  s.questions.push_back(MakeQuestion("stars", QuestionType::kRating, 5));
  return s;
}

// The survey's tally with every scale question given `n` answers spread as the contract example.
Tally FilledTally() {
  Tally t = Tally::For(MakeSurvey());
  t.displays = 312;
  t.completions = 120;
  t.Find("nps")->counts = {5, 0, 5, 5, 0, 5, 0, 15, 15, 25, 25};  // P 50, A 30, D 20
  t.Find("nps")->skipped = 2;
  t.Find("why")->answered = 12;
  t.Find("ease")->counts = {0, 0, 1, 1, 2, 3, 3};  // answers [7,6,5,7,4,6,7,3,5,6]
  t.Find("sat")->counts = {5, 4, 6, 40, 45};       // 85 of 100 satisfied
  QuestionTally* channel = t.Find("channel");
  channel->counts = {30, 10};
  channel->answered = 40;
  t.Find("stars")->counts = {0, 0, 2, 2, 1};
  return t;
}

TEST(ReportTally, ForShapesEachType) {
  const Tally t = Tally::For(MakeSurvey());
  ASSERT_EQ(t.questions.size(), 6u);
  EXPECT_EQ(t.questions[0].id, "nps");
  EXPECT_EQ(t.questions[0].scale, 11);
  EXPECT_EQ(t.questions[0].counts, std::vector<double>(11, 0.0));
  EXPECT_TRUE(t.questions[1].counts.empty());  // text
  EXPECT_EQ(t.questions[2].counts.size(), 7u);
  EXPECT_EQ(t.questions[3].scale, 5);
  EXPECT_EQ(t.questions[4].options, (std::vector<std::string>{"web", "app"}));
  EXPECT_EQ(t.questions[4].counts.size(), 2u);
  EXPECT_EQ(t.displays, 0);
}

TEST(ReportTally, MergeAddsAndRejectsOtherShapes) {
  Tally a = FilledTally(), b = FilledTally();
  ASSERT_TRUE(a.Merge(b));
  EXPECT_EQ(a.displays, 624);
  EXPECT_EQ(a.Find("nps")->counts[10], 50);
  EXPECT_EQ(a.Find("nps")->skipped, 4);
  EXPECT_EQ(a.Find("channel")->answered, 80);
  EXPECT_EQ(a.Find("missing"), nullptr);

  QuestionTally ces7 = *a.Find("ease");
  QuestionTally ces5 = ces7;
  ces5.scale = 5;
  ces5.counts.assign(5, 1.0);
  EXPECT_FALSE(ces7.Merge(ces5));
  EXPECT_EQ(ces7.counts, a.Find("ease")->counts);  // unchanged

  // A tally with one conflicting question adds nothing at all.
  Tally conflicting;
  conflicting.displays = 5;
  conflicting.questions.push_back(*a.Find("nps"));
  conflicting.questions.push_back(ces5);
  const Tally before = a;
  EXPECT_FALSE(a.Merge(conflicting));
  EXPECT_EQ(a.displays, before.displays);
  EXPECT_EQ(a.Find("nps")->counts, before.Find("nps")->counts);
}

TEST(ReportTally, MergeAppendsMissingQuestions) {
  Tally a;
  a.displays = 1;
  Tally b = FilledTally();
  ASSERT_TRUE(a.Merge(b));
  EXPECT_EQ(a.questions.size(), 6u);
  EXPECT_EQ(a.displays, 313);
}

TEST(ReportCellTest, ContractExample) {
  const Json cell = ReportCell(FilledTally(), ReportOptions{});
  EXPECT_EQ(cell["displays"], 312);
  EXPECT_EQ(cell["completions"], 120);
  EXPECT_DOUBLE_EQ(cell["response_rate"].get<double>(), 0.385);
  EXPECT_EQ(cell["suppressed"], Json::array());

  const Json& nps = cell["questions"]["nps"];
  EXPECT_EQ(nps["type"], "nps");
  EXPECT_EQ(nps["n"], 100);
  EXPECT_EQ(nps["score"], 30.0);
  EXPECT_EQ(nps["ci95"], Json::parse("[14.1, 44.2]"));
  EXPECT_EQ(nps["promoters"], 50);
  EXPECT_EQ(nps["passives"], 30);
  EXPECT_EQ(nps["detractors"], 20);
  EXPECT_EQ(nps["counts"], Json::parse("[5,0,5,5,0,5,0,15,15,25,25]"));
  EXPECT_EQ(nps["skipped"], 2);
  EXPECT_EQ(nps["low_precision"], true);                               // +-15 points
  EXPECT_NE(nps.dump().find("\"promoters\":50,"), std::string::npos);  // integers, not 50.0

  const Json& sat = cell["questions"]["sat"];
  EXPECT_EQ(sat["scale"], 5);
  EXPECT_EQ(sat["n"], 100);
  EXPECT_EQ(sat["score"], 85.0);
  EXPECT_EQ(sat["ci95"], Json::parse("[76.7, 90.7]"));
  EXPECT_EQ(sat["satisfied"], 85);
  EXPECT_EQ(sat["satisfied_set"], Json::parse("[4, 5]"));

  const Json& ease = cell["questions"]["ease"];
  EXPECT_EQ(ease["n"], 10);
  EXPECT_EQ(ease["mean"], 5.6);
  EXPECT_EQ(ease["sd"], 1.35);
  EXPECT_EQ(ease["ci95"], Json::parse("[4.63, 6.57]"));
  EXPECT_EQ(ease["agree_pct"], 80.0);

  const Json& stars = cell["questions"]["stars"];
  EXPECT_EQ(stars["type"], "rating");
  EXPECT_EQ(stars["mean"], 3.8);  // 3,3,4,4,5
  EXPECT_FALSE(stars.contains("sd"));
  EXPECT_FALSE(stars.contains("agree_pct"));
  ASSERT_TRUE(stars["ci95"].is_array());

  const Json& channel = cell["questions"]["channel"];
  EXPECT_EQ(channel["n"], 40);
  EXPECT_EQ(channel["options"], Json::parse(R"(["web", "app"])"));
  EXPECT_EQ(channel["shares"], Json::parse("[75.0, 25.0]"));

  EXPECT_EQ(cell["questions"]["why"], Json::parse(R"({"type": "text", "n": 12})"));
}

TEST(ReportCellTest, NoNpsLowPrecisionFlagWhenNarrow) {
  Tally t = FilledTally();
  for (double& c : t.Find("nps")->counts) c *= 10;  // n = 1000: about +-4.7 points
  const Json nps = ReportCell(t, ReportOptions{})["questions"]["nps"];
  EXPECT_FALSE(nps.contains("low_precision"));
  EXPECT_EQ(nps["score"], 30.0);
}

TEST(ReportCellTest, ResponseRateNullWithoutDisplays) {
  Tally t = FilledTally();
  t.displays = 0;
  EXPECT_TRUE(ReportCell(t, ReportOptions{})["response_rate"].is_null());
}

TEST(ReportSuppression, SmallQuestionsCarryNoNumbers) {
  Tally t = FilledTally();
  t.Find("nps")->counts.assign(11, 0.0);
  t.Find("nps")->counts[9] = 4;
  const Json cell = ReportCell(t, ReportOptions{}, "segment=web/");
  EXPECT_EQ(cell["questions"]["nps"], Json::parse(R"({"type": "nps", "suppressed": true})"));
  EXPECT_EQ(cell["suppressed"], Json::parse(R"(["segment=web/nps"])"));
  EXPECT_EQ(cell["questions"]["sat"]["n"], 100);  // others unaffected
}

TEST(ReportSuppression, MinCountOnlyRaises) {
  Tally t = FilledTally();
  t.Find("nps")->counts.assign(11, 0.0);
  t.Find("nps")->counts[9] = 4;
  ReportOptions lower;
  lower.min_count = 2;  // treated as 5
  EXPECT_EQ(ReportCell(t, lower)["suppressed"], Json::parse(R"(["nps"])"));
  ReportOptions higher;
  higher.min_count = 11;
  const Json cell = ReportCell(t, higher);
  // In question order: ease has n = 10, stars n = 5.
  EXPECT_EQ(cell["suppressed"], Json::parse(R"(["nps", "ease", "stars"])"));
  EXPECT_TRUE(cell["questions"]["ease"]["suppressed"].get<bool>());
}

TEST(ReportSuppression, UnansweredQuestionIsNotSuppressed) {
  Tally t = Tally::For(MakeSurvey());
  t.Find("sat")->skipped = 3;
  const Json cell = ReportCell(t, ReportOptions{});
  EXPECT_EQ(cell["questions"]["nps"], Json::parse(R"({"type": "nps", "n": 0})"));
  EXPECT_EQ(cell["questions"]["sat"], Json::parse(R"({"type": "csat", "n": 0, "skipped": 3})"));
  EXPECT_EQ(cell["questions"]["why"], Json::parse(R"({"type": "text", "n": 0})"));
  EXPECT_EQ(cell["suppressed"], Json::array());
}

TEST(ReportSuppression, LocalDpRoundingDoesNotSuppressFive) {
  Tally t = Tally::For(MakeSurvey());
  t.Find("nps")->counts = {1.3, -0.2, 0, 0, 0, 0, 0, 0.9, 0, 1.6, 1.3999999999};  // n ~ 5
  const Json cell = ReportCell(t, ReportOptions{});
  EXPECT_FALSE(cell["questions"]["nps"].contains("suppressed"));
  EXPECT_EQ(cell["questions"]["nps"]["n"], 5);
  EXPECT_EQ(cell["questions"]["nps"]["counts"][0], 1.3);  // fractional: two decimals
  EXPECT_EQ(cell["questions"]["nps"]["counts"][10], 1.4);
  EXPECT_EQ(cell["questions"]["nps"]["promoters"], 3);
}

TEST(ReportSuppression, NegativeEstimatesNeverPrintNan) {
  Tally t = FilledTally();
  t.Find("nps")->counts = {-3.5, 0, 0, 0, 0, 0, 0, -1.25, 0, 4, 12};
  t.Find("ease")->counts = {-2, 0, 0, 0, 3, 4, 9};
  t.Find("sat")->counts = {-4.5, 0, 0, 2, 9};
  const std::string text = ReportCell(t, ReportOptions{}).dump();
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  EXPECT_EQ(text.find("inf"), std::string::npos) << text;
  EXPECT_EQ(text.find("null"), std::string::npos) << text;
}

TEST(ReportBuild, TopLevelShape) {
  const Json r = BuildReport("post-checkout", "2026-11-01", "2026-11-22",
                             {ReportCellInput{"", "", FilledTally()}}, ReportOptions{});
  EXPECT_EQ(r["survey"], "post-checkout");
  EXPECT_EQ(r["from"], "2026-11-01");
  EXPECT_EQ(r["to"], "2026-11-22");
  EXPECT_EQ(r["displays"], 312);
  EXPECT_EQ(r["questions"]["nps"]["score"], 30.0);
  EXPECT_TRUE(r["suppressed"].is_array());
  EXPECT_FALSE(r.contains("segments"));
  EXPECT_FALSE(r.contains("periods"));
  EXPECT_FALSE(r.contains("cells"));
  EXPECT_FALSE(r.contains("conflicts"));

  const Json empty = BuildReport("s", "", "", {}, ReportOptions{});
  EXPECT_TRUE(empty["from"].is_null());
  EXPECT_TRUE(empty["to"].is_null());
  EXPECT_EQ(empty["displays"], 0);
  EXPECT_TRUE(empty["response_rate"].is_null());
  EXPECT_EQ(empty["questions"], Json::object());
}

TEST(ReportBuild, SegmentsWithExplicitOverall) {
  Tally web = FilledTally(), app = Tally::For(MakeSurvey());
  app.displays = 10;
  app.completions = 3;
  app.Find("nps")->counts[10] = 3;
  Tally all = web;
  ASSERT_TRUE(all.Merge(app));
  const Json r = BuildReport("s", "", "", {{"", "", all}, {"web", "", web}, {"app", "", app}},
                             ReportOptions{});
  EXPECT_EQ(r["displays"], 322);
  ASSERT_EQ(r["segments"].size(), 2u);
  EXPECT_EQ(r["segments"][0]["segment"], "app");  // sorted by label
  // app has 3 respondents: the whole cell is hidden, and web with it, since web would be the
  // overall minus app (and app the overall minus web).
  EXPECT_EQ(r["segments"][0], Json::parse(R"({"segment": "app", "suppressed": ["segment=app/"]})"));
  EXPECT_EQ(r["segments"][1], Json::parse(R"({"segment": "web", "suppressed": ["segment=web/"]})"));
  EXPECT_EQ(r["suppressed"], Json::parse(R"(["segment=app/", "segment=web/"])"));
  EXPECT_EQ(r["questions"]["nps"]["score"], 32.0);  // the overall stays: 53 P, 20 D of 103
  EXPECT_FALSE(r.contains("periods"));
}

TEST(ReportBuild, CrossCellsDeriveTotals) {
  const Tally t = FilledTally();
  const Json r = BuildReport("s", "2026-11-16", "2026-11-29",
                             {{"web", "2026-W47", t},
                              {"web", "2026-W48", t},
                              {"app", "2026-W48", t},
                              {"app", "2026-W47", t}},
                             ReportOptions{});
  EXPECT_EQ(r["displays"], 4 * 312);
  EXPECT_EQ(r["questions"]["nps"]["n"], 400);
  ASSERT_EQ(r["segments"].size(), 2u);
  EXPECT_EQ(r["segments"][1]["displays"], 624);
  ASSERT_EQ(r["periods"].size(), 2u);
  EXPECT_EQ(r["periods"][0]["period"], "2026-W47");
  EXPECT_FALSE(r["periods"][0].contains("segment"));
  EXPECT_EQ(r["periods"][1]["questions"]["nps"]["n"], 200);
  ASSERT_EQ(r["cells"].size(), 4u);
  EXPECT_EQ(r["cells"][0]["segment"], "app");
  EXPECT_EQ(r["cells"][0]["period"], "2026-W47");
  EXPECT_EQ(r["cells"][0]["questions"]["nps"]["n"], 100);
}

TEST(ReportBuild, MergedCellsMatchConcatenatedAnswers) {
  // Two batches of answers reported apart and merged give the report of all answers at once.
  Tally a = Tally::For(MakeSurvey()), b = Tally::For(MakeSurvey()), both = Tally::For(MakeSurvey());
  const std::vector<int> first = {10, 9, 3, 7, 8, 10}, second = {0, 6, 9, 9, 10, 5, 8};
  for (int v : first) a.Find("nps")->counts[v] += 1;
  for (int v : second) b.Find("nps")->counts[v] += 1;
  for (int v : first) both.Find("nps")->counts[v] += 1;
  for (int v : second) both.Find("nps")->counts[v] += 1;
  const Json merged = BuildReport("s", "", "", {{"", "", a}, {"", "", b}}, ReportOptions{});
  const Json direct = BuildReport("s", "", "", {{"", "", both}}, ReportOptions{});
  EXPECT_EQ(merged, direct);
}

TEST(ReportBuild, ConflictingCellsAreNamed) {
  Tally odd = FilledTally();
  odd.Find("ease")->scale = 5;
  odd.Find("ease")->counts.assign(5, 2.0);
  const Json r =
      BuildReport("s", "", "", {{"web", "", FilledTally()}, {"web", "", odd}}, ReportOptions{});
  EXPECT_EQ(r["conflicts"], Json::parse(R"(["segment=web/"])"));
  EXPECT_EQ(r["displays"], 312);  // the conflicting cell is left out
}

TEST(ReportText, ReadableTable) {
  Tally small = FilledTally();
  small.Find("nps")->counts.assign(11, 0.0);
  small.Find("nps")->counts[10] = 2;
  // Two segments: with web alone, web's hidden NPS would be the overall's, so the overall's NPS
  // would go too (complementary suppression); with app beside it, app's NPS goes instead.
  const Report r = ComputeReport("post-checkout", "2026-11-01", "2026-11-22",
                                 {{"", "", FilledTally()}, {"app", "", FilledTally()},
                                  {"web", "", small}},
                                 ReportOptions{});
  const std::string text = ReportToText(r);
  EXPECT_NE(text.find("Survey post-checkout\n"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-11-01 to 2026-11-22"), std::string::npos) << text;
  EXPECT_NE(text.find("Displays 312, completions 120, response rate 38.5%"), std::string::npos)
      << text;
  EXPECT_NE(text.find("[14.1, 44.2]"), std::string::npos) << text;
  EXPECT_NE(text.find("P 50 / A 30 / D 20, low precision, skipped 2"), std::string::npos) << text;
  EXPECT_NE(text.find("[4.63, 6.57]"), std::string::npos) << text;
  EXPECT_NE(text.find("satisfied 85 {4,5}"), std::string::npos) << text;
  EXPECT_NE(text.find("web 75.0%, app 25.0%"), std::string::npos) << text;
  EXPECT_NE(text.find("\nSegment web\n"), std::string::npos) << text;
  EXPECT_NE(text.find("segment=web/nps"), std::string::npos) << text;
  EXPECT_EQ(text.find("nan"), std::string::npos) << text;
  // Columns line up: every row of the first table starts its type column at the same offset.
  const size_t header = text.find("Question");
  const size_t type_col = text.find("Type", header) - header;
  const size_t row = text.find("\nnps ", header) + 1;
  EXPECT_EQ(text.substr(row + type_col, 3), "nps") << text;
}

// ---- Whole-cell and complementary suppression (METRICS.md, "Privacy") ----

// A cell of `completions` respondents who all answered NPS with `nps` answers of 10, the rest 0.
Tally Respondents(double completions, double promoters) {
  Tally t = Tally::For(MakeSurvey());
  t.displays = completions + 3;
  t.completions = completions;
  t.Find("nps")->counts[10] = promoters;
  t.Find("nps")->counts[0] = completions - promoters;
  return t;
}

// Whether a cell (or a question of it) shows numbers in the JSON.
bool Shown(const Json& cell) { return cell.contains("displays"); }
bool ShownQuestion(const Json& cell, const char* id) {
  return Shown(cell) && cell["questions"].contains(id) &&
         !cell["questions"][id].contains("suppressed");
}

const Json& Labelled(const Json& report, const char* list, const std::string& segment,
                     const std::string& period = "") {
  for (const Json& c : report[list]) {
    if (c.value("segment", "") == segment && c.value("period", "") == period) return c;
  }
  static const Json kNone;
  ADD_FAILURE() << "no cell " << segment << "/" << period;
  return kNone;
}

TEST(ReportComplementary, SmallSegmentCarriesNoNumbersAndIsNotTotalMinusRest) {
  // Overall 3 + 20 + 100 respondents. Before, app (3) showed its displays, completions and rate,
  // and hid only its NPS, which a reader got back as the overall minus web minus mobile.
  const Json r = BuildReport("s", "", "",
                             {{"app", "", Respondents(3, 1)},
                              {"mobile", "", Respondents(20, 10)},
                              {"web", "", Respondents(100, 60)}},
                             ReportOptions{});
  const Json& app = Labelled(r, "segments", "app");
  EXPECT_EQ(app, Json::parse(R"({"segment": "app", "suppressed": ["segment=app/"]})"));
  // The next smallest part goes too, so app is no longer the overall minus the rest.
  EXPECT_FALSE(Shown(Labelled(r, "segments", "mobile")));
  EXPECT_TRUE(Shown(Labelled(r, "segments", "web")));
  EXPECT_EQ(Labelled(r, "segments", "web")["displays"], 103);
  EXPECT_EQ(r["displays"], 132);  // 6 + 23 + 103
  EXPECT_EQ(r["suppressed"], Json::parse(R"(["segment=app/", "segment=mobile/"])"));
}

TEST(ReportComplementary, QuestionHiddenInOnePartHidesTheNextSmallest) {
  // Every segment has enough respondents, but only 3 of b's answered NPS.
  Tally b = Respondents(50, 0);
  b.Find("nps")->counts.assign(11, 0.0);
  b.Find("nps")->counts[9] = 3;
  b.Find("sat")->counts = {0, 0, 0, 10, 40};
  const Json r = BuildReport(
      "s", "", "", {{"a", "", Respondents(100, 50)}, {"b", "", b}, {"c", "", Respondents(40, 30)}},
      ReportOptions{});
  EXPECT_FALSE(ShownQuestion(Labelled(r, "segments", "b"), "nps"));
  EXPECT_TRUE(ShownQuestion(Labelled(r, "segments", "b"), "sat"));  // only nps is at stake
  EXPECT_FALSE(ShownQuestion(Labelled(r, "segments", "c"), "nps"));  // 40 answers < a's 100
  EXPECT_TRUE(ShownQuestion(Labelled(r, "segments", "a"), "nps"));
  EXPECT_TRUE(Shown(Labelled(r, "segments", "c")));                  // the cell itself stays
  EXPECT_EQ(Labelled(r, "segments", "c")["suppressed"], Json::parse(R"(["segment=c/nps"])"));
  EXPECT_EQ(r["questions"]["nps"]["n"], 143);
}

TEST(ReportComplementary, CrossedCellsNeverLeaveOneHiddenMemberInAnyTotal) {
  // 3 segments x 3 weeks, one crossed cell with 2 respondents. Segments, weeks and the overall
  // are sums of the crossed cells.
  std::vector<ReportCellInput> cells;
  const char* segments[] = {"a", "b", "c"};
  const char* weeks[] = {"2026-W46", "2026-W47", "2026-W48"};
  double size = 10;
  for (const char* s : segments) {
    for (const char* w : weeks) {
      const bool small = std::string(s) == "b" && std::string(w) == "2026-W47";
      cells.push_back({s, w, Respondents(small ? 2 : size, 1)});
      size += 7;
    }
  }
  const Json r = BuildReport("s", "", "", cells, ReportOptions{});
  EXPECT_FALSE(Shown(Labelled(r, "cells", "b", "2026-W47")));
  // Check every equation by hand: the number of hidden members is never exactly one.
  auto hidden_count = [](const Json& total, std::vector<const Json*> parts) {
    int n = Shown(total) ? 0 : 1;
    for (const Json* p : parts) n += Shown(*p) ? 0 : 1;
    return n;
  };
  std::vector<const Json*> all_segments, all_weeks;
  for (const char* s : segments) all_segments.push_back(&Labelled(r, "segments", s));
  for (const char* w : weeks) all_weeks.push_back(&Labelled(r, "periods", "", w));
  EXPECT_NE(hidden_count(r, all_segments), 1);
  EXPECT_NE(hidden_count(r, all_weeks), 1);
  int hidden_cells = 0;
  for (const char* s : segments) {
    std::vector<const Json*> row;
    for (const char* w : weeks) row.push_back(&Labelled(r, "cells", s, w));
    EXPECT_NE(hidden_count(Labelled(r, "segments", s), row), 1) << s;
    for (const Json* c : row) hidden_cells += Shown(*c) ? 0 : 1;
  }
  for (const char* w : weeks) {
    std::vector<const Json*> column;
    for (const char* s : segments) column.push_back(&Labelled(r, "cells", s, w));
    EXPECT_NE(hidden_count(Labelled(r, "periods", "", w), column), 1) << w;
  }
  // The smallest way out: b/W47 plus the smallest other of its row (b/W46), of its column
  // (a/W47), and a/W46 so that row a and column W46 are not left with one hidden each.
  EXPECT_EQ(hidden_cells, 4);
  EXPECT_FALSE(Shown(Labelled(r, "cells", "b", "2026-W46")));
  EXPECT_FALSE(Shown(Labelled(r, "cells", "a", "2026-W47")));
  EXPECT_FALSE(Shown(Labelled(r, "cells", "a", "2026-W46")));
  EXPECT_TRUE(Shown(Labelled(r, "segments", "b")));
  EXPECT_TRUE(Shown(r));
}

TEST(ReportComplementary, WithoutSuppressionEverythingShowsWithLowPrecisionMarks) {
  ReportOptions own_file;
  own_file.suppress = false;
  const Json r = BuildReport(
      "s", "", "", {{"app", "", Respondents(3, 1)}, {"web", "", Respondents(100, 60)}}, own_file);
  const Json& app = Labelled(r, "segments", "app");
  EXPECT_EQ(app["displays"], 6);
  EXPECT_EQ(app["completions"], 3);
  EXPECT_EQ(app["low_precision"], true);
  EXPECT_EQ(app["questions"]["nps"]["n"], 3);
  EXPECT_EQ(app["questions"]["nps"]["promoters"], 1);
  EXPECT_EQ(app["questions"]["nps"]["low_precision"], true);
  EXPECT_EQ(app["suppressed"], Json::array());
  EXPECT_FALSE(Labelled(r, "segments", "web").contains("low_precision"));
  EXPECT_EQ(r["suppressed"], Json::array());
  const std::string text = ReportToText(ComputeReport(
      "s", "", "", {{"app", "", Respondents(3, 1)}, {"web", "", Respondents(100, 60)}}, own_file));
  EXPECT_NE(text.find("Displays 6, completions 3, response rate 50.0%, low precision"),
            std::string::npos)
      << text;
}

TEST(ReportComplementary, HiddenCellText) {
  const std::string text = ReportToText(ComputeReport(
      "s", "", "", {{"app", "", Respondents(3, 1)}, {"web", "", Respondents(100, 60)}}, {}));
  EXPECT_NE(text.find("Segment app\nSuppressed: no numbers shown"), std::string::npos) << text;
  EXPECT_EQ(text.find("Displays 6"), std::string::npos) << text;
}

// ---- Reports over payloads ----

Json NpsPayload(const std::string& batch, int promoters, int detractors) {
  Json counts = Json::array();
  for (int v = 0; v <= 10; ++v) counts.push_back(v == 10 ? promoters : v == 0 ? detractors : 0);
  return {{"nazar", 1},
          {"batch", batch},
          {"site", "shop.example"},
          {"survey", "post-checkout"},
          {"survey_version", "2026-11-01"},
          {"period", "2026-11-22"},
          {"locale", "en"},
          {"displays", promoters + detractors},
          {"completions", promoters + detractors},
          {"dismissals", 0},
          {"questions", {{"nps", {{"type", "nps"}, {"counts", counts}}}}}};
}

TEST(ReportPayloads, ABatchIdCountsOnce) {
  const Json a = NpsPayload("0123456789abcdef0123456789abcdef", 6, 2);
  const Json b = NpsPayload("fedcba9876543210fedcba9876543210", 3, 1);
  Result<Report> once = ReportOfPayloads({{"aggregates", {a, b}}});
  Result<Report> resent = ReportOfPayloads({{"aggregates", {a, b, a, a}}});
  ASSERT_TRUE(once.ok()) << once.status().message();
  ASSERT_TRUE(resent.ok()) << resent.status().message();
  EXPECT_EQ(once->overall.displays, 12);
  EXPECT_EQ(resent->overall.displays, 12);  // not 28
  EXPECT_EQ(resent->overall.questions[0].promoters, 9);
  EXPECT_EQ(once->duplicates, 0);
  EXPECT_EQ(resent->duplicates, 2);
  Result<Json> json = ReportFromPayloads({{"aggregates", {a, a}}});
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)["displays"], 8);
  EXPECT_EQ((*json)["duplicates"], 1);
  EXPECT_FALSE(ReportFromPayloads({{"aggregates", {a, b}}})->contains("duplicates"));
}

// ---- Local differential privacy: raw reports in, estimates and widened intervals out ----

// A survey tally whose NPS holds randomized group reports (k 4: 3 groups + "no answer") at
// the question's epsilon `eps`.
Tally NoisyNpsTally(double eps, double detractors, double passives, double promoters, double none) {
  Tally t = Tally::For(MakeSurvey());
  QuestionTally* nps = t.Find("nps");
  nps->noise_epsilon = eps;
  nps->noise_k = 4;
  nps->counts[0] = detractors;
  nps->counts[7] = passives;
  nps->counts[9] = promoters;
  nps->skipped = none;
  nps->answered = detractors + passives + promoters + none;  // reports, one per display
  return t;
}

// Hand-worked (stats_test): k 4 at eps ln 2 (p 2/5, q 1/5), reports D, A, P, none = 25, 25, 30,
// 20 -> theta 0.25, 0.25, 0.5, 0: NPS 25, n 100; se 37.165 points, so ci95 = 25 -+ 72.84.
TEST(ReportLocalDp, NpsShowsEstimateWidenedIntervalAndNoise) {
  const Json cell = ReportCell(NoisyNpsTally(std::log(2.0), 25, 25, 30, 20), ReportOptions{});
  const Json& nps = cell["questions"]["nps"];
  EXPECT_EQ(nps["n"], 100);
  EXPECT_EQ(nps["score"], 25.0);
  EXPECT_EQ(nps["ci95"], Json::parse("[-47.8, 97.8]"));
  EXPECT_EQ(nps["low_precision"], true);
  EXPECT_EQ(nps["promoters"], 50);
  EXPECT_EQ(nps["passives"], 25);
  EXPECT_EQ(nps["detractors"], 25);
  EXPECT_EQ(nps["skipped"], 0);
  EXPECT_EQ(nps["counts"], Json::parse("[25,0,0,0,0,0,0,25,0,50,0]"));
  EXPECT_EQ(nps["noise"]["mechanism"], "grr");
  EXPECT_NEAR(nps["noise"]["epsilon"].get<double>(), 0.693147, 1e-6);
  EXPECT_EQ(nps["noise"]["k"], 4);
  EXPECT_EQ(nps["noise"]["reported_counts"], Json::parse("[25,0,0,0,0,0,0,25,0,30,0]"));
  EXPECT_EQ(nps["noise"]["reported_skipped"], 20);
  // Other questions of the cell stay plain.
  EXPECT_FALSE(ReportCell(FilledTally(), ReportOptions{}).contains("noise"));
}

// The same mechanism with a share of "no answer": reports 22, 24, 30, 24 -> theta 0.1, 0.2,
// 0.5, 0.2: 80 answers, 20 estimated non-answers, NPS 100 (50 - 10) / 80 = 50.
TEST(ReportLocalDp, NoAnswerReportsAreEstimatedApart) {
  const Json nps =
      ReportCell(NoisyNpsTally(std::log(2.0), 22, 24, 30, 24), ReportOptions{})["questions"]["nps"];
  EXPECT_EQ(nps["n"], 80);
  EXPECT_EQ(nps["score"], 50.0);
  EXPECT_EQ(nps["promoters"], 50);
  EXPECT_EQ(nps["detractors"], 10);
  EXPECT_EQ(nps["skipped"], 20);
}

TEST(ReportLocalDp, DisplayCountsAreClippedScoresAreNot) {
  // Nearly all reports are promoters: the detractor estimate is negative.
  const Json nps =
      ReportCell(NoisyNpsTally(1.0, 0, 10, 90, 0), ReportOptions{})["questions"]["nps"];
  EXPECT_EQ(nps["detractors"], 0);
  EXPECT_EQ(nps["counts"][0], 0);
  EXPECT_GT(nps["score"].get<double>(), 100);  // unbiased estimate, unclipped
  EXPECT_EQ(nps["ci95"][1], 100.0);            // the interval is clamped to the range
}

TEST(ReportLocalDp, EveryTypeIsEstimatedFromReports) {
  Tally t = FilledTally();
  for (QuestionTally& q : t.questions) {
    if (q.type == QuestionType::kText) continue;
    q.noise_epsilon = 2.0;
    q.noise_k = (q.type == QuestionType::kNps ? 11 : static_cast<int>(q.counts.size())) + 1;
    // The expected reports when everyone answered: N q + (p - q) c per value, N q "no answer".
    const RandomizedResponse rr{q.noise_k, 2.0};
    double n = 0;
    for (double c : q.counts) n += c;
    for (double& c : q.counts) c = n * rr.q() + (rr.p() - rr.q()) * c;
    q.skipped = n * rr.q();
    q.answered = n;
  }
  const Json cell = ReportCell(t, ReportOptions{});
  const Json plain = ReportCell(FilledTally(), ReportOptions{});
  for (const char* id : {"nps", "sat", "ease", "stars"}) {
    const Json& noisy = cell["questions"][id];
    ASSERT_TRUE(noisy.contains("noise")) << id;
    EXPECT_EQ(noisy["n"], plain["questions"][id]["n"]) << id;
    const double w = noisy["ci95"][1].get<double>() - noisy["ci95"][0].get<double>();
    const double pw = plain["questions"][id]["ci95"][1].get<double>() -
                      plain["questions"][id]["ci95"][0].get<double>();
    EXPECT_GT(w, pw) << id;  // widened
    // At the expected reports the estimates are the plain numbers.
    for (const char* field : {"score", "mean", "agree_pct"}) {
      if (!noisy.contains(field)) continue;
      EXPECT_NEAR(noisy[field].get<double>(), plain["questions"][id][field].get<double>(), 0.011)
          << id << " " << field;
    }
  }
  // Single choice: shares theta_v (k 3: 2 options + "no answer"), 30 and 10 -> 75% and 25%.
  const Json& channel = cell["questions"]["channel"];
  EXPECT_EQ(channel["shares"], Json::parse("[75.0, 25.0]"));
  EXPECT_EQ(channel["counts"], Json::parse("[30, 10]"));
  EXPECT_FALSE(cell["questions"]["why"].contains("noise"));
  const std::string text = ReportToText(ComputeReport("s", "", "", {{"", "", t}}, {}));
  EXPECT_NE(text.find("local DP eps 2.00"), std::string::npos) << text;
}

// Hand-worked: 2 options + the "no answer" bit share eps 3 ln 3, so each bit has eps ln 3
// (k 2: p 3/4, q 1/4). 100 reports: option bits 60 and 30, "no answer" bit 25 ->
// chosen = 100 (share - 1/4) / (1/2) = 70 and 10, none 0: n 100, shares 70% and 10%.
TEST(ReportLocalDp, MultipleChoiceUsesPerBitBudget) {
  Tally t = Tally::For(MakeSurvey());
  QuestionTally* channel = t.Find("channel");
  channel->multiple = true;
  channel->noise_epsilon = 3 * std::log(3.0);
  channel->noise_k = 2;
  channel->answered = 100;
  channel->counts = {60, 30};
  channel->skipped = 25;
  const Json j = ReportCell(t, ReportOptions{})["questions"]["channel"];
  EXPECT_EQ(j["shares"], Json::parse("[70.0, 10.0]"));
  EXPECT_EQ(j["counts"], Json::parse("[70, 10]"));
  EXPECT_NEAR(j["noise"]["epsilon_per_option"].get<double>(), 1.098612, 1e-6);
  EXPECT_EQ(j["n"], 100);
}

// Completions under local DP: reports of a two-valued answer. Hand-worked at eps ln 3 per item
// (whole budget 2 ln 3 over 2 items; k 2: p 3/4, q 1/4): 100 displays with 60 "completed"
// reports -> (60 - 25) / (1/2) = 70 completions, response rate 0.7.
TEST(ReportLocalDp, CompletionsAreEstimated) {
  Tally t = Tally::For(MakeSurvey());
  t.displays = 100;
  t.completions = 60;
  t.noise_epsilon = 2 * std::log(3.0);
  t.noise_items = 2;
  const Json cell = ReportCell(t, ReportOptions{});
  EXPECT_EQ(cell["completions"], 70);
  EXPECT_EQ(cell["response_rate"], 0.7);
  EXPECT_NEAR(cell["noise"]["epsilon"].get<double>(), 2.197225, 1e-6);
  EXPECT_EQ(cell["noise"]["items"], 2);
}

TEST(ReportLocalDp, MergeRequiresTheSameMechanism) {
  Tally a = NoisyNpsTally(1.0, 10, 10, 10, 0);
  Tally same = NoisyNpsTally(1.0, 1, 2, 3, 0);
  ASSERT_TRUE(a.Merge(same));
  EXPECT_EQ(a.Find("nps")->counts[9], 13);  // raw reports add
  EXPECT_FALSE(a.Merge(NoisyNpsTally(2.0, 1, 2, 3, 0)));
  Tally full = NoisyNpsTally(1.0, 1, 2, 3, 0);
  full.Find("nps")->noise_k = 12;
  EXPECT_FALSE(a.Merge(full));
  Tally plain = Tally::For(MakeSurvey());
  plain.Find("nps")->counts[9] = 4;
  EXPECT_FALSE(a.Merge(plain));
  EXPECT_EQ(a.Find("nps")->counts[9], 13);  // all or nothing
  // An empty tally (e.g. Tally::For a definition) takes the noise of what it merges.
  Tally empty = Tally::For(MakeSurvey());
  ASSERT_TRUE(empty.Merge(a));
  EXPECT_EQ(empty.Find("nps")->noise_epsilon, 1.0);
  EXPECT_EQ(empty.Find("nps")->noise_k, 4);
  ASSERT_TRUE(a.Merge(Tally::For(MakeSurvey())));
  EXPECT_EQ(a.Find("nps")->noise_k, 4);
  // Randomized completions: the tally's budget and items must match too.
  Tally x = Tally::For(MakeSurvey()), y = Tally::For(MakeSurvey());
  x.displays = y.displays = 1;
  x.noise_epsilon = 2;
  x.noise_items = 5;
  y.noise_epsilon = 2;
  y.noise_items = 4;
  EXPECT_FALSE(x.Merge(y));
  y.noise_items = 5;
  EXPECT_TRUE(x.Merge(y));
  EXPECT_EQ(x.displays, 2);
}

// Monte Carlo: the reported standard error is the real spread of the estimate. The mechanism of
// a payload: k 4 (3 groups + "no answer") at eps 1; 10% of respondents give no answer.
TEST(ReportLocalDp, StandardErrorMatchesSimulation) {
  FakeHost host(0, 7);
  const RandomizedResponse rr{4, 1.0};
  const int kRuns = 1000, kN = 1000;
  const int kCell[3] = {0, 7, 9};
  double sum = 0, sum2 = 0, se_sum = 0;
  for (int run = 0; run < kRuns; ++run) {
    std::vector<double> counts(11, 0.0);
    double none = 0;
    for (int i = 0; i < kN; ++i) {
      // 18% D, 27% A, 45% P, 10% no answer: NPS 30 among those who answered.
      const int truth = i < 180 ? 0 : i < 450 ? 1 : i < 900 ? 2 : 3;
      const int reported = rr.Randomize(truth, host);
      if (reported == 3) {
        none += 1;
      } else {
        counts[kCell[reported]] += 1;
      }
    }
    const NpsScore s = ScoreNpsGrr(counts, none, true, rr.p(), rr.q());
    sum += s.score;
    sum2 += s.score * s.score;
    se_sum += 100 * s.wald_se;
  }
  const double mean = sum / kRuns, sd = std::sqrt((sum2 - kRuns * mean * mean) / (kRuns - 1));
  EXPECT_NEAR(mean, 30.0, 4 * sd / std::sqrt(kRuns));  // nearly unbiased
  EXPECT_NEAR(sd, se_sum / kRuns, 0.1 * sd);  // ~4.5 sigma of the sd's own sampling error
}

}  // namespace
}  // namespace nazar
