#include "nazar/aggregate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

#include "nazar/date.h"
#include "nazar/i18n.h"
#include "nazar/privacy.h"
#include "text_util.h"

namespace nazar {
namespace {

constexpr size_t kMaxComments = 1000;
constexpr size_t kMaxCommentBytes = 20000;

// NPS groups under 3-way randomization: the cell of each group's count in the histogram.
constexpr const int (&kGroupCell)[3] = QuestionTally::kNpsGroupCell;

int NpsGroupIndex(int value) { return static_cast<int>(NpsGroupOf(value)); }

Json Number(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<int64_t>(v);
  return v;
}

Json Numbers(const std::vector<double>& values) {
  Json out = Json::array();
  for (double v : values) out.push_back(Number(v));
  return out;
}

std::vector<double> GroupTotals(const std::vector<double>& counts) {
  std::vector<double> groups(3, 0.0);
  for (size_t v = 0; v < counts.size(); ++v) groups[NpsGroupIndex(static_cast<int>(v))] += counts[v];
  return groups;
}

// ---- Local differential privacy (aggregate.h, PayloadFromSession) ----

// The randomized items of a survey: every non-text question, plus completion.
int NoiseItems(const std::vector<QuestionTally>& questions) {
  int m = 1;
  for (const QuestionTally& t : questions) m += t.type == QuestionType::kText ? 0 : 1;
  return m;
}

// The values a question is randomized over, "no answer" included (QuestionTally::noise_k).
int NoiseK(const QuestionTally& t, bool nps_grouped) {
  switch (t.type) {
    case QuestionType::kNps:
      return nps_grouped ? QuestionTally::kNpsGroupedNoiseK : 12;
    case QuestionType::kChoice:
      return t.multiple ? 2 : static_cast<int>(t.options.size()) + 1;
    case QuestionType::kText:
      return 0;
    default:
      return static_cast<int>(t.counts.size()) + 1;
  }
}

// Marks `tally` as randomized with the whole budget `epsilon` split over its items.
void SetNoise(Tally* tally, double epsilon, bool nps_grouped) {
  tally->noise_epsilon = epsilon;
  tally->noise_items = NoiseItems(tally->questions);
  for (QuestionTally& t : tally->questions) {
    if (t.type == QuestionType::kText) continue;
    t.noise_epsilon = epsilon / tally->noise_items;
    t.noise_k = NoiseK(t, nps_grouped);
  }
}

// The true value of a k-ary item as an index in [0, k): the answer's cell, k - 1 for "no answer".
int TrueIndex(const Question& q, const QuestionTally& t, const Answer* a) {
  const int no_answer = t.noise_k - 1;
  if (a == nullptr) return no_answer;
  if (q.IsScale()) {
    return t.NpsGrouped() ? NpsGroupIndex(a->value) : a->value - q.MinValue();
  }
  for (size_t o = 0; o < q.options.size(); ++o) {
    if (!a->choices.empty() && a->choices.front() == q.options[o].id) return static_cast<int>(o);
  }
  return no_answer;
}

// Adds one randomized report of question `q` (answer `a`, nullptr for "no answer") to `t`.
void AddRandomized(const Question& q, const Answer* a, Host& host, QuestionTally* t) {
  t->answered += 1;  // one report per display
  if (q.type == QuestionType::kChoice && q.multiple) {
    // Basic RAPPOR: a yes/no bit per option plus the "no answer" bit, the share split across them.
    const size_t bits = q.options.size() + 1;
    const RandomizedResponse rr{2, t->noise_epsilon / static_cast<double>(bits)};
    for (size_t o = 0; o < q.options.size(); ++o) {
      const bool chosen = a != nullptr && std::find(a->choices.begin(), a->choices.end(),
                                                    q.options[o].id) != a->choices.end();
      t->counts[o] += rr.Randomize(chosen ? 1 : 0, host);
    }
    t->skipped += rr.Randomize(a == nullptr ? 1 : 0, host);
    return;
  }
  const RandomizedResponse rr{t->noise_k, t->noise_epsilon};
  const int reported = rr.Randomize(TrueIndex(q, *t, a), host);
  if (reported == t->noise_k - 1) {
    t->skipped += 1;
  } else {
    t->counts[t->NpsGrouped() ? kGroupCell[reported] : reported] += 1;
  }
}

// Adds the exact (plain) count of question `q` to `t`: its answer, or a skip.
void AddPlain(const Question& q, const Answer* a, QuestionTally* t) {
  if (a == nullptr) {
    t->skipped += 1;
    return;
  }
  t->answered += 1;
  if (q.IsScale()) {
    t->counts[a->value - q.MinValue()] += 1;
    return;
  }
  for (size_t o = 0; o < q.options.size(); ++o) {
    if (std::find(a->choices.begin(), a->choices.end(), q.options[o].id) != a->choices.end()) {
      t->counts[o] += 1;
    }
  }
}

// The submitted answer of question `index` when it counts (visible given the submitted answers
// and answered), else nullptr.
const Answer* CountedAnswer(const Session& session, int index) {
  const Answer& a = session.submitted(index);
  return a.answered && session.IsVisibleSubmitted(index) ? &a : nullptr;
}

// ---- Parsing ----

// A host name: DNS labels (1-63 letters, digits or inner dashes, up to 253 characters), an IPv4
// address or a bracketed IPv6 literal. No scheme, port, path or query.
bool IsHostName(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  if (s.front() == '[') {
    if (s.size() < 4 || s.back() != ']') return false;
    int colons = 0;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      const char c = s[i];
      const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex && c != ':' && c != '.') return false;
      colons += c == ':';
    }
    return colons >= 2;
  }
  const bool numeric =
      std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
  size_t start = 0;
  int labels = 0;
  while (start <= s.size()) {
    size_t end = s.find('.', start);
    if (end == std::string::npos) end = s.size();
    const std::string label = s.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    if (numeric) {
      // At most 3 digits before any arithmetic: a long label would overflow the octet.
      if (label.size() > 3) return false;
      int octet = 0;
      for (char c : label) octet = octet * 10 + (c - '0');
      if (octet > 255) return false;
    }
    ++labels;
    start = end + 1;
  }
  return !numeric || labels == 4;
}

