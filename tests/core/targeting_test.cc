#include "nazar/targeting.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "fake_host.h"

namespace nazar {
namespace {

constexpr int64_t kDay = 24LL * 60 * 60 * 1000;
constexpr int64_t kNow = 1'790'000'000'000;  // some day in 2026

TEST(TargetingUrlGlob, ExactAndStar) {
  EXPECT_TRUE(UrlGlobMatch("/checkout/thank-you", "/checkout/thank-you"));
  EXPECT_FALSE(UrlGlobMatch("/checkout/thank-you", "/checkout/thank-you/"));
  EXPECT_FALSE(UrlGlobMatch("/checkout/thank-you", "/checkout/thank"));
  EXPECT_FALSE(UrlGlobMatch("/Checkout", "/checkout"));  // paths are case-sensitive
  EXPECT_TRUE(UrlGlobMatch("/checkout/thank-you*", "/checkout/thank-you"));
  EXPECT_TRUE(UrlGlobMatch("/checkout/thank-you*", "/checkout/thank-you/order/42"));
  EXPECT_TRUE(UrlGlobMatch("*", "/"));
  EXPECT_TRUE(UrlGlobMatch("*", ""));
  EXPECT_TRUE(UrlGlobMatch("/*", "/a/b/c"));  // '*' crosses '/'
  EXPECT_TRUE(UrlGlobMatch("*/help", "/fa/shop/help"));
  EXPECT_FALSE(UrlGlobMatch("*/help", "/fa/shop/help/more"));
  EXPECT_TRUE(UrlGlobMatch("/shop/*/cart", "/shop/x/y/cart"));
  EXPECT_FALSE(UrlGlobMatch("/shop/*/cart", "/shop/cart"));
  EXPECT_TRUE(UrlGlobMatch("/shop/**cart", "/shop/cart"));
  EXPECT_TRUE(UrlGlobMatch("", ""));
  EXPECT_FALSE(UrlGlobMatch("", "/"));
}

TEST(TargetingUrlGlob, Backtracking) {
  EXPECT_TRUE(UrlGlobMatch("/a*b*c", "/a/b/c/b/c"));
  EXPECT_TRUE(UrlGlobMatch("*ab", "aaab"));
  EXPECT_FALSE(UrlGlobMatch("*ab", "aaba"));
  EXPECT_TRUE(UrlGlobMatch("/p/*/x*", "/p/x/x/y/xz"));
  // Pathological patterns stay fast (no exponential backtracking).
  const std::string long_path(100000, 'a');
  EXPECT_FALSE(UrlGlobMatch("*a*a*a*a*a*a*a*a*b", long_path));
  EXPECT_TRUE(UrlGlobMatch("*a*a*a*a*a*a*a*a*a", long_path));
}

TEST(TargetingUrlGlob, IgnoresQueryAndFragmentOfThePath) {
  EXPECT_TRUE(UrlGlobMatch("/checkout/thank-you", "/checkout/thank-you?order=42"));
  EXPECT_TRUE(UrlGlobMatch("/checkout/thank-you", "/checkout/thank-you#top"));
  EXPECT_TRUE(UrlGlobMatch("*you", "/checkout/thank-you?a=b#c"));
  EXPECT_FALSE(UrlGlobMatch("*order=42*", "/checkout/thank-you?order=42"));
  // In the pattern '?' is literal, so a query in a pattern never matches.
  EXPECT_FALSE(UrlGlobMatch("/search?q=*", "/search?q=shoes"));
}

TEST(TargetingUrlGlob, NonAsciiPaths) {
  EXPECT_TRUE(UrlGlobMatch("/فروشگاه/*", "/فروشگاه/سبد"));
  EXPECT_TRUE(UrlGlobMatch("/%D9%81*", "/%D9%81%D8%B1"));  // percent-encoded as browsers give it
}

TEST(TargetingUrlAllowed, IncludeAndExclude) {
  UrlRules rules;
  EXPECT_TRUE(UrlAllowed(rules, "/anything"));  // no rules: everywhere
  rules.include = {"/checkout/*", "/cart"};
  EXPECT_TRUE(UrlAllowed(rules, "/checkout/thank-you"));
  EXPECT_TRUE(UrlAllowed(rules, "/cart?x=1"));
  EXPECT_FALSE(UrlAllowed(rules, "/"));
  rules.exclude = {"/checkout/admin*"};
  EXPECT_FALSE(UrlAllowed(rules, "/checkout/admin/orders"));  // exclude wins
  EXPECT_TRUE(UrlAllowed(rules, "/checkout/thank-you"));
  UrlRules exclude_only;
  exclude_only.exclude = {"/account*"};
  EXPECT_FALSE(UrlAllowed(exclude_only, "/account/settings"));
  EXPECT_TRUE(UrlAllowed(exclude_only, "/shop"));
}

Survey EventSurvey() {
  Survey s;
  s.id = "post-checkout";
  s.trigger.on = TriggerOn::kEvent;
  s.trigger.event = "checkout_completed";
  s.trigger.delay_ms = 1500;
  s.trigger.sample_rate = 1;
  s.trigger.recontact_days = 90;
  s.trigger.max_displays = 1;
  s.trigger.url.include = {"/checkout/thank-you*"};
  return s;
}

TargetingFacts EventFacts() {
  TargetingFacts f;
  f.kind = "event";
  f.event = "checkout_completed";
  f.url_path = "/checkout/thank-you";
  f.now_ms = kNow;
  return f;
}

TEST(TargetingDecide, ShowsWhenEverythingAdmits) {
  FakeHost host;
  const TargetingDecision d = Decide(EventSurvey(), EventFacts(), host);
  EXPECT_TRUE(d.show);
  EXPECT_EQ(d.delay_ms, 1500);
  EXPECT_EQ(d.reason, "");
}

TEST(TargetingDecide, TriggerKindMustMatch) {
  FakeHost host;
  TargetingFacts f = EventFacts();
  f.kind = "pageview";
  const TargetingDecision d = Decide(EventSurvey(), f, host);
  EXPECT_FALSE(d.show);
  EXPECT_EQ(d.reason, "trigger: waits for event, not pageview");
}

TEST(TargetingDecide, EventNameMustMatch) {
  FakeHost host;
  TargetingFacts f = EventFacts();
  f.event = "checkout_started";
  const TargetingDecision d = Decide(EventSurvey(), f, host);
  EXPECT_FALSE(d.show);
  EXPECT_EQ(d.reason, "event: waits for \"checkout_completed\", not \"checkout_started\"");
  f.event = "Checkout_Completed";  // names are exact
  EXPECT_FALSE(Decide(EventSurvey(), f, host).show);
}

TEST(TargetingDecide, PageviewAndExitIntent) {
  FakeHost host;
  for (TriggerOn on : {TriggerOn::kPageview, TriggerOn::kExitIntent}) {
    Survey s;
    s.trigger.on = on;
    TargetingFacts f;
    f.kind = TriggerOnName(on);
    f.url_path = "/";
    EXPECT_TRUE(Decide(s, f, host).show) << f.kind;
    f.kind = "event";
    EXPECT_FALSE(Decide(s, f, host).show) << TriggerOnName(on);
  }
}

TEST(TargetingDecide, ScrollThreshold) {
  FakeHost host;
  Survey s;
  s.trigger.on = TriggerOn::kScroll;
  s.trigger.scroll_percent = 50;
  TargetingFacts f;
  f.kind = "scroll";
  f.url_path = "/blog/post";
  f.scroll_percent = 49;
  TargetingDecision d = Decide(s, f, host);
  EXPECT_FALSE(d.show);
  EXPECT_EQ(d.reason, "scroll: 49% of 50%");
  f.scroll_percent = 50;
  EXPECT_TRUE(Decide(s, f, host).show);
  f.scroll_percent = 100;
  EXPECT_TRUE(Decide(s, f, host).show);
}

TEST(TargetingDecide, DwellThreshold) {
  FakeHost host;
  Survey s;
  s.trigger.on = TriggerOn::kDwell;
  s.trigger.dwell_seconds = 30;
  TargetingFacts f;
  f.kind = "dwell";
  f.url_path = "/";
  f.dwell_seconds = 29;
  TargetingDecision d = Decide(s, f, host);
  EXPECT_FALSE(d.show);
  EXPECT_EQ(d.reason, "dwell: 29 s of 30 s");
  f.dwell_seconds = 30;
  EXPECT_TRUE(Decide(s, f, host).show);
}

TEST(TargetingDecide, UrlRules) {
  FakeHost host;
  Survey s = EventSurvey();
  TargetingFacts f = EventFacts();
  f.url_path = "/checkout/thank-you?order=42";
  EXPECT_TRUE(Decide(s, f, host).show);
  f.url_path = "/cart";
  EXPECT_EQ(Decide(s, f, host).reason, "url: path not included");
  s.trigger.url.exclude = {"/checkout/thank-you/b2b*"};
  f.url_path = "/checkout/thank-you/b2b/1";
  EXPECT_EQ(Decide(s, f, host).reason, "url: path excluded");
}

TEST(TargetingDecide, MaxDisplays) {
  FakeHost host;
  Survey s = EventSurvey();
  s.trigger.recontact_days = 0;
  TargetingFacts f = EventFacts();
  f.displays = 1;
  f.last_display_ms = kNow - 400 * kDay;
  TargetingDecision d = Decide(s, f, host);
  EXPECT_FALSE(d.show);
  EXPECT_EQ(d.reason, "max_displays: shown 1 of 1 times");
  s.trigger.max_displays = 3;
  f.displays = 2;
  EXPECT_TRUE(Decide(s, f, host).show);
  f.displays = 3;
  EXPECT_FALSE(Decide(s, f, host).show);
  s.trigger.max_displays = 0;  // unlimited
  f.displays = 1000;
  EXPECT_TRUE(Decide(s, f, host).show);
}

TEST(TargetingDecide, Recontact) {
  FakeHost host;
  Survey s = EventSurvey();
  s.trigger.max_displays = 0;
  TargetingFacts f = EventFacts();
  f.displays = 1;
  f.last_display_ms = kNow - 78 * kDay;
  TargetingDecision d = Decide(s, f, host);
  EXPECT_FALSE(d.show);
  EXPECT_EQ(d.reason, "recontact: 12 days left");
  f.last_display_ms = kNow - 90 * kDay + 1;  // one millisecond short: a part day counts as a day
  EXPECT_EQ(Decide(s, f, host).reason, "recontact: 1 day left");
  f.last_display_ms = kNow - 90 * kDay;  // exactly the wait
  EXPECT_TRUE(Decide(s, f, host).show);
  f.last_display_ms = kNow + 5 * kDay;  // the clock went backwards: wait the full period
  EXPECT_EQ(Decide(s, f, host).reason, "recontact: 90 days left");
  f.last_display_ms = -1;  // never shown
  EXPECT_TRUE(Decide(s, f, host).show);
  s.trigger.recontact_days = 0;
  f.last_display_ms = kNow - 1;
  EXPECT_TRUE(Decide(s, f, host).show);
}

TEST(TargetingDecide, CompletedNeverShowsAgainUnlessUnlimited) {
  FakeHost host;
  Survey s = EventSurvey();
  s.trigger.max_displays = 5;
  s.trigger.recontact_days = 0;
  TargetingFacts f = EventFacts();
  f.completed = true;
  f.displays = 1;
  TargetingDecision d = Decide(s, f, host);
  EXPECT_FALSE(d.show);
  EXPECT_EQ(d.reason, "completed: already answered");
  s.trigger.max_displays = 0;
  EXPECT_TRUE(Decide(s, f, host).show);
}

TEST(TargetingDecide, ManualSurveyOnlyByShow) {
  FakeHost host;
  Survey s;
  s.trigger.on = TriggerOn::kManual;
  s.trigger.delay_ms = 200;
  TargetingFacts f;
  f.kind = "pageview";
  f.url_path = "/";
  TargetingDecision d = Decide(s, f, host);
  EXPECT_FALSE(d.show);
  EXPECT_EQ(d.reason, "trigger: manual survey, shown only by nazar.show()");
  f.kind = "manual";
  d = Decide(s, f, host);
  EXPECT_TRUE(d.show);
  EXPECT_EQ(d.delay_ms, 200);
}

TEST(TargetingDecide, ManualShowBypassesEverything) {
  FakeHost host;
  Survey s = EventSurvey();
  s.trigger.sample_rate = 1e-9;
  TargetingFacts f;
  f.kind = "manual";
  f.url_path = "/not/targeted";
  f.now_ms = kNow;
  f.displays = 7;
  f.last_display_ms = kNow - 1;
  f.completed = true;
  FakeHost twin;
  const TargetingDecision d = Decide(s, f, host);
  EXPECT_TRUE(d.show);
  EXPECT_EQ(d.delay_ms, 0);  // an explicit show is immediate; the trigger delay is for events
  EXPECT_EQ(d.reason, "");
  EXPECT_EQ(host.RandomUnit(), twin.RandomUnit());  // no sample drawn
}

TEST(TargetingDecide, SamplesAtTheConfiguredRate) {
  Survey s = EventSurvey();
  s.trigger.sample_rate = 0.25;
  s.trigger.max_displays = 0;
  s.trigger.recontact_days = 0;
  FakeHost host(kNow, 99);
  const int kTrials = 20000;
  int shown = 0;
  for (int i = 0; i < kTrials; ++i) {
    const TargetingDecision d = Decide(s, EventFacts(), host);
    if (d.show) {
      ++shown;
    } else {
      EXPECT_EQ(d.reason, "sampled out");
    }
  }
  const double sigma = std::sqrt(0.25 * 0.75 / kTrials);
  EXPECT_NEAR(static_cast<double>(shown) / kTrials, 0.25, 4 * sigma);
}

TEST(TargetingDecide, DrawsOnlyWhenEverythingElseAdmits) {
  Survey s = EventSurvey();
  s.trigger.sample_rate = 0.5;
  TargetingFacts refused = EventFacts();
  refused.url_path = "/cart";
  FakeHost host(kNow, 3), twin(kNow, 3);
  EXPECT_FALSE(Decide(s, refused, host).show);
  EXPECT_EQ(host.RandomUnit(), twin.RandomUnit());  // the refusal consumed no randomness

  FakeHost admitted(kNow, 3), admitted_twin(kNow, 3);
  Decide(s, EventFacts(), admitted);
  admitted_twin.RandomUnit();
  EXPECT_EQ(admitted.RandomUnit(), admitted_twin.RandomUnit());  // exactly one draw

  s.trigger.sample_rate = 1;  // a certain display needs no draw
  FakeHost full(kNow, 3), full_twin(kNow, 3);
  EXPECT_TRUE(Decide(s, EventFacts(), full).show);
  EXPECT_EQ(full.RandomUnit(), full_twin.RandomUnit());
}

TEST(TargetingDecide, ZeroOrInvalidSampleRateNeverShows) {
  FakeHost host;
  Survey s = EventSurvey();
  for (double rate : {0.0, -1.0, std::nan("")}) {
    s.trigger.sample_rate = rate;
    EXPECT_EQ(Decide(s, EventFacts(), host).reason, "sampled out") << rate;
  }
}

TEST(TargetingDecide, NegativeDelayIsClamped) {
  FakeHost host;
  Survey s = EventSurvey();
  s.trigger.delay_ms = -5;
  EXPECT_EQ(Decide(s, EventFacts(), host).delay_ms, 0);
}

TEST(TargetingDecide, EveryRefusalHasAReason) {
  FakeHost host;
  const Survey s = EventSurvey();
  TargetingFacts f = EventFacts();
  f.kind = "";
  EXPECT_EQ(Decide(s, f, host).reason, "trigger: waits for event, not ");
  f = EventFacts();
  f.displays = 1;
  f.completed = true;
  EXPECT_EQ(Decide(s, f, host).reason, "completed: already answered");
}

}  // namespace
}  // namespace nazar

