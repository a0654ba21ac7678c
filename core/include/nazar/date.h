// Civil dates as used by payload periods, report ranges and imported responses: day resolution,
// proleptic Gregorian, no time zone database (the host passes its UTC offset). Day numbers
// (days since 1970-01-01) are the one representation; the Solar Hijri (Jalali) calendar is
// another way to label them (METRICS.md, "Periods and calendars").
#ifndef NAZAR_DATE_H_
#define NAZAR_DATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/i18n.h"
#include "nazar/result.h"

namespace nazar {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int year, int month, int day);

// "YYYY-MM-DD" of a day number.
std::string FormatDay(int64_t days);

// The local day of a UTC timestamp, given the host's offset east of UTC in minutes.
int64_t LocalDay(int64_t utc_ms, int utc_offset_minutes);

// Parses "YYYY-MM-DD", optionally followed by "T..." or " ..." (time ignored, as given).
// Returns the day number, or nothing when the text is not a valid date.
std::optional<int64_t> ParseIsoDay(std::string_view text);

// A range of whole days, both ends included.
struct DayRange {
  int64_t from = 0;
  int64_t to = 0;
};
// Parses "YYYY-MM-DD..YYYY-MM-DD" (as in `compare=FROM..TO` of GET /v1/report), from <= to.
// Errors (kInvalidArgument), which the caller prefixes with where the text came from:
// "expected FROM..TO, two days YYYY-MM-DD", "2026-11-30 is after 2026-11-01".
Result<DayRange> ParseDayRange(std::string_view text);
// The report range without from/to (Contract 4): the last `days` whole days before `today`,
// i.e. today - days through today - 1.
DayRange LastWholeDays(int64_t today, int days);

// ---- Solar Hijri (Jalali) calendar ----
// Arithmetic, no tables (METRICS.md): the 33-year rule. Year y is a leap year (Esfand has 30
// days) when (8 y + 29) mod 33 < 8, i.e. 8 leap years in every 33 (y = 1399, 1403, 1408, ...);
// Farvardin 1 of year y is day 365 (y - 1) + floor((8 y + 21) / 33) after the epoch, anchored so
// that 1405-01-01 is 2026-03-21. Months 1-6 have 31 days, 7-11 have 30, Esfand (12) 29 or 30.
// This agrees day for day with the official (astronomical) calendar from 1178-01-01 through
// 1634-12-29 (1799-03-21 to 2256-03-19); outside those years it stays a consistent proleptic
// calendar, one day off in some years.
struct JalaliDate {
  int year = 0;
  int month = 0;  // 1 (Farvardin) .. 12 (Esfand)
  int day = 0;    // 1 .. 31
};
// True when Esfand of `year` has 30 days (the 33-year rule above).
bool IsJalaliLeapYear(int year);
// The Jalali date of a day number.
JalaliDate JalaliFromDays(int64_t days);
// The day number of a Jalali date, or nothing when month or day is out of range (Esfand 30 only
// in leap years).
std::optional<int64_t> DaysFromJalali(int year, int month, int day);

// Calendars a report's periods can follow: Gregorian (the default) or Jalali (the default for fa
// views; the caller decides).
enum class Calendar { kGregorian, kJalali };
// "gregorian" or "jalali".
const char* CalendarName(Calendar calendar);
// Parses "gregorian" or "jalali" (as in `calendar=` of GET /v1/report). Error kInvalidArgument:
// "\"x\" is not a calendar (use gregorian or jalali)"; the caller prefixes where it came from.
Result<Calendar> ParseCalendar(std::string_view text);

