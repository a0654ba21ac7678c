// Kiosk mode (kiosk.h): the options, the send rule, the wake-ups, the staff's count, the caps
// that targeting skips, and the widget's rounds. Expected values are worked out by hand.
#include "nazar/kiosk.h"

#include <gtest/gtest.h>

#include <string>

#include "fake_host.h"
#include "nazar/targeting.h"
#include "nazar/widget.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::MustParse;

TEST(KioskOptionsTest, DefaultsAndAttributeStrings) {
  Result<KioskOptions> d = ParseKioskOptions(Json());
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->batch, 20);
  EXPECT_EQ(d->interval_ms, 900000);  // 15 minutes
  EXPECT_EQ(d->idle_ms, 60000);
  EXPECT_EQ(d->thank_you_ms, 4000);
  // Attributes arrive as strings, in any digits a kiosk page may carry.
  Result<KioskOptions> o = ParseKioskOptions(
      Json::parse(R"({"batch": "50", "interval_minutes": 120, "idle_seconds": "۳۰"})"));
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o->batch, 50);
  EXPECT_EQ(o->interval_ms, 7200000);
  EXPECT_EQ(o->idle_ms, 30000);
}

TEST(KioskOptionsTest, BadValuesNameTheFieldAndTheAttribute) {
  auto message = [](const char* json) {
    Result<KioskOptions> r = ParseKioskOptions(Json::parse(json));
    return r.ok() ? std::string("ok") : r.status().message();
  };
  EXPECT_EQ(message(R"({"batch": 0})"),
            "config/kiosk/batch: expected a whole number from 1 to 1000 (data-kiosk-batch), got 0");
  EXPECT_EQ(message(R"({"interval_minutes": "ten"})"),
            "config/kiosk/interval_minutes: expected a whole number from 1 to 1440 "
            "(data-kiosk-interval), got \"ten\"");
  EXPECT_EQ(message(R"({"idle_seconds": 4})"),
            "config/kiosk/idle_seconds: expected a whole number from 5 to 3600 (data-kiosk-idle), "
            "got 4");
  EXPECT_EQ(message(R"({"idle_seconds": 2.5})"),
            "config/kiosk/idle_seconds: expected a whole number from 5 to 3600 (data-kiosk-idle), "
            "got 2.5");
  EXPECT_EQ(message(R"([1])"), "config/kiosk: expected an object");
  Result<bool> mode = ParseKioskMode(Json::parse(R"({"mode": "kisok"})"), "config/mode");
  ASSERT_FALSE(mode.ok());
  EXPECT_EQ(mode.status().message(),
            "config/mode: expected \"default\" or \"kiosk\", got \"kisok\"");
}

TEST(KioskRulesTest, BatchDueAfterNRoundsOrMMinutes) {
  KioskOptions k;
  k.batch = 3;
  k.interval_ms = 600000;
  EXPECT_FALSE(KioskBatchDue(k, 0, -1, 10000000));  // nothing to send
  EXPECT_FALSE(KioskBatchDue(k, 2, 1000, 600999));  // 2 rounds, 599,999 ms
  EXPECT_TRUE(KioskBatchDue(k, 2, 1000, 601000));   // 2 rounds, the interval
  EXPECT_TRUE(KioskBatchDue(k, 3, 1000, 1001));     // 3 rounds at once
}

TEST(KioskRulesTest, WakeAtTheNearestDeadline) {
  KioskOptions k;  // thank-you 4 s, idle 60 s
  k.interval_ms = 600000;
  EXPECT_EQ(KioskWakeMs(k, 5000, -1, -1, 0, -1), -1);         // untouched, nothing stored
  EXPECT_EQ(KioskWakeMs(k, 2000, 1000, -1, 1, 1000), 3000);   // thank-you ends at 5000
  EXPECT_EQ(KioskWakeMs(k, 6000, -1, 5000, 0, -1), 59000);    // idle discard at 65000
  EXPECT_EQ(KioskWakeMs(k, 595000, -1, 590000, 1, 0), 5000);  // interval (600000) first
  EXPECT_EQ(KioskWakeMs(k, 700000, -1, -1, 1, 0), 0);         // overdue: at once
}

