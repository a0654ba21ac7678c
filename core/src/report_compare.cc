// Comparison of two reports' overall cells (Contract 4 "compare"; METRICS.md, "Comparisons shown
// to users"): the change tests of stats.h, Benjamini-Hochberg over every test performed, and
// a verdict code per question. Rendered by report_format.cc.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "json_number.h"
#include "nazar/report.h"
#include "report_internal.h"

namespace nazar {
namespace {

using json_number::Count;
using json_number::Rounded;

bool IsMean(QuestionType type) {
  return type == QuestionType::kCes || type == QuestionType::kRating;
}

bool IsCompared(QuestionType type) {
  return type == QuestionType::kNps || type == QuestionType::kCsat || IsMean(type);
}

CompareSide SideOf(const QuestionResult& q) {
  CompareSide side;
  side.suppressed = q.suppressed;
  if (q.suppressed) return side;
  side.n = q.n;
  side.value = IsMean(q.type) ? q.mean : q.score;
  side.ci95 = q.ci95;
  side.has_ci = q.has_ci;
  return side;
}

// Same question shape on both sides, and plain counts: the change tests assume exact histograms.
bool Comparable(const QuestionResult& a, const QuestionResult& b) {
  if (a.type != b.type || a.noisy || b.noisy) return false;
  if (a.type == QuestionType::kNps) return true;
  if (a.scale != b.scale) return false;
  return a.type != QuestionType::kCsat || a.satisfied_set == b.satisfied_set;
}

const QuestionResult* FindResult(const CellResult& cell, const std::string& id) {
  for (const QuestionResult& q : cell.questions) {
    if (q.id == id) return &q;
  }
  return nullptr;
}

// `x` with `digits` significant digits (p-values); NaN and 0 unchanged.
double Significant(double x, int digits) {
  if (!(x > 0)) return x;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return std::strtod(buf, nullptr);
}

Json SideJson(const CompareSide& side, QuestionType type) {
  if (side.suppressed) return {{"suppressed", true}};
  Json j = {{"n", Count(side.n)}};
  if (side.n == 0) return j;
  const int decimals = IsMean(type) ? 2 : 1;
  j[IsMean(type) ? "mean" : "score"] = Rounded(side.value, decimals);
  j["ci95"] = side.has_ci
                  ? Json::array({Rounded(side.ci95.lo, decimals), Rounded(side.ci95.hi, decimals)})
                  : Json(nullptr);
  return j;
}

}  // namespace

const char* VerdictCode(Verdict verdict) {
  switch (verdict) {
    case Verdict::kUp:
      return "up";
    case Verdict::kDown:
      return "down";
    case Verdict::kNoChange:
      return "no_change";
    case Verdict::kNotEnoughData:
      return "not_enough_data";
    case Verdict::kNotComparable:
      return "not_comparable";
  }
  return "not_enough_data";
}

Comparison CompareReports(const Report& a, const Report& b) {
  Comparison out;
  out.from = a.from;
  out.to = a.to;
  std::vector<double> p_values;  // of the tests performed, in the order of `tested`
  std::vector<size_t> tested;
  for (const QuestionResult& qb : b.overall.questions) {
    const QuestionResult* qa = FindResult(a.overall, qb.id);
    if (qa == nullptr || !IsCompared(qb.type)) continue;
    QuestionComparison c;
    c.id = qb.id;
    c.type = qb.type;
    c.a = SideOf(*qa);
    c.b = SideOf(qb);
    c.test = IsMean(qb.type) ? "welch_t" : "z";
    if (!Comparable(*qa, qb)) {
      c.verdict = Verdict::kNotComparable;
    } else if (c.a.suppressed || c.b.suppressed || c.a.n < kMinNForChange ||
               c.b.n < kMinNForChange) {
      c.verdict = Verdict::kNotEnoughData;
    } else {
      switch (qb.type) {
        case QuestionType::kNps:
          c.change = CompareNps(qa->counts, qb.counts);
          break;
        case QuestionType::kCsat:
          c.change = CompareCsat(qa->counts, qb.counts, qb.scale, qb.satisfied_set);
          break;
        default:
          c.change = CompareCes(qa->counts, qb.counts, qb.scale);
          break;
      }
      c.tested = c.change.testable;
      c.verdict = c.tested ? Verdict::kNoChange : Verdict::kNotEnoughData;
      if (c.tested) {
        tested.push_back(out.questions.size());
        p_values.push_back(c.change.p_value);
      }
    }
    out.questions.push_back(std::move(c));
  }
  const std::vector<bool> discoveries = BenjaminiHochberg(p_values, 0.05);
  for (size_t i = 0; i < tested.size(); ++i) {
    QuestionComparison& c = out.questions[tested[i]];
    c.significant = discoveries[i] && c.change.diff != 0;
    if (c.significant) c.verdict = c.change.diff > 0 ? Verdict::kUp : Verdict::kDown;
  }
  return out;
}

namespace {

// "segment \"fa\"", "period \"2026-03\"", "cell fa/2026-03" or "overall cell", for messages.
std::string DescribeCell(const CellKey& key) {
  if (key.segment && key.period) return "cell \"" + *key.segment + "\"/\"" + *key.period + "\"";
  if (key.segment) return "segment \"" + *key.segment + "\"";
  if (key.period) return "period \"" + *key.period + "\"";
  return "overall cell";
}

// A report whose overall cell is `cell` (CompareReports reads only the overall cells).
Report ReportOfCell(const CellResult& cell) {
  Report r;
  r.overall = cell;
  return r;
}

}  // namespace

const CellResult* FindCell(const Report& report, const CellKey& key) {
  const std::vector<CellResult>* list = nullptr;
  if (key.segment && key.period) {
    list = &report.cells;
  } else if (key.segment) {
    list = &report.segments;
  } else if (key.period) {
    list = &report.periods;
  } else {
    return &report.overall;
  }
  for (const CellResult& cell : *list) {
    if ((!key.segment || cell.segment == *key.segment) &&
        (!key.period || cell.period == *key.period)) {
      return &cell;
    }
  }
  return nullptr;
}

Result<Comparison> CompareCells(const Report& report, const CellKey& a, const CellKey& b) {
  if (a.segment.has_value() != b.segment.has_value() ||
      a.period.has_value() != b.period.has_value()) {
    return Status(StatusCode::kInvalidArgument,
                  "a and b must be cells of the same kind (two segments, two periods or two "
                  "segment x period cells), got " +
                      DescribeCell(a) + " and " + DescribeCell(b));
  }
  if (a.segment == b.segment && a.period == b.period) {
    return Status(StatusCode::kInvalidArgument,
                  "a and b are the same " + DescribeCell(a) + ": compare two different cells");
  }
  const CellResult* cell_a = FindCell(report, a);
  if (cell_a == nullptr) {
    return Status(StatusCode::kNotFound, "a: no " + DescribeCell(a) + " in the report");
  }
  const CellResult* cell_b = FindCell(report, b);
  if (cell_b == nullptr) {
    return Status(StatusCode::kNotFound, "b: no " + DescribeCell(b) + " in the report");
  }
  return CompareReports(ReportOfCell(*cell_a), ReportOfCell(*cell_b));
}

Json ComparisonToJson(const Comparison& comparison) {
  return report_internal::ComparisonJson(comparison);
}

namespace report_internal {

Json ComparisonJson(const Comparison& comparison) {
  Json questions = Json::object();
  for (const QuestionComparison& c : comparison.questions) {
    Json j;
    j["type"] = QuestionTypeName(c.type);
    j["a"] = SideJson(c.a, c.type);
    j["b"] = SideJson(c.b, c.type);
    if (c.tested) {
      const int decimals = IsMean(c.type) ? 2 : 1;
      j["test"] = c.test;
      j["diff"] = Rounded(c.change.diff, decimals);
      j["ci95"] =
          Json::array({Rounded(c.change.ci95.lo, decimals), Rounded(c.change.ci95.hi, decimals)});
      j["p_value"] = Significant(c.change.p_value, 3);
      j["significant"] = c.significant;
    }
    j["verdict"] = VerdictCode(c.verdict);
    questions[c.id] = std::move(j);
  }
  return {{"from", comparison.from.empty() ? Json(nullptr) : Json(comparison.from)},
          {"to", comparison.to.empty() ? Json(nullptr) : Json(comparison.to)},
          {"questions", std::move(questions)}};
}

}  // namespace report_internal
}  // namespace nazar
