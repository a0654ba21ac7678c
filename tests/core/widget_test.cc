#include "nazar/widget.h"

#include <gtest/gtest.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "fake_host.h"
#include "nazar/view.h"
#include "test_util.h"

namespace nazar {
namespace {

using testing::LocaleFile;
using testing::MustParse;
using testing::PostCheckout;

// Depth-first search of a rendered view for the first node matching `pred`.
const Json* FindNode(const Json& node, const std::function<bool(const Json&)>& pred) {
  if (pred(node)) return &node;
  if (auto c = node.find("c"); c != node.end()) {
    for (const Json& child : *c) {
      if (const Json* hit = FindNode(child, pred)) return hit;
    }
  }
  return nullptr;
}

const Json* ById(const Json& view, const std::string& id) {
  return FindNode(view, [&](const Json& n) {
    auto a = n.find("a");
    return a != n.end() && a->value("id", "") == id;
  });
}

std::string Attr(const Json* node, const char* name) {
  if (node == nullptr) return "<missing node>";
  auto a = node->find("a");
  return a == node->end() ? "" : a->value(name, "");
}

Json Action(const char* action, Json value = nullptr) {
  return {{"type", "action"}, {"action", action}, {"value", value}};
}

// What web/ sends once the first question has painted.
const Json kShown = {{"type", "shown"}};

class WidgetTest : public ::testing::Test {
 protected:
  Json Send(Widget& w, const Json& event) {
    auto r = w.HandleEvent(event);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : Json();
  }
  // 2026-11-22T23:30:00Z: still the 22nd in UTC, already the 23rd in Tehran (+03:30).
  FakeHost host_{1795390200000, 3};
  Survey survey_ = MustParse(PostCheckout());
};

TEST_F(WidgetTest, StartShowsNpsAsRadioGroupAndShownStoresDisplay) {
  Widget w(survey_, {"en", "shop.example", 0}, &host_);
  Json u = w.Start();
  const Json& view = u["view"];
  EXPECT_EQ(Attr(&view, "role"), "dialog");
  EXPECT_EQ(Attr(&view, "dir"), "ltr");
  EXPECT_EQ(Attr(&view, "aria-labelledby"), "nz-title");
  EXPECT_EQ(ById(view, "nz-title")->value("x", ""),
            "How likely are you to recommend us to a friend?");
  const Json* group = FindNode(view, [](const Json& n) {
    return n.contains("a") && n["a"].value("role", "") == "radiogroup";
  });
  ASSERT_NE(group, nullptr);
  ASSERT_EQ((*group)["c"].size(), 11u);
  EXPECT_EQ((*group)["c"][9].value("x", ""), "9");
  EXPECT_EQ(Attr(&(*group)["c"][0], "tabindex"), "0");  // roving tab stop on the first
  EXPECT_EQ(Attr(&(*group)["c"][9], "tabindex"), "-1");
  EXPECT_EQ(Attr(&(*group)["c"][9], "aria-checked"), "false");
  // The dialog is described by the progress line.
  const Json* described_by = ById(view, Attr(&view, "aria-describedby"));
  ASSERT_NE(described_by, nullptr);
  EXPECT_EQ(described_by->value("x", ""), "Question 1 of 5");
  // The live region exists from the start, empty, so its later text is announced.
  ASSERT_NE(ById(view, "nz-status"), nullptr);
  EXPECT_EQ(ById(view, "nz-status")->value("x", "none"), "none");
  EXPECT_EQ(ById(view, "nz-progress")->value("x", ""), "Question 1 of 5");
  // Nothing is stored until the question has painted ("shown"): the payload's code is then off
  // the first question's path (web/split.mjs).
  EXPECT_TRUE(u["effects"].empty()) << u["effects"].dump();
  EXPECT_EQ(u["events"][0]["type"], "show");
  EXPECT_TRUE(u["focus"].is_null());  // never steals focus from the page on open
  Json shown = Send(w, kShown);
  ASSERT_EQ(shown["effects"].size(), 1u);
  EXPECT_EQ(shown["effects"][0]["type"], "store");
  EXPECT_EQ(shown["effects"][0]["send_after_ms"], 30 * 60 * 1000);
  EXPECT_EQ(shown["effects"][0]["payload"]["displays"], 1);
  EXPECT_EQ(shown["effects"][0]["payload"]["completions"], 0);
  EXPECT_EQ(shown["effects"][0]["payload"]["questions"]["nps"]["skipped"], 1);
  EXPECT_EQ(shown["handled"], false);
  EXPECT_TRUE(shown["events"].empty());  // "show" was the first update's
  EXPECT_TRUE(shown["focus"].is_null());
  EXPECT_EQ(shown["view"], view);  // the same question, unchanged
}

TEST_F(WidgetTest, PersianIsRightToLeftWithPersianDigits) {
  Widget w(survey_, {"fa-IR", "shop.example", 210}, &host_);
  Json view = w.Start()["view"];
  EXPECT_EQ(Attr(&view, "dir"), "rtl");
  EXPECT_EQ(Attr(&view, "lang"), "fa");
  const Json* nine = ById(view, "nz-nps-9");
  ASSERT_NE(nine, nullptr);
  EXPECT_EQ(nine->value("x", ""), "۹");
  EXPECT_EQ(Attr(nine, "data-nz-value"), "9");  // values stay ASCII for the core
  EXPECT_EQ(ById(view, "nz-nps-10")->value("x", ""), "۱۰");
  EXPECT_EQ(ById(view, "nz-title")->value("x", ""),
            "چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟");
}

TEST_F(WidgetTest, PeriodIsTheLocalDay) {
  Widget utc(survey_, {"en", "s", 0}, &host_);
  utc.Start();
  EXPECT_EQ(Send(utc, kShown)["effects"][0]["payload"]["period"], "2026-11-22");
  Widget tehran(survey_, {"fa", "s", 210}, &host_);
  tehran.Start();
  EXPECT_EQ(Send(tehran, kShown)["effects"][0]["payload"]["period"], "2026-11-23");
}

TEST_F(WidgetTest, NextWithoutAnswerExplainsInsteadOfFailing) {
  Widget w(survey_, {"en", "s", 0}, &host_);
  w.Start();
  Json u = Send(w, Action("next"));
  const Json* hint = ById(u["view"], "nz-hint");
  ASSERT_NE(hint, nullptr);
  EXPECT_EQ(Attr(hint, "role"), "alert");
  EXPECT_EQ(u["focus"], "nz-nps-0");
  EXPECT_TRUE(u["effects"].empty());
  u = Send(w, Action("select", "9"));
  EXPECT_EQ(ById(u["view"], "nz-hint"), nullptr);
  EXPECT_EQ(Attr(ById(u["view"], "nz-nps-9"), "aria-checked"), "true");
  EXPECT_EQ(Attr(ById(u["view"], "nz-nps-9"), "tabindex"), "0");
  EXPECT_EQ(Attr(ById(u["view"], "nz-nps-0"), "tabindex"), "-1");
  EXPECT_EQ(u["effects"][0]["type"], "store");
  // Selected, not submitted: a skip until Next.
  EXPECT_EQ(u["effects"][0]["payload"]["questions"]["nps"],
            Json::parse(R"({"type":"nps","counts":[0,0,0,0,0,0,0,0,0,0,0],"skipped":1})"));
  u = Send(w, Action("next"));
  EXPECT_EQ(u["effects"][0]["payload"]["questions"]["nps"],
            Json::parse(R"({"type":"nps","counts":[0,0,0,0,0,0,0,0,0,1,0]})"));
}

TEST_F(WidgetTest, FullRunSendsOnePayloadAndShowsThanks) {
  Widget w(survey_, {"en", "shop.example", 0}, &host_);
  w.Start();
  const std::string batch = Send(w, kShown)["effects"][0]["batch"].get<std::string>();
  Send(w, Action("select", 9));
  Json u = Send(w, Action("next"));
  // The page hears which question was answered, never the answer (DESIGN.md, Contract 2).
  EXPECT_EQ(u["events"][0],
            Json::parse(R"({"type":"answer","survey":"post-checkout","question":"nps"})"));
  EXPECT_EQ(u["focus"], "nz-ease-1");
  Send(w, Action("select", "6"));
  Send(w, Action("next"));
  Send(w, Action("select", "5"));
  Send(w, Action("next"));
  Send(w, Action("toggle", "web"));
  u = Send(w, Action("next"));
  EXPECT_EQ(u["events"][0],
            Json::parse(R"({"type":"answer","survey":"post-checkout","question":"channel"})"));
  ASSERT_EQ(u["effects"].size(), 1u);  // comments "drop": no comments effect
  EXPECT_EQ(u["effects"][0]["type"], "send");
  EXPECT_EQ(u["effects"][0]["batch"], batch);
  const Json& p = u["effects"][0]["payload"];
  EXPECT_EQ(p["batch"], batch);
  EXPECT_EQ(p["completions"], 1);
  EXPECT_EQ(p["questions"]["channel"]["counts"], Json::parse("[1,0]"));
  EXPECT_EQ(u["events"].back()["type"], "complete");
  const Json* status = ById(u["view"], "nz-status");
  ASSERT_NE(status, nullptr);
  EXPECT_EQ(Attr(status, "role"), "status");
  EXPECT_EQ(status->value("x", ""), "Thank you!");
  EXPECT_EQ(u["focus"], "nz-close");
  // Closing the thank-you only closes: nothing more is sent.
  u = Send(w, Action("close"));
  ASSERT_EQ(u["effects"].size(), 1u);
  EXPECT_EQ(u["effects"][0]["type"], "close");
  EXPECT_EQ(w.HandleEvent(Action("select", 3)).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(WidgetTest, EscapeDismissesAndSendsTheDisplay) {
  Widget w(survey_, {"en", "s", 0}, &host_);
  w.Start();
  Send(w, Action("select", 4));
  Json u = Send(w, {{"type", "key"}, {"key", "Escape"}});
  EXPECT_TRUE(u["handled"].get<bool>());
  ASSERT_EQ(u["effects"].size(), 2u);
  EXPECT_EQ(u["effects"][0]["type"], "send");
  EXPECT_EQ(u["effects"][0]["payload"]["dismissals"], 1);
  EXPECT_EQ(u["effects"][0]["payload"]["completions"], 0);
  // The value selected but not submitted before leaving is a skip, not an answer.
  EXPECT_EQ(u["effects"][0]["payload"]["questions"]["nps"],
            Json::parse(R"({"type":"nps","counts":[0,0,0,0,0,0,0,0,0,0,0],"skipped":1})"));
  EXPECT_EQ(u["effects"][1]["type"], "close");
  EXPECT_EQ(u["events"][0]["type"], "dismiss");
}

TEST_F(WidgetTest, ArrowKeysMoveSelectionAndMirrorInRtl) {
  Widget ltr(survey_, {"en", "s", 0}, &host_);
  ltr.Start();
  Json key = {{"type", "key"}, {"key", "ArrowRight"}, {"action", "select"}, {"value", "3"}};
  Json u = Send(ltr, key);
  EXPECT_TRUE(u["handled"].get<bool>());
  EXPECT_EQ(u["focus"], "nz-nps-4");
  EXPECT_EQ(Attr(ById(u["view"], "nz-nps-4"), "aria-checked"), "true");
  key["key"] = "End";
  EXPECT_EQ(Send(ltr, key)["focus"], "nz-nps-10");
  key["key"] = "ArrowRight";
  key["value"] = "10";
  EXPECT_EQ(Send(ltr, key)["focus"], "nz-nps-0");  // wraps

  Widget rtl(survey_, {"fa", "s", 0}, &host_);
  rtl.Start();
  key["value"] = "3";
  EXPECT_EQ(Send(rtl, key)["focus"], "nz-nps-2");
  key["key"] = "ArrowLeft";
  EXPECT_EQ(Send(rtl, key)["focus"], "nz-nps-4");
  key["key"] = "a";
  EXPECT_FALSE(Send(rtl, key)["handled"].get<bool>());
}

TEST_F(WidgetTest, RejectsMalformedEvents) {
  Widget w(survey_, {"en", "s", 0}, &host_);
  w.Start();
  EXPECT_EQ(w.HandleEvent(Json::array()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(w.HandleEvent({{"type", "warp"}}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(w.HandleEvent(Action("select", "nine")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(w.HandleEvent(Action("select", "12")).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(w.HandleEvent(Action("launch")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(w.HandleEvent(Action("back")).status().code(), StatusCode::kFailedPrecondition);
  // Persian digits typed into a value are understood.
  EXPECT_TRUE(w.HandleEvent(Action("select", "۷")).ok());
}

TEST_F(WidgetTest, CreateWidgetValidatesConfig) {
  auto ok = CreateWidget({{"definition", PostCheckout()}, {"locale", "en"}, {"site", "s"}}, &host_);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(CreateWidget(Json::array(), &host_).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CreateWidget({{"definition", "{"}}, &host_).status().code(),
            StatusCode::kInvalidDefinition);
  auto missing = CreateWidget({{"definition", PostCheckout()}, {"survey", "nope"}}, &host_);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "config/definition: no survey \"nope\" (the file has post-checkout)");
  auto offset =
      CreateWidget({{"definition", PostCheckout()}, {"utc_offset_minutes", 5000}}, &host_);
  EXPECT_EQ(offset.status().code(), StatusCode::kInvalidArgument);
  // An unsigned value that would wrap to -1 is refused too.
  offset = CreateWidget(
      {{"definition", PostCheckout()}, {"utc_offset_minutes", 18446744073709551615ULL}}, &host_);
  EXPECT_EQ(offset.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(WidgetTest, EmojiFacesAreNamedAsPointsNotStars) {
  Widget w(survey_, {"en", "s", 0}, &host_);
  w.Start();
  Send(w, Action("select", 9));
  Send(w, Action("next"));
  Send(w, Action("select", 6));
  Json u = Send(w, Action("next"));
  const Json* face = ById(u["view"], "nz-sat-1");
  ASSERT_NE(face, nullptr);
  EXPECT_EQ(Attr(face, "aria-label"), "1 of 5, Very dissatisfied");
  EXPECT_FALSE(face->contains("x"));  // drawn, not an emoji character
  EXPECT_EQ((*face)["c"][0].value("t", ""), "svg");
}

// ---- Scale ends: anchors shown at both ends and carried in the end options' names ----

// The first step of a one-question survey (texts in en, fa and ar, so each is a survey locale)
// rendered in `locale`.
// `members`: more of the survey's members, e.g. R"("strings":{...},)".
Json FirstView(const std::string& question, const std::string& locale,
               const std::string& members = "") {
  FakeHost host;
  Widget w(MustParse(R"({"nazar":1,"id":"s","version":"1","default_locale":"en",)" + members +
                     R"("trigger":{"on":"manual"},"questions":[)" + question + "]}"),
           {locale, "s", 0}, &host);
  return w.Start()["view"];
}

// The texts of the visible end labels, min then max in document order; "<none>" without them.
std::string EndLabels(const Json& view) {
  const Json* labels = FindNode(view, [](const Json& n) {
    return n.contains("a") && n["a"].value("class", "") == "nz-labels";
  });
  if (labels == nullptr) return "<none>";
  EXPECT_EQ(Attr(labels, "aria-hidden"), "true");  // the names carry them; read once
  return (*labels)["c"][0].value("x", "") + " | " + (*labels)["c"][1].value("x", "");
}

// The accessible name a button gets from its aria-label, else its text.
std::string Name(const Json& view, const std::string& id) {
  const Json* node = ById(view, id);
  if (node == nullptr) return "<missing " + id + ">";
  const std::string label = Attr(node, "aria-label");
  return label.empty() ? node->value("x", "") : label;
}

// Expects the accessible name of each option id.
void ExpectNames(const Json& view,
                 std::initializer_list<std::pair<const char*, const char*>> names) {
  for (const auto& [id, name] : names) EXPECT_EQ(Name(view, id), name) << id;
}

// A definition's "strings" add Italian: the UI speaks it, what it leaves out is English, and
// the session (and so the payload) is in "it" though every question text is English.
TEST(UiStringsTest, DefinitionStringsAddItalian) {
  FakeHost host;
  Widget w(MustParse(R"({"nazar":1,"id":"s","version":"1","default_locale":"en",)"
                     R"("trigger":{"on":"manual"},"questions":[{"id":"nps","type":"nps",)"
                     R"("required":false,"text":{"en":"How likely?"}}],)"
                     R"("strings":{"it":{"next":"Invia ora","submit":"Invia",)"
                     R"("question_of":"{2}: domanda {1}"}}})"),
           {"it-IT", "s", 0}, &host);
  const Json view = w.Start()["view"];
  EXPECT_EQ(Attr(&view, "lang"), "it");
  EXPECT_EQ(Attr(&view, "dir"), "ltr");
  EXPECT_EQ(Name(view, "nz-progress"), "1: domanda 1");
  EXPECT_EQ(Name(view, "nz-close"), "Close survey");  // not in the table: English
  EXPECT_EQ(Name(view, "nz-title"), "How likely?");
  const Json* submit = FindNode(view, [](const Json& n) { return n.value("k", "") == "next"; });
  EXPECT_EQ(submit ? submit->value("x", "") : "<missing>", "Invia");
  const Json* skip = FindNode(view, [](const Json& n) { return n.value("k", "") == "skip"; });
  EXPECT_EQ(skip ? skip->value("x", "") : "<missing>", "Skip");
}

// Survey texts keep their characters; a bidi override they open is closed at their end, in the
// title, the option texts, the end labels and the end options' accessible names.
TEST(UiStringsTest, SurveyTextsCloseTheirBidiOverrides) {
  FakeHost host;
  Widget w(MustParse(R"({"nazar":1,"id":"s","version":"1","default_locale":"en",)"
                     R"("trigger":{"on":"manual"},"questions":[{"id":"nps","type":"nps",)"
                     R"("text":{"en":"\u202Eevil"},"labels":{"min":{"en":"lo\u2067w"},)"
                     R"("max":{"en":"hi\u202C"}}}]})"),
           {"en", "s", 0}, &host);
  const Json view = w.Start()["view"];
  EXPECT_EQ(Name(view, "nz-title"), "\u202Eevil\u202C");
  EXPECT_EQ(EndLabels(view), "lo\u2067w\u2069 | hi\u202C");
  EXPECT_EQ(Name(view, "nz-nps-0"), "0, lo\u2067w\u2069");
}

// A definition's UI strings frame numbers and names ("{1}, {2}"): a bidi control in one would
// reorder them, so the validator refuses it and says where.
TEST(UiStringsTest, BidiControlsInUiStringsAreRefused) {
  const std::string head =
      R"({"nazar":1,"id":"s","version":"1","default_locale":"en","trigger":{"on":"manual"},)"
      R"("questions":[{"id":"nps","type":"nps","text":{"en":"Q"}}],"strings":{"fa":{)";
  ParsedDefinitions bad = ParseDefinitions(head + R"("scale_end":"{1}‮, {2}"}}})");
  ASSERT_EQ(bad.errors.size(), 1u);
  EXPECT_EQ(bad.errors[0].ToString(),
            "/strings/fa/scale_end: has the bidi control U+202E at byte 3; a UI string may not "
            "reorder what it frames");
  ParsedDefinitions isolate = ParseDefinitions(head + R"("submit":"⁧ok"}}})");
  ASSERT_EQ(isolate.errors.size(), 1u);
  EXPECT_NE(isolate.errors[0].ToString().find("U+2067 at byte 0"), std::string::npos);
  EXPECT_TRUE(ParseDefinitions(head + R"("submit":"ارسال"}}})").errors.empty());
}

const char* const kCes7 =
    R"({"id":"ease","type":"ces","scale":7,"text":{"en":"It was easy.","fa":"آسان بود.",)"
    R"("ar":"كان الأمر سهلًا."}})";

TEST(ScaleEndsTest, CesShowsAgreementAnchorsInEveryUiLanguage) {
  Json en = FirstView(kCes7, "en");
  EXPECT_EQ(EndLabels(en), "Strongly disagree | Strongly agree");
  // Points between the ends keep their number as their name.
  ExpectNames(en, {{"nz-ease-1", "1, Strongly disagree"},
                   {"nz-ease-7", "7, Strongly agree"},
                   {"nz-ease-4", "4"}});
  EXPECT_EQ(ById(en, "nz-ease-1")->value("x", ""), "1");  // the number stays what is shown

  Json fa = FirstView(kCes7, "fa-IR");
  EXPECT_EQ(Attr(&fa, "dir"), "rtl");
  EXPECT_EQ(EndLabels(fa), "کاملاً مخالفم | کاملاً موافقم");
  ExpectNames(
      fa, {{"nz-ease-1", "۱، کاملاً مخالفم"}, {"nz-ease-7", "۷، کاملاً موافقم"}, {"nz-ease-4", "۴"}});

  Json ar = FirstView(kCes7, "ar");
  EXPECT_EQ(Attr(&ar, "dir"), "rtl");
  EXPECT_EQ(EndLabels(ar), "لا أوافق بشدة | أوافق بشدة");
  ExpectNames(ar, {{"nz-ease-1", "١، لا أوافق بشدة"}, {"nz-ease-7", "٧، أوافق بشدة"}});

  // Five points: the same anchors, the top end at 5.
  Json five = FirstView(R"({"id":"ease","type":"ces","scale":5,"text":{"en":"Easy."}})", "en");
  EXPECT_EQ(EndLabels(five), "Strongly disagree | Strongly agree");
  EXPECT_EQ(Name(five, "nz-ease-5"), "5, Strongly agree");
}

// The languages that ship as data files (web/locales), each added as the survey's "strings".
TEST(ScaleEndsTest, AgreementAnchorsOfTheLanguageFiles) {
  const struct {
    const char* locale;
    const char* min;
    const char* max;
    const char* name;  // the accessible name of point 1
  } kCases[] = {
      {"de", "Stimme überhaupt nicht zu", "Stimme voll und ganz zu",
       "1, Stimme überhaupt nicht zu"},
      {"fr", "Pas du tout d’accord", "Tout à fait d’accord", "1, Pas du tout d’accord"},
      {"es", "Totalmente en desacuerdo", "Totalmente de acuerdo", "1, Totalmente en desacuerdo"},
      {"tr", "Kesinlikle katılmıyorum", "Kesinlikle katılıyorum", "1, Kesinlikle katılmıyorum"},
      {"ur", "سختی سے غیر متفق", "سختی سے متفق", "1، سختی سے غیر متفق"},
  };
  for (const auto& c : kCases) {
    const std::string q = std::string(R"({"id":"ease","type":"ces","scale":7,"text":{"en":"?",")") +
                          c.locale + R"(":"?"}})";
    Json view = FirstView(q, c.locale, R"("strings":)" + LocaleFile(c.locale) + ",");
    EXPECT_EQ(EndLabels(view), std::string(c.min) + " | " + c.max) << c.locale;
    EXPECT_EQ(Name(view, "nz-ease-1"), c.name) << c.locale;
    // Without the file the language is not built in: English anchors.
    EXPECT_EQ(EndLabels(FirstView(q, c.locale)), "Strongly disagree | Strongly agree") << c.locale;
  }
}

TEST(ScaleEndsTest, DefinitionLabelsReplaceTheBuiltInAnchors) {
  Json own = FirstView(R"({"id":"ease","type":"ces","scale":5,"text":{"en":"How easy was it?"},)"
                       R"("labels":{"min":{"en":"Very difficult"},"max":{"en":"Very easy"}}})",
                       "en");
  EXPECT_EQ(EndLabels(own), "Very difficult | Very easy");
  ExpectNames(own, {{"nz-ease-1", "1, Very difficult"}, {"nz-ease-5", "5, Very easy"}});
  // One end labelled by the site: its wording is kept, no built-in anchor is mixed in.
  Json one = FirstView(R"({"id":"ease","type":"ces","scale":5,"text":{"en":"How easy was it?"},)"
                       R"("labels":{"max":{"en":"Very easy"}}})",
                       "en");
  EXPECT_EQ(EndLabels(one), " | Very easy");
  ExpectNames(one, {{"nz-ease-1", "1"}, {"nz-ease-5", "5, Very easy"}});
}

TEST(ScaleEndsTest, NpsEndNamesCarryTheLabelsInTheUiLanguage) {
  const char* nps =
      R"({"id":"nps","type":"nps","text":{"en":"Recommend us?","fa":"پیشنهاد می‌کنید؟"},)"
      R"("labels":{"min":{"en":"Not at all likely","fa":"اصلاً"},)"
      R"("max":{"en":"Extremely likely","fa":"خیلی زیاد"}}})";
  Json en = FirstView(nps, "en");
  EXPECT_EQ(EndLabels(en), "Not at all likely | Extremely likely");
  ExpectNames(en, {{"nz-nps-0", "0, Not at all likely"},
                   {"nz-nps-10", "10, Extremely likely"},
                   {"nz-nps-9", "9"}});
  Json fa = FirstView(nps, "fa");
  ExpectNames(fa, {{"nz-nps-0", "۰، اصلاً"}, {"nz-nps-10", "۱۰، خیلی زیاد"}});
}

// Without labels of its own, NPS shows the usual anchors and CSAT the satisfaction ends, in the
// UI language, so a face named "1 of 5" also says which end it is. Expected texts by hand.
TEST(ScaleEndsTest, NpsAndCsatShowBuiltInAnchorsWithoutLabels) {
  const char* nps = R"({"id":"nps","type":"nps","text":{"en":"?","fa":"?","ar":"?"}})";
  Json en = FirstView(nps, "en");
  EXPECT_EQ(EndLabels(en), "Not at all likely | Extremely likely");
  ExpectNames(en, {{"nz-nps-0", "0, Not at all likely"},
                   {"nz-nps-10", "10, Extremely likely"},
                   {"nz-nps-5", "5"}});
  Json fa = FirstView(nps, "fa");
  EXPECT_EQ(EndLabels(fa), "اصلاً محتمل نیست | کاملاً محتمل");
  ExpectNames(fa, {{"nz-nps-0", "۰، اصلاً محتمل نیست"}, {"nz-nps-10", "۱۰، کاملاً محتمل"}});
  Json ar = FirstView(nps, "ar");
  ExpectNames(ar, {{"nz-nps-0", "٠، غير محتمل على الإطلاق"}, {"nz-nps-10", "١٠، محتمل للغاية"}});

  const char* faces =
      R"({"id":"sat","type":"csat","scale":5,"style":"emoji","text":{"en":"?","fa":"?","ar":"?"}})";
  ExpectNames(FirstView(faces, "en"), {{"nz-sat-1", "1 of 5, Very dissatisfied"},
                                       {"nz-sat-3", "3 of 5"},
                                       {"nz-sat-5", "5 of 5, Very satisfied"}});
  ExpectNames(FirstView(faces, "fa"),
              {{"nz-sat-1", "۱ از ۵، خیلی ناراضی"}, {"nz-sat-5", "۵ از ۵، خیلی راضی"}});
  ExpectNames(FirstView(faces, "ar"),
              {{"nz-sat-1", "١ من ٥، غير راضٍ جدًا"}, {"nz-sat-5", "٥ من ٥، راضٍ جدًا"}});
  Json de = FirstView(R"({"id":"sat","type":"csat","scale":3,"text":{"en":"?","de":"?"}})", "de",
                      R"("strings":)" + LocaleFile("de") + ",");
  EXPECT_EQ(EndLabels(de), "Sehr unzufrieden | Sehr zufrieden");
  EXPECT_EQ(Name(de, "nz-sat-3"), "3, Sehr zufrieden");

  // A rating has no built-in ends: without labels its ends are plain and no row shows.
  Json rating = FirstView(R"({"id":"r","type":"rating","scale":5,"text":{"en":"?"}})", "en");
  EXPECT_EQ(EndLabels(rating), "<none>");
  ExpectNames(rating, {{"nz-r-1", "1"}, {"nz-r-5", "5"}});
}

TEST(ScaleEndsTest, FacesStarsAndNumbersAppendTheEndLabel) {
  const std::string labels = R"("labels":{"min":{"en":"Very dissatisfied","ar":"غير راضٍ جدًا"},)"
                             R"("max":{"en":"Very satisfied","ar":"راضٍ جدًا"}})";
  const std::string faces = R"({"id":"sat","type":"csat","scale":5,"style":"emoji",)"
                            R"("text":{"en":"Satisfied?","ar":"هل أنت راضٍ؟"},)" +
                            labels + "}";
  Json en = FirstView(faces, "en");
  ExpectNames(en, {{"nz-sat-1", "1 of 5, Very dissatisfied"},
                   {"nz-sat-3", "3 of 5"},
                   {"nz-sat-5", "5 of 5, Very satisfied"}});
  Json ar = FirstView(faces, "ar");
  ExpectNames(ar, {{"nz-sat-1", "١ من ٥، غير راضٍ جدًا"}, {"nz-sat-5", "٥ من ٥، راضٍ جدًا"}});

  Json numbers = FirstView(
      R"({"id":"sat","type":"csat","scale":5,"text":{"en":"Satisfied?"},)" + labels + "}", "en");
  ExpectNames(numbers, {{"nz-sat-1", "1, Very dissatisfied"}, {"nz-sat-2", "2"}});

  Json stars = FirstView(R"({"id":"stars","type":"rating","scale":5,"style":"stars",)"
                         R"("text":{"en":"Rate us"},"labels":{"min":{"en":"Poor"},)"
                         R"("max":{"en":"Excellent"}}})",
                         "en");
  ExpectNames(stars, {{"nz-stars-1", "1 of 5 stars, Poor"},
                      {"nz-stars-4", "4 of 5 stars"},
                      {"nz-stars-5", "5 of 5 stars, Excellent"}});
}

TEST_F(WidgetTest, TextInputUpdatesCounterWithoutStoring) {
  Widget w(survey_, {"en", "s", 0}, &host_);
  w.Start();
  Send(w, Action("select", 2));
  Send(w, Action("next"));
  Json u = Send(w, {{"type", "input"}, {"action", "text"}, {"value", "late"}});
  EXPECT_TRUE(u["effects"].empty());
  EXPECT_EQ(ById(u["view"], "nz-counter")->value("x", ""), "496 characters left");
  EXPECT_EQ(Attr(ById(u["view"], "nz-why-text"), "value"), "late");
  const Json* skip = FindNode(u["view"], [](const Json& n) {
    return n.contains("a") && n["a"].value("data-nz-action", "") == "skip";
  });
  EXPECT_NE(skip, nullptr);
}

// ---- What leaves the page when a session ends ----

class WidgetCommentsTest : public WidgetTest {
 protected:
  Survey Scrubbed() {
    Survey s = survey_;
    s.privacy.comments = CommentsPolicy::kScrubbed;
    return s;
  }
};

// Scrubbed comments travel in their own effect and payload, with a fresh batch id, after the
// tally's batch, carrying only the NPS group; the tally never carries text.
TEST_F(WidgetCommentsTest, CommentsLeaveInTheirOwnPayload) {
  Widget w(Scrubbed(), {"en", "shop.example", 0}, &host_);
  w.Start();
  const std::string batch = Send(w, kShown)["effects"][0]["batch"].get<std::string>();
  Send(w, Action("select", 3));
  Send(w, Action("next"));
  Send(w, {{"type", "input"}, {"action", "text"}, {"value", "late, call 0912 345 6789"}});
  Send(w, Action("next"));
  Json u = Send(w, Action("close"));
  ASSERT_EQ(u["effects"].size(), 3u) << u["effects"].dump();
  const Json& send = u["effects"][0];
  const Json& comments = u["effects"][1];
  EXPECT_EQ(send["type"], "send");
  EXPECT_EQ(send["batch"], batch);
  EXPECT_FALSE(send["payload"].contains("comments"));
  EXPECT_EQ(send["payload"].dump().find("late"), std::string::npos);
  EXPECT_EQ(comments["type"], "comments");
  EXPECT_EQ(comments["after"], batch);
  const std::string comments_batch = comments["batch"].get<std::string>();
  EXPECT_NE(comments_batch, batch);
  EXPECT_EQ(comments_batch.size(), 32u);
  EXPECT_EQ(comments["payload"],
            Json::parse(R"({"nazar":1,"kind":"comments","batch":")" + comments_batch +
                        R"(","site":"shop.example","survey":"post-checkout",)"
                        R"("survey_version":"2026-11-01","period":"2026-11-22","locale":"en",)"
                        R"("comments":[{"question":"why","group":"detractor",)"
                        R"("text":"late, call [PHONE]"}]})"));
  EXPECT_EQ(comments.size(), 4u);
  EXPECT_EQ(u["effects"][2]["type"], "close");
}

// Text typed, then Back, then close: never submitted, so it never leaves.
TEST_F(WidgetCommentsTest, TextTypedThenBackThenCloseNeverLeaves) {
  Widget w(Scrubbed(), {"en", "shop.example", 0}, &host_);
  w.Start();
  Send(w, Action("select", 2));
  Send(w, Action("next"));
  Json u = Send(w, {{"type", "input"}, {"action", "text"}, {"value", "call 09123456789"}});
  EXPECT_TRUE(u["effects"].empty());  // typing stores nothing
  Send(w, Action("back"));
  u = Send(w, Action("close"));
  for (const Json& effect : u["effects"]) {
    EXPECT_NE(effect["type"], "comments");
    EXPECT_EQ(effect.dump().find("0912"), std::string::npos) << effect.dump();
    EXPECT_EQ(effect.dump().find("call"), std::string::npos) << effect.dump();
  }
  ASSERT_EQ(u["effects"].size(), 2u);
  EXPECT_EQ(u["effects"][0]["type"], "send");
}

// Events never carry an answer's value, whatever the question type.
TEST_F(WidgetCommentsTest, EventsNameTheQuestionNeverTheAnswer) {
  Widget w(Scrubbed(), {"en", "s", 0}, &host_);
  w.Start();
  std::vector<Json> events;
  auto collect = [&](const Json& u) {
    for (const Json& e : u["events"]) events.push_back(e);
  };
  Send(w, Action("select", 1));
  collect(Send(w, Action("next")));
  Send(w, {{"type", "input"}, {"action", "text"}, {"value", "secret words"}});
  collect(Send(w, Action("next")));
  Send(w, Action("select", 6));
  collect(Send(w, Action("next")));
  Send(w, Action("select", 2));
  collect(Send(w, Action("next")));
  Send(w, Action("toggle", "app"));
  collect(Send(w, Action("next")));
  // "why" (shown only to detractors) was answered but announces nothing: see below.
  ASSERT_EQ(events.size(), 5u);  // four answers and complete
  const char* ids[] = {"nps", "ease", "sat", "channel"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(events[i],
              Json({{"type", "answer"}, {"survey", "post-checkout"}, {"question", ids[i]}}));
  }
  EXPECT_EQ(events[4], Json({{"type", "complete"}, {"survey", "post-checkout"}}));
}

// Which show_if branch a respondent took never shows in the events: for every NPS score, a
// complete run (answering "why" whenever it shows) yields the same events, so a tag manager
// cannot tell detractors from the rest.
TEST_F(WidgetCommentsTest, EventsAreTheSameWhateverTheBranch) {
  const Json expected = Json::parse(R"([
    {"type":"answer","survey":"post-checkout","question":"nps"},
    {"type":"answer","survey":"post-checkout","question":"ease"},
    {"type":"answer","survey":"post-checkout","question":"sat"},
    {"type":"answer","survey":"post-checkout","question":"channel"},
    {"type":"complete","survey":"post-checkout"}])");
  int saw_why = 0;
  for (int nps = 0; nps <= 10; ++nps) {
    SCOPED_TRACE("nps " + std::to_string(nps));
    Widget w(Scrubbed(), {"en", "s", 0}, &host_);
    w.Start();
    Json events = Json::array();
    auto collect = [&](const Json& u) {
      for (const Json& e : u["events"]) events.push_back(e);
    };
    Send(w, Action("select", nps));
    Json u = Send(w, Action("next"));
    collect(u);
    if (ById(u["view"], "nz-why-text") != nullptr) {  // the detractors' branch
      ++saw_why;
      Send(w, {{"type", "input"}, {"action", "text"}, {"value", "too slow"}});
      collect(Send(w, Action("next")));
    }
    Send(w, Action("select", 4));
    collect(Send(w, Action("next")));
    Send(w, Action("select", 3));
    collect(Send(w, Action("next")));
    Send(w, Action("toggle", "web"));
    collect(Send(w, Action("next")));
    EXPECT_EQ(events, expected);
  }
  EXPECT_EQ(saw_why, 7);  // 0..6 took the other branch: the test covers both
}

// Under local DP the noise comes from the host the widget was given (in production the
// platform's cryptographic source), drawn afresh for every payload: never from a generator the
// core seeds itself.
class CountingHost : public FakeHost {
 public:
  using FakeHost::FakeHost;
  void FillRandom(uint8_t* out, size_t size) override {
    bytes_ += size;
    FakeHost::FillRandom(out, size);
  }
  size_t bytes() const { return bytes_; }

 private:
  size_t bytes_ = 0;
};

TEST_F(WidgetTest, LocalDpNoiseDrawsFromTheGivenHost) {
  Survey survey = survey_;
  survey.privacy.local_dp_epsilon = 1.0;
  CountingHost host(1795390200000, 5);
  Widget w(survey, {"en", "s", 0}, &host);
  w.Start();
  const size_t before = host.bytes();
  ASSERT_TRUE(w.HandleEvent(Action("select", 9)).ok());  // a new stored payload: randomized again
  EXPECT_GT(host.bytes(), before);
  // Without noise a stored payload needs no randomness at all.
  CountingHost plain_host(1795390200000, 5);
  Widget plain(survey_, {"en", "s", 0}, &plain_host);
  plain.Start();
  const size_t plain_before = plain_host.bytes();
  ASSERT_TRUE(plain.HandleEvent(Action("select", 9)).ok());
  EXPECT_EQ(plain_host.bytes(), plain_before);
}

}  // namespace
}  // namespace nazar
