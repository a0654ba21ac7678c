// One file imported in two parts (ResponseImporter::FeedHeader, AtRecordBoundary, ExportState,
// Absorb): split at every byte offset, the merged import must print exactly what one import of
// the whole file prints, and merge exactly at the record boundaries the fixtures mark by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nazar/import.h"
#include "nazar/score.h"

namespace nazar {
namespace {

// A fixture built from pieces, each marked by hand with whether a record boundary follows it
// (false: the piece ends inside a quoted field or a record a stray quote keeps open).
struct Piece {
  std::string text;
  bool boundary_after;
};

struct Fixture {
  std::string bytes;
  std::set<size_t> boundaries;  // offsets where a second part may start
};

Fixture Build(const std::vector<Piece>& pieces) {
  Fixture f;
  for (const Piece& p : pieces) {
    f.bytes += p.text;
    if (p.boundary_after) f.boundaries.insert(f.bytes.size());
  }
  return f;
}

// The whole result as the analyze module answers with it (equal texts, equal results).
std::string Render(const ScoreResult& r) { return ScoreResultToJsonText(r); }

std::string Serial(const ScoreOptions& o, const std::string& file) {
  ResponseScorer s(o);
  s.Feed(file);
  return Render(s.Finish());
}

// The file split at `b`: the first part [0, b) in two feeds; when it ends at a record boundary a
// continuation reads the header and [b, end) and is absorbed, else the first part reads on.
struct Split {
  bool merged = false;
  std::string json;
};

Split SplitAt(const ScoreOptions& o, const std::string& file, size_t b) {
  ResponseScorer first(o);
  // The first feed holds what the format is sniffed from (16 bytes), as a reader's first chunk.
  const size_t cut = std::max(b / 2, std::min<size_t>(b, 16));
  first.Feed(file.substr(0, cut));
  first.Feed(file.substr(cut, b - cut));
  Split out;
  if (first.AtRecordBoundary()) {
    ResponseScorer second(o);
    const std::optional<size_t> header = second.FeedHeader(file);
    if (header && *header <= b) {
      const std::string rest = file.substr(b);
      second.Feed(rest.substr(0, rest.size() / 3));
      second.Feed(rest.substr(rest.size() / 3));
      Result<std::string> state = second.ExportState();
      EXPECT_TRUE(state.ok()) << state.status().message();
      out.merged = state.ok() && first.Absorb(state.value()).ok();
    }
  }
  if (!out.merged) first.Feed(file.substr(b));
  out.json = Render(first.Finish());
  return out;
}

// Every offset 0..size: the result equals the serial import's, and the merge happened exactly at
// the boundaries the fixture marks (past `header_end`, where a continuation can start).
void ExpectEverySplitIsSerial(const ScoreOptions& o, const Fixture& f, size_t header_end) {
  const std::string serial = Serial(o, f.bytes);
  size_t merges = 0;
  for (size_t b = 0; b <= f.bytes.size(); ++b) {
    const Split split = SplitAt(o, f.bytes, b);
    ASSERT_EQ(split.json, serial) << "split at byte " << b;
    const bool expected = b >= header_end && f.boundaries.count(b) > 0;
    EXPECT_EQ(split.merged, expected) << "split at byte " << b;
    merges += split.merged;
  }
  EXPECT_GE(merges, 5u);
}

ScoreOptions Options(ImportFormat format, const std::string& by, std::optional<Period> period) {
  ScoreOptions o;
  o.import.format = format;
  o.import.by = by;
  o.import.period = period;
  o.report.suppress = false;
  return o;
}

TEST(ImportMergeTest, CsvSplitAtEveryOffsetEqualsOneImport) {
  // BOM, CRLF, quoted delimiters, doubled quotes, line ends inside quotes, bad rows in both
  // halves (more than 20 in all, so the list is cut), a stray quote read again later, a Solar
  // Hijri date in each half (said once), a segment that is not UTF-8, blank lines.
  std::vector<Piece> pieces = {
      {"\xEF\xBB\xBF"
       "date,nps,comment,locale\r\n",
       true},
      {"2026-01-05,9,\"fine, really\",en\r\n", true},
      {"2026-01-06,10,\"said \"\"wow\"\"\",fa\r\n", true},
      {"2026-02-01,3,\"two\r\n", false},
      {"lines\",en\r\n", true},
      {"\r\n", true},
      {"1405-09-09,7,,ar\r\n", true},
      {"2026-02-03,11,out of range,en\r\n", true},
      {"2026-02-04,8,x\r\n", true},
  };
  for (int i = 0; i < 12; ++i) {
    pieces.push_back({"2026-03-0" + std::to_string(1 + i % 9) + "," + std::to_string(i % 11) +
                          ",c" + std::to_string(i) + ",\"l\xFF" + std::to_string(i % 3) + "\"\r\n",
                      true});
    if (i % 4 == 1) pieces.push_back({"2026-03-01,99,bad,en\r\n", true});
  }
  pieces.push_back({"2026-04-01,5,\"stray,en\r\n", false});
  pieces.push_back({"2026-04-02,6,plain,fa\r\n", false});
  pieces.push_back({"2026-04-03,\"7\"x,en\r\n", true});  // closes the stray quote: read again
  pieces.push_back({"1405-10-01,4,\"multi\nline\nnote\",fa\n", true});
  for (int i = 0; i < 15; ++i) pieces.push_back({"nodate,5,x,en\n", true});
  pieces.push_back({"2026-05-01,6,last,en", false});  // no line end at the end
  const Fixture f = Build(pieces);
  const size_t header_end = pieces[0].text.size();
  ExpectEverySplitIsSerial(Options(ImportFormat::kCsv, "locale", Period::kMonth), f, header_end);
  ExpectEverySplitIsSerial(Options(ImportFormat::kCsv, "", std::nullopt), f, header_end);
}

// A header ending in a lone CR (a record ends there too): the continuation, which reads the
// head line by line up to a "\n", would also count the data records before that line end, which
// the first part counts. It refuses, and every split gives the one import (5 rows, not 8).
TEST(ImportMergeTest, AHeaderEndingInALoneCrIsNotContinued) {
  const std::string file = "nps\r9\r10\r8\n7\n6\n5\n4\n";
  const ScoreOptions o = Options(ImportFormat::kCsv, "", std::nullopt);
  const std::string serial = Serial(o, file);
  ASSERT_NE(serial.find("\"rows\":7"), std::string::npos) << serial;
  for (size_t b = 0; b <= file.size(); ++b) {
    const Split split = SplitAt(o, file, b);
    ASSERT_EQ(split.json, serial) << "split at byte " << b;
    EXPECT_FALSE(split.merged) << "split at byte " << b;
  }
  ResponseScorer second(o);
  EXPECT_FALSE(second.FeedHeader(file).has_value());
}

TEST(ImportMergeTest, CsvExtraHeaderRowsAreReadOnceAndTheirWarningsNotRepeated) {
  // Two extra header rows (one with a line end inside quotes), semicolons, LF.
  const std::vector<Piece> pieces = {
      {"nps;csat;ces;team\n", false},
      {"\"How likely\nto recommend\";Satisfied?;Effort;Team\n", false},
      {"{\"ImportId\":\"q1\"};x;y;z\n", true},
      {"9;5;1;a\n", true},
      {"0;1;7;b\n", true},
      {"10;6;2;a\n", true},
      {"4;3;;\"b\"\n", true},
      {"7;2;3;c;extra\n", true},
      {"8;4;4;a\n", true},
  };
  const Fixture f = Build(pieces);
  ScoreOptions o = Options(ImportFormat::kCsv, "team", std::nullopt);
  o.import.extra_header_rows = 2;
  const size_t header_end = pieces[0].text.size() + pieces[1].text.size() + pieces[2].text.size();
  ExpectEverySplitIsSerial(o, f, header_end);
}

TEST(ImportMergeTest, NdjsonSplitAtEveryOffsetEqualsOneImport) {
  // The segment key and "ces" occur only in the second half: one import warns about neither, and
  // reports ces. Bad JSON, a duplicate key, blank lines, a Solar Hijri date in each half.
  std::vector<Piece> pieces = {
      {"\xEF\xBB\xBF", true},  // after the BOM a record starts
      {"{\"nps\":9,\"date\":\"2026-01-05\"}\n", true},
      {"{\"nps\":10,\"date\":\"1405-09-09\"}\n", true},
      {"\n", true},
      {"{\"nps\":\"x\"}\n", true},
      {"{\"nps\":3,\"nps\":4}\n", true},
      {"not json\n", true},
  };
  for (int i = 0; i < 8; ++i) {
    pieces.push_back({"{\"nps\":" + std::to_string(i) + ",\"ces\":" + std::to_string(1 + i % 7) +
                          ",\"date\":\"2026-02-0" + std::to_string(1 + i) + "\",\"locale\":\"" +
                          (i % 2 ? "en" : "fa") + "\"}\n",
                      true});
  }
  pieces.push_back({"{\"nps\":5,\"date\":\"1405-11-01\"}\n", true});
  pieces.push_back({"{\"nps\":12}\n", true});
  pieces.push_back({"{\"nps\":1}", false});
  const Fixture f = Build(pieces);
  ExpectEverySplitIsSerial(Options(ImportFormat::kNdjson, "locale", Period::kMonth), f, 0);
  ExpectEverySplitIsSerial(Options(ImportFormat::kNdjson, "", Period::kWeek), f, 0);
}

// Options and the two halves of a file whose segments reach the cap only together.
struct Capped {
  std::string header = "nps,seg\n";
  std::string first, second;
};

Capped SegmentsOverTheCapTogether() {
  Capped c;
  for (int i = 0; i < ImportOptions::kMaxSegments; ++i) {
    c.first += std::to_string(i % 11) + ",a" + std::to_string(i) + "\n";
  }
  for (int i = 0; i < 10; ++i) c.second += std::to_string(i) + ",b" + std::to_string(i) + "\n";
  return c;
}

TEST(ImportMergeTest, CapReachedTogetherRefusesTheMergeAndFeedingOnGivesOneImport) {
  const Capped c = SegmentsOverTheCapTogether();
  const ScoreOptions o = Options(ImportFormat::kCsv, "seg", std::nullopt);
  const std::string file = c.header + c.first + c.second;
  ResponseScorer first(o);
  first.Feed(c.header + c.first);
  ASSERT_TRUE(first.AtRecordBoundary());
  ResponseScorer second(o);
  ASSERT_EQ(second.FeedHeader(file), std::optional<size_t>(c.header.size()));
  second.Feed(c.second);
  Result<std::string> state = second.ExportState();
  ASSERT_TRUE(state.ok());
  // Neither part folded a value, but one import folds the ten "b" segments into "(other)".
  const Status absorbed = first.Absorb(state.value());
  EXPECT_EQ(absorbed.code(), StatusCode::kFailedPrecondition);
  first.Feed(c.second);
  const std::string merged = Render(first.Finish());
  EXPECT_EQ(merged, Serial(o, file));
  EXPECT_NE(merged.find("(other)"), std::string::npos);
}

TEST(ImportMergeTest, CapReachedInOnePartRefusesTheMerge) {
  const Capped c = SegmentsOverTheCapTogether();
  const ScoreOptions o = Options(ImportFormat::kCsv, "seg", std::nullopt);
  ResponseScorer first(o);
  first.Feed(c.header + c.second);
  ResponseScorer second(o);
  ASSERT_TRUE(second.FeedHeader(c.header).has_value());
  second.Feed(c.first + "1,zz\n");  // 1001 distinct values: the second part folds one
  Result<std::string> state = second.ExportState();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(first.Absorb(state.value()).code(), StatusCode::kFailedPrecondition);
}

TEST(ImportMergeTest, SplitAtALineEndInsideQuotesIsNoBoundary) {
  const std::string file = "nps,comment\n9,\"one\ntwo\"\n7,x\n";
  const size_t inside = file.find("one\n") + 4;  // just after the quoted line end
  const ScoreOptions o = Options(ImportFormat::kCsv, "", std::nullopt);
  ResponseScorer first(o);
  first.Feed(file.substr(0, inside));
  EXPECT_FALSE(first.AtRecordBoundary());
  // The speculation failed: a continuation from there reads "two\"" as a record of its own.
  ResponseScorer second(o);
  ASSERT_TRUE(second.FeedHeader(file).has_value());
  second.Feed(file.substr(inside));
  Result<std::string> state = second.ExportState();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(first.Absorb(state.value()).code(), StatusCode::kFailedPrecondition);
  first.Feed(file.substr(inside));
  const ScoreResult r = first.Finish();
  EXPECT_EQ(r.summary.rows, 2);
  EXPECT_EQ(r.summary.bad_rows, 0);
  EXPECT_EQ(Render(r), Serial(o, file));
}

TEST(ImportMergeTest, LineNumbersOfTheSecondPartAreTheFilesLines) {
  // Hand-counted: the header is line 1, the quoted comment spans lines 3-4, the bad rows are on
  // lines 6 and 8 (the second part), the stray quote on line 8 resumes at line 9.
  const std::string first_part = "nps,comment\n9,a\n8,\"x\ny\"\n";
  const std::string second_part = "7,b\n11,c\n6,d\n5,\"oops\n4,e\"z\n3,f\n";
  const ScoreOptions o = Options(ImportFormat::kCsv, "", std::nullopt);
  ResponseScorer first(o);
  first.Feed(first_part);
  ResponseScorer second(o);
  ASSERT_EQ(second.FeedHeader(first_part + second_part), std::optional<size_t>(12));
  second.Feed(second_part);
  Result<std::string> state = second.ExportState();
  ASSERT_TRUE(state.ok());
  ASSERT_TRUE(first.Absorb(state.value()).ok());
  const ScoreResult r = first.Finish();
  ASSERT_EQ(r.summary.errors.size(), 2u);
  EXPECT_EQ(r.summary.errors[0].line, 6);
  EXPECT_EQ(r.summary.errors[1].line, 8);
  EXPECT_NE(r.summary.errors[1].message.find("reading resumes at line 9"), std::string::npos)
      << r.summary.errors[1].message;
  EXPECT_EQ(r.summary.rows, 8);  // 9, 8, 7, 11, 6, the broken one, 4, 3
  EXPECT_EQ(r.summary.bad_rows, 2);
}

// The state of a continuation fed `part` after the header of `head` (import_state.h's bytes).
std::string StateOf(const ScoreOptions& o, const std::string& head, const std::string& part) {
  ResponseScorer second(o);
  EXPECT_TRUE(second.FeedHeader(head).has_value());
  second.Feed(part);
  Result<std::string> state = second.ExportState();
  EXPECT_TRUE(state.ok()) << state.status().message();
  return state.ok() ? state.value() : std::string();
}

TEST(ImportMergeTest, MalformedStateIsRejectedAndChangesNothing) {
  const ScoreOptions o = Options(ImportFormat::kCsv, "", std::nullopt);
  ResponseScorer first(o);
  first.Feed("nps\n9\n");
  auto rejected = [&](const std::string& state, const std::string& says) {
    const Status s = first.Absorb(state);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
    EXPECT_NE(s.message().find(says), std::string::npos) << s.message() << " / " << says;
  };
  rejected("not a state", "no \"NZS\"");
  rejected("{\"format\":\"csv\",\"first_line\":2}", "no \"NZS\"");  // the JSON it once was
  // A good state cut short anywhere, or with a byte after its end.
  const std::string good = StateOf(o, "nps\n", "7\n");
  for (size_t n = 0; n < good.size(); ++n) rejected(good.substr(0, n), "import state: ");
  rejected(good + "\n", "bytes after the end");
  // Another format's, another header's, other options'.
  ScoreOptions nd = Options(ImportFormat::kNdjson, "", std::nullopt);
  rejected(StateOf(nd, "{\"nps\":1}\n", "{\"nps\":2}\n"), "of a ndjson import, not csv");
  rejected(StateOf(o, "nps,csat\n", "7,4\n"), "another header (2 columns, this one 1)");
  rejected(StateOf(Options(ImportFormat::kCsv, "nps", std::nullopt), "nps\n", "7\n"),
           "of an import with other options (by=nps;period=none;calendar=0, this one "
           "by=;period=none;calendar=0)");
  // None of it changed anything, and the good state is still taken.
  ASSERT_TRUE(first.Absorb(good).ok());
  EXPECT_EQ(Render(first.Finish()), Serial(o, "nps\n9\n7\n"));
}

TEST(ImportMergeTest, Utf16AndAnIncompleteHeaderAreNotSplit) {
  ResponseScorer utf16(Options(ImportFormat::kCsv, "", std::nullopt));
  EXPECT_FALSE(utf16.FeedHeader(std::string("\xFF\xFEn\0p\0s\0\n\0", 10)).has_value());
  ResponseScorer partial(Options(ImportFormat::kCsv, "", std::nullopt));
  EXPECT_FALSE(partial.FeedHeader("nps,\"a\nb").has_value());
  ResponseScorer before(Options(ImportFormat::kCsv, "", std::nullopt));
  EXPECT_FALSE(before.ExportState().ok());  // not a continuation
}

}  // namespace
}  // namespace nazar
