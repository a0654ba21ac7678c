// Survey definition parsing and validation (Contract 1): the fixture files under
// tests/fixtures/{valid,invalid} plus focused checks of defaults, parsed values and limits.
#include "nazar/definition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace nazar {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> ReadLines(const fs::path& path) {
  std::vector<std::string> lines;
  std::istringstream in(ReadFile(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Fixture files of one folder with the given extension, sorted by name.
std::vector<fs::path> Fixtures(const char* folder, const char* extension) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(NAZAR_FIXTURES_DIR) / folder)) {
    if (entry.path().extension() == extension) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Describe(const ParsedDefinitions& parsed) {
  std::string out;
  for (const DefinitionError& e : parsed.errors) out += "  " + e.ToString() + "\n";
  return out;
}

// True when `s` is well-formed UTF-8 (messages end up in JSON responses and the console).
bool IsValidUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

ParsedDefinitions Parse(const std::string& text) { return ParseDefinitions(text); }

// A minimal valid survey around the given question objects (JSON text).
std::string SurveyWith(const std::string& questions, const std::string& extra = "") {
  return R"({"nazar": 1, "id": "s", "version": "1", )" + extra + R"("questions": [)" + questions +
         "]}";
}

const Survey& Only(const ParsedDefinitions& parsed) {
  EXPECT_TRUE(parsed.ok()) << Describe(parsed);
  EXPECT_EQ(parsed.surveys.size(), 1u);
  static const Survey kEmpty;
  return parsed.surveys.empty() ? kEmpty : parsed.surveys[0];
}

TEST(DefinitionFixtures, ValidFilesParse) {
  const std::vector<fs::path> files = Fixtures("valid", ".json");
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const ParsedDefinitions parsed = ParseDefinitions(ReadFile(file));
    EXPECT_TRUE(parsed.ok()) << Describe(parsed);
    EXPECT_FALSE(parsed.surveys.empty());
  }
}

// Each invalid/NAME.json yields exactly the errors listed in NAME.expected, one per line.
TEST(DefinitionFixtures, InvalidFilesReportExactErrors) {
  const std::vector<fs::path> files = Fixtures("invalid", ".json");
  ASSERT_GE(files.size(), 45u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    fs::path expected_path = file;
    expected_path.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_path)) << expected_path;
    const std::vector<std::string> expected = ReadLines(expected_path);
    const ParsedDefinitions parsed = ParseDefinitions(ReadFile(file));
    EXPECT_FALSE(parsed.ok());
    EXPECT_TRUE(parsed.surveys.empty());
    std::vector<std::string> got;
    for (const DefinitionError& e : parsed.errors) got.push_back(e.ToString());
    for (const std::string& line : expected) {
      EXPECT_NE(std::find(got.begin(), got.end(), line), got.end())
          << "missing: " << line << "\ngot:\n"
          << Describe(parsed);
    }
    EXPECT_EQ(got.size(), expected.size()) << Describe(parsed);
  }
}

TEST(DefinitionFixtures, EveryExpectedFileHasAFixture) {
  for (const fs::path& file : Fixtures("invalid", ".expected")) {
    fs::path json = file;
    json.replace_extension(".json");
    EXPECT_TRUE(fs::exists(json)) << file;
  }
}

