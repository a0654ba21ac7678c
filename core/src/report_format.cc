// Renderers of the typed Report: Contract 4 JSON and the CLI's fixed-width text. Numbers are
// rounded only here: scores, percents and their intervals to one decimal, means (and their
// intervals) and sd to two, counts kept exact.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "json_number.h"
#include "nazar/i18n.h"
#include "nazar/report.h"
#include "report_internal.h"

namespace nazar {
namespace {

using json_number::Count;
using json_number::Counts;
using json_number::Interval2;
using json_number::IsWhole;
using json_number::Rounded;
using json_number::RoundTo;
using json_number::StringOrNull;

// What `cell` hides, its entries prefixed with `label`.
std::vector<std::string> SuppressedWith(const CellResult& cell, const std::string& label) {
  if (cell.suppressed) return {label.empty() ? "(overall)" : label};
  std::vector<std::string> out;
  for (const QuestionResult& q : cell.questions) {
    if (q.suppressed) out.push_back(label + q.id);
  }
  return out;
}

// ---- JSON ----

void Strings(JsonWriter& w, const std::vector<std::string>& list) {
  w.BeginArray();
  for (const std::string& s : list) w.String(s);
  w.EndArray();
}

void QuestionJson(JsonWriter& w, const QuestionResult& q) {
  w.BeginObject();
  w.Key("type").String(QuestionTypeName(q.type));
  if (q.suppressed) {
    w.Key("suppressed").Bool(true);
    w.EndObject();
    return;
  }
  if (q.Unanswered()) {
    w.Key("n").Int(0);
    if (q.type != QuestionType::kText && q.skipped != 0) Count(w.Key("skipped"), q.skipped);
    w.EndObject();
    return;
  }
  Count(w.Key("n"), q.n);
  switch (q.type) {
    case QuestionType::kNps:
      Rounded(w.Key("score"), q.score, 1);
      Interval2(w.Key("ci95"), q.ci95.lo, q.ci95.hi, 1);
      Count(w.Key("promoters"), q.promoters);
      Count(w.Key("passives"), q.passives);
      Count(w.Key("detractors"), q.detractors);
      break;
    case QuestionType::kCsat:
      w.Key("scale").Int(q.scale);
      Rounded(w.Key("score"), q.score, 1);
      Interval2(w.Key("ci95"), q.ci95.lo, q.ci95.hi, 1);
      Count(w.Key("satisfied"), q.satisfied);
      w.Key("satisfied_set").BeginArray();
      for (int point : q.satisfied_set) w.Int(point);
      w.EndArray();
      break;
    case QuestionType::kCes:
    case QuestionType::kRating:
      w.Key("scale").Int(q.scale);
      Rounded(w.Key("mean"), q.mean, 2);
      if (q.has_ci) {
        Interval2(w.Key("ci95"), q.ci95.lo, q.ci95.hi, 2);
      } else {
        w.Key("ci95").Null();
      }
      if (q.type == QuestionType::kCes) {
        if (q.has_ci) {
          Rounded(w.Key("sd"), q.sd, 2);
        } else {
          w.Key("sd").Null();
        }
        Rounded(w.Key("agree_pct"), q.agree_pct, 1);
      }
      break;
    case QuestionType::kChoice:
      Strings(w.Key("options"), q.options);
      w.Key("shares").BeginArray();
      for (double share : q.shares) Rounded(w, share, 1);
      w.EndArray();
      break;
    case QuestionType::kText:
      break;
  }
  if (q.low_precision) w.Key("low_precision").Bool(true);
  if (q.type != QuestionType::kText) {
    Counts(w.Key("counts"), q.counts);
    Count(w.Key("skipped"), q.skipped);
  }
  if (q.noisy) {
    w.Key("noise").BeginObject();
    w.Key("mechanism").String("grr");
    w.Key("epsilon").Double(q.noise_epsilon);
    w.Key("k").Int(q.noise_k);
    if (q.type == QuestionType::kChoice && q.epsilon_per_option > 0) {
      w.Key("epsilon_per_option").Double(q.epsilon_per_option);
    }
    Counts(w.Key("reported_counts"), q.reported_counts);
    Count(w.Key("reported_skipped"), q.reported_skipped);
    w.EndObject();
  }
  w.EndObject();
}

// The members of a cell's object (the caller opens and closes it); `suppressed` is its list.
void CellMembers(JsonWriter& w, const CellResult& cell,
                 const std::vector<std::string>& suppressed) {
  Strings(w.Key("suppressed"), suppressed);
  if (cell.suppressed) return;  // no numbers at all
  Count(w.Key("displays"), cell.displays);
  Count(w.Key("completions"), cell.completions);
  if (cell.displays > 0) {
    Rounded(w.Key("response_rate"), cell.completions / cell.displays, 3);
  } else {
    w.Key("response_rate").Null();
  }
  if (cell.low_precision) w.Key("low_precision").Bool(true);
  if (cell.noise_epsilon > 0) {
    w.Key("noise").BeginObject();
    w.Key("mechanism").String("grr");
    w.Key("epsilon").Double(cell.noise_epsilon);
    if (cell.noise_items > 0) w.Key("items").Int(cell.noise_items);
    w.EndObject();
  }
  w.Key("questions").BeginObject();
  for (const QuestionResult& q : cell.questions) QuestionJson(w.Key(q.id), q);
  w.EndObject();
  if (!cell.versions.empty()) Strings(w.Key("versions"), cell.versions);
}

// ---- Text ----

// A count as text: whole numbers as integers, others with two decimals; "-" when not finite.
std::string CountText(double x) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  if (IsWhole(x)) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(std::round(x)));
  } else {
    std::snprintf(buf, sizeof buf, "%.2f", RoundTo(x, 2));
  }
  return buf;
}

