#include "nazar/date.h"

#include <cstdio>

#include "nazar/i18n.h"

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

// The first day of the week holding `days`: Monday (ISO) in Gregorian, Saturday in Jalali.
// 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays, (days + 5) mod 7 on Saturdays.
int64_t WeekStart(int64_t days, Calendar calendar) {
  return days - FloorMod(days + (calendar == Calendar::kJalali ? 5 : 3), 7);
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
      // Saturday first (METRICS.md).
      return FormatJalali(JalaliFromDays(WeekStart(days, Calendar::kJalali)), true) + "/W";
    }
  }
  return FormatJalali(JalaliFromDays(days), true);
}

namespace {

// The first day of the month holding `days` in `calendar`.
int64_t MonthStart(int64_t days, Calendar calendar) {
  if (calendar == Calendar::kJalali) {
    const JalaliDate j = JalaliFromDays(days);
    return days - (j.day - 1);
  }
  int y, m, d;
  CivilFromDays(days, &y, &m, &d);
  return days - (d - 1);
}

constexpr RangePreset kPresets[] = {RangePreset::kLast30Days, RangePreset::kThisMonth,
                                    RangePreset::kLastMonth, RangePreset::kThisWeek,
                                    RangePreset::kLastWeek};

}  // namespace

const char* RangePresetName(RangePreset preset) {
  switch (preset) {
    case RangePreset::kLast30Days:
      return "last_30_days";
    case RangePreset::kThisMonth:
      return "this_month";
    case RangePreset::kLastMonth:
      return "last_month";
    case RangePreset::kThisWeek:
      return "this_week";
    case RangePreset::kLastWeek:
      return "last_week";
  }
  return "last_30_days";
}

Result<RangePreset> ParseRangePreset(std::string_view text) {
  for (RangePreset p : kPresets) {
    if (text == RangePresetName(p)) return p;
  }
  return Status(StatusCode::kInvalidArgument,
                "\"" + std::string(text) +
                    "\" is not a range (use last_30_days, this_month, last_month, this_week or "
                    "last_week)");
}

DayRange PresetRange(RangePreset preset, int64_t today, Calendar calendar) {
  constexpr int kLastDays = 30;
  switch (preset) {
    case RangePreset::kLast30Days:
      return DayRange{today - (kLastDays - 1), today};
    case RangePreset::kThisMonth:
      return DayRange{MonthStart(today, calendar), today};
    case RangePreset::kLastMonth: {
      const int64_t end = MonthStart(today, calendar) - 1;
      return DayRange{MonthStart(end, calendar), end};
    }
    case RangePreset::kThisWeek:
      return DayRange{WeekStart(today, calendar), today};
    case RangePreset::kLastWeek: {
      const int64_t start = WeekStart(today, calendar) - 7;
      return DayRange{start, start + 6};
    }
  }
  return DayRange{today - (kLastDays - 1), today};
}

std::string FormatDayIn(int64_t days, Calendar calendar, DigitStyle digits) {
  const std::string label =
      calendar == Calendar::kJalali ? FormatJalali(JalaliFromDays(days), true) : FormatDay(days);
  return digits == DigitStyle::kLatin ? label : ShapeDigits(label, digits);
}

}  // namespace nazar

