// Column mapping: the proposal from the first bytes of real-shaped exports, the mapping JSON, and
// the importer under a mapping (extra header rows, text answers, date formats, Solar Hijri
// periods, UTF-16). Expected values are worked out by hand from the fixture files in
// tests/fixtures/import/ (see the comment above each test).
#include "nazar/mapping.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "import_test_util.h"
#include "nazar/import.h"
#include "nazar/report.h"

namespace nazar {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(NAZAR_FIXTURES_DIR) + "/import/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

using testing::Describe;
using testing::ImportAll;
using testing::Imported;
using testing::Q;

// The same import fed in 1-byte, 2-byte, 3-byte and 7-byte chunks and split once at every byte
// gives what the whole input gives.
void ExpectSplitIndependent(const ImportOptions& options, const std::string& input) {
  const std::string whole = Describe(ImportAll(options, input));
  for (size_t size : {1, 2, 3, 7}) {
    std::vector<std::string> pieces;
    for (size_t i = 0; i < input.size(); i += size) pieces.push_back(input.substr(i, size));
    EXPECT_EQ(Describe(ImportAll(options, pieces)), whole) << "chunks of " << size;
  }
  for (size_t cut = 0; cut <= input.size(); ++cut) {
    const std::string got = Describe(ImportAll(options, {input.substr(0, cut), input.substr(cut)}));
    if (got != whole) {
      ADD_FAILURE() << "split at byte " << cut << ":\n" << got << "whole:\n" << whole;
      return;
    }
  }
}

const ReportCellInput* Cell(const Imported& r, const std::string& segment,
                            const std::string& period) {
  for (const ReportCellInput& c : r.cells) {
    if (c.segment == segment && c.period == period) return &c;
  }
  ADD_FAILURE() << "no cell [" << segment << "|" << period << "]";
  return nullptr;
}

// "kind:id:type:scale" of each mapped column, in order, e.g. "6 question nps nps 11".
std::vector<std::string> Assignments(const ColumnMapping& m) {
  std::vector<std::string> out;
  for (const ColumnAssignment& a : m.columns) {
    std::string s = std::to_string(a.column) + " " + ColumnRoleKindName(a.kind) + " " + a.id;
    if (a.kind == ColumnRoleKind::kQuestion) {
      s += std::string(" ") + QuestionTypeName(a.type) + " " + std::to_string(a.scale);
    }
    out.push_back(s);
  }
  return out;
}

MappingProposal MustPropose(const std::string& head) {
  Result<MappingProposal> p = ProposeMapping(head);
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : MappingProposal();
}

ImportOptions Mapped(const ColumnMapping& mapping) {
  ImportOptions o;
  o.mapping = mapping;
  o.period = Period::kMonth;
  return o;
}

std::vector<double> V(std::vector<double> v) { return v; }

// ---- Qualtrics: 3 header rows, text answers ----
// Data rows (lines 4-9): Q1 10, 9, 6, 0, 8, 10 -> NPS counts 0:1 6:1 8:1 9:1 10:2;
// Q2 Very satisfied 5, Satisfied 4, Dissatisfied 2, Very dissatisfied 1, (empty), Very
// satisfied 5 -> 5 answered, 1 skipped; Q3 Strongly agree 7, Agree 6, Disagree 2, Strongly
// disagree 1, Neither 4, Somewhat agree 5; Q4 English x4 (rows 1, 2, 5, 6), فارسی x2 (3, 4);
// Q5 comments on rows 1, 3, 6. StartDate months: 2026-11 rows 1-4, 2026-12 rows 5-6.

TEST(MappingProposalTest, QualtricsThreeHeaderRowsAndTextAnswers) {
  const MappingProposal p = MustPropose(Fixture("qualtrics_text_answers.csv"));
  EXPECT_EQ(p.format, ImportFormat::kCsv);
  EXPECT_EQ(p.delimiter, ',');
  EXPECT_EQ(p.encoding, TextEncoding::kUtf8);
  EXPECT_EQ(p.mapping.extra_header_rows, 2);
  EXPECT_EQ(p.rows_sampled, 6);
  EXPECT_EQ(
      Assignments(p.mapping),
      (std::vector<std::string>{"0 date date", "6 question nps nps 11", "7 question csat csat 5",
                                "8 question ces ces 7", "9 segment q4", "10 text q5"}));
  EXPECT_EQ(p.mapping.date_format.order, DateOrder::kYmd);
  EXPECT_EQ(p.mapping.date_format.calendar, Calendar::kGregorian);
  EXPECT_FALSE(p.date_ambiguous);
  EXPECT_EQ(p.segment_candidates, (std::vector<int>{9}));
  ASSERT_EQ(p.columns.size(), 11u);
  EXPECT_EQ(p.columns[6].reason, "name");  // "recommend" in the question-text row
  EXPECT_EQ(p.columns[9].reason, "name");  // "language"
  EXPECT_EQ(p.columns[9].distinct, 2);
  EXPECT_EQ(p.columns[5].proposed.kind, ColumnRoleKind::kIgnore);  // ResponseId: all distinct
  EXPECT_EQ(p.columns[3].distinct, 1);                             // Progress: 100
  EXPECT_TRUE(p.columns[3].numeric);
  EXPECT_EQ(p.columns[6].samples, (std::vector<std::string>{"10 - Extremely likely", "9", "6"}));
}

TEST(MappingImportTest, QualtricsCountsUnderTheProposedMapping) {
  const std::string input = Fixture("qualtrics_text_answers.csv");
  const ImportOptions options = Mapped(MustPropose(input).mapping);
  const Imported r = ImportAll(options, input);
  EXPECT_EQ(r.summary.rows, 6);  // the 2 extra header rows are not rows
  EXPECT_EQ(r.summary.bad_rows, 0);
  // Each skipped row is said, with its line: the question texts (2) and the ImportIds (3).
  std::vector<std::string> skipped;
  for (const ImportError& w : r.summary.warnings) {
    if (w.message == "skipped as a header row (extra_header_rows)") skipped.push_back(w.ToString());
  }
  EXPECT_EQ(skipped,
            (std::vector<std::string>{"line 2: skipped as a header row (extra_header_rows)",
                                      "line 3: skipped as a header row (extra_header_rows)"}));
  EXPECT_EQ(r.summary.from, "2026-11-02");
  EXPECT_EQ(r.summary.to, "2026-12-03");
  ASSERT_FALSE(r.cells.empty());
  const ReportCellInput& all = r.cells[0];
  EXPECT_EQ(all.tally.displays, 6);
  EXPECT_EQ(Q(all, "nps").counts, V({1, 0, 0, 0, 0, 0, 1, 0, 1, 1, 2}));
  EXPECT_EQ(Q(all, "csat").counts, V({1, 1, 0, 1, 2}));
  EXPECT_EQ(Q(all, "csat").skipped, 1);
  EXPECT_EQ(Q(all, "ces").counts, V({1, 1, 0, 1, 1, 1, 1}));
  EXPECT_EQ(Q(all, "q5").answered, 3);
  EXPECT_EQ(Q(all, "q5").skipped, 3);
  const ReportCellInput* en_nov = Cell(r, "English", "2026-11");
  const ReportCellInput* en_dec = Cell(r, "English", "2026-12");
  const ReportCellInput* fa_nov = Cell(r, "فارسی", "2026-11");
  ASSERT_TRUE(en_nov && en_dec && fa_nov);
  EXPECT_EQ(en_nov->tally.displays, 2);  // rows 1, 2: NPS 10, 9
  EXPECT_EQ(Q(*en_nov, "nps").counts, V({0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(en_dec->tally.displays, 2);  // rows 5, 6: NPS 8, 10
  EXPECT_EQ(Q(*en_dec, "nps").counts, V({0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1}));
  EXPECT_EQ(fa_nov->tally.displays, 2);  // rows 3, 4: NPS 6, 0
  EXPECT_EQ(Q(*fa_nov, "nps").counts, V({1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(r.cells.size(), 4u);  // overall + 3 cells
  ExpectSplitIndependent(options, input);
}

TEST(MappingImportTest, UnknownTextAnswerRejectsTheRowWithItsLine) {
  std::string input = Fixture("qualtrics_text_answers.csv");
  input +=
      "2026-12-04 07:00:00,2026-12-04 07:01:00,IP Address,100,True,R_7g,7,Meh,Agree,English,\r\n";
  const Imported r =
      ImportAll(Mapped(MustPropose(Fixture("qualtrics_text_answers.csv")).mapping), input);
  EXPECT_EQ(r.summary.rows, 7);
  EXPECT_EQ(r.summary.bad_rows, 1);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 10: column Q2: \"Meh\" is not a CSAT answer (1-5)");
}

TEST(MappingImportTest, WithoutTheMappingTheHeaderRowsAreBadRows) {
  // Today's behaviour is kept without a mapping: no column is named nps/csat/ces, and the
  // question-text and ImportId rows are data rows (nothing to score, so nothing rejects them).
  const Imported r = ImportAll(ImportOptions(), Fixture("qualtrics_text_answers.csv"));
  EXPECT_EQ(r.summary.rows, 8);
  EXPECT_EQ(r.summary.bad_rows, 0);
  ASSERT_FALSE(r.summary.warnings.empty());
  EXPECT_NE(r.summary.warnings[0].message.find("no column to score"), std::string::npos);
}

// ---- SurveyMonkey: 2 header rows, mm/dd/yyyy with AM/PM ----
// NPS 9, 10, 3, 7, 10 -> counts 3:1 7:1 9:1 10:2; satisfaction 4, 5, 2, 3, (empty); Channel Web
// (rows 1, 3), App (2, 5), Email (4); comments on rows 2 and 3. Months: 11/28, 11/28, 11/30 ->
// 2026-11 x3; 12/02, 12/05 -> 2026-12 x2.

TEST(MappingProposalTest, SurveyMonkeyTwoHeaderRows) {
  const MappingProposal p = MustPropose(Fixture("surveymonkey_two_header_rows.csv"));
  EXPECT_EQ(p.mapping.extra_header_rows, 1);
  EXPECT_EQ(p.rows_sampled, 5);
  EXPECT_EQ(
      Assignments(p.mapping),
      (std::vector<std::string>{"2 date date", "4 question nps nps 11", "5 question csat csat 5",
                                "6 segment channel", "7 text comments"}));
  EXPECT_EQ(p.mapping.date_format.order, DateOrder::kMdy);
  EXPECT_FALSE(p.date_ambiguous);  // 11/28: 28 cannot be a month
  EXPECT_EQ(p.segment_candidates, (std::vector<int>{6}));
  ASSERT_EQ(p.columns.size(), 8u);
  EXPECT_TRUE(p.columns[4].numeric);
  EXPECT_EQ(p.columns[4].min, 3);
  EXPECT_EQ(p.columns[4].max, 10);
  EXPECT_EQ(p.columns[1].proposed.kind, ColumnRoleKind::kIgnore);  // Collector ID: one value
}

TEST(MappingImportTest, SurveyMonkeyCounts) {
  const std::string input = Fixture("surveymonkey_two_header_rows.csv");
  const ImportOptions options = Mapped(MustPropose(input).mapping);
  const Imported r = ImportAll(options, input);
  EXPECT_EQ(r.summary.rows, 5);
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(r.summary.from, "2026-11-28");
  EXPECT_EQ(r.summary.to, "2026-12-05");
  const ReportCellInput& all = r.cells[0];
  EXPECT_EQ(Q(all, "nps").counts, V({0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 2}));
  EXPECT_EQ(Q(all, "csat").counts, V({0, 1, 1, 1, 1}));
  EXPECT_EQ(Q(all, "csat").skipped, 1);
  EXPECT_EQ(Q(all, "comments").answered, 2);
  const ReportCellInput* web = Cell(r, "Web", "2026-11");
  const ReportCellInput* app_nov = Cell(r, "App", "2026-11");
  const ReportCellInput* app_dec = Cell(r, "App", "2026-12");
  const ReportCellInput* email = Cell(r, "Email", "2026-12");
  ASSERT_TRUE(web && app_nov && app_dec && email);
  EXPECT_EQ(web->tally.displays, 2);
  EXPECT_EQ(app_nov->tally.displays, 1);
  EXPECT_EQ(app_dec->tally.displays, 1);
  EXPECT_EQ(email->tally.displays, 1);
  ExpectSplitIndependent(options, input);
}

// ---- Semicolons, Persian digits, Solar Hijri dates ----
// ۱۴۰۵/۰۹/۰۹ = 2026-11-30, 1405/09/10 = 2026-12-01, 1405/08/30 = 2026-11-21 (Aban has 30 days,
// so the day before 1405/09/01 = 2026-11-22), 1405/01/01 = 2026-03-21, 1405/01/02 = 2026-03-22.
// NPS 10, 9, 6, 0, 7; CSAT 5, 4, 3, 1, 2; language fa (rows 1, 2, 4), en (3, 5).

TEST(MappingProposalTest, PersianSemicolonJalali) {
  const MappingProposal p = MustPropose(Fixture("persian_semicolon_jalali.csv"));
  EXPECT_EQ(p.delimiter, ';');
  EXPECT_EQ(p.mapping.extra_header_rows, 0);
  EXPECT_EQ(Assignments(p.mapping),
            (std::vector<std::string>{"0 date date", "1 question nps nps 11",
                                      "2 question csat csat 5", "3 segment "}));
  EXPECT_EQ(p.mapping.date_format.calendar, Calendar::kJalali);
  EXPECT_EQ(p.mapping.date_format.order, DateOrder::kYmd);
  ASSERT_EQ(p.columns.size(), 4u);
  EXPECT_EQ(p.columns[1].reason, "name");  // "امتیاز توصیه"
  EXPECT_EQ(p.columns[2].reason, "name");  // "رضایت"
  EXPECT_EQ(p.columns[1].min, 0);          // Persian digits read
  EXPECT_EQ(p.columns[1].max, 10);
}

TEST(MappingImportTest, PersianJalaliMonthsAndGregorianMonths) {
  const std::string input = Fixture("persian_semicolon_jalali.csv");
  ImportOptions options = Mapped(MustPropose(input).mapping);
  options.calendar = Calendar::kJalali;
  const Imported jalali = ImportAll(options, input);
  EXPECT_EQ(jalali.summary.rows, 5);
  EXPECT_EQ(jalali.summary.bad_rows, 0);
  EXPECT_EQ(jalali.summary.from, "2026-03-21");
  EXPECT_EQ(jalali.summary.to, "2026-12-01");
  const ReportCellInput& all = jalali.cells[0];
  EXPECT_EQ(Q(all, "nps").counts, V({1, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1}));
  EXPECT_EQ(Q(all, "csat").counts, V({1, 1, 1, 1, 1}));
  // Jalali months: 1405-09 rows 1, 2 (fa); 1405-08 row 3 (en); 1405-01 rows 4 (fa), 5 (en).
  const ReportCellInput* fa_azar = Cell(jalali, "fa", "1405-09");
  const ReportCellInput* en_aban = Cell(jalali, "en", "1405-08");
  const ReportCellInput* fa_farvardin = Cell(jalali, "fa", "1405-01");
  const ReportCellInput* en_farvardin = Cell(jalali, "en", "1405-01");
  ASSERT_TRUE(fa_azar && en_aban && fa_farvardin && en_farvardin);
  EXPECT_EQ(fa_azar->tally.displays, 2);
  EXPECT_EQ(en_aban->tally.displays, 1);
  EXPECT_EQ(jalali.cells.size(), 5u);
  // The same days in Gregorian months: 2026-11 rows 1 (11-30) and 3 (11-21); 2026-12 row 2;
  // 2026-03 rows 4, 5.
  options.calendar = Calendar::kGregorian;
  const Imported gregorian = ImportAll(options, input);
  const ReportCellInput* fa_nov = Cell(gregorian, "fa", "2026-11");
  const ReportCellInput* en_nov = Cell(gregorian, "en", "2026-11");
  const ReportCellInput* fa_dec = Cell(gregorian, "fa", "2026-12");
  ASSERT_TRUE(fa_nov && en_nov && fa_dec);
  EXPECT_EQ(fa_nov->tally.displays, 1);
  EXPECT_EQ(en_nov->tally.displays, 1);
  EXPECT_EQ(fa_dec->tally.displays, 1);
  ExpectSplitIndependent(options, input);
}

// ---- UTF-16LE TSV with BOM (spreadsheet "Unicode text") ----
// NPS 10, 3, 8; CSAT 5, 2, (empty); CES 7, (empty), 5; locales en, fa, ar; 2026-11 x2, 2026-12.

std::string ToBigEndian(const std::string& le) {
  std::string be = le;
  for (size_t i = 0; i + 1 < be.size(); i += 2) std::swap(be[i], be[i + 1]);
  return be;
}

TEST(MappingImportTest, Utf16LittleEndianTsvByNameAsToday) {
  const std::string input = Fixture("excel_utf16le.tsv");
  ImportOptions options;
  options.by = "locale";
  options.period = Period::kMonth;
  const Imported r = ImportAll(options, input);
  EXPECT_EQ(r.summary.rows, 3);
  EXPECT_EQ(r.summary.bad_rows, 0) << Describe(r);
  const ReportCellInput& all = r.cells[0];
  EXPECT_EQ(Q(all, "nps").counts, V({0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1}));
  EXPECT_EQ(Q(all, "csat").counts, V({0, 1, 0, 0, 1}));
  EXPECT_EQ(Q(all, "csat").skipped, 1);
  EXPECT_EQ(Q(all, "ces").counts, V({0, 0, 0, 0, 1, 0, 1}));
  const ReportCellInput* fa = Cell(r, "fa", "2026-11");  // decoded from UTF-16: "fa"
  const ReportCellInput* ar = Cell(r, "ar", "2026-12");
  ASSERT_TRUE(fa && ar);
  EXPECT_EQ(Q(*ar, "nps").counts, V({0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}));
  ExpectSplitIndependent(options, input);  // odd splits cut code units and the emoji's pair
  // Big-endian with its BOM reads the same.
  EXPECT_EQ(Describe(ImportAll(options, ToBigEndian(input))), Describe(r));
}

TEST(MappingProposalTest, Utf16TsvProposal) {
  const MappingProposal p = MustPropose(Fixture("excel_utf16le.tsv"));
  EXPECT_EQ(p.encoding, TextEncoding::kUtf16Le);
  EXPECT_EQ(p.delimiter, '\t');
  EXPECT_EQ(
      Assignments(p.mapping),
      (std::vector<std::string>{"0 date date", "1 question nps nps 11", "2 question csat csat 5",
                                "3 question ces ces 7", "5 text comment"}));
  EXPECT_TRUE(p.segment_candidates.empty());  // en, fa, ar: no value repeats
  ASSERT_EQ(p.columns.size(), 6u);
  ASSERT_FALSE(p.columns[5].samples.empty());
  EXPECT_EQ(p.columns[5].samples[0], "great \xF0\x9F\x98\x80");  // the emoji, as UTF-8
  const MappingProposal be = MustPropose(ToBigEndian(Fixture("excel_utf16le.tsv")));
  EXPECT_EQ(be.encoding, TextEncoding::kUtf16Be);
  EXPECT_EQ(Assignments(be.mapping), Assignments(p.mapping));
}

std::string Utf16Le(const std::u16string& s) {
  std::string out = "\xFF\xFE";
  for (char16_t u : s) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  }
  return out;
}

TEST(MappingImportTest, LoneSurrogateIsAClearError) {
  std::u16string text = u"nps\r\n5\r\n";
  text += static_cast<char16_t>(0xD83D);
  text += u"7\r\n9\r\n";
  const Imported r = ImportAll(ImportOptions(), Utf16Le(text));
  EXPECT_EQ(r.summary.rows, 2);  // "5", then the record holding the surrogate
  EXPECT_EQ(r.summary.bad_rows, 1);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 3: invalid UTF-16: a lone high surrogate D83D (not followed by a low one); "
            "the rest of the file is not read");
  EXPECT_EQ(r.cells[0].tally.questions[0].counts, V({0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}));

  std::u16string low = u"nps\n";
  low += static_cast<char16_t>(0xDC00);
  const Imported r2 = ImportAll(ImportOptions(), Utf16Le(low));
  ASSERT_EQ(r2.summary.errors.size(), 1u);
  EXPECT_EQ(r2.summary.errors[0].ToString(),
            "line 2: invalid UTF-16: a lone low surrogate DC00; the rest of the file is not read");

  const Imported odd = ImportAll(ImportOptions(), Utf16Le(u"nps\n5\n") + "7");
  ASSERT_EQ(odd.summary.errors.size(), 1u);
  EXPECT_EQ(odd.summary.errors[0].message,
            "invalid UTF-16: the input ends inside a code unit (an odd number of bytes); the rest "
            "of the file is not read");
  EXPECT_EQ(odd.summary.bad_rows, 1);

  EXPECT_FALSE(ProposeMapping(Utf16Le(low + u"\n1\n")).ok());
  EXPECT_EQ(ProposeMapping(Utf16Le(low + u"\n1\n")).status().message(),
            "line 2: invalid UTF-16: a lone low surrogate DC00");
}

// ---- Google Forms: "Timestamp" m/d/yyyy H:MM:SS ----
// NPS 9, 10, 4, 8, 7 -> counts 4:1 7:1 8:1 9:1 10:1; CSAT 5, 4, 2, 3, 4; CES 6, 7, 3, (empty), 5;
// Country Iran (rows 1, 2), Iraq (3, 5), Germany (4); 2026-11 rows 1, 2, 5; 2026-12 rows 3, 4.

TEST(MappingProposalTest, GoogleFormsTimestamp) {
  const MappingProposal p = MustPropose(Fixture("google_forms.csv"));
  EXPECT_EQ(
      Assignments(p.mapping),
      (std::vector<std::string>{"0 date date", "1 question nps nps 11", "2 question csat csat 5",
                                "3 question ces ces 7", "4 segment country"}));
  EXPECT_EQ(p.mapping.date_format.order, DateOrder::kMdy);
  EXPECT_FALSE(p.date_ambiguous);
  EXPECT_EQ(p.segment_candidates, (std::vector<int>{4}));
}

TEST(MappingImportTest, GoogleFormsCounts) {
  const std::string input = Fixture("google_forms.csv");
  const ImportOptions options = Mapped(MustPropose(input).mapping);
  const Imported r = ImportAll(options, input);
  EXPECT_EQ(r.summary.rows, 5);
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(r.summary.from, "2026-11-05");
  EXPECT_EQ(r.summary.to, "2026-12-10");
  const ReportCellInput& all = r.cells[0];
  EXPECT_EQ(Q(all, "nps").counts, V({0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1}));
  EXPECT_EQ(Q(all, "csat").counts, V({0, 1, 1, 2, 1}));
  EXPECT_EQ(Q(all, "ces").counts, V({0, 0, 1, 0, 1, 1, 1}));
  EXPECT_EQ(Q(all, "ces").skipped, 1);
  const ReportCellInput* iran = Cell(r, "Iran", "2026-11");
  const ReportCellInput* iraq_nov = Cell(r, "Iraq", "2026-11");
  const ReportCellInput* iraq_dec = Cell(r, "Iraq", "2026-12");
  const ReportCellInput* germany = Cell(r, "Germany", "2026-12");
  ASSERT_TRUE(iran && iraq_nov && iraq_dec && germany);
  EXPECT_EQ(iran->tally.displays, 2);
  EXPECT_EQ(iraq_nov->tally.displays, 1);
  ExpectSplitIndependent(options, input);
}

// ---- Smaller cases ----

TEST(MappingProposalTest, AmbiguousDayMonth) {
  const MappingProposal p = MustPropose("when,score\n03/04/2026,9\n05/06/2026,10\n01/02/2026,3\n");
  ASSERT_FALSE(p.mapping.columns.empty());
  EXPECT_EQ(p.mapping.columns[0].kind, ColumnRoleKind::kDate);
  EXPECT_TRUE(p.date_ambiguous);
  ASSERT_EQ(p.columns.size(), 2u);
  EXPECT_EQ(p.columns[1].reason, "values");  // "score" names nothing: 3-10 reads as NPS
  EXPECT_EQ(p.columns[1].proposed.type, QuestionType::kNps);
}

// Review 7, defect 3: a first respondent who skipped the scale question but answered the others
// is data, not an extra header row. Its cells ("en", "late delivery") echo no header name and
// repeat nothing; "en" is a value of its column again later; and its empty cell is in a column of
// scale answers. Imported with the proposal, the four respondents are all counted: NPS 9, 10, 8
// answered and one skipped.
TEST(MappingProposalTest, RespondentWithABlankScaleIsNoHeaderRow) {
  const std::string csv = "nps,locale,comment\n,en,late delivery\n9,fa,ok\n10,en,good\n8,fa,x\n";
  const MappingProposal p = MustPropose(csv);
  EXPECT_EQ(p.mapping.extra_header_rows, 0);
  EXPECT_EQ(p.rows_sampled, 4);
  ImportOptions o;
  o.mapping = p.mapping;
  const Imported r = ImportAll(o, csv);
  EXPECT_EQ(r.summary.rows, 4) << Describe(r);
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_TRUE(r.summary.warnings.empty()) << Describe(r);
  const QuestionTally& nps = Q(r.cells[0], "nps");
  EXPECT_EQ(nps.answered, 3);
  EXPECT_EQ(nps.skipped, 1);
  // A segment value seen only once and a short comment: still data (nothing echoes the header).
  EXPECT_EQ(
      MustPropose("q1,country,why\n,de,slow\n9,fa,ok\n10,en,good\n").mapping.extra_header_rows, 0);
}

// SurveyMonkey with one closed question: its second header row holds one "Response" (nothing
// repeats, nothing echoes a name), above a column of NPS answers.
TEST(MappingProposalTest, SurveyMonkeyWithOneClosedQuestion) {
  const std::string csv =
      "Respondent ID,Start Date,How likely are you to recommend us?,Any comments?\n"
      ",,Response,Open-Ended Response\n"
      "114338475,2026-11-01,9,great\n114338476,2026-11-02,10,\n114338477,2026-11-03,6,slow\n"
      "114338478,2026-11-04,8,ok\n114338479,2026-11-05,3,bad\n";
  const MappingProposal p = MustPropose(csv);
  EXPECT_EQ(p.mapping.extra_header_rows, 1);
  ASSERT_EQ(p.columns.size(), 4u);
  EXPECT_EQ(p.columns[2].proposed.kind, ColumnRoleKind::kQuestion);
  EXPECT_EQ(p.columns[2].proposed.type, QuestionType::kNps);
  ImportOptions o;
  o.mapping = p.mapping;
  const Imported r = ImportAll(o, csv);
  EXPECT_EQ(r.summary.rows, 5) << Describe(r);
  EXPECT_EQ(r.summary.bad_rows, 0) << Describe(r);
  // NPS of 9, 10, 6, 8, 3: two promoters, two detractors.
  const QuestionTally& nps = Q(r.cells[0], p.columns[2].proposed.id);
  EXPECT_EQ(nps.answered, 5);
  EXPECT_EQ(nps.counts[9] + nps.counts[10], 2);
  EXPECT_EQ(nps.counts[3] + nps.counts[6], 2);
}

// A column named as a question keeps its type when most of its values are points of the scale:
// the few that are not (11, "abc") are row errors of the import, each with its line, as without a
// mapping. A named column of mostly other text is no question.
TEST(MappingProposalTest, NamedColumnWithSomeBadAnswersIsStillTheQuestion) {
  const std::string csv =
      "date,nps,csat,NPS comment\n"
      "2026-11-01,9,5,great\n2026-11-02,11,4,slow\n2026-11-03,abc,3,9\n"
      "2026-11-04,7,7,ok\n2026-11-05,10,2,fine\n";
  const MappingProposal p = MustPropose(csv);
  ASSERT_EQ(p.columns.size(), 4u);
  EXPECT_EQ(p.columns[1].proposed.kind, ColumnRoleKind::kQuestion);
  EXPECT_EQ(p.columns[1].proposed.type, QuestionType::kNps);
  EXPECT_EQ(p.columns[1].reason, "name");
  // 5, 4, 3, 2 and one 7: a 7-point CSAT, all five answers on it.
  EXPECT_EQ(p.columns[2].proposed.type, QuestionType::kCsat);
  EXPECT_EQ(p.columns[2].proposed.scale, 7);
  // Four texts and one 9: a comment, not an NPS question.
  EXPECT_NE(p.columns[3].proposed.kind, ColumnRoleKind::kQuestion);
  ImportOptions o;
  o.mapping = p.mapping;
  const Imported r = ImportAll(o, csv);
  // Lines 3 (11) and 4 ("abc") are rejected; 9, 7 and 10 count.
  EXPECT_EQ(r.summary.rows, 5) << Describe(r);
  EXPECT_EQ(r.summary.bad_rows, 2) << Describe(r);
  ASSERT_EQ(r.summary.errors.size(), 2u) << Describe(r);
  EXPECT_EQ(r.summary.errors[0].line, 3);
  EXPECT_EQ(r.summary.errors[1].line, 4);
  const QuestionTally& nps = Q(r.cells[0], p.columns[1].proposed.id);
  EXPECT_EQ(nps.answered, 3);
  EXPECT_EQ(nps.counts[9] + nps.counts[7] + nps.counts[10], 3);
}

// Review 7, defect 4: one value that is no date does not hide a date column, and the dd/mm vs
// mm/dd question stays open (both orders read 03/04/2026 and 05/06/2026).
TEST(MappingProposalTest, DateColumnWithAnNaStillAsks) {
  const MappingProposal p = MustPropose("score,when\n9,03/04/2026\n10,05/06/2026\n7,N/A\n");
  ASSERT_EQ(p.columns.size(), 2u);
  EXPECT_EQ(p.columns[1].proposed.kind, ColumnRoleKind::kDate);
  EXPECT_EQ(p.columns[1].reason, "date");
  EXPECT_TRUE(p.date_ambiguous);
  // More values that are no date than dates: not a date column.
  const MappingProposal q = MustPropose("score,when\n9,03/04/2026\n10,N/A\n7,soon\n");
  EXPECT_EQ(q.columns[1].proposed.kind, ColumnRoleKind::kIgnore);
}

// Review 7, defect 6: a frequency column ("1-2 times") is no CSAT text-answer column, though
// each value starts with a number of the scale.
TEST(MappingProposalTest, NumbersFollowedByTextAreNoAnswers) {
  const MappingProposal p =
      MustPropose("visits,street\n1-2 times,3 Main St\n3-5 times,1 High St\n1-2 times,2 Elm St\n");
  ASSERT_EQ(p.columns.size(), 2u);
  EXPECT_NE(p.columns[0].proposed.kind, ColumnRoleKind::kQuestion);
  EXPECT_NE(p.columns[1].proposed.kind, ColumnRoleKind::kQuestion);
}

// Review 7, defect 8: the proposal splits records as the importer does. `"a"b` has text after
// its closing quote: the importer rejects that record, so it is no sample (the old splitter
// merged it into "ab" and sampled its 9). Column nps's sample is then 10 and 8.
TEST(MappingProposalTest, RecordsTheImporterRejectsAreNoSample) {
  const MappingProposal p = MustPropose("name,nps\n\"a\"b,9\nx,10\ny,8\n");
  EXPECT_EQ(p.rows_sampled, 2);
  ASSERT_EQ(p.columns.size(), 2u);
  EXPECT_TRUE(p.columns[1].numeric);
  EXPECT_EQ(p.columns[1].min, 8);
  EXPECT_EQ(p.columns[1].max, 10);
  EXPECT_EQ(p.columns[1].samples, (std::vector<std::string>{"10", "8"}));
}

// The scale each column would take as each question type (the page's rule, now the core's):
// a: whole numbers up to 3 -> csat 5, rating 3; b: up to 7 -> csat 7, rating 7; c: up to 10 ->
// csat 10, rating 10; d: text -> csat 5, rating 5. NPS is always 11 and CES 7.
TEST(MappingProposalTest, ScalesOfEachTypeInTheJson) {
  const MappingProposal p = MustPropose("a,b,c,d\n1,6,9,x\n3,7,10,y\n2,1,1,z\n");
  const Json j = MappingProposalToJson(p);
  const int expected[4][4] = {{11, 5, 7, 3}, {11, 7, 7, 7}, {11, 10, 7, 10}, {11, 5, 7, 5}};
  ASSERT_EQ(j["columns"].size(), 4u);
  for (size_t col = 0; col < 4; ++col) {
    const Json& scales = j["columns"][col]["scales"];
    EXPECT_EQ(scales["nps"], expected[col][0]) << col;
    EXPECT_EQ(scales["csat"], expected[col][1]) << col;
    EXPECT_EQ(scales["ces"], expected[col][2]) << col;
    EXPECT_EQ(scales["rating"], expected[col][3]) << col;
  }
}

// The usual NPS wordings in fa and ar name the question even when the sample's values alone
// would not (two distinct answers); a column of suggestions is no question.
TEST(MappingProposalTest, PersianAndArabicNpsWordings) {
  for (const std::string header :
       {"چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟",
        "چقدر احتمال دارد ما را به دیگران توصیه کنید؟", "چه احتمالی دارد ما را پيشنهاد کنيد؟",
        "ما مدى احتمال أن توصي بنا لصديق؟", "How likely are you to recommend us to a friend?"}) {
    const MappingProposal p = MustPropose("\"" + header + "\",comment\n9,a\n10,b\n9,c\n");
    ASSERT_EQ(p.columns.size(), 2u) << header;
    EXPECT_EQ(p.columns[0].reason, "name") << header;
    EXPECT_EQ(p.columns[0].proposed.kind, ColumnRoleKind::kQuestion) << header;
    EXPECT_EQ(p.columns[0].proposed.type, QuestionType::kNps) << header;
  }
  const MappingProposal suggestions = MustPropose("پیشنهادات شما,nps\n3,9\n7,10\n1,8\n");
  ASSERT_EQ(suggestions.columns.size(), 2u);
  EXPECT_NE(suggestions.columns[0].reason, "name");
  EXPECT_NE(suggestions.columns[0].proposed.type, QuestionType::kNps);
}

TEST(MappingProposalTest, ValueRangesWithoutNames) {
  // a: 1-5 -> CSAT; b: 1-7 with a 6 -> CES; c: 0/1 only -> nothing (too few values);
  // d: 1, 2 repeated -> segment candidate (2 distinct), e: x, y, z, x -> candidate (3).
  const MappingProposal p = MustPropose("a,b,c,d,e\n1,6,0,1,x\n3,2,1,2,y\n5,1,0,1,z\n4,7,1,2,x\n");
  EXPECT_EQ(Assignments(p.mapping),
            (std::vector<std::string>{"0 question csat csat 5", "1 question ces ces 7"}));
  EXPECT_EQ(p.segment_candidates, (std::vector<int>{2, 3, 4}));
  ASSERT_EQ(p.columns.size(), 5u);
  EXPECT_EQ(p.columns[4].reason, "few_values");
}

TEST(MappingProposalTest, NdjsonKeysAreColumns) {
  const MappingProposal p = MustPropose(
      "{\"nps\":9,\"when\":\"2026-11-30\"}\n{\"nps\":3,\"when\":\"2026-11-29\",\"x\":1}\n");
  EXPECT_EQ(p.format, ImportFormat::kNdjson);
  EXPECT_EQ(Assignments(p.mapping),
            (std::vector<std::string>{"0 question nps nps 11", "1 date date"}));
  ASSERT_EQ(p.mapping.columns.size(), 2u);
  EXPECT_EQ(p.mapping.columns[1].name, "when");
  // The importer matches NDJSON keys by the assignment's name.
  ImportOptions options;
  options.format = ImportFormat::kNdjson;
  options.mapping = p.mapping;
  options.period = Period::kDay;
  const Imported r = ImportAll(options, "{\"nps\":9,\"when\":\"2026-11-30\"}\n");
  EXPECT_EQ(r.summary.bad_rows, 0);
  ASSERT_EQ(r.cells.size(), 2u);
  EXPECT_EQ(r.cells[1].period, "2026-11-30");
}

TEST(MappingProposalTest, EmptyHeadIsAnError) {
  EXPECT_EQ(ProposeMapping("").status().message(), "no header row");
  EXPECT_EQ(ProposeMapping("\n\n").status().message(), "no header row");
  EXPECT_EQ(ProposeMapping("{").status().message(), "no JSON object in the first lines");
}

TEST(MappingImportTest, RepeatedHeadersMappedByIndex) {
  ColumnMapping m;
  m.columns.push_back({0, ColumnRoleKind::kQuestion, "first", QuestionType::kNps, 11, "Q"});
  m.columns.push_back({2, ColumnRoleKind::kQuestion, "third", QuestionType::kCsat, 5, "Q"});
  ImportOptions o;
  o.mapping = m;
  const Imported r = ImportAll(o, "Q,Q,Q\n10,x,4\n0,y,\n");
  EXPECT_EQ(r.summary.rows, 2);
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_TRUE(r.summary.warnings.empty()) << Describe(r);  // no "appears more than once"
  EXPECT_EQ(Q(r.cells[0], "first").counts, V({1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(Q(r.cells[0], "third").counts, V({0, 0, 0, 1, 0}));
  EXPECT_EQ(Q(r.cells[0], "third").skipped, 1);
}

TEST(MappingImportTest, MappedColumnBeyondTheHeaderWarns) {
  ColumnMapping m;
  m.columns.push_back({4, ColumnRoleKind::kQuestion, "nps", QuestionType::kNps, 11, ""});
  ImportOptions o;
  o.mapping = m;
  const Imported r = ImportAll(o, "a,b\n1,2\n");
  ASSERT_EQ(r.summary.warnings.size(), 1u);
  EXPECT_EQ(r.summary.warnings[0].ToString(),
            "line 1: mapped column 5 (question nps) is not in the header (2 columns)");
}

// Review 7, defect 5: without a date format, 1405-09-09 (2026-11-30) and 1405-10-01 (Dey 1 =
// 2026-12-22: 1405-01-01 is 2026-03-21, plus 6 * 31 + 3 * 30 = 276 days) are Solar Hijri, not
// days of the year 1405 AD; the first one read so is said once.
TEST(MappingImportTest, IsoStyleSolarHijriWithoutAFormat) {
  ImportOptions o;
  o.period = Period::kMonth;
  const Imported r = ImportAll(o, "date,nps\n1405-09-09,9\n1405-10-01,7\n");
  EXPECT_EQ(r.summary.bad_rows, 0) << Describe(r);
  EXPECT_EQ(r.summary.from, "2026-11-30");
  EXPECT_EQ(r.summary.to, "2026-12-22");
  ASSERT_EQ(r.cells.size(), 3u) << Describe(r);  // overall, 2026-11, 2026-12
  EXPECT_EQ(r.cells[1].period, "2026-11");
  EXPECT_EQ(r.cells[2].period, "2026-12");
  ASSERT_EQ(r.summary.warnings.size(), 1u) << Describe(r);
  EXPECT_EQ(r.summary.warnings[0].ToString(),
            "line 2: column date: \"1405-09-09\" is read as a Solar Hijri date (a year of "
            "1278-1499); give a date format to read the column otherwise");
}

// Years outside a calendar's plausible range are row errors with their line: 0000-01-01 without
// a format, 2026/03/04 under jalali.
TEST(MappingImportTest, ImplausibleYearsAreRowErrors) {
  const Imported r = ImportAll(ImportOptions(), "date,nps\n0000-01-01,9\n2026-01-01,8\n");
  EXPECT_EQ(r.summary.bad_rows, 1);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 2: column date: \"0000-01-01\" is not a date (YYYY-MM-DD, years 1900-2199, or "
            "Solar Hijri 1278-1499)");
  ImportOptions jalali;
  jalali.date_format = DateFormat{DateOrder::kYmd, Calendar::kJalali};
  const Imported j = ImportAll(jalali, "date,nps\n1405/09/09,9\n2026/03/04,8\n");
  EXPECT_EQ(j.summary.bad_rows, 1);
  ASSERT_EQ(j.summary.errors.size(), 1u);
  EXPECT_EQ(j.summary.errors[0].ToString(),
            "line 3: column date: \"2026/03/04\" is not a date (jalali, years 1278-1577)");
}

// Review 7, 11: a malformed extra header row (text after a closing quote) is skipped whole: no
// row error, only the note that it was skipped; the one data row counts.
TEST(MappingImportTest, SkippedHeaderRowAddsNoFieldErrors) {
  ColumnMapping m;
  m.columns.push_back({0, ColumnRoleKind::kQuestion, "nps", QuestionType::kNps, 11, "nps"});
  m.extra_header_rows = 1;
  ImportOptions o;
  o.mapping = m;
  const Imported r = ImportAll(o, "nps,b\n\"x\"y,z\n9,1\n");
  EXPECT_EQ(r.summary.rows, 1);
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_TRUE(r.summary.errors.empty()) << Describe(r);
  ASSERT_EQ(r.summary.warnings.size(), 1u) << Describe(r);
  EXPECT_EQ(r.summary.warnings[0].ToString(),
            "line 2: skipped as a header row (extra_header_rows)");
}

// Review 7, 11: NDJSON is read by key, so a mapped column without "name" feeds nothing: said.
TEST(MappingImportTest, NdjsonAssignmentWithoutNameWarns) {
  ColumnMapping m;
  m.columns.push_back({0, ColumnRoleKind::kQuestion, "nps", QuestionType::kNps, 11, ""});
  m.columns.push_back({1, ColumnRoleKind::kQuestion, "csat", QuestionType::kCsat, 5, "sat"});
  ImportOptions o;
  o.format = ImportFormat::kNdjson;
  o.mapping = m;
  const Imported r = ImportAll(o, "{\"nps\":9,\"sat\":4}\n");
  ASSERT_EQ(r.summary.warnings.size(), 1u) << Describe(r);
  EXPECT_EQ(r.summary.warnings[0].ToString(),
            "mapped column 1 (question nps) has no \"name\": NDJSON records are read by key; "
            "ignored");
  EXPECT_EQ(Q(r.cells[0], "csat").answered, 1);
}

TEST(MappingImportTest, DateFormatErrorNamesTheFormat) {
  ColumnMapping m;
  m.columns.push_back({0, ColumnRoleKind::kDate, "", QuestionType::kNps, 0, "d"});
  m.columns.push_back({1, ColumnRoleKind::kQuestion, "nps", QuestionType::kNps, 11, "n"});
  m.date_format.order = DateOrder::kDmy;
  ImportOptions o = Mapped(m);
  const Imported r = ImportAll(o, "d,n\n30/11/2026,9\n2026-11-30,9\n");
  EXPECT_EQ(r.summary.bad_rows, 1);
  ASSERT_EQ(r.summary.errors.size(), 1u);
  EXPECT_EQ(r.summary.errors[0].ToString(),
            "line 3: column d: \"2026-11-30\" is not a date (dmy, years 1900-2199)");
  EXPECT_EQ(r.summary.from, "2026-11-30");
}

TEST(MappingImportTest, SkipRowsAndDateFormatWithoutAMapping) {
  // Names matched as today; the row after the header is not data; dates day-first.
  ImportOptions o;
  o.extra_header_rows = 1;
  o.date_format = DateFormat{DateOrder::kDmy, Calendar::kGregorian};
  o.period = Period::kMonth;
  const Imported r = ImportAll(o, "date,nps\nWhen?,How likely?\n01/12/2026,10\n30/11/2026,2\n");
  EXPECT_EQ(r.summary.rows, 2);
  EXPECT_EQ(r.summary.bad_rows, 0) << Describe(r);
  EXPECT_EQ(r.summary.from, "2026-11-30");
  EXPECT_EQ(r.summary.to, "2026-12-01");
  // Without skipping, the question row is a bad row (as today).
  const Imported today = ImportAll(ImportOptions(), "nps\nHow likely?\n10\n");
  EXPECT_EQ(today.summary.rows, 2);
  EXPECT_EQ(today.summary.bad_rows, 1);
}

TEST(MappingImportTest, JalaliPeriodsOfIsoDates) {
  // 2026-11-30 = 1405-09-09 and 2026-11-22 = 1405-09-01 (Azar); 2026-11-21 = 1405-08-30 (Aban);
  // 2026-03-21 = 1405-01-01; 2026-03-20 = 1404-12-29 (Esfand of 1404, a common year).
  ImportOptions o;
  o.period = Period::kMonth;
  o.calendar = Calendar::kJalali;
  const std::string input =
      "date,nps\n2026-11-30,10\n2026-11-22,9\n2026-11-21,0\n2026-03-21,5\n2026-03-20,6\n";
  const Imported r = ImportAll(o, input);
  std::vector<std::string> periods;
  std::vector<int64_t> displays;
  for (size_t i = 1; i < r.cells.size(); ++i) {
    periods.push_back(r.cells[i].period);
    displays.push_back(r.cells[i].tally.displays);
  }
  EXPECT_EQ(periods, (std::vector<std::string>{"1404-12", "1405-01", "1405-08", "1405-09"}));
  EXPECT_EQ(displays, (std::vector<int64_t>{1, 1, 1, 2}));
  o.period = Period::kWeek;  // 2026-11-30 is a Monday: its week starts Saturday 1405-09-07
  const Imported weeks = ImportAll(o, "date,nps\n2026-11-30,10\n2026-11-28,9\n2026-11-27,1\n");
  ASSERT_EQ(weeks.cells.size(), 3u);
  EXPECT_EQ(weeks.cells[1].period, "1405-08-30/W");  // Friday 2026-11-27: the week before
  EXPECT_EQ(weeks.cells[2].period, "1405-09-07/W");
  EXPECT_EQ(weeks.cells[2].tally.displays, 2);
}

TEST(MappingImportTest, ExplicitMappingMatchesTheNamePath) {
  // A peer: the same file read by names (today's path) and by an explicit mapping of the same
  // columns gives the same cells, segment x month included.
  std::ifstream in(std::string(NAZAR_FIXTURES_DIR) + "/responses/nps_50_30_20.csv",
                   std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string input = buffer.str();
  ImportOptions by_name;
  by_name.by = "channel";
  by_name.period = Period::kMonth;
  ColumnMapping m;
  m.columns.push_back({0, ColumnRoleKind::kDate, "", QuestionType::kNps, 0, "date"});
  m.columns.push_back({1, ColumnRoleKind::kQuestion, "nps", QuestionType::kNps, 11, ""});
  m.columns.push_back({2, ColumnRoleKind::kQuestion, "csat", QuestionType::kCsat, 5, ""});
  m.columns.push_back({3, ColumnRoleKind::kQuestion, "ces", QuestionType::kCes, 7, ""});
  m.columns.push_back({4, ColumnRoleKind::kSegment, "channel", QuestionType::kNps, 0, ""});
  ImportOptions mapped = Mapped(m);
  const Imported a = ImportAll(by_name, input);
  EXPECT_EQ(a.summary.rows, 100);
  EXPECT_EQ(Describe(ImportAll(mapped, input)), Describe(a));
}

// ---- The mapping JSON ----

TEST(ColumnMappingJsonTest, RoundTripAndProposalAccepted) {
  const MappingProposal p = MustPropose(Fixture("surveymonkey_two_header_rows.csv"));
  const Json json = MappingProposalToJson(p);
  EXPECT_EQ(json["format"], "csv");
  EXPECT_EQ(json["encoding"], "utf-8");
  EXPECT_EQ(json["delimiter"], ",");
  EXPECT_EQ(json["rows_sampled"], 5);
  EXPECT_EQ(json["segment_candidates"], Json::parse("[6]"));
  EXPECT_EQ(json["mapping"]["extra_header_rows"], 1);
  EXPECT_EQ(json["mapping"]["date_format"], "mdy");
  ASSERT_EQ(json["mapping"]["columns"].size(), 5u);
  EXPECT_EQ(json["mapping"]["columns"][1],
            Json::parse(R"({"column":4,"kind":"question","id":"nps","type":"nps","scale":11,
              "name":"How likely is it that you would recommend us to a friend or colleague?"})"));
  ASSERT_EQ(json["columns"].size(), 8u);
  EXPECT_EQ(json["columns"][4]["reason"], "name");
  EXPECT_EQ(json["columns"][4]["min"], 3);
  EXPECT_FALSE(json["columns"][2].contains("min"));  // not numeric
  // The whole proposal reads as its mapping; the mapping reads as itself.
  for (const Json& in : {json, json["mapping"]}) {
    Result<ColumnMapping> m = ColumnMappingFromJson(in);
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(Assignments(*m), Assignments(p.mapping));
    EXPECT_EQ(m->extra_header_rows, 1);
    EXPECT_EQ(m->date_format.order, DateOrder::kMdy);
  }
}

TEST(ColumnMappingJsonTest, ErrorsNameAPointer) {
  auto error = [](const char* text) {
    Result<ColumnMapping> m = ColumnMappingFromJson(Json::parse(text));
    return m.ok() ? std::string("ok") : m.status().message();
  };
  EXPECT_EQ(error("[]"), "/: expected an object {\"columns\": [...]}");
  EXPECT_EQ(error("{}"), "/columns: expected an array of column assignments");
  EXPECT_EQ(error(R"({"columns":[{"kind":"date"}]})"),
            "/columns/0/column: missing (a 0-based column index)");
  EXPECT_EQ(error(R"({"columns":[{"column":-1,"kind":"date"}]})"),
            "/columns/0/column: -1 is not a column index (0-9999)");
  EXPECT_EQ(error(R"({"columns":[{"column":0,"kind":"bogus"}]})"),
            "/columns/0/kind: \"bogus\" is not a column kind (use ignore, question, date, "
            "segment or text)");
  EXPECT_EQ(error(R"({"columns":[{"column":0,"kind":"question","type":"nps"}]})"),
            "/columns/0/id: a question needs an id");
  EXPECT_EQ(error(R"({"columns":[{"column":0,"kind":"question","id":"q","type":"choice"}]})"),
            "/columns/0/type: \"choice\" is not a scale type (use nps, csat, ces or rating)");
  EXPECT_EQ(error(R"({"columns":[{"column":0,"kind":"question","id":"q","type":"ces",
                    "scale":6}]})"),
            "/columns/0/scale: 6 is not a valid scale for ces (use 5 or 7)");
  EXPECT_EQ(error(R"({"columns":[{"column":0,"kind":"question","id":"q","type":"rating"}]})"),
            "/columns/0/scale: missing (a rating needs its points, 3-10)");
  EXPECT_EQ(error(R"({"columns":[{"column":1,"kind":"date"},{"column":1,"kind":"segment"}]})"),
            "/columns/1/column: column 1 is mapped twice");
  EXPECT_EQ(error(R"({"columns":[{"column":1,"kind":"date"},{"column":2,"kind":"date"}]})"),
            "/columns/1/kind: a second date column (one is read)");
  EXPECT_EQ(error(R"({"columns":[{"column":1,"kind":"text","id":"a"},
                    {"column":2,"kind":"question","id":"a","type":"nps"}]})"),
            "/columns/1/id: \"a\" is the id of another column");
  EXPECT_EQ(error(R"({"columns":[],"extra_header_rows":6})"),
            "/extra_header_rows: 6 is not a number of rows (0-5)");
  EXPECT_EQ(error(R"({"columns":[],"date_format":"yyyy-mm-dd"})"),
            "/date_format: \"yyyy-mm-dd\" is not a date format (use ymd, dmy, mdy or jalali)");
  EXPECT_EQ(error(R"({"mapping":{"columns":[{"column":0,"kind":1}]}})"),
            "/mapping/columns/0/kind: 1 is not a column kind (use ignore, question, date, "
            "segment or text)");
  // Defaults: nps 11, csat 5, ces 7; "jalali" and "iso" formats.
  Result<ColumnMapping> m = ColumnMappingFromJson(Json::parse(
      R"({"columns":[{"column":0,"kind":"question","id":"a","type":"csat"},
                     {"column":3,"kind":"question","id":"b","type":"ces"}],
          "date_format":"jalali"})"));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->columns[0].scale, 5);
  EXPECT_EQ(m->columns[1].scale, 7);
  EXPECT_EQ(m->date_format.calendar, Calendar::kJalali);
}

}  // namespace
}  // namespace nazar
