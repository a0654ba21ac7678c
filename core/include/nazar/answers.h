// Text answers of survey exports read as scale points: "Very satisfied", "7 - Strongly agree",
// "خیلی راضی", "أوافق بشدة". Exports from survey tools often write the label a respondent chose
// instead of its number; the importer and the column mapping read both.
#ifndef NAZAR_ANSWERS_H_
#define NAZAR_ANSWERS_H_

#include <optional>
#include <string_view>

#include "nazar/definition.h"

namespace nazar {

// The scale point a text answer names for a question of `type` with `scale` points: NPS 0-10,
// CSAT 1-5, CES 1-7, rating 1..scale. A leading number in any digits wins when in range ("10 -
// Extremely likely" -> 10, "۵" -> 5); otherwise the standard labels in English, Persian and
// Arabic (CSAT "Very satisfied" -> 5, CES "Strongly agree" -> 7, NPS "Not at all likely" -> 0).
// Case (ASCII), surrounding spaces and punctuation, Arabic diacritics, tatweel and ZWNJ are
// ignored and Arabic/Persian letter variants folded. Nothing when the text names no point.
std::optional<int> ScalePointOfText(std::string_view text, QuestionType type, int scale);

}  // namespace nazar

#endif  // NAZAR_ANSWERS_H_
