// Tallies and the Contract 4 report. Numbers are rounded only here, for output: scores, percents
// and their intervals to one decimal, means (and their intervals) to two, counts kept exact.
#include "nazar/report.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <set>
#include <utility>

#include "nazar/privacy.h"

namespace nazar {
namespace {

// ---- Numbers for output ----

// `x` rounded to `decimals` places; null when not finite, never "-0.0".
Json Rounded(double x, int decimals) {
  if (!std::isfinite(x)) return nullptr;
  const double scale = std::pow(10.0, decimals);
  const double r = std::round(x * scale) / scale;
  return r == 0 ? 0.0 : r;
}

// A count: an integer when whole (plain data), else up to two decimals (local-DP estimates).
Json Count(double x) {
  if (!std::isfinite(x)) return nullptr;
  const double r = std::round(x);
  if (std::fabs(x - r) <= 1e-9 * std::max(1.0, std::fabs(x)) && std::fabs(r) < 9e15) {
    return static_cast<int64_t>(r);
  }
  return Rounded(x, 2);
}

Json Counts(const std::vector<double>& counts) {
  Json out = Json::array();
  for (double c : counts) out.push_back(Count(c));
  return out;
}

Json IntervalJson(const Interval& ci, int decimals) {
  return Json::array({Rounded(ci.lo, decimals), Rounded(ci.hi, decimals)});
}

// ---- One question ----

// Local-DP estimates sum to n only up to rounding: never suppress 5 answers stored as 4.9999999.
constexpr double kCountSlack = 1e-6;

struct QuestionReport {
  double n = 0;
  Json json;
};

int ScaleOf(const QuestionTally& t) {
  return t.scale > 0 ? t.scale : static_cast<int>(t.counts.size());
}

// Respondents of a choice question: `answered`, or for single choice the sum of the counts when
// a producer left `answered` at 0.
double ChoiceRespondents(const QuestionTally& t) {
  if (t.answered > 0 || t.multiple) return t.answered;
  double n = 0;
  for (double c : t.counts) n += c;
  return n;
}

// ---- Local differential privacy ----

// Estimated true counts of a noisy question: per value (cells as in the plain histogram), of
// "no answer", and the estimated answers n; unbiased and unclipped.
struct NoisyCounts {
  std::vector<double> counts;
  double no_answer = 0;
  double n = 0;
};

NoisyCounts EstimateNoisyCounts(const QuestionTally& t) {
  NoisyCounts e;
  e.counts.assign(t.counts.size(), 0.0);
  if (t.type == QuestionType::kChoice && t.multiple) {
    // One yes/no bit per option plus a "no answer" bit from every report, each at the
    // question's share split across the options + 1 bits.
    const double reports = t.answered;
    const RandomizedResponse bit{2, t.noise_epsilon / static_cast<double>(t.counts.size() + 1)};
    const auto estimate = [&](double yes) {
      return reports > 0 ? reports * GrrShare(yes / reports, 1, bit.p(), bit.q()) : 0;
    };
    for (size_t i = 0; i < e.counts.size(); ++i) e.counts[i] = estimate(t.counts[i]);
    e.no_answer = estimate(t.skipped);
    e.n = reports - e.no_answer;
    return e;
  }
  const RandomizedResponse rr{t.noise_k, t.noise_epsilon};
  double reports = t.skipped;
  for (double c : t.counts) reports += c;
  if (!(reports > 0)) return e;
  const auto estimate = [&](double c) {
    return reports * GrrShare(c / reports, 1, rr.p(), rr.q());
  };
  if (t.NpsGrouped()) {
    // One value per group (0-6, 7-8, 9-10 reports), shown at cells 0, 7, 9.
    double groups[3] = {0, 0, 0};
    for (size_t v = 0; v < t.counts.size(); ++v) {
      groups[static_cast<int>(NpsGroupOf(static_cast<int>(v)))] += t.counts[v];
    }
    const size_t cell[3] = {0, 7, 9};
    for (int g = 0; g < 3; ++g) {
      if (cell[g] < e.counts.size()) e.counts[cell[g]] = estimate(groups[g]);
    }
  } else {
    for (size_t i = 0; i < e.counts.size(); ++i) e.counts[i] = estimate(t.counts[i]);
  }
  e.no_answer = estimate(t.skipped);
  e.n = reports - e.no_answer;
  return e;
}

double ClippedCount(double x, double n) { return std::min(std::max(x, 0.0), std::max(n, 0.0)); }

// Estimated counts of a noisy question clipped to [0, n] for display (scores use the unclipped
// estimates).
std::vector<double> DisplayEstimates(const QuestionTally& t, double n) {
  std::vector<double> out = EstimateNoisyCounts(t).counts;
  for (double& c : out) c = ClippedCount(c, n);
  return out;
}

// Choice shares in percent from a noisy question: estimated count over estimated answers.
Json NoisyShares(const QuestionTally& t) {
  const NoisyCounts e = EstimateNoisyCounts(t);
  Json shares = Json::array();
  for (double c : e.counts) shares.push_back(e.n > 0 ? Rounded(100 * c / e.n, 1) : Json(0.0));
  return shares;
}

// Estimated completions of a noisy tally (randomized completed/not reports, k = 2), unclipped.
double EstimatedCompletions(const Tally& tally) {
  const RandomizedResponse rr{2, tally.noise_epsilon / tally.noise_items};
  return rr.Estimate({tally.displays - tally.completions, tally.completions})[1];
}

// The full numbers of one question (before suppression) and its n. A question whose counts are
// local-DP reports (t.Noisy()) is scored by the GRR estimators, its displayed counts are the
// estimates clipped to [0, n], and it carries a "noise" object; the JSON shape is otherwise one.
QuestionReport ReportQuestion(const QuestionTally& t) {
  const bool noisy = t.Noisy() && t.type != QuestionType::kText;
  const RandomizedResponse rr = noisy ? RandomizedResponse{t.noise_k, t.noise_epsilon}
                                      : RandomizedResponse{};
  const double p = rr.p(), q = rr.q();  // used only when noisy
  // Estimates may leave [0, n]; plain counts are shown as they are.
  auto shown = [noisy](double x, double n) { return noisy ? ClippedCount(x, n) : x; };
  Json noise = {{"mechanism", "grr"}, {"epsilon", t.noise_epsilon}, {"k", t.noise_k}};
  QuestionReport r;
  Json& j = r.json;
  j["type"] = QuestionTypeName(t.type);
  switch (t.type) {
    case QuestionType::kNps: {
      const NpsScore s =
          noisy ? ScoreNpsGrr(t.counts, t.skipped, t.NpsGrouped(), p, q) : ScoreNps(t.counts);
      r.n = s.n;
      j["score"] = Rounded(s.score, 1);
      j["ci95"] = IntervalJson(s.ci95, 1);
      j["promoters"] = Count(shown(s.promoters, s.n));
      j["passives"] = Count(shown(s.passives, s.n));
      j["detractors"] = Count(shown(s.detractors, s.n));
      if (IsLowPrecision(s.ci95)) j["low_precision"] = true;
      break;
    }
    case QuestionType::kCsat: {
      const CsatScore s = noisy ? ScoreCsatGrr(t.counts, t.skipped, ScaleOf(t), t.satisfied, p, q)
                                : ScoreCsat(t.counts, ScaleOf(t), t.satisfied);
      r.n = s.n;
      j["scale"] = ScaleOf(t);
      j["score"] = Rounded(s.score, 1);
      j["ci95"] = IntervalJson(s.ci95, 1);
      j["satisfied"] = Count(shown(s.satisfied, s.n));
      j["satisfied_set"] = s.satisfied_set;
      break;
    }
    case QuestionType::kCes:
    case QuestionType::kRating: {
      const MeanScore s = noisy ? ScoreMeanGrr(t.counts, t.skipped, ScaleOf(t), p, q)
                                : ScoreMean(t.counts, ScaleOf(t));
      r.n = s.n;
      j["scale"] = ScaleOf(t);
      j["mean"] = Rounded(s.mean, 2);
      j["ci95"] = s.has_ci ? IntervalJson(s.ci95, 2) : Json(nullptr);
      if (t.type == QuestionType::kCes) {
        j["sd"] = s.has_ci ? Rounded(s.sd, 2) : Json(nullptr);
        j["agree_pct"] = Rounded(noisy ? AgreePctGrr(t.counts, t.skipped, ScaleOf(t), p, q)
                                       : AgreePct(t.counts, ScaleOf(t)),
                                 1);
      }
      break;
    }
    case QuestionType::kChoice: {
      r.n = noisy ? EstimateNoisyCounts(t).n : ChoiceRespondents(t);
      j["options"] = t.options;
      Json shares = Json::array();
      if (noisy) {
        shares = NoisyShares(t);
        if (t.multiple) {
          noise["epsilon_per_option"] = t.noise_epsilon / static_cast<double>(t.counts.size() + 1);
        }
      } else {
        for (double c : t.counts) shares.push_back(r.n > 0 ? Rounded(100 * c / r.n, 1) : Json(0.0));
      }
      j["shares"] = std::move(shares);
      break;
    }
    case QuestionType::kText:
      r.n = t.answered;
      break;
  }
  j["n"] = Count(r.n);
  if (t.type != QuestionType::kText) {
    j["counts"] = Counts(noisy ? DisplayEstimates(t, r.n) : t.counts);
    // Under noise: the estimated "no answer" count (hidden, not reached, skipped).
    j["skipped"] =
        Count(noisy ? ClippedCount(EstimateNoisyCounts(t).no_answer, t.answered) : t.skipped);
  }
  if (noisy) {
    noise["reported_counts"] = Counts(t.counts);
    noise["reported_skipped"] = Count(t.skipped);
    j["noise"] = std::move(noise);
  }
  return r;
}

// Prefix of suppressed entries and conflicts for a cell: "segment=web/period=2026-W47/".
std::string CellLabel(const std::string& segment, const std::string& period) {
  std::string label;
  if (!segment.empty()) label += "segment=" + segment + "/";
  if (!period.empty()) label += "period=" + period + "/";
  return label;
}

// ---- Reading a report back (FormatReportText) without exceptions ----

const Json* Field(const Json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string Str(const Json* j) {
  return j != nullptr && j->is_string() ? j->get<std::string>() : "";
}

// A number as text: integers as they are, other numbers with `decimals` places, else "-".
std::string Num(const Json* j, int decimals) {
  char buf[64];
  if (j == nullptr || !j->is_number()) return "-";
  if (j->is_number_integer()) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(j->get<int64_t>()));
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", decimals, j->get<double>());
  }
  return buf;
}

std::string CiText(const Json* ci, int decimals) {
  if (ci == nullptr || !ci->is_array() || ci->size() != 2) return "-";
  return "[" + Num(&(*ci)[0], decimals) + ", " + Num(&(*ci)[1], decimals) + "]";
}

// Width in code points, so Persian and Arabic ids line up like ASCII ones.
size_t TextWidth(const std::string& s) {
  size_t width = 0;
  for (unsigned char c : s) width += (c & 0xC0) != 0x80;
  return width;
}

// Rows as a fixed-width table: columns padded to their widest cell, two spaces apart.
std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], TextWidth(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - TextWidth(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// One table row for a question of a report cell.
std::vector<std::string> QuestionRow(const std::string& id, const Json& q) {
  const std::string type = Str(Field(q, "type"));
  if (Field(q, "suppressed") != nullptr)
    return {id, type, "-", "-", "-", "suppressed (few answers)"};
  std::vector<std::string> row = {id, type, Num(Field(q, "n"), 2), "-", "-", ""};
  std::string& details = row[5];
  auto add = [&details](const std::string& s) { details += (details.empty() ? "" : ", ") + s; };
  if (type == "nps" || type == "csat") {
    row[3] = Num(Field(q, "score"), 1);
    row[4] = CiText(Field(q, "ci95"), 1);
  } else if (type == "ces" || type == "rating") {
    row[3] = Num(Field(q, "mean"), 2);
    row[4] = CiText(Field(q, "ci95"), 2);
  }
  if (type == "nps" && Field(q, "promoters") != nullptr) {
    add("P " + Num(Field(q, "promoters"), 2) + " / A " + Num(Field(q, "passives"), 2) + " / D " +
        Num(Field(q, "detractors"), 2));
    if (Field(q, "low_precision") != nullptr) add("low precision");
  } else if (type == "csat" && Field(q, "satisfied") != nullptr) {
    std::string set;
    if (const Json* s = Field(q, "satisfied_set"); s != nullptr && s->is_array()) {
      for (const Json& v : *s) set += (set.empty() ? "" : ",") + Num(&v, 0);
    }
    add("satisfied " + Num(Field(q, "satisfied"), 2) + " {" + set + "}");
  } else if (type == "ces" && Field(q, "agree_pct") != nullptr) {
    add("sd " + Num(Field(q, "sd"), 2));
    add("agree " + Num(Field(q, "agree_pct"), 1) + "%");
  } else if (type == "choice") {
    const Json* options = Field(q, "options");
    const Json* shares = Field(q, "shares");
    if (options != nullptr && shares != nullptr && options->is_array() && shares->is_array()) {
      for (size_t i = 0; i < options->size() && i < shares->size(); ++i) {
        add(Str(&(*options)[i]) + " " + Num(&(*shares)[i], 1) + "%");
      }
    }
  }
  if (const Json* skipped = Field(q, "skipped");
      skipped != nullptr && skipped->is_number() && skipped->get<double>() != 0) {
    add("skipped " + Num(skipped, 2));
  }
  if (const Json* noise = Field(q, "noise"); noise != nullptr) {
    const Json* ci = Field(q, "ci95");
    add("local DP eps " + Num(Field(*noise, "epsilon"), 2) +
        (ci != nullptr && ci->is_array() ? " (CI includes the noise)" : ""));
  }
  return row;
}

// Displays line, question table and suppressed list of one report cell.
std::string CellText(const Json& cell) {
  std::string out = "Displays " + Num(Field(cell, "displays"), 2) + ", completions " +
                    Num(Field(cell, "completions"), 2) + ", response rate ";
  const Json* rate = Field(cell, "response_rate");
  if (rate != nullptr && rate->is_number()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100 * rate->get<double>());
    out += buf;
  } else {
    out += "-";
  }
  out += "\n";
  const Json* questions = Field(cell, "questions");
  if (questions != nullptr && questions->is_object() && !questions->empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"Question", "Type", "n", "Score/mean", "95% CI", "Details"}};
    for (auto it = questions->begin(); it != questions->end(); ++it) {
      rows.push_back(QuestionRow(it.key(), it.value()));
    }
    out += Table(rows);
  }
  const Json* suppressed = Field(cell, "suppressed");
  if (suppressed != nullptr && suppressed->is_array() && !suppressed->empty()) {
    std::string list;
    for (const Json& s : *suppressed) list += (list.empty() ? "" : ", ") + Str(&s);
    out += "Suppressed (too few answers to show): " + list + "\n";
  }
  return out;
}

}  // namespace