// `x` with `decimals` places; "-" when not finite.
std::string Fixed(double x, int decimals) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, RoundTo(x, decimals));
  return buf;
}

std::string CiText(const Interval& ci, int decimals) {
  return "[" + Fixed(ci.lo, decimals) + ", " + Fixed(ci.hi, decimals) + "]";
}

// Rows as a fixed-width table: columns padded to their widest cell (in code points, so Persian
// and Arabic ids line up like ASCII ones), two spaces apart.
std::string Table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], Utf8Length(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - Utf8Length(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// One table row for a question of a report cell.
std::vector<std::string> QuestionRow(const QuestionResult& q) {
  const std::string type = QuestionTypeName(q.type);
  if (q.suppressed) return {q.id, type, "-", "-", "-", "suppressed (few answers)"};
  std::vector<std::string> row = {q.id, type, CountText(q.n), "-", "-", ""};
  std::string& details = row[5];
  auto add = [&details](const std::string& s) { details += (details.empty() ? "" : ", ") + s; };
  const bool scored = !q.Unanswered();
  if (scored) {
    switch (q.type) {
      case QuestionType::kNps:
        row[3] = Fixed(q.score, 1);
        row[4] = CiText(q.ci95, 1);
        add("P " + CountText(q.promoters) + " / A " + CountText(q.passives) + " / D " +
            CountText(q.detractors));
        break;
      case QuestionType::kCsat: {
        row[3] = Fixed(q.score, 1);
        row[4] = CiText(q.ci95, 1);
        std::string set;
        for (int v : q.satisfied_set) set += (set.empty() ? "" : ",") + std::to_string(v);
        add("satisfied " + CountText(q.satisfied) + " {" + set + "}");
        break;
      }
      case QuestionType::kCes:
      case QuestionType::kRating:
        row[3] = Fixed(q.mean, 2);
        row[4] = q.has_ci ? CiText(q.ci95, 2) : "-";
        if (q.type == QuestionType::kCes) {
          add("sd " + (q.has_ci ? Fixed(q.sd, 2) : std::string("-")));
          add("agree " + Fixed(q.agree_pct, 1) + "%");
        }
        break;
      case QuestionType::kChoice:
        for (size_t i = 0; i < q.options.size() && i < q.shares.size(); ++i) {
          add(q.options[i] + " " + Fixed(q.shares[i], 1) + "%");
        }
        break;
      case QuestionType::kText:
        break;
    }
    if (q.low_precision) add("low precision");
  }
  if (q.type != QuestionType::kText && q.skipped != 0) add("skipped " + CountText(q.skipped));
  if (scored && q.noisy) {
    add("local DP eps " + Fixed(q.noise_epsilon, 2) +
        (q.type != QuestionType::kChoice && q.has_ci ? " (CI includes the noise)" : ""));
  }
  return row;
}

// The comparison as a table: question, a -> b, the change with its interval and p, the verdict.
std::string ComparisonText(const Comparison& c) {
  std::string out = "\nCompared with " + (c.from.empty() ? "?" : c.from) + " to " +
                    (c.to.empty() ? "?" : c.to) + "\n";
  std::vector<std::vector<std::string>> rows = {{"question", "then", "now", "change", "verdict"}};
  for (const QuestionComparison& q : c.questions) {
    const int decimals = q.type == QuestionType::kCes || q.type == QuestionType::kRating ? 2 : 1;
    auto side = [decimals](const CompareSide& s) {
      return s.suppressed ? std::string("suppressed")
                          : s.n == 0 ? std::string("-") : Fixed(s.value, decimals);
    };
    std::string change = "-";
    if (q.tested) {
      char p[32];
      std::snprintf(p, sizeof p, "%.3g", q.change.p_value);
      change = Fixed(q.change.diff, decimals) + " " + CiText(q.change.ci95, decimals) + " p " + p;
    }
    rows.push_back({q.id, side(q.a), side(q.b), change, VerdictCode(q.verdict)});
  }
  return out + Table(rows);
}

// Displays line, question table and suppressed list of one report cell.
std::string CellText(const CellResult& cell) {
  if (cell.suppressed) {
    return "Suppressed: no numbers shown (too few respondents, or hidden so that another "
           "suppressed cell cannot be derived)\n";
  }
  std::string out = "Displays " + CountText(cell.displays) + ", completions " +
                    CountText(cell.completions) + ", response rate ";
  if (cell.displays > 0) {
    out += Fixed(100 * RoundTo(cell.completions / cell.displays, 3), 1) + "%";
  } else {
    out += "-";
  }
  if (cell.low_precision) out += ", low precision";
  out += "\n";
  if (!cell.questions.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"Question", "Type", "n", "Score/mean", "95% CI", "Details"}};
    for (const QuestionResult& q : cell.questions) rows.push_back(QuestionRow(q));
    out += Table(rows);
  }
  const std::vector<std::string> hidden = SuppressedWith(cell, cell.Label());
  if (!hidden.empty()) {
    std::string list;
    for (const std::string& s : hidden) list += (list.empty() ? "" : ", ") + s;
    out += "Suppressed (too few answers to show): " + list + "\n";
  }
  return out;
}

}  // namespace