namespace nazar {
namespace {

const char* kTwoSurveys = R"({"nazar":1,"surveys":[
  {"nazar":1,"id":"checkout","version":"1",
   "trigger":{"on":"event","event":"checkout_completed","delay_ms":1500,"recontact_days":90,
              "url":{"include":["/checkout/*"]}},
   "questions":[{"id":"nps","type":"nps","text":{"en":"Recommend us?"}}]},
  {"nazar":1,"id":"pages","version":"1","trigger":{"on":"pageview"},
   "questions":[{"id":"nps","type":"nps","text":{"en":"Recommend us?"}}]}]})";

Json Request(const std::string& kind, const std::string& path) {
  return {{"definition", kTwoSurveys},
          {"facts", {{"kind", kind}, {"event", "checkout_completed"}, {"url_path", path},
                     {"now_ms", 1795390200000}}}};
}

TEST(TargetingJson, FirstShowingSurveyWinsWithItsDelay) {
  FakeHost host(0, 5);
  auto r = DecideFromJson(Request("event", "/checkout/thank-you"), host);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)["show"], Json::parse(R"({"survey":"checkout","delay_ms":1500})"));
  ASSERT_EQ((*r)["decisions"].size(), 2u);
  EXPECT_FALSE((*r)["decisions"][1]["show"].get<bool>());
}