TEST(KioskRulesTest, UnsentCountsCompletionsOfThisSurveyOnly) {
  const Json payloads = Json::parse(R"([
    {"survey": "store", "batch": "a", "completions": 3},
    {"survey": "other", "batch": "b", "completions": 2},
    {"survey": "store", "batch": "cur", "completions": 4},
    {"survey": "store", "batch": "c", "kind": "comments"},
    {"survey": "store", "batch": "d", "completions": 7}])");
  // 3 + 7 from the outbox, "cur" replaced by the core's own 5 rounds.
  EXPECT_EQ(KioskUnsent(payloads, "store", "cur", 5), 15);
  EXPECT_EQ(KioskUnsent(Json::array(), "store", "cur", 0), 0);
}

constexpr const char* kCapped = R"({"nazar": 1, "id": "store", "version": "1",
  "trigger": {"on": "pageview", "sample_rate": 0.25, "recontact_days": 90, "max_displays": 1,
              "url": {"include": ["/kiosk/*"]}},
  "questions": [{"id": "nps", "type": "nps", "text": {"en": "Recommend?"}}]})";

TEST(KioskTargetingTest, CapsIgnoredInKioskHonouredOtherwise) {
  const Survey survey = MustParse(kCapped);
  FakeHost host(1000LL * 86400000, 7);
  TargetingFacts facts;
  facts.kind = "pageview";
  facts.url_path = "/kiosk/";
  facts.now_ms = host.NowMs();
  facts.displays = 1;
  facts.completed = true;
  facts.last_display_ms = facts.now_ms - 86400000;  // yesterday
  facts.sample_draw = 0.9;                          // sampled out at 0.25
  EXPECT_EQ(Decide(survey, facts, host).reason, "completed: already answered");
  facts.completed = false;
  EXPECT_EQ(Decide(survey, facts, host).reason, "max_displays: shown 1 of 1 times");
  facts.displays = 0;
  EXPECT_EQ(Decide(survey, facts, host).reason, "recontact: 89 days left");
  facts.last_display_ms = -1;
  EXPECT_EQ(Decide(survey, facts, host).reason, "sampled out");

  facts.kiosk = true;
  facts.completed = true;
  facts.displays = 5;
  facts.last_display_ms = facts.now_ms - 1;
  facts.sample_draw = -1;
  TargetingDecision d = Decide(survey, facts, host);
  EXPECT_TRUE(d.show) << d.reason;
  EXPECT_EQ(d.sample_draw, -1);  // no draw made (nothing to store)
  // The trigger and url rules still apply.
  facts.url_path = "/shop/";
  EXPECT_EQ(Decide(survey, facts, host).reason, "url: path not included");
}

TEST(KioskTargetingTest, DecideFromJsonTakesTheMode) {
  FakeHost host(1000LL * 86400000, 7);
  Json request = {
      {"definition", Json::parse(kCapped)},
      {"facts", {{"kind", "pageview"}, {"url_path", "/kiosk/"}, {"now_ms", host.NowMs()}}},
      {"history", {{"store", {{"displays", 1}, {"completed", true}}}}}};
  Result<Json> plain = DecideFromJson(request, host);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain.value()["show"].is_null());
  request["mode"] = "kiosk";
  Result<Json> kiosk = DecideFromJson(request, host);
  ASSERT_TRUE(kiosk.ok());
  EXPECT_EQ(kiosk.value()["show"]["survey"], "store");
  EXPECT_FALSE(kiosk.value()["decisions"][0].contains("sample_draw"));
  request["mode"] = 1;
  Result<Json> bad = DecideFromJson(request, host);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "/mode: expected \"default\" or \"kiosk\", got 1");
}

// The kiosk widget: NPS then an optional 5-point CES; batches of 2, 10 minutes, idle 5 s.
constexpr const char* kKioskSurvey = R"({"nazar": 1, "id": "store", "version": "1",
  "default_locale": "en", "trigger": {"on": "pageview", "max_displays": 1},
  "questions": [
    {"id": "nps", "type": "nps", "text": {"en": "Recommend?", "fa": "پیشنهاد؟", "ar": "توصية؟"}},
    {"id": "ease", "type": "ces", "scale": 5, "required": false, "text": {"en": "Easy."}}]})";

