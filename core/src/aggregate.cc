#include "nazar/aggregate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "nazar/date.h"
#include "nazar/i18n.h"
#include "nazar/privacy.h"

namespace nazar {
namespace {

constexpr double kMaxCount = 1e12;      // larger counts are not plausible aggregates
constexpr size_t kMaxComments = 1000;
constexpr size_t kMaxCommentBytes = 20000;

// NPS groups under 3-way randomization are kept in the 11-cell histogram at one representative
// answer each, so every NPS statistic (which only sees the groups) stays correct.
constexpr int kGroupCell[3] = {0, 7, 9};  // detractor, passive, promoter

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

// The values randomized over for a question (QuestionTally::noise_k): the 3 NPS groups unless
// the full histogram is sent, the scale, the single-choice options, or yes/no per option of a
// multiple choice; 0 for text (never randomized).
int RandomizedValues(const QuestionTally& t, bool nps_full) {
  switch (t.type) {
    case QuestionType::kNps:
      return nps_full ? 11 : 3;
    case QuestionType::kChoice:
      return t.multiple ? 2 : static_cast<int>(t.options.size());
    case QuestionType::kText:
      return 0;
    default:
      return static_cast<int>(t.counts.size());
  }
}

// Marks the counts of `t` as reports randomized with `epsilon` (none when epsilon <= 0).
void SetNoise(QuestionTally* t, double epsilon, bool nps_full) {
  if (epsilon <= 0 || t->type == QuestionType::kText) {
    t->noise_epsilon = 0;
    t->noise_k = 0;
    return;
  }
  t->noise_epsilon = epsilon;
  t->noise_k = RandomizedValues(*t, nps_full);
}

// Collects payload validation errors as "pointer: message".
class Checker {
 public:
  void Fail(const std::string& pointer, const std::string& message) {
    if (errors_.size() < 20) errors_.push_back(pointer + ": " + message);
  }
  bool ok() const { return errors_.empty(); }
  std::string Message() const {
    std::string out;
    for (const std::string& e : errors_) out += (out.empty() ? "" : "; ") + e;
    return out;
  }

  // Rejects keys outside `allowed`.
  void Keys(const Json& obj, const std::string& at, std::initializer_list<const char*> allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool known = false;
      for (const char* a : allowed) known = known || it.key() == a;
      if (!known) Fail(at + "/" + it.key(), "unknown field (payloads carry only counts)");
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
    return it->get_ptr<const std::string*>();
  }
  // A non-negative whole count.
  bool Count(const Json& v, const std::string& at, double* out) {
    int64_t count = 0;
    if (!JsonIntInRange(v, 0, static_cast<int64_t>(kMaxCount), &count)) {
      Fail(at, "expected a whole count >= 0");
      return false;
    }
    *out = static_cast<double>(count);
    return true;
  }
  // An estimate-free count field; missing is 0 when optional.
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
    for (size_t i = 0; i < expected; ++i) Count((*it)[i], at + "/" + key + "/" + std::to_string(i), &out[i]);
    return out;
  }