namespace report_internal {

void CellJson(JsonWriter& w, const CellResult& cell, const std::string& label) {
  w.BeginObject();
  CellMembers(w, cell, SuppressedWith(cell, label));
  w.EndObject();
}

}  // namespace report_internal

std::vector<std::string> CellResult::Suppressed() const { return SuppressedWith(*this, Label()); }

namespace report_internal {

void ReportMembers(JsonWriter& w, const Report& report) {
  // The overall "suppressed" also lists every hidden segment, period and cell.
  std::vector<std::string> suppressed = SuppressedWith(report.overall, "");
  for (const auto* cells : {&report.segments, &report.periods, &report.cells}) {
    for (const CellResult& c : *cells) {
      if (c.suppressed) suppressed.push_back(c.Label());
    }
  }
  CellMembers(w, report.overall, suppressed);
  w.Key("survey").String(report.survey);
  StringOrNull(w.Key("from"), report.from);
  StringOrNull(w.Key("to"), report.to);
  if (!report.from_label.empty()) w.Key("from_label").String(report.from_label);
  if (!report.to_label.empty()) w.Key("to_label").String(report.to_label);
  auto section = [&](const char* name, const std::vector<CellResult>& cells) {
    if (cells.empty()) return;
    w.Key(name).BeginArray();
    for (const CellResult& c : cells) {
      w.BeginObject();
      CellMembers(w, c, SuppressedWith(c, c.Label()));
      if (!c.segment.empty()) w.Key("segment").String(c.segment);
      if (!c.period.empty()) w.Key("period").String(c.period);
      w.EndObject();
    }
    w.EndArray();
  };
  section("segments", report.segments);
  section("periods", report.periods);
  section("cells", report.cells);
  if (!report.conflicts.empty()) Strings(w.Key("conflicts"), report.conflicts);
  if (report.duplicates > 0) w.Key("duplicates").Int(report.duplicates);
  if (report.compare) ComparisonJson(w.Key("compare"), *report.compare);
}

}  // namespace report_internal

std::string ReportToJsonText(const Report& report) {
  JsonWriter w;
  w.BeginObject();
  report_internal::ReportMembers(w, report);
  w.EndObject();
  return w.Take();
}

Json ReportToJson(const Report& report) { return ParseJson(ReportToJsonText(report)); }

std::string ReportToText(const Report& report) {
  std::string out = "Survey " + report.survey + "\n";
  if (!report.from.empty() || !report.to.empty()) {
    out += "Range " + (report.from.empty() ? "?" : report.from) + " to " +
           (report.to.empty() ? "?" : report.to) + "\n";
  }
  out += CellText(report.overall);
  for (const auto* list : {&report.segments, &report.periods, &report.cells}) {
    for (const CellResult& cell : *list) {
      std::string title = cell.segment.empty() ? "" : "Segment " + cell.segment;
      if (!cell.period.empty()) title += (title.empty() ? "Period " : ", period ") + cell.period;
      out += "\n" + title + "\n" + CellText(cell);
    }
  }
  if (!report.conflicts.empty()) {
    std::string list;
    for (const std::string& c : report.conflicts) list += (list.empty() ? "" : ", ") + c;
    out += "\nNot merged (question shapes differ): " + list + "\n";
  }
  if (report.duplicates > 0) {
    out += "\nDuplicate payloads skipped (batch already counted): " +
           std::to_string(report.duplicates) + "\n";
  }
  if (report.compare) out += ComparisonText(*report.compare);
  return out;
}

}  // namespace nazar