TEST(DefinitionParse, DesignExampleMessage) {
  const ParsedDefinitions parsed = Parse(SurveyWith(
      R"({"id": "nps", "type": "nps", "text": {"en": "Recommend us?"}},
         {"id": "why", "type": "text", "text": {"en": "Why?"}},
         {"id": "ease", "type": "ces", "scale": 6, "text": {"en": "It was easy."}})"));
  ASSERT_EQ(parsed.errors.size(), 1u) << Describe(parsed);
  EXPECT_EQ(parsed.errors[0].pointer, "/questions/2/scale");
  EXPECT_EQ(parsed.errors[0].message, "6 is not a valid CES scale (use 5 or 7)");
  EXPECT_EQ(parsed.errors[0].ToString(),
            "/questions/2/scale: 6 is not a valid CES scale (use 5 or 7)");
}

TEST(DefinitionParse, Defaults) {
  const ParsedDefinitions parsed = Parse(SurveyWith(
      R"({"id": "n", "type": "nps", "text": {"en": "a"}},
         {"id": "c", "type": "csat", "text": {"en": "b"}},
         {"id": "e", "type": "ces", "text": {"en": "c"}},
         {"id": "r", "type": "rating", "text": {"en": "d"}},
         {"id": "ch", "type": "choice", "text": {"en": "e"},
          "options": [{"id": "x", "text": {"en": "X"}}, {"id": "y", "text": {"en": "Y"}}]},
         {"id": "t", "type": "text", "text": {"en": "f"}})"));
  const Survey& s = Only(parsed);
  ASSERT_EQ(s.questions.size(), 6u);
  EXPECT_EQ(s.default_locale, "en");
  EXPECT_EQ(s.trigger.on, TriggerOn::kManual);
  EXPECT_EQ(s.trigger.delay_ms, 0);
  EXPECT_EQ(s.trigger.sample_rate, 1.0);
  EXPECT_EQ(s.trigger.max_displays, 1);
  EXPECT_EQ(s.appearance.position, "bottom-right");
  EXPECT_EQ(s.appearance.accent, "#0a7d5a");
  EXPECT_EQ(s.appearance.radius, 12);
  EXPECT_EQ(s.appearance.theme, "auto");
  EXPECT_EQ(s.privacy.comments, CommentsPolicy::kDrop);
  EXPECT_FALSE(s.privacy.local_dp_epsilon.has_value());
  EXPECT_FALSE(s.privacy.nps_full_histogram);
  EXPECT_TRUE(s.thank_you.empty());

  const Question& nps = s.questions[0];
  EXPECT_EQ(nps.scale, 11);
  EXPECT_EQ(nps.MinValue(), 0);
  EXPECT_EQ(nps.MaxValue(), 10);
  EXPECT_TRUE(nps.required);
  const Question& csat = s.questions[1];
  EXPECT_EQ(csat.scale, 5);
  EXPECT_EQ(csat.MinValue(), 1);
  EXPECT_EQ(csat.MaxValue(), 5);
  EXPECT_TRUE(csat.style.empty());
  EXPECT_TRUE(csat.satisfied.empty());
  EXPECT_EQ(s.questions[2].scale, 7);
  EXPECT_EQ(s.questions[3].scale, 5);
  const Question& choice = s.questions[4];
  EXPECT_FALSE(choice.IsScale());
  EXPECT_FALSE(choice.multiple);
  EXPECT_TRUE(choice.required);
  ASSERT_EQ(choice.options.size(), 2u);
  EXPECT_EQ(choice.options[1].id, "y");
  const Question& text = s.questions[5];
  EXPECT_FALSE(text.IsScale());
  EXPECT_FALSE(text.required);
  EXPECT_EQ(text.max_length, 500);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(s.questions[i].IsScale());
}

TEST(DefinitionParse, PostCheckoutValues) {
  const ParsedDefinitions parsed =
      ParseDefinitions(ReadFile(fs::path(NAZAR_FIXTURES_DIR) / "valid" / "post-checkout.json"));
  const Survey& s = Only(parsed);
  EXPECT_EQ(s.id, "post-checkout");
  EXPECT_EQ(s.version, "2026-11-01");
  EXPECT_EQ(s.trigger.on, TriggerOn::kEvent);
  EXPECT_EQ(s.trigger.event, "checkout_completed");
  EXPECT_EQ(s.trigger.delay_ms, 1500);
  EXPECT_DOUBLE_EQ(s.trigger.sample_rate, 0.25);
  EXPECT_EQ(s.trigger.recontact_days, 90);
  EXPECT_EQ(s.trigger.max_displays, 1);
  EXPECT_EQ(s.trigger.url.include, std::vector<std::string>{"/checkout/thank-you*"});
  EXPECT_TRUE(s.trigger.url.exclude.empty());
  ASSERT_EQ(s.questions.size(), 5u);

  const Question& nps = s.questions[0];
  EXPECT_EQ(nps.type, QuestionType::kNps);
  ASSERT_EQ(nps.text.values.size(), 2u);
  EXPECT_EQ(*nps.text.Find({"fa"}), "چقدر احتمال دارد ما را به دوستانتان پیشنهاد کنید؟");
  EXPECT_EQ(*nps.label_min.Find({"en"}), "Not at all likely");
  EXPECT_EQ(*nps.label_max.Find({"en"}), "Extremely likely");

  const Question& why = s.questions[1];
  ASSERT_TRUE(why.show_if.has_value());
  EXPECT_EQ(why.show_if->question, "nps");
  EXPECT_FALSE(why.show_if->min.has_value());
  EXPECT_EQ(why.show_if->max, 6);
  EXPECT_TRUE(why.show_if->any_of.empty());
  EXPECT_EQ(why.max_length, 500);

  EXPECT_EQ(s.questions[2].type, QuestionType::kCes);
  EXPECT_EQ(s.questions[2].scale, 7);
  EXPECT_EQ(s.questions[3].style, "emoji");
  const Question& channel = s.questions[4];
  ASSERT_EQ(channel.options.size(), 2u);
  EXPECT_EQ(channel.options[0].id, "web");
  EXPECT_EQ(*channel.options[1].text.Find({"en"}), "App");

  EXPECT_EQ(*s.thank_you.Find({"en"}), "Thank you!");
  EXPECT_EQ(s.appearance.radius, 12);
  EXPECT_EQ(s.privacy.comments, CommentsPolicy::kDrop);
  EXPECT_FALSE(s.privacy.local_dp_epsilon.has_value());
  EXPECT_EQ(s.Locales(), (std::vector<std::string>{"en", "fa"}));
}

TEST(DefinitionParse, ScaleOverridesAndPrivacy) {
  const ParsedDefinitions parsed =
      ParseDefinitions(ReadFile(fs::path(NAZAR_FIXTURES_DIR) / "valid" / "csat.json"));
  const Survey& s = Only(parsed);
  ASSERT_EQ(s.questions.size(), 4u);
  EXPECT_EQ(s.questions[1].scale, 7);
  EXPECT_EQ(s.questions[1].satisfied, (std::vector<int>{5, 6, 7}));
  EXPECT_EQ(s.questions[1].MaxValue(), 7);
  EXPECT_EQ(s.questions[2].scale, 2);
  EXPECT_FALSE(s.questions[2].required);
  EXPECT_EQ(s.questions[3].style, "stars");
  EXPECT_EQ(s.privacy.comments, CommentsPolicy::kDrop);
  EXPECT_EQ(s.privacy.local_dp_epsilon, 2.0);
  EXPECT_EQ(s.trigger.on, TriggerOn::kPageview);
  EXPECT_EQ(s.trigger.url.exclude, std::vector<std::string>{"/support/admin*"});
}

// Under scrubbed comments a text question may be gated only at NPS group edges (min 0, 7 or 9;
// max 6, 8 or 10), since its comments name it; under "drop" any gate is fine.
TEST(DefinitionParse, ScrubbedCommentGatesFollowNpsGroups) {
  // Hand-listed: the bounds that select whole groups (detractors 0-6, passives 7-8, promoters
  // 9-10, and their unions).
  const std::set<std::pair<int, int>> edges = {{0, 6}, {0, 8}, {0, 10}, {7, 8}, {7, 10}, {9, 10}};
  for (int min = 0; min <= 10; ++min) {
    for (int max = min; max <= 10; ++max) {
      const std::string questions =
          R"({"id": "nps", "type": "nps", "text": {"en": "N?"}},
             {"id": "why", "type": "text", "text": {"en": "Why?"},
              "show_if": {"question": "nps", "min": )" +
          std::to_string(min) + R"(, "max": )" + std::to_string(max) + "}}";
      const ParsedDefinitions scrubbed =
          Parse(SurveyWith(questions, R"("privacy": {"comments": "scrubbed"}, )"));
      const bool allowed = edges.count({min, max}) > 0;
      EXPECT_EQ(scrubbed.ok(), allowed) << min << ".." << max << ": " << Describe(scrubbed);
      if (!allowed && !scrubbed.ok()) {
        EXPECT_EQ(scrubbed.errors[0].pointer, "/questions/1/show_if");
      }
      EXPECT_TRUE(Parse(SurveyWith(questions)).ok()) << min << ".." << max;
    }
  }
  const std::string by_choice =
      R"({"id": "c", "type": "choice", "text": {"en": "C?"},
          "options": [{"id": "a", "text": {"en": "A"}}, {"id": "b", "text": {"en": "B"}}]},
         {"id": "why", "type": "text", "text": {"en": "Why?"},
          "show_if": {"question": "c", "any_of": ["a"]}})";
  EXPECT_FALSE(Parse(SurveyWith(by_choice, R"("privacy": {"comments": "scrubbed"}, )")).ok());
  EXPECT_TRUE(Parse(SurveyWith(by_choice)).ok());
}

// A repeated survey id names the list index of its first use, counted in the file: surveys
// before it that are not kept (not an object, no valid id) still count.
TEST(DefinitionParse, DuplicateSurveyIdNamesItsFirstUseInTheFile) {
  const std::string survey =
      R"({"id":"a","version":"1","questions":[{"id":"q","type":"nps","text":{"en":"?"}}]})";
  const ParsedDefinitions parsed =
      ParseDefinitions(R"({"nazar":1,"surveys":[7,{"id":"Bad!","version":"1","questions":[]},)" +
                       survey + "," + survey + "," + survey + "]}");
  std::vector<std::string> duplicates;
  for (const DefinitionError& e : parsed.errors) {
    if (e.message.find("duplicate survey id") != std::string::npos)
      duplicates.push_back(e.ToString());
  }
  EXPECT_EQ(duplicates,
            (std::vector<std::string>{
                R"(/surveys/3/id: duplicate survey id "a" (also used by /surveys/2))",
                R"(/surveys/4/id: duplicate survey id "a" (also used by /surveys/2))"}));
}

TEST(DefinitionParse, ListFileHasEveryTriggerKind) {
  const ParsedDefinitions parsed =
      ParseDefinitions(ReadFile(fs::path(NAZAR_FIXTURES_DIR) / "valid" / "list.json"));
  ASSERT_TRUE(parsed.ok()) << Describe(parsed);
  ASSERT_EQ(parsed.surveys.size(), 6u);
  const TriggerOn kinds[] = {TriggerOn::kEvent,  TriggerOn::kPageview, TriggerOn::kExitIntent,
                             TriggerOn::kScroll, TriggerOn::kDwell,    TriggerOn::kManual};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(parsed.surveys[i].trigger.on, kinds[i]);
    EXPECT_EQ(parsed.surveys[i].id,
              std::string("on-") + (i == 2 ? "exit" : TriggerOnName(kinds[i])));
  }
  EXPECT_EQ(parsed.surveys[0].trigger.event, "signup_done");
  EXPECT_DOUBLE_EQ(parsed.surveys[2].trigger.sample_rate, 0.1);
  EXPECT_EQ(parsed.surveys[3].trigger.scroll_percent, 50);
  EXPECT_EQ(parsed.surveys[4].trigger.dwell_seconds, 120);
}

