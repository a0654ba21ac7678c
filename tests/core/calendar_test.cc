// The Solar Hijri (Jalali) calendar and period labels (date.h), against values computed
// independently: METRICS.md's vectors, and a reference computed with jalaali-js's algorithm
// (Borkowski's table of breaks, the astronomical calendar), not the 33-year arithmetic under
// test, using Python's datetime for the Gregorian side.
#include <gtest/gtest.h>

#include <string>

#include "nazar/date.h"

namespace nazar {
namespace {

int64_t Day(int y, int m, int d) { return DaysFromCivil(y, m, d); }

::testing::AssertionResult IsJalali(int64_t days, int y, int m, int d) {
  const JalaliDate j = JalaliFromDays(days);
  if (j.year == y && j.month == m && j.day == d) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << FormatDay(days) << " gave " << j.year << "/" << j.month << "/" << j.day << ", expected "
         << y << "/" << m << "/" << d;
}

TEST(JalaliTest, MetricsVectors) {
  EXPECT_TRUE(IsJalali(Day(2026, 3, 21), 1405, 1, 1));
  EXPECT_TRUE(IsJalali(Day(2026, 11, 30), 1405, 9, 9));
  EXPECT_TRUE(IsJalali(Day(2025, 3, 20), 1403, 12, 30));
  EXPECT_EQ(DaysFromJalali(1405, 1, 1), Day(2026, 3, 21));
  EXPECT_EQ(DaysFromJalali(1405, 9, 9), Day(2026, 11, 30));
  EXPECT_EQ(DaysFromJalali(1403, 12, 30), Day(2025, 3, 20));
}

TEST(JalaliTest, LeapYearsAndEsfandThirty) {
  // Known leap years 1399, 1403, 1408 (Esfand 30 exists); 1400, 1404, 1407 are common.
  struct {
    int year;
    bool leap;
    int gy, gm, gd;  // last day of the year (Esfand 30 or 29), from the reference
  } const kYears[] = {{1399, true, 2021, 3, 20},  {1400, false, 2022, 3, 20},
                      {1403, true, 2025, 3, 20},  {1404, false, 2026, 3, 20},
                      {1407, false, 2029, 3, 19}, {1408, true, 2030, 3, 20},
                      {1178, false, 1800, 3, 20}, {1633, false, 2255, 3, 20}};
  for (const auto& y : kYears) {
    SCOPED_TRACE(y.year);
    EXPECT_EQ(IsJalaliLeapYear(y.year), y.leap);
    const int last = y.leap ? 30 : 29;
    EXPECT_TRUE(IsJalali(Day(y.gy, y.gm, y.gd), y.year, 12, last));
    EXPECT_TRUE(IsJalali(Day(y.gy, y.gm, y.gd) + 1, y.year + 1, 1, 1));  // Nowruz
    EXPECT_EQ(DaysFromJalali(y.year, 12, last), Day(y.gy, y.gm, y.gd));
    EXPECT_EQ(DaysFromJalali(y.year, 12, 30).has_value(), y.leap);
  }
  EXPECT_FALSE(DaysFromJalali(1405, 13, 1));
  EXPECT_FALSE(DaysFromJalali(1405, 0, 1));
  EXPECT_FALSE(DaysFromJalali(1405, 1, 32));
  EXPECT_FALSE(DaysFromJalali(1405, 7, 31));  // months 7-11 have 30 days
  EXPECT_TRUE(DaysFromJalali(1405, 6, 31));
  EXPECT_FALSE(DaysFromJalali(1405, 1, 0));
}

// Nowruz (Farvardin 1) of every year 1178..1635 as the day of March of Gregorian year + 621, minus
// 19 ("2": March 21), from the reference. The arithmetic rule agrees with it through 1634-12-29.
const char kNowruz[] =
    "222232223222322232223222322232222222222222222222222222222222222221222122212221222122212221"
    "222122211222233223322332233223322332233222322232223222322232223222322232222222222222222222"
    "222222222222222221222122212221222122212221222122211221122112211221122112211221122111211121"
    "112111211121112111211121111111122222222222222222222222222221222122212221222122212221222122"
    "211221122112211221122112211221122111211122223222322232223222322232222222222222222222222222"
    "22222221";

TEST(JalaliTest, EveryNowruzAndEveryDayFrom1799To2256) {
  ASSERT_EQ(sizeof kNowruz - 1, 1635u - 1178u + 1u);
  for (int year = 1178; year <= 1634; ++year) {
    const int64_t nowruz = Day(year + 621, 3, 19 + (kNowruz[year - 1178] - '0'));
    ASSERT_TRUE(IsJalali(nowruz, year, 1, 1));
    ASSERT_EQ(DaysFromJalali(year, 1, 1), nowruz);
    if (year == 1178) continue;
    // The day before is the last of the previous year: its length says whether it was leap.
    const int64_t previous = Day(year - 1 + 621, 3, 19 + (kNowruz[year - 1 - 1178] - '0'));
    ASSERT_EQ(nowruz - previous, IsJalaliLeapYear(year - 1) ? 366 : 365) << year - 1;
    ASSERT_TRUE(IsJalali(nowruz - 1, year - 1, 12, IsJalaliLeapYear(year - 1) ? 30 : 29));
  }
  // Where the documented agreement ends: the reference's 1634 is common (Nowruz 1635 on
  // 2256-03-20), the 33-year rule's is leap.
  EXPECT_TRUE(IsJalali(Day(2256, 3, 20), 1634, 12, 30));
  EXPECT_EQ(kNowruz[1635 - 1178], '1');
  // Day by day: consecutive days step by one Jalali day, and both directions agree.
  JalaliDate prev = JalaliFromDays(Day(1799, 3, 20));
  for (int64_t d = Day(1799, 3, 21); d <= Day(2256, 3, 19); ++d) {
    const JalaliDate j = JalaliFromDays(d);
    const bool next_day = j.year == prev.year && j.month == prev.month && j.day == prev.day + 1;
    const bool next_month = j.year == prev.year && j.month == prev.month + 1 && j.day == 1;
    const bool next_year = j.year == prev.year + 1 && j.month == 1 && j.day == 1;
    ASSERT_TRUE(next_day || next_month || next_year) << FormatDay(d);
    ASSERT_EQ(DaysFromJalali(j.year, j.month, j.day), d) << FormatDay(d);
    prev = j;
  }
}

TEST(JalaliTest, RandomDaysMatchTheReference) {
  struct {
    int gy, gm, gd, jy, jm, jd;
  } const kDays[] = {
      {2211, 1, 24, 1589, 11, 4},   {1857, 1, 16, 1235, 10, 26}, {2147, 5, 4, 1526, 2, 14},
      {1986, 12, 28, 1365, 10, 7},  {1825, 8, 24, 1204, 6, 2},   {1799, 7, 17, 1178, 4, 26},
      {1903, 9, 15, 1282, 6, 23},   {2220, 2, 26, 1598, 12, 6},  {2136, 9, 24, 1515, 7, 3},
      {2067, 1, 16, 1445, 10, 27},  {2028, 6, 13, 1407, 3, 24},  {1814, 12, 6, 1193, 9, 15},
      {1994, 12, 10, 1373, 9, 19},  {2150, 1, 26, 1528, 11, 6},  {1941, 5, 28, 1320, 3, 7},
      {2096, 5, 11, 1475, 2, 22},   {2185, 7, 28, 1564, 5, 7},   {2186, 4, 2, 1565, 1, 13},
      {1866, 11, 1, 1245, 8, 10},   {1937, 9, 23, 1316, 7, 1},   {2203, 8, 7, 1582, 5, 15},
      {2196, 7, 23, 1575, 5, 2},    {1989, 10, 15, 1368, 7, 23}, {2237, 1, 24, 1615, 11, 4},
      {1862, 6, 16, 1241, 3, 26},   {2104, 1, 14, 1482, 10, 24}, {2040, 1, 27, 1418, 11, 7},
      {1866, 1, 23, 1244, 11, 3},   {2059, 2, 18, 1437, 11, 29}, {2093, 6, 11, 1472, 3, 22},
      {1978, 12, 31, 1357, 10, 10}, {2118, 10, 4, 1497, 7, 12},  {1866, 7, 11, 1245, 4, 20},
      {1940, 9, 22, 1319, 6, 31},   {2254, 12, 1, 1633, 9, 10},  {2008, 3, 17, 1386, 12, 27},
      {1869, 3, 26, 1248, 1, 6},    {1832, 1, 3, 1210, 10, 13},  {2221, 8, 26, 1600, 6, 4},
      {1943, 5, 23, 1322, 3, 1},    {2057, 11, 14, 1436, 8, 24}, {2148, 7, 15, 1527, 4, 25},
      {1938, 4, 5, 1317, 1, 16},    {2168, 8, 5, 1547, 5, 15},   {2212, 7, 18, 1591, 4, 27},
      {2160, 9, 23, 1539, 7, 2},    {1819, 8, 14, 1198, 5, 22},  {2253, 11, 18, 1632, 8, 27}};
  for (const auto& c : kDays) {
    EXPECT_TRUE(IsJalali(Day(c.gy, c.gm, c.gd), c.jy, c.jm, c.jd));
    EXPECT_EQ(DaysFromJalali(c.jy, c.jm, c.jd), Day(c.gy, c.gm, c.gd));
  }
}

TEST(JalaliTest, FarFromTheEpochStaysConsistent) {
  for (int64_t d :
       {int64_t{-800000}, int64_t{-492269}, int64_t{-492268}, int64_t{0}, int64_t{3000000}}) {
    const JalaliDate j = JalaliFromDays(d);
    EXPECT_EQ(DaysFromJalali(j.year, j.month, j.day), d) << d;
  }
  EXPECT_TRUE(IsJalali(Day(1970, 1, 1), 1348, 10, 11));
}

TEST(CalendarTest, ParsesItsTwoNames) {
  ASSERT_TRUE(ParseCalendar("gregorian").ok());
  EXPECT_EQ(ParseCalendar("gregorian").value(), Calendar::kGregorian);
  EXPECT_EQ(ParseCalendar("jalali").value(), Calendar::kJalali);
  const Result<Calendar> bad = ParseCalendar("persian");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "\"persian\" is not a calendar (use gregorian or jalali)");
  EXPECT_FALSE(ParseCalendar("Jalali").ok());
  EXPECT_STREQ(CalendarName(Calendar::kJalali), "jalali");
}

TEST(CalendarTest, ParsesDayRanges) {
  const Result<DayRange> r = ParseDayRange("2026-10-01..2026-10-31");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->from, Day(2026, 10, 1));
  EXPECT_EQ(r->to, Day(2026, 10, 31));
  EXPECT_TRUE(ParseDayRange("2026-10-01..2026-10-01").ok());
  EXPECT_EQ(ParseDayRange("2026-11-30..2026-11-01").status().message(),
            "2026-11-30 is after 2026-11-01");
  for (const char* bad : {"2026-10-01", "2026-10-01..", "2026-10-01..2026-10-32",
                          "2026-10-01...2026-10-31", "2026-10-01..2026-10-31T00", "",
                          "2026-10-01 2026-10-31"}) {
    EXPECT_EQ(ParseDayRange(bad).status().message(), "expected FROM..TO, two days YYYY-MM-DD")
        << bad;
  }
  const DayRange last = LastWholeDays(Day(2026, 11, 30), 30);
  EXPECT_EQ(last.from, Day(2026, 10, 31));
  EXPECT_EQ(last.to, Day(2026, 11, 29));
}

