#include "nazar/session.h"

#include <gtest/gtest.h>

#include "fake_host.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::MustParse;
using testing::PostCheckout;

class SessionTest : public ::testing::Test {
 protected:
  FakeHost host_{1'700'000'000'000, 7};
  Survey survey_ = MustParse(PostCheckout());
};

TEST_F(SessionTest, StartsOnFirstQuestionAndMarksItSeen) {
  Session s(survey_, "en-US", &host_);
  EXPECT_EQ(s.state(), SessionState::kQuestion);
  EXPECT_EQ(s.current(), 0);
  EXPECT_TRUE(s.seen(0));
  EXPECT_FALSE(s.seen(1));
  EXPECT_EQ(s.locale(), "en");
  EXPECT_EQ(s.started_ms(), 1'700'000'000'000);
  EXPECT_FALSE(s.CanGoBack());
}

TEST_F(SessionTest, ResolvesLocaleThroughChain) {
  EXPECT_EQ(Session(survey_, "fa-IR", &host_).locale(), "fa");
  EXPECT_EQ(Session(survey_, "de", &host_).locale(), "en");
  EXPECT_EQ(Session(survey_, "", &host_).locale(), "en");
}

TEST_F(SessionTest, RequiredQuestionBlocksNext) {
  Session s(survey_, "en", &host_);
  Status st = s.Next();
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.current(), 0);
  EXPECT_EQ(s.Skip().code(), StatusCode::kFailedPrecondition);
}

TEST_F(SessionTest, RejectsOutOfRangeAndWrongKinds) {
  Session s(survey_, "en", &host_);
  EXPECT_EQ(s.SelectValue(11).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.SelectValue(-1).code(), StatusCode::kOutOfRange);
  EXPECT_EQ(s.ToggleChoice("web").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.SetText("hi").code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(s.answer(0).answered);
}

TEST_F(SessionTest, PromoterSkipsFollowUp) {
  Session s(survey_, "en", &host_);
  ASSERT_TRUE(s.SelectValue(9).ok());
  ASSERT_TRUE(s.Next().ok());
  EXPECT_EQ(s.current_question().id, "ease");
  EXPECT_FALSE(s.IsVisible(1));
  EXPECT_FALSE(s.seen(1));
  EXPECT_EQ(s.Position(), 2);
  EXPECT_EQ(s.VisibleCount(), 4);
}

TEST_F(SessionTest, DetractorSeesFollowUpWhichIsOptional) {
  Session s(survey_, "en", &host_);
  ASSERT_TRUE(s.SelectValue(3).ok());
  EXPECT_EQ(s.VisibleCount(), 5);
  ASSERT_TRUE(s.Next().ok());
  EXPECT_EQ(s.current_question().id, "why");
  EXPECT_FALSE(s.current_question().required);
  ASSERT_TRUE(s.Skip().ok());
  EXPECT_EQ(s.current_question().id, "ease");
  EXPECT_TRUE(s.seen(1));
  EXPECT_FALSE(s.answer(1).answered);
}

TEST_F(SessionTest, BackThenChangingAnswerHidesFollowUp) {
  Session s(survey_, "en", &host_);
  s.SelectValue(2);
  s.Next();
  ASSERT_TRUE(s.SetText("slow delivery").ok());
  s.Next();
  ASSERT_EQ(s.current_question().id, "ease");
  ASSERT_TRUE(s.Back().ok());
  ASSERT_TRUE(s.Back().ok());
  EXPECT_EQ(s.current(), 0);
  s.SelectValue(10);
  s.Next();
  EXPECT_EQ(s.current_question().id, "ease");
  EXPECT_FALSE(s.IsVisible(1));  // the old answer no longer counts
  EXPECT_EQ(s.Back().code(), StatusCode::kOk);
  EXPECT_EQ(s.Back().code(), StatusCode::kFailedPrecondition);
}

TEST_F(SessionTest, TextIsTruncatedToMaxLengthInCodePoints) {
  Session s(survey_, "en", &host_);
  s.SelectValue(0);
  s.Next();
  std::string persian;
  for (int i = 0; i < 600; ++i) persian += "پ";  // 2 bytes each
  ASSERT_TRUE(s.SetText(persian).ok());
  EXPECT_EQ(s.answer(1).text.size(), 1000u);
  ASSERT_TRUE(s.SetText("   \n").ok());
  EXPECT_FALSE(s.answer(1).answered);  // blank is no answer
  // Control characters say nothing either: counted, they would leave as a blank comment that the
  // collector refuses (with the respondent's other comments in the same payload).
  for (const char* blank : {"\v", "\x01\x02", " \x7f\t"}) {
    ASSERT_TRUE(s.SetText(blank).ok());
    EXPECT_FALSE(s.answer(1).answered) << static_cast<int>(blank[0]);
  }
  ASSERT_TRUE(s.SetText("\x01ok").ok());
  EXPECT_TRUE(s.answer(1).answered);
}

TEST_F(SessionTest, ChoiceSingleReplacesAndUnknownOptionIsNotFound) {
  Session s(survey_, "en", &host_);
  s.SelectValue(9);
  s.Next();
  s.SelectValue(6);
  s.Next();
  s.SelectValue(4);
  s.Next();
  ASSERT_EQ(s.current_question().id, "channel");
  EXPECT_TRUE(s.IsLastQuestion());
  ASSERT_TRUE(s.ToggleChoice("web").ok());
  ASSERT_TRUE(s.ToggleChoice("app").ok());
  EXPECT_EQ(s.answer(4).choices, std::vector<std::string>{"app"});
  EXPECT_EQ(s.ToggleChoice("fax").code(), StatusCode::kNotFound);
  ASSERT_TRUE(s.Next().ok());
  EXPECT_EQ(s.state(), SessionState::kCompleted);
  EXPECT_EQ(s.SelectValue(1).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.Dismiss().code(), StatusCode::kFailedPrecondition);
}

TEST_F(SessionTest, MultipleChoiceTogglesInOptionOrder) {
  Survey survey = MustParse(R"({"nazar":1,"id":"m","version":"1","questions":[
    {"id":"c","type":"choice","multiple":true,"text":{"en":"Pick"},
     "options":[{"id":"a","text":{"en":"A"}},{"id":"b","text":{"en":"B"}},{"id":"c","text":{"en":"C"}}]}]})");
  Session s(survey, "en", &host_);
  s.ToggleChoice("c");
  s.ToggleChoice("a");
  EXPECT_EQ(s.answer(0).choices, (std::vector<std::string>{"a", "c"}));
  s.ToggleChoice("c");
  EXPECT_EQ(s.answer(0).choices, std::vector<std::string>{"a"});
  s.ToggleChoice("a");
  EXPECT_FALSE(s.answer(0).answered);
}