// ---- Dates as survey exports write them ----
// The order of year, month and day in a written date.
enum class DateOrder { kYmd, kDmy, kMdy };
// How a column's dates are written: the field order and the calendar of the numbers. Solar Hijri
// dates are year/month/day ({kYmd, kJalali}); dmy and mdy are Gregorian.
struct DateFormat {
  DateOrder order = DateOrder::kYmd;
  Calendar calendar = Calendar::kGregorian;  // kJalali: year/month/day in Solar Hijri
};
// Years a survey export's date can plausibly have: Gregorian 1900-2199, Solar Hijri 1278-1577
// (the same span, 1899-2199 AD). A date outside its calendar's range is no date (year 0000, a
// Gregorian 2026/03/04 read as Jalali).
inline constexpr int kMinGregorianYear = 1900;
inline constexpr int kMaxGregorianYear = 2199;
inline constexpr int kMinJalaliYear = 1278;
inline constexpr int kMaxJalaliYear = 1577;
// Years a year-first date without a given format is read as Solar Hijri in (ParseDefaultDay,
// GuessDateFormat): Gregorian years of survey data never fall here.
inline constexpr int kMinJalaliEraYear = 1200;
inline constexpr int kMaxJalaliEraYear = 1499;
// The day number of a date written in `format`: any digits (ASCII, Persian, Arabic-Indic,
// full-width), one separator '-', '/' or '.' throughout, day and month of 1 or 2 digits, a 4-digit
// year (Jalali is always year first), then optionally a time after 'T', spaces or ", " ("14:05",
// "14:05:09.5", "2:05 PM", "9:05 p.m.") and a UTC offset ("Z", "UTC", "+03:30", "-0500", "+03").
// The day is the day as written: an offset never shifts it (the respondent's local day,
// METRICS.md). Blanks around the text and bidi marks (LRM, RLM, ALM) are ignored. Nothing when
// the text is not a valid date in `format` (2026-02-30, month 13, Esfand 30 of a common Jalali
// year, a year outside the plausible range above, hour 24, offset over 14 hours) or holds
// anything else.
std::optional<int64_t> ParseDay(std::string_view text, DateFormat format);
// A date read when no format is given (the importer's default): "YYYY-MM-DD" in ASCII digits,
// optionally followed by "T..." or " ..." (ignored, as ParseIsoDay), where a year of 1200-1499 is
// Solar Hijri ("1405-09-09" is 2026-11-30), the rule GuessDateFormat uses, and other years are
// Gregorian. Nothing when the text is no such date or its year is outside its calendar's
// plausible range. `calendar`, when given, is set to the calendar the year picked.
std::optional<int64_t> ParseDefaultDay(std::string_view text, Calendar* calendar = nullptr);
// Which format reads a column's dates, from samples of it.
struct DateFormatGuess {
  DateFormat format;       // the guess; ymd Gregorian when no sample is a date
  bool ambiguous = false;  // dmy is the guess and mdy reads as many samples (03/04/2026): ask
  int parsed = 0;          // non-empty samples `format` reads
  int tried = 0;           // non-empty samples (blank ones are skipped)
};
// The format that reads the most non-empty samples (all of them, normally): a 4-digit year first
// is ymd, or Jalali when the year is 1200-1499; a year last is dmy or mdy, told apart by a first
// or second field over 12. When dmy reads the most samples and mdy as many (the samples that are
// no date, "N/A", do not decide it), `ambiguous` is set and the format is dmy. parsed < tried
// says some samples are no date in the guessed format.
DateFormatGuess GuessDateFormat(const std::vector<std::string_view>& samples);
// "ymd", "dmy", "mdy", or "jalali" (Solar Hijri year/month/day), as in `--date-format`.
const char* DateFormatName(DateFormat format);
// The format DateFormatName() names; "iso" is also ymd. Nothing for other text.
std::optional<DateFormat> ParseDateFormat(std::string_view name);

// Period bucketing for reports.
enum class Period { kDay, kWeek, kMonth };
// Parses "day", "week" or "month" (as in `by=` of GET /v1/report and `--period` of the CLI).
// Error kInvalidArgument: "\"x\" is not a period (use day, week or month)".
Result<Period> ParsePeriod(std::string_view text);
// Label of the period holding `days`, Gregorian: "2026-11-22" (day), "2026-W47" (ISO week,
// Monday first), "2026-11" (month).
std::string PeriodLabel(int64_t days, Period period);
// Label of the period holding `days` in `calendar`. Gregorian as above. Jalali: "1405-09-09"
// (day), "1405-09" (month), and a week (Saturday to Friday, METRICS.md) is labelled by its
// Saturday followed by "/W": 2026-11-30 (1405-09-09, a Monday) is in week "1405-09-07/W". A week
// keeps that one label across a month or year boundary ("1404-12-27/W" holds 1405-01-01).
// Every label is zero-padded, so labels of one kind sort as their periods do.
std::string PeriodLabel(int64_t days, Period period, Calendar calendar);

// ---- Named ranges (`preset=` of GET /v1/report and /v1/comments, the dashboard's range menu) ----
// Whole days ending today at the latest, in the view's calendar (METRICS.md, "Periods and
// calendars"): weeks are ISO weeks (Monday first) in the Gregorian calendar and start on
// Saturday in the Solar Hijri one; months are the calendar's months.
enum class RangePreset {
  kLast30Days,  // the 30 days ending today, today included (a live view moves with it; the
                // report's default without from/to stays the last 30 whole days)
  kThisMonth,   // the calendar month holding today, through today
  kLastMonth,   // the whole month before it
  kThisWeek,    // the week holding today, through today
  kLastWeek,    // the whole week before it
};
// "last_30_days", "this_month", "last_month", "this_week", "last_week".
const char* RangePresetName(RangePreset preset);
// The preset RangePresetName() names. Error kInvalidArgument: "\"x\" is not a range (use
// last_30_days, this_month, last_month, this_week or last_week)"; the caller prefixes where.
Result<RangePreset> ParseRangePreset(std::string_view text);
// The days of `preset` on `today` (a day number) in `calendar`, both ends included. On
// 2026-12-01 this_month is 2026-12-01..2026-12-01 in Gregorian and 1405-09-01..1405-09-10
// (2026-11-22..2026-12-01) in Jalali.
DayRange PresetRange(RangePreset preset, int64_t today, Calendar calendar);
// The label of a day in `calendar`: "2026-12-01" (Gregorian), "1405-09-10" (Jalali), with
// `digits`' digits ("۱۴۰۵-۰۹-۱۰" for kPersian). What a report shows as its range.
std::string FormatDayIn(int64_t days, Calendar calendar, DigitStyle digits = DigitStyle::kLatin);

}  // namespace nazar

#endif  // NAZAR_DATE_H_
