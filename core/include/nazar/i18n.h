// Locales, text direction, digit shaping and the widget's own UI strings.
#ifndef NAZAR_I18N_H_
#define NAZAR_I18N_H_

#include <string>
#include <string_view>
#include <vector>

namespace nazar {

// Normalizes a BCP 47 tag: "fa_IR" -> "fa-IR", "EN-us" -> "en-US". Returns "" for garbage.
std::string CanonicalLocale(std::string_view tag);

// Lookup chain for `requested` within `available`: "fa-IR" -> {"fa-IR", "fa", default, first}.
// Only tags present in `available` are returned; never empty when `available` is not.
std::vector<std::string> LocaleChain(std::string_view requested,
                                     const std::vector<std::string>& available,
                                     std::string_view default_locale);

// True for scripts written right to left (ar, fa, he, ur, ps, ckb, sd, ug, yi, dv).
bool IsRtl(std::string_view locale);

enum class DigitStyle { kLatin, kPersian, kArabicIndic };
// Digits a locale writes: fa -> Persian (U+06F0..), ar (except the Maghreb) -> Arabic-Indic
// (U+0660..), others Latin. A "-u-nu-latn" extension forces Latin.
DigitStyle DigitsFor(std::string_view locale);
// Replaces ASCII digits in UTF-8 `text` with the style's digits.
std::string ShapeDigits(std::string_view text, DigitStyle style);
// Formats an integer in the locale's digits.
std::string FormatInt(long long value, std::string_view locale);
// Replaces Persian, Arabic-Indic and full-width digits in UTF-8 `text` with ASCII ones.
std::string NormalizeDigits(std::string_view text);

// Number of Unicode code points in UTF-8 `text` (invalid bytes count one each).
size_t Utf8Length(std::string_view text);
// `text` cut to at most `max_code_points` code points, never inside a sequence.
std::string Utf8Truncate(std::string_view text, size_t max_code_points);

// The widget's built-in UI strings ("Next", "Submit", ...), for en, fa, ar and a few more.
enum class UiString {
  kNext, kBack, kSubmit, kSkip, kClose, kThankYou, kSurveyLabel, kQuestionOf, kOptional,
  kCharactersLeft, kRequiredHint, kStars,
};
// The string in the first locale of `chain` that has one, else English. kQuestionOf and
// kCharactersLeft contain "{1}"/"{2}" placeholders for Format().
const char* UiText(UiString id, const std::vector<std::string>& chain);
// Replaces {1} and {2} in `pattern`.
std::string FormatPattern(std::string_view pattern, std::string_view a, std::string_view b = "");

}  // namespace nazar

#endif  // NAZAR_I18N_H_