// The first control character of a payload string (C0 and DEL), npos when none: stores and logs
// take text, not bytes (a U+0000 cuts PostgreSQL's text at the NUL and fails the commit). Comment
// text may hold tab, line feed and carriage return (a typed or pasted multi-line answer); every
// other string is one line. The JSON parser already refuses invalid UTF-8 and lone surrogates.
bool IsRefusedControl(char ch, bool multiline) {
  const auto c = static_cast<unsigned char>(ch);
  return (c < 0x20 || c == 0x7f) && !(multiline && (c == '\t' || c == '\n' || c == '\r'));
}
size_t ControlAt(const std::string& s, bool multiline) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsRefusedControl(s[i], multiline)) return i;
  }
  return std::string::npos;
}

// Collects payload validation errors as "pointer: message".
class Checker {
 public:
  void Fail(const std::string& pointer, const std::string& message) {
    if (errors_.size() < 20) errors_.push_back(pointer + ": " + message);
  }
  bool ok() const { return errors_.empty(); }
  size_t ErrorCount() const { return errors_.size(); }
  std::string Message() const {
    std::string out;
    for (const std::string& e : errors_) out += (out.empty() ? "" : "; ") + e;
    return out;
  }

  // Rejects keys outside `allowed`; `why` ends the message.
  void Keys(const Json& obj, const std::string& at, std::initializer_list<const char*> allowed,
            const char* why = "payloads carry only counts") {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool known = false;
      for (const char* a : allowed) known = known || it.key() == a;
      if (!known) Fail(at + "/" + it.key(), std::string("unknown field (") + why + ")");
    }
  }
  const std::string* String(const Json& obj, const char* key, const std::string& at,
                            bool required = true) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Fail(at + "/" + key, "missing");
      return nullptr;
    }
    if (!it->is_string()) {
      Fail(at + "/" + key, "expected a string");
      return nullptr;
    }
    const std::string* s = it->get_ptr<const std::string*>();
    if (const size_t bad = ControlAt(*s, key == std::string_view("text")); bad != s->npos) {
      char code[8];
      std::snprintf(code, sizeof code, "%04X", static_cast<unsigned>((*s)[bad]));
      Fail(at + "/" + key, std::string("control character U+") + code + " at byte " +
                               std::to_string(bad) + " (not allowed in payloads)");
      return nullptr;
    }
    return s;
  }
  // A whole count in 0..kMaxPayloadCount.
  bool Count(const Json& v, const std::string& at, double* out) {
    int64_t count = 0;
    if (!JsonIntInRange(v, 0, kMaxPayloadCount, &count)) {
      Fail(at, "expected a whole count from 0 to " + std::to_string(kMaxPayloadCount));
      return false;
    }
    *out = static_cast<double>(count);
    return true;
  }
  // A count field; missing is 0 when optional.
  double CountField(const Json& obj, const char* key, const std::string& at, bool required) {
    auto it = obj.find(key);
    double v = 0;
    if (it == obj.end()) {
      if (required) Fail(at + "/" + key, "missing");
      return 0;
    }
    Count(*it, at + "/" + key, &v);
    return v;
  }
  std::vector<double> Counts(const Json& obj, const char* key, const std::string& at,
                             size_t expected) {
    std::vector<double> out(expected, 0.0);
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_array()) {
      Fail(at + "/" + key, "expected an array of " + std::to_string(expected) + " counts");
      return out;
    }
    if (it->size() != expected) {
      Fail(at + "/" + key, "expected " + std::to_string(expected) + " counts, got " +
                               std::to_string(it->size()));
      return out;
    }
    for (size_t i = 0; i < expected; ++i) {
      Count((*it)[i], at + "/" + key + "/" + std::to_string(i), &out[i]);
    }
    return out;
  }

 private:
  std::vector<std::string> errors_;
};

