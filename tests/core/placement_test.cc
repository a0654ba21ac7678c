// Where the survey shows (issue 9, placements): the definition's position, mirrored in
// right-to-left locales unless the site says otherwise, inline in a page's container, and the
// centre as a modal; and when the first view may move focus into the survey.
#include <gtest/gtest.h>

#include <string>

#include "fake_host.h"
#include "nazar/view.h"
#include "nazar/widget.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::MustParse;
using testing::PostCheckout;

TEST(Placement, CornersMirrorInRightToLeftLocales) {
  const PlacementOptions floating;
  EXPECT_EQ(ResolvePlacement("bottom-right", "en", floating), "bottom-right");
  EXPECT_EQ(ResolvePlacement("bottom-left", "en-GB", floating), "bottom-left");
  EXPECT_EQ(ResolvePlacement("bottom-right", "fa", floating), "bottom-left");
  EXPECT_EQ(ResolvePlacement("bottom-left", "fa-IR", floating), "bottom-right");
  EXPECT_EQ(ResolvePlacement("bottom-right", "ar-EG", floating), "bottom-left");
  EXPECT_EQ(ResolvePlacement("bottom-left", "he", floating), "bottom-right");
  // Not corners: nothing to mirror.
  EXPECT_EQ(ResolvePlacement("bottom", "ar", floating), "bottom");
  EXPECT_EQ(ResolvePlacement("center", "fa", floating), "center");
  // A right-to-left script subtag counts, a left-to-right one does not.
  EXPECT_EQ(ResolvePlacement("bottom-right", "pa-Arab", floating), "bottom-left");
  EXPECT_EQ(ResolvePlacement("bottom-right", "az-Latn", floating), "bottom-right");
}

TEST(Placement, TheSiteCanKeepCornersWhereItPutThem) {
  PlacementOptions fixed;
  fixed.mirror = false;
  EXPECT_EQ(ResolvePlacement("bottom-right", "fa", fixed), "bottom-right");
  EXPECT_EQ(ResolvePlacement("bottom-left", "ar", fixed), "bottom-left");
}

TEST(Placement, AContainerWinsOverEveryPosition) {
  PlacementOptions in_page;
  in_page.inline_container = true;
  for (const char* position : {"bottom-right", "bottom-left", "bottom", "center"}) {
    EXPECT_EQ(ResolvePlacement(position, "en", in_page), "inline") << position;
    EXPECT_EQ(ResolvePlacement(position, "fa", in_page), "inline") << position;
  }
}

std::string RootAttr(const Json& update, const char* name) {
  return update["view"]["a"].value(name, "<none>");
}

Survey At(const char* position) {
  Survey s = MustParse(PostCheckout());
  s.appearance.position = position;
  return s;
}

TEST(PlacementView, TheRootNamesThePlacementAndOnlyTheCentreIsModal) {
  FakeHost host;
  struct Case {
    const char* position;
    const char* locale;
    bool inline_container;
    const char* placement;
    const char* modal;
  };
  for (const Case& c : {Case{"bottom-right", "en", false, "bottom-right", "false"},
                        Case{"bottom-right", "fa", false, "bottom-left", "false"},
                        Case{"bottom-left", "fa-IR", false, "bottom-right", "false"},
                        Case{"bottom", "fa", false, "bottom", "false"},
                        Case{"center", "en", false, "center", "true"},
                        Case{"center", "fa", false, "center", "true"},
                        Case{"center", "en", true, "inline", "false"}}) {
    EmbedOptions embed;
    embed.placement.inline_container = c.inline_container;
    Widget w(At(c.position), {c.locale, "shop.example", 0}, &host, embed);
    const Json u = w.Start();
    EXPECT_EQ(RootAttr(u, "data-nz-position"), c.placement) << c.position << " " << c.locale;
    EXPECT_EQ(RootAttr(u, "aria-modal"), c.modal) << c.position << " " << c.locale;
  }
}

TEST(PlacementView, ALocaleChangeMirrorsTheOpenSurvey) {
  FakeHost host;
  Widget w(At("bottom-right"), {"en", "shop.example", 0}, &host);
  EXPECT_EQ(RootAttr(w.Start(), "data-nz-position"), "bottom-right");
  auto r = w.HandleEvent({{"type", "locale"}, {"locale", "fa"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(RootAttr(*r, "data-nz-position"), "bottom-left");
}

TEST(PlacementFocus, OnlyAModalOrTheVisitorsOwnActionTakesFocusAtStart) {
  FakeHost host;
  // PostCheckout's first question is the NPS: its first option is the radio group's tab stop.
  Widget floating(At("bottom-right"), {"en", "shop.example", 0}, &host);
  EXPECT_TRUE(floating.Start()["focus"].is_null());
  EmbedOptions in_container;
  in_container.placement.inline_container = true;
  Widget in_page(At("center"), {"en", "shop.example", 0}, &host, in_container);
  EXPECT_TRUE(in_page.Start()["focus"].is_null());

  Widget modal(At("center"), {"en", "shop.example", 0}, &host);
  EXPECT_EQ(modal.Start()["focus"], "nz-nps-0");
  EmbedOptions asked;
  asked.user_activated = true;
  Widget clicked(At("bottom-left"), {"en", "shop.example", 0}, &host, asked);
  EXPECT_EQ(clicked.Start()["focus"], "nz-nps-0");
}

TEST(PlacementConfig, TheSessionConfigCarriesTheEmbeddingsOptions) {
  FakeHost host;
  const Json base = {{"definition", PostCheckout()}, {"locale", "fa"}, {"site", "shop.example"}};
  Json config = base;
  auto w = CreateWidget(config, &host);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(RootAttr((*w)->Start(), "data-nz-position"), "bottom-left");

  config["mirror"] = false;
  w = CreateWidget(config, &host);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(RootAttr((*w)->Start(), "data-nz-position"), "bottom-right");

  config = base;
  config["inline"] = true;
  config["user_activated"] = true;
  w = CreateWidget(config, &host);
  ASSERT_TRUE(w.ok());
  const Json u = (*w)->Start();
  EXPECT_EQ(RootAttr(u, "data-nz-position"), "inline");
  EXPECT_EQ(u["focus"], "nz-nps-0");

  for (const char* name : {"inline", "mirror", "user_activated"}) {
    config = base;
    config[name] = "yes";
    w = CreateWidget(config, &host);
    EXPECT_EQ(w.status().code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(w.status().message(), std::string("config/") + name + ": expected true or false");
  }
}

}  // namespace
}  // namespace nazar