TEST(TargetingJson, HistoryAndUrlRulesRefuse) {
  FakeHost host(0, 5);
  Json request = Request("event", "/cart");
  auto r = DecideFromJson(request, host);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)["show"].is_null());
  request = Request("event", "/checkout/thank-you");
  request["history"] = {{"checkout", {{"displays", 1}, {"last_display_ms", 1795390100000}}}};
  r = DecideFromJson(request, host);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE((*r)["show"].is_null());
  EXPECT_FALSE((*r)["decisions"][0]["reason"].get<std::string>().empty());
  r = DecideFromJson(Request("pageview", "/anything"), host);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["show"]["survey"], "pages");
}

TEST(TargetingJson, BadRequestsNameTheField) {
  FakeHost host(0, 5);
  Json request = Request("event", "/");
  request["facts"]["now_ms"] = "soon";
  EXPECT_EQ(DecideFromJson(request, host).status().message(), "/facts/now_ms: expected a whole number");
  request = Request("event", "/");
  request["facts"]["kind"] = 3;
  EXPECT_EQ(DecideFromJson(request, host).status().message(), "/facts/kind: expected a string");
  request = Request("event", "/");
  request["history"] = {{"checkout", {{"displays", "many"}}}};
  EXPECT_EQ(DecideFromJson(request, host).status().message(),
            "/history/checkout/displays: expected a whole number");
  request = Request("event", "/");
  request["survey"] = "nope";
  EXPECT_EQ(DecideFromJson(request, host).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(DecideFromJson({{"definition", "{"}, {"facts", Json::object()}}, host).status().code(),
            StatusCode::kInvalidDefinition);
}

}  // namespace
}  // namespace nazar

