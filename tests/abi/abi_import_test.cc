// nazar_import_*, called as the analyze page's worker calls it: options in, the file's bytes in
// chunks, the report and comparisons out. Expected numbers are hand-worked from the fixture
// (tests/fixtures/responses/nps_50_30_20.csv) or the CLI tests' values for it.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "nazar/json.h"
#include "nazar/report.h"
#include "nazar/score.h"
#include "nazar_abi.h"

namespace {

using nazar::Json;

const std::string kResponses = std::string(NAZAR_FIXTURES_DIR) + "/responses/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Json SlotJson() {
  return Json::parse(std::string(nazar_response_data(), nazar_response_size()), nullptr, false);
}
std::string SlotMessage() { return SlotJson().value("message", std::string()); }

// Copies `input` into nazar_alloc'ed memory as JS does, calls, frees.
int WithInput(const std::string& input, const std::function<int(const char*, size_t)>& fn) {
  char* buf = static_cast<char*>(nazar_alloc(input.size()));
  std::copy(input.begin(), input.end(), buf);
  const int status = fn(buf, input.size());
  nazar_free(buf);
  return status;
}

int Begin(const Json& options) { return WithInput(options.dump(), nazar_import_begin); }

int Feed(int32_t handle, const std::string& bytes) {
  return WithInput(bytes, [&](const char* p, size_t n) { return nazar_import_feed(handle, p, n); });
}

int Compare(int32_t handle, const Json& request) {
  return WithInput(request.dump(),
                   [&](const char* p, size_t n) { return nazar_import_compare(handle, p, n); });
}

// Begins with `options`, feeds `text` in pieces of `chunk` bytes, finishes; the report JSON.
Json ScoreWhole(const Json& options, const std::string& text, size_t chunk, int32_t* handle_out) {
  EXPECT_EQ(Begin(options), NAZAR_OK) << SlotMessage();
  const int32_t handle = SlotJson()["handle"];
  for (size_t at = 0; at < text.size(); at += chunk) {
    EXPECT_EQ(Feed(handle, text.substr(at, chunk)), NAZAR_OK) << SlotMessage();
  }
  EXPECT_EQ(nazar_import_finish(handle), NAZAR_OK) << SlotMessage();
  Json report = SlotJson();
  if (handle_out != nullptr) {
    *handle_out = handle;
  } else {
    EXPECT_EQ(nazar_import_destroy(handle), NAZAR_OK);
  }
  return report;
}

// The cell of `list` labelled `label`, or null. Non-const JSON throughout: a missing member reads
// as null and fails the check instead of tripping nlohmann's assertion.
Json Cell(Json report, const char* list, const char* key, const std::string& label) {
  for (Json& cell : report[list]) {
    if (cell[key] == label) return cell;
  }
  return nullptr;
}

void ExpectNps(Json nps, double n, double score, double lo, double hi) {
  EXPECT_EQ(nps["n"], n);
  EXPECT_DOUBLE_EQ(nps["score"].get<double>(), score);
  EXPECT_DOUBLE_EQ(nps["ci95"][0].get<double>(), lo);
  EXPECT_DOUBLE_EQ(nps["ci95"][1].get<double>(), hi);
}

