// End-to-end tests of the `nazar` binary: spawns it and checks exit status, stdout and stderr.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "nazar/json.h"

namespace nazar {
namespace {

const std::string kFixtures = NAZAR_FIXTURES_DIR;
const std::string kResponses = kFixtures + "/responses";

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// A scratch folder for one test process.
const std::string& TempDir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/nazar_cli_test.XXXXXX";
    const char* made = mkdtemp(tmpl);
    return std::string(made != nullptr ? made : "/tmp");
  }();
  return dir;
}

// Runs the CLI with `args`; `stdin_path` (or /dev/null) is its standard input.
CliResult RunCli(const std::vector<std::string>& args, const std::string& stdin_path = "") {
  const std::string out = TempDir() + "/stdout", err = TempDir() + "/stderr";
  std::string command = ShellQuote(NAZAR_CLI_PATH);
  for (const std::string& a : args) command += " " + ShellQuote(a);
  command += " <" + ShellQuote(stdin_path.empty() ? "/dev/null" : stdin_path);
  command += " >" + ShellQuote(out) + " 2>" + ShellQuote(err);
  const int raw = std::system(command.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

// Files in `dir` ending in `suffix`, sorted.
std::vector<std::string> FilesIn(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return names;
  while (const dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(name);
    }
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

Json ParseOut(const CliResult& r) {
  Json j = Json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
  return j;
}

// The one labelled cell of `list` whose `key` is `label`.
const Json& CellOf(const Json& report, const char* list, const char* key,
                   const std::string& label) {
  static const Json kNull;
  if (!report.contains(list)) {
    ADD_FAILURE() << "no " << list;
    return kNull;
  }
  for (const Json& cell : report[list]) {
    if (cell.value(key, "") == label) return cell;
  }
  ADD_FAILURE() << "no " << key << " " << label;
  return kNull;
}

void ExpectNps(const Json& nps, int n, double score, double lo, double hi) {
  EXPECT_EQ(nps["n"], n) << nps;
  EXPECT_DOUBLE_EQ(nps["score"].get<double>(), score) << nps;
  EXPECT_DOUBLE_EQ(nps["ci95"][0].get<double>(), lo) << nps;
  EXPECT_DOUBLE_EQ(nps["ci95"][1].get<double>(), hi) << nps;
}

// ---- validate ----

TEST(CliValidateTest, InvalidFixturesListEveryExpectedError) {
  const std::string dir = kFixtures + "/invalid";
  const std::vector<std::string> files = FilesIn(dir, ".json");
  // The fixtures ship with the repository: none found means a broken checkout or path, which
  // must fail rather than pass with nothing checked.
  ASSERT_FALSE(files.empty()) << "no fixtures in " << dir;
  for (const std::string& name : files) {
    SCOPED_TRACE(name);
    const std::string path = dir + "/" + name;
    const CliResult r = RunCli({"validate", path});
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    const std::vector<std::string> lines = Lines(r.out);
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0].rfind(path + ": ", 0), 0u) << lines[0];
    EXPECT_NE(lines[0].find(" error"), std::string::npos) << lines[0];
    const std::string expected_path = dir + "/" + name.substr(0, name.size() - 5) + ".expected";
    for (const std::string& want : Lines(ReadFile(expected_path))) {
      if (want.empty()) continue;
      EXPECT_NE(std::find(lines.begin(), lines.end(), want), lines.end())
          << "missing line: " << want << "\noutput:\n"
          << r.out;
    }
  }
}

TEST(CliValidateTest, ValidFixturesPass) {
  const std::string dir = kFixtures + "/valid";
  std::vector<std::string> files = FilesIn(dir, ".json");
  for (std::string& f : files) f = dir + "/" + f;
  files.push_back(kResponses + "/shop-survey.json");
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    const CliResult r = RunCli({"validate", path});
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.out.rfind(path + ": valid (", 0), 0u) << r.out;
  }
}

TEST(CliValidateTest, ReportsSurveyIds) {
  const std::string path = kResponses + "/shop-survey.json";
  const CliResult r = RunCli({"validate", path});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, path + ": valid (1 survey: shop)\n");
}