// Sampling once per visitor and survey (METRICS.md), the wait hints for scroll and dwell, and
// the cases shared with the loader's pre-filter.
namespace nazar {
namespace {

Survey SampledSurvey(double rate) {
  Survey s;
  s.id = "sampled";
  s.trigger.on = TriggerOn::kPageview;
  s.trigger.sample_rate = rate;
  s.trigger.max_displays = 0;
  return s;
}

TargetingFacts PageviewFacts() {
  TargetingFacts f;
  f.kind = "pageview";
  f.url_path = "/";
  f.now_ms = kNow;
  return f;
}

TEST(TargetingSample, AFreshDrawIsReturnedForTheHostToStore) {
  FakeHost host(kNow, 11), twin(kNow, 11);
  const TargetingDecision d = Decide(SampledSurvey(0.5), PageviewFacts(), host);
  const double expected = twin.RandomUnit();  // the one draw the decision consumed
  EXPECT_EQ(d.sample_draw, expected);
  EXPECT_EQ(d.show, expected < 0.5);
  EXPECT_EQ(d.reason, d.show ? "" : "sampled out");
}

TEST(TargetingSample, AStoredDrawDecidesWithoutDrawingAgain) {
  for (double stored : {0.0, 0.2, 0.4999, 0.5, 0.7, 0.9999}) {
    FakeHost host(kNow, 5), twin(kNow, 5);
    TargetingFacts f = PageviewFacts();
    f.sample_draw = stored;
    const TargetingDecision d = Decide(SampledSurvey(0.5), f, host);
    EXPECT_EQ(d.show, stored < 0.5) << stored;  // in below the rate, out at or above it
    EXPECT_EQ(d.sample_draw, -1) << "nothing new to store";
    EXPECT_EQ(host.RandomUnit(), twin.RandomUnit()) << "no randomness consumed";
  }
  // A raised rate admits a visitor whose stored draw was out before.
  TargetingFacts f = PageviewFacts();
  f.sample_draw = 0.7;
  FakeHost host;
  EXPECT_FALSE(Decide(SampledSurvey(0.5), f, host).show);
  EXPECT_TRUE(Decide(SampledSurvey(0.75), f, host).show);
  EXPECT_TRUE(Decide(SampledSurvey(1), f, host).show);
}

TEST(TargetingSample, NoDrawWhenAnotherRuleRefuses) {
  Survey s = SampledSurvey(0.5);
  s.trigger.url.include = {"/blog/*"};
  FakeHost host(kNow, 3);
  const TargetingDecision d = Decide(s, PageviewFacts(), host);
  EXPECT_EQ(d.reason, "url: path not included");
  EXPECT_EQ(d.sample_draw, -1);
}

const char* kSampledFile = R"({"nazar":1,"surveys":[
  {"nazar":1,"id":"sampled","version":"1","trigger":{"on":"pageview","sample_rate":0.5,
   "max_displays":0},"questions":[{"id":"nps","type":"nps","text":{"en":"Recommend us?"}}]}]})";

