#include "nazar/answers.h"

#include <string>
#include <vector>

#include "nazar/i18n.h"

namespace nazar {
namespace {

// ---- Folding: what matching ignores ----

// The value of a decimal digit in ASCII, Persian (U+06F0..), Arabic-Indic (U+0660..) or
// full-width (U+FF10..) form, else -1. The same digit sets NormalizeDigits() reads.
int DigitValue(uint32_t cp) {
  if (cp >= '0' && cp <= '9') return static_cast<int>(cp - '0');
  if (cp >= 0x06F0 && cp <= 0x06F9) return static_cast<int>(cp - 0x06F0);
  if (cp >= 0x0660 && cp <= 0x0669) return static_cast<int>(cp - 0x0660);
  if (cp >= 0xFF10 && cp <= 0xFF19) return static_cast<int>(cp - 0xFF10);
  return -1;
}

// Marks dropped from answers: Arabic harakat and tanwin (U+064B-065F), superscript alef (U+0670),
// tatweel (U+0640), ZWNJ/ZWJ, the bidi marks LRM/RLM/ALM and a stray BOM.
bool IsIgnoredMark(uint32_t cp) {
  return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640 || cp == 0x200C ||
         cp == 0x200D || cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0xFEFF;
}

// Spaces and punctuation that separate words: ASCII ones, no-break and typographic spaces,
// guillemets, dashes and quotes (U+2010-2027), the Arabic comma, semicolon, question mark,
// percent and separators (U+066A-066D), the Urdu full stop.
bool IsSeparator(uint32_t cp) {
  if (cp < 0x80) {
    return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
  }
  return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x3000 ||
         cp == 0x00AB || cp == 0x00BB || (cp >= 0x2010 && cp <= 0x2027) || cp == 0x060C ||
         cp == 0x061B || cp == 0x061F || (cp >= 0x066A && cp <= 0x066D) || cp == 0x06D4;
}

// One spelling for letters Arabic and Persian write differently: Arabic yeh and alef maksura ->
// Persian yeh, Arabic kaf -> keheh, teh marbuta and heh with yeh above -> heh, alef with hamza
// or madda (and alef wasla) -> alef.
uint32_t FoldLetter(uint32_t cp) {
  switch (cp) {
    case 0x064A:      // ي
    case 0x0649:      // ى
      return 0x06CC;  // ی
    case 0x0643:      // ك
      return 0x06A9;  // ک
    case 0x0629:      // ة
    case 0x06C0:      // ۀ
      return 0x0647;  // ه
    case 0x0623:      // أ
    case 0x0625:      // إ
    case 0x0622:      // آ
    case 0x0671:      // ٱ
      return 0x0627;  // ا
    default:
      return cp;
  }
}

// `text` as matching sees it: ASCII lower case, digits in ASCII, letters folded, marks dropped,
// every run of separators one space, none at either end.
std::string Fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    i += Utf8Decode(text, i, &cp);
    if (IsIgnoredMark(cp)) continue;
    if (IsSeparator(cp)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    const int digit = DigitValue(cp);
    if (digit >= 0) {
      out += static_cast<char>('0' + digit);
    } else if (cp >= 'A' && cp <= 'Z') {
      out += static_cast<char>(cp - 'A' + 'a');
    } else {
      AppendUtf8(FoldLetter(cp), &out);
    }
  }
  return out;
}

// ---- Label tables ----

// A label and the point it names on a `scale`-point question of `type`. Labels are written as
// the tools and translations spell them; they are folded (above) before comparing.
struct Label {
  QuestionType type;
  int scale;
  const char* text;
  int point;
};

const Label kLabels[] = {
    // NPS ends (the 0 and 10 anchors of the 11-point scale).
    {QuestionType::kNps, 11, "Not at all likely", 0},      // the 0 anchor of the usual NPS wording
    {QuestionType::kNps, 11, "Extremely unlikely", 0},     // the 0 anchor some tools use instead
    {QuestionType::kNps, 11, "Extremely likely", 10},      // the 10 anchor
    {QuestionType::kNps, 11, "اصلاً احتمال ندارد", 0},      // fa: not likely at all
    {QuestionType::kNps, 11, "اصلاً محتمل نیست", 0},        // fa: not at all likely
    {QuestionType::kNps, 11, "کاملاً محتمل", 10},           // fa: completely likely
    {QuestionType::kNps, 11, "غير محتمل على الإطلاق", 0},  // ar: not likely at all
    {QuestionType::kNps, 11, "محتمل للغاية", 10},          // ar: extremely likely

    // CSAT, 5 points.
    {QuestionType::kCsat, 5, "Very dissatisfied", 1},  // the 5-point CSAT wording, worst
    {QuestionType::kCsat, 5, "Dissatisfied", 2},       // 2
    {QuestionType::kCsat, 5, "Neutral", 3},            // the midpoint, short
    {QuestionType::kCsat, 5, "Neither satisfied nor dissatisfied", 3},  // the midpoint, long
    // The midpoint with both wordings (Qualtrics).
    {QuestionType::kCsat, 5, "Neutral (Neither satisfied nor dissatisfied)", 3},
    {QuestionType::kCsat, 5, "Satisfied", 4},          // 4
    {QuestionType::kCsat, 5, "Very satisfied", 5},     // best
    {QuestionType::kCsat, 5, "خیلی ناراضی", 1},        // fa: very dissatisfied
    {QuestionType::kCsat, 5, "بسیار ناراضی", 1},       // fa: very dissatisfied (formal)
    {QuestionType::kCsat, 5, "ناراضی", 2},             // fa: dissatisfied
    {QuestionType::kCsat, 5, "نه راضی نه ناراضی", 3},  // fa: neither satisfied nor dissatisfied
    {QuestionType::kCsat, 5, "بی‌تفاوت", 3},  // fa: indifferent
    {QuestionType::kCsat, 5, "راضی", 4},          // fa: satisfied; also ar راضي once folded
    {QuestionType::kCsat, 5, "خیلی راضی", 5},     // fa: very satisfied
    {QuestionType::kCsat, 5, "بسیار راضی", 5},    // fa: very satisfied (formal)
    {QuestionType::kCsat, 5, "غير راضٍ جدًا", 1},   // ar: very dissatisfied
    {QuestionType::kCsat, 5, "غير راضي جدا", 1},  // ar: the same, written with yeh
    {QuestionType::kCsat, 5, "غير راضٍ", 2},       // ar: dissatisfied
    {QuestionType::kCsat, 5, "غير راضي", 2},      // ar: the same, written with yeh
    {QuestionType::kCsat, 5, "محايد", 3},         // ar: neutral
    {QuestionType::kCsat, 5, "راضٍ", 4},           // ar: satisfied
    {QuestionType::kCsat, 5, "راضٍ جدًا", 5},       // ar: very satisfied
    {QuestionType::kCsat, 5, "راضي جدا", 5},      // ar: the same, written with yeh

    // CES, 7-point agreement ("The company made it easy to handle my issue").
    {QuestionType::kCes, 7, "Strongly disagree", 1},  // the 7-point agreement wording, worst
    {QuestionType::kCes, 7, "Disagree", 2},           // 2
    {QuestionType::kCes, 7, "Somewhat disagree", 3},  // 3
    {QuestionType::kCes, 7, "Neither agree nor disagree", 4},  // the midpoint
    {QuestionType::kCes, 7, "Neutral", 4},                     // the midpoint, short
    {QuestionType::kCes, 7, "Somewhat agree", 5},              // 5
    {QuestionType::kCes, 7, "Agree", 6},                       // 6
    {QuestionType::kCes, 7, "Strongly agree", 7},              // best
    {QuestionType::kCes, 7, "کاملاً مخالفم", 1},                // fa: I strongly disagree
    {QuestionType::kCes, 7, "کاملاً مخالف", 1},                 // fa: strongly disagree
    {QuestionType::kCes, 7, "مخالفم", 2},                      // fa: I disagree
    {QuestionType::kCes, 7, "مخالف", 2},                       // fa: disagree
    {QuestionType::kCes, 7, "تا حدودی مخالفم", 3},             // fa: I somewhat disagree
    {QuestionType::kCes, 7, "تا حدودی مخالف", 3},              // fa: somewhat disagree
    {QuestionType::kCes, 7, "نه موافقم نه مخالفم", 4},         // fa: I neither agree nor disagree
    {QuestionType::kCes, 7, "نه موافق نه مخالف", 4},           // fa: neither agree nor disagree
    {QuestionType::kCes, 7, "تا حدودی موافقم", 5},             // fa: I somewhat agree
    {QuestionType::kCes, 7, "تا حدودی موافق", 5},              // fa: somewhat agree
    {QuestionType::kCes, 7, "موافقم", 6},                      // fa: I agree
    {QuestionType::kCes, 7, "موافق", 6},                       // fa: agree; also ar موافق
    {QuestionType::kCes, 7, "کاملاً موافقم", 7},                // fa: I strongly agree
    {QuestionType::kCes, 7, "کاملاً موافق", 7},                 // fa: strongly agree
    {QuestionType::kCes, 7, "لا أوافق بشدة", 1},               // ar: I strongly disagree
    {QuestionType::kCes, 7, "غير موافق بشدة", 1},              // ar: strongly disagree
    {QuestionType::kCes, 7, "لا أوافق", 2},                    // ar: I disagree
    {QuestionType::kCes, 7, "غير موافق", 2},                   // ar: disagree
    {QuestionType::kCes, 7, "لا أوافق إلى حد ما", 3},          // ar: I somewhat disagree
    {QuestionType::kCes, 7, "لا أوافق ولا أعارض", 4},          // ar: I neither agree nor disagree
    {QuestionType::kCes, 7, "محايد", 4},                       // ar: neutral
    {QuestionType::kCes, 7, "أوافق إلى حد ما", 5},             // ar: I somewhat agree
    {QuestionType::kCes, 7, "أوافق", 6},                       // ar: I agree
    {QuestionType::kCes, 7, "أوافق بشدة", 7},                  // ar: I strongly agree
    {QuestionType::kCes, 7, "موافق بشدة", 7},                  // ar: strongly agree
    {QuestionType::kCes, 7, "موافق تمامًا", 7},                 // ar: completely agree
    // CES on 5 points: the same agreement wording without the "somewhat" steps (the widget's
    // 5-point CES shows "Strongly disagree" ... "Strongly agree" at its ends).
    {QuestionType::kCes, 5, "Strongly disagree", 1},
    {QuestionType::kCes, 5, "Disagree", 2},
    {QuestionType::kCes, 5, "Neither agree nor disagree", 3},
    {QuestionType::kCes, 5, "Neutral", 3},
    {QuestionType::kCes, 5, "Agree", 4},
    {QuestionType::kCes, 5, "Strongly agree", 5},
    {QuestionType::kCes, 5, "کاملاً مخالفم", 1},
    {QuestionType::kCes, 5, "کاملاً مخالف", 1},
    {QuestionType::kCes, 5, "مخالفم", 2},
    {QuestionType::kCes, 5, "مخالف", 2},
    {QuestionType::kCes, 5, "نه موافقم نه مخالفم", 3},
    {QuestionType::kCes, 5, "نه موافق نه مخالف", 3},
    {QuestionType::kCes, 5, "موافقم", 4},
    {QuestionType::kCes, 5, "موافق", 4},
    {QuestionType::kCes, 5, "کاملاً موافقم", 5},
    {QuestionType::kCes, 5, "کاملاً موافق", 5},
    {QuestionType::kCes, 5, "لا أوافق بشدة", 1},
    {QuestionType::kCes, 5, "غير موافق بشدة", 1},
    {QuestionType::kCes, 5, "لا أوافق", 2},
    {QuestionType::kCes, 5, "غير موافق", 2},
    {QuestionType::kCes, 5, "لا أوافق ولا أعارض", 3},
    {QuestionType::kCes, 5, "محايد", 3},
    {QuestionType::kCes, 5, "أوافق", 4},
    {QuestionType::kCes, 5, "أوافق بشدة", 5},
    {QuestionType::kCes, 5, "موافق بشدة", 5},
    {QuestionType::kCes, 5, "موافق تمامًا", 5},
};

// kLabels folded once, so a lookup folds only the answer.
struct FoldedLabel {
  QuestionType type;
  int scale;
  std::string text;
  int point;
};
const std::vector<FoldedLabel>& FoldedLabels() {
  static const std::vector<FoldedLabel>* const labels = [] {
    auto* out = new std::vector<FoldedLabel>();
    for (const Label& label : kLabels) {
      out->push_back({label.type, label.scale, Fold(label.text), label.point});
    }
    return out;
  }();
  return *labels;
}

// The number `text` starts with (after blanks and marks), when it is a whole number followed
// by nothing, a space or punctuation: "10 - Extremely likely" -> 10, `*rest` then the text after
// the digits. Nothing when the text does not start with a digit, the digits run into letters
// ("5th") or are a fraction ("4.5", not a scale point); numbers of more than 3 digits come back
// as 1000.
std::optional<int> LeadingNumber(std::string_view text, std::string_view* rest) {
  size_t i = 0;
  uint32_t cp = 0;
  size_t len = 0;
  for (;;) {
    len = Utf8Decode(text, i, &cp);
    if (len == 0) return std::nullopt;
    if (!(cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || IsIgnoredMark(cp))) break;
    i += len;
  }
  int value = 0;
  int digits = 0;
  for (int d = DigitValue(cp); d >= 0; d = DigitValue(cp)) {
    if (++digits <= 3) value = value * 10 + d;
    i += len;
    len = Utf8Decode(text, i, &cp);
    if (len == 0) break;
  }
  if (digits == 0) return std::nullopt;
  if (len != 0) {
    // A decimal point or comma (ASCII or Arabic) before another digit: a fraction.
    if (cp == '.' || cp == ',' || cp == 0x066B || cp == 0x066C) {
      uint32_t next;
      if (Utf8Decode(text, i + len, &next) != 0 && DigitValue(next) >= 0) return std::nullopt;
    }
    if (!IsSeparator(cp) && !IsIgnoredMark(cp)) return std::nullopt;  // "5th", "۵ستاره"
  }
  *rest = text.substr(i);
  return digits > 3 ? 1000 : value;
}

// The label table's entry for a folded text of `type` and `label_scale`, or nullptr.
const FoldedLabel* FindLabel(const std::string& key, QuestionType type, int label_scale) {
  for (const FoldedLabel& label : FoldedLabels()) {
    if (label.type == type && label.scale == label_scale && label.text == key) return &label;
  }
  return nullptr;
}

// Text after a leading number that still makes the whole an answer: nothing but separators
// ("7", "6.", "3)"), or a label of any question type after them ("10 - Extremely likely",
// "5 (Very satisfied)"). "3 Main St", "1-2 times" and "7/10" are no answers.
bool IsLabelTail(std::string_view rest) {
  const std::string key = Fold(rest);
  if (key.empty()) return true;
  for (const FoldedLabel& label : FoldedLabels()) {
    if (label.text == key) return true;
  }
  return false;
}

}  // namespace

std::optional<int> ScalePointOfText(std::string_view text, QuestionType type, int scale) {
  int low = 1, high = scale;
  int label_scale = scale;
  switch (type) {
    case QuestionType::kNps:
      low = 0, high = 10, label_scale = 11;  // always 11 points
      break;
    case QuestionType::kCsat:
    case QuestionType::kCes:
    case QuestionType::kRating:
      if (scale < 2) return std::nullopt;
      break;
    case QuestionType::kChoice:
    case QuestionType::kText:
      return std::nullopt;
  }
  // A fraction falls through to the labels, which hold no digits.
  std::string_view rest;
  if (const std::optional<int> number = LeadingNumber(text, &rest)) {
    // A number off the scale names no point, whatever label follows.
    if (*number >= low && *number <= high && IsLabelTail(rest)) return *number;
    return std::nullopt;
  }
  const std::string key = Fold(text);
  if (key.empty()) return std::nullopt;
  if (const FoldedLabel* label = FindLabel(key, type, label_scale)) return label->point;
  return std::nullopt;
}

}  // namespace nazar