TEST(DefinitionParse, ChoiceShowIf) {
  const ParsedDefinitions parsed =
      ParseDefinitions(ReadFile(fs::path(NAZAR_FIXTURES_DIR) / "valid" / "choice.json"));
  const Survey& s = Only(parsed);
  ASSERT_EQ(s.questions.size(), 2u);
  EXPECT_TRUE(s.questions[1].multiple);
  EXPECT_FALSE(s.questions[1].required);
  ASSERT_TRUE(s.questions[1].show_if.has_value());
  EXPECT_EQ(s.questions[1].show_if->question, "source");
  EXPECT_EQ(s.questions[1].show_if->any_of, std::vector<std::string>{"social"});
  EXPECT_EQ(s.trigger.dwell_seconds, 45);
}

TEST(DefinitionParse, PersianDefaultLocale) {
  const ParsedDefinitions parsed =
      ParseDefinitions(ReadFile(fs::path(NAZAR_FIXTURES_DIR) / "valid" / "fa.json"));
  const Survey& s = Only(parsed);
  EXPECT_EQ(s.default_locale, "fa");
  EXPECT_EQ(s.Locales(), (std::vector<std::string>{"fa", "en"}));
  // No English text for the follow-up: a chain ending in the default locale still finds one.
  EXPECT_EQ(s.questions[1].text.Find({"en"}), nullptr);
  const std::string* why = s.questions[1].text.Find({"en", "fa"});
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(*why, "مهم‌ترین دلیل امتیازی که دادید چیست؟");
}

