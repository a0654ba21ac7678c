// Survey definitions (Contract 1): parsing and validation. A Validator walks the parsed JSON with
// a JSON-pointer stack and records every problem with a message saying how to fix it. The core
// builds with -fno-exceptions -DJSON_NOEXCEPTION, so only nlohmann calls that cannot throw are
// used: ParseJson (json.h; it also reports syntax errors and document order), find, is_* checks
// before get.
#include "nazar/definition.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>

#include "json_writer.h"
#include "nazar/json.h"
#include "nazar/privacy.h"

namespace nazar {
namespace {

constexpr size_t kMaxErrors = 100;    // later errors are only counted ("... and N more")
constexpr size_t kMaxQuestions = 50;  // per survey
constexpr size_t kMaxOptions = kMaxChoiceOptions;
constexpr size_t kMaxQuoted = 64;     // code points of user text quoted in a message
constexpr size_t kNpos = std::string::npos;

// A fixed list of names (enum values or allowed keys); one table serves parsing and messages.
struct Names {
  template <size_t N>
  Names(const char* const (&names)[N]) : list(names), size(N) {}  // NOLINT: implicit by design

  int Find(std::string_view name) const {
    for (size_t i = 0; i < size; ++i) {
      if (name == list[i]) return static_cast<int>(i);
    }
    return -1;
  }
  // "a, b, c" with last_sep ", " or "a, b or c" with " or ", keeping the entries in `mask`.
  std::string Join(const char* last_sep, uint32_t mask = ~0u) const {
    std::string out;
    size_t left = 0;
    for (size_t i = 0; i < size; ++i) left += (mask >> i) & 1;
    for (size_t i = 0; i < size; ++i) {
      if (!((mask >> i) & 1)) continue;
      out += list[i];
      --left;
      if (left > 0) out += left == 1 ? last_sep : ", ";
    }
    return out;
  }