// ---- Tallies ----

QuestionTally QuestionTally::For(const Question& q) {
  QuestionTally t;
  t.id = q.id;
  t.type = q.type;
  switch (q.type) {
    case QuestionType::kNps:
      t.scale = 11;
      break;
    case QuestionType::kCsat:
    case QuestionType::kCes:
    case QuestionType::kRating:
      t.scale = std::max(q.scale, 0);
      if (q.type == QuestionType::kCsat) t.satisfied = q.satisfied;
      break;
    case QuestionType::kChoice:
      t.multiple = q.multiple;
      for (const ChoiceOption& o : q.options) t.options.push_back(o.id);
      break;
    case QuestionType::kText:
      break;
  }
  t.counts.assign(q.type == QuestionType::kChoice ? t.options.size() : static_cast<size_t>(t.scale),
                  0.0);
  return t;
}

bool QuestionTally::Empty() const {
  if (answered != 0 || skipped != 0) return false;
  for (double c : counts) {
    if (c != 0) return false;
  }
  return true;
}

bool QuestionTally::Merge(const QuestionTally& other) {
  if (id != other.id || type != other.type || scale != other.scale || options != other.options ||
      multiple != other.multiple) {
    return false;
  }
  // Reports of different mechanisms cannot be added: same epsilon and k, or both none.
  if (noise_epsilon != other.noise_epsilon || noise_k != other.noise_k) {
    if (Empty()) {
      noise_epsilon = other.noise_epsilon;
      noise_k = other.noise_k;
    } else if (!other.Empty()) {
      return false;
    }
  }
  if (counts.size() < other.counts.size()) counts.resize(other.counts.size(), 0.0);
  for (size_t i = 0; i < other.counts.size(); ++i) counts[i] += other.counts[i];
  answered += other.answered;
  skipped += other.skipped;
  if (satisfied.empty()) satisfied = other.satisfied;
  return true;
}