TEST(CliValidateTest, BrokenJsonAndErrorsOnePerLine) {
  const std::string broken = TempDir() + "/broken.json";
  std::ofstream(broken) << "{\"nazar\": 1,";
  CliResult r = RunCli({"validate", broken});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out.rfind(broken + ": 1 error\n", 0), 0u) << r.out;
  EXPECT_EQ(Lines(r.out).size(), 2u) << r.out;

  const std::string bad_scale = TempDir() + "/bad_scale.json";
  std::ofstream(bad_scale) << R"({"nazar": 1, "id": "s", "questions": [
      {"id": "ease", "type": "ces", "scale": 6, "text": {"en": "Easy?"}}]})";
  r = RunCli({"validate", bad_scale});
  EXPECT_EQ(r.status, 1);
  const std::vector<std::string> lines = Lines(r.out);
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "/questions/0/scale: 6 is not a valid CES scale (use 5 or 7)"),
            lines.end())
      << r.out;
}

TEST(CliValidateTest, UnreadableFileExitsTwo) {
  const CliResult r = RunCli({"validate", kFixtures + "/no-such-file.json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("nazar: cannot read "), std::string::npos) << r.err;
}

// ---- score ----

TEST(CliScoreTest, CsvReport) {
  const CliResult r = RunCli({"score", kResponses + "/nps_50_30_20.csv"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const Json report = ParseOut(r);
  EXPECT_EQ(report["survey"], "responses");
  EXPECT_EQ(report["from"], "2026-11-01");
  EXPECT_EQ(report["to"], "2026-11-22");
  EXPECT_EQ(report["displays"], 100);
  EXPECT_EQ(report["completions"], 100);
  const Json& nps = report["questions"]["nps"];
  ExpectNps(nps, 100, 30.0, 14.1, 44.2);
  EXPECT_EQ(nps["promoters"], 50);
  EXPECT_EQ(nps["passives"], 30);
  EXPECT_EQ(nps["detractors"], 20);
  EXPECT_EQ(report["questions"]["csat"]["n"], 100);
  EXPECT_EQ(report["questions"]["csat"]["satisfied"], 40);
  EXPECT_DOUBLE_EQ(report["questions"]["csat"]["score"].get<double>(), 40.0);
  EXPECT_EQ(report["questions"]["ces"]["n"], 100);
  EXPECT_DOUBLE_EQ(report["questions"]["ces"]["mean"].get<double>(), 3.97);
  EXPECT_DOUBLE_EQ(report["questions"]["ces"]["agree_pct"].get<double>(), 42.0);
  EXPECT_EQ(report["suppressed"], Json::array());
  const Json& import = report["import"];
  EXPECT_EQ(import["rows"], 100);
  EXPECT_EQ(import["bad_rows"], 0);
  EXPECT_EQ(import["errors"], Json::array());
  EXPECT_EQ(import["format"], "csv");
  // Two-space indentation.
  EXPECT_EQ(r.out.rfind("{\n  \"", 0), 0u);
}

TEST(CliScoreTest, NdjsonGivesTheSameReport) {
  const CliResult csv = RunCli({"score", kResponses + "/nps_50_30_20.csv", "--by", "channel"});
  const CliResult ndjson =
      RunCli({"score", kResponses + "/nps_50_30_20.ndjson", "--by", "channel"});
  ASSERT_EQ(ndjson.status, 0) << ndjson.err;
  Json a = ParseOut(csv), b = ParseOut(ndjson);
  EXPECT_EQ(b["import"]["format"], "ndjson");
  a.erase("import");
  b.erase("import");
  EXPECT_EQ(a, b);
}

TEST(CliScoreTest, BadRowsReportedWithLineNumbers) {
  const CliResult r = RunCli({"score", kResponses + "/bad_rows.csv"});
  ASSERT_EQ(r.status, 3) << r.err;  // scored, but rows were rejected
  EXPECT_NE(r.err.find("nazar: 4 of 9 rows rejected"), std::string::npos) << r.err;
  const Json report = ParseOut(r);
  const Json& import = report["import"];
  EXPECT_EQ(import["rows"], 9);
  EXPECT_EQ(import["bad_rows"], 4);
  const Json want = Json::parse(R"json([
    {"line": 3, "message": "column nps: \"11\" is not an NPS answer (0-10)"},
    {"line": 4, "message": "column nps: \"abc\" is not an NPS answer (0-10)"},
    {"line": 6, "message": "expected 3 fields, found 2"},
    {"line": 9, "message": "column date: \"2026-13-01\" is not a date (YYYY-MM-DD, years 1900-2199, or Solar Hijri 1278-1499)"}])json");
  EXPECT_EQ(import["errors"], want);
  EXPECT_EQ(report["completions"], 5);
  EXPECT_EQ(report["to"], "2026-11-09");
  EXPECT_EQ(report["questions"]["nps"]["suppressed"], true);  // n = 4 < 5
}

TEST(CliScoreTest, BySegment) {
  const CliResult r = RunCli({"score", kResponses + "/nps_50_30_20.csv", "--by", "channel"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json report = ParseOut(r);
  ExpectNps(report["questions"]["nps"], 100, 30.0, 14.1, 44.2);
  ASSERT_EQ(report["segments"].size(), 2u);
  EXPECT_EQ(report["segments"][0]["segment"], "app");  // sorted
  ExpectNps(CellOf(report, "segments", "segment", "app")["questions"]["nps"], 25, 32.0, -0.5, 57.6);
  ExpectNps(CellOf(report, "segments", "segment", "web")["questions"]["nps"], 75, 29.3, 10.9, 45.5);
}

TEST(CliScoreTest, ByWeek) {
  const CliResult r = RunCli({"score", kResponses + "/nps_50_30_20.csv", "--period", "week"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json report = ParseOut(r);
  std::vector<std::string> labels;
  for (const Json& cell : report["periods"]) labels.push_back(cell["period"]);
  EXPECT_EQ(labels, (std::vector<std::string>{"2026-W44", "2026-W45", "2026-W46", "2026-W47"}));
  ExpectNps(CellOf(report, "periods", "period", "2026-W47")["questions"]["nps"], 31, 29.0, 0.6,
            52.3);
  EXPECT_EQ(CellOf(report, "periods", "period", "2026-W44")["completions"], 5);
  const CliResult month =
      RunCli({"score", kResponses + "/nps_50_30_20.csv", "--period=month", "--by=channel"});
  ASSERT_EQ(month.status, 0) << month.err;
  const Json m = ParseOut(month);
  ASSERT_EQ(m["periods"].size(), 1u);
  EXPECT_EQ(m["periods"][0]["period"], "2026-11");
  EXPECT_EQ(m["cells"].size(), 2u);  // app and web in 2026-11
}

TEST(CliScoreTest, MinCountSuppressesSmallCells) {
  const CliResult r =
      RunCli({"score", kResponses + "/nps_50_30_20.csv", "--by", "channel", "--min-count", "30"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json report = ParseOut(r);
  // app has 25 respondents < 30: no numbers at all. web (75) would then be the overall minus
  // app, so it is hidden too (complementary suppression); the overall stays.
  EXPECT_EQ(CellOf(report, "segments", "segment", "app"),
            Json::parse(R"({"segment": "app", "suppressed": ["segment=app/"]})"));
  EXPECT_EQ(CellOf(report, "segments", "segment", "web"),
            Json::parse(R"({"segment": "web", "suppressed": ["segment=web/"]})"));
  EXPECT_EQ(report["suppressed"], Json::parse(R"(["segment=app/", "segment=web/"])"));
  EXPECT_EQ(report["completions"], 100);
}

TEST(CliScoreTest, TextFormat) {
  const CliResult r = RunCli({"score", kResponses + "/bad_rows.csv", "--format", "text"});
  ASSERT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.out.find("responses"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Import: 9 rows, 4 bad rows rejected (not scored)\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  line 3: column nps: \"11\" is not an NPS answer (0-10)\n"),
            std::string::npos)
      << r.out;
  const CliResult full = RunCli({"score", kResponses + "/nps_50_30_20.csv", "--format", "text"});
  EXPECT_NE(full.out.find("30.0"), std::string::npos) << full.out;
  EXPECT_NE(full.out.find("[14.1, 44.2]"), std::string::npos) << full.out;
  EXPECT_NE(full.out.find("Import: 100 rows, 0 bad rows"), std::string::npos) << full.out;
}

TEST(CliScoreTest, StrayQuoteRejectsOneRowAndExitsThree) {
  // Line 3 opens a quote it never closes. Before, that field swallowed the rest of the file into
  // one bad row and the CLI exited 0; now reading resumes at line 4.
  std::string csv = "nps,note\n9,ok\n8,\"stray\n";
  for (int i = 0; i < 8; ++i) csv += std::to_string(i + 2) + ",fine\n";
  const std::string path = TempDir() + "/stray.csv";
  std::ofstream(path, std::ios::binary) << csv;
  const CliResult r = RunCli({"score", path});
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("nazar: 1 of 10 rows rejected"), std::string::npos) << r.err;
  const Json report = ParseOut(r);
  EXPECT_EQ(report["import"]["rows"], 10);
  EXPECT_EQ(report["import"]["bad_rows"], 1);
  EXPECT_EQ(report["import"]["errors"], Json::parse(R"json([{"line": 3,
    "message": "column note: unterminated quoted field; reading resumes at line 4"}])json"));
  EXPECT_EQ(report["questions"]["nps"]["n"], 9);  // 9 and 2..9
  const CliResult text = RunCli({"score", path, "--format", "text"});
  EXPECT_EQ(text.status, 3);
  EXPECT_NE(text.out.find("Import: 10 rows, 1 bad row rejected (not scored)\n"), std::string::npos)
      << text.out;
  // Every row accepted: 0.
  EXPECT_EQ(RunCli({"score", kResponses + "/nps_50_30_20.csv"}).status, 0);
}

TEST(CliScoreTest, StandardInput) {
  const CliResult file = RunCli({"score", kResponses + "/nps_50_30_20.csv"});
  const CliResult csv = RunCli({"score", "-"}, kResponses + "/nps_50_30_20.csv");
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_EQ(csv.out, file.out);
  // NDJSON on stdin is recognized from its content.
  const CliResult ndjson = RunCli({"score", "-"}, kResponses + "/nps_50_30_20.ndjson");
  ASSERT_EQ(ndjson.status, 0) << ndjson.err;
  const Json report = ParseOut(ndjson);
  EXPECT_EQ(report["import"]["format"], "ndjson");
  ExpectNps(report["questions"]["nps"], 100, 30.0, 14.1, 44.2);
  // Empty input is an empty report, not an error.
  const CliResult empty = RunCli({"score", "-"});
  EXPECT_EQ(empty.status, 0) << empty.err;
  EXPECT_EQ(ParseOut(empty)["import"]["rows"], 0);
}

TEST(CliScoreTest, WithSurveyDefinition) {
  const CliResult r = RunCli({"score", kResponses + "/shop.csv", "--survey",
                              kResponses + "/shop-survey.json", "--by", "region"});
  ASSERT_EQ(r.status, 3) << r.err;  // line 9 is rejected
  const Json report = ParseOut(r);
  EXPECT_EQ(report["survey"], "shop");
  EXPECT_EQ(report["import"]["rows"], 8);
  EXPECT_EQ(report["import"]["bad_rows"], 1);
  EXPECT_EQ(report["import"]["errors"][0]["line"], 9);
  EXPECT_EQ(report["import"]["errors"][0]["message"],
            "column features: \"gifts\" is not an option (search, delivery, returns)");
  const Json& features = report["questions"]["features"];
  EXPECT_EQ(features["n"], 6);
  EXPECT_EQ(features["counts"], Json::parse("[4, 3, 2]"));
  EXPECT_EQ(features["skipped"], 1);
  EXPECT_EQ(report["questions"]["nps"]["n"], 7);  // Persian digits included
  EXPECT_EQ(report["questions"]["nps"]["counts"], Json::parse("[0,0,0,1,0,0,1,1,1,1,2]"));
  EXPECT_EQ(report["segments"].size(), 2u);
  EXPECT_EQ(report["import"]["warnings"], Json::array());
}

TEST(CliScoreTest, SurveyErrors) {
  const std::string bad = TempDir() + "/bad_survey.json";
  std::ofstream(bad) << R"({"nazar": 1, "id": "s", "questions": [{"id": "x", "type": "nope"}]})";
  CliResult r = RunCli({"score", kResponses + "/shop.csv", "--survey", bad});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err.rfind("nazar: " + bad + ": ", 0), 0u) << r.err;
  EXPECT_EQ(r.out, "");
  r = RunCli({"score", kResponses + "/shop.csv", "--survey", kResponses + "/shop-survey.json",
              "--survey-id", "other"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("no survey \"other\" (the file has shop)"), std::string::npos) << r.err;
  r = RunCli({"score", kResponses + "/shop.csv", "--survey", TempDir() + "/missing.json"});
  EXPECT_EQ(r.status, 2);
}

TEST(CliScoreTest, UnreadableFileExitsTwo) {
  CliResult r = RunCli({"score", kResponses + "/no-such-file.csv"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("nazar: cannot read " + kResponses + "/no-such-file.csv: ", 0), 0u)
      << r.err;
  EXPECT_EQ(r.out, "");
  r = RunCli({"score", kResponses});  // a directory
  EXPECT_EQ(r.status, 2) << r.out;
}

TEST(CliScoreTest, BadFlagsExitOne) {
  const std::string csv = kResponses + "/nps_50_30_20.csv";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"score", csv, "--period", "year"},
       "nazar: --period: \"year\" is not a period (use day, week or month)\n"},
      {{"score", csv, "--period"}, "nazar: --period needs a value\n"},
      {{"score", csv, "--format", "xml"}, "nazar: --format must be json or text\n"},
      {{"score", csv, "--min-count", "3"},
       "nazar: --min-count must be a whole number of at "
       "least 5\n"},
      {{"score", csv, "--min-count", "ten"},
       "nazar: --min-count must be a whole number of at "
       "least 5\n"},
      {{"score", csv, "--input", "xlsx"}, "nazar: --input must be csv or ndjson\n"},
      {{"score", csv, "--frobnicate"},
       "nazar: unknown option --frobnicate (see nazar help "
       "score)\n"},
      {{"score", csv, csv}, "nazar: score takes one FILE (got " + csv + " and " + csv + ")\n"},
      {{"score"}, "nazar: score needs a FILE (see nazar help score)\n"},
      {{"score", csv, "--survey-id", "x"}, "nazar: --survey-id needs --survey\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.back());
    const CliResult r = RunCli(c.args);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, c.message);
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(RunCli({}).status, 1);
  const CliResult unknown = RunCli({"frob"});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_EQ(unknown.err.rfind("nazar: unknown command frob\n", 0), 0u) << unknown.err;
  EXPECT_EQ(RunCli({"validate"}).status, 1);
}

// ---- Column mapping: --propose, --map, --skip-rows, --date-format, --calendar ----

const std::string kImport = kFixtures + "/import";

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// --propose reads only the head it needs (kProposalHeadBytes), not the whole input: an endless
// stdin of "9" lines ends with a proposal instead of running until the timeout (status 124).
TEST(CliMappingTest, ProposeReadsOnlyTheHead) {
  const std::string out = TempDir() + "/endless_out";
  const std::string command = "(printf 'nps\\n'; yes 9) | timeout 30 " +
                              ShellQuote(NAZAR_CLI_PATH) + " score - --propose >" +
                              ShellQuote(out) + " 2>/dev/null";
  const int raw = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 0);
  const std::string proposal = ReadFile(out);
  EXPECT_NE(proposal.find("\"id\": \"nps\""), std::string::npos) << proposal;
}

TEST(CliMappingTest, ProposePrintsTheProposal) {
  const CliResult r = RunCli({"score", kImport + "/google_forms.csv", "--propose"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const Json p = ParseOut(r);
  EXPECT_EQ(p["mapping"]["date_format"], "mdy");
  EXPECT_EQ(p["mapping"]["columns"][0]["kind"], "date");
  EXPECT_EQ(p["mapping"]["columns"][1]["id"], "nps");
  EXPECT_EQ(p["segment_candidates"], Json::parse("[4]"));
  EXPECT_EQ(p["rows_sampled"], 5);
}

TEST(CliMappingTest, QualtricsThroughProposeThenMap) {
  // The proposal's output is a valid --map file. Qualtrics fixture: NPS 10, 9, 6, 0, 8, 10 ->
  // 3 promoters, 1 passive, 2 detractors of 6; CSAT 5, 4, 2, 1, 5 -> 3 of 5 satisfied (4-5).
  const std::string csv = kImport + "/qualtrics_text_answers.csv";
  const CliResult proposed = RunCli({"score", csv, "--propose"});
  ASSERT_EQ(proposed.status, 0) << proposed.err;
  const std::string map = WriteTemp("qualtrics_map.json", proposed.out);
  const CliResult r = RunCli({"score", csv, "--map", map});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json report = ParseOut(r);
  EXPECT_EQ(report["import"]["rows"], 6);
  EXPECT_EQ(report["import"]["bad_rows"], 0);
  EXPECT_EQ(report["displays"], 6);
  EXPECT_EQ(report["from"], "2026-11-02");
  EXPECT_EQ(report["to"], "2026-12-03");
  ASSERT_TRUE(report["questions"].contains("nps") && report["questions"].contains("csat")) << r.out;
  const Json& nps = report["questions"]["nps"];
  EXPECT_EQ(nps["n"], 6);
  EXPECT_EQ(nps["promoters"], 3);
  EXPECT_EQ(nps["passives"], 1);
  EXPECT_EQ(nps["detractors"], 2);
  EXPECT_EQ(report["questions"]["csat"]["n"], 5);
  EXPECT_EQ(report["questions"]["csat"]["satisfied"], 3);
}

TEST(CliMappingTest, SkipRowsDateFormatAndCalendar) {
  const std::string path = WriteTemp("dmy.csv",
                                     "date,nps\nWhen?,How likely?\n30/11/2026,10\n01/12/2026,9\n"
                                     "21/11/2026,9\n22/11/2026,10\n02/12/2026,3\n");
  // Without --skip-rows the question row is rejected (exit 3); with it every row counts.
  EXPECT_EQ(RunCli({"score", path, "--date-format", "dmy"}).status, 3);
  const CliResult r = RunCli({"score", path, "--skip-rows", "1", "--date-format", "dmy", "--period",
                              "month", "--calendar", "jalali", "--min-count", "5"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json report = ParseOut(r);
  EXPECT_EQ(report["import"]["rows"], 5);
  EXPECT_EQ(report["from"], "2026-11-21");
  EXPECT_EQ(report["to"], "2026-12-02");
  // Jalali months: 2026-11-21 = 1405-08-30 (Aban); 11-22, 11-30, 12-01, 12-02 = Azar (1405-09).
  std::vector<std::string> labels;
  for (const Json& cell : report["periods"]) labels.push_back(cell["period"]);
  EXPECT_EQ(labels, (std::vector<std::string>{"1405-08", "1405-09"})) << report.dump();
}

// Review 7, defect 5: without --date-format, 1405-09-09 (2026-11-30) and 1405-10-01 (2026-12-22)
// are Solar Hijri, not days of 1405 AD; the CLI says so on stderr.
TEST(CliMappingTest, IsoStyleSolarHijriDatesWithoutAFormat) {
  const std::string path = WriteTemp("jalali_iso.csv", "date,nps\n1405-09-09,9\n1405-10-01,7\n");
  const CliResult r = RunCli({"score", path, "--period", "month", "--min-count", "5"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json report = ParseOut(r);
  EXPECT_EQ(report["from"], "2026-11-30");
  EXPECT_EQ(report["to"], "2026-12-22");
  std::vector<std::string> labels;
  for (const Json& cell : report["periods"]) labels.push_back(cell["period"]);
  EXPECT_EQ(labels, (std::vector<std::string>{"2026-11", "2026-12"})) << report.dump();
  EXPECT_NE(r.err.find("line 2: column date: \"1405-09-09\" is read as a Solar Hijri date"),
            std::string::npos)
      << r.err;
}

TEST(CliMappingTest, Utf16TsvScores) {
  // excel_utf16le.tsv: NPS 10, 3, 8 -> 1 promoter, 1 passive, 1 detractor.
  const CliResult r = RunCli({"score", kImport + "/excel_utf16le.tsv", "--min-count", "5"});
  ASSERT_EQ(r.status, 0) << r.err;
  const Json report = ParseOut(r);
  EXPECT_EQ(report["import"]["rows"], 3);
  EXPECT_EQ(report["from"], "2026-11-01");
  EXPECT_EQ(report["to"], "2026-12-01");
}

TEST(CliMappingTest, BadMappingFlagsNameTheFlag) {
  const std::string csv = kImport + "/google_forms.csv";
  const std::string bad = WriteTemp("bad_map.json", R"({"columns":[{"column":0,"kind":"x"}]})");
  const std::string broken = WriteTemp("broken_map.json", "{\"columns\": [");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"score", csv, "--skip-rows", "9"},
       "nazar: --skip-rows must be a whole number from 0 to 5\n"},
      {{"score", csv, "--date-format", "yyyy"},
       "nazar: --date-format must be ymd, dmy, mdy or jalali\n"},
      {{"score", csv, "--calendar", "julian"},
       "nazar: --calendar: \"julian\" is not a calendar (use gregorian or jalali)\n"},
      {{"score", csv, "--map", bad},
       "nazar: --map " + bad +
           ": /columns/0/kind: \"x\" is not a column kind (use ignore, question, date, segment "
           "or text)\n"},
      {{"score", csv, "--map", bad, "--by", "Country"},
       "nazar: --by cannot be used with --map (the mapping's segment column is the segment)\n"},
      {{"score", csv, "--map", bad, "--propose"}, "nazar: --propose cannot be used with --map\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args.back());
    const CliResult r = RunCli(c.args);
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, c.message);
    EXPECT_EQ(r.out, "");
  }
  const CliResult b = RunCli({"score", csv, "--map", broken});
  EXPECT_EQ(b.status, 1);
  EXPECT_EQ(b.err.rfind("nazar: --map " + broken + ": ", 0), 0u) << b.err;
  EXPECT_EQ(RunCli({"score", csv, "--map", TempDir() + "/none.json"}).status, 2);
}

TEST(CliHelpTest, HelpAndVersion) {
  CliResult r = RunCli({"--help"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("nazar score FILE"), std::string::npos) << r.out;
  r = RunCli({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("nazar ", 0), 0u);
  EXPECT_EQ(Lines(r.out).size(), 1u);
  r = RunCli({"help", "score"});
  EXPECT_EQ(r.status, 0);
  for (const char* option : {"--survey", "--by", "--period", "--format", "--min-count", "--propose",
                             "--map", "--skip-rows", "--date-format", "--calendar"}) {
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
  }
  // The exit statuses, 3 included (rows rejected), are documented where users look.
  EXPECT_NE(r.out.find("3 scored, but some rows were rejected"), std::string::npos) << r.out;
  EXPECT_EQ(RunCli({"score", "--help"}).out, r.out);
  r = RunCli({"help", "validate"});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("pointer: message"), std::string::npos);
  EXPECT_EQ(RunCli({"help", "nope"}).status, 1);
}

}  // namespace
}  // namespace nazar

namespace nazar {
namespace {

// A CSV of at least `min_bytes` (CRLF, quoted comments with commas, doubled quotes and line ends
// inside quotes, bad rows at known lines), with its NPS counts and the lines of its bad rows
// tallied as it is written. `straddle`: one record's quoted comment (about 300 KiB of short
// lines) spans the file's middle, so the line end the two-part reader splits at is inside quotes.
struct GeneratedExport {
  std::string path;
  std::vector<int64_t> nps_counts = std::vector<int64_t>(11, 0);
  std::vector<int64_t> bad_lines;
  int64_t rows = 0;
};

GeneratedExport WriteExport(const std::string& name, size_t min_bytes, bool straddle) {
  GeneratedExport g;
  g.path = TempDir() + "/" + name;
  std::string text = "date,nps,csat,comment,locale\r\n";
  int64_t line = 2;  // the next record's first line
  const char* const kLocales[] = {"en", "fa", "ar"};
  bool straddled = !straddle;
  for (int64_t i = 0; text.size() < min_bytes || !straddled; ++i) {
    const int nps = static_cast<int>(i % 11);
    const bool bad = i % 40009 == 17;  // a handful in each half
    std::string comment;
    int64_t lines = 1;
    if (!straddled && text.size() > min_bytes / 2 - 150000) {
      comment = "\"";
      for (int k = 0; k < 30000; ++k) comment += "long, long\n";
      comment += "\"";
      lines += 30000;
      straddled = true;
    } else if (i % 13 == 0) {
      comment = "\"two\nlines, \"\"quoted\"\"\"";
      lines = 2;
    } else if (i % 7 == 0) {
      comment = "\"a, b\"";
    }
    text += "2026-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10) + "," +
            (bad ? std::string("11") : std::to_string(nps)) + "," + std::to_string(1 + i % 5) +
            "," + comment + "," + kLocales[i % 3] + "\r\n";
    ++g.rows;
    if (bad) {
      g.bad_lines.push_back(line);
    } else {
      ++g.nps_counts[nps];
    }
    line += lines;
  }
  std::ofstream(g.path, std::ios::binary) << text;
  return g;
}

// `nazar score` reads a file of 4 MiB or more in two parts at once (--jobs 2, the default) and
// merges them: the output is byte for byte that of one part (--jobs 1), and both match the
// counts and bad-row lines tallied while writing the file.
// Runs the CLI with NAZAR_TRACE_PARTS=1 and returns its result with the trace line taken out of
// stderr into `*trace` ("" when the file was read in one part).
CliResult RunCliTraced(const std::vector<std::string>& args, std::string* trace) {
  setenv("NAZAR_TRACE_PARTS", "1", 1);
  CliResult r = RunCli(args);
  unsetenv("NAZAR_TRACE_PARTS");
  trace->clear();
  const size_t at = r.err.find("nazar: two parts split at byte ");
  if (at != std::string::npos) {
    const size_t end = r.err.find('\n', at);
    *trace = r.err.substr(at, end - at);
    r.err.erase(at, end + 1 - at);
  }
  return r;
}

void ExpectOneImport(const GeneratedExport& g, const char* way) {
  const std::vector<std::string> args = {"score", g.path, "--by", "locale", "--period", "month"};
  std::vector<std::string> one = args, two = args;
  one.insert(one.end(), {"--jobs", "1"});
  std::string serial_trace, trace;
  const CliResult serial = RunCliTraced(one, &serial_trace), parallel = RunCliTraced(two, &trace);
  EXPECT_EQ(serial_trace, "");
  EXPECT_NE(trace.find(way), std::string::npos) << trace;
  ASSERT_EQ(parallel.status, 3) << parallel.err;  // the bad rows
  EXPECT_EQ(parallel.status, serial.status);
  EXPECT_EQ(parallel.out, serial.out);
  EXPECT_EQ(parallel.err, serial.err);
  const Json report = ParseOut(parallel);
  Json counts = Json::array();
  for (int64_t n : g.nps_counts) counts.push_back(n);
  EXPECT_EQ(report["questions"]["nps"]["counts"], counts);
  EXPECT_EQ(report["import"]["rows"], g.rows);
  EXPECT_EQ(report["import"]["bad_rows"], static_cast<int64_t>(g.bad_lines.size()));
  Json lines = Json::array();
  for (const Json& e : report["import"]["errors"]) lines.push_back(e["line"]);
  Json want = Json::array();
  for (int64_t l : g.bad_lines) want.push_back(l);
  EXPECT_EQ(lines, want);
}

TEST(CliScoreTest, ALargeFileReadInTwoPartsGivesOneImport) {
  const GeneratedExport g = WriteExport("two_parts.csv", size_t{6} << 20, false);
  ASSERT_GE(g.bad_lines.size(), 4u);
  ExpectOneImport(g, ", merged");
}

TEST(CliScoreTest, ASplitInsideAQuotedFieldFallsBackToOneImport) {
  const GeneratedExport g = WriteExport("straddle.csv", size_t{5} << 20, true);
  ExpectOneImport(g, "not merged");
}

// A header longer than the first 64 KiB the second part reads it from (a 100 KB column name,
// ignored by the importer): the head is read again, longer.
TEST(CliScoreTest, TwoPartsReadALongHeader) {
  const std::string path = TempDir() + "/long_header.csv";
  std::string text = "date,nps," + std::string(100000, 'x') + "\n";
  std::vector<int64_t> counts(11, 0);
  for (int i = 0; text.size() < (size_t{5} << 20); ++i) {
    text += "2026-01-0" + std::to_string(1 + i % 9) + "," + std::to_string(i % 11) + ",\n";
    ++counts[i % 11];
  }
  std::ofstream(path, std::ios::binary) << text;
  std::string trace;
  const CliResult serial = RunCli({"score", path, "--jobs", "1"});
  const CliResult parallel = RunCliTraced({"score", path}, &trace);
  EXPECT_NE(trace.find(", merged"), std::string::npos) << trace;
  ASSERT_EQ(parallel.status, 0) << parallel.err;
  EXPECT_EQ(parallel.out, serial.out);
  Json want = Json::array();
  for (int64_t n : counts) want.push_back(n);
  EXPECT_EQ(ParseOut(parallel)["questions"]["nps"]["counts"], want);
}

// A header that ends in a lone CR: the second part would count the records before the first
// line end again, so the file is read in one part.
TEST(CliScoreTest, AHeaderEndingInALoneCrIsReadInOnePart) {
  const std::string path = TempDir() + "/lone_cr.csv";
  std::string text = "date,nps\r";
  std::vector<int64_t> counts(11, 0);
  int64_t rows = 0;
  for (int i = 0; text.size() < (size_t{5} << 20); ++i, ++rows) {
    text += "2026-01-0" + std::to_string(1 + i % 9) + "," + std::to_string(i % 11) + "\n";
    ++counts[i % 11];
  }
  std::ofstream(path, std::ios::binary) << text;
  std::string trace;
  const CliResult r = RunCliTraced({"score", path}, &trace);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(trace, "");
  const Json report = ParseOut(r);
  EXPECT_EQ(report["import"]["rows"], rows);
  Json want = Json::array();
  for (int64_t n : counts) want.push_back(n);
  EXPECT_EQ(report["questions"]["nps"]["counts"], want);
}

TEST(CliScoreTest, JobsMustBeOneOrTwo) {
  const CliResult r = RunCli({"score", kResponses + "/nps_50_30_20.csv", "--jobs", "3"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("--jobs must be 1 or 2"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace nazar
