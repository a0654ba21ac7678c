// The import state's bytes (core/src/import_state.h, a continuation's partial result on its way
// to the importer that absorbs it): the layout against bytes worked out by hand from the format
// the header describes, and every kind of malformed input rejected with the member and the byte
// where it went wrong. import_merge_test.cc checks what absorbing a state does.
#include "import_state.h"

#include <gtest/gtest.h>

#include <string>

namespace nazar::import_internal {
namespace {

PartState Small() {
  PartState s;
  s.format = "csv";
  s.first_line = 2;
  s.rows = 3;
  s.bad_rows = 1;
  s.errors = {{5, "x", 0}};
  s.seen = {true, false};
  s.by_seen = true;
  s.has_days = true;
  s.first_day = -1;
  s.last_day = 300;
  s.cells.segments = {"a"};
  s.cells.counters = 2;
  s.cells.cells = {{-1, -1, 3}, {0, -1, 2}};
  s.cells.counts = {1, 2, 64, 0};
  return s;
}

// Small() as the header's layout gives it, byte by byte: varints LEB128, signed ones zigzag
// (2 -> 4, -1 -> 1, 300 -> 600 = d8 04, 64 -> 128 = 80 01).
const std::string kSmall(
    "NZS\x01"
    "\x03"
    "csv"       // format
    "\x00"      // options
    "\x04"      // first_line 2
    "\x00"      // column_count
    "\x00"      // columns
    "\x06\x02"  // rows 3, bad_rows 1
    "\x01"
    "\x0a\x01x\x00"     // errors: line 5, "x", flag 0
    "\x00"              // warnings
    "\x00"              // solar
    "\x02\x01\x00"      // seen: true, false
    "\x01\x00"          // by_seen, date_seen
    "\x01\x01\xd8\x04"  // days: -1 to 300
    "\x00"              // capped
    "\x01\x01"
    "a"                          // segments
    "\x00"                       // periods
    "\x02\x02"                   // 2 counters, 2 cells
    "\x01\x01\x06\x02\x04"       // overall: 3 rows, counts 1, 2
    "\x00\x01\x04\x80\x01\x00",  // segment "a": 2 rows, counts 64, 0
    48);

TEST(ImportStateTest, EncodesTheLayoutByteForByte) { EXPECT_EQ(EncodeState(Small()), kSmall); }

TEST(ImportStateTest, DecodesWhatItEncodes) {
  Result<PartState> back = DecodeState(kSmall);
  ASSERT_TRUE(back.ok()) << back.status().message();
  const PartState& s = *back;
  EXPECT_EQ(s.format, "csv");
  EXPECT_EQ(s.first_line, 2);
  EXPECT_EQ(s.rows, 3);
  EXPECT_EQ(s.bad_rows, 1);
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].line, 5);
  EXPECT_EQ(s.errors[0].message, "x");
  EXPECT_EQ(s.seen, (std::vector<bool>{true, false}));
  EXPECT_TRUE(s.by_seen);
  EXPECT_FALSE(s.date_seen);
  EXPECT_TRUE(s.has_days);
  EXPECT_EQ(s.first_day, -1);
  EXPECT_EQ(s.last_day, 300);
  EXPECT_EQ(s.cells.segments, (std::vector<std::string>{"a"}));
  EXPECT_EQ(s.cells.counters, 2u);
  ASSERT_EQ(s.cells.cells.size(), 2u);
  EXPECT_EQ(s.cells.cells[1].segment, 0);
  EXPECT_EQ(s.cells.cells[1].period, -1);
  EXPECT_EQ(s.cells.cells[1].rows, 2);
  EXPECT_EQ(s.cells.counts, (std::vector<int64_t>{1, 2, 64, 0}));
  // Labels and messages are bytes, whatever they are; the largest counts and lines survive.
  PartState odd = Small();
  odd.cells.segments = {std::string("\xff\x00z", 3)};
  odd.columns = {"date", ""};
  odd.errors[0].line = int64_t{1} << 50;
  odd.cells.counts[0] = int64_t{1} << 50;
  odd.first_day = -1000000;
  Result<PartState> again = DecodeState(EncodeState(odd));
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->cells.segments, odd.cells.segments);
  EXPECT_EQ(again->columns, odd.columns);
  EXPECT_EQ(again->errors[0].line, int64_t{1} << 50);
  EXPECT_EQ(again->cells.counts[0], int64_t{1} << 50);
  EXPECT_EQ(again->first_day, -1000000);
}