Tally Tally::For(const Survey& survey) {
  Tally t;
  for (const Question& q : survey.questions) t.questions.push_back(QuestionTally::For(q));
  return t;
}

const QuestionTally* Tally::Find(const std::string& question_id) const {
  for (const QuestionTally& q : questions) {
    if (q.id == question_id) return &q;
  }
  return nullptr;
}

QuestionTally* Tally::Find(const std::string& question_id) {
  return const_cast<QuestionTally*>(static_cast<const Tally*>(this)->Find(question_id));
}

bool Tally::Merge(const Tally& other) {
  // All or nothing: check every shape before adding anything.
  Tally merged = *this;
  if (noise_epsilon != other.noise_epsilon || noise_items != other.noise_items) {
    // Randomized completions add up only under one mechanism; an empty side takes the other's.
    if (displays == 0 && completions == 0) {
      merged.noise_epsilon = other.noise_epsilon;
      merged.noise_items = other.noise_items;
    } else if (other.displays != 0 || other.completions != 0) {
      return false;
    }
  }
  for (const QuestionTally& q : other.questions) {
    QuestionTally* mine = merged.Find(q.id);
    if (mine == nullptr) {
      merged.questions.push_back(q);
    } else if (!mine->Merge(q)) {
      return false;
    }
  }
  merged.displays += other.displays;
  merged.completions += other.completions;
  merged.dismissals += other.dismissals;
  *this = std::move(merged);
  return true;
}

