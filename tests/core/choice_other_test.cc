// A choice question's optional "other" with free text (definition, view, where its text goes:
// a comment, apart from the tally, Contract 3) and auto_advance on a tap (never on keys).
#include <gtest/gtest.h>

#include <string>

#include "fake_host.h"
#include "nazar/aggregate.h"
#include "nazar/definition.h"
#include "nazar/view.h"
#include "nazar/widget.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::MustParse;

std::string Definition(const std::string& questions, const std::string& comments = "drop") {
  return R"({"nazar":1,"id":"s","version":"1","default_locale":"en","trigger":{"on":"manual"},)"
         R"("privacy":{"comments":")" +
         comments + R"("},"questions":[)" + questions + "]}";
}

const char* const kNps = R"({"id":"nps","type":"nps","text":{"en":"Recommend us?"}})";
const char* const kChannel =
    R"({"id":"channel","type":"choice","text":{"en":"Where?"},"other":{"en":"Somewhere else"},)"
    R"("options":[{"id":"web","text":{"en":"Website"}},{"id":"app","text":{"en":"App"}}]})";

std::string Errors(const std::string& text) {
  ParsedDefinitions parsed = ParseDefinitions(text);
  std::string out;
  for (const DefinitionError& e : parsed.errors) out += e.ToString() + "\n";
  return out;
}

Json Tap(const char* action, const std::string& value) {
  return {{"type", "action"}, {"action", action}, {"value", value}, {"pointer", true}};
}
Json Click(const char* action, const std::string& value = "") {
  Json e = {{"type", "action"}, {"action", action}};
  if (!value.empty()) e["value"] = value;
  return e;
}
Json Type(const std::string& text) {
  return {{"type", "input"}, {"action", "text"}, {"value", text}};
}

// Depth-first: whether any node of the view has this id.
bool HasId(const Json& node, const std::string& id) {
  if (node.contains("a") && node["a"].value("id", "") == id) return true;
  if (node.contains("c")) {
    for (const Json& c : node["c"]) {
      if (HasId(c, id)) return true;
    }
  }
  return false;
}

class OtherTest : public ::testing::Test {
 protected:
  Json Send(Widget& w, const Json& event) {
    auto r = w.HandleEvent(event);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : Json();
  }
  std::string Showing(const Widget& w) {
    return w.session().state() == SessionState::kQuestion ? w.session().current_question().id
                                                          : "<ended>";
  }
  FakeHost host_{1795390200000, 3};
};

TEST(OtherDefinitionTest, OtherIsALastOptionThatTakesText) {
  const Survey s = MustParse(Definition(kChannel));
  const Question& q = s.questions[0];
  ASSERT_EQ(q.options.size(), 3u);
  EXPECT_EQ(q.options[2].id, "other");
  EXPECT_EQ(*q.options[2].text.Find({"en"}), "Somewhere else");
  EXPECT_TRUE(q.other);
  EXPECT_TRUE(q.TakesText());
  EXPECT_EQ(q.max_length, 200);
  EXPECT_FALSE(MustParse(Definition(kNps)).questions[0].TakesText());
}

TEST(OtherDefinitionTest, ErrorsNameThePointer) {
  EXPECT_EQ(Errors(Definition(
                R"({"id":"c","type":"choice","text":{"en":"Q"},"other":{"en":"Else"},"options":[)"
                R"({"id":"a","text":{"en":"A"}},{"id":"other","text":{"en":"O"}}]})")),
            "/questions/0/other: option /questions/0/options/1 already has the id \"other\", which "
            "\"other\" needs; rename it\n");
  std::string twenty;
  for (int i = 0; i < 20; ++i) {
    twenty +=
        std::string(i ? "," : "") + R"({"id":"o)" + std::to_string(i) + R"(","text":{"en":"O"}})";
  }
  EXPECT_EQ(Errors(Definition(R"({"id":"c","type":"choice","text":{"en":"Q"},)"
                              R"("other":{"en":"Else"},"options":[)" +
                              twenty + "]}")),
            "/questions/0/other: \"other\" counts as an option: use at most 19 options with it\n");
  EXPECT_NE(Errors(Definition(R"({"id":"n","type":"nps","text":{"en":"Q"},"other":{"en":"E"}})"))
                .find("/questions/0/other: "),
            std::string::npos);
  EXPECT_EQ(
      Errors(Definition(
          R"({"id":"c","type":"choice","multiple":true,"auto_advance":true,"text":{"en":"Q"},)"
          R"("options":[{"id":"a","text":{"en":"A"}},{"id":"b","text":{"en":"B"}}]})")),
      "/questions/0/auto_advance: a multiple choice question cannot move on at a tap (the "
      "respondent may pick several); remove auto_advance or \"multiple\"\n");
  EXPECT_NE(Errors(Definition(R"({"id":"t","type":"text","text":{"en":"Q"},"auto_advance":true})"))
                .find("/questions/0/auto_advance: "),
            std::string::npos);
  EXPECT_NE(Errors(Definition(R"({"id":"n","type":"nps","text":{"en":"Q"},"auto_advance":1})"))
                .find("/questions/0/auto_advance: expected a boolean"),
            std::string::npos);
}