TEST(DefinitionParse, LocalizedTextFindFollowsChainIgnoringCase) {
  LocalizedText text;
  text.values = {{"en", "Hello"}, {"fa-IR", "سلام"}};
  EXPECT_EQ(*text.Find({"fa-ir", "en"}), "سلام");
  EXPECT_EQ(*text.Find({"de", "EN"}), "Hello");
  EXPECT_EQ(text.Find({"de"}), nullptr);
  EXPECT_EQ(text.Find({}), nullptr);
}

TEST(DefinitionParse, NamesAndLookups) {
  EXPECT_STREQ(QuestionTypeName(QuestionType::kNps), "nps");
  EXPECT_STREQ(QuestionTypeName(QuestionType::kRating), "rating");
  EXPECT_STREQ(QuestionTypeName(QuestionType::kText), "text");
  EXPECT_STREQ(TriggerOnName(TriggerOn::kExitIntent), "exit_intent");
  EXPECT_STREQ(TriggerOnName(TriggerOn::kManual), "manual");
  const ParsedDefinitions parsed =
      ParseDefinitions(ReadFile(fs::path(NAZAR_FIXTURES_DIR) / "valid" / "post-checkout.json"));
  const Survey& s = Only(parsed);
  EXPECT_EQ(s.QuestionIndex("ease"), 2);
  EXPECT_EQ(s.QuestionIndex("nope"), -1);
  ASSERT_NE(s.FindQuestion("sat"), nullptr);
  EXPECT_EQ(s.FindQuestion("sat")->type, QuestionType::kCsat);
  EXPECT_EQ(s.FindQuestion("nope"), nullptr);
}