// ---- Report ----

Json ReportCell(const Tally& tally, const ReportOptions& options, const std::string& label) {
  const double min_count = std::max(options.min_count, kMinCellCount);
  Json cell = Json::object();
  // Local DP: completions are randomized reports; show their estimate (clipped for display).
  const double completions =
      tally.Noisy() ? ClippedCount(EstimatedCompletions(tally), tally.displays) : tally.completions;
  cell["displays"] = Count(tally.displays);
  cell["completions"] = Count(completions);
  cell["response_rate"] =
      tally.displays > 0 ? Rounded(completions / tally.displays, 3) : Json(nullptr);
  if (tally.Noisy()) {
    cell["noise"] = {
        {"mechanism", "grr"}, {"epsilon", tally.noise_epsilon}, {"items", tally.noise_items}};
  }
  Json questions = Json::object();
  Json suppressed = Json::array();
  for (const QuestionTally& t : tally.questions) {
    if (t.Noisy() && t.type != QuestionType::kText && !cell.contains("noise")) {
      cell["noise"] = {{"mechanism", "grr"}, {"epsilon", t.noise_epsilon}};
    }
    QuestionReport r = ReportQuestion(t);
    if (r.n < kCountSlack) {
      // Nobody answered: nothing to hide, nothing to score.
      Json empty = {{"type", QuestionTypeName(t.type)}, {"n", 0}};
      if (t.type != QuestionType::kText && t.skipped != 0) empty["skipped"] = Count(t.skipped);
      questions[t.id] = std::move(empty);
    } else if (r.n < min_count - kCountSlack) {
      questions[t.id] = {{"type", QuestionTypeName(t.type)}, {"suppressed", true}};
      suppressed.push_back(label + t.id);
    } else {
      questions[t.id] = std::move(r.json);
    }
  }
  cell["questions"] = std::move(questions);
  cell["suppressed"] = std::move(suppressed);
  return cell;
}

