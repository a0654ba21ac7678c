// Civil dates as used by payload periods, report ranges and imported responses: day resolution,
// proleptic Gregorian, no time zone database (the host passes its UTC offset).
#ifndef NAZAR_DATE_H_
#define NAZAR_DATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

// Period bucketing for reports.
enum class Period { kDay, kWeek, kMonth };
// Label of the period holding `days`: "2026-11-22" (day), "2026-W47" (ISO week), "2026-11" (month).
std::string PeriodLabel(int64_t days, Period period);

}  // namespace nazar

#endif  // NAZAR_DATE_H_