class KioskWidgetTest : public ::testing::Test {
 protected:
  std::unique_ptr<Widget> Make(const std::string& locale = "en") {
    Json config = {{"definition", kKioskSurvey},
                   {"locale", locale},
                   {"site", "store.example"},
                   {"mode", "kiosk"},
                   {"kiosk", {{"batch", 2}, {"interval_minutes", 10}, {"idle_seconds", "5"}}}};
    auto w = CreateWidget(config, &host_);
    EXPECT_TRUE(w.ok()) << w.status().message();
    return w.ok() ? std::move(w).value() : nullptr;
  }
  Json Send(Widget& w, Json event) {
    auto r = w.HandleEvent(event);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : Json();
  }
  Json Act(Widget& w, const char* action, Json value = nullptr) {
    return Send(w, {{"type", "action"}, {"action", action}, {"value", value}});
  }
  Json Tick(Widget& w) { return Send(w, {{"type", "tick"}}); }
  // One round: NPS `nps`, then CES `ces` (0: skipped); returns the last update.
  Json Round(Widget& w, int nps, int ces) {
    Act(w, "select", std::to_string(nps));
    Act(w, "next");
    if (ces == 0) return Act(w, "skip");
    Act(w, "select", std::to_string(ces));
    return Act(w, "next");
  }
  static std::string Unsent(const Json& update) {
    for (const Json& c : update["view"]["c"]) {
      if (c.contains("a") && c["a"].value("id", "") == "nz-unsent") return c.value("x", "");
    }
    return "<none>";
  }
  static bool AtFirstQuestion(const Json& update) {
    return update["view"].dump().find("\"nz-nps-0\"") != std::string::npos;
  }
  FakeHost host_{1795390200000, 3};  // 2026-11-22T23:30:00Z
};

TEST_F(KioskWidgetTest, RoundsMergeIntoOneBatchSentEveryTwo) {
  auto w = Make();
  Json start = w->Start();
  EXPECT_EQ(start["effects"].size(), 0u);  // nothing counts before a round completes
  EXPECT_TRUE(start["wake_ms"].is_null());
  EXPECT_EQ(Unsent(start), "Unsent answers: 0");

  Json done = Round(*w, 9, 4);
  ASSERT_EQ(done["effects"].size(), 1u);
  const Json& store = done["effects"][0];
  EXPECT_EQ(store["type"], "store");
  EXPECT_EQ(store["send_after_ms"], 600000);
  EXPECT_EQ(store["payload"]["displays"], 1);
  EXPECT_EQ(store["payload"]["completions"], 1);
  EXPECT_EQ(store["payload"]["questions"]["nps"]["counts"], Json::parse("[0,0,0,0,0,0,0,0,0,1,0]"));
  EXPECT_EQ(store["payload"]["questions"]["ease"]["counts"], Json::parse("[0,0,0,1,0]"));
  EXPECT_EQ(done["wake_ms"], 4000);  // the thank-you's end
  EXPECT_EQ(Unsent(done), "Unsent answers: 1");
  EXPECT_EQ(done["events"].back()["type"], "complete");

  host_.Advance(3999);
  EXPECT_FALSE(AtFirstQuestion(Tick(*w)));
  host_.Advance(1);
  Json next = Tick(*w);
  EXPECT_TRUE(AtFirstQuestion(next));
  EXPECT_EQ(next["events"][0]["type"], "show");
  EXPECT_EQ(next["wake_ms"], 596000);  // the batch interval, 10 min after the first round

  Json second = Round(*w, 3, 0);
  ASSERT_EQ(second["effects"].size(), 1u);
  const Json& send = second["effects"][0];
  EXPECT_EQ(send["type"], "send");
  EXPECT_EQ(send["batch"], store["batch"]);  // the same batch, now complete
  EXPECT_EQ(send["payload"]["displays"], 2);
  EXPECT_EQ(send["payload"]["completions"], 2);
  EXPECT_EQ(send["payload"]["dismissals"], 0);
  EXPECT_EQ(send["payload"]["questions"]["nps"]["counts"], Json::parse("[0,0,0,1,0,0,0,0,0,1,0]"));
  EXPECT_EQ(send["payload"]["questions"]["ease"]["counts"], Json::parse("[0,0,0,1,0]"));
  EXPECT_EQ(send["payload"]["questions"]["ease"]["skipped"], 1);
  EXPECT_EQ(Unsent(second), "Unsent answers: 2");  // sent, not yet acknowledged
  EXPECT_EQ(Unsent(Send(*w, {{"type", "outbox"}, {"payloads", Json::array()}})),
            "Unsent answers: 0");

  host_.Advance(4000);
  Tick(*w);
  Json third = Round(*w, 10, 5);
  EXPECT_EQ(third["effects"][0]["type"], "store");
  EXPECT_NE(third["effects"][0]["batch"], store["batch"]);  // a new batch
  EXPECT_EQ(third["effects"][0]["payload"]["displays"], 1);
}