Json BuildReport(const std::string& survey_id, const std::string& from, const std::string& to,
                 const std::vector<ReportCellInput>& cells, const ReportOptions& options) {
  using Key = std::pair<std::string, std::string>;  // (segment, period)
  Tally overall;
  bool have_overall = false;
  std::map<std::string, Tally> segments, periods;
  std::map<Key, Tally> crossed;
  std::set<std::string> conflicts;
  auto add = [&conflicts](Tally* into, const Tally& t, const std::string& label) {
    if (!into->Merge(t)) conflicts.insert(label.empty() ? "(overall)" : label);
  };
  for (const ReportCellInput& c : cells) {
    const std::string label = CellLabel(c.segment, c.period);
    if (c.segment.empty() && c.period.empty()) {
      add(&overall, c.tally, label);
      have_overall = true;
    } else if (c.period.empty()) {
      add(&segments[c.segment], c.tally, label);
    } else if (c.segment.empty()) {
      add(&periods[c.period], c.tally, label);
    } else {
      add(&crossed[{c.segment, c.period}], c.tally, label);
    }
  }
  // Totals the caller did not give are sums of the finer cells (aggregates merge by addition).
  const bool derive_segments = segments.empty(), derive_periods = periods.empty();
  for (const auto& [key, t] : crossed) {
    const std::string label = CellLabel(key.first, key.second);
    if (derive_segments) add(&segments[key.first], t, label);
    if (derive_periods) add(&periods[key.second], t, label);
  }
  if (!have_overall) {
    for (const auto& [name, t] : segments.empty() ? periods : segments) {
      add(&overall, t, segments.empty() ? CellLabel("", name) : CellLabel(name, ""));
    }
  }

  Json report = ReportCell(overall, options, "");
  report["survey"] = survey_id;
  report["from"] = from.empty() ? Json(nullptr) : Json(from);
  report["to"] = to.empty() ? Json(nullptr) : Json(to);
  auto section = [&](const char* name, auto& cells_by_key, auto labelled) {
    if (cells_by_key.empty()) return;
    Json list = Json::array();
    for (const auto& [key, t] : cells_by_key) list.push_back(labelled(key, t));
    report[name] = std::move(list);
  };
  section("segments", segments, [&](const std::string& segment, const Tally& t) {
    Json cell = ReportCell(t, options, CellLabel(segment, ""));
    cell["segment"] = segment;
    return cell;
  });
  section("periods", periods, [&](const std::string& period, const Tally& t) {
    Json cell = ReportCell(t, options, CellLabel("", period));
    cell["period"] = period;
    return cell;
  });
  section("cells", crossed, [&](const Key& key, const Tally& t) {
    Json cell = ReportCell(t, options, CellLabel(key.first, key.second));
    cell["segment"] = key.first;
    cell["period"] = key.second;
    return cell;
  });
  if (!conflicts.empty()) report["conflicts"] = Json(conflicts);
  return report;
}