// ---- Dates as survey exports write them ----
namespace nazar {
namespace {

// Reads 1 to `max_digits` ASCII digits at *pos (no more follow), advancing *pos.
bool ReadNumber(std::string_view s, size_t* pos, size_t min_digits, size_t max_digits, int* out) {
  size_t i = *pos;
  int v = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    if (i - *pos == max_digits) return false;
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i - *pos < min_digits) return false;
  *pos = i;
  *out = v;
  return true;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// True when s[pos..] starts with `word`, ignoring ASCII case, and no letter follows it.
bool ConsumeWord(std::string_view s, size_t* pos, std::string_view word) {
  if (s.size() - *pos < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(s[*pos + i]) != word[i]) return false;
  }
  const size_t end = *pos + word.size();
  if (end < s.size() && IsAsciiLetter(s[end])) return false;
  *pos = end;
  return true;
}

void SkipSpaces(std::string_view s, size_t* pos) {
  while (*pos < s.size() && (s[*pos] == ' ' || s[*pos] == '\t')) ++*pos;
}

// The time and offset after a date, from s[pos..] to the end: "14:05", "14:05:09.123",
// "2:05 PM", then optionally "Z", "UTC"/"GMT", "+03:30", "+0330", "-05". Only checked for
// validity: the day as written does not depend on it.
bool IsTimeTail(std::string_view s, size_t pos) {
  int hour, minute, second = 0;
  if (!ReadNumber(s, &pos, 1, 2, &hour) || pos >= s.size() || s[pos] != ':') return false;
  ++pos;
  if (!ReadNumber(s, &pos, 2, 2, &minute) || minute > 59) return false;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!ReadNumber(s, &pos, 2, 2, &second) || second > 60) return false;  // 60: leap second
    if (pos < s.size() && s[pos] == '.') {
      const size_t start = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
      if (pos == start) return false;
    }
  }
  SkipSpaces(s, &pos);
  // 12-hour clock: "2:05 PM", "12:30 a.m."; the hour is then 1-12.
  if (ConsumeWord(s, &pos, "am") || ConsumeWord(s, &pos, "pm") || ConsumeWord(s, &pos, "a.m.") ||
      ConsumeWord(s, &pos, "p.m.")) {
    if (hour < 1 || hour > 12) return false;
    SkipSpaces(s, &pos);
  } else if (hour > 23) {
    return false;
  }
  if (pos == s.size()) return true;
  if (s[pos] == 'Z' || s[pos] == 'z') return pos + 1 == s.size();
  if (ConsumeWord(s, &pos, "utc") || ConsumeWord(s, &pos, "gmt")) {
    if (pos == s.size()) return true;
  }
  if (s[pos] != '+' && s[pos] != '-') return false;
  ++pos;
  int offset_hours, offset_minutes = 0;
  // Exactly two digits each: "+03", "+0330", "+03:30".
  if (!ReadDigits(s, pos, 2, &offset_hours) || offset_hours > 14) return false;
  pos += 2;
  if (pos < s.size()) {
    if (s[pos] == ':') ++pos;
    if (!ReadDigits(s, pos, 2, &offset_minutes) || offset_minutes > 59) return false;
    pos += 2;
  }
  return pos == s.size();
}

// Drops the bidi marks a right-to-left export may put around numbers (LRM, RLM, ALM).
std::string WithoutBidiMarks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp;
    const size_t len = Utf8Decode(s, i, &cp);
    if (cp != 0x200E && cp != 0x200F && cp != 0x061C) out.append(s, i, len);
    i += len;
  }
  return out;
}

// The three numbers of a date and where its tail starts, before any calendar check: `year_first`
// reads 4-digit year, month or day, day or month; otherwise the 4-digit year comes last.
struct DateFields {
  int first = 0, second = 0, third = 0;
};
bool ReadDateFields(std::string_view s, bool year_first, DateFields* out) {
  size_t pos = 0;
  if (!ReadNumber(s, &pos, year_first ? 4 : 1, year_first ? 4 : 2, &out->first)) return false;
  if (pos >= s.size() || (s[pos] != '-' && s[pos] != '/' && s[pos] != '.')) return false;
  const char sep = s[pos++];
  if (!ReadNumber(s, &pos, 1, 2, &out->second)) return false;
  if (pos >= s.size() || s[pos] != sep) return false;  // one separator throughout
  ++pos;
  if (!ReadNumber(s, &pos, year_first ? 1 : 4, year_first ? 2 : 4, &out->third)) return false;
  if (pos == s.size()) return true;
  // A time after 'T', or after spaces (with an optional comma: "11/30/2026, 2:05 PM").
  if (s[pos] == 'T' || s[pos] == 't') return IsTimeTail(s, pos + 1);
  if (s[pos] == ',') ++pos;
  const size_t before = pos;
  SkipSpaces(s, &pos);
  return pos > before && pos < s.size() && IsTimeTail(s, pos);
}

std::optional<int64_t> GregorianDay(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return std::nullopt;
  return DaysFromCivil(year, month, day);
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// Jalali years a year-first date without a format is read in (METRICS.md: the 33-year rule
// holds from 1178); Gregorian years of survey data never fall here. The one rule of GuessDateFormat
// and ParseDefaultDay.
bool IsJalaliEraYear(int year) { return year >= kMinJalaliEraYear && year <= kMaxJalaliEraYear; }

// A year a survey export's date can have in `calendar` (date.h: kMinGregorianYear...).
bool IsPlausibleYear(int year, Calendar calendar) {
  return calendar == Calendar::kJalali ? year >= kMinJalaliYear && year <= kMaxJalaliYear
                                       : year >= kMinGregorianYear && year <= kMaxGregorianYear;
}

// `text` without surrounding blanks, with ASCII digits and no bidi marks; `buffer` holds the
// copy when one is needed (non-ASCII text).
std::string_view NormalizeDate(std::string_view text, std::string* buffer) {
  std::string_view s = TrimBlanks(text);
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      *buffer = WithoutBidiMarks(NormalizeDigits(s));
      return TrimBlanks(*buffer);
    }
  }
  return s;
}

