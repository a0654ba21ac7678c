#include "nazar/date.h"

#include <cstdio>

namespace nazar {
namespace {

void CivilFromDays(int64_t z, int* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = static_cast<int>(yoe + era * 400 + (*month <= 2));
}

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool ReadDigits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    v = v * 10 + (text[i] - '0');
  }
  *out = v;
  return true;
}

// Floor division and modulo (C++ rounds toward zero), for days and years before the epochs.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

// Day number of Farvardin 1 of Jalali year 1 under the 33-year rule (date.h): chosen so that
// Farvardin 1, 1405 is 2026-03-21 (day 20533).
constexpr int64_t kJalaliEpoch = -492268;

// Day number of Farvardin 1 of `year`: 365 days a year plus one per leap year before it, and
// floor((8 (year - 1) + 29) / 33) leap years lie in 1 .. year - 1.
int64_t JalaliNewYear(int64_t year) {
  return kJalaliEpoch + 365 * (year - 1) + FloorDiv(8 * year + 21, 33);
}

// Days before `month` (1-12) in a Jalali year: six months of 31, then 30.
int64_t JalaliDaysBeforeMonth(int month) {
  return month <= 7 ? 31 * (month - 1) : 186 + 30 * (month - 7);
}

std::string FormatJalali(const JalaliDate& date, bool with_day) {
  char buf[24];
  if (with_day) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d", date.year, date.month);
  }
  return buf;
}

}  // namespace

bool IsJalaliLeapYear(int year) { return FloorMod(8 * int64_t{year} + 29, 33) < 8; }

JalaliDate JalaliFromDays(int64_t days) {
  // 12053 days in every 33 years: an estimate at most one year off, then corrected.
  int64_t year = FloorDiv(33 * (days - kJalaliEpoch), 12053) + 1;
  while (JalaliNewYear(year) > days) --year;
  while (JalaliNewYear(year + 1) <= days) ++year;
  const int64_t day_of_year = days - JalaliNewYear(year);  // 0-based
  JalaliDate out;
  out.year = static_cast<int>(year);
  if (day_of_year < 186) {
    out.month = static_cast<int>(day_of_year / 31) + 1;
    out.day = static_cast<int>(day_of_year % 31) + 1;
  } else {
    out.month = static_cast<int>((day_of_year - 186) / 30) + 7;
    out.day = static_cast<int>((day_of_year - 186) % 30) + 1;
  }
  return out;
}

std::optional<int64_t> DaysFromJalali(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  const int length = month <= 6 ? 31 : month <= 11 ? 30 : IsJalaliLeapYear(year) ? 30 : 29;
  if (day > length) return std::nullopt;
  return JalaliNewYear(year) + JalaliDaysBeforeMonth(month) + day - 1;
}

const char* CalendarName(Calendar calendar) {
  return calendar == Calendar::kJalali ? "jalali" : "gregorian";
}

Result<Calendar> ParseCalendar(std::string_view text) {
  if (text == "gregorian") return Calendar::kGregorian;
  if (text == "jalali") return Calendar::kJalali;
  return Status(StatusCode::kInvalidArgument,
                "\"" + std::string(text) + "\" is not a calendar (use gregorian or jalali)");
}

Result<DayRange> ParseDayRange(std::string_view text) {
  const size_t dots = text.find("..");
  std::optional<int64_t> from, to;
  if (dots == 10 && text.size() == 22) {
    from = ParseIsoDay(text.substr(0, 10));
    to = ParseIsoDay(text.substr(12));
  }
  if (!from || !to) {
    return Status(StatusCode::kInvalidArgument, "expected FROM..TO, two days YYYY-MM-DD");
  }
  if (*from > *to) {
    return Status(StatusCode::kInvalidArgument, FormatDay(*from) + " is after " + FormatDay(*to));
  }
  return DayRange{*from, *to};
}

DayRange LastWholeDays(int64_t today, int days) { return DayRange{today - days, today - 1}; }

