// The view decisions for drawn options: CSAT faces and rating stars as SVG nodes (no emoji font
// needed), the face each point of a 2..5-point scale gets, and stars filled up to the answer.
#include "nazar/view.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fake_host.h"
#include "nazar/session.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::MustParse;

Survey OneQuestion(const std::string& question) {
  return MustParse(R"({"nazar":1,"id":"s","version":"1","default_locale":"en",)"
                   R"("trigger":{"on":"manual"},"questions":[)" +
                   question + "]}");
}

const Node* FindById(const Node& node, const std::string& id) {
  for (const auto& [name, value] : node.attrs) {
    if (name == "id" && value == id) return &node;
  }
  for (const Node& child : node.children) {
    if (const Node* hit = FindById(child, id)) return hit;
  }
  return nullptr;
}

std::string AttrOf(const Node& node, const std::string& name) {
  for (const auto& [n, v] : node.attrs) {
    if (n == name) return v;
  }
  return "<none>";
}

// The option button of value `v` in the rendered step.
const Node& Option(const Node& view, const std::string& question, int v) {
  static const Node kMissing = El("missing");
  const Node* b = FindById(view, "nz-" + question + "-" + std::to_string(v));
  EXPECT_NE(b, nullptr) << v;
  return b ? *b : kMissing;
}

// The path drawn in an option's icon, checking the icon's fixed shape on the way: one aria-hidden
// svg and no text, so the button's aria-label alone names it.
std::string IconPath(const Node& button) {
  EXPECT_EQ(button.text, "");
  if (button.children.size() != 1) return "<" + std::to_string(button.children.size()) + " nodes>";
  const Node& svg = button.children[0];
  EXPECT_EQ(svg.tag, "svg");
  EXPECT_EQ(AttrOf(svg, "viewBox"), "0 0 24 24");
  EXPECT_EQ(AttrOf(svg, "aria-hidden"), "true");
  EXPECT_EQ(AttrOf(svg, "focusable"), "false");
  if (svg.children.empty() || svg.children.back().tag != "path") return "<no path>";
  return AttrOf(svg.children.back(), "d");
}

Node RenderFirst(const std::string& question, int select = -1) {
  FakeHost host;
  Session s(OneQuestion(question), "en", &host);
  if (select >= 0) EXPECT_TRUE(s.SelectValue(select).ok());
  return Render(s);
}

std::string Csat(int scale) {
  return R"({"id":"sat","type":"csat","style":"emoji","text":{"en":"Satisfied?"},"scale":)" +
         std::to_string(scale) + "}";
}

TEST(ViewIconsTest, FiveFacesAreFiveDistinctSvgDrawings) {
  const Node view = RenderFirst(Csat(5));
  std::vector<std::string> paths;
  for (int v = 1; v <= 5; ++v) {
    const Node& b = Option(view, "sat", v);
    paths.push_back(IconPath(b));
    const Node& svg = b.children.at(0);
    ASSERT_EQ(svg.children.size(), 2u);
    EXPECT_EQ(svg.children[0].tag, "circle");  // the head
    EXPECT_EQ(AttrOf(svg.children[0], "r"), "10");
    // Only the happiest face fills its (open) mouth.
    EXPECT_EQ(AttrOf(svg.children[1], "fill"), v == 5 ? "currentColor" : "<none>") << v;
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(paths[i].find('<'), std::string::npos) << paths[i];
    EXPECT_LE(paths[i].size(), 60u) << "keep the drawings short: " << paths[i];
    for (size_t j = i + 1; j < paths.size(); ++j) EXPECT_NE(paths[i], paths[j]) << i << "," << j;
  }
}

TEST(ViewIconsTest, ShorterScalesPickTheirFacesFromBothEndsAndTheMiddle) {
  std::vector<std::string> five;
  const Node view5 = RenderFirst(Csat(5));
  for (int v = 1; v <= 5; ++v) five.push_back(IconPath(Option(view5, "sat", v)));
  // From the scale's meaning: 2 points are the two extremes; 3 add neutral; 4 drop neutral.
  const std::vector<std::vector<int>> expected = {{1, 5}, {1, 3, 5}, {1, 2, 4, 5}};
  for (int scale = 2; scale <= 4; ++scale) {
    const Node view = RenderFirst(Csat(scale));
    for (int v = 1; v <= scale; ++v) {
      EXPECT_EQ(IconPath(Option(view, "sat", v)), five[expected[scale - 2][v - 1] - 1])
          << scale << " points, value " << v;
    }
  }
}

TEST(ViewIconsTest, NumbersStyleShowsNumbers) {
  // The default CSAT style, and rating's "numbers": text, no drawing.
  const Node plain = RenderFirst(R"({"id":"sat","type":"csat","scale":5,"text":{"en":"Ok?"}})");
  EXPECT_EQ(Option(plain, "sat", 5).text, "5");
  EXPECT_TRUE(Option(plain, "sat", 5).children.empty());
  const Node numbers = RenderFirst(R"({"id":"r","type":"rating","scale":5,"style":"numbers",)"
                                   R"("text":{"en":"Rate"}})");
  EXPECT_EQ(Option(numbers, "r", 3).text, "3");
  EXPECT_TRUE(Option(numbers, "r", 3).children.empty());
}

TEST(ViewIconsTest, StarsFillUpToTheSelectedValue) {
  const std::string stars =
      R"({"id":"r","type":"rating","scale":5,"style":"stars","text":{"en":"Rate"}})";
  const Node none = RenderFirst(stars);
  for (int v = 1; v <= 5; ++v) {
    EXPECT_EQ(AttrOf(Option(none, "r", v), "data-nz-filled"), "<none>") << v;
    EXPECT_EQ(IconPath(Option(none, "r", v)), IconPath(Option(none, "r", 1)));
  }
  const Node three = RenderFirst(stars, 3);
  const char* const filled[] = {"true", "true", "true", "<none>", "<none>"};
  for (int v = 1; v <= 5; ++v) {
    EXPECT_EQ(AttrOf(Option(three, "r", v), "data-nz-filled"), filled[v - 1]) << v;
  }
  EXPECT_EQ(AttrOf(Option(three, "r", 3), "aria-checked"), "true");
  EXPECT_EQ(AttrOf(Option(three, "r", 2), "aria-checked"), "false");
}

// axe-core's aria-allowed-attr: a radiogroup may say it is required, a group may not.
TEST(ViewIconsTest, OnlyARadioGroupSaysRequired) {
  const std::string options =
      R"("text":{"en":"Q"},"options":[{"id":"a","text":{"en":"A"}},{"id":"b","text":{"en":"B"}}]})";
  const Node single = RenderFirst(R"({"id":"c","type":"choice",)" + options);
  const Node multiple = RenderFirst(R"({"id":"c","type":"choice","multiple":true,)" + options);
  const Node& one = single.children.at(1).children.at(2);  // dialog > step > group
  const Node& many = multiple.children.at(1).children.at(2);
  EXPECT_EQ(AttrOf(one, "role"), "radiogroup");
  EXPECT_EQ(AttrOf(one, "aria-required"), "true");
  EXPECT_EQ(AttrOf(many, "role"), "group");
  EXPECT_EQ(AttrOf(many, "aria-required"), "<none>");
}

}  // namespace
}  // namespace nazar
