// Survey definitions (Contract 1 in DESIGN.md): the in-memory model and the parser/validator.
// Parsing collects every error, each as a JSON pointer plus a message telling how to fix it.
#ifndef NAZAR_DEFINITION_H_
#define NAZAR_DEFINITION_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nazar/i18n.h"
#include "nazar/json.h"
#include "nazar/result.h"

namespace nazar {

// Text in several locales, in definition order: {"en": "...", "fa": "..."}.
struct LocalizedText {
  std::vector<std::pair<std::string, std::string>> values;  // (locale tag, text)

  bool empty() const { return values.empty(); }
  // The text for the first locale of `chain` that has one, else nullptr.
  const std::string* Find(const std::vector<std::string>& chain) const;
};

enum class QuestionType { kNps, kCsat, kCes, kRating, kChoice, kText };

// "nps", "csat", ... as written in definitions and payloads.
const char* QuestionTypeName(QuestionType type);

// Whether `scale` points are valid for a scale question of `type` (Contract 1): csat 2, 3, 4,
// 5, 7 or 10; ces 5 or 7; rating 3-10; nps only 11 (its 0-10 answers). The one rule for
// definitions and payloads.
bool IsValidScale(QuestionType type, int scale);
// "use 2, 3, 4, 5, 7 or 10" and the like: how to fix an invalid scale of `type`.
const char* ValidScalesHint(QuestionType type);

// Options per choice question: 2 to kMaxChoiceOptions, in definitions and payloads alike.
inline constexpr int kMaxChoiceOptions = 20;

// NPS groups (METRICS.md): 0-6 detractor, 7-8 passive, 9-10 promoter.
enum class NpsGroup { kDetractor = 0, kPassive = 1, kPromoter = 2 };
NpsGroup NpsGroupOf(int answer);
// "detractor", "passive" or "promoter".
const char* NpsGroupName(NpsGroup group);

struct ChoiceOption {
  std::string id;
  LocalizedText text;
};

// Show a question only when an earlier answer matches. For scale questions min/max bound the
// answered value (inclusive); for choice questions `any_of` lists option ids. A question whose
// condition refers to an unanswered question is not shown.
struct ShowIf {
  std::string question;
  std::optional<int> min;
  std::optional<int> max;
  std::vector<std::string> any_of;
};

struct Question {
  std::string id;
  QuestionType type = QuestionType::kNps;
  LocalizedText text;
  LocalizedText label_min;  // scale end labels ("Not at all likely")
  LocalizedText label_max;
  // nps: 11 points 0..10. csat: 2,3,4,5,7,10. ces: 5,7. rating: 3..10. Values start at 1 except
  // NPS.
  int scale = 0;
  // csat: "numbers" | "emoji" | "stars"; rating: "stars" | "numbers". Empty means the default.
  std::string style;
  std::vector<int> satisfied;  // csat: satisfied answers; empty means the default for the scale
  bool multiple = false;       // choice
  std::vector<ChoiceOption> options;  // choice
  // choice: the last option (id kOtherOptionId) is the definition's "other", which takes free
  // text (Answer::text). That text is a comment, sent apart like a text question's (Contract 3).
  bool other = false;
  // Scales and single choice ("auto_advance": true): a pointer selection moves on to the next
  // question. Never on keyboard selection (arrows move through the options), never the last.
  bool auto_advance = false;
  int max_length = 0;    // text: maximum length in characters (code points), 1..5000
  bool required = true;  // default: true for scale/choice questions, false for text
  std::optional<ShowIf> show_if;