TEST_F(SessionTest, DismissEndsTheSession) {
  Session s(survey_, "en", &host_);
  ASSERT_TRUE(s.Dismiss().ok());
  EXPECT_EQ(s.state(), SessionState::kDismissed);
  EXPECT_EQ(s.Next().code(), StatusCode::kFailedPrecondition);
}

TEST_F(SessionTest, ShowIfOnChoiceUsesAnyOf) {
  Survey survey = MustParse(R"({"nazar":1,"id":"m","version":"1","questions":[
    {"id":"c","type":"choice","text":{"en":"Pick"},
     "options":[{"id":"a","text":{"en":"A"}},{"id":"b","text":{"en":"B"}}]},
    {"id":"t","type":"text","text":{"en":"Why B?"},"show_if":{"question":"c","any_of":["b"]}}]})");
  Session s(survey, "en", &host_);
  s.ToggleChoice("a");
  EXPECT_TRUE(s.IsLastQuestion());
  s.ToggleChoice("b");
  EXPECT_FALSE(s.IsLastQuestion());
  s.Next();
  EXPECT_EQ(s.current_question().id, "t");
}

// What is submitted is apart from what is being edited: Next submits, Skip submits nothing,
// Back and a new selection leave the submitted answer as it was.
TEST_F(SessionTest, SubmittedAnswersAreApartFromTheEdit) {
  Session s(survey_, "en", &host_);
  s.SelectValue(4);
  EXPECT_TRUE(s.answer(0).answered);
  EXPECT_FALSE(s.submitted(0).answered);  // selected only
  ASSERT_TRUE(s.Next().ok());
  EXPECT_EQ(s.submitted(0).value, 4);
  ASSERT_TRUE(s.Back().ok());
  s.SelectValue(10);
  EXPECT_EQ(s.answer(0).value, 10);
  EXPECT_EQ(s.submitted(0).value, 4);  // still the submitted one
  // Visibility for navigation follows the edit; for counting, the submission.
  const int why = survey_.QuestionIndex("why");
  EXPECT_FALSE(s.IsVisible(why));
  EXPECT_TRUE(s.IsVisibleSubmitted(why));
  ASSERT_TRUE(s.Next().ok());
  EXPECT_EQ(s.submitted(0).value, 10);
  EXPECT_FALSE(s.IsVisibleSubmitted(why));
  s.SelectValue(5);  // ease
  ASSERT_TRUE(s.Next().ok());
  EXPECT_EQ(s.submitted(survey_.QuestionIndex("ease")).value, 5);
}

}  // namespace
}  // namespace nazar
