// What the embed API asks of the core beyond a plain session: nazar.setLocale() on an open
// survey (the "locale" session event) and the readable text colour on the accent (the view's
// data-nz-on-accent, so web/ re-checks no colour).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <string>

#include "fake_host.h"
#include "nazar/view.h"
#include "nazar/widget.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::MustParse;
using testing::PostCheckout;

std::string RootAttr(const Json& update, const char* name) {
  return update["view"]["a"].value(name, "<none>");
}

// Texts of every node, depth first, joined by '|'.
void Texts(const Json& node, std::string* out) {
  if (node.contains("x")) *out += node["x"].get<std::string>() + "|";
  if (node.contains("c")) {
    for (const Json& c : node["c"]) Texts(c, out);
  }
}

TEST(EmbedLocale, AnOpenSurveyReRendersInTheNewLocale) {
  FakeHost host(1795390200000, 3);
  Widget w(MustParse(PostCheckout()), {"en", "shop.example", 0}, &host);
  Json u = w.Start();
  EXPECT_EQ(RootAttr(u, "lang"), "en");
  ASSERT_TRUE(w.HandleEvent({{"type", "action"}, {"action", "select"}, {"value", "9"}}).ok());

  auto r = w.HandleEvent({{"type", "locale"}, {"locale", "fa-IR"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(RootAttr(*r, "lang"), "fa");
  EXPECT_EQ(RootAttr(*r, "dir"), "rtl");
  std::string texts;
  Texts((*r)["view"], &texts);
  // The DESIGN.md question in Persian, and Persian digits on the options (۹ is U+06F9).
  EXPECT_NE(texts.find("چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟"), std::string::npos);
  EXPECT_NE(texts.find("|۹|"), std::string::npos);
  // The answer and the step are kept; nothing is stored or sent for a change of language.
  EXPECT_EQ(w.session().answer(0).value, 9);
  EXPECT_EQ(w.session().current(), 0);
  EXPECT_TRUE((*r)["effects"].empty());
  EXPECT_TRUE((*r)["events"].empty());

  // A tag the survey lacks falls back along the chain to the default locale.
  r = w.HandleEvent({{"type", "locale"}, {"locale", "de-CH"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(RootAttr(*r, "lang"), "en");
  EXPECT_EQ(RootAttr(*r, "dir"), "ltr");
}

TEST(EmbedLocale, AMissingTagNamesTheField) {
  FakeHost host;
  Widget w(MustParse(PostCheckout()), {"en", "shop.example", 0}, &host);
  w.Start();
  auto r = w.HandleEvent({{"type", "locale"}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "event/locale: missing");
}

// Contrast ratios published by the WCAG-based checkers (WebAIM's contrast checker and the
// WCAG 2.x understanding documents), not computed here.
TEST(EmbedTheme, ContrastMatchesPublishedRatios) {
  const double white = RelativeLuminance("#ffffff");
  EXPECT_DOUBLE_EQ(white, 1.0);
  EXPECT_DOUBLE_EQ(RelativeLuminance("#000"), 0.0);
  EXPECT_DOUBLE_EQ(RelativeLuminance("#FFF"), 1.0);
  EXPECT_DOUBLE_EQ(ContrastRatio(RelativeLuminance("#000000"), white), 21.0);
  EXPECT_NEAR(ContrastRatio(RelativeLuminance("#767676"), white), 4.54, 0.005);  // AA's grey
  EXPECT_NEAR(ContrastRatio(RelativeLuminance("#777777"), white), 4.48, 0.005);  // just fails
  EXPECT_NEAR(ContrastRatio(white, RelativeLuminance("#0000ff")), 8.59, 0.005);
  EXPECT_NEAR(ContrastRatio(RelativeLuminance("#ff0000"), white), 4.00, 0.005);
  EXPECT_NEAR(ContrastRatio(RelativeLuminance("#f00"), RelativeLuminance("#ff0000")), 1.0, 1e-12);
}

// The core raises to the power 2.4 by Newton's method (no libm pow in the widget's wasm): every
// 8-bit grey against WCAG's formula evaluated with std::pow.
TEST(EmbedTheme, LuminanceOfEveryGreyMatchesTheFormulaWithPow) {
  const char* hex = "0123456789abcdef";
  for (int v = 0; v < 256; ++v) {
    const std::string grey = std::string("#") + hex[v / 16] + hex[v % 16] + hex[v / 16] +
                             hex[v % 16] + hex[v / 16] + hex[v % 16];
    const double c = v / 255.0;
    const double expected = c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    EXPECT_NEAR(RelativeLuminance(grey), expected, 1e-15) << grey;
  }
}

TEST(EmbedTheme, NotAColourIsRefused) {
  for (const char* bad : {"", "red", "#12345", "#1234567", "#ggg", "0a7d5a", "#0a7d5"}) {
    EXPECT_EQ(RelativeLuminance(bad), -1) << bad;
  }
}

TEST(EmbedTheme, TextOnTheAccentIsTheMoreReadableOfBlackAndWhite) {
  EXPECT_STREQ(kTextOnLight, "#000000");
  EXPECT_STREQ(kTextOnDark, "#ffffff");
  EXPECT_STREQ(TextColorOn("#ffffff"), kTextOnLight);
  EXPECT_STREQ(TextColorOn("#000000"), kTextOnDark);
  EXPECT_STREQ(TextColorOn("#ffd23f"), kTextOnLight);  // the test site's yellow
  EXPECT_STREQ(TextColorOn("#0a7d5a"), kTextOnDark);   // the default green: 5.13:1 with white
  // #777777: 4.48:1 with white (published, above) and 4.69:1 with black: black, where the
  // dark of #111111 (4.22:1) had lost to white and left the label below 4.5:1.
  EXPECT_STREQ(TextColorOn("#777777"), kTextOnLight);
  // #d9480f, an orange: 4.30:1 with white, 4.88:1 with black.
  EXPECT_STREQ(TextColorOn("#d9480f"), kTextOnLight);
  // #808080: about 3.95:1 with white, 5.3:1 with black. A "luminance above 0.4" rule (the web
  // side's old one) picked white here.
  EXPECT_STREQ(TextColorOn("#808080"), kTextOnLight);
}

// Issue 9: at least 4.5:1 with any accent a site may choose. Every colour of a grid over the
// sRGB cube (each channel in steps of 5, 140,608 colours), judged by WCAG's formula written here
// with std::pow, apart from the core's.
TEST(EmbedTheme, EveryAccentGetsTextOfAtLeastFourAndAHalfToOne) {
  const auto linear = [](int v) {
    const double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
  };
  const auto luminance = [&](int r, int g, int b) {
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const auto ratio = [](double a, double b) {
    return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
  };
  const char* hex = "0123456789abcdef";
  double worst = 21;
  std::string worst_accent;
  for (int r = 0; r < 256; r += 5) {
    for (int g = 0; g < 256; g += 5) {
      for (int b = 0; b < 256; b += 5) {
        const std::string accent = {'#', hex[r / 16], hex[r % 16], hex[g / 16],
                                    hex[g % 16], hex[b / 16], hex[b % 16]};
        const std::string text = TextColorOn(accent);
        const double on = text == "#000000" ? 0.0 : text == "#ffffff" ? 1.0 : -1.0;
        ASSERT_GE(on, 0) << accent << " got " << text;
        const double contrast = ratio(luminance(r, g, b), on);
        if (contrast < worst) {
          worst = contrast;
          worst_accent = accent;
        }
      }
    }
  }
  EXPECT_GE(worst, 4.5) << worst_accent;
}

TEST(EmbedTheme, TheRootCarriesTheTextColourNextToTheAccent) {
  FakeHost host;
  Survey s = MustParse(PostCheckout());
  s.appearance.accent = "#ffd23f";
  Widget light(s, {"en", "shop.example", 0}, &host);
  Json u = light.Start();
  EXPECT_EQ(RootAttr(u, "data-nz-accent"), "#ffd23f");
  EXPECT_EQ(RootAttr(u, "data-nz-on-accent"), "#000000");
  s.appearance.accent = "#0a7d5a";
  Widget dark(s, {"en", "shop.example", 0}, &host);
  EXPECT_EQ(RootAttr(dark.Start(), "data-nz-on-accent"), "#ffffff");
}

}  // namespace
}  // namespace nazar