TEST(AbiImport, LifecycleScoresTheFixture) {
  const std::string csv = ReadFile(kResponses + "nps_50_30_20.csv");
  ASSERT_EQ(Begin({{"by", "channel"}, {"period", "week"}}), NAZAR_OK) << SlotMessage();
  const int32_t handle = SlotJson()["handle"];
  // Progress after the header and the first two records (the third is still partial).
  const size_t two_rows = csv.find('\n', csv.find('\n', csv.find('\n') + 1) + 1) + 1;
  ASSERT_EQ(Feed(handle, csv.substr(0, two_rows + 5)), NAZAR_OK);
  EXPECT_EQ(SlotJson(), Json({{"rows", 2}, {"bytes", two_rows + 5}, {"bad_rows", 0}}));
  ASSERT_EQ(Feed(handle, csv.substr(two_rows + 5)), NAZAR_OK);
  EXPECT_EQ(SlotJson()["bytes"], csv.size());
  ASSERT_EQ(nazar_import_finish(handle), NAZAR_OK) << SlotMessage();
  Json report = SlotJson();
  // The CLI's numbers for this file (tests/cli/cli_test.cc, CsvReport and BySegment).
  ExpectNps(report["questions"]["nps"], 100, 30.0, 14.1, 44.2);
  EXPECT_EQ(report["questions"]["nps"]["promoters"], 50);
  EXPECT_EQ(report["questions"]["csat"]["satisfied"], 40);
  EXPECT_DOUBLE_EQ(report["questions"]["ces"]["mean"].get<double>(), 3.97);
  ASSERT_FALSE(Cell(report, "segments", "segment", "app").is_null());
  ExpectNps(Cell(report, "segments", "segment", "app")["questions"]["nps"], 25, 32.0, -0.5, 57.6);
  ExpectNps(Cell(report, "periods", "period", "2026-W47")["questions"]["nps"], 31, 29.0, 0.6, 52.3);
  EXPECT_EQ(Cell(report, "periods", "period", "2026-W44")["completions"], 5);
  EXPECT_EQ(report["import"]["rows"], 100);
  EXPECT_EQ(report["import"]["bad_rows"], 0);
  EXPECT_EQ(report["import"]["format"], "csv");
  // Finishing again gives the same report; the handle lives until destroyed.
  ASSERT_EQ(nazar_import_finish(handle), NAZAR_OK);
  EXPECT_EQ(SlotJson(), report);
  EXPECT_EQ(nazar_import_destroy(handle), NAZAR_OK);
  EXPECT_EQ(nazar_import_destroy(handle), NAZAR_NOT_FOUND);
}

// The analyst's own file: below min_count a cell keeps its numbers and is marked, where the CLI
// (--min-count 30) hides the 25 app respondents.
TEST(AbiImport, NeverSuppressesMarksLowPrecision) {
  Json report = ScoreWhole({{"by", "channel"}, {"min_count", 30}},
                           ReadFile(kResponses + "nps_50_30_20.csv"), 1 << 20, nullptr);
  Json app = Cell(report, "segments", "segment", "app");
  EXPECT_EQ(app.value("low_precision", false), true);
  ASSERT_TRUE(app.contains("questions")) << app.dump();
  ExpectNps(app["questions"]["nps"], 25, 32.0, -0.5, 57.6);
  EXPECT_EQ(report["suppressed"], Json::array());
  EXPECT_FALSE((Cell(report, "segments", "segment", "web")).contains("low_precision"));
}

TEST(AbiImport, AnySplitGivesTheSameReport) {
  const std::string csv = ReadFile(kResponses + "nps_50_30_20.csv");
  const Json options = {{"by", "channel"}, {"period", "day"}};
  Json whole = ScoreWhole(options, csv, csv.size(), nullptr);
  EXPECT_EQ(whole["import"]["rows"], 100);
  for (size_t chunk : {1, 2, 3, 7, 64, 1000}) {
    EXPECT_EQ(ScoreWhole(options, csv, chunk, nullptr), whole) << "chunks of " << chunk;
  }
  // NDJSON of the same responses, format detected from the first byte.
  Json ndjson = ScoreWhole(options, ReadFile(kResponses + "nps_50_30_20.ndjson"), 13, nullptr);
  EXPECT_EQ(ndjson["import"]["format"], "ndjson");
  Json a = whole, b = ndjson;
  a.erase("import");
  b.erase("import");
  EXPECT_EQ(a, b);
}

TEST(AbiImport, BadRowsAreCountedWithLinesNeverFatal) {
  Json report = ScoreWhole(Json::object(), ReadFile(kResponses + "bad_rows.csv"), 5, nullptr);
  EXPECT_EQ(report["import"]["rows"], 9);
  EXPECT_EQ(report["import"]["bad_rows"], 4);
  EXPECT_EQ(report["import"]["errors"][0],
            Json({{"line", 3}, {"message", "column nps: \"11\" is not an NPS answer (0-10)"}}));
  EXPECT_EQ(report["completions"], 5);
  // n = 4 < 5: marked, not hidden.
  EXPECT_EQ(report["questions"]["nps"]["n"], 4);
  EXPECT_EQ(report["questions"]["nps"]["low_precision"], true);
}