std::string ErrorOf(const std::string& bytes) {
  Result<PartState> s = DecodeState(bytes);
  if (s.ok()) return "(decoded)";
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  return s.status().message();
}

TEST(ImportStateTest, EveryShorterPrefixIsTruncated) {
  // Cut inside a member, or after a count that the bytes left cannot hold.
  for (size_t n = 0; n < kSmall.size(); ++n) {
    const std::string message = ErrorOf(kSmall.substr(0, n));
    const bool said =
        n < 4 ? message.find("no \"NZS\"") != std::string::npos
              : message.find("truncated in") != std::string::npos ||
                    message.find("counts more than the bytes left") != std::string::npos;
    EXPECT_TRUE(said) << n << ": " << message;
  }
  EXPECT_EQ(ErrorOf(kSmall.substr(0, 9)), "import state: truncated in first_line at byte 9");
}

TEST(ImportStateTest, MalformedBytesSayWhatAndWhere) {
  EXPECT_EQ(ErrorOf("{\"format\":\"csv\"}"),
            "import state: not the state of this importer (no \"NZS\" version 1 header) at "
            "byte 0");
  EXPECT_EQ(ErrorOf(kSmall + "x"), "import state: bytes after the end at byte 48");
  // first_line as a varint of eleven bytes.
  const std::string head(
      "NZS\x01\x03"
      "csv\x00",
      9);  // format "csv", options ""
  EXPECT_EQ(ErrorOf(head + std::string(10, '\xff') + "\x01"),
            "import state: first_line does not fit 64 bits at byte 19");
  // A format string longer than the bytes left.
  EXPECT_EQ(ErrorOf(std::string("NZS\x01\x7f"
                                "csv",
                                8)),
            "import state: format counts more than the bytes left at byte 5");
  // rows -1 (zigzag 1).
  std::string negative = kSmall;
  negative[12] = '\x01';
  EXPECT_EQ(ErrorOf(negative), "import state: rows is negative at byte 13");
  // bad_rows 4 of 3 rows.
  std::string bad = kSmall;
  bad[13] = '\x08';
  EXPECT_EQ(ErrorOf(bad), "import state: bad_rows: more than rows at byte 14");
  // solar as 2.
  std::string flag = kSmall;
  flag[20] = '\x02';
  EXPECT_EQ(ErrorOf(flag), "import state: solar is not 0 or 1 at byte 21");
  // Days from 63 to 0 (0 written as the two bytes 80 00).
  std::string days = kSmall;
  days[27] = '\x7e';
  days[28] = '\x80';
  days[29] = '\x00';
  EXPECT_EQ(ErrorOf(days), "import state: days: the first is after the last at byte 30");
  // The second cell in segment 1, of one segment.
  std::string segment = kSmall;
  segment[42] = '\x02';
  EXPECT_EQ(ErrorOf(segment),
            "import state: cells: a cell's segment or period is not one of the state's at byte 45");
  // More cells than the bytes left could hold (each takes 3 + counters bytes at least).
  std::string cells = kSmall.substr(0, 36) + "\x05";
  cells += kSmall.substr(37);
  EXPECT_EQ(ErrorOf(cells), "import state: cells counts more than the bytes left at byte 37");
  // Values no file has: their sums could overflow, their dates would not print.
  PartState huge = Small();
  huge.rows = int64_t{1} << 51;
  EXPECT_EQ(ErrorOf(EncodeState(huge)), "import state: rows is larger than any file's at byte 20");
  PartState far = Small();
  far.first_day = -2000000;
  EXPECT_NE(ErrorOf(EncodeState(far)).find("days is no import's date"), std::string::npos);
  PartState negative_count = Small();
  negative_count.cells.counts[1] = -1;
  EXPECT_NE(ErrorOf(EncodeState(negative_count)).find("cells is negative"), std::string::npos);
}

}  // namespace
}  // namespace nazar::import_internal