  const char* const* list;
  size_t size;
};

const char* const kQuestionTypes[] = {"nps", "csat", "ces", "rating", "choice", "text"};
const char* const kTriggers[] = {"event", "pageview", "exit_intent", "scroll", "dwell", "manual"};
const char* const kPositions[] = {"bottom-right", "bottom-left", "bottom", "center"};
const char* const kThemes[] = {"auto", "light", "dark"};
const char* const kCommentPolicies[] = {"drop", "scrubbed"};
const char* const kCsatStyles[] = {"numbers", "emoji", "stars"};
const char* const kRatingStyles[] = {"stars", "numbers"};

// Allowed keys of each object, in the order DESIGN.md writes them.
const char* const kListKeys[] = {"nazar", "surveys"};
const char* const kSurveyKeys[] = {"nazar",   "id",        "version",   "default_locale",
                                   "trigger", "questions", "thank_you", "appearance",
                                   "privacy", "strings"};
const char* const kTriggerKeys[] = {"on",          "event",          "delay_ms",
                                    "sample_rate", "recontact_days", "max_displays",
                                    "url",         "percent",        "seconds"};
const char* const kUrlKeys[] = {"include", "exclude"};
const char* const kQuestionKeys[] = {"id",       "type",  "text",       "required",    "show_if",
                                     "labels",   "scale", "style",      "satisfied",   "options",
                                     "multiple", "other", "max_length", "auto_advance"};
const char* const kLabelKeys[] = {"min", "max"};
const char* const kOptionKeys[] = {"id", "text"};
const char* const kShowIfKeys[] = {"question", "min", "max", "any_of"};
const char* const kThankYouKeys[] = {"text"};
const char* const kAppearanceKeys[] = {"position", "accent", "radius", "theme"};
const char* const kPrivacyKeys[] = {"comments", "local_dp_epsilon", "nps_full_histogram"};

// Keys every question takes, then the keys each QuestionType adds (in enum order). Named, not
// numbered, so reordering kQuestionKeys cannot change what a type accepts.
const char* const kCommonQuestionKeys[] = {"id", "type", "text", "required", "show_if"};
const char* const kTypeQuestionKeys[][5] = {
    {"labels", "auto_advance"},                                 // nps
    {"labels", "scale", "style", "satisfied", "auto_advance"},  // csat
    {"labels", "scale", "auto_advance"},                        // ces
    {"labels", "scale", "style", "auto_advance"},               // rating
    {"options", "multiple", "other", "auto_advance"},           // choice
    {"max_length"},                                             // text
};

// Bit i allows kQuestionKeys[i] for questions of `type`.
uint32_t QuestionKeyMask(int type) {
  const Names keys = kQuestionKeys;
  uint32_t mask = 0;
  for (const char* key : kCommonQuestionKeys) mask |= 1u << keys.Find(key);
  for (const char* key : kTypeQuestionKeys[type]) {
    if (key != nullptr) mask |= 1u << keys.Find(key);
  }
  return mask;
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return IsLower(c) || (c >= 'A' && c <= 'Z'); }
bool IsHex(char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsColor(std::string_view s) {
  return (s.size() == 4 || s.size() == 7) && s[0] == '#' &&
         std::all_of(s.begin() + 1, s.end(), IsHex);
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// `s` with invalid UTF-8 bytes replaced by U+FFFD, so messages can always be serialized.
std::string ValidUtf8(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = b < 0x80                ? 1
               : b >= 0xC2 && b < 0xE0 ? 2
               : b >= 0xE0 && b < 0xF0 ? 3
               : b >= 0xF0 && b < 0xF5 ? 4
                                       : 0;
    for (size_t k = 1; k < n; ++k) {
      if (i + k >= s.size() || (s[i + k] & 0xC0) != 0x80) n = 0;
    }
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s, i, n);
      i += n;
    }
  }
  return out;
}

// `s` as a JSON string literal for messages, cut to kMaxQuoted code points.
std::string Quote(std::string_view s) {
  size_t end = 0;
  for (size_t points = 0; end < s.size(); ++end) {
    if ((s[end] & 0xC0) != 0x80 && ++points > kMaxQuoted) break;
  }
  std::string out;
  JsonWriter::AppendString(&out, s.substr(0, end));
  if (end < s.size()) out.insert(out.size() - 1, "...");
  return out;
}

std::string NumberText(const Json& v) {
  if (v.is_number_float() && !std::isfinite(v.get<double>())) return "a number out of range";
  return JsonText(v);
}

// "line L, column C" of byte `index` in `text`; columns count code points from 1.
std::string LineColumn(std::string_view text, size_t index) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < index && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((text[i] & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// "invalid JSON at line 3, column 14: unexpected '}'" for what the parser said about `text`.
std::string SyntaxError(std::string_view text, const JsonSyntaxError& e) {
  // e.what: "[json.exception.parse_error.101] parse error at line 1, column 8: syntax error
  // while parsing object key - unexpected '}'; expected string literal". Keep the part after
  // " - " up to ';': the parser's expectation and "last read" text rarely help (the latter
  // can hold far more than the bad token).
  std::string reason = "syntax error";
  size_t at = e.what.find("syntax error");
  at = at == kNpos ? kNpos : e.what.find(" - ", at);
  if (at != kNpos) reason = e.what.substr(at + 3, e.what.find(';', at) - at - 3);
  if (reason == "invalid literal") {
    reason += " (use true, false, null, a number or a \"quoted string\"; JSON has no comments)";
  }
  // position counts the bytes read up to the bad character, or past the end of an unexpected
  // string or number token: point at the token's start then.
  size_t index = e.position > 0 ? e.position - 1 : 0;
  if (reason == "unexpected string literal" || reason == "unexpected number literal") {
    index = e.position - std::min(e.position, e.token_size);
  }
  return "invalid JSON at " + LineColumn(text, index) + ": " + ValidUtf8(reason);
}

// Walks a parsed definition file, filling Surveys and collecting errors at JSON pointers.
class Validator {
 public:
  std::vector<DefinitionError> errors;  // the first kMaxErrors errors
  size_t dropped = 0;                   // errors past kMaxErrors

  void ParseFile(const Json& doc, std::vector<Survey>* surveys);

 private:
  // Extends the current pointer by one token for its lifetime.
  class Scope {
   public:
    Scope(Validator* v, std::string_view key) : v_(v), size_(v->path_.size()) {
      json_internal::AppendPointerToken(&v->path_, key);
    }
    Scope(Validator* v, size_t index) : v_(v), size_(v->path_.size()) {
      v->path_ += '/';
      v->path_ += std::to_string(index);
    }
    ~Scope() { v_->path_.resize(size_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Validator* v_;
    size_t size_;
  };

  // Records the message `make()` builds at the current pointer. Called only for an error and
  // kept out of line, so the code that builds messages, and their text, stay off the path of a
  // valid definition: the widget's first part (web/split.mjs) carries that path alone.
  template <class Make>
  [[gnu::noinline]] void Error(Make make) {
    Add(make());
  }
  template <class Make>
  [[gnu::noinline]] void ErrorAt(std::string_view key, Make make) {
    std::string message = make();  // first: a message may name the pointer it is reported beside
    Scope scope(this, key);
    Add(std::move(message));
  }
  [[gnu::noinline]] void Add(std::string message) {
    if (errors.size() < kMaxErrors) {
      errors.push_back({path_, std::move(message)});
    } else {
      ++dropped;
    }
  }
  // `what()` names the expected type (a lambda, so its text stays with the error: Error).
  template <class What>
  bool Expect(bool ok, const Json& v, What what) {
    if (!ok) Error([&] { return std::string("expected ") + what() + ", got " + v.type_name(); });
    return ok;
  }
  // A BCP 47 tag (a key of texts or strings, the default locale), else an error here.
  bool LocaleTag(const std::string& tag) {
    if (IsLocaleTag(tag)) return true;
    Error([&] {
      return Quote(tag) +
             " is not a valid locale tag (use a BCP 47 tag such as \"en\", \"fa\" or \"pt-BR\")";
    });
    return false;
  }
  bool IsObject(const Json& v) {
    return Expect(v.is_object(), v, [] { return "an object"; });
  }
  bool IsArray(const Json& v) {
    return Expect(v.is_array(), v, [] { return "an array"; });
  }

  const Json* Member(const Json& obj, const char* key, bool required = false,
                     const char* why = "") {
    auto it = obj.find(key);
    if (it != obj.end()) return &*it;
    if (required) Error([&] { return "missing required key \"" + std::string(key) + "\"" + why; });
    return nullptr;
  }

  // Reports keys of `obj` that are not in `keys` restricted to `mask`. `type` names the
  // question type whose mask it is, for keys that exist but do not apply to that type.
  void CheckKeys(const Json& obj, Names keys, uint32_t mask = ~0u, const char* type = nullptr);

  bool AsInt(const Json& v, int* out);
  bool AsString(const Json& v, std::string* out);
  void Int(const Json& obj, const char* key, int lo, int hi, int* out);
  void Fraction(const Json& obj, const char* key, int hi, double* out);
  void Bool(const Json& obj, const char* key, bool* out);
  bool String(const Json& obj, const char* key, std::string* out, bool required, size_t max_length);
  bool Slug(const Json& obj, const char* key, std::string* out);
  int Enum(const Json& obj, const char* key, Names names, const char* what, bool required);
  void Text(const Json& obj, const char* key, LocalizedText* out, bool required);

  bool ParseSurvey(const Json& v, bool in_list, Survey* s);
  void ParseTrigger(const Json& v, Trigger* t);
  void ParsePaths(const Json& obj, const char* key, std::vector<std::string>* out);
  void ParseQuestion(const Json& v, const Json& all, size_t index, const Survey& s, Question* q);
  void ParseScaleFields(const Json& v, Question* q);
  void ParseOptions(const Json& v, Question* q);
  void ParseOther(const Json& v, Question* q);
  void ParseShowIf(const Json& v, const Json& all, size_t index, const Survey& s, const Question& q,
                   ShowIf* out);
  void ParseAppearance(const Json& v, Appearance* a);
  void ParsePrivacy(const Json& v, Privacy* p);
  void ParseStrings(const Json& v, std::vector<UiStringTable>* out);
  void CheckCommentGates(const Survey& s);

  std::string path_;            // JSON pointer of the value being checked
  std::string questions_path_;  // pointer of the current survey's "questions"
  std::string default_locale_;  // of the current survey; "" when invalid
};

void Validator::CheckKeys(const Json& obj, Names keys, uint32_t mask, const char* type) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& key = it.key();
    const int found = keys.Find(key);
    if (found >= 0 && ((mask >> found) & 1)) continue;
    Scope scope(this, key);
    if (found < 0 || type == nullptr) {
      Error([&] {
        return "unknown key " + Quote(key) + " (allowed: " + keys.Join(", ", mask) + ")";
      });
    } else if (key == "scale" && std::string_view(type) == "nps") {
      Error([] { return "NPS questions always use the 0-10 scale; remove \"scale\""; });
    } else {
      Error([&] {
        return "\"" + key + "\" does not apply to " + type +
               " questions (allowed: " + keys.Join(", ", mask) + ")";
      });
    }
  }
}

bool Validator::AsInt(const Json& v, int* out) {
  if (!Expect(v.is_number(), v, [] { return "an integer"; })) return false;
  const double d = v.get<double>();
  if (std::floor(d) != d) {
    Error([&] { return "expected an integer, got " + NumberText(v); });
    return false;
  }
  if (std::fabs(d) > 1e9) {
    Error([&] { return NumberText(v) + " is out of range"; });
    return false;
  }
  *out = static_cast<int>(d);
  return true;
}

bool Validator::AsString(const Json& v, std::string* out) {
  if (!Expect(v.is_string(), v, [] { return "a string"; })) return false;
  *out = v.get_ref<const std::string&>();
  return true;
}

void Validator::Int(const Json& obj, const char* key, int lo, int hi, int* out) {
  const Json* v = Member(obj, key);
  if (v == nullptr) return;
  Scope scope(this, key);
  int value = 0;
  if (!AsInt(*v, &value)) return;
  if (value < lo || value > hi) {
    Error([&] {
      return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
             std::to_string(value);
    });
    return;
  }
  *out = value;
}

// A number in (0, hi].
void Validator::Fraction(const Json& obj, const char* key, int hi, double* out) {
  const Json* v = Member(obj, key);
  if (v == nullptr) return;
  Scope scope(this, key);
  if (!Expect(v->is_number(), *v, [] { return "a number"; })) return;
  const double d = v->get<double>();
  if (!(d > 0 && d <= hi)) {
    Error([&] {
      return "must be greater than 0 and at most " + std::to_string(hi) + ", got " + NumberText(*v);
    });
    return;
  }
  *out = d;
}

void Validator::Bool(const Json& obj, const char* key, bool* out) {
  const Json* v = Member(obj, key);
  if (v == nullptr) return;
  Scope scope(this, key);
  if (Expect(v->is_boolean(), *v, [] { return "a boolean"; })) *out = v->get<bool>();
}

// A non-empty string of at most `max_length` code points (0: no limit).
bool Validator::String(const Json& obj, const char* key, std::string* out, bool required,
                       size_t max_length) {
  const Json* v = Member(obj, key, required);
  if (v == nullptr) return false;
  Scope scope(this, key);
  std::string s;
  if (!AsString(*v, &s)) return false;
  if (s.empty()) {
    Error([] { return "must not be empty"; });
    return false;
  }
  if (max_length > 0 && CodePoints(s) > max_length) {
    Error([&] { return "must be at most " + std::to_string(max_length) + " characters"; });
    return false;
  }
  *out = std::move(s);
  return true;
}

// A required id: [a-z0-9][a-z0-9_-]{0,63}.
bool Validator::Slug(const Json& obj, const char* key, std::string* out) {
  const Json* v = Member(obj, key, true);
  if (v == nullptr) return false;
  Scope scope(this, key);
  std::string s;
  if (!AsString(*v, &s)) return false;
  if (!IsSlug(s)) {
    Error([&] {
      return Quote(s) +
             " is not a valid id (use 1 to 64 lowercase letters, digits, '-' or '_', "
             "starting with a letter or digit)";
    });
    return false;
  }
  *out = std::move(s);
  return true;
}

// Index of the value in `names`, or -1 when absent or invalid.
int Validator::Enum(const Json& obj, const char* key, Names names, const char* what,
                    bool required) {
  const Json* v = Member(obj, key, required);
  if (v == nullptr) return -1;
  Scope scope(this, key);
  std::string s;
  if (!AsString(*v, &s)) return -1;
  const int found = names.Find(s);
  if (found < 0) {
    Error(
        [&] { return Quote(s) + " is not a valid " + what + " (use " + names.Join(" or ") + ")"; });
  }
  return found;
}

// {"en": "...", "fa": "..."}: valid locale tags, non-empty texts, the default locale present.
void Validator::Text(const Json& obj, const char* key, LocalizedText* out, bool required) {
  const Json* v = Member(obj, key, required);
  if (v == nullptr) return;
  Scope scope(this, key);
  if (!Expect(v->is_object(), *v,
              [] { return "an object of texts by locale such as {\"en\": \"...\"}"; })) {
    return;
  }
  bool has_default = false;
  for (auto it = v->begin(); it != v->end(); ++it) {
    const std::string& tag = it.key();
    Scope tag_scope(this, tag);
    if (!LocaleTag(tag)) continue;
    has_default = has_default || EqualsIgnoreCase(tag, default_locale_);
    std::string text;
    if (!AsString(*it, &text)) continue;
    if (text.empty()) {
      Error([] { return "must not be empty"; });
      continue;
    }
    out->values.emplace_back(tag, std::move(text));
  }
  if (!has_default && !default_locale_.empty()) {
    Error([&] {
      return "missing the default locale \"" + default_locale_ + "\" (add \"" + default_locale_ +
             "\": \"...\")";
    });
  }
}

void Validator::ParseFile(const Json& doc, std::vector<Survey>* surveys) {
  if (!doc.is_object()) {
    Error([&] {
      return std::string("expected a survey object or {\"nazar\": 1, \"surveys\": [...]}, got ") +
             doc.type_name();
    });
    return;
  }
  const Json* list = Member(doc, "surveys");
  if (list == nullptr) {
    surveys->emplace_back();
    ParseSurvey(doc, false, &surveys->back());
    return;
  }
  CheckKeys(doc, kListKeys);
  if (const Json* n = Member(doc, "nazar", true)) {
    Scope scope(this, "nazar");
    int version = 0;
    if (AsInt(*n, &version) && version != 1) {
      Error([&] { return "unsupported format version " + std::to_string(version) + " (use 1)"; });
    }
  }
  Scope scope(this, "surveys");
  if (!IsArray(*list)) return;
  if (list->empty()) Error([] { return "a survey list needs at least 1 survey"; });
  // Each kept survey's index in the list, for "also used by" (a few surveys: searched in order).
  std::vector<size_t> indexes;
  const size_t first = surveys->size();
  for (size_t i = 0; i < list->size(); ++i) {
    Scope item(this, i);
    Survey s;
    if (!ParseSurvey((*list)[i], true, &s) || s.id.empty()) continue;
    for (size_t k = first; k < surveys->size(); ++k) {
      if ((*surveys)[k].id != s.id) continue;
      ErrorAt("id", [&] {
        return "duplicate survey id " + Quote(s.id) + " (also used by /surveys/" +
               std::to_string(indexes[k - first]) + ")";
      });
      break;
    }
    surveys->push_back(std::move(s));
    indexes.push_back(i);
  }
}

// Returns false when `v` is not an object (nothing else is checked then).
bool Validator::ParseSurvey(const Json& v, bool in_list, Survey* s) {
  if (!IsObject(v)) return false;
  CheckKeys(v, kSurveyKeys);
  // Inside a list the file's "nazar" covers every survey; a survey may still repeat it.
  if (const Json* n = Member(v, "nazar", !in_list)) {
    Scope scope(this, "nazar");
    int version = 0;
    if (AsInt(*n, &version) && version != 1) {
      Error([&] { return "unsupported format version " + std::to_string(version) + " (use 1)"; });
    }
  }
  Slug(v, "id", &s->id);
  String(v, "version", &s->version, true, 64);
  default_locale_ = s->default_locale;
  if (const Json* loc = Member(v, "default_locale")) {
    Scope scope(this, "default_locale");
    default_locale_.clear();  // unknown: texts are not checked against it
    std::string tag;
    if (AsString(*loc, &tag)) {
      if (LocaleTag(tag)) s->default_locale = default_locale_ = tag;
    }
  }
  if (const Json* t = Member(v, "trigger")) {
    Scope scope(this, "trigger");
    ParseTrigger(*t, &s->trigger);
  }
  if (const Json* qs = Member(v, "questions", true)) {
    Scope scope(this, "questions");
    questions_path_ = path_;
    if (IsArray(*qs)) {
      if (qs->empty()) Error([] { return "a survey needs at least 1 question"; });
      if (qs->size() > kMaxQuestions) {
        Error([&] {
          return "a survey can have at most " + std::to_string(kMaxQuestions) + " questions, got " +
                 std::to_string(qs->size());
        });
      }
      for (size_t i = 0; i < qs->size() && i < kMaxQuestions; ++i) {
        Scope item(this, i);
        Question q;
        ParseQuestion((*qs)[i], *qs, i, *s, &q);
        s->questions.push_back(std::move(q));
      }
    }
  }
  if (const Json* t = Member(v, "thank_you")) {
    Scope scope(this, "thank_you");
    if (IsObject(*t)) {
      CheckKeys(*t, kThankYouKeys);
      Text(*t, "text", &s->thank_you, false);
    }
  }
  if (const Json* a = Member(v, "appearance")) {
    Scope scope(this, "appearance");
    ParseAppearance(*a, &s->appearance);
  }
  if (const Json* p = Member(v, "privacy")) {
    Scope scope(this, "privacy");
    ParsePrivacy(*p, &s->privacy);
  }
  if (const Json* t = Member(v, "strings")) {
    Scope scope(this, "strings");
    ParseStrings(*t, &s->strings);
  }
  if (s->privacy.comments == CommentsPolicy::kScrubbed) CheckCommentGates(*s);
  return true;
}

// {"it": {"next": "Avanti", "question_of": "Domanda {1} di {2}", ...}}: locale tags, known
// string names, non-empty texts of at most 200 characters with the placeholders English has.
void Validator::ParseStrings(const Json& v, std::vector<UiStringTable>* out) {
  if (!Expect(v.is_object(), v,
              [] { return "an object of UI strings by locale such as {\"it\": {...}}"; })) {
    return;
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& tag = it.key();
    Scope tag_scope(this, tag);
    if (!LocaleTag(tag)) continue;
    if (!IsObject(*it)) continue;
    CheckKeys(*it, kUiStringNames);
    UiStringTable table;
    table.locale = tag;
    for (int i = 0; i < kUiStringCount; ++i) {
      std::string text;
      if (!String(*it, kUiStringNames[i], &text, false, 200)) continue;
      // A bidi embedding, override or isolate would reorder the numbers and names the string
      // frames (its placeholders), and a survey text's closing (CloseBidi) cannot reach inside.
      for (size_t at = 0; at < text.size();) {
        uint32_t cp = 0;
        const size_t start = at;
        at += Utf8Decode(text, at, &cp);
        if (IsBidiControl(cp)) {
          std::string hex;
          for (int shift = 12; shift >= 0; shift -= 4) hex += "0123456789ABCDEF"[(cp >> shift) & 15];
          ErrorAt(kUiStringNames[i], [&] {
            return "has the bidi control U+" + hex + " at byte " + std::to_string(start) +
                   "; a UI string may not reorder what it frames";
          });
          break;
        }
      }
      const int wanted = UiPlaceholders(static_cast<UiString>(i));
      for (int n = 1; n <= 2; ++n) {
        const std::string placeholder = "{" + std::to_string(n) + "}";
        const bool needed = (wanted >> (n - 1)) & 1;
        if (needed == (text.find(placeholder) != kNpos)) continue;
        ErrorAt(kUiStringNames[i], [&] {
          return needed ? "missing the placeholder " + placeholder +
                              " (English: " + Quote(UiText(static_cast<UiString>(i), {"en"})) + ")"
                        : "has the placeholder " + placeholder + ", which this string never fills";
        });
      }
      table.texts[i] = std::move(text);
    }
    out->push_back(std::move(table));
  }
}

// Each scrubbed comment names its question and carries the NPS group (Contract 3), so the
// question whose text it is may be gated only on what the group already says: an NPS question,
// bounded at group edges. Gated on a CSAT or choice answer, or on NPS bounds inside a group, a
// comment's question id would tell the collector that answer. A choice's "other" text is such a
// comment too, and exists only when "other" was chosen: next to the NPS group it would tell the
// collector one respondent's choice and group together, which the totals never join.
void Validator::CheckCommentGates(const Survey& s) {
  Scope questions(this, "questions");
  const Question* nps = nullptr;
  for (const Question& q : s.questions) {
    if (q.type == QuestionType::kNps && nps == nullptr) nps = &q;
  }
  for (size_t i = 0; i < s.questions.size(); ++i) {
    const Question& q = s.questions[i];
    if (q.other && nps != nullptr) {
      Scope item(this, i);
      ErrorAt("other", [&] {
        return "with privacy.comments \"scrubbed\", an \"other\" text leaves as a comment with "
               "the NPS group of " +
               Quote(nps->id) +
               ", which would tell the collector that this respondent chose \"other\" and "
               "their group; use a text question for free text, or privacy.comments \"drop\"";
      });
    }
    if (!q.TakesText() || !q.show_if) continue;
    const Question* ref = s.FindQuestion(q.show_if->question);
    if (ref == nullptr || ref->type == QuestionType::kText) continue;  // reported already
    // Group edges come from NpsGroupOf, the one place the groups are drawn.
    const int min = q.show_if->min.value_or(0);
    const int max = q.show_if->max.value_or(10);
    const bool edges = (min == 0 || NpsGroupOf(min - 1) != NpsGroupOf(min)) &&
                       (max == 10 || NpsGroupOf(max) != NpsGroupOf(max + 1));
    if (ref->type == QuestionType::kNps && edges) continue;
    Scope item(this, i);
    ErrorAt("show_if", [&] {
      return "with privacy.comments \"scrubbed\", a question whose text leaves as a comment (a "
             "text question, or a choice with \"other\") can depend only on the NPS group (an NPS "
             "question with min 0, 7 or 9 and max 6, 8 or 10): its comments name "
             "it, so they would reveal the answer to " +
             Quote(ref->id) + " that showed it";
    });
  }
}

void Validator::ParseTrigger(const Json& v, Trigger* t) {
  if (!IsObject(v)) return;
  CheckKeys(v, kTriggerKeys);
  const int on = Enum(v, "on", kTriggers, "trigger", true);
  if (on >= 0) t->on = static_cast<TriggerOn>(on);
  // Keys that belong to one kind of trigger: required for it, an error for the others.
  struct Conditional {
    const char* key;
    TriggerOn on;
    const char* why;
  };
  static const Conditional kConditionals[] = {
      {"event", TriggerOn::kEvent, " (needed when \"on\" is \"event\")"},
      {"percent", TriggerOn::kScroll, " (needed when \"on\" is \"scroll\")"},
      {"seconds", TriggerOn::kDwell, " (needed when \"on\" is \"dwell\")"},
  };
  for (const Conditional& c : kConditionals) {
    if (on < 0) break;
    const bool present = v.contains(c.key);
    if (t->on == c.on && !present) Member(v, c.key, true, c.why);
    if (t->on != c.on && present) {
      ErrorAt(c.key, [&] {
        return "\"" + std::string(c.key) + "\" only applies when \"on\" is \"" +
               TriggerOnName(c.on) + "\" (remove it or change \"on\")";
      });
    }
  }
  String(v, "event", &t->event, false, 64);
  Int(v, "delay_ms", 0, 600000, &t->delay_ms);
  Fraction(v, "sample_rate", 1, &t->sample_rate);
  Int(v, "recontact_days", 0, 3650, &t->recontact_days);
  Int(v, "max_displays", 0, 1000, &t->max_displays);
  Int(v, "percent", 1, 100, &t->scroll_percent);
  Int(v, "seconds", 1, 86400, &t->dwell_seconds);
  if (const Json* url = Member(v, "url")) {
    Scope scope(this, "url");
    if (IsObject(*url)) {
      CheckKeys(*url, kUrlKeys);
      ParsePaths(*url, "include", &t->url.include);
      ParsePaths(*url, "exclude", &t->url.exclude);
    }
  }
}

// An array of URL path patterns, each starting with "/".
void Validator::ParsePaths(const Json& obj, const char* key, std::vector<std::string>* out) {
  const Json* v = Member(obj, key);
  if (v == nullptr) return;
  Scope scope(this, key);
  if (!IsArray(*v)) return;
  for (size_t i = 0; i < v->size(); ++i) {
    Scope item(this, i);
    std::string path;
    if (!AsString((*v)[i], &path)) continue;
    if (path.empty() || path[0] != '/') {
      Error([&] {
        return Quote(path) + " must start with \"/\" (a URL path pattern such as \"/checkout/*\")";
      });
      continue;
    }
    out->push_back(std::move(path));
  }
}

void Validator::ParseQuestion(const Json& v, const Json& all, size_t index, const Survey& s,
                              Question* q) {
  if (!IsObject(v)) return;
  if (Slug(v, "id", &q->id)) {
    const int earlier = s.QuestionIndex(q->id);
    if (earlier >= 0) {
      ErrorAt("id", [&] {
        return "duplicate question id " + Quote(q->id) + " (also used by " + questions_path_ + "/" +
               std::to_string(earlier) + ")";
      });
    }
  }
  const int type = Enum(v, "type", kQuestionTypes, "question type", true);
  if (type < 0) {
    CheckKeys(v, kQuestionKeys);  // every key of some type is fine until the type is known
  } else {
    q->type = static_cast<QuestionType>(type);
    CheckKeys(v, kQuestionKeys, QuestionKeyMask(type), kQuestionTypes[type]);
  }
  Text(v, "text", &q->text, true);
  q->required = q->type != QuestionType::kText;
  Bool(v, "required", &q->required);
  if (type >= 0) {
    if (q->IsScale()) {
      ParseScaleFields(v, q);
    } else if (q->type == QuestionType::kChoice) {
      ParseOptions(v, q);
      Bool(v, "multiple", &q->multiple);
      ParseOther(v, q);
    } else {
      q->max_length = 500;
      Int(v, "max_length", 1, 5000, &q->max_length);
    }
  }
  Bool(v, "auto_advance", &q->auto_advance);  // CheckKeys refused it on text questions
  if (q->auto_advance && q->multiple) {
    ErrorAt("auto_advance", [&] {
      return "a multiple choice question cannot move on at a tap (the respondent may pick "
             "several); remove auto_advance or \"multiple\"";
    });
  }
  if (const Json* cond = Member(v, "show_if")) {
    Scope scope(this, "show_if");
    ShowIf show_if;
    ParseShowIf(*cond, all, index, s, *q, &show_if);
    q->show_if = std::move(show_if);
  }
}

// labels, scale, style and satisfied of nps, csat, ces and rating questions.
void Validator::ParseScaleFields(const Json& v, Question* q) {
  if (const Json* labels = Member(v, "labels")) {
    Scope scope(this, "labels");
    if (IsObject(*labels)) {
      CheckKeys(*labels, kLabelKeys);
      Text(*labels, "min", &q->label_min, false);
      Text(*labels, "max", &q->label_max, false);
    }
  }
  switch (q->type) {
    case QuestionType::kNps:
      q->scale = 11;
      return;  // "scale" is rejected by CheckKeys
    case QuestionType::kCsat:
      q->scale = 5;
      break;
    case QuestionType::kCes:
      q->scale = 7;
      break;
    default:
      q->scale = 5;
      break;
  }
  bool scale_ok = true;
  if (const Json* scale = Member(v, "scale")) {
    Scope scope(this, "scale");
    int n = 0;
    scale_ok = AsInt(*scale, &n);
    if (scale_ok) {
      scale_ok = IsValidScale(q->type, n);
      if (!scale_ok) {
        static const char* const kLabels[] = {"NPS", "CSAT", "CES", "rating"};
        Error([&] {
          return std::to_string(n) + " is not a valid " + kLabels[static_cast<int>(q->type)] +
                 " scale (" + ValidScalesHint(q->type) + ")";
        });
      }
    }
    if (scale_ok) q->scale = n;
  }
  if (q->type == QuestionType::kCes) return;
  const bool csat = q->type == QuestionType::kCsat;
  const int style = Enum(v, "style", csat ? Names(kCsatStyles) : Names(kRatingStyles),
                         csat ? "CSAT style" : "rating style", false);
  if (style >= 0) {
    q->style = csat ? kCsatStyles[style] : kRatingStyles[style];
    // The widget has faces for 2 to 5 points only.
    if (q->style == "emoji" && scale_ok && q->scale > 5) {
      ErrorAt("style", [&] {
        return "emoji style needs a scale of 5 points or fewer (this question has " +
               std::to_string(q->scale) + "; use numbers or stars)";
      });
    }
  }
  const Json* satisfied = csat ? Member(v, "satisfied") : nullptr;
  if (satisfied == nullptr) return;
  Scope scope(this, "satisfied");
  if (!IsArray(*satisfied)) return;
  if (satisfied->empty()) {
    Error([] { return "must list at least 1 answer (or remove it for the default top-2-box)"; });
  }
  for (size_t i = 0; i < satisfied->size(); ++i) {
    Scope item(this, i);
    int value = 0;
    if (!AsInt((*satisfied)[i], &value)) continue;
    if (scale_ok && (value < 1 || value > q->scale)) {
      Error([&] {
        return std::to_string(value) + " is outside the scale (use 1 to " +
               std::to_string(q->scale) + ")";
      });
    } else if (std::find(q->satisfied.begin(), q->satisfied.end(), value) != q->satisfied.end()) {
      Error([&] { return "duplicate value " + std::to_string(value); });
    } else {
      q->satisfied.push_back(value);
    }
  }
}

void Validator::ParseOptions(const Json& v, Question* q) {
  const Json* options = Member(v, "options", true);
  if (options == nullptr) return;
  Scope scope(this, "options");
  if (!IsArray(*options)) return;
  if (options->size() < 2 || options->size() > kMaxOptions) {
    Error([&] {
      return "a choice question needs 2 to " + std::to_string(kMaxOptions) + " options, got " +
             std::to_string(options->size());
    });
  }
  const std::string options_path = path_;
  for (size_t i = 0; i < options->size() && i < kMaxOptions; ++i) {
    Scope item(this, i);
    const Json& o = (*options)[i];
    if (!IsObject(o)) continue;
    CheckKeys(o, kOptionKeys);
    ChoiceOption option;
    if (Slug(o, "id", &option.id)) {
      for (size_t j = 0; j < q->options.size(); ++j) {
        if (q->options[j].id == option.id) {
          ErrorAt("id", [&] {
            return "duplicate option id " + Quote(option.id) + " (also used by " + options_path +
                   "/" + std::to_string(j) + ")";
          });
        }
      }
    }
    Text(o, "text", &option.text, true);
    q->options.push_back(std::move(option));
  }
}

// "other": {"en": "Something else"}: a last option with id "other" that takes free text.
void Validator::ParseOther(const Json& v, Question* q) {
  ChoiceOption other;
  other.id = kOtherOptionId;
  Text(v, "other", &other.text, false);
  if (other.text.empty()) return;  // absent, or an error already reported
  for (size_t j = 0; j < q->options.size(); ++j) {
    if (q->options[j].id == kOtherOptionId) {
      ErrorAt("other", [&] {
        return "option " + path_ + "/options/" + std::to_string(j) +
               " already has the id \"other\", which \"other\" needs; rename it";
      });
      return;
    }
  }
  if (q->options.size() >= kMaxOptions) {
    ErrorAt("other", [&] {
      return "\"other\" counts as an option: use at most " + std::to_string(kMaxOptions - 1) +
             " options with it";
    });
    return;
  }
  q->options.push_back(std::move(other));
  q->other = true;
  q->max_length = kOtherMaxLength;
}

void Validator::ParseShowIf(const Json& v, const Json& all, size_t index, const Survey& s,
                            const Question& q, ShowIf* out) {
  if (!IsObject(v)) return;
  CheckKeys(v, kShowIfKeys);
  const Question* ref = nullptr;
  if (String(v, "question", &out->question, true, 0)) {
    Scope scope(this, "question");
    ref = s.FindQuestion(out->question);
    if (ref == nullptr) {
      bool later = false;
      for (size_t j = index + 1; j < all.size() && !later; ++j) {
        auto id = all[j].find("id");
        later = id != all[j].end() && *id == out->question;
      }
      if (out->question == q.id) {
        Error([] { return "a question cannot depend on itself"; });
      } else if (later) {
        Error([&] {
          return Quote(out->question) +
                 " comes later in the survey; show_if can only refer to an earlier question";
        });
      } else {
        Error([&] {
          return "unknown question " + Quote(out->question) +
                 " (use the id of an earlier question)";
        });
      }
    } else if (ref->type == QuestionType::kText) {
      Error([&] {
        return Quote(out->question) +
               " is a text question; show_if needs a scale or choice question";
      });
      ref = nullptr;
    }
  }
  const char* const kBounds[] = {"min", "max"};
  std::optional<int>* bounds[] = {&out->min, &out->max};
  for (int b = 0; b < 2; ++b) {
    const Json* bound = Member(v, kBounds[b]);
    if (bound == nullptr) continue;
    Scope scope(this, kBounds[b]);
    int value = 0;
    if (!AsInt(*bound, &value)) continue;
    if (ref != nullptr && ref->type == QuestionType::kChoice) {
      Error([&] {
        return "\"" + std::string(kBounds[b]) + "\" needs a scale question; use \"any_of\" with " +
               "options of " + Quote(ref->id);
      });
    } else if (ref != nullptr && (value < ref->MinValue() || value > ref->MaxValue())) {
      Error([&] {
        return std::to_string(value) + " is outside the scale of " + Quote(ref->id) + " (" +
               std::to_string(ref->MinValue()) + " to " + std::to_string(ref->MaxValue()) + ")";
      });
    } else {
      *bounds[b] = value;
    }
  }
  if (out->min && out->max && *out->min > *out->max) {
    Error([&] {
      return "min (" + std::to_string(*out->min) + ") is greater than max (" +
             std::to_string(*out->max) + ")";
    });
  }
  const Json* any_of = Member(v, "any_of");
  if (any_of != nullptr) {
    Scope scope(this, "any_of");
    if (ref != nullptr && ref->IsScale()) {
      Error([&] {
        return "\"any_of\" needs a choice question; use \"min\" and \"max\" for " + Quote(ref->id);
      });
    } else if (IsArray(*any_of)) {
      if (any_of->empty()) Error([] { return "must list at least 1 option id"; });
      for (size_t i = 0; i < any_of->size(); ++i) {
        Scope item(this, i);
        std::string id;
        if (!AsString((*any_of)[i], &id)) continue;
        const bool known =
            ref == nullptr || std::any_of(ref->options.begin(), ref->options.end(),
                                          [&](const ChoiceOption& o) { return o.id == id; });
        if (!known) {
          std::string ids;
          for (size_t k = 0; k < ref->options.size(); ++k) {
            ids += (k == 0                         ? ""
                    : k + 1 == ref->options.size() ? " or "
                                                   : ", ") +
                   ref->options[k].id;
          }
          Error([&] {
            return Quote(id) + " is not an option of " + Quote(ref->id) + " (use " + ids + ")";
          });
        } else if (std::find(out->any_of.begin(), out->any_of.end(), id) != out->any_of.end()) {
          Error([&] { return "duplicate option " + Quote(id); });
        } else {
          out->any_of.push_back(std::move(id));
        }
      }
    }
  }
  if (ref == nullptr) return;
  if (ref->IsScale() && !out->min && !out->max && !v.contains("min") && !v.contains("max")) {
    Error([&] {
      return "needs \"min\" and/or \"max\": the answers to " + Quote(ref->id) +
             " that show this question";
    });
  }
  if (ref->type == QuestionType::kChoice && any_of == nullptr) {
    Error([&] {
      return "needs \"any_of\": the options of " + Quote(ref->id) + " that show this question";
    });
  }
}

void Validator::ParseAppearance(const Json& v, Appearance* a) {
  if (!IsObject(v)) return;
  CheckKeys(v, kAppearanceKeys);
  const int position = Enum(v, "position", kPositions, "position", false);
  if (position >= 0) a->position = kPositions[position];
  if (const Json* accent = Member(v, "accent")) {
    Scope scope(this, "accent");
    std::string color;
    if (AsString(*accent, &color)) {
      if (IsColor(color)) {
        a->accent = color;
      } else {
        Error([&] {
          return Quote(color) +
                 " is not a valid accent color (use #rgb or #rrggbb, e.g. "
                 "\"#0a7d5a\")";
        });
      }
    }
  }
  Int(v, "radius", 0, 32, &a->radius);
  const int theme = Enum(v, "theme", kThemes, "theme", false);
  if (theme >= 0) a->theme = kThemes[theme];
}

void Validator::ParsePrivacy(const Json& v, Privacy* p) {
  if (!IsObject(v)) return;
  CheckKeys(v, kPrivacyKeys);
  const int comments = Enum(v, "comments", kCommentPolicies, "comments policy", false);
  if (comments >= 0) p->comments = static_cast<CommentsPolicy>(comments);
  const Json* epsilon = Member(v, "local_dp_epsilon");
  if (epsilon != nullptr && !epsilon->is_null()) {
    double value = 0;
    Fraction(v, "local_dp_epsilon", kMaxLocalDpEpsilon, &value);
    if (value > 0) p->local_dp_epsilon = value;
  }
  Bool(v, "nps_full_histogram", &p->nps_full_histogram);
  // A comment's presence (or text) would reveal what local DP randomizes (Contract 3).
  if (p->comments == CommentsPolicy::kScrubbed && p->local_dp_epsilon) {
    ErrorAt("comments", [&] {
      return "\"scrubbed\" cannot be combined with local_dp_epsilon (a comment would reveal the "
             "randomized answers; use \"drop\" or remove local_dp_epsilon)";
    });
  }
}

// Sorts errors by where their pointers first appear in the text: a second parse of it, which
// numbers those pointers (ParseJson's `order`); only files with two errors or more pay for it.
void SortByDocumentOrder(std::string_view text, std::vector<DefinitionError>* errors) {
  std::vector<std::string> pointers;
  for (const DefinitionError& e : *errors) pointers.push_back(e.pointer);
  PointerOrder ranks(std::move(pointers));
  ParseJson(text.data(), text.data() + text.size(), nullptr, &ranks);  // numbers them
  // A stable insertion sort: at most kMaxErrors entries, and std::stable_sort's merge code
  // weighs 3 KB in the widget's wasm module.
  std::vector<DefinitionError>& e = *errors;
  for (size_t i = 1; i < e.size(); ++i) {
    DefinitionError moving = std::move(e[i]);
    const size_t rank = ranks[moving.pointer];
    size_t j = i;
    for (; j > 0 && ranks[e[j - 1].pointer] > rank; --j) e[j] = std::move(e[j - 1]);
    e[j] = std::move(moving);
  }
}

}  // namespace

const std::string* LocalizedText::Find(const std::vector<std::string>& chain) const {
  for (const std::string& tag : chain) {
    for (const auto& [locale, text] : values) {
      if (EqualsIgnoreCase(locale, tag)) return &text;
    }
  }
  return nullptr;
}

const char* QuestionTypeName(QuestionType type) {
  const auto i = static_cast<size_t>(type);
  return i < std::size(kQuestionTypes) ? kQuestionTypes[i] : "unknown";
}

const char* TriggerOnName(TriggerOn on) {
  const auto i = static_cast<size_t>(on);
  return i < std::size(kTriggers) ? kTriggers[i] : "unknown";
}

int Question::MinValue() const { return type == QuestionType::kNps || !IsScale() ? 0 : 1; }

int Question::MaxValue() const {
  if (type == QuestionType::kNps) return 10;
  return IsScale() ? scale : 0;
}

bool Question::IsScale() const {
  return type == QuestionType::kNps || type == QuestionType::kCsat || type == QuestionType::kCes ||
         type == QuestionType::kRating;
}

const Question* Survey::FindQuestion(std::string_view question_id) const {
  const int i = QuestionIndex(question_id);
  return i < 0 ? nullptr : &questions[i];
}

int Survey::QuestionIndex(std::string_view question_id) const {
  for (size_t i = 0; i < questions.size(); ++i) {
    if (questions[i].id == question_id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> Survey::Locales() const {
  std::vector<std::string> out = {default_locale};
  auto add = [&out](const LocalizedText& text) {
    for (const auto& value : text.values) {
      const std::string& tag = value.first;
      if (std::none_of(out.begin(), out.end(),
                       [&](const std::string& t) { return EqualsIgnoreCase(t, tag); })) {
        out.push_back(tag);
      }
    }
  };
  for (const Question& q : questions) {
    add(q.text);
    add(q.label_min);
    add(q.label_max);
    for (const ChoiceOption& o : q.options) add(o.text);
  }
  add(thank_you);
  for (const UiStringTable& table : strings) add(LocalizedText{{{table.locale, ""}}});
  return out;
}

std::string DefinitionError::ToString() const {
  return pointer.empty() ? message : pointer + ": " + message;
}

bool IsLocaleTag(std::string_view s) {
  if (s.size() > 35) return false;
  size_t start = 0;
  for (int part = 0; start <= s.size(); ++part) {
    size_t end = std::min(s.find('-', start), s.size());
    const size_t len = end - start;
    for (size_t i = start; i < end; ++i) {
      if (!(IsAlpha(s[i]) || (part > 0 && IsDigit(s[i])))) return false;
    }
    if (part == 0 ? (len < 2 || len > 3) : (len < 1 || len > 8)) return false;
    start = end + 1;
  }
  return true;
}

bool IsValidScale(QuestionType type, int scale) {
  switch (type) {
    case QuestionType::kNps:
      return scale == 11;
    case QuestionType::kCsat:
      return scale == 2 || scale == 3 || scale == 4 || scale == 5 || scale == 7 || scale == 10;
    case QuestionType::kCes:
      return scale == 5 || scale == 7;
    case QuestionType::kRating:
      return scale >= 3 && scale <= 10;
    default:
      return false;
  }
}

const char* ValidScalesHint(QuestionType type) {
  switch (type) {
    case QuestionType::kCsat:
      return "use 2, 3, 4, 5, 7 or 10";
    case QuestionType::kCes:
      return "use 5 or 7";
    case QuestionType::kRating:
      return "use 3 to 10";
    default:
      return "NPS always has 0-10";
  }
}

NpsGroup NpsGroupOf(int answer) {
  return answer >= 9 ? NpsGroup::kPromoter : answer >= 7 ? NpsGroup::kPassive : NpsGroup::kDetractor;
}

const char* NpsGroupName(NpsGroup group) {
  switch (group) {
    case NpsGroup::kPromoter:
      return "promoter";
    case NpsGroup::kPassive:
      return "passive";
    default:
      return "detractor";
  }
}

bool IsSlug(std::string_view s) {
  if (s.empty() || s.size() > 64 || !(IsLower(s[0]) || IsDigit(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsLower(c) || IsDigit(c) || c == '_' || c == '-'; });
}

ParsedDefinitions ParseDefinitions(std::string_view json_text) {
  ParsedDefinitions result;
  const char* first = json_text.data();
  const char* last = first + json_text.size();
  // nlohmann's parser is iterative, but anything walking a deep tree later need not be; no
  // definition needs more than a handful of levels.
  const size_t deep = JsonTooDeepAt(json_text, kMaxJsonDepth);
  if (deep != std::string_view::npos) {
    result.errors.push_back({"", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                     " levels at " + LineColumn(json_text, deep)});
    return result;
  }
  JsonSyntaxError syntax;
  const Json doc = ParseJson(first, last, &syntax);
  if (doc.is_discarded()) {
    result.errors.push_back({"", SyntaxError(json_text, syntax)});
    return result;
  }
  Validator validator;
  std::vector<Survey> surveys;
  validator.ParseFile(doc, &surveys);
  if (validator.errors.empty()) {
    result.surveys = std::move(surveys);
    return result;
  }
  if (validator.errors.size() > 1) SortByDocumentOrder(json_text, &validator.errors);
  if (validator.dropped > 0) {
    validator.errors.push_back(
        {"", "... and " + std::to_string(validator.dropped) + " more errors"});
  }
  result.errors = std::move(validator.errors);
  return result;
}

Result<ParsedDefinitions> ParseDefinitionValue(const Json& value, std::string_view where) {
  if (!value.is_string() && !value.is_object()) {
    return Status::Cold(StatusCode::kInvalidArgument, [&] {
      return std::string(where) + ": expected the definition file's text or object";
    });
  }
  ParsedDefinitions parsed =
      ParseDefinitions(value.is_string() ? value.get_ref<const std::string&>() : JsonText(value));
  if (!parsed.ok()) {
    const DefinitionError& first = parsed.errors.front();
    std::string message = std::string(where) + (first.pointer.empty() ? "" : first.pointer) +
                          ": " + first.message;
    if (parsed.errors.size() > 1) {
      message += " (and " + std::to_string(parsed.errors.size() - 1) + " more)";
    }
    return Status(StatusCode::kInvalidDefinition, message);
  }
  return parsed;
}

Result<Survey> PickSurvey(const Json& value, std::string_view id, std::string_view where) {
  Result<ParsedDefinitions> parsed = ParseDefinitionValue(value, where);
  if (!parsed.ok()) return parsed.status();
  const std::string at = std::string(where) + ": ";
  std::string ids;
  for (Survey& s : parsed->surveys) {
    if (!id.empty() && s.id == id) return std::move(s);
    ids += (ids.empty() ? "" : ", ") + s.id;
  }
  if (!id.empty()) {
    return Status::Cold(StatusCode::kNotFound, [&] {
      return at + "no survey \"" + std::string(id) + "\" (the file has " + ids + ")";
    });
  }
  if (parsed->surveys.size() != 1) {
    return Status::Cold(StatusCode::kInvalidArgument, [&] {
      return at + "the file holds " + std::to_string(parsed->surveys.size()) + " surveys (" + ids +
             "); name one";
    });
  }
  return std::move(parsed->surveys.front());
}

}  // namespace nazar