TEST(AbiImport, OptionsAreCheckedWithPointers) {
  struct Case {
    std::string options;
    int status;
    std::string message_start;
  };
  const std::vector<Case> cases = {
      {"[]", NAZAR_INVALID_ARGUMENT, "options: expected an object"},
      {"{", NAZAR_INVALID_ARGUMENT, "options: not valid JSON"},
      {R"({"format":"xls"})", NAZAR_INVALID_ARGUMENT, "/format: \"xls\" is not a format"},
      {R"({"format":1})", NAZAR_INVALID_ARGUMENT, "/format: expected a string"},
      {R"({"delimiter":"|"})", NAZAR_INVALID_ARGUMENT, "/delimiter: \"|\" is not a delimiter"},
      {R"({"by":["a"]})", NAZAR_INVALID_ARGUMENT, "/by: expected a string"},
      {R"({"period":"year"})", NAZAR_INVALID_ARGUMENT, "/period: \"year\" is not a period"},
      {R"({"calendar":"lunar"})", NAZAR_INVALID_ARGUMENT, "/calendar: \"lunar\" is not a calendar"},
      {R"({"min_count":4})", NAZAR_INVALID_ARGUMENT, "/min_count: expected a whole number"},
      {R"({"min_count":5.5})", NAZAR_INVALID_ARGUMENT, "/min_count: expected a whole number"},
      {R"({"survey_id":"shop"})", NAZAR_INVALID_ARGUMENT, "/survey_id: needs /survey"},
      {R"({"survey":{"nazar":1,"id":"x"}})", NAZAR_INVALID_DEFINITION, "/survey"},
      {R"({"perod":"day"})", NAZAR_INVALID_ARGUMENT, "/perod: unknown option"},
      {R"({"a/b":1})", NAZAR_INVALID_ARGUMENT, "/a~1b: unknown option"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(WithInput(c.options, nazar_import_begin), c.status) << c.options;
    EXPECT_EQ(SlotMessage().rfind(c.message_start, 0), 0u) << c.options << " -> " << SlotMessage();
  }
  EXPECT_EQ(nazar_import_begin(nullptr, 3), NAZAR_INVALID_ARGUMENT);
  // Every documented value is accepted.
  const Json good = {{"format", "csv"},   {"delimiter", ";"},        {"by", "region"},
                     {"period", "month"}, {"calendar", "gregorian"}, {"min_count", 5}};
  ASSERT_EQ(Begin(good), NAZAR_OK) << SlotMessage();
  EXPECT_EQ(nazar_import_destroy(SlotJson()["handle"]), NAZAR_OK);
}

TEST(AbiImport, SurveyDefinitionScoresItsQuestions) {
  const Json options = {
      {"survey", ReadFile(kResponses + "shop-survey.json")}, {"by", "region"}, {"delimiter", ";"}};
  Json report = ScoreWhole(options, ReadFile(kResponses + "shop.csv"), 4, nullptr);
  EXPECT_EQ(report["survey"], "shop");
  // shop.csv: 8 rows, the last rejected (option "gifts"); nps 10, 9, Persian 8, 7, 3, 10, 6 ->
  // 3 promoters, 2 passives, 2 detractors of 7.
  EXPECT_EQ(report["import"]["bad_rows"], 1);
  EXPECT_EQ(report["questions"]["nps"]["n"], 7);
  EXPECT_EQ(report["questions"]["nps"]["promoters"], 3);
  EXPECT_EQ(report["questions"]["nps"]["passives"], 2);
  EXPECT_EQ(report["questions"]["nps"]["detractors"], 2);
  EXPECT_TRUE(report["questions"].contains("features"));
  Json bad = options;
  bad["survey_id"] = "other";
  EXPECT_EQ(Begin(bad), NAZAR_NOT_FOUND) << SlotMessage();
}

TEST(AbiImport, BadHandlesAndOrder) {
  EXPECT_EQ(Feed(987654, "x"), NAZAR_NOT_FOUND);
  EXPECT_EQ(SlotJson()["code"], "not_found");
  EXPECT_EQ(SlotMessage(), "no import 987654");
  EXPECT_EQ(nazar_import_finish(-1), NAZAR_NOT_FOUND);
  EXPECT_EQ(Compare(0, {{"a", Json::object()}}), NAZAR_NOT_FOUND);
  EXPECT_EQ(nazar_import_destroy(987654), NAZAR_NOT_FOUND);

  ASSERT_EQ(Begin(Json::object()), NAZAR_OK);
  const int32_t handle = SlotJson()["handle"];
  EXPECT_EQ(nazar_import_feed(handle, nullptr, 0), NAZAR_OK);
  EXPECT_EQ(nazar_import_feed(handle, nullptr, 4), NAZAR_INVALID_ARGUMENT);
  EXPECT_EQ(Compare(handle, {{"a", {{"segment", "x"}}}, {"b", {{"segment", "y"}}}}),
            NAZAR_FAILED_PRECONDITION);
  ASSERT_EQ(Feed(handle, "nps\n9\n"), NAZAR_OK);
  ASSERT_EQ(nazar_import_finish(handle), NAZAR_OK);
  EXPECT_EQ(SlotJson()["questions"]["nps"]["n"], 1);
  EXPECT_EQ(Feed(handle, "10\n"), NAZAR_FAILED_PRECONDITION);
  EXPECT_EQ(SlotJson()["code"], "failed_precondition");
  EXPECT_EQ(nazar_import_destroy(handle), NAZAR_OK);
  EXPECT_EQ(Feed(handle, "10\n"), NAZAR_NOT_FOUND);
  EXPECT_EQ(nazar_import_finish(handle), NAZAR_NOT_FOUND);
}

TEST(AbiImport, SeveralImportsAtOnce) {
  const std::string csv = ReadFile(kResponses + "nps_50_30_20.csv");
  const std::string bad = ReadFile(kResponses + "bad_rows.csv");
  ASSERT_EQ(Begin({{"by", "channel"}}), NAZAR_OK);
  const int32_t a = SlotJson()["handle"];
  ASSERT_EQ(Begin({{"format", "csv"}}), NAZAR_OK);
  const int32_t b = SlotJson()["handle"];
  EXPECT_NE(a, b);
  // Interleaved feeds, split at odd places.
  for (size_t at = 0; at < csv.size() || at < bad.size(); at += 17) {
    if (at < csv.size()) {
      ASSERT_EQ(Feed(a, csv.substr(at, 17)), NAZAR_OK);
    }
    if (at < bad.size()) {
      ASSERT_EQ(Feed(b, bad.substr(at, 17)), NAZAR_OK);
    }
  }
  ASSERT_EQ(nazar_import_finish(b), NAZAR_OK);
  EXPECT_EQ(SlotJson()["import"]["rows"], 9);
  EXPECT_EQ(SlotJson()["import"]["bad_rows"], 4);
  ASSERT_EQ(nazar_import_finish(a), NAZAR_OK);
  EXPECT_EQ(SlotJson()["import"]["rows"], 100);
  EXPECT_EQ(SlotJson()["segments"].size(), 2u);
  EXPECT_EQ(nazar_import_destroy(a), NAZAR_OK);
  EXPECT_EQ(nazar_import_finish(b), NAZAR_OK);  // b still alive
  EXPECT_EQ(nazar_import_destroy(b), NAZAR_OK);
}

// Week 45 (2026-11-02..08) against week 46 (11-09..15) of the fixture, hand-counted: each has 32
// responses; NPS 16 promoters - 6 detractors = 31.25 vs 16 - 7 = 28.125; CSAT 13 of 32 satisfied
// on both; CES mean 125/32 = 3.906 vs 130/32 = 4.0625.
TEST(AbiImport, CompareTwoPeriods) {
  const std::string csv = ReadFile(kResponses + "nps_50_30_20.csv");
  int32_t handle = 0;
  ScoreWhole({{"by", "channel"}, {"period", "week"}}, csv, 256, &handle);
  const Json request = {{"a", {{"period", "2026-W45"}}}, {"b", {{"period", "2026-W46"}}}};
  ASSERT_EQ(Compare(handle, request), NAZAR_OK) << SlotMessage();
  Json out = SlotJson();
  EXPECT_EQ(out["a"], request["a"]);
  EXPECT_EQ(out["b"], request["b"]);
  Json& nps = out["questions"]["nps"];
  EXPECT_EQ(nps["a"]["n"], 32);
  EXPECT_EQ(nps["b"]["n"], 32);
  EXPECT_NEAR(nps["a"]["score"].get<double>(), 31.25, 0.051);
  EXPECT_DOUBLE_EQ(nps["b"]["score"].get<double>(), 28.1);
  EXPECT_DOUBLE_EQ(nps["diff"].get<double>(), -3.1);
  EXPECT_EQ(nps["test"], "z");
  EXPECT_EQ(nps["verdict"], "no_change");
  EXPECT_DOUBLE_EQ(out["questions"]["csat"]["diff"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(out["questions"]["ces"]["diff"].get<double>(), 0.16);
  EXPECT_EQ(out["questions"]["ces"]["test"], "welch_t");

  // The same test on the two weeks scored as separate files (the rows of each week alone) and
  // compared report against report: the cells of one import must give the same comparison.
  auto week_rows = [&](const std::string& from, const std::string& to) {
    std::istringstream in(csv);
    std::string line, out_text;
    std::getline(in, line);
    out_text = line + "\n";
    while (std::getline(in, line)) {
      if (line.substr(0, 10) >= from && line.substr(0, 10) <= to) out_text += line + "\n";
    }
    nazar::ScoreOptions options;
    options.report.suppress = false;
    nazar::ResponseScorer scorer(options);
    scorer.Feed(out_text);
    return scorer.Finish().report;
  };
  const nazar::Comparison separate = nazar::CompareReports(week_rows("2026-11-02", "2026-11-08"),
                                                           week_rows("2026-11-09", "2026-11-15"));
  EXPECT_EQ(out["questions"], nazar::ComparisonToJson(separate)["questions"]);
  EXPECT_EQ(nazar_import_destroy(handle), NAZAR_OK);
}

TEST(AbiImport, CompareSegmentsAndBadRequests) {
  int32_t handle = 0;
  ScoreWhole({{"by", "channel"}, {"period", "week"}}, ReadFile(kResponses + "nps_50_30_20.csv"),
             4096, &handle);
  ASSERT_EQ(Compare(handle, {{"a", {{"segment", "app"}}}, {"b", {{"segment", "web"}}}}), NAZAR_OK);
  // app has 25 answers: below the 30 a change test needs.
  EXPECT_EQ(SlotJson()["questions"]["nps"]["verdict"], "not_enough_data");
  EXPECT_EQ(SlotJson()["questions"]["nps"]["a"]["n"], 25);
  EXPECT_EQ(SlotJson()["questions"]["nps"]["b"]["n"], 75);
  // A segment x period cell against another.
  ASSERT_EQ(Compare(handle, {{"a", {{"segment", "web"}, {"period", "2026-W45"}}},
                             {"b", {{"segment", "web"}, {"period", "2026-W46"}}}}),
            NAZAR_OK)
      << SlotMessage();

  struct Case {
    Json request;
    int status;
    std::string message_start;
  };
  const std::vector<Case> cases = {
      {Json::array(), NAZAR_INVALID_ARGUMENT, "request: expected an object"},
      {{{"a", {{"segment", "app"}}}}, NAZAR_INVALID_ARGUMENT, "/b: expected an object"},
      {{{"a", {{"segment", 1}}}, {"b", {{"segment", "web"}}}},
       NAZAR_INVALID_ARGUMENT,
       "/a/segment: expected a string"},
      {{{"a", {{"locale", "fa"}}}, {"b", {{"segment", "web"}}}},
       NAZAR_INVALID_ARGUMENT,
       "/a/locale: unknown key"},
      {{{"a", {{"segment", "app"}}}, {"b", {{"segment", "web"}}}, {"c", 1}},
       NAZAR_INVALID_ARGUMENT,
       "/c: unknown key"},
      {{{"a", {{"segment", "app"}}}, {"b", {{"segment", "app"}}}},
       NAZAR_INVALID_ARGUMENT,
       "a and b are the same segment \"app\""},
      {{{"a", {{"segment", "app"}}}, {"b", {{"period", "2026-W45"}}}},
       NAZAR_INVALID_ARGUMENT,
       "a and b must be cells of the same kind"},
      {{{"a", Json::object()}, {"b", {{"segment", "app"}}}},
       NAZAR_INVALID_ARGUMENT,
       "a and b must be cells of the same kind"},
      {{{"a", {{"segment", "app"}}}, {"b", {{"segment", "kiosk"}}}},
       NAZAR_NOT_FOUND,
       "b: no segment \"kiosk\" in the report"},
      {{{"a", {{"period", "2025-W01"}}}, {"b", {{"period", "2026-W45"}}}},
       NAZAR_NOT_FOUND,
       "a: no period \"2025-W01\" in the report"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Compare(handle, c.request), c.status) << c.request.dump();
    EXPECT_EQ(SlotMessage().rfind(c.message_start, 0), 0u)
        << c.request.dump() << " -> " << SlotMessage();
  }
  EXPECT_EQ(nazar_import_compare(handle, "{", 1), NAZAR_INVALID_ARGUMENT);
  EXPECT_EQ(nazar_import_destroy(handle), NAZAR_OK);
}

}  // namespace

namespace {

// The ABI carries the page's whole flow: the core's proposal, the confirmed mapping back in
// begin's options, Solar Hijri months. Expected values worked by hand from the fixture (five rows:
// 1405/09/09 fa, 1405/09/10 fa, 1405/08/30 en, 1405/01/01 fa, 1405/01/02 en).
TEST(AbiImport, ProposalMappingAndSolarHijriMonthsEndToEnd) {
  const std::string input =
      ReadFile(std::string(NAZAR_FIXTURES_DIR) + "/import/persian_semicolon_jalali.csv");
  ASSERT_EQ(WithInput(input, nazar_import_propose), NAZAR_OK) << SlotMessage();
  Json proposal = SlotJson();
  EXPECT_EQ(proposal["delimiter"], ";");
  EXPECT_EQ(proposal["mapping"]["date_format"], "jalali");
  const Json options = {
      {"mapping", proposal["mapping"]}, {"period", "month"}, {"calendar", "jalali"}};
  Json report = ScoreWhole(options, input, 7, nullptr);
  EXPECT_EQ(report["import"]["rows"], 5);
  EXPECT_EQ(report["import"]["bad_rows"], 0);
  EXPECT_EQ(Cell(report, "periods", "period", "1405-09")["completions"], 2);
  EXPECT_EQ(Cell(report, "periods", "period", "1405-08")["completions"], 1);
  EXPECT_EQ(Cell(report, "periods", "period", "1405-01")["completions"], 2);
  EXPECT_EQ(Cell(report, "segments", "segment", "fa")["completions"], 3);
  // A broken mapping names its pointer under /mapping.
  EXPECT_EQ(Begin({{"mapping", {{"columns", 3}}}}), NAZAR_INVALID_ARGUMENT);
  EXPECT_EQ(SlotMessage().rfind("/mapping/columns: ", 0), 0u) << SlotMessage();
  // No header row: nothing to propose.
  EXPECT_EQ(WithInput("", nazar_import_propose), NAZAR_INVALID_ARGUMENT) << SlotMessage();
}

}  // namespace

namespace {

int Continue(int32_t handle, const std::string& head) {
  return WithInput(head,
                   [&](const char* p, size_t n) { return nazar_import_continue(handle, p, n); });
}

int Absorb(int32_t handle, const std::string& state) {
  return WithInput(state,
                   [&](const char* p, size_t n) { return nazar_import_absorb(handle, p, n); });
}

// The file scored as two workers score it: [0, b) by one import, the header and [b, end) by a
// continuation, merged. Nothing when the first import refused the continuation's state (it then
// read on to the end itself).
struct TwoParts {
  Json report;
  bool merged = false;
};
TwoParts ScoreInTwoParts(const Json& options, const std::string& text, size_t b) {
  TwoParts out;
  EXPECT_EQ(Begin(options), NAZAR_OK) << SlotMessage();
  const int32_t first = SlotJson()["handle"];
  EXPECT_EQ(Begin(options), NAZAR_OK) << SlotMessage();
  const int32_t second = SlotJson()["handle"];
  EXPECT_EQ(Feed(first, text.substr(0, b)), NAZAR_OK);
  EXPECT_EQ(Continue(second, text), NAZAR_OK) << SlotMessage();
  EXPECT_EQ(Feed(second, text.substr(b)), NAZAR_OK);
  EXPECT_EQ(nazar_import_export_state(second), NAZAR_OK) << SlotMessage();
  const std::string state(nazar_response_data(), nazar_response_size());
  // Finished by its export: no more bytes.
  EXPECT_EQ(Feed(second, "9\n"), NAZAR_FAILED_PRECONDITION);
  const int absorbed = Absorb(first, state);
  out.merged = absorbed == NAZAR_OK;
  if (!out.merged) {
    EXPECT_EQ(absorbed, NAZAR_FAILED_PRECONDITION) << SlotMessage();
    EXPECT_EQ(Feed(first, text.substr(b)), NAZAR_OK);
  }
  EXPECT_EQ(nazar_import_finish(first), NAZAR_OK) << SlotMessage();
  out.report = SlotJson();
  EXPECT_EQ(nazar_import_destroy(first), NAZAR_OK);
  EXPECT_EQ(nazar_import_destroy(second), NAZAR_OK);
  return out;
}

TEST(AbiImport, TwoPartsMergeIntoTheWholeFilesReport) {
  const std::string csv = ReadFile(kResponses + "nps_50_30_20.csv");
  const Json options = {{"by", "channel"}, {"period", "week"}};
  const size_t b = csv.find('\n', csv.size() / 2) + 1;
  const TwoParts parts = ScoreInTwoParts(options, csv, b);
  EXPECT_TRUE(parts.merged);
  // The CLI's numbers for this file, as in LifecycleScoresTheFixture.
  ExpectNps(parts.report["questions"]["nps"], 100, 30.0, 14.1, 44.2);
  ExpectNps(Cell(parts.report, "segments", "segment", "app")["questions"]["nps"], 25, 32.0, -0.5,
            57.6);
  ExpectNps(Cell(parts.report, "periods", "period", "2026-W47")["questions"]["nps"], 31, 29.0, 0.6,
            52.3);
  EXPECT_EQ(parts.report, ScoreWhole(options, csv, csv.size(), nullptr));
  // Bad rows on both sides keep the file's line numbers.
  const std::string bad = ReadFile(kResponses + "bad_rows.csv");
  const TwoParts bad_parts = ScoreInTwoParts(Json::object(), bad, bad.find('\n', 20) + 1);
  EXPECT_TRUE(bad_parts.merged);
  EXPECT_EQ(bad_parts.report["import"]["errors"][0]["line"], 3);
  EXPECT_EQ(bad_parts.report, ScoreWhole(Json::object(), bad, bad.size(), nullptr));
}

TEST(AbiImport, TwoPartsSplitInsideQuotesFallBackToOneImport) {
  const std::string csv = "nps,comment\n9,\"a\nb\"\n7,x\n";
  const TwoParts parts = ScoreInTwoParts(Json::object(), csv, csv.find("a\n") + 2);
  EXPECT_FALSE(parts.merged);
  EXPECT_EQ(parts.report["import"]["rows"], 2);
  EXPECT_EQ(parts.report["import"]["bad_rows"], 0);
}

TEST(AbiImport, TwoPartsBadCallsAreRefused) {
  EXPECT_EQ(Continue(999999, "nps\n"), NAZAR_NOT_FOUND);
  EXPECT_EQ(nazar_import_export_state(999999), NAZAR_NOT_FOUND);
  EXPECT_EQ(Absorb(999999, ""), NAZAR_NOT_FOUND);
  ASSERT_EQ(Begin(Json::object()), NAZAR_OK);
  const int32_t handle = SlotJson()["handle"];
  // Not a continuation: no state, and the import reads on.
  EXPECT_EQ(nazar_import_export_state(handle), NAZAR_FAILED_PRECONDITION);
  EXPECT_EQ(Feed(handle, "nps\n9\n"), NAZAR_OK);
  EXPECT_EQ(Continue(handle, "nps\n"), NAZAR_FAILED_PRECONDITION);  // fed already
  EXPECT_EQ(Absorb(handle, "garbage"), NAZAR_INVALID_ARGUMENT);
  EXPECT_NE(SlotMessage().find("import state"), std::string::npos) << SlotMessage();
  EXPECT_EQ(nazar_import_finish(handle), NAZAR_OK);
  EXPECT_EQ(SlotJson()["import"]["rows"], 1);
  EXPECT_EQ(Absorb(handle, "garbage"), NAZAR_FAILED_PRECONDITION);  // finished
  EXPECT_EQ(nazar_import_destroy(handle), NAZAR_OK);
  ASSERT_EQ(Begin(Json::object()), NAZAR_OK);
  const int32_t partial = SlotJson()["handle"];
  EXPECT_EQ(Continue(partial, "nps,\"a\nb"), NAZAR_FAILED_PRECONDITION);  // header not complete
  EXPECT_EQ(nazar_import_destroy(partial), NAZAR_OK);
}

}  // namespace