TEST(TargetingSample, AReloadWithTheStoredDrawIsNotDrawnAgain) {
  const Json request = {{"definition", kSampledFile},
                        {"facts", {{"kind", "pageview"}, {"url_path", "/"}, {"now_ms", kNow}}}};
  // First visit: drawn once; the draw comes back for the history.
  FakeHost first(kNow, 21), twin(kNow, 21);
  auto r = DecideFromJson(request, first);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const double draw = twin.RandomUnit();
  ASSERT_TRUE((*r)["decisions"][0].contains("sample_draw"));
  EXPECT_EQ((*r)["decisions"][0]["sample_draw"].get<double>(), draw);
  const bool shown = !(*r)["show"].is_null();
  EXPECT_EQ(shown, draw < 0.5);
  // Every reload with the stored draw: the same answer whatever the host's randomness, and no
  // new draw to store.
  Json reload = request;
  reload["history"] = {{"sampled", {{"sample_draw", draw}}}};
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    FakeHost host(kNow, seed);
    auto again = DecideFromJson(reload, host);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(!(*again)["show"].is_null(), shown) << seed;
    EXPECT_FALSE((*again)["decisions"][0].contains("sample_draw"));
  }
}

TEST(TargetingSample, ABadStoredDrawNamesTheField) {
  FakeHost host;
  Json request = {{"definition", kSampledFile},
                  {"facts", {{"kind", "pageview"}, {"url_path", "/"}}},
                  {"history", {{"sampled", {{"sample_draw", 1.5}}}}}};
  EXPECT_EQ(DecideFromJson(request, host).status().message(),
            "/history/sampled/sample_draw: expected a number in [0, 1)");
  request["history"]["sampled"]["sample_draw"] = "low";
  EXPECT_EQ(DecideFromJson(request, host).status().message(),
            "/history/sampled/sample_draw: expected a number in [0, 1)");
}