  // Lowest and highest answer value for scale questions (0/10 for NPS, 1/scale otherwise).
  int MinValue() const;
  int MaxValue() const;
  // True for nps, csat, ces and rating.
  bool IsScale() const;
  // True for text questions and choice questions with "other": their text may be a comment.
  bool TakesText() const { return type == QuestionType::kText || other; }
};

// The id of a choice question's "other" option, and the most characters its text keeps.
inline constexpr const char* kOtherOptionId = "other";
inline constexpr int kOtherMaxLength = 200;

enum class TriggerOn { kEvent, kPageview, kExitIntent, kScroll, kDwell, kManual };
const char* TriggerOnName(TriggerOn on);

struct UrlRules {
  std::vector<std::string> include;  // glob patterns over the URL path; '*' matches any run
  std::vector<std::string> exclude;
};

struct Trigger {
  TriggerOn on = TriggerOn::kManual;
  std::string event;        // on = event
  int delay_ms = 0;         // wait before showing, 0..600000
  double sample_rate = 1;   // share of eligible visitors who see it, (0, 1]
  int recontact_days = 0;   // days to wait after any display of this survey, 0..3650
  int max_displays = 1;     // displays per visitor, 0 = unlimited
  int scroll_percent = 0;   // on = scroll, 1..100
  int dwell_seconds = 0;    // on = dwell, 1..86400
  UrlRules url;
};

struct Appearance {
  std::string position = "bottom-right";  // bottom-right | bottom-left | bottom | center
  std::string accent = "#0a7d5a";         // #rgb or #rrggbb
  int radius = 12;                        // px, 0..32
  std::string theme = "auto";             // auto | light | dark
};

enum class CommentsPolicy { kDrop, kScrubbed };

struct Privacy {
  CommentsPolicy comments = CommentsPolicy::kDrop;
  std::optional<double> local_dp_epsilon;  // (0, 10]; null means off
  bool nps_full_histogram = false;         // with local DP: randomize 0-10 instead of the 3 groups
};

struct Survey {
  std::string id;
  std::string version;
  std::string default_locale = "en";
  Trigger trigger;
  std::vector<Question> questions;
  LocalizedText thank_you;
  // "strings": the widget's UI strings by locale, for languages beyond the built-in ones (i18n.h).
  std::vector<UiStringTable> strings;
  Appearance appearance;
  Privacy privacy;

  const Question* FindQuestion(std::string_view id) const;
  int QuestionIndex(std::string_view id) const;  // -1 when absent
  // Every locale tag that appears in the survey's texts, default locale first, then the locales
  // of its "strings" (a survey may keep English texts and add only Italian UI strings).
  std::vector<std::string> Locales() const;
};

struct DefinitionError {
  std::string pointer;  // JSON pointer, e.g. "/questions/2/scale"; "" for the document itself
  std::string message;  // e.g. "6 is not a valid CES scale (use 5 or 7)"
  // "pointer: message", the form the CLI prints.
  std::string ToString() const;
};

struct ParsedDefinitions {
  std::vector<Survey> surveys;          // empty when there are errors
  std::vector<DefinitionError> errors;  // every error found, in document order
  bool ok() const { return errors.empty(); }
};

// True for a locale tag as definitions and payloads write it: a 2-3 letter language, then
// subtags of 1-8 ASCII letters or digits, at most 35 characters ("fa", "fa-IR", "zh-Hant-TW").
bool IsLocaleTag(std::string_view s);

// True for ids of surveys, questions and options: [a-z0-9][a-z0-9_-]{0,63}. The one rule for
// ids, wherever they arrive (definitions, payloads).
bool IsSlug(std::string_view s);

// Parses a definition file: one survey object or {"nazar":1,"surveys":[...]}. Pointers in a
// list file are rooted at the file ("/surveys/0/questions/1/type"). Syntax errors report the
// line and column. Never throws, never aborts on any input.
ParsedDefinitions ParseDefinitions(std::string_view json_text);

// The one adapter between a definition as callers receive it and the surveys they want.
// `where` names the definition in messages: a JSON pointer ("/definition", "/survey") or a file
// name. Errors: kInvalidDefinition with the first validation error under `where`
// ("/definition/questions/2/scale: 6 is not a valid CES scale (use 5 or 7) (and 3 more)"),
// kInvalidArgument when `value` is neither the file's text nor its object.
Result<ParsedDefinitions> ParseDefinitionValue(const Json& value, std::string_view where);
// The survey `id` of a definition (text or object, as above), or its only survey when `id` is
// empty: kNotFound for an unknown id, kInvalidArgument when several surveys and no id.
Result<Survey> PickSurvey(const Json& value, std::string_view id, std::string_view where);

}  // namespace nazar

#endif  // NAZAR_DEFINITION_H_