TEST_F(OtherTest, TheFieldShowsWhileOtherIsChosenAndATapFocusesIt) {
  Widget w(MustParse(Definition(kChannel)), {"en", "s", 0}, &host_);
  EXPECT_FALSE(HasId(w.Start()["view"], "nz-channel-other-text"));
  Json u = Send(w, Tap("toggle", "other"));
  EXPECT_TRUE(HasId(u["view"], "nz-channel-other-text"));
  EXPECT_EQ(u["focus"], "nz-channel-other-text");
  EXPECT_TRUE(HasId(u["view"], "nz-channel-other"));  // the option names the field
  // Enter or Space on "other" leaves focus on the option (radio group pattern).
  u = Send(w, Click("toggle", "web"));
  EXPECT_FALSE(HasId(u["view"], "nz-channel-other-text"));
  u = Send(w, Click("toggle", "other"));
  EXPECT_TRUE(HasId(u["view"], "nz-channel-other-text"));
  EXPECT_TRUE(u["focus"].is_null());
  // Text beyond 200 characters is cut.
  Send(w, Type(std::string(250, 'x')));
  EXPECT_EQ(w.session().answer(0).text.size(), 200u);
}

// Contract 3: a comment carries only the NPS group; an "other" text next to it would join one
// respondent's choice to their group, so "scrubbed" takes "other" only without an NPS question,
// and gates it on the NPS group like a text question.
TEST(OtherDefinitionTest, ScrubbedOtherNeedsASurveyWithoutAnNpsQuestion) {
  EXPECT_NE(Errors(Definition(std::string(kNps) + "," + kChannel, "scrubbed"))
                .find("/questions/1/other: with privacy.comments \"scrubbed\", an \"other\" "
                      "text leaves as a comment with the NPS group of \"nps\""),
            std::string::npos);
  EXPECT_EQ(Errors(Definition(std::string(kNps) + "," + kChannel, "drop")), "");
  EXPECT_EQ(Errors(Definition(kChannel, "scrubbed")), "");
  // Gated on a CSAT answer, its comments would name that answer.
  const std::string gated =
      R"({"id":"sat","type":"csat","scale":5,"text":{"en":"Happy?"}},)"
      R"({"id":"channel","type":"choice","text":{"en":"Where?"},"other":{"en":"Else"},)"
      R"("show_if":{"question":"sat","max":2},)"
      R"("options":[{"id":"web","text":{"en":"Website"}},{"id":"app","text":{"en":"App"}}]})";
  EXPECT_NE(Errors(Definition(gated, "scrubbed")).find("/questions/1/show_if: with privacy"),
            std::string::npos);
  EXPECT_EQ(Errors(Definition(gated, "drop")), "");
}