// Parses the shape of one question's counts (type, scale, options, counts, n, skipped); the
// invariants against displays are checked by the caller. `*grouped`: NPS sent as "groups".
bool ParseQuestion(const std::string& id, const Json& q, const std::string& at, bool noisy,
                   Checker* check, QuestionTally* out, bool* grouped) {
  if (!q.is_object()) {
    check->Fail(at, "expected an object");
    return false;
  }
  check->Keys(q, at, {"type", "scale", "counts", "groups", "options", "satisfied", "skipped",
                      "multiple", "n"});
  const std::string* type = check->String(q, "type", at);
  if (type == nullptr) return false;
  out->id = id;
  out->skipped = check->CountField(q, "skipped", at, noisy);
  auto scale_it = q.find("scale");
  int scale = 0;
  if (scale_it != q.end()) {
    int64_t v = 0;
    if (!JsonIntInRange(*scale_it, 0, 100, &v)) {
      check->Fail(at + "/scale", "expected a whole number of points");
      return false;
    }
    scale = static_cast<int>(v);
  }
  if (*type == "nps") {
    out->type = QuestionType::kNps;
    out->scale = 11;
    if (q.contains("groups")) {
      if (!noisy) {
        check->Fail(at + "/groups", "NPS groups are only sent with local-DP noise; send counts");
        return false;
      }
      *grouped = true;
      const std::vector<double> groups = check->Counts(q, "groups", at, 3);
      out->counts.assign(11, 0.0);
      for (int g = 0; g < 3; ++g) out->counts[kGroupCell[g]] = groups[g];
    } else {
      out->counts = check->Counts(q, "counts", at, 11);
    }
  } else if (*type == "csat" || *type == "ces" || *type == "rating") {
    out->type = *type == "csat" ? QuestionType::kCsat
                : *type == "ces" ? QuestionType::kCes : QuestionType::kRating;
    if (!IsValidScale(out->type, scale)) {
      check->Fail(at + "/scale", std::to_string(scale) + " is not a valid " + *type + " scale (" +
                                     ValidScalesHint(out->type) + ")");
      return false;
    }
    out->scale = scale;
    out->counts = check->Counts(q, "counts", at, static_cast<size_t>(scale));
    if (auto s = q.find("satisfied"); s != q.end()) {
      if (out->type != QuestionType::kCsat || !s->is_array() || s->empty()) {
        check->Fail(at + "/satisfied", "expected a non-empty list of CSAT answers");
        return false;
      }
      for (const Json& v : *s) {
        int64_t answer = 0;
        if (!JsonIntInRange(v, 1, scale, &answer)) {
          check->Fail(at + "/satisfied", "answers must be within 1.." + std::to_string(scale));
          return false;
        }
        out->satisfied.push_back(static_cast<int>(answer));
      }
    }
  } else if (*type == "choice") {
    out->type = QuestionType::kChoice;
    auto opts = q.find("options");
    if (opts == q.end() || !opts->is_array() || opts->size() < 2 ||
        opts->size() > static_cast<size_t>(kMaxChoiceOptions)) {
      check->Fail(at + "/options",
                  "expected a list of 2 to " + std::to_string(kMaxChoiceOptions) + " option ids");
      return false;
    }
    for (const Json& o : *opts) {
      if (!o.is_string() || !IsSlug(o.get<std::string>())) {
        check->Fail(at + "/options", "option ids are lowercase slugs");
        return false;
      }
      out->options.push_back(o.get<std::string>());
    }
    out->counts = check->Counts(q, "counts", at, out->options.size());
  } else {
    check->Fail(at + "/type", "\"" + *type + "\" is not a countable question type");
    return false;
  }
  double answered = 0;
  for (double c : out->counts) answered += c;
  auto multiple = q.find("multiple");
  if (multiple != q.end() && (!multiple->is_boolean() || out->type != QuestionType::kChoice)) {
    check->Fail(at + "/multiple", "expected true, on choice questions only");
    return false;
  }
  out->multiple = multiple != q.end() && multiple->get<bool>();
  if (out->multiple && !noisy) {
    answered = check->CountField(q, "n", at, true);  // respondents; counts add per option
  } else if (q.contains("n")) {
    check->Fail(at + "/n", noisy ? "randomized multiple-choice reports carry no n"
                                 : "only multiple-choice questions carry n");
  }
  out->answered = answered;
  return true;
}

// Contract 3's invariants of one parsed question against the payload's displays.
void CheckQuestion(const QuestionTally& t, double displays, bool noisy, const std::string& at,
                   Checker* check) {
  const auto text = [](double v) { return std::to_string(static_cast<int64_t>(v)); };
  if (noisy && t.multiple) {
    for (size_t o = 0; o < t.counts.size(); ++o) {
      if (t.counts[o] > displays) {
        check->Fail(
            at + "/counts/" + std::to_string(o),
            "a randomized bit reported more often than the " + text(displays) + " displays");
      }
    }
    if (t.skipped > displays) check->Fail(at + "/skipped", "exceeds the displays");
  } else if (noisy) {
    if (t.answered + t.skipped != displays) {
      check->Fail(at, "randomized reports (counts plus skipped, " + text(t.answered + t.skipped) +
                          ") must equal the displays (" + text(displays) + ")");
    }
  } else {
    if (t.answered + t.skipped > displays) {
      check->Fail(at, "answers plus skipped (" + text(t.answered + t.skipped) +
                          ") exceed the displays (" + text(displays) + ")");
    }
    if (t.multiple) {
      for (size_t o = 0; o < t.counts.size(); ++o) {
        if (t.counts[o] > t.answered) {
          check->Fail(at + "/counts/" + std::to_string(o), "exceeds n (" + text(t.answered) + ")");
        }
      }
    }
  }
}

