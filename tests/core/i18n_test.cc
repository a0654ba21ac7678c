#include "nazar/i18n.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <filesystem>
#include <string>
#include <vector>

#include "test_util.h"

namespace nazar {
namespace {

using Chain = std::vector<std::string>;
using testing::kLocaleFiles;
using testing::LocaleFile;
using testing::MustParse;

std::string Bad() { return "\xFF"; }  // a byte that is never valid UTF-8

TEST(I18nCanonicalLocale, NormalizesSeparatorsAndCase) {
  EXPECT_EQ(CanonicalLocale("fa_IR"), "fa-IR");
  EXPECT_EQ(CanonicalLocale("EN-us"), "en-US");
  EXPECT_EQ(CanonicalLocale("zh-hant-tw"), "zh-Hant-TW");
  EXPECT_EQ(CanonicalLocale("FA"), "fa");
  EXPECT_EQ(CanonicalLocale("es-419"), "es-419");
  EXPECT_EQ(CanonicalLocale("sr_latn_rs"), "sr-Latn-RS");
  EXPECT_EQ(CanonicalLocale("ckb"), "ckb");
  // Extensions and private use stay lowercase, even two- and four-letter subtags.
  EXPECT_EQ(CanonicalLocale("fa-IR-U-NU-LATN"), "fa-IR-u-nu-latn");
  EXPECT_EQ(CanonicalLocale("en-x-Test-ab"), "en-x-test-ab");
  EXPECT_EQ(CanonicalLocale("de-DE-1901"), "de-DE-1901");
}

TEST(I18nCanonicalLocale, RejectsGarbage) {
  EXPECT_EQ(CanonicalLocale(""), "");
  EXPECT_EQ(CanonicalLocale(" "), "");
  EXPECT_EQ(CanonicalLocale("fa IR"), "");
  EXPECT_EQ(CanonicalLocale(" fa"), "");
  EXPECT_EQ(CanonicalLocale("en-"), "");
  EXPECT_EQ(CanonicalLocale("-en"), "");
  EXPECT_EQ(CanonicalLocale("en--US"), "");
  EXPECT_EQ(CanonicalLocale("en-US!"), "");
  EXPECT_EQ(CanonicalLocale("fa-ایران"), "");
  EXPECT_EQ(CanonicalLocale("e"), "");              // language too short
  EXPECT_EQ(CanonicalLocale("12"), "");             // language must be letters
  EXPECT_EQ(CanonicalLocale("en-toolongsub"), "");  // subtag over 8
  EXPECT_EQ(CanonicalLocale("en-u"), "");           // dangling singleton
  EXPECT_EQ(CanonicalLocale(std::string(36, 'a')), "");
  std::string limit = "en-" + std::string(8, 'a') + "-" + std::string(8, 'b') + "-" +
                      std::string(8, 'c') + "-abcde";  // exactly 35 characters
  ASSERT_EQ(limit.size(), 35u);
  EXPECT_EQ(CanonicalLocale(limit), limit);
  EXPECT_EQ(CanonicalLocale(limit + "g"), "");
}

TEST(I18nLocaleChain, ExactThenLanguageThenDefault) {
  EXPECT_EQ(LocaleChain("fa-IR", {"en", "fa"}, "en"), (Chain{"fa", "en"}));
  EXPECT_EQ(LocaleChain("fa-IR", {"en", "fa", "fa-IR"}, "en"), (Chain{"fa-IR", "fa", "en"}));
  EXPECT_EQ(LocaleChain("fa", {"en", "fa"}, "en"), (Chain{"fa", "en"}));
  EXPECT_EQ(LocaleChain("en", {"en", "fa"}, "en"), (Chain{"en"}));
  EXPECT_EQ(LocaleChain("de", {"ar", "en", "fa"}, "en"), (Chain{"en", "ar"}));
}

TEST(I18nLocaleChain, MatchesCaseInsensitivelyAndKeepsAvailableSpelling) {
  EXPECT_EQ(LocaleChain("FA_ir", {"en", "fa_IR", "FA"}, "EN"), (Chain{"fa_IR", "FA", "en"}));
  EXPECT_EQ(LocaleChain("en-us", {"EN-US"}, "en"), (Chain{"EN-US"}));
}

TEST(I18nLocaleChain, NoDuplicatesAndOnlyAvailable) {
  EXPECT_EQ(LocaleChain("fa", {"fa", "FA", "en", "en"}, "en"), (Chain{"fa", "en"}));
  EXPECT_EQ(LocaleChain("fa", {"fa", "en"}, "fa"), (Chain{"fa"}));
  EXPECT_EQ(LocaleChain("fa", {"en", "ar"}, "de"), (Chain{"en"}));
  EXPECT_TRUE(LocaleChain("fa", {}, "en").empty());
}

TEST(I18nLocaleChain, FallsBackWhenRequestIsGarbage) {
  EXPECT_EQ(LocaleChain("", {"fa", "en"}, "en"), (Chain{"en", "fa"}));
  EXPECT_EQ(LocaleChain("not a tag", {"fa", "en"}, "en"), (Chain{"en", "fa"}));
  EXPECT_EQ(LocaleChain("xx", {"fa", "en"}, ""), (Chain{"fa"}));
}

TEST(I18nLocaleChain, TruncatesLongTagsAndIgnoresExtensions) {
  EXPECT_EQ(LocaleChain("zh-Hant-TW", {"en", "zh-Hant", "zh"}, "en"),
            (Chain{"zh-Hant", "zh", "en"}));
  EXPECT_EQ(LocaleChain("fa-IR-u-nu-latn", {"en", "fa"}, "en"), (Chain{"fa", "en"}));
}

TEST(I18nLocaleChain, UsesAnotherVarietyOfTheSameLanguage) {
  EXPECT_EQ(LocaleChain("pt-BR", {"en", "pt-PT"}, "en"), (Chain{"pt-PT", "en"}));
  EXPECT_EQ(LocaleChain("fa", {"en", "fa-IR"}, "en"), (Chain{"fa-IR", "en"}));
  // Not across scripts.
  EXPECT_EQ(LocaleChain("zh-Hant-TW", {"en", "zh-Hans"}, "en"), (Chain{"en"}));
  EXPECT_EQ(LocaleChain("zh-Hant-TW", {"zh-Hans", "en"}, "en"), (Chain{"en", "zh-Hans"}));
}

TEST(I18nIsRtl, Languages) {
  for (const char* tag : {"ar", "fa", "fa-IR", "he", "ur", "ps", "ckb", "sd", "ug", "yi", "dv",
                          "ar-MA", "AR_eg", "fa-u-nu-latn"}) {
    EXPECT_TRUE(IsRtl(tag)) << tag;
  }
  for (const char* tag : {"en", "de", "tr", "fr", "es", "zh-Hant", "", "garbage tag"}) {
    EXPECT_FALSE(IsRtl(tag)) << tag;
  }
}

TEST(I18nIsRtl, ScriptWins) {
  EXPECT_FALSE(IsRtl("uz-Latn"));
  EXPECT_FALSE(IsRtl("sd-Deva"));
  EXPECT_FALSE(IsRtl("az-Latn-AZ"));
  EXPECT_TRUE(IsRtl("uz-Arab"));
  EXPECT_TRUE(IsRtl("pa-Arab-PK"));
  EXPECT_TRUE(IsRtl("az-arab"));
}

TEST(I18nDigitsFor, Defaults) {
  EXPECT_EQ(DigitsFor("fa"), DigitStyle::kPersian);
  EXPECT_EQ(DigitsFor("fa-IR"), DigitStyle::kPersian);
  EXPECT_EQ(DigitsFor("fa_af"), DigitStyle::kPersian);
  EXPECT_EQ(DigitsFor("ar"), DigitStyle::kArabicIndic);
  EXPECT_EQ(DigitsFor("ar-EG"), DigitStyle::kArabicIndic);
  EXPECT_EQ(DigitsFor("ar-SA"), DigitStyle::kArabicIndic);
  EXPECT_EQ(DigitsFor("ur"), DigitStyle::kLatin);
  EXPECT_EQ(DigitsFor("en"), DigitStyle::kLatin);
  EXPECT_EQ(DigitsFor("tr"), DigitStyle::kLatin);
  EXPECT_EQ(DigitsFor(""), DigitStyle::kLatin);
  EXPECT_EQ(DigitsFor("??"), DigitStyle::kLatin);
}

TEST(I18nDigitsFor, MaghrebArabicUsesLatin) {
  for (const char* tag : {"ar-MA", "ar-DZ", "ar-TN", "ar-LY", "ar-EH", "ar_ma"}) {
    EXPECT_EQ(DigitsFor(tag), DigitStyle::kLatin) << tag;
  }
}

TEST(I18nDigitsFor, NumberingExtensionOverrides) {
  EXPECT_EQ(DigitsFor("fa-u-nu-latn"), DigitStyle::kLatin);
  EXPECT_EQ(DigitsFor("fa-IR-u-nu-latn"), DigitStyle::kLatin);
  EXPECT_EQ(DigitsFor("ar-EG-u-nu-latn"), DigitStyle::kLatin);
  EXPECT_EQ(DigitsFor("ar-MA-u-nu-arab"), DigitStyle::kArabicIndic);
  EXPECT_EQ(DigitsFor("en-u-nu-arab"), DigitStyle::kArabicIndic);
  EXPECT_EQ(DigitsFor("fa-u-nu-arab"), DigitStyle::kArabicIndic);
  EXPECT_EQ(DigitsFor("ur-u-nu-arabext"), DigitStyle::kPersian);
  EXPECT_EQ(DigitsFor("fa-u-ca-persian-nu-latn"), DigitStyle::kLatin);
  EXPECT_EQ(DigitsFor("FA-IR-U-NU-LATN"), DigitStyle::kLatin);
  // An unknown numbering system keeps the locale's own; "nu" in private use is not the keyword.
  EXPECT_EQ(DigitsFor("fa-u-nu-thai"), DigitStyle::kPersian);
  EXPECT_EQ(DigitsFor("fa-x-nu-latn"), DigitStyle::kPersian);
  // A non-Arabic script means Latin digits.
  EXPECT_EQ(DigitsFor("fa-Latn"), DigitStyle::kLatin);
}

TEST(I18nShapeDigits, Styles) {
  EXPECT_EQ(ShapeDigits("0123456789", DigitStyle::kPersian), "۰۱۲۳۴۵۶۷۸۹");
  EXPECT_EQ(ShapeDigits("0123456789", DigitStyle::kArabicIndic), "٠١٢٣٤٥٦٧٨٩");
  EXPECT_EQ(ShapeDigits("0123456789", DigitStyle::kLatin), "0123456789");
  EXPECT_EQ(ShapeDigits("پرسش 3 از 12", DigitStyle::kPersian), "پرسش ۳ از ۱۲");
  EXPECT_EQ(ShapeDigits("", DigitStyle::kPersian), "");
  EXPECT_EQ(ShapeDigits("a" + Bad() + "1", DigitStyle::kArabicIndic), "a" + Bad() + "١");
}

TEST(I18nFormatInt, LocaleDigits) {
  EXPECT_EQ(FormatInt(0, "fa"), "۰");
  EXPECT_EQ(FormatInt(1403, "fa-IR"), "۱۴۰۳");
  EXPECT_EQ(FormatInt(1403, "ar"), "١٤٠٣");
  EXPECT_EQ(FormatInt(1403, "ar-MA"), "1403");
  EXPECT_EQ(FormatInt(1403, "fa-u-nu-latn"), "1403");
  EXPECT_EQ(FormatInt(12345, "en"), "12345");
  EXPECT_EQ(FormatInt(-7, "en"), "-7");
  EXPECT_EQ(FormatInt(-7, "fa"), "\u200E\u2212۷");
  EXPECT_EQ(FormatInt(-7, "ar"), "\u061C-٧");
  EXPECT_EQ(FormatInt(LLONG_MAX, "en"), "9223372036854775807");
  EXPECT_EQ(FormatInt(LLONG_MIN, "en"), "-9223372036854775808");
}

TEST(I18nNormalizeDigits, AllDigitKinds) {
  EXPECT_EQ(NormalizeDigits("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
  EXPECT_EQ(NormalizeDigits("٠١٢٣٤٥٦٧٨٩"), "0123456789");
  EXPECT_EQ(NormalizeDigits("０１２３４５６７８９"), "0123456789");
  EXPECT_EQ(NormalizeDigits("کد ۱۲ و ٣٤ و ５６"), "کد 12 و 34 و 56");
  EXPECT_EQ(NormalizeDigits(Bad() + "۱"), Bad() + "1");  // invalid bytes pass through
  EXPECT_EQ(NormalizeDigits(""), "");
}

TEST(I18nNormalizeDigits, RoundTripsShapeDigits) {
  const std::string latin = "call 0912 at 9:30";
  EXPECT_EQ(NormalizeDigits(ShapeDigits(latin, DigitStyle::kPersian)), latin);
  EXPECT_EQ(NormalizeDigits(ShapeDigits(latin, DigitStyle::kArabicIndic)), latin);
}

TEST(I18nUtf8, DecodeValidAndInvalid) {
  uint32_t cp;
  EXPECT_EQ(Utf8Decode("a", 0, &cp), 1u);
  EXPECT_EQ(cp, 'a');
  EXPECT_EQ(Utf8Decode("ف", 0, &cp), 2u);
  EXPECT_EQ(cp, 0x0641u);
  EXPECT_EQ(Utf8Decode("\u200C", 0, &cp), 3u);
  EXPECT_EQ(cp, 0x200Cu);
  EXPECT_EQ(Utf8Decode("😀", 0, &cp), 4u);
  EXPECT_EQ(cp, 0x1F600u);
  for (const char* bad : {"\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                          "\xF8\x88\x80\x80\x80", "\xE2\x82", "\xD9"}) {
    EXPECT_EQ(Utf8Decode(bad, 0, &cp), 1u) << bad;
    EXPECT_EQ(cp, 0xFFFDu);
  }
  EXPECT_EQ(Utf8Decode("ab", 2, &cp), 0u);
}

TEST(I18nUtf8, AppendEncodes) {
  std::string out;
  for (uint32_t cp : {0x41u, 0x6F1u, 0x20ACu, 0x1F600u, 0xD800u, 0x110000u}) AppendUtf8(cp, &out);
  EXPECT_EQ(out, "A۱€😀\uFFFD\uFFFD");
}

TEST(I18nUtf8, Length) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("سلام"), 4u);
  EXPECT_EQ(Utf8Length("نظر\u200cسنجی"), 8u);  // ZWNJ counts
  EXPECT_EQ(Utf8Length("😀a"), 2u);
  EXPECT_EQ(Utf8Length("a" + Bad() + Bad() + "b"), 4u);  // invalid bytes count one each
  EXPECT_EQ(Utf8Length("\xE2\x82"), 2u);                 // truncated sequence: each byte counts
}

TEST(I18nUtf8, TruncateNeverSplitsASequence) {
  EXPECT_EQ(Utf8Truncate("سلام دنیا", 4), "سلام");
  EXPECT_EQ(Utf8Truncate("سلام", 10), "سلام");
  EXPECT_EQ(Utf8Truncate("سلام", 0), "");
  EXPECT_EQ(Utf8Truncate("a😀b", 2), "a😀");
  EXPECT_EQ(Utf8Truncate("a😀b", 1), "a");
  EXPECT_EQ(Utf8Truncate("", 3), "");
  EXPECT_EQ(Utf8Truncate("a" + Bad() + "b", 2), "a" + Bad());
  const std::string text = "ای ایران، ای مرز پرگهر 😀";
  for (size_t n = 0; n <= Utf8Length(text) + 1; ++n) {
    const std::string cut = Utf8Truncate(text, n);
    EXPECT_EQ(Utf8Length(cut), std::min(n, Utf8Length(text)));
    EXPECT_EQ(text.compare(0, cut.size(), cut), 0);
  }
}

TEST(I18nUiText, EnglishFallbackAndChainOrder) {
  EXPECT_STREQ(UiText(UiString::kNext, {}), "Next");
  EXPECT_STREQ(UiText(UiString::kNext, {"xx", "zh"}), "Next");
  EXPECT_STREQ(UiText(UiString::kNext, {"fa"}), "بعدی");
  EXPECT_STREQ(UiText(UiString::kNext, {"fa-IR", "en"}), "بعدی");
  EXPECT_STREQ(UiText(UiString::kNext, {"FA_ir"}), "بعدی");
  EXPECT_STREQ(UiText(UiString::kNext, {"zh", "ar", "fa"}), "التالي");
  EXPECT_STREQ(UiText(UiString::kNext, {"en", "fa"}), "Next");
}

// A definition's "strings" (UiStringTable): its own language first, English for what it leaves
// out, built-in languages untouched.
TEST(I18nUiText, SurveyTablesAddALanguageAndFallBackToEnglish) {
  UiStringTable it;
  it.locale = "it";
  it.texts[static_cast<int>(UiString::kNext)] = "Avanti";
  UiStringTable de;
  de.locale = "de";
  de.texts[static_cast<int>(UiString::kNext)] = "Los";
  const std::vector<UiStringTable> tables = {it, de};
  EXPECT_STREQ(UiText(UiString::kNext, {"it"}, tables), "Avanti");
  EXPECT_STREQ(UiText(UiString::kNext, {"it-CH", "en"}, tables), "Avanti");  // its language
  EXPECT_STREQ(UiText(UiString::kNext, {"IT"}, tables), "Avanti");
  // Left out of the table: English, even when the chain goes on to a built-in language.
  EXPECT_STREQ(UiText(UiString::kSkip, {"it", "fa"}, tables), "Skip");
  // A table rewords a built-in language; the other built-in strings stay.
  UiStringTable fa;
  fa.locale = "fa";
  fa.texts[static_cast<int>(UiString::kNext)] = "برو";
  const std::vector<UiStringTable> reworded = {fa};
  EXPECT_STREQ(UiText(UiString::kNext, {"fa"}, reworded), "برو");
  EXPECT_STREQ(UiText(UiString::kBack, {"fa"}, reworded), "قبلی");
  EXPECT_STREQ(UiText(UiString::kBack, {"fa-IR"}, reworded), "قبلی");
  // German is a data file, not built in: what its table leaves out is English.
  EXPECT_STREQ(UiText(UiString::kNext, {"de"}, tables), "Los");
  EXPECT_STREQ(UiText(UiString::kBack, {"de-CH"}, tables), "Back");
  EXPECT_STREQ(UiText(UiString::kNext, {"fa", "it"}, tables), "بعدی");
  EXPECT_STREQ(UiText(UiString::kNext, {"xx", "it"}, tables), "Avanti");
  EXPECT_STREQ(UiText(UiString::kNext, {"it"}), "Next");  // without tables
}

TEST(I18nUiText, PlaceholdersEachStringNeeds) {
  EXPECT_EQ(UiPlaceholders(UiString::kNext), 0);
  EXPECT_EQ(UiPlaceholders(UiString::kQuestionOf), 3);
  EXPECT_EQ(UiPlaceholders(UiString::kCharactersLeft), 1);
  EXPECT_EQ(UiPlaceholders(UiString::kStars), 3);
  EXPECT_EQ(UiPlaceholders(UiString::kOutOf), 3);
  EXPECT_EQ(UiPlaceholders(UiString::kScaleEnd), 3);
  EXPECT_EQ(UiPlaceholders(UiString::kAgreeMin), 0);
  EXPECT_STREQ(kUiStringNames[static_cast<int>(UiString::kQuestionOf)], "question_of");
  EXPECT_STREQ(kUiStringNames[static_cast<int>(UiString::kScaleEnd)], "scale_end");
}

// Bidi controls a survey text opens are closed at its end, innermost first; paired ones stay.
TEST(I18nCloseBidi, ClosesWhatATextOpens) {
  EXPECT_EQ(CloseBidi("plain"), "plain");
  EXPECT_EQ(CloseBidi(""), "");
  EXPECT_EQ(CloseBidi("\u202Egnp.exe"), "\u202Egnp.exe\u202C");            // RLO
  EXPECT_EQ(CloseBidi("a\u202Ab\u202Bc"), "a\u202Ab\u202Bc\u202C\u202C");  // LRE RLE
  EXPECT_EQ(CloseBidi("\u2067abc"), "\u2067abc\u2069");                    // RLI
  EXPECT_EQ(CloseBidi("\u202Ex\u2066y"), "\u202Ex\u2066y\u2069\u202C");    // innermost first
  EXPECT_EQ(CloseBidi("\u202Ex\u202C"), "\u202Ex\u202C");                  // paired
  EXPECT_EQ(CloseBidi("\u2068x\u2069y"), "\u2068x\u2069y");                // FSI paired
  // A PDF does not close across an isolate; a PDI closes its isolate and what opened inside it.
  EXPECT_EQ(CloseBidi("\u2066\u202Ex\u2069"), "\u2066\u202Ex\u2069");
  EXPECT_EQ(CloseBidi("\u2066x\u202C"), "\u2066x\u202C\u2069");
  EXPECT_EQ(CloseBidi("\u202Dx\u2069"), "\u202Dx\u2069\u202C");  // stray PDI: LRO stays open
  EXPECT_EQ(CloseBidi("\u202C\u2069x"), "\u202C\u2069x");        // stray closers kept
  EXPECT_EQ(CloseBidi("\u200F\u061Cx"), "\u200F\u061Cx");        // marks open nothing
  EXPECT_EQ(CloseBidi("\xE2\x80"), "\xE2\x80");                  // truncated bytes pass
}

TEST(I18nUiText, PersianWording) {
  const Chain fa = {"fa"};
  EXPECT_STREQ(UiText(UiString::kNext, fa), "بعدی");
  EXPECT_STREQ(UiText(UiString::kBack, fa), "قبلی");
  EXPECT_STREQ(UiText(UiString::kSubmit, fa), "ارسال");
  EXPECT_STREQ(UiText(UiString::kSkip, fa), "رد کردن");
  EXPECT_STREQ(UiText(UiString::kClose, fa), "بستن نظرسنجی");
  EXPECT_STREQ(UiText(UiString::kThankYou, fa), "سپاسگزاریم!");
  EXPECT_STREQ(UiText(UiString::kQuestionOf, fa), "پرسش {1} از {2}");
}

TEST(I18nUiText, EnglishStrings) {
  const Chain en = {"en"};
  EXPECT_STREQ(UiText(UiString::kClose, en), "Close survey");
  EXPECT_STREQ(UiText(UiString::kQuestionOf, en), "Question {1} of {2}");
  EXPECT_STREQ(UiText(UiString::kCharactersLeft, en), "{1} characters left");
  EXPECT_STREQ(UiText(UiString::kRequiredHint, en), "Please choose an answer to continue.");
  EXPECT_STREQ(UiText(UiString::kStars, en), "{1} of {2} stars");
}

constexpr UiString kAllStrings[] = {
    UiString::kNext,     UiString::kBack,           UiString::kSubmit,       UiString::kSkip,
    UiString::kClose,    UiString::kThankYou,       UiString::kSurveyLabel,  UiString::kQuestionOf,
    UiString::kOptional, UiString::kCharactersLeft, UiString::kRequiredHint, UiString::kStars};
constexpr const char* kUiLocales[] = {"en", "fa", "ar"};

// A language file's table, as a survey that adds it as its "strings" holds it.
UiStringTable FileTable(const std::string& language) {
  const Survey survey = MustParse(
      R"({"nazar":1,"id":"s","version":"1","trigger":{"on":"manual"},"strings":)" +
      LocaleFile(language) + R"(,"questions":[{"id":"q","type":"nps","text":{"en":"?"}}]})");
  EXPECT_EQ(survey.strings.size(), 1u) << language;
  return survey.strings.empty() ? UiStringTable() : survey.strings.front();
}

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

TEST(I18nUiText, EveryLocaleTranslatesEveryStringWithItsPlaceholders) {
  std::vector<UiStringTable> files;
  for (const char* language : kLocaleFiles) files.push_back(FileTable(language));
  std::vector<std::string> locales(std::begin(kUiLocales), std::end(kUiLocales));
  locales.insert(locales.end(), std::begin(kLocaleFiles), std::end(kLocaleFiles));
  for (const std::string& locale : locales) {
    for (UiString id : kAllStrings) {
      const std::string text = UiText(id, {locale}, files);
      const std::string english = UiText(id, {"en"});
      EXPECT_FALSE(text.empty()) << locale;
      if (locale != "en" && id != UiString::kOptional) {
        EXPECT_NE(text, english) << locale << " " << static_cast<int>(id);
      }
      for (const char* placeholder : {"{1}", "{2}"}) {
        EXPECT_EQ(Contains(text, placeholder), Contains(english, placeholder))
            << locale << " " << static_cast<int>(id) << " " << placeholder;
      }
    }
  }
}

// Each language file names every UI string, so no part of the widget falls back to English, and
// the directory holds exactly the files listed in test_util.h, so that each is tested.
TEST(I18nLocaleFiles, NameEveryUiStringAndAreExactlyThese) {
  for (const char* language : kLocaleFiles) {
    const UiStringTable table = FileTable(language);
    EXPECT_EQ(table.locale, language);
    for (int i = 0; i < kUiStringCount; ++i) {
      EXPECT_FALSE(table.texts[i].empty()) << language << " has no \"" << kUiStringNames[i] << '"';
    }
  }
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(NAZAR_LOCALES_DIR)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  Chain listed;
  for (const char* language : kLocaleFiles) listed.push_back(std::string(language) + ".json");
  EXPECT_EQ(names, listed);
}

// Persian must not use the Arabic yeh/kaf (U+064A, U+0643) and Arabic not the Persian ones
// (U+06CC, U+06A9): mixing them breaks search and looks wrong to native readers.
TEST(I18nUiText, PersianAndArabicUseTheirOwnLetters) {
  const std::vector<UiStringTable> urdu = {FileTable("ur")};
  for (UiString id : kAllStrings) {
    const std::string fa = UiText(id, {"fa"});
    const std::string ur = UiText(id, {"ur"}, urdu);
    const std::string ar = UiText(id, {"ar"});
    for (const std::string& s : {fa, ur}) {
      EXPECT_FALSE(Contains(s, "\u064A")) << s;
      EXPECT_FALSE(Contains(s, "\u0643")) << s;
    }
    EXPECT_FALSE(Contains(ar, "\u06CC")) << ar;
    EXPECT_FALSE(Contains(ar, "\u06A9")) << ar;
    EXPECT_FALSE(Contains(ur, "\u0647")) << ur;  // Urdu writes heh goal / do-chashmi heh
  }
}

TEST(I18nUiText, WidgetLabelsComposeWithLocaleDigits) {
  EXPECT_EQ(
      FormatPattern(UiText(UiString::kQuestionOf, {"fa"}), FormatInt(2, "fa"), FormatInt(5, "fa")),
      "پرسش ۲ از ۵");
  EXPECT_EQ(
      FormatPattern(UiText(UiString::kQuestionOf, {"ar"}), FormatInt(2, "ar"), FormatInt(5, "ar")),
      "السؤال ٢ من ٥");
  EXPECT_EQ(FormatPattern(UiText(UiString::kStars, {"tr"}, {FileTable("tr")}), "4", "5"),
            "5 üzerinden 4 yıldız");
  EXPECT_EQ(FormatPattern(UiText(UiString::kStars, {"en"}), "4", "5"), "4 of 5 stars");
  EXPECT_EQ(FormatPattern(UiText(UiString::kCharactersLeft, {"fa"}), FormatInt(120, "fa")),
            "۱۲۰ نویسه باقی\u200cمانده");
}

TEST(I18nFormatPattern, Placeholders) {
  EXPECT_EQ(FormatPattern("Question {1} of {2}", "3", "7"), "Question 3 of 7");
  EXPECT_EQ(FormatPattern("{2}/{1}", "a", "b"), "b/a");
  EXPECT_EQ(FormatPattern("{1}{1}", "x"), "xx");
  EXPECT_EQ(FormatPattern("{1} and {2}", "x"), "x and ");
  EXPECT_EQ(FormatPattern("{3} {} {1", "x", "y"), "{3} {} {1");
  EXPECT_EQ(FormatPattern("", "x", "y"), "");
  EXPECT_EQ(FormatPattern("{1}", "{2}", "y"), "{2}");  // substitutions are not rescanned
}

}  // namespace
}  // namespace nazar