TEST(CalendarTest, ParsesPeriods) {
  EXPECT_EQ(ParsePeriod("day").value(), Period::kDay);
  EXPECT_EQ(ParsePeriod("week").value(), Period::kWeek);
  EXPECT_EQ(ParsePeriod("month").value(), Period::kMonth);
  ASSERT_FALSE(ParsePeriod("year").ok());
  EXPECT_EQ(ParsePeriod("year").status().message(),
            "\"year\" is not a period (use day, week or month)");
}

TEST(CalendarTest, PeriodLabelsInBothCalendars) {
  const int64_t nov30 = Day(2026, 11, 30);  // a Monday, 1405-09-09
  EXPECT_EQ(PeriodLabel(nov30, Period::kDay), "2026-11-30");
  EXPECT_EQ(PeriodLabel(nov30, Period::kWeek), "2026-W49");
  EXPECT_EQ(PeriodLabel(nov30, Period::kMonth), "2026-11");
  EXPECT_EQ(PeriodLabel(nov30, Period::kWeek, Calendar::kGregorian), "2026-W49");
  EXPECT_EQ(PeriodLabel(nov30, Period::kDay, Calendar::kJalali), "1405-09-09");
  EXPECT_EQ(PeriodLabel(nov30, Period::kMonth, Calendar::kJalali), "1405-09");
  // Weeks start on Saturday (2026-11-28 = 1405-09-07); the label is that Saturday.
  EXPECT_EQ(PeriodLabel(nov30, Period::kWeek, Calendar::kJalali), "1405-09-07/W");
  EXPECT_EQ(PeriodLabel(Day(2026, 11, 28), Period::kWeek, Calendar::kJalali), "1405-09-07/W");
  EXPECT_EQ(PeriodLabel(Day(2026, 11, 27), Period::kWeek, Calendar::kJalali), "1405-08-30/W");
  EXPECT_EQ(PeriodLabel(Day(2026, 12, 4), Period::kWeek, Calendar::kJalali), "1405-09-07/W");
  // Across the year boundary: Friday 1404-12-29 and Thursday 1403-12-30 stay in the week of
  // their Saturday; Nowruz 1405 is itself a Saturday.
  EXPECT_EQ(PeriodLabel(Day(2026, 3, 20), Period::kWeek, Calendar::kJalali), "1404-12-23/W");
  EXPECT_EQ(PeriodLabel(Day(2026, 3, 21), Period::kWeek, Calendar::kJalali), "1405-01-01/W");
  EXPECT_EQ(PeriodLabel(Day(2025, 3, 20), Period::kWeek, Calendar::kJalali), "1403-12-25/W");
  EXPECT_EQ(PeriodLabel(Day(2025, 3, 21), Period::kWeek, Calendar::kJalali), "1403-12-25/W");
  EXPECT_EQ(PeriodLabel(Day(2025, 3, 21), Period::kMonth, Calendar::kJalali), "1404-01");
  EXPECT_EQ(PeriodLabel(Day(2025, 3, 20), Period::kMonth, Calendar::kJalali), "1403-12");
  EXPECT_EQ(PeriodLabel(Day(1970, 1, 1), Period::kWeek, Calendar::kJalali), "1348-10-06/W");
  EXPECT_EQ(PeriodLabel(Day(2024, 12, 31), Period::kWeek, Calendar::kJalali), "1403-10-08/W");
}

// METRICS.md: Jalali and Gregorian totals over the same days are equal. Every day of a range
// lands in exactly one week and one month of each calendar; seven days per full week.
TEST(CalendarTest, EveryDayInExactlyOneWeekOfSevenDays) {
  std::string last;
  int run = 0;
  for (int64_t d = Day(2024, 3, 16); d < Day(2024, 3, 16) + 7 * 60; ++d) {  // from a Saturday
    const std::string label = PeriodLabel(d, Period::kWeek, Calendar::kJalali);
    if (label != last) {
      if (!last.empty()) {
        EXPECT_EQ(run, 7) << last;
      }
      EXPECT_LT(last, label);  // sortable
      last = label;
      run = 0;
    }
    ++run;
  }
  EXPECT_EQ(run, 7);
}

}  // namespace
}  // namespace nazar