// The fields both kinds share: batch, site, survey, version, period, locale.
void ParseHeader(const Json& j, Checker* check, Payload* p) {
  auto version = j.find("nazar");
  int64_t format = 0;
  if (version == j.end() || !JsonIntInRange(*version, 1, 1, &format)) {
    check->Fail("/nazar", "expected 1 (the payload format version)");
  }
  if (const std::string* s = check->String(j, "batch", "")) {
    const bool hex = s->size() == 32 && std::all_of(s->begin(), s->end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!hex) check->Fail("/batch", "expected 32 lowercase hex digits");
    p->batch = *s;
  }
  if (const std::string* s = check->String(j, "site", "")) {
    if (!IsHostName(*s)) {
      check->Fail("/site",
                  "expected a host name such as shop.example (no scheme, port, path "
                  "or query)");
    }
    p->site = *s;
  }
  if (const std::string* s = check->String(j, "survey", "")) {
    if (!IsSlug(*s)) check->Fail("/survey", "expected a survey id (lowercase slug)");
    p->survey = *s;
  }
  if (const std::string* s = check->String(j, "survey_version", "")) {
    if (s->empty() || s->size() > 64) check->Fail("/survey_version", "expected 1-64 characters");
    p->survey_version = *s;
  }
  if (const std::string* s = check->String(j, "period", "")) {
    if (s->size() != 10 || !ParseIsoDay(*s)) check->Fail("/period", "expected a day YYYY-MM-DD");
    p->period = *s;
  }
  if (const std::string* s = check->String(j, "locale", "")) {
    if (!IsLocaleTag(*s)) check->Fail("/locale", "expected a BCP 47 language tag");
    p->locale = *s;
  }
}

void ParseComments(const Json& j, Checker* check, Payload* p) {
  auto comments = j.find("comments");
  if (comments == j.end() || !comments->is_array() || comments->empty() ||
      comments->size() > kMaxComments) {
    check->Fail("/comments", "expected a list of 1 to 1000 comments");
    return;
  }
  for (size_t i = 0; i < comments->size(); ++i) {
    const Json& c = (*comments)[i];
    const std::string at = "/comments/" + std::to_string(i);
    if (!c.is_object()) {
      check->Fail(at, "expected an object");
      continue;
    }
    check->Keys(c, at, {"question", "group", "text"}, "a comment carries question, group, text");
    Comment out;
    if (const std::string* s = check->String(c, "question", at)) {
      if (!IsSlug(*s)) check->Fail(at + "/question", "expected a question id (lowercase slug)");
      out.question = *s;
    }
    if (const std::string* s = check->String(c, "group", at, false)) {
      if (*s != "promoter" && *s != "passive" && *s != "detractor") {
        check->Fail(at + "/group", "expected promoter, passive or detractor");
      }
      out.group = *s;
    }
    if (const std::string* s = check->String(c, "text", at)) {
      if (s->size() > kMaxCommentBytes) check->Fail(at + "/text", "longer than 20000 bytes");
      // A blank text is no comment: the widget never sends one (a blank answer is a skip).
      if (text::SaysNothing(*s)) check->Fail(at + "/text", "a blank comment: send none instead");
      out.text = *s;
    }
    // One respondent's comments (CommentsFromSession): one per question, all in one NPS group,
    // so the collector may count comments per (question, group) as respondents.
    for (size_t e = 0; e < p->comments.size(); ++e) {
      if (p->comments[e].question == out.question && !out.question.empty()) {
        check->Fail(at + "/question", "\"" + out.question + "\" already has comment " +
                                          std::to_string(e) + " (one comment per question)");
        break;
      }
    }
    if (!p->comments.empty() && p->comments[0].group != out.group) {
      check->Fail(at + "/group", "\"" + out.group + "\" differs from comment 0's group \"" +
                                     p->comments[0].group + "\" (one respondent's comments)");
    }
    p->comments.push_back(std::move(out));
  }
}

// The noise object: {"mechanism": "grr", "epsilon": (0, kMaxLocalDpEpsilon]}; returns epsilon,
// 0 when absent.
double ParseNoise(const Json& j, Checker* check) {
  auto noise = j.find("noise");
  if (noise == j.end()) return 0;
  if (!noise->is_object()) {
    check->Fail("/noise", "expected an object");
    return 0;
  }
  check->Keys(*noise, "/noise", {"mechanism", "epsilon"}, "noise is {mechanism, epsilon}");
  const std::string* m = check->String(*noise, "mechanism", "/noise");
  if (m && *m != "grr") check->Fail("/noise/mechanism", "only \"grr\" is supported");
  auto e = noise->find("epsilon");
  if (e == noise->end() || !e->is_number() || !(e->get<double>() > 0) ||
      e->get<double>() > kMaxLocalDpEpsilon) {
    check->Fail("/noise/epsilon",
                "expected a number in (0, " + std::to_string(kMaxLocalDpEpsilon) + "]");
    return 0;
  }
  return e->get<double>();
}