// A round's comments come after its tally's effect, naming that tally's batch: web/ holds
// comments back only while their tally is in the outbox, so the tally must be stored first (a
// comment stored before its round's first tally once left before any tally; kiosk.test.mjs).
TEST_F(KioskWidgetTest, CommentsFollowTheirTallysEffect) {
  Json config = {{"definition",
                  R"({"nazar": 1, "id": "notes", "version": "1", "default_locale": "en",
                      "trigger": {"on": "pageview"},
                      "privacy": {"comments": "scrubbed", "local_dp_epsilon": null},
                      "questions": [{"id": "nps", "type": "nps", "text": {"en": "Recommend?"}},
                                    {"id": "why", "type": "text", "text": {"en": "Why?"}}]})"},
                 {"locale", "en"},
                 {"site", "store.example"},
                 {"mode", "kiosk"},
                 {"kiosk", {{"batch", 2}, {"interval_minutes", 10}, {"idle_seconds", 60}}}};
  auto made = CreateWidget(config, &host_);
  ASSERT_TRUE(made.ok()) << made.status().message();
  Widget& w = **made;
  w.Start();
  auto round = [&](int nps, const char* text) {
    Act(w, "select", std::to_string(nps));
    Act(w, "next");
    Send(w, {{"type", "input"}, {"action", "text"}, {"value", text}});
    Json done = Act(w, "next");
    host_.Advance(4000);
    Tick(w);
    return done["effects"];
  };
  const Json first = round(9, "quick");
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0]["type"], "store");
  EXPECT_EQ(first[1]["type"], "comments");
  EXPECT_EQ(first[1]["after"], first[0]["batch"]);
  EXPECT_NE(first[1]["batch"], first[0]["batch"]);
  const Json second = round(3, "slow");  // the batch's second round: the tally is sent
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0]["type"], "send");
  EXPECT_EQ(second[0]["batch"], first[0]["batch"]);
  EXPECT_EQ(second[1]["type"], "comments");
  EXPECT_EQ(second[1]["after"], first[0]["batch"]);  // the batch just sent, not the next one
}

TEST_F(KioskWidgetTest, IdleRoundIsDiscardedAndTheFirstQuestionShows) {
  auto w = Make();
  w->Start();
  Act(*w, "select", "10");
  Json second = Act(*w, "next");  // the CES question shows
  EXPECT_FALSE(AtFirstQuestion(second));
  EXPECT_EQ(second["wake_ms"], 5000);
  host_.Advance(4999);
  Json early = Tick(*w);
  EXPECT_FALSE(AtFirstQuestion(early));
  EXPECT_EQ(early["events"].size(), 0u);
  EXPECT_EQ(early["wake_ms"], 1);
  host_.Advance(1);
  Json reset = Tick(*w);
  EXPECT_TRUE(AtFirstQuestion(reset));
  EXPECT_EQ(reset["effects"].size(), 0u);
  EXPECT_TRUE(reset["wake_ms"].is_null());  // untouched, nothing stored: no wake-up
  // The discarded 10 never counts: the next round's tally holds one display and a 0.
  Json done = Round(*w, 0, 1);
  const Json& payload = done["effects"][0]["payload"];
  EXPECT_EQ(payload["displays"], 1);
  EXPECT_EQ(payload["questions"]["nps"]["counts"], Json::parse("[1,0,0,0,0,0,0,0,0,0,0]"));
  // Inputs keep a round alive: 4 s, an input, 4 s: not idle.
  host_.Advance(4000);
  Tick(*w);  // thank-you over
  Act(*w, "select", "5");
  host_.Advance(4000);
  Act(*w, "select", "6");
  host_.Advance(4000);
  EXPECT_EQ(Tick(*w)["events"].size(), 0u);    // no new round
  EXPECT_EQ(w->session().answer(0).value, 6);  // still the same round
}