const char* kWaitingFile = R"({"nazar":1,"surveys":[
  {"nazar":1,"id":"half","version":"1","trigger":{"on":"scroll","percent":50},
   "questions":[{"id":"nps","type":"nps","text":{"en":"Recommend us?"}}]},
  {"nazar":1,"id":"third","version":"1","trigger":{"on":"scroll","percent":30,
   "url":{"include":["/blog/*"]}},
   "questions":[{"id":"nps","type":"nps","text":{"en":"Recommend us?"}}]},
  {"nazar":1,"id":"stay","version":"1","trigger":{"on":"dwell","seconds":45},
   "questions":[{"id":"nps","type":"nps","text":{"en":"Recommend us?"}}]}]})";

Json WaitRequest(Json facts) {
  facts["now_ms"] = kNow;
  return {{"definition", kWaitingFile}, {"facts", std::move(facts)}};
}

TEST(TargetingWait, TheSmallestThresholdStillAhead) {
  FakeHost host;
  auto r = DecideFromJson(WaitRequest({{"kind", "scroll"}, {"scroll_percent", 10},
                                       {"url_path", "/blog/a"}}), host);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE((*r)["show"].is_null());
  EXPECT_EQ((*r)["wait"], Json::parse(R"({"scroll_percent":30})"));
  // Off the blog only the 50% survey can show.
  r = DecideFromJson(WaitRequest({{"kind", "scroll"}, {"scroll_percent", 10},
                                  {"url_path", "/shop"}}), host);
  EXPECT_EQ((*r)["wait"], Json::parse(R"({"scroll_percent":50})"));
  // At 35% on the blog the 30% survey shows: nothing to wait for.
  r = DecideFromJson(WaitRequest({{"kind", "scroll"}, {"scroll_percent", 35},
                                  {"url_path", "/blog/a"}}), host);
  EXPECT_EQ((*r)["show"]["survey"], "third");
  EXPECT_FALSE(r->contains("wait"));
  r = DecideFromJson(WaitRequest({{"kind", "dwell"}, {"dwell_seconds", 3}, {"url_path", "/"}}),
                     host);
  EXPECT_EQ((*r)["wait"], Json::parse(R"({"dwell_seconds":45})"));
}