 private:
  std::vector<std::string> errors_;
};

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
  out->skipped = check->CountField(q, "skipped", at, false);
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
  if (out->multiple) {
    answered = check->CountField(q, "n", at, true);  // respondents; counts add per option
  } else if (q.contains("n")) {
    check->Fail(at + "/n", "only multiple-choice questions carry n");
  }
  out->answered = answered;
  return true;
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

Payload PayloadFromSession(const Session& session, const std::string& site,
                           const std::string& batch, const std::string& period, Host& host) {
  const Survey& survey = session.survey();
  Payload p;
  p.batch = batch;
  p.site = site;
  p.survey = survey.id;
  p.survey_version = survey.version;
  p.period = period;
  p.locale = session.locale();
  p.tally = Tally::For(survey);
  p.tally.displays = 1;
  p.tally.completions = session.state() == SessionState::kCompleted ? 1 : 0;
  p.tally.dismissals = session.state() == SessionState::kDismissed ? 1 : 0;

  const std::optional<double>& eps = survey.privacy.local_dp_epsilon;
  const bool noisy = eps.has_value() && *eps > 0;
  if (noisy) p.noise_epsilon = *eps;

  int nps_group = -1;
  for (size_t i = 0; i < survey.questions.size(); ++i) {
    const Question& q = survey.questions[i];
    const Answer& a = session.answer(static_cast<int>(i));
    if (!session.seen(static_cast<int>(i)) || !session.IsVisible(static_cast<int>(i))) continue;
    QuestionTally& t = p.tally.questions[i];
    t.multiple = q.multiple;
    SetNoise(&t, p.noise_epsilon, survey.privacy.nps_full_histogram);
    if (!a.answered) {
      t.skipped += 1;
      continue;
    }
    t.answered += 1;
    if (q.IsScale()) {
      int cell = a.value - q.MinValue();
      if (q.type == QuestionType::kNps && nps_group < 0) nps_group = NpsGroupIndex(a.value);
      if (noisy) {
        const RandomizedResponse rr{t.noise_k, *eps};
        if (t.NpsGrouped()) {
          cell = kGroupCell[rr.Randomize(NpsGroupIndex(a.value), host)];
        } else {
          cell = rr.Randomize(cell, host);
        }
      }
      t.counts[cell] += 1;
    } else if (q.type == QuestionType::kChoice) {
      if (noisy && q.multiple) {
        // Each option is a yes/no report; the budget is split across the options.
        const RandomizedResponse rr{2, *eps / static_cast<double>(q.options.size())};
        for (size_t o = 0; o < q.options.size(); ++o) {
          const bool chosen =
              std::find(a.choices.begin(), a.choices.end(), q.options[o].id) != a.choices.end();
          t.counts[o] += rr.Randomize(chosen ? 1 : 0, host);
        }
      } else {
        for (size_t o = 0; o < q.options.size(); ++o) {
          if (std::find(a.choices.begin(), a.choices.end(), q.options[o].id) == a.choices.end()) {
            continue;
          }
          const int cell = noisy ? RandomizedResponse{t.noise_k, *eps}.Randomize(
                                       static_cast<int>(o), host)
                                 : static_cast<int>(o);
          t.counts[cell] += 1;
        }
      }
    }
  }

  if (survey.privacy.comments == CommentsPolicy::kScrubbed) {
    for (size_t i = 0; i < survey.questions.size(); ++i) {
      const Question& q = survey.questions[i];
      const int index = static_cast<int>(i);
      const Answer& a = session.answer(index);
      // Free text leaves only once submitted: text typed on the question showing when the
      // respondent closed the survey (or still showing) was never sent on purpose.
      const bool submitted = session.state() == SessionState::kCompleted || index != session.current();
      if (q.type != QuestionType::kText || !a.answered || !session.seen(index) ||
          !session.IsVisible(index) || !submitted) {
        continue;
      }
      // Under local DP the true NPS group must not ride along next to the randomized one.
      const bool with_group = nps_group >= 0 && !noisy;
      p.comments.push_back({q.id, with_group ? NpsGroupName(static_cast<NpsGroup>(nps_group)) : "", ScrubPii(a.text)});
    }
  }
  return p;
}

Json PayloadToJson(const Payload& p) {
  const bool noisy = p.noise_epsilon > 0;
  Json j = Json::object();
  j["nazar"] = 1;
  j["batch"] = p.batch;
  j["site"] = p.site;
  j["survey"] = p.survey;
  j["survey_version"] = p.survey_version;
  j["period"] = p.period;
  j["locale"] = p.locale;
  j["displays"] = Number(p.tally.displays);
  j["completions"] = Number(p.tally.completions);
  j["dismissals"] = Number(p.tally.dismissals);
  Json questions = Json::object();
  for (const QuestionTally& t : p.tally.questions) {
    if (t.type == QuestionType::kText || (t.answered == 0 && t.skipped == 0)) continue;
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
      q["n"] = Number(t.answered);
    }
    if (t.skipped > 0) q["skipped"] = Number(t.skipped);
    questions[t.id] = std::move(q);
  }
  j["questions"] = std::move(questions);
  if (!p.comments.empty()) {
    Json comments = Json::array();
    for (const Comment& c : p.comments) {
      Json cj = {{"question", c.question}, {"text", c.text}};
      if (!c.group.empty()) cj["group"] = c.group;
      comments.push_back(std::move(cj));
    }
    j["comments"] = std::move(comments);
  }
  if (noisy) j["noise"] = {{"mechanism", "grr"}, {"epsilon", p.noise_epsilon}};
  return j;
}