TEST_F(KioskWidgetTest, DismissRestartsAndTheIntervalSends) {
  auto w = Make();
  w->Start();
  Act(*w, "select", "7");
  Json closed = Act(*w, "close");
  EXPECT_TRUE(AtFirstQuestion(closed));
  EXPECT_EQ(closed["effects"].size(), 0u);  // no close, no tally of the dismissed round
  EXPECT_EQ(w->session().answer(0).answered, false);

  Round(*w, 8, 2);
  host_.Advance(4000);
  Tick(*w);
  host_.Advance(600000 - 4000 - 1);
  EXPECT_EQ(Tick(*w)["effects"].size(), 0u);
  host_.Advance(1);
  Json due = Tick(*w);
  ASSERT_EQ(due["effects"].size(), 1u);
  EXPECT_EQ(due["effects"][0]["type"], "send");
  EXPECT_EQ(due["effects"][0]["payload"]["completions"], 1);
  EXPECT_TRUE(due["wake_ms"].is_null());
}

TEST_F(KioskWidgetTest, ANewDaySendsTheOldDaysBatchFirst) {
  host_.set_now_ms(1795391998000);  // 2026-11-22T23:59:58Z (utc_offset_minutes 0)
  auto w = Make();
  w->Start();
  Json first = Round(*w, 5, 3);
  EXPECT_EQ(first["effects"][0]["payload"]["period"], "2026-11-22");
  host_.Advance(4000);  // 00:00:02 on the 23rd
  Tick(*w);
  Json second = Round(*w, 6, 0);
  ASSERT_EQ(second["effects"].size(), 2u);
  EXPECT_EQ(second["effects"][0]["type"], "send");  // the 22nd's batch, one round
  EXPECT_EQ(second["effects"][0]["batch"], first["effects"][0]["batch"]);
  EXPECT_EQ(second["effects"][0]["payload"]["period"], "2026-11-22");
  EXPECT_EQ(second["effects"][0]["payload"]["completions"], 1);
  EXPECT_EQ(second["effects"][1]["type"], "store");  // the 23rd's, a new batch
  EXPECT_EQ(second["effects"][1]["payload"]["period"], "2026-11-23");
  EXPECT_EQ(second["effects"][1]["payload"]["completions"], 1);
  EXPECT_NE(second["effects"][1]["batch"], first["effects"][0]["batch"]);
}

TEST_F(KioskWidgetTest, CountInPersianAndArabicDigits) {
  for (const auto& [locale, want] :
       {std::pair<std::string, std::string>{"fa", "پاسخ\u200cهای ارسال\u200cنشده: ۱۲"},
        {"ar", "إجابات لم تُرسل بعد: ١٢"}}) {
    auto w = Make(locale);
    w->Start();
    const Json payloads = {{{"survey", "store"}, {"batch", "x"}, {"completions", 12}}};
    EXPECT_EQ(Unsent(Send(*w, {{"type", "outbox"}, {"payloads", payloads}})), want) << locale;
  }
}

TEST_F(KioskWidgetTest, DefaultModeHasNoKioskEvents) {
  Json config = {{"definition", kKioskSurvey}, {"locale", "en"}, {"site", "s"}};
  auto w = CreateWidget(config, &host_);
  ASSERT_TRUE(w.ok());
  Json start = w.value()->Start();
  EXPECT_FALSE(start.contains("wake_ms"));
  EXPECT_EQ(Unsent(start), "<none>");
  auto tick = w.value()->HandleEvent({{"type", "tick"}});
  ASSERT_FALSE(tick.ok());
  EXPECT_EQ(tick.status().message(), "event/type: \"tick\" is for kiosk mode");
  config["mode"] = "kiosk";
  config["kiosk"] = {{"batch", "0"}};
  auto bad = CreateWidget(config, &host_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(
      bad.status().message(),
      "config/kiosk/batch: expected a whole number from 1 to 1000 (data-kiosk-batch), got \"0\"");
}

}  // namespace
}  // namespace nazar