TEST(DefinitionErrors, ToStringForms) {
  EXPECT_EQ((DefinitionError{"/id", "bad"}).ToString(), "/id: bad");
  EXPECT_EQ((DefinitionError{"", "invalid JSON"}).ToString(), "invalid JSON");
}

TEST(DefinitionErrors, PointersEscapeTildeAndSlash) {
  const ParsedDefinitions parsed =
      Parse(SurveyWith(R"({"id": "a", "type": "nps", "text": {"en": "x", "a/b~c": "y"}})"));
  ASSERT_EQ(parsed.errors.size(), 1u) << Describe(parsed);
  EXPECT_EQ(parsed.errors[0].pointer, "/questions/0/text/a~1b~0c");
}

TEST(DefinitionErrors, ListPointersAreRootedAtTheFile) {
  const ParsedDefinitions parsed =
      Parse(R"({"nazar": 1, "surveys": [)" +
            SurveyWith(R"({"id": "a", "type": "nps", "text": {"en": "x"}})") + "," +
            SurveyWith(R"({"id": "a", "type": "poll", "text": {"en": "x"}})") + "]}");
  ASSERT_EQ(parsed.errors.size(), 2u) << Describe(parsed);
  EXPECT_EQ(parsed.errors[0].pointer, "/surveys/1/id");
  EXPECT_EQ(parsed.errors[1].pointer, "/surveys/1/questions/0/type");
}

TEST(DefinitionErrors, InDocumentOrder) {
  const ParsedDefinitions parsed = Parse(R"({
    "questions": [{"type": "nps", "id": "A", "text": {"en": ""}}],
    "version": "",
    "nazar": 2,
    "id": "s"
  })");
  std::vector<std::string> pointers;
  for (const DefinitionError& e : parsed.errors) pointers.push_back(e.pointer);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/questions/0/id", "/questions/0/text/en",
                                                "/version", "/nazar"}))
      << Describe(parsed);
}

TEST(DefinitionErrors, CappedAtOneHundredPlusSummary) {
  std::string questions;
  for (int i = 0; i < 50; ++i) {
    // Four errors each: id, type, text and an unknown key.
    questions += std::string(i ? "," : "") + R"({"id": "Q", "type": "x", "text": 1, "k": 0})";
  }
  const ParsedDefinitions parsed = Parse(SurveyWith(questions));
  ASSERT_EQ(parsed.errors.size(), 101u);
  EXPECT_EQ(parsed.errors.back().pointer, "");
  EXPECT_EQ(parsed.errors.back().message, "... and 100 more errors");
  EXPECT_TRUE(parsed.surveys.empty());
}

TEST(DefinitionErrors, SyntaxErrorHasLineAndColumn) {
  const ParsedDefinitions parsed = Parse("{\n  \"nazar\": 1,\n  \"id\": \"x\",\n}");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].pointer, "");
  EXPECT_EQ(parsed.errors[0].message, "invalid JSON at line 4, column 1: unexpected '}'");
}

