// FoldText, MatchesQuery and the frequent terms (text_fold.h, terms.h). Expected strings are
// written by hand, code point by code point where the letters look alike, and the counts of the
// term vectors were tallied by hand from the example comments.
#include "nazar/text_fold.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nazar/terms.h"

namespace nazar {
namespace {

TEST(FoldText, CaseOfAsciiAndLatin) {
  EXPECT_EQ(FoldText("Fast DELIVERY"), "fast delivery");
  EXPECT_EQ(FoldText("\u00C9T\u00C9 Stra\u00DFe"), "\u00E9t\u00E9 stra\u00DFe");  // ÉTÉ Straße
  EXPECT_EQ(FoldText("\u0130STANBUL \u0141\u00D3D\u0179"), "istanbul \u0142\u00F3d\u017A");
  EXPECT_EQ(FoldText("\u0178"), "\u00FF");
  EXPECT_EQ(FoldText("a\u00D7b"), "a\u00D7b");  // the multiplication sign is no letter
}

TEST(FoldText, ArabicLetterVariantsToPersian) {
  // كتاب (Arabic kaf) -> کتاب (keheh).
  EXPECT_EQ(FoldText("\u0643\u062A\u0627\u0628"), "\u06A9\u062A\u0627\u0628");
  // علي (Arabic yeh) and على (alef maksura) -> علی.
  EXPECT_EQ(FoldText("\u0639\u0644\u064A"), "\u0639\u0644\u06CC");
  EXPECT_EQ(FoldText("\u0639\u0644\u0649"), "\u0639\u0644\u06CC");
  // أحمد, إسلام, آب, ٱلله: every alef with hamza, madda or wasla -> ا.
  EXPECT_EQ(FoldText("\u0623\u062D\u0645\u062F"), "\u0627\u062D\u0645\u062F");
  EXPECT_EQ(FoldText("\u0625\u0633\u0644\u0627\u0645"), "\u0627\u0633\u0644\u0627\u0645");
  EXPECT_EQ(FoldText("\u0622\u0628"), "\u0627\u0628");
  EXPECT_EQ(FoldText("\u0671\u0644"), "\u0627\u0644");
  // مدرسة (teh marbuta) -> مدرسه; خانۀ (heh with yeh above) -> خانه.
  EXPECT_EQ(FoldText("\u0645\u062F\u0631\u0633\u0629"), "\u0645\u062F\u0631\u0633\u0647");
  EXPECT_EQ(FoldText("\u062E\u0627\u0646\u06C0"), "\u062E\u0627\u0646\u0647");
  // مؤسسه -> موسسه; پائیز -> پاییز.
  EXPECT_EQ(FoldText("\u0645\u0624\u0633\u0633\u0647"), "\u0645\u0648\u0633\u0633\u0647");
  EXPECT_EQ(FoldText("\u067E\u0627\u0626\u06CC\u0632"), "\u067E\u0627\u06CC\u06CC\u0632");
}

TEST(FoldText, TashkeelTatweelAndInvisibleMarksRemoved) {
  // كِتَـــاب (kasra, fatha, three tatweels) -> کتاب.
  EXPECT_EQ(FoldText("\u0643\u0650\u062A\u064E\u0640\u0640\u0640\u0627\u0628"),
            "\u06A9\u062A\u0627\u0628");
  // مُحَمَّدٌ (damma, fatha, shadda, tanwin) -> محمد.
  EXPECT_EQ(FoldText("\u0645\u064F\u062D\u064E\u0645\u0651\u064E\u062F\u064C"),
            "\u0645\u062D\u0645\u062F");
  // می‌خواهم (ZWNJ) and میخواهم fold to the same text.
  const std::string with_zwnj = "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645";
  const std::string without = "\u0645\u06CC\u062E\u0648\u0627\u0647\u0645";
  EXPECT_EQ(FoldText(with_zwnj), without);
  EXPECT_EQ(FoldText(without), without);
  EXPECT_EQ(FoldText("a\u200Eb\u200Fc\u061Cd\u200De\u00ADf\uFEFF"), "abcdef");
}

TEST(FoldText, DigitsToAscii) {
  EXPECT_EQ(FoldText("\u06F1\u06F4\u06F0\u06F5"), "1405");  // Persian
  EXPECT_EQ(FoldText("\u0662\u0660\u0662\u0666"), "2026");  // Arabic-Indic
  EXPECT_EQ(FoldText("\uFF13\uFF10 days"), "30 days");      // full-width
  EXPECT_EQ(FoldText("don\u2019t"), "don't");
  EXPECT_EQ(FoldText("a\u00A0b"), "a b");
}

TEST(MatchesQuery, EveryFoldedWordOccurs) {
  const std::string zwnj =
      "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \u0633\u0641\u0627\u0631\u0634";
  const std::string plain = "\u0645\u06CC\u062E\u0648\u0627\u0647\u0645";
  EXPECT_TRUE(MatchesQuery(zwnj, plain));  // میخواهم in می‌خواهم
  EXPECT_TRUE(MatchesQuery(plain + " x", "\u0645\u06CC\u200C\u062E"));  // the other way round
  EXPECT_TRUE(MatchesQuery("\u0643\u062A\u0627\u0628 \u062C\u064A\u062F",
                           "\u06A9\u062A\u0627\u0628"));  // کتاب finds كتاب
  EXPECT_TRUE(MatchesQuery("Fast DELIVERY, nice box", "delivery FAST"));
  EXPECT_FALSE(MatchesQuery("Fast delivery", "fast bag"));
  EXPECT_TRUE(MatchesQuery("deliveries were late", "deliver"));
  EXPECT_TRUE(MatchesQuery("\u0633\u0641\u0627\u0631\u0634 \u06F1\u06F2\u06F3", "123"));
  EXPECT_TRUE(MatchesQuery("anything", ""));
  EXPECT_TRUE(MatchesQuery("anything", "  \t "));
  EXPECT_FALSE(MatchesQuery("", "a"));
}

TEST(Terms, TokensDropStopWordsDigitsShortOnesAndMasks) {
  EXPECT_EQ(TermsOf("The box was 2x too BIG, call [PHONE] or 12345; don't like it"),
            (std::vector<std::string>{"box", "big", "call", "like"}));
  EXPECT_EQ(TermsOf("it's 'quoted' o'clock"), (std::vector<std::string>{"quoted", "o'clock"}));
  EXPECT_TRUE(IsStopWord("the"));
  EXPECT_TRUE(IsStopWord("\u0627\u0632"));                    // از
  EXPECT_TRUE(IsStopWord("\u0645\u06CC\u0634\u0648\u062F"));  // میشود, listed as می‌شود
  EXPECT_TRUE(IsStopWord("\u0639\u0644\u06CC"));              // علی, the fold of على
  EXPECT_FALSE(IsStopWord("delivery"));
}

TEST(Terms, PersianTopTermsCountedOncePerComment) {
  const std::vector<std::string> texts = {
      // ارسال خیلی سریع بود و بسته‌بندی عالی
      "\u0627\u0631\u0633\u0627\u0644 \u062E\u06CC\u0644\u06CC \u0633\u0631\u06CC\u0639 "
      "\u0628\u0648\u062F \u0648 \u0628\u0633\u062A\u0647\u200C\u0628\u0646\u062F\u06CC "
      "\u0639\u0627\u0644\u06CC",
      // ارسال سريع، قیمت مناسب (Arabic yeh in سريع)
      "\u0627\u0631\u0633\u0627\u0644 \u0633\u0631\u064A\u0639\u060C "
      "\u0642\u06CC\u0645\u062A \u0645\u0646\u0627\u0633\u0628",
      // قيمت بالا بود ولی ارسال سریع سریع (Arabic yeh in قيمت; سریع twice)
      "\u0642\u064A\u0645\u062A \u0628\u0627\u0644\u0627 \u0628\u0648\u062F "
      "\u0648\u0644\u06CC \u0627\u0631\u0633\u0627\u0644 \u0633\u0631\u06CC\u0639 "
      "\u0633\u0631\u06CC\u0639",
  };
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  const std::vector<TermCount> expected = {
      {"\u0627\u0631\u0633\u0627\u0644", 3},                    // ارسال
      {"\u0633\u0631\u06CC\u0639", 3},                          // سریع
      {"\u0642\u06CC\u0645\u062A", 2},                          // قیمت
      {"\u0628\u0627\u0644\u0627", 1},                          // بالا
      {"\u0628\u0633\u062A\u0647\u0628\u0646\u062F\u06CC", 1},  // بستهبندی
  };
  EXPECT_EQ(TopTerms(views, 5), expected);
  EXPECT_EQ(TopTerms(views, 100).size(), 7u);  // + عالی, مناسب
}

TEST(Terms, ArabicTopTerms) {
  const std::vector<std::string> texts = {
      // التوصيل كان سريعا جدا
      "\u0627\u0644\u062A\u0648\u0635\u064A\u0644 \u0643\u0627\u0646 "
      "\u0633\u0631\u064A\u0639\u0627 \u062C\u062F\u0627",
      // التوصيل متأخر، والمنتج ممتاز
      "\u0627\u0644\u062A\u0648\u0635\u064A\u0644 \u0645\u062A\u0623\u062E\u0631\u060C "
      "\u0648\u0627\u0644\u0645\u0646\u062A\u062C \u0645\u0645\u062A\u0627\u0632",
      // المنتج ممتاز ١٠٠٪
      "\u0627\u0644\u0645\u0646\u062A\u062C \u0645\u0645\u062A\u0627\u0632 "
      "\u0661\u0660\u0660\u066A",
  };
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  const std::vector<TermCount> expected = {
      {"\u0627\u0644\u062A\u0648\u0635\u06CC\u0644", 2},  // التوصیل
      {"\u0645\u0645\u062A\u0627\u0632", 2},              // ممتاز
      {"\u0627\u0644\u0645\u0646\u062A\u062C", 1},        // المنتج
      {"\u0633\u0631\u06CC\u0639\u0627", 1},              // سریعا
      {"\u0645\u062A\u0627\u062E\u0631", 1},              // متاخر
      {"\u0648\u0627\u0644\u0645\u0646\u062A\u062C", 1},  // والمنتج
  };
  EXPECT_EQ(TopTerms(views, 20), expected);
}

TEST(Terms, ByGroupAsJson) {
  const std::vector<GroupedText> comments = {
      {"promoter", "Fast delivery"},  {"promoter", "fast and friendly, FAST"},
      {"detractor", "late delivery"}, {"detractor", "the box was late"},
      {"detractor", "late again"},    {"", "ok"},
  };
  const Json expected = Json::parse(R"json({
    "": [],
    "detractor": [{"term": "late", "count": 3}, {"term": "box", "count": 1},
                  {"term": "delivery", "count": 1}],
    "promoter": [{"term": "fast", "count": 2}, {"term": "delivery", "count": 1},
                 {"term": "friendly", "count": 1}]})json",
                                    nullptr, false);
  EXPECT_EQ(TermsToJson(TermsByGroup(comments, 20)), expected);
  const auto two = TermsByGroup(comments, 2);
  EXPECT_EQ(two.at("detractor"), (std::vector<TermCount>{{"late", 3}, {"box", 1}}));
}

}  // namespace
}  // namespace nazar
