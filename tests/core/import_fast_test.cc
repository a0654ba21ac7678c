// The CSV fast path (core/src/import_fast.*) and the importer's caches: records cut by chunk ends
// anywhere (inside quoted fields, between CR and LF, inside the BOM), stray quotes, caps, and the
// byte-keyed caches of dates and segments, each against counts worked out by hand or by the test.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "nazar/import.h"
#include "nazar/report.h"

namespace nazar {
namespace {

struct Imported {
  ImportSummary summary;
  std::vector<ReportCellInput> cells;
};

Imported Import(const ImportOptions& options, const std::vector<std::string>& pieces) {
  ResponseImporter importer(options);
  for (const std::string& piece : pieces) importer.Feed(piece);
  importer.Finish();
  return {importer.summary(), importer.Cells()};
}

Imported Import(const ImportOptions& options, const std::string& input) {
  return Import(options, std::vector<std::string>{input});
}

const QuestionTally* Question(const ReportCellInput& cell, const std::string& id) {
  for (const QuestionTally& q : cell.tally.questions) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

// "segment|period n=<completions> nps=<counts>" per cell, then errors and warnings.
std::string Render(const Imported& r) {
  std::string out = "rows=" + std::to_string(r.summary.rows) +
                    " bad=" + std::to_string(r.summary.bad_rows) + "\n";
  for (const ImportError& e : r.summary.errors) out += "E " + e.ToString() + "\n";
  for (const ImportError& e : r.summary.warnings) out += "W " + e.ToString() + "\n";
  for (const ReportCellInput& c : r.cells) {
    out += c.segment + "|" + c.period + " n=" + std::to_string(c.tally.completions);
    if (const QuestionTally* q = Question(c, "nps")) {
      out += " nps=";
      for (double v : q->counts) out += std::to_string(static_cast<int64_t>(v)) + ",";
      out += " skipped=" + std::to_string(static_cast<int64_t>(q->skipped));
    }
    out += "\n";
  }
  return out;
}

// Every split of `input` into two pieces and into three (at i and i + 1, so one-byte pieces
// such as a lone '\n' of a CRLF occur) renders as `expected`.
void ExpectEverySplit(const ImportOptions& options, const std::string& input,
                      const std::string& expected) {
  for (size_t i = 0; i <= input.size(); ++i) {
    ASSERT_EQ(Render(Import(options, {input.substr(0, i), input.substr(i)})), expected)
        << "split at " << i;
    if (i < input.size()) {
      ASSERT_EQ(
          Render(Import(options, {input.substr(0, i), input.substr(i, 1), input.substr(i + 1)})),
          expected)
          << "one-byte piece at " << i;
    }
  }
}

ImportOptions BySegment(const char* by) {
  ImportOptions options;
  options.by = by;
  return options;
}

TEST(ImportFastTest, QuotedFieldsWithCommasAndDoubledQuotesAcrossEveryChunkEnd) {
  // The segment values are quoted, with a delimiter and doubled quotes inside: the cells must be
  // named by the unquoted text, wherever the chunks end.
  const std::string input =
      "nps,seg,comment\n"
      "9,\"a \"\"b\"\", c\",\"said \"\"thanks\"\", then left\"\n"
      "7,plain,\"گران بود، ولی خوب\"\n"
      "10,\"a \"\"b\"\", c\",\n"
      "0,\"\",x\n";
  const std::string expected =
      "rows=4 bad=0\n"
      "| n=4.000000 nps=1,0,0,0,0,0,0,1,0,1,1, skipped=0\n"
      "(none)| n=1.000000 nps=1,0,0,0,0,0,0,0,0,0,0, skipped=0\n"
      "a \"b\", c| n=2.000000 nps=0,0,0,0,0,0,0,0,0,1,1, skipped=0\n"
      "plain| n=1.000000 nps=0,0,0,0,0,0,0,1,0,0,0, skipped=0\n";
  EXPECT_EQ(Render(Import(BySegment("seg"), input)), expected);
  ExpectEverySplit(BySegment("seg"), input, expected);
}

TEST(ImportFastTest, CrlfLineNumbersAcrossEveryChunkEnd) {
  // Lines 1-6 with CRLF, a blank line (4) and a bad value on line 6; a lone CR ends line 7.
  const std::string input = "nps,seg\r\n9,x\r\n8,\"y\"\r\n\r\n7,x\r\n11,x\r\n6,y\r5,y\r\n";
  const std::string expected =
      "rows=6 bad=1\n"
      "E line 6: column nps: \"11\" is not an NPS answer (0-10)\n"
      "| n=5.000000 nps=0,0,0,0,0,1,1,1,1,1,0, skipped=0\n"
      "x| n=2.000000 nps=0,0,0,0,0,0,0,1,0,1,0, skipped=0\n"
      "y| n=3.000000 nps=0,0,0,0,0,1,1,0,1,0,0, skipped=0\n";
  EXPECT_EQ(Render(Import(BySegment("seg"), input)), expected);
  ExpectEverySplit(BySegment("seg"), input, expected);
}

TEST(ImportFastTest, ByteOrderMarkSplitAnywhere) {
  const std::string input = "\xEF\xBB\xBFnps,seg\n4,a\n5,a\n";
  const std::string expected =
      "rows=2 bad=0\n"
      "| n=2.000000 nps=0,0,0,0,1,1,0,0,0,0,0, skipped=0\n"
      "a| n=2.000000 nps=0,0,0,0,1,1,0,0,0,0,0, skipped=0\n";
  ExpectEverySplit(BySegment("seg"), input, expected);
}

TEST(ImportFastTest, StrayQuotesAndBrokenRecordsAcrossEveryChunkEnd) {
  // Line 2 opens a quote never closed on its line; line 3 holds a quote inside an unquoted
  // field (a literal); line 4 has text after a closing quote; line 5 too many fields; line 6
  // too few; line 7 is fine.
  const std::string input = "nps,note\n9,\"oops\n8,a\"b\n7,\"x\" y\n6,a,b\n5\n4,fine\n";
  const std::string expected =
      "rows=6 bad=4\n"
      "E line 2: column note: text after the closing quote of a quoted field; reading resumes "
      "at line 3\n"
      "E line 4: column note: text after the closing quote of a quoted field\n"
      "E line 5: expected 2 fields, found 3\n"
      "E line 6: expected 2 fields, found 1\n"
      "| n=2.000000 nps=0,0,0,0,1,0,0,0,1,0,0, skipped=0\n";
  EXPECT_EQ(Render(Import(ImportOptions(), input)), expected);
  ExpectEverySplit(ImportOptions(), input, expected);
}

TEST(ImportFastTest, FieldCapOnOneLineAndAcrossChunks) {
  // A one-line record longer than 1 MiB is rejected by the general scanner's cap, fed whole or
  // in 64 KiB chunks; a field of exactly 1 MiB is accepted.
  std::string input = "nps,note\n9," + std::string(ImportOptions::kMaxFieldBytes + 1, 'x') +
                      "\n8," + std::string(ImportOptions::kMaxFieldBytes, 'y') + "\n7,z\n";
  const std::string expected =
      "rows=3 bad=1\n"
      "E line 2: column note: value longer than 1 MiB\n"
      "| n=2.000000 nps=0,0,0,0,0,0,0,1,1,0,0, skipped=0\n";
  EXPECT_EQ(Render(Import(ImportOptions(), input)), expected);
  std::vector<std::string> pieces;
  for (size_t at = 0; at < input.size(); at += 65536) pieces.push_back(input.substr(at, 65536));
  EXPECT_EQ(Render(Import(ImportOptions(), pieces)), expected);
}

TEST(ImportFastTest, ManyDistinctDatesAndSegmentsMatchCountsKeptByTheTest) {
  // 3,000 distinct days (more than the date cache holds) in random order and 1,200 distinct
  // segment values of one length that differ only in their middle bytes (past the segment cap
  // of 1,000), each seen ten times; fewer (segment, day) pairs than the cell cap. The test keeps
  // its own counts.
  ImportOptions options;
  options.by = "seg";
  options.period = Period::kDay;
  std::string input = "date,nps,seg\n";
  std::map<std::string, int64_t> by_day;
  int64_t rows = 0;
  uint32_t state = 12345;
  for (int i = 0; i < 12000; ++i) {
    state = state * 1103515245u + 12345u;
    const int64_t day = DaysFromCivil(2020, 1, 1) + (state >> 8) % 3000;
    const int seg = i % 1200;
    char segment[32];
    std::snprintf(segment, sizeof segment, "seg-%04d-label", seg);
    input += FormatDay(day) + ",9," + segment + "\n";
    ++by_day[FormatDay(day)];
    ++rows;
  }
  const Imported r = Import(options, input);
  EXPECT_EQ(r.summary.rows, rows);
  EXPECT_EQ(r.summary.bad_rows, 0);
  // Each day's rows, summed over the cells of that day (segments included), match.
  std::map<std::string, int64_t> got;
  std::map<std::string, int> segments;
  for (size_t i = 1; i < r.cells.size(); ++i) {
    got[r.cells[i].period] += static_cast<int64_t>(r.cells[i].tally.completions);
    ++segments[r.cells[i].segment];
  }
  EXPECT_EQ(got, by_day);
  EXPECT_EQ(segments.size(), 1001u);  // 1,000 values and "(other)"
  ASSERT_GE(r.summary.warnings.size(), 1u);
  EXPECT_NE(r.summary.warnings[0].message.find("more than 1000 distinct values"),
            std::string::npos);
  // The same in 4 KiB pieces.
  std::vector<std::string> pieces;
  for (size_t at = 0; at < input.size(); at += 4096) pieces.push_back(input.substr(at, 4096));
  EXPECT_EQ(Render(Import(options, pieces)), Render(r));
}

TEST(ImportFastTest, IssueShapedExportMatchesCountsKeptByTheTest) {
  // Rows like issue 7's export (quoted comments with commas and doubled quotes, empty answers,
  // four locales over twelve months), with the expected NPS histogram per (locale, month) kept
  // while writing them. Fed whole and in 64 KiB pieces, as the CLI reads.
  const char* locales[] = {"en", "fa", "ar", "de"};
  const char* comments[] = {"",
                            "",
                            "",
                            "ok",
                            "\"slow, but friendly\"",
                            "\"said \"\"thanks\"\", then left\"",
                            "\"گران بود، ولی خوب\""};
  std::map<std::string, std::vector<int64_t>> expected;  // "locale|YYYY-MM" -> counts
  std::string input = "date,nps,csat,ces,locale,comment\n";
  uint32_t state = 7;
  for (int i = 0; i < 30000; ++i) {
    state = state * 1103515245u + 12345u;
    const int month = 1 + static_cast<int>((state >> 8) % 12);
    const int day = 1 + static_cast<int>((state >> 12) % 28);
    const int nps = static_cast<int>((state >> 16) % 11);
    const char* locale = locales[(state >> 20) % 4];
    char row[64];
    std::snprintf(row, sizeof row, "2026-%02d-%02d,%d,%s,3,%s,", month, day, nps,
                  (state >> 24) % 20 == 0 ? "" : "4", locale);
    input += row;
    input += comments[(state >> 27) % 7];
    input += "\n";
    char key[16];
    std::snprintf(key, sizeof key, "%s|2026-%02d", locale, month);
    std::vector<int64_t>& counts = expected[key];
    counts.resize(11);
    ++counts[nps];
  }
  ImportOptions options;
  options.by = "locale";
  options.period = Period::kMonth;
  std::vector<std::string> pieces;
  for (size_t at = 0; at < input.size(); at += 65536) pieces.push_back(input.substr(at, 65536));
  for (const Imported& r : {Import(options, input), Import(options, pieces)}) {
    EXPECT_EQ(r.summary.rows, 30000);
    EXPECT_EQ(r.summary.bad_rows, 0);
    std::map<std::string, std::vector<int64_t>> got;
    for (size_t i = 1; i < r.cells.size(); ++i) {
      const QuestionTally* q = Question(r.cells[i], "nps");
      ASSERT_NE(q, nullptr);
      std::vector<int64_t>& counts = got[r.cells[i].segment + "|" + r.cells[i].period];
      for (double v : q->counts) counts.push_back(static_cast<int64_t>(v));
    }
    EXPECT_EQ(got, expected);
  }
}

// NPS counts per "segment|period" cell (the overall cell left out), and the rows.
std::map<std::string, std::vector<int64_t>> NpsByCell(const Imported& r) {
  std::map<std::string, std::vector<int64_t>> out;
  for (size_t i = 1; i < r.cells.size(); ++i) {
    std::vector<int64_t>& counts = out[r.cells[i].segment + "|" + r.cells[i].period];
    if (const QuestionTally* q = Question(r.cells[i], "nps")) {
      for (double v : q->counts) counts.push_back(static_cast<int64_t>(v));
    }
  }
  return out;
}

TEST(ImportFastTest, KernelTakesQuotedSpacedAndLiteralQuoteValuesAsTheRulesDo) {
  // The same segment and day written in the ways a record may hold them: quoted, padded with
  // spaces, or a value that really contains quotes ("""en""" is the text "en" with its quotes).
  // The record kernel reads the plain form; each other form is the rules' decision first, then
  // the kernel's cached one (each line is repeated so the second copy meets the caches).
  ImportOptions options;
  options.by = "locale";
  options.period = Period::kMonth;
  std::string input = "date,nps,locale,comment\n";
  const char* lines[] = {
      "2026-01-05,9,en,\n",
      "2026-01-05,9,\"en\",\n",
      "2026-01-05,10,\"\"\"en\"\"\",x\n",
      "\"2026-01-05\",7, en ,\"a, \"\"b\"\"\"\n",
      " 2026-01-31,0,fa,\r\n",
      "2026-02-01,5,en,\"x\"\"\"\n",
      "2026-02-01,3,en,a\"b\n",
  };
  for (int copy = 0; copy < 2; ++copy) {
    for (const char* line : lines) input += line;
  }
  // By hand: en in January holds 9, 9, 7 (twice each); en in February 5 and 3; the segment
  // "en" (with quotes) 10; fa 0.
  std::vector<int64_t> en_jan(11, 0), en_feb(11, 0), quoted(11, 0), fa(11, 0);
  en_jan[9] = 4;
  en_jan[7] = 2;
  en_feb[5] = 2;
  en_feb[3] = 2;
  quoted[10] = 2;
  fa[0] = 2;
  const std::map<std::string, std::vector<int64_t>> expected = {{"en|2026-01", en_jan},
                                                                {"en|2026-02", en_feb},
                                                                {"\"en\"|2026-01", quoted},
                                                                {"fa|2026-01", fa}};
  const Imported r = Import(options, input);
  EXPECT_EQ(r.summary.rows, 14);
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(NpsByCell(r), expected);
  // And with every record met a second time by the kernel alone: the file twice over.
  const Imported twice = Import(options, input + input.substr(input.find('\n') + 1));
  std::map<std::string, std::vector<int64_t>> doubled = expected;
  for (auto& entry : doubled) {
    for (int64_t& n : entry.second) n *= 2;
  }
  EXPECT_EQ(NpsByCell(twice), doubled);
}

TEST(ImportFastTest, KernelSplitsFieldsOnlyAtTheDelimiterEvenWhenItIsADashOrDigit) {
  // ImportOptions::delimiter is any byte to the core (the CLI and wasm check it). With '-', the
  // rules split "2024-01-05-9" into 4 fields: a broken record, whatever the kernel's ISO-date
  // reading of the first 10 bytes would say. The quoted first record puts the date in the caches.
  ImportOptions options;
  options.delimiter = '-';
  std::string input = "date-nps\n\"2024-01-05\"-9\n";
  for (int i = 0; i < 4; ++i) input += "2024-01-05-9\n";  // 52 bytes: the kernel has room
  const Imported r = Import(options, input);
  EXPECT_EQ(r.summary.rows, 5);
  EXPECT_EQ(r.summary.bad_rows, 4);
  ASSERT_EQ(r.summary.errors.size(), 4u);
  for (size_t i = 0; i < r.summary.errors.size(); ++i) {
    EXPECT_EQ(r.summary.errors[i].ToString(),
              "line " + std::to_string(i + 3) + ": expected 2 fields, found 4");
  }
  // A digit as the delimiter: "01005" is the 4 fields "", "1", "", "5" (not "010" and "5").
  options.delimiter = '0';
  input = "nps0csat\n";
  for (int i = 0; i < 8; ++i) input += "01005\n";
  const Imported digits = Import(options, input);
  EXPECT_EQ(digits.summary.rows, 8);
  EXPECT_EQ(digits.summary.bad_rows, 8);
}

}  // namespace
}  // namespace nazar