TEST(DefinitionErrors, DeepNestingIsRejectedWithoutRecursion) {
  for (const std::string& open : {std::string("["), std::string("{\"a\":")}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += open;
    const ParsedDefinitions parsed = Parse(text);
    ASSERT_EQ(parsed.errors.size(), 1u);
    EXPECT_EQ(parsed.errors[0].message.rfind("JSON nested deeper than 64 levels at line 1", 0), 0u)
        << parsed.errors[0].message;
  }
  // Brackets inside strings do not count.
  const ParsedDefinitions parsed = Parse(SurveyWith(
      R"({"id": "a", "type": "nps", "text": {"en": ")" + std::string(100, '[') + R"("}})"));
  EXPECT_TRUE(parsed.ok()) << Describe(parsed);
}

TEST(DefinitionErrors, MessagesAreValidUtf8ForHostileInput) {
  const std::string inputs[] = {
      "{\"id\": \"\xff\xfe\"}",
      "\xef\xbb\xbf{\"nazar\": 1 \xc3",
      std::string("{\"nazar\"\0: 1}", 13),
      "{\"nazar\": 1, \"surveys\": [{\"id\": \"\xd9\x86\xd8\xb8\xd8\xb1\"}]}",
      "[\"\\ud800\"]",
      "{\"\xd9\x86\": 1}",
      "-",
      "1e999",
      "{\"nazar\": 1e999}",
  };
  for (const std::string& input : inputs) {
    const ParsedDefinitions parsed = Parse(input);
    EXPECT_FALSE(parsed.ok());
    for (const DefinitionError& e : parsed.errors) {
      EXPECT_TRUE(IsValidUtf8(e.ToString())) << e.ToString();
      EXPECT_TRUE(e.pointer.empty() || e.pointer[0] == '/') << e.pointer;
    }
  }
}

TEST(DefinitionErrors, LongValuesAreShortenedInMessages) {
  const std::string id(1000, 'x');
  const ParsedDefinitions parsed =
      Parse(R"({"nazar": 1, "id": ")" + id + R"(", "version": "1", "questions": [)" +
            R"({"id": "a", "type": "nps", "text": {"en": "x"}}]})");
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_LT(parsed.errors[0].message.size(), 200u);
  EXPECT_NE(parsed.errors[0].message.find("...\" is not a valid id"), std::string::npos);
}

}  // namespace
}  // namespace nazar

namespace nazar {
namespace {

// The one adapter from a definition file to a survey: by id, the only one, or a clear error.
TEST(PickSurvey, ByIdOnlyOneOrClearError) {
  const std::string one = R"({"nazar":1,"id":"solo","version":"1","questions":[
    {"id":"nps","type":"nps","text":{"en":"Recommend us?"}}]})";
  const std::string two = R"({"nazar":1,"surveys":[
    {"nazar":1,"id":"a","version":"1","questions":[{"id":"q","type":"nps","text":{"en":"A?"}}]},
    {"nazar":1,"id":"b","version":"2","questions":[{"id":"q","type":"nps","text":{"en":"B?"}}]}]})";

  Result<Survey> only = PickSurvey(Json(one), "", "/definition");
  ASSERT_TRUE(only.ok()) << only.status().message();
  EXPECT_EQ(only->id, "solo");

  Result<Survey> b = PickSurvey(ParseJson(two.data(), two.data() + two.size()), "b", "/definition");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->version, "2");

  Result<Survey> unnamed = PickSurvey(Json(two), "", "config/definition");
  EXPECT_EQ(unnamed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unnamed.status().message(),
            "config/definition: the file holds 2 surveys (a, b); name one");

  Result<Survey> missing = PickSurvey(Json(two), "c", "/definition");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "/definition: no survey \"c\" (the file has a, b)");

  Result<Survey> invalid = PickSurvey(Json(R"({"nazar":1,"id":"x","version":"1","questions":[
    {"id":"q","type":"ces","scale":6,"text":{"en":"Easy?"},"required":1}]})"), "", "/definition");
  EXPECT_EQ(invalid.status().code(), StatusCode::kInvalidDefinition);
  EXPECT_EQ(invalid.status().message(),
            "/definition/questions/0/scale: 6 is not a valid CES scale (use 5 or 7) (and 1 more)");
  EXPECT_EQ(PickSurvey(Json(3), "", "/survey").status().message(),
            "/survey: expected the definition file's text or object");
}

}  // namespace
}  // namespace nazar
