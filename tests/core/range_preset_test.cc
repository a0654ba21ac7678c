// Named ranges (PresetRange) and day labels (FormatDayIn). Expected days were worked out apart
// from the core: Gregorian weekdays with Python's datetime, Solar Hijri dates with the
// jalaali-js algorithm (Borkowski's table of leap-year breaks, not the core's 33-year rule).
#include <gtest/gtest.h>

#include <string>

#include "nazar/date.h"

namespace nazar {
namespace {

struct Case {
  const char* today;
  RangePreset preset;
  Calendar calendar;
  const char* from;
  const char* to;
};

int64_t Day(const char* iso) { return *ParseIsoDay(iso); }

TEST(RangePreset, HandWorkedRanges) {
  const Case kCases[] = {
      // 2026-12-01 is a Tuesday, 1405-09-10; 1405-09-01 is 2026-11-22 (a Sunday).
      {"2026-12-01", RangePreset::kThisMonth, Calendar::kJalali, "2026-11-22", "2026-12-01"},
      {"2026-12-01", RangePreset::kThisMonth, Calendar::kGregorian, "2026-12-01", "2026-12-01"},
      // Aban 1405 (30 days): 1405-08-01 = 2026-10-23 .. 1405-08-30 = 2026-11-21.
      {"2026-12-01", RangePreset::kLastMonth, Calendar::kJalali, "2026-10-23", "2026-11-21"},
      {"2026-12-01", RangePreset::kLastMonth, Calendar::kGregorian, "2026-11-01", "2026-11-30"},
      // Saturday 2026-11-28 (1405-09-07) starts the Jalali week; Monday 2026-11-30 the ISO one.
      {"2026-12-01", RangePreset::kThisWeek, Calendar::kJalali, "2026-11-28", "2026-12-01"},
      {"2026-12-01", RangePreset::kThisWeek, Calendar::kGregorian, "2026-11-30", "2026-12-01"},
      {"2026-12-01", RangePreset::kLastWeek, Calendar::kJalali, "2026-11-21", "2026-11-27"},
      {"2026-12-01", RangePreset::kLastWeek, Calendar::kGregorian, "2026-11-23", "2026-11-29"},
      // The 30 days ending today (November has 30 days: 11-02 .. 11-30 and 12-01), whatever
      // the calendar, so a live dashboard's default view counts today's answers.
      {"2026-12-01", RangePreset::kLast30Days, Calendar::kJalali, "2026-11-02", "2026-12-01"},
      {"2026-12-01", RangePreset::kLast30Days, Calendar::kGregorian, "2026-11-02", "2026-12-01"},
      {"2026-03-01", RangePreset::kLast30Days, Calendar::kGregorian, "2026-01-31", "2026-03-01"},
      // Across a Gregorian year end: Friday 2027-01-01; its ISO week began Monday 2026-12-28.
      {"2027-01-01", RangePreset::kThisWeek, Calendar::kGregorian, "2026-12-28", "2027-01-01"},
      {"2027-01-01", RangePreset::kLastWeek, Calendar::kGregorian, "2026-12-21", "2026-12-27"},
      {"2027-01-01", RangePreset::kLastMonth, Calendar::kGregorian, "2026-12-01", "2026-12-31"},
      {"2027-01-01", RangePreset::kThisMonth, Calendar::kGregorian, "2027-01-01", "2027-01-01"},
      // Across a Solar Hijri year end: 2027-03-23 is 1406-01-03 (Tuesday); its week began on
      // Saturday 1405-12-29 (2027-03-20), the last day of 1405; the week before it is
      // 1405-12-22 .. 1405-12-28 (2027-03-13 .. 2027-03-19).
      {"2027-03-23", RangePreset::kThisWeek, Calendar::kJalali, "2027-03-20", "2027-03-23"},
      {"2027-03-23", RangePreset::kLastWeek, Calendar::kJalali, "2027-03-13", "2027-03-19"},
      {"2027-03-23", RangePreset::kThisMonth, Calendar::kJalali, "2027-03-21", "2027-03-23"},
      // Esfand 1404 (29 days, not a leap year): 2026-02-20 .. 2026-03-20.
      {"2026-03-24", RangePreset::kLastMonth, Calendar::kJalali, "2026-02-20", "2026-03-20"},
      // On the first day of a month or week, "this" is that one day.
      {"2026-11-22", RangePreset::kThisMonth, Calendar::kJalali, "2026-11-22", "2026-11-22"},
      {"2026-11-28", RangePreset::kThisWeek, Calendar::kJalali, "2026-11-28", "2026-11-28"},
  };
  for (const Case& c : kCases) {
    const DayRange r = PresetRange(c.preset, Day(c.today), c.calendar);
    EXPECT_EQ(FormatDay(r.from), c.from)
        << RangePresetName(c.preset) << " " << CalendarName(c.calendar) << " on " << c.today;
    EXPECT_EQ(FormatDay(r.to), c.to)
        << RangePresetName(c.preset) << " " << CalendarName(c.calendar) << " on " << c.today;
  }
}

TEST(RangePreset, NamesParseAndRejectOthers) {
  const std::pair<const char*, RangePreset> kNames[] = {{"last_30_days", RangePreset::kLast30Days},
                                                        {"this_month", RangePreset::kThisMonth},
                                                        {"last_month", RangePreset::kLastMonth},
                                                        {"this_week", RangePreset::kThisWeek},
                                                        {"last_week", RangePreset::kLastWeek}};
  for (const auto& [name, preset] : kNames) {
    Result<RangePreset> parsed = ParseRangePreset(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(*parsed, preset);
    EXPECT_STREQ(RangePresetName(preset), name);
  }
  for (const char* bad : {"", "this_year", "This_Month", "last_30_days "}) {
    Result<RangePreset> parsed = ParseRangePreset(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(ParseRangePreset("this_year").status().message(),
            "\"this_year\" is not a range (use last_30_days, this_month, last_month, this_week "
            "or last_week)");
}

TEST(FormatDayIn, LabelsInEachCalendarAndDigits) {
  EXPECT_EQ(FormatDayIn(Day("2026-12-01"), Calendar::kGregorian), "2026-12-01");
  EXPECT_EQ(FormatDayIn(Day("2026-12-01"), Calendar::kJalali), "1405-09-10");
  EXPECT_EQ(FormatDayIn(Day("2026-03-20"), Calendar::kJalali), "1404-12-29");
  EXPECT_EQ(FormatDayIn(Day("2025-03-20"), Calendar::kJalali), "1403-12-30");
  EXPECT_EQ(FormatDayIn(Day("2026-12-01"), Calendar::kJalali, DigitStyle::kPersian),
            "\u06F1\u06F4\u06F0\u06F5-\u06F0\u06F9-\u06F1\u06F0");
  EXPECT_EQ(FormatDayIn(Day("2026-12-01"), Calendar::kGregorian, DigitStyle::kArabicIndic),
            "\u0662\u0660\u0662\u0666-\u0661\u0662-\u0660\u0661");
}

}  // namespace
}  // namespace nazar