TEST(TargetingWait, NoHintWhenAnotherRuleRefuses) {
  FakeHost host;
  Json request = WaitRequest({{"kind", "dwell"}, {"dwell_seconds", 3}, {"url_path", "/"}});
  request["history"] = {{"stay", {{"displays", 1}, {"last_display_ms", kNow - kDay}}}};
  auto r = DecideFromJson(request, host);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["decisions"][2]["reason"], "max_displays: shown 1 of 1 times");
  EXPECT_FALSE(r->contains("wait")) << "dwelling longer changes nothing";
}

// tests/fixtures/targeting/prefilter.json: the core's decision on each case is the one the
// file records (the loader's pre-filter is held to the same file in tests/web).
TEST(TargetingPrefilterFixture, TheCoreDecidesAsRecorded) {
  std::ifstream in(std::string(NAZAR_FIXTURES_DIR) + "/targeting/prefilter.json", std::ios::binary);
  ASSERT_TRUE(in) << "missing tests/fixtures/targeting/prefilter.json";
  std::stringstream text;
  text << in.rdbuf();
  const Json fixture = Json::parse(text.str(), nullptr, false);
  ASSERT_FALSE(fixture.is_discarded());
  ASSERT_GE(fixture["cases"].size(), 30u);
  for (const Json& c : fixture["cases"]) {
    const std::string name = c["name"].get<std::string>();
    Json facts = c["facts"];
    if (!facts.contains("now_ms")) facts["now_ms"] = 1795390200000;
    Json request = {{"definition", fixture["definitions"][c["definition"].get<std::string>()]},
                    {"facts", facts}};
    if (c.contains("history")) request["history"] = c["history"];
    FakeHost host(1795390200000, 7);
    auto r = DecideFromJson(request, host);
    ASSERT_TRUE(r.ok()) << name << ": " << r.status().message();
    const Json expected = c["core"];
    const Json shown = (*r)["show"].is_null() ? Json(nullptr) : (*r)["show"]["survey"];
    EXPECT_EQ(shown, expected) << name;
  }
}

}  // namespace
}  // namespace nazar