// The day of date fields read in `format`, when they are a valid date.
std::optional<int64_t> DayOfFields(const DateFields& f, DateFormat format) {
  const bool year_first = format.order == DateOrder::kYmd || format.calendar == Calendar::kJalali;
  if (!IsPlausibleYear(year_first ? f.first : f.third, format.calendar)) return std::nullopt;
  if (format.calendar == Calendar::kJalali) return DaysFromJalali(f.first, f.second, f.third);
  switch (format.order) {
    case DateOrder::kYmd:
      return GregorianDay(f.first, f.second, f.third);
    case DateOrder::kDmy:
      return GregorianDay(f.third, f.second, f.first);
    case DateOrder::kMdy:
      return GregorianDay(f.third, f.first, f.second);
  }
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> ParseDay(std::string_view text, DateFormat format) {
  std::string buffer;
  const std::string_view s = NormalizeDate(text, &buffer);
  // Solar Hijri dates are year/month/day whatever `order` says.
  const bool year_first = format.order == DateOrder::kYmd || format.calendar == Calendar::kJalali;
  DateFields f;
  if (!ReadDateFields(s, year_first, &f)) return std::nullopt;
  return DayOfFields(f, format);
}

std::optional<int64_t> ParseDefaultDay(std::string_view text, Calendar* calendar) {
  int y, m, d;
  if (text.size() < 10 || !ReadDigits(text, 0, 4, &y) || text[4] != '-' || text[7] != '-' ||
      !ReadDigits(text, 5, 2, &m) || !ReadDigits(text, 8, 2, &d)) {
    return std::nullopt;
  }
  if (text.size() > 10 && text[10] != 'T' && text[10] != ' ') return std::nullopt;
  const DateFormat format{DateOrder::kYmd,
                          IsJalaliEraYear(y) ? Calendar::kJalali : Calendar::kGregorian};
  if (calendar != nullptr) *calendar = format.calendar;
  return DayOfFields(DateFields{y, m, d}, format);
}

DateFormatGuess GuessDateFormat(const std::vector<std::string_view>& samples) {
  // Candidates in the order a tie is broken. ymd/jalali and dmy/mdy never read the same text (the
  // year is first or last); dmy comes before mdy (most of the world writes the day first), and a
  // tie between those two is `ambiguous`: the page asks.
  const DateFormat kCandidates[] = {{DateOrder::kYmd, Calendar::kGregorian},
                                    {DateOrder::kYmd, Calendar::kJalali},
                                    {DateOrder::kDmy, Calendar::kGregorian},
                                    {DateOrder::kMdy, Calendar::kGregorian}};
  constexpr int kCount = 4, kYmd = 0, kJalali = 1, kDmy = 2, kMdy = 3;
  int parsed[kCount] = {0, 0, 0, 0};
  int tried = 0;
  std::string buffer;
  for (std::string_view sample : samples) {
    const std::string_view s = NormalizeDate(sample, &buffer);
    if (s.empty()) continue;
    ++tried;
    DateFields f;
    if (ReadDateFields(s, true, &f)) {
      // A year-first date is Solar Hijri when its year is 1200-1499, else Gregorian.
      const int c = IsJalaliEraYear(f.first) ? kJalali : kYmd;
      if (DayOfFields(f, kCandidates[c])) ++parsed[c];
    } else if (ReadDateFields(s, false, &f)) {
      if (DayOfFields(f, kCandidates[kDmy])) ++parsed[kDmy];
      if (DayOfFields(f, kCandidates[kMdy])) ++parsed[kMdy];
    }
  }
  int best = kYmd;
  for (int c = 1; c < kCount; ++c) {
    if (parsed[c] > parsed[best]) best = c;
  }
  DateFormatGuess guess;
  guess.format = kCandidates[best];
  guess.parsed = parsed[best];
  guess.tried = tried;
  // Decided among the samples that read: one "N/A" must not turn the question into a silent dmy.
  guess.ambiguous = best == kDmy && parsed[kDmy] > 0 && parsed[kDmy] == parsed[kMdy];
  return guess;
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