void ParseTally(const Json& j, Checker* check, Payload* p) {
  const double epsilon = ParseNoise(j, check);
  const bool noisy = epsilon > 0;
  Tally& tally = p->tally;
  tally.displays = check->CountField(j, "displays", "", true);
  tally.completions = check->CountField(j, "completions", "", true);
  tally.dismissals = check->CountField(j, "dismissals", "", true);
  if (tally.displays < 1) check->Fail("/displays", "expected at least 1 display");
  if (tally.completions + tally.dismissals > tally.displays) {
    check->Fail("/completions", "completions + dismissals exceed displays");
  }
  if (noisy && tally.dismissals != 0) {
    check->Fail("/dismissals",
                "must be 0 with local-DP noise (completions is the randomized "
                "completed/not answer)");
  }
  auto questions = j.find("questions");
  if (questions == j.end() || !questions->is_object()) {
    check->Fail("/questions", "expected an object of question counts");
    return;
  }
  std::optional<bool> nps_grouped;  // the survey's setting, the same for every NPS question
  for (auto it = questions->begin(); it != questions->end(); ++it) {
    const std::string at = "/questions/" + it.key();
    if (!IsSlug(it.key())) {
      check->Fail(at, "question ids are lowercase slugs");
      continue;
    }
    QuestionTally t;
    bool grouped = false;
    if (!ParseQuestion(it.key(), it.value(), at, noisy, check, &t, &grouped)) continue;
    CheckQuestion(t, tally.displays, noisy, at, check);
    if (t.type == QuestionType::kNps) {
      if (nps_grouped && *nps_grouped != grouped) {
        check->Fail(at, "all NPS questions of a payload use counts, or all use groups");
      }
      nps_grouped = grouped;
    }
    if (noisy) t.answered = tally.displays;  // one report per display (QuestionTally)
    tally.questions.push_back(std::move(t));
  }
  if (noisy) SetNoise(&tally, epsilon, nps_grouped.value_or(true));
}

}  // namespace

