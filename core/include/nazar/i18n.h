// Locales, text direction, digit shaping and the widget's own UI strings.
#ifndef NAZAR_I18N_H_
#define NAZAR_I18N_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nazar {

// Normalizes a BCP 47 tag: "fa_IR" -> "fa-IR", "EN-us" -> "en-US", "zh-hant-tw" -> "zh-Hant-TW".
// Returns "" for garbage (empty, over 35 characters, subtags not 1-8 ASCII letters/digits).
std::string CanonicalLocale(std::string_view tag);

// Lookup chain for `requested` within `available`: "fa-IR" -> {"fa-IR", "fa", default, first}.
// Between the requested tag's prefixes and the default comes the first other variety of the
// same language ("pt-PT" for "pt-BR"; not across scripts), since that beats another language.
// Matching ignores case and '_'/'-'; entries keep the spelling used in `available`, without
// duplicates. Only tags present in `available` are returned; never empty when `available` is not.
std::vector<std::string> LocaleChain(std::string_view requested,
                                     const std::vector<std::string>& available,
                                     std::string_view default_locale);

// True for scripts written right to left (ar, fa, he, ur, ps, ckb, sd, ug, yi, dv, ...). A script
// subtag decides when present: "uz-Arab" is RTL, "sd-Deva" is not. Invalid tags: false.
bool IsRtl(std::string_view locale);

enum class DigitStyle { kLatin, kPersian, kArabicIndic };
// Digits a locale writes: fa and ps -> Persian (U+06F0..), ar (except ar-MA/DZ/TN/LY/EH) and
// ckb -> Arabic-Indic (U+0660..), others (ur included) Latin. A "-u-nu-latn" extension forces
// Latin, "-u-nu-arab" Arabic-Indic and "-u-nu-arabext" Persian, so a site can override CLDR.
DigitStyle DigitsFor(std::string_view locale);
// Replaces ASCII digits in UTF-8 `text` with the style's digits.
std::string ShapeDigits(std::string_view text, DigitStyle style);
// Formats an integer in the locale's digits, without grouping. Negative numbers get the
// locale's bidi-safe minus (fa: LRM U+2212, Arabic-Indic digits: ALM '-') so they read right.
std::string FormatInt(long long value, std::string_view locale);
// Replaces Persian, Arabic-Indic and full-width digits in UTF-8 `text` with ASCII ones.
std::string NormalizeDigits(std::string_view text);

// Decodes the code point at byte `pos` of `text` into `*cp` and returns its length in bytes.
// Invalid, overlong, surrogate or truncated sequences yield U+FFFD with length 1, so callers can
// always advance. Shared by the i18n and privacy scanners instead of each carrying a decoder.
// `pos` past the end gives 0 and *cp = 0.
size_t Utf8Decode(std::string_view text, size_t pos, uint32_t* cp);
// Appends `cp` to `out` as UTF-8 (U+FFFD for values that are not scalar values).
void AppendUtf8(uint32_t cp, std::string* out);

// Number of Unicode code points in UTF-8 `text` (invalid bytes count one each).
size_t Utf8Length(std::string_view text);
// `text` cut to at most `max_code_points` code points, never inside a sequence.
std::string Utf8Truncate(std::string_view text, size_t max_code_points);

// The widget's built-in UI strings ("Next", "Submit", ...), for en, fa and ar; other languages come
// as data files (web/locales/*.json) that a survey adds as its "strings".
// clang-format off
enum class UiString {
  kNext, kBack, kSubmit, kSkip, kClose, kThankYou, kSurveyLabel, kQuestionOf, kOptional,
  kCharactersLeft, kRequiredHint, kStars,
  kOutOf,     // "{1} of {2}": the accessible name of a point on an emoji scale
  kAgreeMin,  // "Strongly disagree": the low anchor of a CES scale without labels of its own
  kAgreeMax,  // "Strongly agree": its high anchor
  kScaleEnd,  // "{1}, {2}": the accessible name of a scale end, its point's name then its label
  kUnsent,    // "Unsent answers: {1}": kiosk mode's count for the staff
  kNpsMin,    // "Not at all likely": the 0 anchor of an NPS scale without labels of its own
  kNpsMax,    // "Extremely likely": its 10 anchor
  kCsatMin,   // "Very dissatisfied": the low anchor of a CSAT scale without labels of its own
  kCsatMax,   // "Very satisfied": its high anchor
};
// clang-format on
inline constexpr int kUiStringCount = static_cast<int>(UiString::kCsatMax) + 1;
// Each UiString's name in a definition's "strings" (Contract 1), in enum order.
inline constexpr const char* kUiStringNames[kUiStringCount] = {
    "next",          "back",   "submit",      "skip",      "close",
    "thank_you",     "survey", "question_of", "optional",  "characters_left",
    "required_hint", "stars",  "out_of",      "agree_min", "agree_max",
    "scale_end",     "unsent", "nps_min",     "nps_max",   "csat_min",
    "csat_max"};

// UI strings a survey definition adds for one locale (its "strings": {"it": {"next": ...}}), for
// languages beyond the built-in ones or to reword one. An empty text was not given.
struct UiStringTable {
  std::string locale;
  std::string texts[kUiStringCount];
};
// The string in the first locale of `chain` that has one (exact tag, then its language): the
// survey's own `tables` first, then the built-in rows. A string a table leaves out is the
// built-in one when its language is built in (a table rewords only what it names), else English
// (not the next locale of the chain: a reader of the added language more likely reads English
// than the survey's default language). No locale of the chain has strings: English. kQuestionOf
// ("Question {1} of {2}"), kCharactersLeft ("{1} characters left"), kStars ("{1} of {2} stars", an
// aria label) and kScaleEnd contain placeholders for FormatPattern(); a translation may put them in
// either order. Built in: en, fa, ar (others: web/locales). Never nullptr.
const char* UiText(UiString id, const std::vector<std::string>& chain,
                   const std::vector<UiStringTable>& tables = {});
// Which placeholders a translation of `id` must contain, as the English one does: bit 0 for {1},
// bit 1 for {2}. A definition's "strings" are checked against it.
int UiPlaceholders(UiString id);
// True when `locale` is exactly one of the built-in UI languages above ("fa", not "fa-IR"),
// compared as canonical tags: the widget can show its own strings in it whatever the survey's
// locales, so a payload may carry it (Contract 3; IsPayloadLocale in aggregate.h).
bool IsUiLocale(std::string_view locale);
// `text` with every bidi embedding, override or isolate it opens closed at its end (U+202C PDF,
// U+2069 PDI, innermost first), so a survey text's U+202E cannot reorder the words shown after
// it (an accessible name that joins a label to UI text, a row of labels). Paired controls and
// all other characters are kept as they are; stray closers are kept too (they close nothing).
std::string CloseBidi(std::string_view text);
// An explicit bidi embedding, override or isolate, or the end of one (U+202A-202E, U+2066-2069):
// the characters CloseBidi() balances.
bool IsBidiControl(uint32_t cp);

// Replaces every {1} with `a` and {2} with `b` in `pattern`; other text, braces included, is kept.
std::string FormatPattern(std::string_view pattern, std::string_view a, std::string_view b = "");

}  // namespace nazar

#endif  // NAZAR_I18N_H_