TEST_F(OtherTest, OtherTextLeavesAsACommentApartFromTheTally) {
  Widget w(MustParse(Definition(kChannel, "scrubbed")), {"en", "shop.example", 0}, &host_);
  w.Start();
  Send(w, Click("toggle", "other"));
  Send(w, Type("at the market stall"));
  Json u = Send(w, Click("next"));
  ASSERT_EQ(u["effects"].size(), 2u) << u["effects"].dump();
  const Json& tally = u["effects"][0]["payload"];
  EXPECT_EQ(tally["questions"]["channel"]["options"], Json({"web", "app", "other"}));
  EXPECT_EQ(tally["questions"]["channel"]["counts"], Json({0, 0, 1}));
  EXPECT_EQ(tally.dump().find("market"), std::string::npos);
  const Json& comments = u["effects"][1];
  EXPECT_EQ(comments["type"], "comments");
  EXPECT_EQ(comments["payload"]["comments"],
            Json::parse(R"([{"question":"channel","text":"at the market stall"}])"));
  // The collector's check of the comment against the definition accepts it.
  Result<Payload> parsed = PayloadFromJson(comments["payload"]);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_TRUE(CheckPayloadAgainstSurvey(*parsed, w.session().survey()).ok());
}

TEST_F(OtherTest, TextOfAnOtherNotChosenNeverLeaves) {
  for (const char* comments : {"scrubbed", "drop"}) {
    Widget w(MustParse(Definition(kChannel, comments)), {"en", "s", 0}, &host_);
    w.Start();
    Send(w, Click("toggle", "other"));
    Send(w, Type("typed, then changed my mind"));
    Send(w, Click("toggle", "app"));
    Json u = Send(w, Click("next"));
    EXPECT_EQ(u["effects"].size(), 1u) << comments << u["effects"].dump();
    EXPECT_EQ(u["effects"].dump().find("mind"), std::string::npos);
  }
  // Under "drop" even chosen "other" text stays in the browser.
  Widget w(MustParse(Definition(kChannel)), {"en", "s", 0}, &host_);
  w.Start();
  Send(w, Click("toggle", "other"));
  Send(w, Type("kept here"));
  Json u = Send(w, Click("next"));
  EXPECT_EQ(u["effects"].size(), 1u);
  EXPECT_EQ(u["effects"].dump().find("kept"), std::string::npos);
}

const char* const kAutoNps =
    R"({"id":"nps","type":"nps","auto_advance":true,"text":{"en":"Recommend us?"}})";
const char* const kAutoSingle =
    R"({"id":"pick","type":"choice","auto_advance":true,"text":{"en":"Pick"},)"
    R"("options":[{"id":"a","text":{"en":"A"}},{"id":"b","text":{"en":"B"}}],)"
    R"("other":{"en":"Else"}})";
const char* const kLast = R"({"id":"last","type":"csat","auto_advance":true,"text":{"en":"Ok?"}})";

TEST_F(OtherTest, AutoAdvanceOnATapOnly) {
  Widget w(MustParse(Definition(std::string(kAutoNps) + "," + kAutoSingle + "," + kLast)),
           {"en", "s", 0}, &host_);
  w.Start();
  // Keyboard: arrows select and stay; Enter or Space (a click without pointer) stays too.
  Send(w, {{"type", "key"}, {"key", "ArrowRight"}, {"action", "select"}, {"value", "0"}});
  EXPECT_EQ(Showing(w), "nps");
  Send(w, Click("select", "8"));
  EXPECT_EQ(Showing(w), "nps");
  Json u = Send(w, Tap("select", "9"));
  EXPECT_EQ(Showing(w), "pick");
  EXPECT_EQ(w.session().submitted(0).value, 9);
  EXPECT_EQ(u["focus"], "nz-pick-a");
  EXPECT_EQ(u["events"][0]["type"], "answer");
  // Tapping "other" waits for its text; a plain option moves on.
  Send(w, Tap("toggle", "other"));
  EXPECT_EQ(Showing(w), "pick");
  Send(w, Tap("toggle", "b"));
  EXPECT_EQ(Showing(w), "last");
  // The last question never submits the survey on a tap.
  Send(w, Tap("select", "4"));
  EXPECT_EQ(Showing(w), "last");
  EXPECT_EQ(w.session().state(), SessionState::kQuestion);
}

TEST_F(OtherTest, NoAutoAdvanceWithoutOptingIn) {
  Widget w(MustParse(Definition(std::string(kNps) + "," + kLast)), {"en", "s", 0}, &host_);
  w.Start();
  Send(w, Tap("select", "9"));
  EXPECT_EQ(Showing(w), "nps");
}

}  // namespace
}  // namespace nazar