Result<Payload> PayloadFromJson(const Json& j) {
  Checker check;
  if (!j.is_object()) return Status(StatusCode::kInvalidArgument, "payload: expected an object");
  check.Keys(j, "", {"nazar", "batch", "site", "survey", "survey_version", "period", "locale",
                     "displays", "completions", "dismissals", "questions", "comments", "noise"});
  Payload p;
  auto version = j.find("nazar");
  int64_t format = 0;
  if (version == j.end() || !JsonIntInRange(*version, 1, 1, &format)) {
    check.Fail("/nazar", "expected 1 (the payload format version)");
  }
  if (const std::string* s = check.String(j, "batch", "")) {
    const bool hex = s->size() == 32 && std::all_of(s->begin(), s->end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
    if (!hex) check.Fail("/batch", "expected 32 lowercase hex digits");
    p.batch = *s;
  }
  if (const std::string* s = check.String(j, "site", "")) {
    const bool host = !s->empty() && s->size() <= 253 &&
                      std::all_of(s->begin(), s->end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                               (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
                               c == '[' || c == ']';
                      });
    if (!host) check.Fail("/site", "expected a host name (no scheme, path or query)");
    p.site = *s;
  }
  if (const std::string* s = check.String(j, "survey", "")) {
    if (!IsSlug(*s)) check.Fail("/survey", "expected a survey id (lowercase slug)");
    p.survey = *s;
  }
  if (const std::string* s = check.String(j, "survey_version", "")) {
    if (s->empty() || s->size() > 64) check.Fail("/survey_version", "expected 1-64 characters");
    p.survey_version = *s;
  }
  if (const std::string* s = check.String(j, "period", "")) {
    if (s->size() != 10 || !ParseIsoDay(*s)) check.Fail("/period", "expected a day YYYY-MM-DD");
    p.period = *s;
  }
  if (const std::string* s = check.String(j, "locale", "")) {
    if (!IsLocaleTag(*s)) check.Fail("/locale", "expected a BCP 47 language tag");
    p.locale = *s;
  }
  p.tally.displays = check.CountField(j, "displays", "", true);
  p.tally.completions = check.CountField(j, "completions", "", true);
  p.tally.dismissals = check.CountField(j, "dismissals", "", true);
  if (p.tally.completions + p.tally.dismissals > p.tally.displays) {
    check.Fail("/completions", "completions + dismissals exceed displays");
  }

  if (auto noise = j.find("noise"); noise != j.end()) {
    if (!noise->is_object()) {
      check.Fail("/noise", "expected an object");
    } else {
      check.Keys(*noise, "/noise", {"mechanism", "epsilon"});
      const std::string* m = check.String(*noise, "mechanism", "/noise");
      if (m && *m != "grr") check.Fail("/noise/mechanism", "only \"grr\" is supported");
      auto e = noise->find("epsilon");
      if (e == noise->end() || !e->is_number() || !(e->get<double>() > 0) ||
          e->get<double>() > 10) {
        check.Fail("/noise/epsilon", "expected a number in (0, 10]");
      } else {
        p.noise_epsilon = e->get<double>();
      }
    }
  }

  auto questions = j.find("questions");
  if (questions == j.end() || !questions->is_object()) {
    check.Fail("/questions", "expected an object of question counts");
  } else {
    std::optional<bool> nps_grouped;  // the survey's setting, the same for every NPS question
    for (auto it = questions->begin(); it != questions->end(); ++it) {
      const std::string at = "/questions/" + it.key();
      if (!IsSlug(it.key())) {
        check.Fail(at, "question ids are lowercase slugs");
        continue;
      }
      QuestionTally t;
      bool grouped = false;
      if (ParseQuestion(it.key(), it.value(), at, p.noise_epsilon > 0, &check, &t, &grouped)) {
        SetNoise(&t, p.noise_epsilon, /*nps_full=*/!grouped);
        if (t.type == QuestionType::kNps) {
          if (nps_grouped && *nps_grouped != grouped) {
            check.Fail(at, "all NPS questions of a payload use counts, or all use groups");
          }
          nps_grouped = grouped;
        }
        p.tally.questions.push_back(std::move(t));
      }
    }
  }

  if (auto comments = j.find("comments"); comments != j.end()) {
    if (!comments->is_array() || comments->size() > kMaxComments) {
      check.Fail("/comments", "expected a list of at most 1000 comments");
    } else {
      for (size_t i = 0; i < comments->size(); ++i) {
        const Json& c = (*comments)[i];
        const std::string at = "/comments/" + std::to_string(i);
        if (!c.is_object()) {
          check.Fail(at, "expected an object");
          continue;
        }
        check.Keys(c, at, {"question", "group", "text"});
        Comment out;
        if (const std::string* s = check.String(c, "question", at)) out.question = *s;
        if (const std::string* s = check.String(c, "group", at, false)) {
          if (*s != "promoter" && *s != "passive" && *s != "detractor") {
            check.Fail(at + "/group", "expected promoter, passive or detractor");
          }
          out.group = *s;
        }
        if (const std::string* s = check.String(c, "text", at)) {
          if (s->size() > kMaxCommentBytes) check.Fail(at + "/text", "longer than 20000 bytes");
          out.text = *s;
        }
        p.comments.push_back(std::move(out));
      }
    }
  }
  if (!check.ok()) return Status(StatusCode::kInvalidArgument, check.Message());
  return p;
}

}  // namespace nazar
