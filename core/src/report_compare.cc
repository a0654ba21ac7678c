// Comparison of two reports' overall cells (Contract 4 "compare"; METRICS.md, "Comparisons shown
// to users"): the change tests of stats.h, Benjamini-Hochberg over every test performed, and
// a verdict code per question. Rendered by report_format.cc.
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "json_number.h"
#include "nazar/report.h"
#include "report_internal.h"

namespace nazar {
namespace {

using json_number::Count;
using json_number::Interval2;
using json_number::Rounded;
using json_number::StringOrNull;

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

void SideJson(JsonWriter& w, const CompareSide& side, QuestionType type) {
  w.BeginObject();
  if (side.suppressed) {
    w.Key("suppressed").Bool(true);
    w.EndObject();
    return;
  }
  Count(w.Key("n"), side.n);
  if (side.n != 0) {
    const int decimals = IsMean(type) ? 2 : 1;
    Rounded(w.Key(IsMean(type) ? "mean" : "score"), side.value, decimals);
    if (side.has_ci) {
      Interval2(w.Key("ci95"), side.ci95.lo, side.ci95.hi, decimals);
    } else {
      w.Key("ci95").Null();
    }
  }
  w.EndObject();
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

namespace {

// The questions of cell `a` (the baseline) against cell `b`, tests run but not yet judged:
// each test performed is appended to `tests` as (list, index) for one Benjamini-Hochberg
// adjustment over every test of the view (Judge).
using TestRef = std::pair<std::vector<QuestionComparison>*, size_t>;

void CompareCellQuestions(const CellResult& a, const CellResult& b,
                          std::vector<QuestionComparison>* out, std::vector<TestRef>* tests) {
  for (const QuestionResult& qb : b.questions) {
    const QuestionResult* qa = FindResult(a, qb.id);
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
      if (c.tested) tests->push_back({out, out->size()});
    }
    out->push_back(std::move(c));
  }
}

// Benjamini-Hochberg at 0.05 over `tests` together; a significant change is up or down.
void Judge(const std::vector<TestRef>& tests) {
  std::vector<double> p_values;
  for (const TestRef& t : tests) p_values.push_back((*t.first)[t.second].change.p_value);
  const std::vector<bool> discoveries = BenjaminiHochberg(p_values, 0.05);
  for (size_t i = 0; i < tests.size(); ++i) {
    QuestionComparison& c = (*tests[i].first)[tests[i].second];
    c.significant = discoveries[i] && c.change.diff != 0;
    if (c.significant) c.verdict = c.change.diff > 0 ? Verdict::kUp : Verdict::kDown;
  }
}

// The comparison of a's and b's overall cells into *out, tests not yet judged (*out stays
// where it is: the tests point into it).
void CompareOverall(const Report& a, const Report& b, Comparison* out,
                    std::vector<TestRef>* tests) {
  out->from = a.from;
  out->to = a.to;
  out->from_label = a.from_label;
  out->to_label = a.to_label;
  CompareCellQuestions(a.overall, b.overall, &out->questions, tests);
}

}  // namespace

Comparison CompareReports(const Report& a, const Report& b) {
  std::vector<TestRef> tests;
  Comparison out;
  CompareOverall(a, b, &out, &tests);
  Judge(tests);
  return out;
}

Comparison CompareReportsBySegment(const Report& a, const Report& b) {
  std::vector<TestRef> tests;
  Comparison out;
  CompareOverall(a, b, &out, &tests);
  // Sized first: the tests point into these lists.
  for (const CellResult& sb : b.segments) {
    const CellResult* sa = FindCell(a, CellKey{sb.segment, std::nullopt});
    if (sa == nullptr || sa->suppressed || sb.suppressed) continue;
    out.segments.push_back({sb.segment, {}});
  }
  for (SegmentComparison& seg : out.segments) {
    CompareCellQuestions(*FindCell(a, CellKey{seg.segment, std::nullopt}),
                         *FindCell(b, CellKey{seg.segment, std::nullopt}), &seg.questions, &tests);
  }
  Judge(tests);
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
  std::vector<TestRef> tests;
  Comparison out;
  CompareCellQuestions(*cell_a, *cell_b, &out.questions, &tests);
  Judge(tests);
  out.a_cell = a;
  out.b_cell = b;
  return out;
}

std::string ComparisonToJsonText(const Comparison& comparison) {
  JsonWriter w;
  report_internal::ComparisonJson(w, comparison);
  return w.Take();
}

Json ComparisonToJson(const Comparison& comparison) {
  return ParseJson(ComparisonToJsonText(comparison));
}

namespace report_internal {

namespace {

void QuestionsJson(JsonWriter& w, const std::vector<QuestionComparison>& list) {
  w.BeginObject();
  for (const QuestionComparison& c : list) {
    w.Key(c.id).BeginObject();
    w.Key("type").String(QuestionTypeName(c.type));
    SideJson(w.Key("a"), c.a, c.type);
    SideJson(w.Key("b"), c.b, c.type);
    if (c.tested) {
      const int decimals = IsMean(c.type) ? 2 : 1;
      w.Key("test").String(c.test);
      Rounded(w.Key("diff"), c.change.diff, decimals);
      Interval2(w.Key("ci95"), c.change.ci95.lo, c.change.ci95.hi, decimals);
      w.Key("p_value").Double(Significant(c.change.p_value, 3));
      w.Key("significant").Bool(c.significant);
    }
    w.Key("verdict").String(VerdictCode(c.verdict));
    w.EndObject();
  }
  w.EndObject();
}

// {"segment"} and/or {"period"} of a compared cell.
void CellKeyJson(JsonWriter& w, const CellKey& key) {
  w.BeginObject();
  if (key.segment) w.Key("segment").String(*key.segment);
  if (key.period) w.Key("period").String(*key.period);
  w.EndObject();
}

}  // namespace

void ComparisonJson(JsonWriter& w, const Comparison& comparison) {
  w.BeginObject();
  StringOrNull(w.Key("from"), comparison.from);
  StringOrNull(w.Key("to"), comparison.to);
  QuestionsJson(w.Key("questions"), comparison.questions);
  if (!comparison.from_label.empty()) w.Key("from_label").String(comparison.from_label);
  if (!comparison.to_label.empty()) w.Key("to_label").String(comparison.to_label);
  if (comparison.a_cell) CellKeyJson(w.Key("a"), *comparison.a_cell);
  if (comparison.b_cell) CellKeyJson(w.Key("b"), *comparison.b_cell);
  if (!comparison.segments.empty()) {
    w.Key("segments").BeginArray();
    for (const SegmentComparison& s : comparison.segments) {
      w.BeginObject();
      w.Key("segment").String(s.segment);
      QuestionsJson(w.Key("questions"), s.questions);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace report_internal
}  // namespace nazar
