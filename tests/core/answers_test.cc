// Text answers read as scale points (answers.h). Every label of the tables in en, fa and ar, typed
// here from the survey tools' wordings (with and without diacritics, Arabic or Persian letters),
// never copied from the code's tables, plus numbers in every digit set and out-of-range ones.
#include "nazar/answers.h"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

#include "nazar/i18n.h"

namespace nazar {
namespace {

struct Case {
  std::string_view text;
  int point;
};

void ExpectPoints(QuestionType type, int scale, std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(ScalePointOfText(c.text, type, scale), std::optional<int>(c.point))
        << "\"" << c.text << "\"";
  }
}

void ExpectNothing(QuestionType type, int scale, std::initializer_list<std::string_view> texts) {
  for (std::string_view text : texts) {
    EXPECT_EQ(ScalePointOfText(text, type, scale), std::nullopt) << "\"" << text << "\"";
  }
}

TEST(ScalePointOfTextTest, LeadingNumbersInAnyDigits) {
  ExpectPoints(
      QuestionType::kNps, 11,
      {{"10 - Extremely likely", 10},
       {"0 - Not at all likely", 0},
       {"7", 7},
       {" 9 ", 9},
       {"\u06f8", 8},  // ۸
       // ١٠ - محتمل للغاية (ar: 10 - extremely likely)
       {"\u0661\u0660 - \u0645\u062d\u062a\u0645\u0644 \u0644\u0644\u063a\u0627\u064a\u0629", 10},
       {"\u06f1\u06f0", 10},  // ۱۰
       {"\uff15", 5},         // full-width 5
       {"6.", 6},
       {"3)", 3}});
  ExpectPoints(QuestionType::kCes, 7, {{"7 - Strongly agree", 7}, {"1 = Strongly disagree", 1}});
  // The number wins over a label that says otherwise.
  ExpectPoints(QuestionType::kCsat, 5, {{"\u06f5", 5}, {"2 - Very satisfied", 2}});
  ExpectPoints(QuestionType::kCsat, 5, {{"5 (Very satisfied)", 5}, {"4: Satisfied", 4}});
  ExpectPoints(QuestionType::kRating, 10, {{"10", 10}, {"1", 1}});
  ExpectPoints(QuestionType::kCsat, 7, {{"7", 7}});
}

TEST(ScalePointOfTextTest, NumbersOffTheScaleOrNotWhole) {
  ExpectNothing(QuestionType::kNps, 11,
                {"11", "11 - Extremely likely", "-1", "100", "0010", "4.5", "4,5",
                 "\u06f4\u066b\u06f5",  // ۴٫۵
                 "5th", "1000000000000000000000"});
  ExpectNothing(QuestionType::kCsat, 5, {"0", "6", "6 - Very satisfied", "0 - Very dissatisfied"});
  ExpectNothing(QuestionType::kCes, 7, {"8", "0 - Strongly disagree"});
  ExpectNothing(QuestionType::kRating, 3, {"4", "0"});
  ExpectNothing(QuestionType::kRating, 5, {"6 stars"});
}

// A leading number followed by text that is no label is not an answer: an address, a frequency
// or a fraction in a wrongly mapped column fails loudly instead of scoring.
TEST(ScalePointOfTextTest, NumbersFollowedByOtherText) {
  ExpectNothing(QuestionType::kNps, 11, {"3 Main St", "1-2 times", "7/10", "2 - 3", "5 - Maybe"});
  ExpectNothing(QuestionType::kCsat, 5, {"3 Main St", "1-2 times", "2 x"});
  ExpectNothing(QuestionType::kRating, 10, {"10 stars", "7/10"});
}

TEST(ScalePointOfTextTest, NpsLabels) {
  ExpectPoints(QuestionType::kNps, 11,
               {{"Not at all likely", 0},
                {"NOT AT ALL LIKELY", 0},
                {"Extremely unlikely", 0},
                {"Extremely likely", 10},
                {"  extremely  likely. ", 10},
                // fa
                {"اصلاً احتمال ندارد", 0},
                {"اصلا احتمال ندارد", 0},
                {"اصلاً محتمل نیست", 0},
                {"کاملاً محتمل", 10},
                {"كاملا محتمل", 10},  // Arabic kaf
                // ar
                {"غير محتمل على الإطلاق", 0},
                {"غير محتمل على الاطلاق", 0},
                {"مُحتمل للغاية", 10}});
  ExpectNothing(QuestionType::kNps, 11, {"Likely", "Very likely", "Satisfied", "راضی"});
}

TEST(ScalePointOfTextTest, CsatLabels) {
  ExpectPoints(QuestionType::kCsat, 5,
               {{"Very dissatisfied", 1},
                {"Dissatisfied", 2},
                {"Neutral", 3},
                {"Neither satisfied nor dissatisfied", 3},
                {"Neutral (Neither satisfied nor dissatisfied)", 3},
                {"Satisfied", 4},
                {"Very satisfied", 5},
                {"very SATISFIED!", 5},
                {"\"Very satisfied\"", 5},
                // fa
                {"خیلی ناراضی", 1},
                {"بسیار ناراضی", 1},
                {"ناراضی", 2},
                {"نه راضی نه ناراضی", 3},
                {"نه راضی، نه ناراضی", 3},
                {"بی‌تفاوت", 3},  // with ZWNJ
                {"بیتفاوت", 3},            // without
                {"راضی", 4},
                {"خیلی راضی", 5},
                {"خيلي راضي", 5},  // Arabic yeh
                {"بسیار راضی", 5},
                // ar
                {"غير راضٍ جدًا", 1},
                {"غير راض جدا", 1},
                {"غير راضي جدا", 1},
                {"غير راضٍ", 2},
                {"غير راضي", 2},
                {"محايد", 3},
                {"راضٍ", 4},
                {"راضي", 4},
                {"راضٍ جدًا", 5},
                {"راضـــي جداً", 5}});  // tatweel
  // Labels belong to the 5-point scale and to CSAT.
  ExpectNothing(QuestionType::kCsat, 3, {"Satisfied", "Very satisfied"});
  ExpectNothing(QuestionType::kCsat, 5, {"Strongly agree", "Extremely likely", "Very", "sat"});
}

TEST(ScalePointOfTextTest, CesAgreementLabels) {
  ExpectPoints(QuestionType::kCes, 7,
               {{"Strongly disagree", 1},
                {"Disagree", 2},
                {"Somewhat disagree", 3},
                {"Neither agree nor disagree", 4},
                {"Neutral", 4},
                {"Somewhat agree", 5},
                {"Agree", 6},
                {"Strongly agree", 7},
                {"strongly-agree", 7},
                // fa
                {"کاملا مخالفم", 1},
                {"کاملاً مخالف", 1},
                {"مخالفم", 2},
                {"مخالف", 2},
                {"تا حدودی مخالفم", 3},
                {"تا حدودی مخالف", 3},
                {"نه موافقم نه مخالفم", 4},
                {"نه موافق نه مخالف", 4},
                {"تا حدودی موافقم", 5},
                {"تا حدودی موافق", 5},
                {"موافقم", 6},
                {"موافق", 6},
                {"کاملا موافقم", 7},
                {"کاملاً موافق", 7},
                // ar
                {"لا أوافق بشدة", 1},
                {"لا اوافق بشده", 1},  // bare alef, heh for teh marbuta
                {"غير موافق بشدة", 1},
                {"لا أوافق", 2},
                {"غير موافق", 2},
                {"لا أوافق إلى حد ما", 3},
                {"لا أوافق ولا أعارض", 4},
                {"محايد", 4},
                {"أوافق إلى حد ما", 5},
                {"أوافق", 6},
                {"أُوَافِقُ", 6},  // harakat
                {"أوافق بشدة", 7},
                {"موافق بشدة", 7},
                {"موافق تماما", 7},
                {"موافق تمامًا", 7}});
  // 5 points have no "somewhat" steps (FivePointAgreementWording).
  ExpectNothing(QuestionType::kCes, 5, {"Somewhat agree", "Somewhat disagree"});
  ExpectNothing(QuestionType::kCes, 7, {"Very satisfied", "Agree strongly", "agreed"});
}

TEST(ScalePointOfTextTest, UnknownTextAndOtherTypes) {
  ExpectNothing(QuestionType::kNps, 11, {"", " ", "-", "n/a", "Don't know"});
  ExpectNothing(QuestionType::kChoice, 5, {"3", "Very satisfied"});
  ExpectNothing(QuestionType::kText, 0, {"3"});
  ExpectNothing(QuestionType::kRating, 5, {"Very satisfied", "Strongly agree"});
  ExpectNothing(QuestionType::kCsat, 0, {"3", "Very satisfied"});  // no scale
}

// The widget's built-in CES anchors (i18n.h) are the wordings an export of its own answers would
// carry, so the importer must read them back as the ends of the 7- and the 5-point scale.
TEST(ScalePointOfTextTest, WidgetAgreementAnchorsReadBackAsTheEnds) {
  for (const char* language : {"en", "fa", "ar"}) {
    for (const int scale : {7, 5}) {
      EXPECT_EQ(
          ScalePointOfText(UiText(UiString::kAgreeMin, {language}), QuestionType::kCes, scale),
          std::optional<int>(1))
          << language << scale;
      EXPECT_EQ(
          ScalePointOfText(UiText(UiString::kAgreeMax, {language}), QuestionType::kCes, scale),
          std::optional<int>(scale))
          << language << scale;
    }
  }
}

// The same for the NPS and CSAT anchors the widget shows when a definition labels no end.
TEST(ScalePointOfTextTest, WidgetNpsAndCsatAnchorsReadBackAsTheEnds) {
  const struct {
    UiString anchor;
    QuestionType type;
    int scale;
    int point;
  } kEnds[] = {{UiString::kNpsMin, QuestionType::kNps, 11, 0},
               {UiString::kNpsMax, QuestionType::kNps, 11, 10},
               {UiString::kCsatMin, QuestionType::kCsat, 5, 1},
               {UiString::kCsatMax, QuestionType::kCsat, 5, 5}};
  for (const char* language : {"en", "fa", "ar"}) {
    for (const auto& end : kEnds) {
      EXPECT_EQ(ScalePointOfText(UiText(end.anchor, {language}), end.type, end.scale),
                std::optional<int>(end.point))
          << language << " " << end.point;
    }
  }
}

// The 5-point agreement scale as exports write it, point by point (hand-written expectations).
TEST(ScalePointOfTextTest, FivePointAgreementWording) {
  const std::pair<const char*, int> cases[] = {
      {"Strongly disagree", 1},
      {"disagree", 2},
      {"Neither agree nor disagree", 3},
      {"Neutral", 3},
      {"Agree", 4},
      {"STRONGLY AGREE", 5},
      {"مخالفم", 2},
      {"نه موافق نه مخالف", 3},
      {"موافقم", 4},
      {"لا أوافق", 2},
      {"محايد", 3},
      {"أوافق", 4},
  };
  for (const auto& [text, point] : cases) {
    EXPECT_EQ(ScalePointOfText(text, QuestionType::kCes, 5), std::optional<int>(point)) << text;
  }
  // "Somewhat" steps exist only on 7 points.
  EXPECT_EQ(ScalePointOfText("Somewhat agree", QuestionType::kCes, 5), std::nullopt);
}

}  // namespace
}  // namespace nazar
