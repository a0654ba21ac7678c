// Tallies, scoring and suppression of the Contract 4 report. The typed Report is rendered by
// report_format.cc; numbers are rounded only there, for output.
#include "nazar/report.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "nazar/privacy.h"
#include "report_internal.h"

namespace nazar {
namespace {

// Local-DP estimates sum to n only up to rounding: never suppress 5 answers stored as 4.9999999.
constexpr double kCountSlack = 1e-6;

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
    for (int g = 0; g < 3; ++g) {
      const auto cell = static_cast<size_t>(QuestionTally::kNpsGroupCell[g]);
      if (cell < e.counts.size()) e.counts[cell] = estimate(groups[g]);
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
std::vector<double> NoisyShares(const QuestionTally& t) {
  const NoisyCounts e = EstimateNoisyCounts(t);
  std::vector<double> shares;
  for (double c : e.counts) shares.push_back(e.n > 0 ? 100 * c / e.n : 0.0);
  return shares;
}

// Estimated completions of a noisy tally (randomized completed/not reports, k = 2), unclipped.
double EstimatedCompletions(const Tally& tally) {
  const RandomizedResponse rr{2, tally.noise_epsilon / tally.noise_items};
  return rr.Estimate({tally.displays - tally.completions, tally.completions})[1];
}

// The full numbers of one question (before suppression). A question whose counts are local-DP
// reports (t.Noisy()) is scored by the GRR estimators, its displayed counts are the estimates
// clipped to [0, n], and it carries the noise parameters; the result is otherwise the same.
QuestionResult ReportQuestion(const QuestionTally& t) {
  const bool noisy = t.Noisy() && t.type != QuestionType::kText;
  const RandomizedResponse rr = noisy ? RandomizedResponse{t.noise_k, t.noise_epsilon}
                                      : RandomizedResponse{};
  const double p = rr.p(), q = rr.q();  // used only when noisy
  // Estimates may leave [0, n]; plain counts are shown as they are.
  auto shown = [noisy](double x, double n) { return noisy ? ClippedCount(x, n) : x; };
  QuestionResult r;
  r.id = t.id;
  r.type = t.type;
  r.noisy = noisy;
  if (noisy) {
    r.noise_epsilon = t.noise_epsilon;
    r.noise_k = t.noise_k;
  }
  switch (t.type) {
    case QuestionType::kNps: {
      const NpsScore s =
          noisy ? ScoreNpsGrr(t.counts, t.skipped, t.NpsGrouped(), p, q) : ScoreNps(t.counts);
      r.n = s.n;
      r.score = s.score;
      r.ci95 = s.ci95;
      r.promoters = shown(s.promoters, s.n);
      r.passives = shown(s.passives, s.n);
      r.detractors = shown(s.detractors, s.n);
      r.low_precision = IsLowPrecision(s.ci95);
      break;
    }
    case QuestionType::kCsat: {
      const CsatScore s = noisy ? ScoreCsatGrr(t.counts, t.skipped, ScaleOf(t), t.satisfied, p, q)
                                : ScoreCsat(t.counts, ScaleOf(t), t.satisfied);
      r.n = s.n;
      r.scale = ScaleOf(t);
      r.score = s.score;
      r.ci95 = s.ci95;
      r.satisfied = shown(s.satisfied, s.n);
      r.satisfied_set = s.satisfied_set;
      break;
    }
    case QuestionType::kCes:
    case QuestionType::kRating: {
      const MeanScore s = noisy ? ScoreMeanGrr(t.counts, t.skipped, ScaleOf(t), p, q)
                                : ScoreMean(t.counts, ScaleOf(t));
      r.n = s.n;
      r.scale = ScaleOf(t);
      r.mean = s.mean;
      r.has_ci = s.has_ci;
      r.ci95 = s.ci95;
      r.sd = s.sd;
      if (t.type == QuestionType::kCes) {
        r.agree_pct = noisy ? AgreePctGrr(t.counts, t.skipped, ScaleOf(t), p, q)
                            : AgreePct(t.counts, ScaleOf(t));
      }
      break;
    }
    case QuestionType::kChoice: {
      r.n = noisy ? EstimateNoisyCounts(t).n : ChoiceRespondents(t);
      r.options = t.options;
      if (noisy) {
        r.shares = NoisyShares(t);
        if (t.multiple) {
          // One yes/no bit per option plus "no answer", the question's budget split across them.
          r.epsilon_per_option = t.noise_epsilon / static_cast<double>(t.counts.size() + 1);
        }
      } else {
        for (double c : t.counts) r.shares.push_back(r.n > 0 ? 100 * c / r.n : 0.0);
      }
      break;
    }
    case QuestionType::kText:
      r.n = t.answered;
      break;
  }
  if (t.type != QuestionType::kText) {
    r.counts = noisy ? DisplayEstimates(t, r.n) : t.counts;
    // Under noise: the estimated "no answer" count (hidden, not reached, skipped).
    r.skipped = noisy ? ClippedCount(EstimateNoisyCounts(t).no_answer, t.answered) : t.skipped;
  }
  if (noisy) {
    r.reported_counts = t.counts;
    r.reported_skipped = t.skipped;
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

// ---- Cells and suppression ----

// Every number of one cell, and its n (CellResult::n); nothing hidden yet.
CellResult ScoreCell(const Tally& tally, const std::string& segment, const std::string& period) {
  CellResult cell;
  cell.segment = segment;
  cell.period = period;
  cell.displays = tally.displays;
  // Local DP: completions are randomized reports; show their estimate (clipped for display).
  cell.completions = tally.Noisy() ? ClippedCount(EstimatedCompletions(tally), tally.displays)
                                   : tally.completions;
  cell.n = cell.completions;
  if (tally.Noisy()) {
    cell.noise_epsilon = tally.noise_epsilon;
    cell.noise_items = tally.noise_items;
  }
  for (const QuestionTally& t : tally.questions) {
    if (t.Noisy() && t.type != QuestionType::kText && cell.noise_epsilon == 0) {
      cell.noise_epsilon = t.noise_epsilon;
    }
    cell.questions.push_back(ReportQuestion(t));
    cell.n = std::max(cell.n, cell.questions.back().n);
  }
  return cell;
}

// The suppression threshold: a cell or question below it is hidden (or marked low precision).
double MinCount(const ReportOptions& options) {
  return std::max(options.min_count, kMinCellCount) - kCountSlack;
}

// A cell of ComputeReport's input merged: its tally and, apart, the part counted with each
// survey version (ReportCellInput::version), so each version's respondents can be counted.
struct InputCell {
  Tally tally;
  std::map<std::string, Tally> by_version;
};

// The cell's numbers and the versions counted in it. When suppressing, a version is listed
// only when its own respondents (n as ScoreCell counts it) reach the minimum: a version seen
// in a handful of responses would tell that those few respondents ran an older cached widget.
CellResult ScoreInput(const InputCell& in, const std::string& segment, const std::string& period,
                      const ReportOptions& options) {
  CellResult cell = ScoreCell(in.tally, segment, period);
  for (const auto& [version, tally] : in.by_version) {
    if (!options.suppress || ScoreCell(tally, "", "").n >= MinCount(options)) {
      cell.versions.push_back(version);
    }
  }
  return cell;
}

// A cell where nothing at all was counted: nothing to hide.
bool EmptyCell(const CellResult& cell) { return cell.displays == 0 && cell.n < kCountSlack; }

void HideCell(CellResult* cell) {
  cell->suppressed = true;
  for (QuestionResult& q : cell->questions) q.suppressed = true;
}

// Hides (or, when not suppressing, marks) the cell and the questions below the minimum.
void ApplyMinimum(CellResult* cell, const ReportOptions& options) {
  const double min_count = MinCount(options);
  const bool small = !EmptyCell(*cell) && cell->n < min_count;
  if (!options.suppress) {
    cell->low_precision = small;
    for (QuestionResult& q : cell->questions) {
      if (!q.Unanswered() && q.n < min_count) q.low_precision = true;
    }
    return;
  }
  if (small) {
    HideCell(cell);
    return;
  }
  for (QuestionResult& q : cell->questions) {
    if (!q.Unanswered() && q.n < min_count) q.suppressed = true;
  }
}

// total = sum of parts: an equation a reader could solve for one hidden member.
struct Equation {
  CellResult* total;
  std::vector<CellResult*> parts;
};

// Complementary suppression over `equations` until none has exactly one hidden member: then
// another member is hidden, the shown part with the smallest size above 0 that is not the only
// such part of another equation (hiding that one would make it equal to that equation's total),
// else the total itself, else any shown part above 0. Empty parts reveal nothing and stay shown.
// `hidden(cell)`, `size(cell)` and `hide(cell)` say what a member is (a whole cell, or one
// question of it).
template <class Hidden, class Size, class Hide>
void Complement(const std::vector<Equation>& equations, Hidden hidden, Size size, Hide hide) {
  // True when `part` is the only part above 0 of an equation other than `self`.
  auto only_part_elsewhere = [&](const CellResult* part, const Equation* self) {
    for (const Equation& e : equations) {
      if (&e == self) continue;
      bool member = false, others = false;
      for (const CellResult* p : e.parts) {
        if (p == part) {
          member = true;
        } else if (size(*p) >= kCountSlack) {
          others = true;
        }
      }
      if (member && !others) return true;
    }
    return false;
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (const Equation& e : equations) {
      int count = hidden(*e.total) ? 1 : 0;
      for (const CellResult* part : e.parts) count += hidden(*part) ? 1 : 0;
      if (count != 1) continue;
      CellResult* pick = nullptr;
      CellResult* fallback = nullptr;
      for (CellResult* part : e.parts) {
        if (hidden(*part) || size(*part) < kCountSlack) continue;
        if (fallback == nullptr || size(*part) < size(*fallback)) fallback = part;
        if (only_part_elsewhere(part, &e)) continue;
        if (pick == nullptr || size(*part) < size(*pick)) pick = part;
      }
      if (pick == nullptr && !hidden(*e.total)) pick = e.total;
      if (pick == nullptr) pick = fallback;
      if (pick != nullptr) {
        hide(pick);
        changed = true;
      }
    }
  }
}

QuestionResult* FindQuestion(CellResult* cell, const std::string& id) {
  for (QuestionResult& q : cell->questions) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

// The equations of a report: the overall with its segments and with its periods, each segment
// and each period with their segment x period cells.
std::vector<Equation> Equations(Report* r) {
  std::vector<Equation> out;
  auto parts_of = [](std::vector<CellResult>* cells) {
    std::vector<CellResult*> parts;
    for (CellResult& c : *cells) parts.push_back(&c);
    return parts;
  };
  if (!r->segments.empty()) out.push_back({&r->overall, parts_of(&r->segments)});
  if (!r->periods.empty()) out.push_back({&r->overall, parts_of(&r->periods)});
  for (CellResult& s : r->segments) {
    Equation e{&s, {}};
    for (CellResult& c : r->cells) {
      if (c.segment == s.segment) e.parts.push_back(&c);
    }
    if (!e.parts.empty()) out.push_back(std::move(e));
  }
  for (CellResult& p : r->periods) {
    Equation e{&p, {}};
    for (CellResult& c : r->cells) {
      if (c.period == p.period) e.parts.push_back(&c);
    }
    if (!e.parts.empty()) out.push_back(std::move(e));
  }
  return out;
}

// A member of the crossed table: segment rows and period columns, row/column 0 the totals.
struct Member {
  CellResult* cell;
  size_t row, col;
};

// The members of a report with segments, periods and segment x period cells; empty otherwise.
std::vector<Member> TableMembers(Report* r) {
  std::vector<Member> out;
  if (r->segments.empty() || r->periods.empty() || r->cells.empty()) return out;
  std::map<std::string, size_t> rows, cols;
  for (CellResult& c : r->segments) rows.emplace(c.segment, rows.size() + 1);
  for (CellResult& c : r->periods) cols.emplace(c.period, cols.size() + 1);
  out.push_back({&r->overall, 0, 0});
  for (CellResult& c : r->segments) out.push_back({&c, rows[c.segment], 0});
  for (CellResult& c : r->periods) out.push_back({&c, 0, cols[c.period]});
  for (CellResult& c : r->cells) {
    if (rows.count(c.segment) == 0 || cols.count(c.period) == 0) return {};
    out.push_back({&c, rows[c.segment], cols[c.period]});
  }
  return out;
}

// Rows and columns (columns after the rows) reachable from `from` over hidden members other
// than `skip`.
template <class Hidden>
std::vector<bool> Reach(const std::vector<Member>& members, size_t rows, size_t nodes, size_t from,
                        const Member* skip, Hidden hidden) {
  std::vector<bool> seen(nodes, false);
  std::vector<size_t> stack = {from};
  seen[from] = true;
  while (!stack.empty()) {
    const size_t v = stack.back();
    stack.pop_back();
    for (const Member& m : members) {
      if (&m == skip || !hidden(*m.cell)) continue;
      const size_t a = m.row, b = rows + m.col;
      const size_t next = v == a ? b : (v == b ? a : SIZE_MAX);
      if (next != SIZE_MAX && !seen[next]) {
        seen[next] = true;
        stack.push_back(next);
      }
    }
  }
  return seen;
}

// Sums over rows and columns determine a hidden member that lies on no cycle of hidden members
// (a bridge: it is a sum of shown numbers over one side). Hides the shown member, smallest size
// first, that closes a cycle through each such bridge, with Complement after each.
template <class Hidden, class Size, class Hide>
void ProtectBridges(const std::vector<Equation>& equations, const std::vector<Member>& members,
                    Hidden hidden, Size size, Hide hide) {
  size_t rows = 0, cols = 0;
  for (const Member& m : members) {
    rows = std::max(rows, m.row + 1);
    cols = std::max(cols, m.col + 1);
  }
  const size_t nodes = rows + cols;
  for (bool changed = true; changed;) {
    changed = false;
    for (const Member& bridge : members) {
      if (!hidden(*bridge.cell)) continue;
      const std::vector<bool> side = Reach(members, rows, nodes, bridge.row, &bridge, hidden);
      if (side[rows + bridge.col]) continue;  // on a cycle
      const std::vector<bool> other =
          Reach(members, rows, nodes, rows + bridge.col, &bridge, hidden);
      const Member* pick = nullptr;
      for (const Member& m : members) {
        if (hidden(*m.cell)) continue;
        const bool closes =
            (side[m.row] && other[rows + m.col]) || (other[m.row] && side[rows + m.col]);
        if (!closes) continue;
        if (pick == nullptr || size(*m.cell) < size(*pick->cell)) pick = &m;
      }
      if (pick == nullptr) continue;
      hide(pick->cell);
      Complement(equations, hidden, size, hide);
      changed = true;
      break;
    }
  }
}

// Complementary suppression of whole cells, then of each question apart (METRICS.md).
void ComplementarySuppression(Report* r) {
  const std::vector<Equation> equations = Equations(r);
  const std::vector<Member> members = TableMembers(r);
  {
    auto hidden = [](const CellResult& c) { return c.suppressed; };
    auto size = [](const CellResult& c) { return c.n; };
    auto hide = [](CellResult* c) { HideCell(c); };
    Complement(equations, hidden, size, hide);
    ProtectBridges(equations, members, hidden, size, hide);
  }
  std::set<std::string> ids;
  auto collect = [&ids](const CellResult& c) {
    for (const QuestionResult& q : c.questions) ids.insert(q.id);
  };
  collect(r->overall);
  for (const auto* list : {&r->segments, &r->periods, &r->cells}) {
    for (const CellResult& c : *list) collect(c);
  }
  for (const std::string& id : ids) {
    // A cell without the question shows nothing of it: it counts as shown and empty.
    auto question = [&id](const CellResult& c) {
      return FindQuestion(const_cast<CellResult*>(&c), id);
    };
    auto hidden = [&](const CellResult& c) {
      const QuestionResult* q = question(c);
      return c.suppressed || (q != nullptr && q->suppressed);
    };
    auto size = [&](const CellResult& c) {
      const QuestionResult* q = question(c);
      return q != nullptr ? q->n : 0.0;
    };
    auto hide = [&](CellResult* c) {
      // A total without the question (its parts lack it too): hide the whole cell.
      QuestionResult* q = question(*c);
      if (q != nullptr) {
        q->suppressed = true;
      } else {
        HideCell(c);
      }
    };
    Complement(equations, hidden, size, hide);
    ProtectBridges(equations, members, hidden, size, hide);
  }
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

bool QuestionResult::Unanswered() const { return n < kCountSlack; }

std::string CellResult::Label() const { return CellLabel(segment, period); }

LiveCounts LiveCountsOf(const Report& report) {
  LiveCounts counts;
  auto add = [&counts](const CellResult& cell) {
    if (cell.suppressed) return;
    const std::string label = cell.Label();
    counts[label] = cell.n;
    for (const QuestionResult& q : cell.questions) {
      if (!q.suppressed) counts[label + q.id] = q.n;
    }
  };
  add(report.overall);
  for (const std::vector<CellResult>* list : {&report.segments, &report.periods, &report.cells}) {
    for (const CellResult& cell : *list) add(cell);
  }
  return counts;
}

int LiveStep(const ReportOptions& options) { return std::max(options.min_count, kMinCellCount); }

bool LiveStepReached(const LiveCounts& sent, const LiveCounts& now, int step) {
  bool stepped = false;
  for (const auto& [key, n] : now) {
    const auto before = sent.find(key);
    const double moved = std::abs(n - (before == sent.end() ? 0.0 : before->second));
    if (moved <= 0) continue;
    if (moved < step) return false;
    stepped = true;
  }
  return stepped;
}

Report ComputeReport(const std::string& survey_id, const std::string& from, const std::string& to,
                     const std::vector<ReportCellInput>& cells, const ReportOptions& options) {
  using Key = std::pair<std::string, std::string>;  // (segment, period)
  InputCell overall;
  bool have_overall = false;
  std::map<std::string, InputCell> segments, periods;
  std::map<Key, InputCell> crossed;
  std::set<std::string> conflicts;
  auto add = [&conflicts](InputCell* into, const InputCell& c, const std::string& label) {
    if (!into->tally.Merge(c.tally)) {
      conflicts.insert(label.empty() ? "(overall)" : label);
      return;
    }
    // One version is one definition, so its parts share a shape; a part that did not merge
    // would stay uncounted (a version is under-counted, never over-counted).
    for (const auto& [version, part] : c.by_version) into->by_version[version].Merge(part);
  };
  for (const ReportCellInput& c : cells) {
    const std::string label = CellLabel(c.segment, c.period);
    InputCell in{c.tally, {}};
    if (!c.version.empty()) in.by_version.emplace(c.version, c.tally);
    if (c.segment.empty() && c.period.empty()) {
      add(&overall, in, label);
      have_overall = true;
    } else if (c.period.empty()) {
      add(&segments[c.segment], in, label);
    } else if (c.segment.empty()) {
      add(&periods[c.period], in, label);
    } else {
      add(&crossed[{c.segment, c.period}], in, label);
    }
  }
  // Totals the caller did not give are sums of the finer cells (aggregates merge by addition).
  const bool derive_segments = segments.empty(), derive_periods = periods.empty();
  for (const auto& [key, c] : crossed) {
    const std::string label = CellLabel(key.first, key.second);
    if (derive_segments) add(&segments[key.first], c, label);
    if (derive_periods) add(&periods[key.second], c, label);
  }
  if (!have_overall) {
    for (const auto& [name, c] : segments.empty() ? periods : segments) {
      add(&overall, c, segments.empty() ? CellLabel("", name) : CellLabel(name, ""));
    }
  }

  Report r;
  r.survey = survey_id;
  r.from = from;
  r.to = to;
  r.overall = ScoreInput(overall, "", "", options);
  for (const auto& [segment, c] : segments) {
    r.segments.push_back(ScoreInput(c, segment, "", options));
  }
  for (const auto& [period, c] : periods) r.periods.push_back(ScoreInput(c, "", period, options));
  for (const auto& [key, c] : crossed) {
    r.cells.push_back(ScoreInput(c, key.first, key.second, options));
  }
  ApplyMinimum(&r.overall, options);
  for (auto* list : {&r.segments, &r.periods, &r.cells}) {
    for (CellResult& c : *list) ApplyMinimum(&c, options);
  }
  if (options.suppress) ComplementarySuppression(&r);
  r.conflicts.assign(conflicts.begin(), conflicts.end());
  return r;
}

namespace report_internal {

CellResult ScoreCellAlone(const Tally& tally, const ReportOptions& options) {
  CellResult cell = ScoreCell(tally, "", "");
  ApplyMinimum(&cell, options);
  return cell;
}

}  // namespace report_internal

Json ReportCell(const Tally& tally, const ReportOptions& options, const std::string& label) {
  JsonWriter w;
  report_internal::CellJson(w, report_internal::ScoreCellAlone(tally, options), label);
  return ParseJson(w.Take());
}

Json BuildReport(const std::string& survey_id, const std::string& from, const std::string& to,
                 const std::vector<ReportCellInput>& cells, const ReportOptions& options) {
  return ReportToJson(ComputeReport(survey_id, from, to, cells, options));
}

}  // namespace nazar