std::string FormatReportText(const Json& report) {
  std::string out = "Survey " + Str(Field(report, "survey")) + "\n";
  const std::string from = Str(Field(report, "from")), to = Str(Field(report, "to"));
  if (!from.empty() || !to.empty()) {
    out += "Range " + (from.empty() ? "?" : from) + " to " + (to.empty() ? "?" : to) + "\n";
  }
  out += CellText(report);
  auto sections = [&](const char* name) {
    const Json* list = Field(report, name);
    if (list == nullptr || !list->is_array()) return;
    for (const Json& cell : *list) {
      const std::string segment = Str(Field(cell, "segment")), period = Str(Field(cell, "period"));
      std::string title = segment.empty() ? "" : "Segment " + segment;
      if (!period.empty()) title += (title.empty() ? "Period " : ", period ") + period;
      out += "\n" + title + "\n" + CellText(cell);
    }
  };
  sections("segments");
  sections("periods");
  sections("cells");
  const Json* conflicts = Field(report, "conflicts");
  if (conflicts != nullptr && conflicts->is_array() && !conflicts->empty()) {
    std::string list;
    for (const Json& c : *conflicts) list += (list.empty() ? "" : ", ") + Str(&c);
    out += "\nNot merged (question shapes differ): " + list + "\n";
  }
  return out;
}

}  // namespace nazar
