// Response import (CSV and NDJSON): parsing, chunking, bad-row reporting, segments and periods.
#include "nazar/import.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "import_test_util.h"
#include "nazar/report.h"

namespace nazar {
namespace {

// ---- Helpers ----

ImportOptions Csv() { return ImportOptions(); }

ImportOptions Ndjson() {
  ImportOptions o;
  o.format = ImportFormat::kNdjson;
  return o;
}

using testing::Describe;
using testing::ImportAll;
using testing::Imported;
using testing::Q;

std::vector<double> Counts(std::vector<double> v) { return v; }

// A survey with every question kind the importer handles.
Survey TestSurvey() {
  Survey s;
  s.id = "shop";
  Question nps;
  nps.id = "nps";
  nps.type = QuestionType::kNps;
  nps.scale = 11;
  Question why;
  why.id = "why";
  why.type = QuestionType::kText;
  why.max_length = 500;
  why.required = false;
  Question ease;
  ease.id = "ease";
  ease.type = QuestionType::kCes;
  ease.scale = 5;
  Question channel;
  channel.id = "channel";
  channel.type = QuestionType::kChoice;
  channel.options = {{"web", {}}, {"app", {}}};
  Question features;
  features.id = "features";
  features.type = QuestionType::kChoice;
  features.multiple = true;
  features.options = {{"a", {}}, {"b", {}}, {"c", {}}};
  s.questions = {nps, why, ease, channel, features};
  return s;
}

ImportOptions WithSurvey(ImportFormat format = ImportFormat::kCsv) {
  ImportOptions o;
  o.format = format;
  o.survey = TestSurvey();
  return o;
}

// Input exercising every CSV path: BOM, quotes, doubled quotes, quoted newlines, CRLF, Persian
// digits, blank lines, bad rows, dates and segments.
const char kRichCsv[] =
    "\xEF\xBB\xBF"
    "date,nps,csat,ces,channel,comment\r\n"
    "2026-11-20,10,5,7,web,\"great, fast\"\r\n"
    "2026-11-21,\xDB\xB9,4,6,app,\"said \"\"ok\"\"\"\n"
    "2026-11-22,11,4,6,app,bad\n"
    "\n"
    "2026-11-23,3,,2,,\"multi\r\nline\"\n"
    "2026-11-30,7,2,1,web,x,extra\n"
    "\xDB\xB2\xDB\xB0\xDB\xB2\xDB\xB6-12-01,\xD9\xA8,1,3,\"web\",last";

const char kRichNdjson[] =
    "\xEF\xBB\xBF{\"date\":\"2026-11-20\",\"nps\":10,\"channel\":\"web\",\"features\":[\"a\",\"b\"]"
    "}\r\n"
    "{\"date\":\"2026-11-21\",\"nps\":\"\xDB\xB9\",\"ease\":4,\"channel\":\"app\"}\n"
    "\n"
    "   \n"
    "{\"nps\":11}\n"
    "{\"nps\":null,\"why\":\"slow\\ndelivery\",\"features\":\"a|c\",\"x\":{\"y\":[1,2]}}\n"
    "not json\n"
    "{\"date\":\"2026-12-01\",\"nps\":6.0,\"ease\":\"5\",\"channel\":\"web\",\"features\":[]}";

ImportOptions Segmented(ImportOptions o, const std::string& by, std::optional<Period> period) {
  o.by = by;
  o.period = period;
  return o;
}

// ---- CSV basics ----

TEST(ImportCsvTest, CountsDefaultColumns) {
  const Imported r = ImportAll(Csv(), "nps,csat,ces,other\n10,5,7,x\n0,1,1,y\n9,4,,z\n");
  EXPECT_EQ(r.summary.rows, 3);
  EXPECT_EQ(r.summary.bad_rows, 0);
  ASSERT_EQ(r.cells.size(), 1u);
  const ReportCellInput& all = r.cells[0];
  EXPECT_EQ(all.segment, "");
  EXPECT_EQ(all.period, "");
  EXPECT_EQ(all.tally.displays, 3);
  EXPECT_EQ(all.tally.completions, 3);
  ASSERT_EQ(all.tally.questions.size(), 3u);
  EXPECT_EQ(Q(all, "nps").counts, Counts({1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(Q(all, "nps").answered, 3);
  EXPECT_EQ(Q(all, "csat").counts, Counts({1, 0, 0, 1, 1}));
  EXPECT_EQ(Q(all, "ces").counts, Counts({1, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(Q(all, "ces").answered, 2);
  EXPECT_EQ(Q(all, "ces").skipped, 1);
}

TEST(ImportCsvTest, OnlyPresentDefaultColumnsAreScored) {
  const Imported r = ImportAll(Csv(), "id,csat\n1,5\n");
  ASSERT_EQ(r.cells[0].tally.questions.size(), 1u);
  EXPECT_EQ(r.cells[0].tally.questions[0].id, "csat");
  EXPECT_EQ(r.cells[0].tally.questions[0].type, QuestionType::kCsat);
}

TEST(ImportCsvTest, NoScorableColumnWarns) {
  const Imported r = ImportAll(Csv(), "a,b\n1,2\n");
  EXPECT_EQ(r.summary.rows, 1);
  EXPECT_TRUE(r.cells[0].tally.questions.empty());
  ASSERT_EQ(r.summary.warnings.size(), 1u);
  EXPECT_NE(r.summary.warnings[0].message.find("no column to score"), std::string::npos);
}

TEST(ImportCsvTest, EmptyCellIsSkippedNotAnswered) {
  const Imported r = ImportAll(Csv(), "nps,csat\n,5\n  ,4\n8,\n");
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(Q(r.cells[0], "nps").answered, 1);
  EXPECT_EQ(Q(r.cells[0], "nps").skipped, 2);
  EXPECT_EQ(Q(r.cells[0], "csat").answered, 2);
  EXPECT_EQ(Q(r.cells[0], "csat").skipped, 1);
  EXPECT_EQ(r.cells[0].tally.completions, 3);
}

TEST(ImportCsvTest, QuotedFields) {
  const Imported r = ImportAll(Segmented(Csv(), "channel", std::nullopt),
                               "nps,channel,note\n"
                               "9,\"web, mobile\",\"he said \"\"hi\"\"\"\n"
                               "\"7\",\"a\nb\",\"line one\nline two\nline three\"\n"
                               "11,x,y\n");
  EXPECT_EQ(r.summary.rows, 3);
  EXPECT_EQ(r.summary.bad_rows, 1);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  // The bad record starts on physical line 7: the quoted newlines are counted.
  EXPECT_EQ(r.summary.errors[0].line, 7);
  ASSERT_EQ(r.cells.size(), 3u);
  EXPECT_EQ(r.cells[1].segment, "a\nb");
  EXPECT_EQ(r.cells[2].segment, "web, mobile");
  EXPECT_EQ(Q(r.cells[2], "nps").counts[9], 1);
}

TEST(ImportCsvTest, CrlfAndLoneCr) {
  const Imported crlf = ImportAll(Csv(), "nps\r\n1\r\n2\r\n11\r\n");
  const Imported lf = ImportAll(Csv(), "nps\n1\n2\n11\n");
  const Imported cr = ImportAll(Csv(), "nps\r1\r2\r11\r");
  EXPECT_EQ(Describe(crlf), Describe(lf));
  EXPECT_EQ(Describe(cr), Describe(lf));
  ASSERT_EQ(lf.summary.errors.size(), 1u);
  EXPECT_EQ(lf.summary.errors[0].line, 4);
}

TEST(ImportCsvTest, ByteOrderMarkIsSkipped) {
  const Imported with = ImportAll(Csv(), "\xEF\xBB\xBFnps\n9\n");
  const Imported without = ImportAll(Csv(), "nps\n9\n");
  EXPECT_EQ(Describe(with), Describe(without));
  EXPECT_EQ(Q(with.cells[0], "nps").answered, 1);
  // Split inside the BOM.
  const Imported split = ImportAll(Csv(), std::vector<std::string>{"\xEF", "\xBB", "\xBFnps\n9\n"});
  EXPECT_EQ(Describe(split), Describe(without));
  // A lone 0xEF is data, not a BOM: the header name is not "nps".
  const Imported not_bom = ImportAll(Csv(), "\xEFnps\n9\n");
  EXPECT_TRUE(not_bom.cells[0].tally.questions.empty());
}

TEST(ImportCsvTest, PersianAndArabicIndicDigits) {
  // ۹ (Persian 9), ٧ (Arabic-Indic 7), date in Persian digits.
  const Imported r = ImportAll(Csv(),
                               "date,nps\n"
                               "\xDB\xB2\xDB\xB0\xDB\xB2\xDB\xB6-\xDB\xB1\xDB\xB1-\xDB\xB2\xDB\xB2,"
                               "\xDB\xB9\n"
                               "2026-11-01,\xD9\xA7\n"
                               "2026-11-02,\xDB\xB1\xDB\xB0\n");
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(Q(r.cells[0], "nps").counts, Counts({0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1}));
  EXPECT_EQ(r.summary.from, "2026-11-01");
  EXPECT_EQ(r.summary.to, "2026-11-22");
}

TEST(ImportCsvTest, DelimiterDetection) {
  const Imported comma = ImportAll(Csv(), "nps,csat\n9,5\n");
  const Imported semicolon = ImportAll(Csv(), "nps;csat\n9;5\n");
  const Imported tab = ImportAll(Csv(), "nps\tcsat\n9\t5\n");
  EXPECT_EQ(Describe(semicolon), Describe(comma));
  EXPECT_EQ(Describe(tab), Describe(comma));
  // A comma inside a quoted header name does not count.
  const Imported quoted = ImportAll(Csv(), "\"a,b\";nps\nx;9\n");
  EXPECT_EQ(Q(quoted.cells[0], "nps").answered, 1);
  ImportOptions forced = Csv();
  forced.delimiter = ';';
  const Imported f = ImportAll(forced, "nps,csat;ces\n1;2\n");
  EXPECT_EQ(f.cells[0].tally.questions.size(), 1u);  // only "ces"
}

// ---- Bad rows ----

TEST(ImportCsvTest, BadValueMessagesNameColumnAndValue) {
  const Imported r = ImportAll(Csv(),
                               "date,nps,csat,ces\n"   // 1
                               "2026-11-01,9,5,7\n"    // 2
                               "2026-11-01,abc,5,7\n"  // 3
                               "2026-11-01,9,6,7\n"    // 4
                               "2026-11-01,9,5,0\n"    // 5
                               "2026-13-01,9,5,7\n"    // 6
                               "2026-11-01,11,5,7\n"   // 7
                               "2026-11-01,-1,5,7\n"   // 8
                               "2026-11-01,9.5,5,7\n"  // 9
                               "2026-11-01,9\n"        // 10
                               "2026-11-01,9.0,5,7\n");
  EXPECT_EQ(r.summary.rows, 10);
  EXPECT_EQ(r.summary.bad_rows, 8);
  std::vector<std::string> got;
  for (const ImportError& e : r.summary.errors) got.push_back(e.ToString());
  const std::vector<std::string> want = {
      "line 3: column nps: \"abc\" is not an NPS answer (0-10)",
      "line 4: column csat: \"6\" is not a CSAT answer (1-5)",
      "line 5: column ces: \"0\" is not a CES answer (1-7)",
      "line 6: column date: \"2026-13-01\" is not a date (YYYY-MM-DD, years 1900-2199, or Solar "
      "Hijri 1278-1499)",
      "line 7: column nps: \"11\" is not an NPS answer (0-10)",
      "line 8: column nps: \"-1\" is not an NPS answer (0-10)",
      "line 9: column nps: \"9.5\" is not an NPS answer (0-10)",
      "line 10: expected 4 fields, found 2",
  };
  EXPECT_EQ(got, want);
  // Bad records contribute nothing, not even their good cells or dates.
  EXPECT_EQ(r.cells[0].tally.completions, 2);
  EXPECT_EQ(Q(r.cells[0], "csat").answered, 2);
  EXPECT_EQ(r.summary.from, "2026-11-01");
  EXPECT_EQ(r.summary.to, "2026-11-01");
}

TEST(ImportCsvTest, ErrorsCappedAtTwentyButAllCounted) {
  std::string input = "nps\n";
  for (int i = 0; i < 50; ++i) input += "x\n5\n";
  const Imported r = ImportAll(Csv(), input);
  EXPECT_EQ(r.summary.rows, 100);
  EXPECT_EQ(r.summary.bad_rows, 50);
  ASSERT_EQ(r.summary.errors.size(), 20u);
  EXPECT_EQ(r.summary.errors[0].line, 2);
  EXPECT_EQ(r.summary.errors[19].line, 40);
  EXPECT_EQ(Q(r.cells[0], "nps").answered, 50);
}

TEST(ImportCsvTest, MalformedQuotes) {
  const Imported r = ImportAll(Csv(), "nps,note\n9,\"ok\"x\n8,\"never closed\n7,a\n");
  // The quote opened on line 3 never closes: that row is rejected and reading resumes at line
  // 4 (before, the field swallowed "7,a" too).
  EXPECT_EQ(r.summary.rows, 3);
  EXPECT_EQ(r.summary.bad_rows, 2);
  ASSERT_EQ(r.summary.errors.size(), 2u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 2: column note: text after the closing quote of a quoted field");
  EXPECT_EQ(r.summary.errors[1].ToString(),
            "line 3: column note: unterminated quoted field; reading resumes at line 4");
  EXPECT_EQ(Q(r.cells[0], "nps").counts, Counts({0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}));
  // A quote inside an unquoted field is kept literally.
  const Imported literal = ImportAll(Segmented(Csv(), "size", std::nullopt), "nps,size\n9,5\"\n");
  EXPECT_EQ(literal.summary.bad_rows, 0);
  EXPECT_EQ(literal.cells[1].segment, "5\"");
}

void ExpectChunkIndependent(const ImportOptions& options, const std::string& input);

TEST(ImportCsvTest, StrayQuoteResynchronisesAtTheNextLine) {
  // Line 2 opens a quote that closes on line 4 ("7,"), followed by text: a broken record. The
  // lines after line 2 are read again as records of their own.
  const std::string input = "nps,note\n9,\"stray\n8,ok\n7,\"x\"\n6,\"two\nlines\"\n5,fine\n";
  const Imported r = ImportAll(Csv(), input);
  EXPECT_EQ(r.summary.rows, 5);  // 9 (bad), 8, 7, 6 (a real two-line field), 5
  EXPECT_EQ(r.summary.bad_rows, 1);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 2: column note: text after the closing quote of a quoted field; reading "
            "resumes at line 3");
  EXPECT_EQ(Q(r.cells[0], "nps").counts, Counts({0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0}));
  ExpectChunkIndependent(Csv(), input);
  // CRLF line ends resume the same way.
  const Imported crlf = ImportAll(Csv(), "nps,note\r\n9,\"stray\r\n8,ok\r\n7,ok\r\n");
  EXPECT_EQ(crlf.summary.rows, 3);
  EXPECT_EQ(crlf.summary.bad_rows, 1);
  EXPECT_EQ(Q(crlf.cells[0], "nps").counts, Counts({0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0}));
}

TEST(ImportCsvTest, StrayQuoteBeforeMoreThanAMebibyte) {
  // The open quote would hold the rest of the file; past 1 MiB the row is given up and the
  // lines are read again, fed in 64 KiB chunks as the CLI does, or whole.
  std::string input = "nps,note\n9,\"stray\n";
  for (int i = 0; i < 300000; ++i) input += "5,x\n";
  std::vector<std::string> pieces;
  for (size_t at = 0; at < input.size(); at += 65536) pieces.push_back(input.substr(at, 65536));
  const Imported r = ImportAll(Csv(), pieces);
  EXPECT_EQ(r.summary.rows, 300001);
  EXPECT_EQ(r.summary.bad_rows, 1);
  EXPECT_EQ(Q(r.cells[0], "nps").counts[5], 300000);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 2: column note: value longer than 1 MiB; reading resumes at line 3");
  EXPECT_EQ(Describe(ImportAll(Csv(), input)), Describe(r));
}

TEST(ImportCsvTest, FieldLongerThanCapRejectsRecord) {
  std::string input = "nps,note\n9,";
  input += std::string(ImportOptions::kMaxFieldBytes + 1, 'x');
  input += "\n8,short\n";
  const Imported r = ImportAll(Csv(), input);
  EXPECT_EQ(r.summary.rows, 2);
  EXPECT_EQ(r.summary.bad_rows, 1);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  EXPECT_EQ(r.summary.errors[0].ToString(), "line 2: column note: value longer than 1 MiB");
  EXPECT_EQ(Q(r.cells[0], "nps").counts[8], 1);
}

TEST(ImportCsvTest, BlankLinesAreNotRecords) {
  const Imported r = ImportAll(Csv(), "\n\nnps\n\n9\n\n\n8\n\n");
  EXPECT_EQ(r.summary.rows, 2);
  EXPECT_EQ(r.summary.bad_rows, 0);
  // A quoted empty field is a record.
  const Imported q = ImportAll(Csv(), "nps\n\"\"\n");
  EXPECT_EQ(q.summary.rows, 1);
  EXPECT_EQ(Q(q.cells[0], "nps").skipped, 1);
}

TEST(ImportCsvTest, HeaderOnlyAndEmptyInput) {
  EXPECT_EQ(ImportAll(Csv(), "").summary.rows, 0);
  EXPECT_EQ(ImportAll(Csv(), "nps").summary.rows, 0);
  EXPECT_EQ(ImportAll(Csv(), "nps").cells[0].tally.questions.size(), 1u);
  // The last record needs no line end.
  EXPECT_EQ(Q(ImportAll(Csv(), "nps\n7").cells[0], "nps").answered, 1);
}

TEST(ImportCsvTest, OverlongHeaderNameIsIgnored) {
  const std::string name(ImportOptions::kMaxColumnNameBytes + 1, 'n');
  const Imported r = ImportAll(Csv(), name + ",nps\nx,9\n");
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(Q(r.cells[0], "nps").answered, 1);
  ASSERT_EQ(r.summary.warnings.size(), 1u);
  EXPECT_EQ(r.summary.warnings[0].message,
            "column 1: header name longer than 1024 bytes; column ignored");
}

TEST(ImportCsvTest, WarningsAreBounded) {
  std::string header;
  for (int i = 0; i < 50; ++i) header += "nps,";
  const Imported r = ImportAll(Csv(), header + "x\n");
  EXPECT_EQ(r.summary.warnings.size(), static_cast<size_t>(ImportOptions::kMaxReportedErrors));
}

TEST(ImportCsvTest, DuplicateHeaderUsesFirst) {
  const Imported r = ImportAll(Csv(), "nps,nps\n9,x\n");
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(Q(r.cells[0], "nps").counts[9], 1);
  ASSERT_EQ(r.summary.warnings.size(), 1u);
  EXPECT_EQ(r.summary.warnings[0].ToString(),
            "line 1: column nps appears more than once; the first (1) is used");
}

// ---- Chunking ----

void ExpectChunkIndependent(const ImportOptions& options, const std::string& input) {
  const std::string whole = Describe(ImportAll(options, input));
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    const Imported split = ImportAll(options, {input.substr(0, cut), input.substr(cut)});
    ASSERT_EQ(Describe(split), whole) << "split at byte " << cut;
  }
  for (size_t a = 0; a <= input.size(); a += 3) {
    for (size_t b = a; b <= input.size(); b += 5) {
      const Imported split =
          ImportAll(options, {input.substr(0, a), input.substr(a, b - a), "", input.substr(b)});
      ASSERT_EQ(Describe(split), whole) << "split at bytes " << a << ", " << b;
    }
  }
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  ASSERT_EQ(Describe(ImportAll(options, bytes)), whole) << "byte by byte";
}

TEST(ImportChunkTest, CsvResultDoesNotDependOnChunking) {
  const ImportOptions options = Segmented(Csv(), "channel", Period::kWeek);
  const Imported r = ImportAll(options, kRichCsv);
  EXPECT_EQ(r.summary.rows, 6);
  EXPECT_EQ(r.summary.bad_rows, 2);
  ASSERT_EQ(r.summary.errors.size(), 2u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 4: column nps: \"11\" is not an NPS answer (0-10)");
  EXPECT_EQ(r.summary.errors[1].ToString(), "line 8: expected 6 fields, found 7");
  EXPECT_EQ(r.summary.from, "2026-11-20");
  EXPECT_EQ(r.summary.to, "2026-12-01");
  EXPECT_EQ(Q(r.cells[0], "nps").counts, Counts({0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1}));
  ExpectChunkIndependent(options, kRichCsv);
  ExpectChunkIndependent(Csv(), kRichCsv);
}

TEST(ImportChunkTest, NdjsonResultDoesNotDependOnChunking) {
  const ImportOptions options =
      Segmented(WithSurvey(ImportFormat::kNdjson), "channel", Period::kMonth);
  const Imported r = ImportAll(options, kRichNdjson);
  EXPECT_EQ(r.summary.rows, 6);
  EXPECT_EQ(r.summary.bad_rows, 2);
  ExpectChunkIndependent(options, kRichNdjson);
  ExpectChunkIndependent(Ndjson(), kRichNdjson);
}

// ---- Segments and periods ----

TEST(ImportSegmentTest, CellsSortedWithNone) {
  const Imported r = ImportAll(Segmented(Csv(), "channel", std::nullopt),
                               "nps,channel\n9,web\n3,app\n10,web\n7,\n");
  ASSERT_EQ(r.cells.size(), 4u);
  EXPECT_EQ(r.cells[0].segment, "");
  EXPECT_EQ(r.cells[0].tally.completions, 4);
  EXPECT_EQ(r.cells[1].segment, "(none)");
  EXPECT_EQ(r.cells[2].segment, "app");
  EXPECT_EQ(r.cells[3].segment, "web");
  EXPECT_EQ(r.cells[3].tally.completions, 2);
  EXPECT_EQ(Q(r.cells[3], "nps").counts[10], 1);
  for (const ReportCellInput& c : r.cells) EXPECT_EQ(c.period, "");
}

TEST(ImportSegmentTest, MissingByColumnWarns) {
  const Imported r = ImportAll(Segmented(Csv(), "region", std::nullopt), "nps\n9\n");
  ASSERT_EQ(r.summary.warnings.size(), 1u);
  EXPECT_EQ(r.summary.warnings[0].message, "segment column region is not in the header");
  ASSERT_EQ(r.cells.size(), 2u);
  EXPECT_EQ(r.cells[1].segment, "(none)");
}

TEST(ImportSegmentTest, DistinctValuesCappedIntoOther) {
  std::string input = "nps,user\n";
  const int n = ImportOptions::kMaxSegments + 10;
  for (int i = 0; i < n; ++i) input += "9,u" + std::to_string(i) + "\n";
  const Imported r = ImportAll(Segmented(Csv(), "user", std::nullopt), input);
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(r.cells.size(), static_cast<size_t>(ImportOptions::kMaxSegments) + 2);
  ASSERT_EQ(r.summary.warnings.size(), 1u);
  EXPECT_EQ(r.summary.warnings[0].line, ImportOptions::kMaxSegments + 2);
  EXPECT_NE(r.summary.warnings[0].message.find("\"(other)\""), std::string::npos);
  double other = -1, total = 0;
  for (size_t i = 1; i < r.cells.size(); ++i) {
    total += r.cells[i].tally.completions;
    if (r.cells[i].segment == "(other)") other = r.cells[i].tally.completions;
  }
  EXPECT_EQ(other, 10);
  EXPECT_EQ(total, n);
}

TEST(ImportSegmentTest, LongSegmentValuesAreCut) {
  const std::string long_value(300, 'x');
  const Imported r = ImportAll(Segmented(Csv(), "seg", std::nullopt),
                               "nps,seg\n9," + long_value + "\n8," + long_value + "y\n");
  ASSERT_EQ(r.cells.size(), 2u);  // both cut to the same 100 characters
  EXPECT_EQ(r.cells[1].segment, std::string(100, 'x'));
  EXPECT_EQ(r.cells[1].tally.completions, 2);
}

TEST(ImportSegmentTest, CellCapFoldsIntoOther) {
  // 1000 segments x 21 days = 21,000 cells, over the cap of 20,000.
  std::string input = "date,nps,seg\n";
  const int n = 21000;
  for (int i = 0; i < n; ++i) {
    input += "2026-01-" + std::string(i / 1000 < 9 ? "0" : "") + std::to_string(1 + i / 1000) +
             ",9,s" + std::to_string(i % 1000) + "\n";
  }
  const Imported r = ImportAll(Segmented(Csv(), "seg", Period::kDay), input);
  EXPECT_EQ(r.summary.bad_rows, 0);
  ASSERT_EQ(r.summary.warnings.size(), 1u);
  EXPECT_NE(r.summary.warnings[0].message.find("cells"), std::string::npos);
  EXPECT_EQ(r.cells.size(), static_cast<size_t>(ImportOptions::kMaxCells) + 2);
  double total = 0, other = 0;
  for (size_t i = 1; i < r.cells.size(); ++i) {
    total += r.cells[i].tally.completions;
    if (r.cells[i].segment == "(other)" && r.cells[i].period == "(other)") {
      other = r.cells[i].tally.completions;
    }
  }
  EXPECT_EQ(total, n);
  EXPECT_EQ(other, n - ImportOptions::kMaxCells);
}

TEST(ImportSegmentTest, PeriodsByWeekAndMonth) {
  const std::string input =
      "date,nps\n"
      "2026-11-16,9\n"             // Monday, week 47
      "2026-11-22T23:59:00Z,10\n"  // Sunday, week 47
      "2026-11-23,0\n"             // week 48
      ",8\n";                      // no date
  const Imported week = ImportAll(Segmented(Csv(), "", Period::kWeek), input);
  ASSERT_EQ(week.cells.size(), 4u);
  EXPECT_EQ(week.cells[1].period, "(none)");
  EXPECT_EQ(week.cells[2].period, "2026-W47");
  EXPECT_EQ(week.cells[2].tally.completions, 2);
  EXPECT_EQ(week.cells[3].period, "2026-W48");
  EXPECT_EQ(week.summary.from, "2026-11-16");
  EXPECT_EQ(week.summary.to, "2026-11-23");
  const Imported month = ImportAll(Segmented(Csv(), "", Period::kMonth), input);
  ASSERT_EQ(month.cells.size(), 3u);
  EXPECT_EQ(month.cells[2].period, "2026-11");
  EXPECT_EQ(month.cells[2].tally.completions, 3);
  const Imported day = ImportAll(Segmented(Csv(), "", Period::kDay), input);
  EXPECT_EQ(day.cells.size(), 5u);
}

TEST(ImportSegmentTest, SegmentByPeriodCells) {
  const Imported r = ImportAll(Segmented(Csv(), "channel", Period::kMonth),
                               "date,nps,channel\n2026-12-01,9,web\n2026-11-05,9,web\n"
                               "2026-11-06,1,app\n2026-11-07,2,web\n");
  ASSERT_EQ(r.cells.size(), 4u);
  EXPECT_EQ(r.cells[1].segment + "/" + r.cells[1].period, "app/2026-11");
  EXPECT_EQ(r.cells[2].segment + "/" + r.cells[2].period, "web/2026-11");
  EXPECT_EQ(r.cells[2].tally.completions, 2);
  EXPECT_EQ(r.cells[3].segment + "/" + r.cells[3].period, "web/2026-12");
}

// ---- With a survey ----

TEST(ImportSurveyTest, ChoiceSingleAndMultiple) {
  const Imported r = ImportAll(WithSurvey(),
                               "nps,why,ease,channel,features\n"
                               "9,,5,web,a|b\n"
                               "3,slow,2,app,c\n"
                               "8,,4, web ,a|a|\n"
                               "7,,3,web,\n"
                               "7,,3,tv,a\n"
                               "7,,3,web,a|d\n"
                               "7,,3,web|app,a\n");
  EXPECT_EQ(r.summary.rows, 7);
  EXPECT_EQ(r.summary.bad_rows, 3);
  ASSERT_EQ(r.summary.errors.size(), 3u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 6: column channel: \"tv\" is not an option (web, app)");
  EXPECT_EQ(r.summary.errors[1].ToString(),
            "line 7: column features: \"d\" is not an option (a, b, c)");
  EXPECT_EQ(r.summary.errors[2].ToString(),
            "line 8: column channel: \"web|app\" is not an option (web, app)");
  const ReportCellInput& all = r.cells[0];
  ASSERT_EQ(all.tally.questions.size(), 5u);  // every survey question, in definition order
  EXPECT_EQ(all.tally.questions[0].id, "nps");
  EXPECT_EQ(Q(all, "why").answered, 1);
  EXPECT_EQ(Q(all, "why").skipped, 3);
  EXPECT_EQ(Q(all, "ease").counts, Counts({0, 1, 1, 1, 1}));
  EXPECT_EQ(Q(all, "channel").counts, Counts({3, 1}));
  EXPECT_EQ(Q(all, "channel").answered, 4);
  EXPECT_EQ(Q(all, "features").counts, Counts({2, 1, 1}));  // "a|a|" chooses a once
  EXPECT_EQ(Q(all, "features").answered, 3);
  EXPECT_EQ(Q(all, "features").skipped, 1);
  EXPECT_TRUE(Q(all, "features").multiple);
  EXPECT_EQ(Q(all, "features").options, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(ImportSurveyTest, QuestionsWithoutColumnWarnAndStayEmpty) {
  const Imported r = ImportAll(WithSurvey(), "nps,csat\n9,5\n");
  ASSERT_EQ(r.summary.warnings.size(), 1u);
  EXPECT_EQ(r.summary.warnings[0].message,
            "questions of survey shop with no column: why, ease, channel, features");
  EXPECT_EQ(Q(r.cells[0], "why").skipped, 0);
  for (const QuestionTally& q : r.cells[0].tally.questions) EXPECT_NE(q.id, "csat");
  ResponseImporter importer(WithSurvey());
  EXPECT_EQ(importer.SurveyId(), "shop");
  EXPECT_EQ(ResponseImporter(Csv()).SurveyId(), "responses");
}

TEST(ImportSurveyTest, RatingAndCsatScalesFromDefinition) {
  Survey s;
  s.id = "r";
  Question stars;
  stars.id = "stars";
  stars.type = QuestionType::kRating;
  stars.scale = 10;
  Question sat;
  sat.id = "sat";
  sat.type = QuestionType::kCsat;
  sat.scale = 7;
  s.questions = {stars, sat};
  ImportOptions o;
  o.survey = s;
  const Imported r = ImportAll(o, "stars,sat\n10,7\n1,1\n0,3\n3,8\n");
  EXPECT_EQ(r.summary.bad_rows, 2);
  EXPECT_EQ(r.summary.errors[0].message, "column stars: \"0\" is not a rating answer (1-10)");
  EXPECT_EQ(r.summary.errors[1].message, "column sat: \"8\" is not a CSAT answer (1-7)");
  EXPECT_EQ(Q(r.cells[0], "stars").counts.size(), 10u);
  EXPECT_EQ(Q(r.cells[0], "sat").counts[6], 1);
}

// ---- NDJSON ----

TEST(ImportNdjsonTest, ValuesNumbersStringsArraysNull) {
  const Imported r =
      ImportAll(WithSurvey(ImportFormat::kNdjson),
                "{\"nps\": 9, \"ease\": \"4\", \"channel\": \"web\", "
                "\"features\": [\"a\", \"c\"], \"why\": \"\"}\n"
                "{\"nps\": \"\xDB\xB1\xDB\xB0\", \"ease\": 5.0, \"features\": \"b|c\", "
                "\"why\": \"ok\", \"extra\": {\"deep\": [[1], {\"nps\": 99}]}}\n"
                "{\"nps\": null, \"features\": [], \"channel\": [\"app\"]}\n");
  EXPECT_EQ(r.summary.bad_rows, 0) << Describe(r);
  const ReportCellInput& all = r.cells[0];
  EXPECT_EQ(Q(all, "nps").counts[9], 1);
  EXPECT_EQ(Q(all, "nps").counts[10], 1);
  EXPECT_EQ(Q(all, "nps").skipped, 1);
  EXPECT_EQ(Q(all, "ease").counts, Counts({0, 0, 0, 1, 1}));
  EXPECT_EQ(Q(all, "ease").skipped, 1);  // missing key, while the key occurs elsewhere
  EXPECT_EQ(Q(all, "features").counts, Counts({1, 1, 2}));
  EXPECT_EQ(Q(all, "features").skipped, 1);
  EXPECT_EQ(Q(all, "channel").counts, Counts({1, 1}));
  EXPECT_EQ(Q(all, "channel").skipped, 1);
  EXPECT_EQ(Q(all, "why").answered, 1);
  EXPECT_EQ(Q(all, "why").skipped, 2);
}

TEST(ImportNdjsonTest, BadLines) {
  const Imported r = ImportAll(WithSurvey(ImportFormat::kNdjson),
                               "{\"nps\": 11}\n"                      // 1
                               "{\"nps\": 9.5}\n"                     // 2
                               "{\"nps\": true}\n"                    // 3
                               "[1, 2]\n"                             // 4
                               "{\"nps\": 9\n"                        // 5
                               "{\"nps\": 9, \"nps\": 8}\n"           // 6
                               "{\"channel\": \"tv\"}\n"              // 7
                               "{\"channel\": [\"web\", \"app\"]}\n"  // 8
                               "{\"features\": [[\"a\"]]}\n"          // 9
                               "{\"nps\": {\"v\": 9}}\n"              // 10
                               "{\"date\": 20261101}\n"               // 11
                               "42\n"                                 // 12
                               "{\"nps\": 9} x\n"                     // 13
                               "{\"nps\": \"\xff\"}\n"                // 14
                               "{\"nps\": 9}\n");                     // 15
  EXPECT_EQ(r.summary.rows, 15);
  EXPECT_EQ(r.summary.bad_rows, 14);
  ASSERT_EQ(r.summary.errors.size(), 14u);
  std::vector<std::string> got;
  for (const ImportError& e : r.summary.errors) got.push_back(e.ToString());
  EXPECT_EQ(got[0], "line 1: column nps: 11 is not an NPS answer (0-10)");
  EXPECT_EQ(got[1], "line 2: column nps: 9.5 is not an NPS answer (0-10)");
  EXPECT_EQ(got[2], "line 3: column nps: true is not an NPS answer (0-10)");
  EXPECT_EQ(got[3], "line 4: not a JSON object");
  EXPECT_EQ(got[4].rfind("line 5: invalid JSON at column ", 0), 0u) << got[4];
  EXPECT_EQ(got[5], "line 6: key \"nps\" appears twice");
  EXPECT_EQ(got[6], "line 7: column channel: \"tv\" is not an option (web, app)");
  EXPECT_EQ(got[7], "line 8: column channel: only one option may be chosen");
  EXPECT_EQ(got[8], "line 9: column features: an array is not an option");
  EXPECT_EQ(got[9], "line 10: column nps: an object is not a valid value");
  EXPECT_EQ(got[10], "line 11: column date: 20261101 is not a date (YYYY-MM-DD)");
  EXPECT_EQ(got[11], "line 12: not a JSON object");
  EXPECT_EQ(got[12].rfind("line 13: invalid JSON", 0), 0u) << got[12];
  EXPECT_EQ(got[13].rfind("line 14: invalid JSON", 0), 0u) << got[13];
  EXPECT_EQ(Q(r.cells[0], "nps").answered, 1);
}

TEST(ImportNdjsonTest, LongLineRejected) {
  std::string input = "{\"nps\": 9, \"why\": \"";
  input += std::string(ImportOptions::kMaxLineBytes, 'x');
  input += "\"}\n{\"nps\": 8}\n";
  const Imported r = ImportAll(WithSurvey(ImportFormat::kNdjson), input);
  EXPECT_EQ(r.summary.rows, 2);
  EXPECT_EQ(r.summary.bad_rows, 1);
  EXPECT_EQ(r.summary.errors[0].ToString(), "line 1: line longer than 4 MiB");
}

TEST(ImportNdjsonTest, SameDataSameResultAsCsv) {
  const std::string csv =
      "date,nps,csat,ces,channel\n"
      "2026-11-01,9,5,7,web\n"
      "2026-11-08,3,,2,app\n"
      "2026-11-09,,4,,web\n";
  const std::string ndjson =
      "{\"date\":\"2026-11-01\",\"nps\":9,\"csat\":5,\"ces\":7,\"channel\":\"web\"}\n"
      "{\"date\":\"2026-11-08\",\"nps\":3,\"ces\":2,\"channel\":\"app\"}\n"
      "{\"date\":\"2026-11-09\",\"nps\":null,\"csat\":\"4\",\"channel\":\"web\"}\n";
  ImportOptions c = Segmented(Csv(), "channel", Period::kWeek);
  ImportOptions n = c;
  n.format = ImportFormat::kNdjson;
  EXPECT_EQ(Describe(ImportAll(n, ndjson)), Describe(ImportAll(c, csv)));
}

TEST(ImportNdjsonTest, SegmentValuesOfAnyScalarType) {
  const Imported r =
      ImportAll(Segmented(Ndjson(), "plan", std::nullopt),
                "{\"nps\":9,\"plan\":3}\n{\"nps\":9,\"plan\":true}\n"
                "{\"nps\":9,\"plan\":null}\n{\"nps\":9}\n{\"nps\":9,\"plan\":[1]}\n");
  ASSERT_EQ(r.summary.bad_rows, 1);
  EXPECT_EQ(r.summary.errors[0].message, "column plan: an array is not a valid value");
  ASSERT_EQ(r.cells.size(), 4u);
  EXPECT_EQ(r.cells[1].segment, "(none)");
  EXPECT_EQ(r.cells[1].tally.completions, 2);
  EXPECT_EQ(r.cells[2].segment, "3");
  EXPECT_EQ(r.cells[3].segment, "true");
}

// ---- Formats and the report ----

TEST(ImportFormatTest, NamesAndSniffing) {
  EXPECT_EQ(ImportFormatForName("a/b/export.CSV"), ImportFormat::kCsv);
  EXPECT_EQ(ImportFormatForName("x.jsonl"), ImportFormat::kNdjson);
  EXPECT_EQ(ImportFormatForName("x.ndjson"), ImportFormat::kNdjson);
  EXPECT_EQ(ImportFormatForName("x.txt"), std::nullopt);
  EXPECT_EQ(ImportFormatForName("-"), std::nullopt);
  EXPECT_EQ(SniffImportFormat("\xEF\xBB\xBF  \n{\"nps\":1}"), ImportFormat::kNdjson);
  EXPECT_EQ(SniffImportFormat("nps\n1\n"), ImportFormat::kCsv);
  EXPECT_EQ(SniffImportFormat(""), ImportFormat::kCsv);
  EXPECT_STREQ(ImportFormatName(ImportFormat::kNdjson), "ndjson");
}

TEST(ImportReportTest, FeedsBuildReport) {
  std::string input = "date,nps\n";
  for (int i = 0; i < 50; ++i) input += "2026-11-0" + std::to_string(1 + i % 9) + ",10\n";
  for (int i = 0; i < 30; ++i) input += "2026-11-22,7\n";
  for (int i = 0; i < 20; ++i) input += "2026-11-10,0\n";
  ResponseImporter importer(Csv());
  importer.Feed(input);
  importer.Finish();
  const ImportSummary& s = importer.summary();
  const Json report =
      BuildReport(importer.SurveyId(), s.from, s.to, importer.Cells(), ReportOptions());
  EXPECT_EQ(report["survey"], "responses");
  EXPECT_EQ(report["from"], "2026-11-01");
  EXPECT_EQ(report["to"], "2026-11-22");
  EXPECT_EQ(report["completions"], 100);
  const Json& nps = report["questions"]["nps"];
  EXPECT_EQ(nps["n"], 100);
  EXPECT_DOUBLE_EQ(nps["score"].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(nps["ci95"][0].get<double>(), 14.1);
  EXPECT_DOUBLE_EQ(nps["ci95"][1].get<double>(), 44.2);
}

}  // namespace
}  // namespace nazar