Result<Period> ParsePeriod(std::string_view text) {
  if (text == "day") return Period::kDay;
  if (text == "week") return Period::kWeek;
  if (text == "month") return Period::kMonth;
  return Status(StatusCode::kInvalidArgument,
                "\"" + std::string(text) + "\" is not a period (use day, week or month)");
}

int64_t DaysFromCivil(int year, int month, int day) {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string FormatDay(int64_t days) {
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

int64_t LocalDay(int64_t utc_ms, int utc_offset_minutes) {
  const int64_t local_ms = utc_ms + int64_t{utc_offset_minutes} * 60000;
  const int64_t kMsPerDay = 86400000;
  return local_ms >= 0 ? local_ms / kMsPerDay : -((-local_ms + kMsPerDay - 1) / kMsPerDay);
}

std::optional<int64_t> ParseIsoDay(std::string_view text) {
  int y, m, d;
  if (!ReadDigits(text, 0, 4, &y) || text.size() < 10 || text[4] != '-' || text[7] != '-' ||
      !ReadDigits(text, 5, 2, &m) || !ReadDigits(text, 8, 2, &d)) {
    return std::nullopt;
  }
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

std::string PeriodLabel(int64_t days, Period period) {
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[16];
  switch (period) {
    case Period::kDay:
      return FormatDay(days);
    case Period::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
      return buf;
    case Period::kWeek: {
      // ISO 8601 week: the week belongs to the year of its Thursday. 1970-01-01 was a Thursday.
      const int64_t weekday = ((days % 7) + 7 + 3) % 7;  // 0 = Monday
      const int64_t thursday = days - weekday + 3;
      int ty, tm, td;
      CivilFromDays(thursday, &ty, &tm, &td);
      const int64_t week = (thursday - DaysFromCivil(ty, 1, 1)) / 7 + 1;
      std::snprintf(buf, sizeof buf, "%04d-W%02d", ty, static_cast<int>(week));
      return buf;
    }
  }
  return FormatDay(days);
}

std::string PeriodLabel(int64_t days, Period period, Calendar calendar) {
  if (calendar == Calendar::kGregorian) return PeriodLabel(days, period);
  switch (period) {
    case Period::kDay:
      return FormatJalali(JalaliFromDays(days), true);
    case Period::kMonth:
      return FormatJalali(JalaliFromDays(days), false);
    case Period::kWeek: {
      // Saturday first. 1970-01-01 was a Thursday, so (days + 5) mod 7 is 0 on Saturdays.
      const int64_t saturday = days - FloorMod(days + 5, 7);
      return FormatJalali(JalaliFromDays(saturday), true) + "/W";
    }
  }
  return FormatJalali(JalaliFromDays(days), true);
}

}  // namespace nazar

namespace nazar {

std::optional<int64_t> ParseDay(std::string_view text, DateFormat format) {
  (void)text;
  (void)format;
  return std::nullopt;  // TODO(i7dates): body follows
}

DateFormatGuess GuessDateFormat(const std::vector<std::string_view>& samples) {
  DateFormatGuess guess;
  (void)samples;
  return guess;  // TODO(i7dates): body follows
}

const char* DateFormatName(DateFormat format) {
  if (format.calendar == Calendar::kJalali) return "jalali";
  switch (format.order) {
    case DateOrder::kYmd:
      return "ymd";
    case DateOrder::kDmy:
      return "dmy";
    case DateOrder::kMdy:
      return "mdy";
  }
  return "ymd";
}

std::optional<DateFormat> ParseDateFormat(std::string_view name) {
  if (name == "ymd" || name == "iso") return DateFormat{DateOrder::kYmd, Calendar::kGregorian};
  if (name == "dmy") return DateFormat{DateOrder::kDmy, Calendar::kGregorian};
  if (name == "mdy") return DateFormat{DateOrder::kMdy, Calendar::kGregorian};
  if (name == "jalali") return DateFormat{DateOrder::kYmd, Calendar::kJalali};
  return std::nullopt;
}

}  // namespace nazar