std::string NewBatchId(Host& host) {
  uint8_t bytes[16];
  host.FillRandom(bytes, sizeof bytes);
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (uint8_t b : bytes) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

Tally EmptyTallyOf(const Survey& survey) {
  Tally tally = Tally::For(survey);
  const std::optional<double>& eps = survey.privacy.local_dp_epsilon;
  if (eps.has_value() && *eps > 0) SetNoise(&tally, *eps, !survey.privacy.nps_full_histogram);
  return tally;
}

namespace {

// The fields both kinds of payload carry: which survey, where, which day, which language.
Payload PayloadHeader(const Session& session, PayloadKind kind, const std::string& site,
                      const std::string& batch, const std::string& period) {
  Payload p;
  p.kind = kind;
  p.batch = batch;
  p.site = site;
  p.survey = session.survey().id;
  p.survey_version = session.survey().version;
  p.period = period;
  p.locale = session.locale();
  return p;
}

}  // namespace

Payload PayloadFromSession(const Session& session, const std::string& site,
                           const std::string& batch, const std::string& period, Host& host) {
  const Survey& survey = session.survey();
  Payload p = PayloadHeader(session, PayloadKind::kTally, site, batch, period);
  p.tally = EmptyTallyOf(survey);
  p.tally.displays = 1;
  const bool completed = session.state() == SessionState::kCompleted;
  const std::optional<double>& eps = survey.privacy.local_dp_epsilon;
  if (!eps.has_value() || !(*eps > 0)) {
    p.tally.completions = completed ? 1 : 0;
    p.tally.dismissals = session.state() == SessionState::kDismissed ? 1 : 0;
    for (size_t i = 0; i < survey.questions.size(); ++i) {
      const int index = static_cast<int>(i);
      const Question& q = survey.questions[i];
      if (q.type == QuestionType::kText || !session.seen(index) ||
          !session.IsVisibleSubmitted(index)) {
        continue;
      }
      AddPlain(q, CountedAnswer(session, index), &p.tally.questions[i]);
    }
    return p;
  }
  const RandomizedResponse completion{2, p.tally.noise_epsilon / p.tally.noise_items};
  p.tally.completions = completion.Randomize(completed ? 1 : 0, host);
  for (size_t i = 0; i < survey.questions.size(); ++i) {
    const Question& q = survey.questions[i];
    if (q.type == QuestionType::kText) continue;
    AddRandomized(q, CountedAnswer(session, static_cast<int>(i)), host, &p.tally.questions[i]);
  }
  return p;
}

std::optional<Payload> CommentsFromSession(const Session& session, const std::string& site,
                                           const std::string& batch, const std::string& period) {
  const Survey& survey = session.survey();
  // Comments and local DP never mix (the validator rejects it): a comment would reveal the group.
  if (survey.privacy.comments != CommentsPolicy::kScrubbed ||
      survey.privacy.local_dp_epsilon.has_value()) {
    return std::nullopt;
  }
  std::string group;
  for (size_t i = 0; i < survey.questions.size() && group.empty(); ++i) {
    if (survey.questions[i].type != QuestionType::kNps) continue;
    if (const Answer* a = CountedAnswer(session, static_cast<int>(i))) {
      group = NpsGroupName(NpsGroupOf(a->value));
    }
  }
  Payload p = PayloadHeader(session, PayloadKind::kComments, site, batch, period);
  for (size_t i = 0; i < survey.questions.size(); ++i) {
    const Question& q = survey.questions[i];
    if (!q.TakesText()) continue;
    // Only text submitted with Next: typed and then left by Back or close never leaves. The text
    // of a choice question's "other" leaves only with "other" chosen, and never blank.
    if (const Answer* a = CountedAnswer(session, static_cast<int>(i))) {
      if (q.other && (!ChoseOther(*a) || text::SaysNothing(a->text))) continue;
      // A pasted control character would get the whole payload refused: it becomes a space,
      // before scrubbing, so "0912<U+0001>345<U+0001>6789" is scrubbed as the number it shows.
      std::string text = a->text;
      for (char& c : text) c = IsRefusedControl(c, true) ? ' ' : c;
      p.comments.push_back({q.id, group, ScrubPii(text)});
    }
  }
  if (p.comments.empty()) return std::nullopt;
  return p;
}

Json PayloadToJson(const Payload& p) {
  Json j = Json::object();
  j["nazar"] = 1;
  if (p.kind == PayloadKind::kComments) j["kind"] = "comments";
  j["batch"] = p.batch;
  j["site"] = p.site;
  j["survey"] = p.survey;
  j["survey_version"] = p.survey_version;
  j["period"] = p.period;
  j["locale"] = p.locale;
  if (p.kind == PayloadKind::kComments) {
    Json comments = Json::array();
    for (const Comment& c : p.comments) {
      Json cj = JsonObject({{"question", c.question}});
      if (!c.group.empty()) cj["group"] = c.group;
      cj["text"] = c.text;
      comments.push_back(std::move(cj));
    }
    j["comments"] = std::move(comments);
    return j;
  }
  const bool noisy = p.tally.Noisy();
  j["displays"] = Number(p.tally.displays);
  j["completions"] = Number(p.tally.completions);
  j["dismissals"] = Number(p.tally.dismissals);
  Json questions = Json::object();
  for (const QuestionTally& t : p.tally.questions) {
    // Under noise every non-text question is present: its presence says nothing.
    if (t.type == QuestionType::kText || (!noisy && t.answered == 0 && t.skipped == 0)) continue;
    Json q = Json::object();
    q["type"] = QuestionTypeName(t.type);
    if (t.type != QuestionType::kNps && t.type != QuestionType::kChoice) q["scale"] = t.scale;
    if (t.type == QuestionType::kChoice) q["options"] = t.options;
    if (t.NpsGrouped()) {
      q["groups"] = Numbers(GroupTotals(t.counts));
    } else {
      q["counts"] = Numbers(t.counts);
    }
    if (!t.satisfied.empty()) q["satisfied"] = t.satisfied;
    if (t.type == QuestionType::kChoice && t.multiple) {
      q["multiple"] = true;
      if (!noisy) q["n"] = Number(t.answered);
    }
    if (noisy || t.skipped > 0) q["skipped"] = Number(t.skipped);
    questions[t.id] = std::move(q);
  }
  j["questions"] = std::move(questions);
  if (noisy) j["noise"] = JsonObject({{"mechanism", "grr"}, {"epsilon", p.tally.noise_epsilon}});
  return j;
}

Result<Payload> PayloadFromJson(const Json& j) {
  Checker check;
  if (!j.is_object()) return Status(StatusCode::kInvalidArgument, "/: expected a payload object");
  Payload p;
  auto kind = j.find("kind");
  if (kind != j.end() && !(kind->is_string() && *kind == "comments")) {
    return Status(StatusCode::kInvalidArgument,
                  "/kind: expected \"comments\" (a tally carries no kind)");
  }
  if (kind != j.end()) {
    p.kind = PayloadKind::kComments;
    check.Keys(j, "",
               {"nazar", "kind", "batch", "site", "survey", "survey_version", "period", "locale",
                "comments"},
               "a comments payload carries no counts");
    ParseHeader(j, &check, &p);
    ParseComments(j, &check, &p);
  } else {
    check.Keys(j, "",
               {"nazar", "batch", "site", "survey", "survey_version", "period", "locale",
                "displays", "completions", "dismissals", "questions", "noise"},
               "a tally carries only counts; comments travel in their own payload");
    ParseHeader(j, &check, &p);
    ParseTally(j, &check, &p);
  }
  if (!check.ok()) return Status(StatusCode::kInvalidArgument, check.Message());
  return p;
}

namespace {

// "post-checkout version 2026-11-01": how messages name the registered survey.
std::string Registered(const Survey& survey) { return survey.id + " version " + survey.version; }

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string JoinInts(const std::vector<int>& items) {
  std::vector<std::string> text;
  for (int i : items) text.push_back(std::to_string(i));
  return "[" + Join(text) + "]";
}

// "2" or "0.5": an epsilon as written in definitions.
std::string EpsilonText(double epsilon) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", epsilon);
  return buf;
}

// One counted question of a tally against its registered question `q` (found by id, not text).
void CheckQuestionShape(const QuestionTally& t, const Question& q, const std::string& where,
                        const std::string& at, Checker* check) {
  if (t.type != q.type) {
    check->Fail(at + "/type", std::string(QuestionTypeName(t.type)) + " does not match type " +
                                  QuestionTypeName(q.type) + " of " + where);
    return;
  }
  switch (q.type) {
    case QuestionType::kCsat:
    case QuestionType::kCes:
    case QuestionType::kRating:
      if (t.scale != q.scale) {
        check->Fail(at + "/scale", std::to_string(t.scale) + " does not match scale " +
                                       std::to_string(q.scale) + " of " + where);
        return;
      }
      if (q.type == QuestionType::kCsat && !t.satisfied.empty()) {
        std::vector<int> expected =
            q.satisfied.empty() ? DefaultCsatSatisfied(q.scale) : q.satisfied;
        std::vector<int> sent = t.satisfied;
        std::sort(expected.begin(), expected.end());
        std::sort(sent.begin(), sent.end());
        if (sent != expected) {
          check->Fail(at + "/satisfied", JoinInts(t.satisfied) +
                                             " does not match the satisfied answers " +
                                             JoinInts(expected) + " of " + where);
        }
      }
      return;
    case QuestionType::kChoice: {
      std::vector<std::string> ids;
      for (const ChoiceOption& o : q.options) ids.push_back(o.id);
      if (t.options != ids) {
        check->Fail(at + "/options", "[" + Join(t.options) + "] does not match the options [" +
                                         Join(ids) + "] (in this order) of " + where);
      }
      if (t.multiple != q.multiple) {
        check->Fail(at + "/multiple",
                    std::string(t.multiple ? "multiple" : "single") + " choice does not match the " +
                        (q.multiple ? "multiple" : "single") + "-choice question of " + where);
      }
      return;
    }
    default:
      return;
  }
}

void CheckTallyAgainstSurvey(const Tally& tally, const Survey& survey, const std::string& where,
                             Checker* check) {
  const std::optional<double>& eps = survey.privacy.local_dp_epsilon;
  const bool survey_noisy = eps.has_value() && *eps > 0;
  if (survey_noisy && !tally.Noisy()) {
    check->Fail("/noise", "missing: " + where + " sets local DP (epsilon " +
                              EpsilonText(*eps) + "), so its payloads are randomized");
  } else if (!survey_noisy && tally.Noisy()) {
    check->Fail("/noise", where + " does not use local DP: payloads carry exact counts");
  } else if (survey_noisy && tally.noise_epsilon != *eps) {
    check->Fail("/noise/epsilon", EpsilonText(tally.noise_epsilon) + " does not match epsilon " +
                                      EpsilonText(*eps) + " of " + where);
  }
  // The randomization PayloadFromSession applies for this survey, from the same code.
  const Tally expected = EmptyTallyOf(survey);
  const bool compare_noise = survey_noisy && tally.Noisy();
  for (const QuestionTally& t : tally.questions) {
    const std::string at = "/questions/" + t.id;
    const Question* q = survey.FindQuestion(t.id);
    if (q == nullptr) {
      check->Fail(at, "no question \"" + t.id + "\" in " + where);
      continue;
    }
    if (q->type == QuestionType::kText) {
      check->Fail(at, "a text question of " + where + ": text is never counted in a tally");
      continue;
    }
    const size_t before = check->ErrorCount();
    CheckQuestionShape(t, *q, where, at, check);
    if (!compare_noise || check->ErrorCount() != before) continue;
    const QuestionTally* e = expected.Find(t.id);
    if (e->noise_k != t.noise_k) {
      if (q->type == QuestionType::kNps) {
        check->Fail(at, survey.privacy.nps_full_histogram
                            ? "randomized over the 3 NPS groups, but " + where +
                                  " randomizes the 0-10 answers (nps_full_histogram): send counts"
                            : "randomized over the 0-10 answers, but " + where +
                                  " randomizes the 3 NPS groups: send groups");
      } else {
        check->Fail(at, "randomized over " + std::to_string(t.noise_k) + " values, " + where +
                            " over " + std::to_string(e->noise_k));
      }
    }
  }
  if (!compare_noise) return;
  // The payload's shape depends on the definition alone: every non-text question is present,
  // so the budget splits as the widget split it.
  for (const QuestionTally& e : expected.questions) {
    if (e.type == QuestionType::kText || tally.Find(e.id) != nullptr) continue;
    check->Fail("/questions/" + e.id,
                "missing: with local DP every question of " + where + " is sent");
  }
  if (check->ok() && (tally.noise_items != expected.noise_items ||
                      std::any_of(tally.questions.begin(), tally.questions.end(),
                                  [&](const QuestionTally& t) {
                                    return t.noise_epsilon != expected.Find(t.id)->noise_epsilon;
                                  }))) {
    check->Fail("/noise", "the budget is not split over the " +
                              std::to_string(expected.noise_items) + " items of " + where);
  }
}

void CheckCommentsAgainstSurvey(const std::vector<Comment>& comments, const Survey& survey,
                                const std::string& where, Checker* check) {
  if (survey.privacy.comments != CommentsPolicy::kScrubbed) {
    check->Fail("/comments", where + " does not collect comments (privacy.comments is \"drop\")");
    return;
  }
  if (survey.privacy.local_dp_epsilon.has_value()) {
    check->Fail("/comments", where + " uses local DP, which comments would defeat");
    return;
  }
  const bool has_nps =
      std::any_of(survey.questions.begin(), survey.questions.end(),
                  [](const Question& q) { return q.type == QuestionType::kNps; });
  for (size_t i = 0; i < comments.size(); ++i) {
    const Comment& c = comments[i];
    const std::string at = "/comments/" + std::to_string(i);
    const Question* q = survey.FindQuestion(c.question);
    if (q == nullptr) {
      check->Fail(at + "/question", "no question \"" + c.question + "\" in " + where);
    } else if (!q->TakesText()) {
      check->Fail(at + "/question", "\"" + c.question + "\" is a " + QuestionTypeName(q->type) +
                                        " question of " + where +
                                        ", neither a text question nor a choice with \"other\"");
    }
    if (c.group.empty()) continue;
    if (c.group != "promoter" && c.group != "passive" && c.group != "detractor") {
      check->Fail(at + "/group", "expected promoter, passive or detractor");
    } else if (!has_nps) {
      check->Fail(at + "/group", where + " has no NPS question to take a group from");
    }
  }
}

}  // namespace

