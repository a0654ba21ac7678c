// Dates as survey exports write them (date.h: ParseDay, GuessDateFormat, DateFormatName). Day
// numbers are literals worked out with GNU date (`date -u -d 2026-11-30 +%s` / 86400 = 20787) and
// Jalali dates from METRICS.md's vectors, never from the code under test.
#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

#include "nazar/date.h"

namespace nazar {
namespace {

// `date -u -d DATE +%s` / 86400.
constexpr int64_t k20261130 = 20787;
constexpr int64_t k20260321 = 20533;  // Jalali 1405-01-01 (METRICS.md)
constexpr int64_t k20260320 = 20532;  // Jalali 1404-12-29, the last day of 1404
constexpr int64_t k20250320 = 20167;  // Jalali 1403-12-30 (1403 is a leap year)
constexpr int64_t k20260304 = 20516;
constexpr int64_t k20260403 = 20546;
constexpr int64_t k20240229 = 19782;

constexpr DateFormat kYmd{DateOrder::kYmd, Calendar::kGregorian};
constexpr DateFormat kDmy{DateOrder::kDmy, Calendar::kGregorian};
constexpr DateFormat kMdy{DateOrder::kMdy, Calendar::kGregorian};
constexpr DateFormat kJalali{DateOrder::kYmd, Calendar::kJalali};

TEST(ParseDayTest, GregorianOrders) {
  EXPECT_EQ(ParseDay("2026-11-30", kYmd), k20261130);
  EXPECT_EQ(ParseDay("2026/11/30", kYmd), k20261130);
  EXPECT_EQ(ParseDay("2026.11.30", kYmd), k20261130);
  EXPECT_EQ(ParseDay("30/11/2026", kDmy), k20261130);
  EXPECT_EQ(ParseDay("30.11.2026", kDmy), k20261130);
  EXPECT_EQ(ParseDay("30-11-2026", kDmy), k20261130);
  EXPECT_EQ(ParseDay("11/30/2026", kMdy), k20261130);
  EXPECT_EQ(ParseDay("2026-3-4", kYmd), k20260304);
  EXPECT_EQ(ParseDay("4/3/2026", kDmy), k20260304);
  EXPECT_EQ(ParseDay("3/4/2026", kMdy), k20260304);
  EXPECT_EQ(ParseDay("03/04/2026", kDmy), k20260403);
  EXPECT_EQ(ParseDay("03/04/2026", kMdy), k20260304);
  EXPECT_EQ(ParseDay("  2026-11-30 ", kYmd), k20261130);  // surrounding blanks
  EXPECT_EQ(ParseDay("2024-02-29", kYmd), k20240229);     // leap day
}

TEST(ParseDayTest, WrongOrderGivesNothing) {
  EXPECT_EQ(ParseDay("30/11/2026", kMdy), std::nullopt);  // month 30
  EXPECT_EQ(ParseDay("11/30/2026", kDmy), std::nullopt);
  EXPECT_EQ(ParseDay("2026-11-30", kDmy), std::nullopt);  // year first is not dmy
  EXPECT_EQ(ParseDay("30/11/2026", kYmd), std::nullopt);
}

TEST(ParseDayTest, InvalidDates) {
  EXPECT_EQ(ParseDay("2026-02-30", kYmd), std::nullopt);
  EXPECT_EQ(ParseDay("2026-02-29", kYmd), std::nullopt);  // 2026 is not a leap year
  EXPECT_EQ(ParseDay("2100-02-29", kYmd), std::nullopt);  // nor is 2100
  EXPECT_EQ(ParseDay("2026-13-01", kYmd), std::nullopt);
  EXPECT_EQ(ParseDay("2026-00-10", kYmd), std::nullopt);
  EXPECT_EQ(ParseDay("2026-04-31", kYmd), std::nullopt);
  EXPECT_EQ(ParseDay("2026-11-00", kYmd), std::nullopt);
  EXPECT_EQ(ParseDay("31/04/2026", kDmy), std::nullopt);
  EXPECT_EQ(ParseDay("13/13/2026", kMdy), std::nullopt);
}

TEST(ParseDayTest, MalformedText) {
  for (std::string_view text :
       {"", " ", "2026", "2026-11", "2026-11-30x", "2026-11/30", "26-11-30", "20261-11-30",
        "2026-111-30", "2026--11-30", "2026-11-30T", "x2026-11-30", "11/30/26", "11/30/20266",
        "2026-11-30 junk", "2026-11-30,"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ParseDay(text, kYmd), std::nullopt);
    EXPECT_EQ(ParseDay(text, kMdy), std::nullopt);
  }
}

TEST(ParseDayTest, TimesAndOffsetsKeepTheDayAsWritten) {
  for (std::string_view text :
       {"2026-11-30T23:30:00-05:00", "2026-11-30T23:30:00+14:00", "2026-11-30T00:10:00Z",
        "2026-11-30T00:10:00.123456Z", "2026-11-30 14:05", "2026-11-30 14:05:09",
        "2026-11-30  14:05:09.5", "2026-11-30T14:05+03:30", "2026-11-30 14:05:09 +0330",
        "2026-11-30 14:05:09-05", "2026-11-30 14:05:09 UTC", "2026-11-30 14:05 GMT+03:30",
        "2026-11-30 2:05 PM", "2026-11-30 12:00 am", "2026-11-30 9:05 p.m.",
        "2026-11-30 23:59:60Z"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ParseDay(text, kYmd), k20261130);
  }
  EXPECT_EQ(ParseDay("11/30/2026 2:05 PM", kMdy), k20261130);
  EXPECT_EQ(ParseDay("11/30/2026, 2:05:09 PM", kMdy), k20261130);
  EXPECT_EQ(ParseDay("30/11/2026 23:59", kDmy), k20261130);
  EXPECT_EQ(ParseDay("30.11.2026 00:00:00", kDmy), k20261130);
}

TEST(ParseDayTest, BadTimesGiveNothing) {
  for (std::string_view text :
       {"2026-11-30T24:00", "2026-11-30 14:60", "2026-11-30 14:05:61", "2026-11-30 14",
        "2026-11-30 14:5", "2026-11-30 13:05 PM", "2026-11-30 0:05 AM", "2026-11-30 14:05:09.",
        "2026-11-30T14:05+15:00", "2026-11-30T14:05+03:60", "2026-11-30T14:05+3",
        "2026-11-30T14:05+033", "2026-11-30T14:05+03:3", "2026-11-30T14:05Z+01:00",
        "2026-11-30T14:05 later", "2026-11-30 14:05 PMX"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ParseDay(text, kYmd), std::nullopt);
  }
}

TEST(ParseDayTest, SolarHijri) {
  EXPECT_EQ(ParseDay("1405/01/01", kJalali), k20260321);
  EXPECT_EQ(ParseDay("1405-9-9", kJalali), k20261130);
  EXPECT_EQ(ParseDay("1405-09-09", kJalali), k20261130);
  EXPECT_EQ(ParseDay("\u06f1\u06f4\u06f0\u06f5/\u06f0\u06f9/\u06f0\u06f9", kJalali),
            k20261130);  // ۱۴۰۵/۰۹/۰۹, Persian digits
  EXPECT_EQ(ParseDay("\u0661\u0664\u0660\u0665-\u0660\u0669-\u0660\u0669", kJalali),
            k20261130);  // ١٤٠٥-٠٩-٠٩, Arabic-Indic digits
  EXPECT_EQ(
      ParseDay("\u200f\u06f1\u06f4\u06f0\u06f5/\u06f0\u06f9/\u06f0\u06f9 \u06f1\u06f4:\u06f0\u06f5",
               kJalali),
      k20261130);                                         // RLM + ۱۴۰۵/۰۹/۰۹ ۱۴:۰۵
  EXPECT_EQ(ParseDay("1403/12/30", kJalali), k20250320);  // Esfand 30 of a leap year
  EXPECT_EQ(ParseDay("1404/12/29", kJalali), k20260320);
  EXPECT_EQ(ParseDay("1404/12/30", kJalali), std::nullopt);  // 1404 is not a leap year
  EXPECT_EQ(ParseDay("1405/07/31", kJalali), std::nullopt);  // Mehr has 30 days
  EXPECT_EQ(ParseDay("1405/06/31", kJalali), DaysFromCivil(2026, 9, 22));  // Shahrivar 31
  EXPECT_EQ(ParseDay("1405/13/01", kJalali), std::nullopt);
  // Jalali is year first whatever the order field says.
  EXPECT_EQ(ParseDay("1405/09/09", DateFormat{DateOrder::kDmy, Calendar::kJalali}), k20261130);
}

TEST(ParseDayTest, OtherDigitsInGregorianDates) {
  EXPECT_EQ(ParseDay("\u06f3\u06f0/\u06f1\u06f1/\u06f2\u06f0\u06f2\u06f6", kDmy),
            k20261130);  // ۳۰/۱۱/۲۰۲۶
  EXPECT_EQ(ParseDay("\u0662\u0660\u0662\u0666-\u0661\u0661-\u0663\u0660", kYmd), k20261130);
  EXPECT_EQ(ParseDay("\u0662\u0660\u0662\u0666-\u0661\u0661-\u0663\u0660x", kYmd), std::nullopt);
}

TEST(ParseDayTest, ParseIsoDayUnchanged) {
  EXPECT_EQ(ParseIsoDay("2026-11-30"), k20261130);
  EXPECT_EQ(ParseIsoDay("2026-11-30T99:99 anything"), k20261130);  // time ignored, as before
  EXPECT_EQ(ParseIsoDay("2026-11-30 whatever"), k20261130);
  EXPECT_EQ(ParseIsoDay("2026-11-30x"), std::nullopt);
  EXPECT_EQ(ParseIsoDay("2026-02-30"), std::nullopt);
  EXPECT_EQ(ParseIsoDay("30/11/2026"), std::nullopt);
}

TEST(GuessDateFormatTest, IsoIsYmd) {
  const DateFormatGuess g = GuessDateFormat({"2026-11-30", "2026-01-02T10:00:00Z", "", " "});
  EXPECT_EQ(g.format.order, DateOrder::kYmd);
  EXPECT_EQ(g.format.calendar, Calendar::kGregorian);
  EXPECT_FALSE(g.ambiguous);
  EXPECT_EQ(g.parsed, 2);
  EXPECT_EQ(g.tried, 2);  // empty samples are not tried
}

TEST(GuessDateFormatTest, SolarHijriYears) {
  const DateFormatGuess g =
      GuessDateFormat({"\u06f1\u06f4\u06f0\u06f5/\u06f0\u06f9/\u06f0\u06f9", "1404/12/29"});
  EXPECT_EQ(g.format.calendar, Calendar::kJalali);
  EXPECT_STREQ(DateFormatName(g.format), "jalali");
  EXPECT_EQ(g.parsed, 2);
  EXPECT_EQ(g.tried, 2);
  EXPECT_FALSE(g.ambiguous);
}

TEST(GuessDateFormatTest, DayOver12DecidesTheOrder) {
  const DateFormatGuess dmy = GuessDateFormat({"03/04/2026", "30/11/2026", "1/2/2026"});
  EXPECT_EQ(dmy.format.order, DateOrder::kDmy);
  EXPECT_FALSE(dmy.ambiguous);
  EXPECT_EQ(dmy.parsed, 3);
  EXPECT_EQ(dmy.tried, 3);
  const DateFormatGuess mdy =
      GuessDateFormat({"03/04/2026", "11/30/2026 2:05 PM", "1/2/2026 09:00"});
  EXPECT_EQ(mdy.format.order, DateOrder::kMdy);
  EXPECT_EQ(mdy.format.calendar, Calendar::kGregorian);
  EXPECT_FALSE(mdy.ambiguous);
  EXPECT_EQ(mdy.parsed, 3);
}

TEST(GuessDateFormatTest, AmbiguousWhenBothOrdersReadEverything) {
  const DateFormatGuess g = GuessDateFormat({"03/04/2026", "12/11/2026"});
  EXPECT_TRUE(g.ambiguous);
  EXPECT_EQ(g.parsed, 2);
  EXPECT_EQ(g.tried, 2);
  EXPECT_EQ(g.format.order, DateOrder::kDmy);  // documented tie-break; the page asks
}

TEST(GuessDateFormatTest, MixedAndUnreadable) {
  // 30/11 is only dmy, 11/30 only mdy: neither reads both; one sample is no date at all.
  const DateFormatGuess g = GuessDateFormat({"30/11/2026", "11/30/2026", "11/29/2026", "soon"});
  EXPECT_EQ(g.format.order, DateOrder::kMdy);
  EXPECT_EQ(g.parsed, 2);
  EXPECT_EQ(g.tried, 4);
  EXPECT_FALSE(g.ambiguous);
  const DateFormatGuess none = GuessDateFormat({});
  EXPECT_EQ(none.tried, 0);
  EXPECT_EQ(none.parsed, 0);
  EXPECT_FALSE(none.ambiguous);
  EXPECT_EQ(none.format.order, DateOrder::kYmd);
  EXPECT_EQ(none.format.calendar, Calendar::kGregorian);
}

// Review 7, defect 4: one "N/A" must not turn an open dd/mm vs mm/dd question into a silent dmy.
// 03/04/2026 and 05/06/2026 read both ways; the third sample is no date in any order.
TEST(GuessDateFormatTest, AmbiguityIsDecidedAmongTheDates) {
  const DateFormatGuess g = GuessDateFormat({"03/04/2026", "05/06/2026", "N/A"});
  EXPECT_EQ(g.format.order, DateOrder::kDmy);
  EXPECT_EQ(g.parsed, 2);
  EXPECT_EQ(g.tried, 3);
  EXPECT_TRUE(g.ambiguous);
  // A day over 12 still decides it, whatever else is there.
  EXPECT_FALSE(GuessDateFormat({"03/04/2026", "25/06/2026", "N/A"}).ambiguous);
}

// Years outside 1900-2199 (Gregorian) or 1278-1577 (Solar Hijri) are no date: year 0000, a typo
// like 0202, a Gregorian date read as Jalali (2026 would be about 2647 AD).
TEST(ParseDayTest, ImplausibleYearsGiveNothing) {
  const std::pair<std::string_view, DateFormat> kNoDates[] = {
      {"0000-01-01", kYmd},   {"1899-12-31", kYmd},    {"2200-01-01", kYmd},
      {"30/11/0202", kDmy},   {"0000/01/01", kJalali}, {"2026/03/04", kJalali},
      {"1277/12/29", kJalali}};
  for (const auto& [text, format] : kNoDates)
    EXPECT_EQ(ParseDay(text, format), std::nullopt) << text;
  // The ends of the ranges: 1900-01-01 is day -25567 (`date -u -d 1900-01-01 +%s` / 86400);
  // 2199-12-31 is 84005.
  EXPECT_EQ(ParseDay("1900-01-01", kYmd), -25567);
  EXPECT_EQ(ParseDay("2199-12-31", kYmd), 84005);
  EXPECT_EQ(ParseDay("1405/01/01", kJalali), k20260321);
}

// Review 7, defect 5: without a format, a year-first ISO date of 1200-1499 is Solar Hijri (the
// rule GuessDateFormat uses), not a Gregorian date of the 15th century.
TEST(ParseDefaultDayTest, SolarHijriYearsAndPlausibleRanges) {
  EXPECT_EQ(ParseDefaultDay("1405-09-09"), k20261130);
  EXPECT_EQ(ParseDefaultDay("1405-01-01T10:00:00"), k20260321);
  EXPECT_EQ(ParseDefaultDay("2026-11-30"), k20261130);
  EXPECT_EQ(ParseDefaultDay("2026-11-30 14:05"), k20261130);
  EXPECT_EQ(ParseDefaultDay("1404-12-30"), std::nullopt);  // 1404 is a common year
  EXPECT_EQ(ParseDefaultDay("0000-01-01"), std::nullopt);
  EXPECT_EQ(ParseDefaultDay("1850-01-01"), std::nullopt);  // neither era
  EXPECT_EQ(ParseDefaultDay("1236-01-01"), std::nullopt);  // Jalali era, before 1278
  EXPECT_EQ(ParseDefaultDay("2026/11/30"), std::nullopt);  // ISO only
}

TEST(DateFormatNameTest, NamesRoundTrip) {
  EXPECT_STREQ(DateFormatName(kYmd), "ymd");
  EXPECT_STREQ(DateFormatName(kDmy), "dmy");
  EXPECT_STREQ(DateFormatName(kMdy), "mdy");
  EXPECT_STREQ(DateFormatName(kJalali), "jalali");
  for (std::string_view name : {"ymd", "dmy", "mdy", "jalali"}) {
    const std::optional<DateFormat> f = ParseDateFormat(name);
    ASSERT_TRUE(f.has_value()) << name;
    EXPECT_EQ(DateFormatName(*f), name);
  }
  const std::optional<DateFormat> iso = ParseDateFormat("iso");
  ASSERT_TRUE(iso.has_value());
  EXPECT_EQ(iso->order, DateOrder::kYmd);
  EXPECT_EQ(iso->calendar, Calendar::kGregorian);
  EXPECT_EQ(ParseDateFormat("dd/mm/yyyy"), std::nullopt);
  EXPECT_EQ(ParseDateFormat("YMD"), std::nullopt);
  EXPECT_EQ(ParseDateFormat(""), std::nullopt);
}

}  // namespace
}  // namespace nazar
