// Text answers of survey exports read as scale points: "Very satisfied", "7 - Strongly agree",
// "خیلی راضی", "أوافق بشدة". Exports from survey tools often write the label a respondent chose
// instead of its number; the importer and the column mapping read both.
#ifndef NAZAR_ANSWERS_H_
#define NAZAR_ANSWERS_H_

#include <optional>
#include <string_view>

#include "nazar/definition.h"

namespace nazar {

// The scale point a text answer names for a question of `type`: NPS 0-10 (`scale` ignored),
// CSAT, CES and rating 1..`scale`; choice and text questions name none. A leading number in any
// digits wins when in range and followed by nothing but separators ("۵" -> 5, "6.") or by a
// separator and a label of the tables below, of any type ("10 - Extremely likely" -> 10,
// "5 (Very satisfied)" -> 5); a number off the scale, a fraction ("4.5") or a number followed by
// other text ("3 Main St", "1-2 times", "7/10", "10 stars") names nothing. Otherwise the standard
// labels in English, Persian and Arabic: NPS "Not at all likely" -> 0 and "Extremely likely" -> 10,
// 5-point CSAT "Very dissatisfied" .. "Very satisfied" -> 1..5, 7-point CES "Strongly disagree" ..
// "Strongly agree" -> 1..7. Matching ignores ASCII case, spaces and punctuation around and between
// words, Arabic diacritics, tatweel, ZWNJ and bidi marks, and folds Arabic/Persian letter variants
// (ي/ی, ك/ک, ة/ه, أ/إ/آ/ا). Nothing when the text names no point.
std::optional<int> ScalePointOfText(std::string_view text, QuestionType type, int scale);

}  // namespace nazar

#endif  // NAZAR_ANSWERS_H_