bool IsPayloadLocale(const Survey& survey, std::string_view locale) {
  const std::string key = CanonicalLocale(locale);
  if (key.empty()) return false;
  for (const std::string& l : survey.Locales()) {
    if (CanonicalLocale(l) == key) return true;
  }
  return IsUiLocale(key);
}

Result<const Survey*> FindPayloadSurvey(const Payload& payload,
                                        const std::vector<Survey>& registered) {
  std::vector<std::string> versions;
  for (const Survey& s : registered) {
    if (s.id != payload.survey) continue;
    if (s.version == payload.survey_version) return &s;
    versions.push_back(s.version);
  }
  if (versions.empty()) {
    return Status(StatusCode::kNotFound, "/survey: no registered survey \"" + payload.survey + "\"");
  }
  std::sort(versions.begin(), versions.end());
  return Status(StatusCode::kNotFound, "/survey_version: \"" + payload.survey_version +
                                           "\" is not a registered version of " + payload.survey +
                                           " (" + Join(versions) + ")");
}

Status CheckPayloadAgainstSurvey(const Payload& payload, const Survey& survey) {
  Checker check;
  const std::string where = Registered(survey);
  if (payload.survey != survey.id) {
    check.Fail("/survey", "\"" + payload.survey + "\" is not " + survey.id);
  }
  if (payload.survey_version != survey.version) {
    check.Fail("/survey_version", "\"" + payload.survey_version + "\" is not version " +
                                      survey.version + " of " + survey.id);
  }
  if (!check.ok()) return Status(StatusCode::kFailedPrecondition, check.Message());
  if (!IsPayloadLocale(survey, payload.locale)) {
    check.Fail("/locale", "\"" + payload.locale + "\" is neither a locale of " + where + " (" +
                              Join(survey.Locales()) + ") nor a built-in UI locale");
  }
  if (payload.kind == PayloadKind::kComments) {
    CheckCommentsAgainstSurvey(payload.comments, survey, where, &check);
  } else {
    CheckTallyAgainstSurvey(payload.tally, survey, where, &check);
  }
  if (!check.ok()) return Status(StatusCode::kFailedPrecondition, check.Message());
  return Status::Ok();
}

Status CheckPayloadPeriod(const Payload& payload, int64_t today, int max_age_days) {
  const std::optional<int64_t> day = ParseIsoDay(payload.period);
  if (!day) return Status(StatusCode::kInvalidArgument, "/period: expected a day YYYY-MM-DD");
  const int64_t oldest = today - max_age_days;
  if (*day < oldest) {
    return Status(StatusCode::kFailedPrecondition,
                  "/period: " + payload.period + " is older than the last " +
                      std::to_string(max_age_days) + " days (from " + FormatDay(oldest) + ")");
  }
  if (*day > today + 1) {
    return Status(StatusCode::kFailedPrecondition, "/period: " + payload.period +
                                                       " is in the future (today is " +
                                                       FormatDay(today) + " UTC)");
  }
  return Status::Ok();
}

void RescrubComments(Payload* payload) {
  for (Comment& c : payload->comments) c.text = ScrubPii(c.text);
}

}  // namespace nazar
