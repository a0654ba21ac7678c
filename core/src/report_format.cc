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
using json_number::IsWhole;
using json_number::Rounded;
using json_number::RoundTo;

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

Json IntervalJson(const Interval& ci, int decimals) {
  return Json::array({Rounded(ci.lo, decimals), Rounded(ci.hi, decimals)});
}

Json QuestionJson(const QuestionResult& q) {
  Json j;
  j["type"] = QuestionTypeName(q.type);
  if (q.suppressed) {
    j["suppressed"] = true;
    return j;
  }
  if (q.Unanswered()) {
    j["n"] = 0;
    if (q.type != QuestionType::kText && q.skipped != 0) j["skipped"] = Count(q.skipped);
    return j;
  }
  j["n"] = Count(q.n);
  switch (q.type) {
    case QuestionType::kNps:
      j["score"] = Rounded(q.score, 1);
      j["ci95"] = IntervalJson(q.ci95, 1);
      j["promoters"] = Count(q.promoters);
      j["passives"] = Count(q.passives);
      j["detractors"] = Count(q.detractors);
      break;
    case QuestionType::kCsat:
      j["scale"] = q.scale;
      j["score"] = Rounded(q.score, 1);
      j["ci95"] = IntervalJson(q.ci95, 1);
      j["satisfied"] = Count(q.satisfied);
      j["satisfied_set"] = q.satisfied_set;
      break;
    case QuestionType::kCes:
    case QuestionType::kRating:
      j["scale"] = q.scale;
      j["mean"] = Rounded(q.mean, 2);
      j["ci95"] = q.has_ci ? IntervalJson(q.ci95, 2) : Json(nullptr);
      if (q.type == QuestionType::kCes) {
        j["sd"] = q.has_ci ? Rounded(q.sd, 2) : Json(nullptr);
        j["agree_pct"] = Rounded(q.agree_pct, 1);
      }
      break;
    case QuestionType::kChoice: {
      j["options"] = q.options;
      Json shares = Json::array();
      for (double s : q.shares) shares.push_back(Rounded(s, 1));
      j["shares"] = std::move(shares);
      break;
    }
    case QuestionType::kText:
      break;
  }
  if (q.low_precision) j["low_precision"] = true;
  if (q.type != QuestionType::kText) {
    j["counts"] = Counts(q.counts);
    j["skipped"] = Count(q.skipped);
  }
  if (q.noisy) {
    Json noise = {{"mechanism", "grr"}, {"epsilon", q.noise_epsilon}, {"k", q.noise_k}};
    if (q.type == QuestionType::kChoice && q.epsilon_per_option > 0) {
      noise["epsilon_per_option"] = q.epsilon_per_option;
    }
    noise["reported_counts"] = Counts(q.reported_counts);
    noise["reported_skipped"] = Count(q.reported_skipped);
    j["noise"] = std::move(noise);
  }
  return j;
}

// The labels of a segment or period cell ({"segment", "period"} as they apply).
void AddLabels(const CellResult& cell, Json* j) {
  if (!cell.segment.empty()) (*j)["segment"] = cell.segment;
  if (!cell.period.empty()) (*j)["period"] = cell.period;
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

Json CellJson(const CellResult& cell, const std::string& label) {
  Json j = Json::object();
  j["suppressed"] = SuppressedWith(cell, label);
  if (cell.suppressed) return j;  // no numbers at all
  j["displays"] = Count(cell.displays);
  j["completions"] = Count(cell.completions);
  j["response_rate"] =
      cell.displays > 0 ? Rounded(cell.completions / cell.displays, 3) : Json(nullptr);
  if (cell.low_precision) j["low_precision"] = true;
  if (cell.noise_epsilon > 0) {
    j["noise"] = {{"mechanism", "grr"}, {"epsilon", cell.noise_epsilon}};
    if (cell.noise_items > 0) j["noise"]["items"] = cell.noise_items;
  }
  Json questions = Json::object();
  for (const QuestionResult& q : cell.questions) questions[q.id] = QuestionJson(q);
  j["questions"] = std::move(questions);
  if (!cell.versions.empty()) j["versions"] = cell.versions;
  return j;
}

}  // namespace report_internal

std::vector<std::string> CellResult::Suppressed() const { return SuppressedWith(*this, Label()); }

Json ReportToJson(const Report& report) {
  Json j = report_internal::CellJson(report.overall, "");
  j["survey"] = report.survey;
  j["from"] = report.from.empty() ? Json(nullptr) : Json(report.from);
  j["to"] = report.to.empty() ? Json(nullptr) : Json(report.to);
  if (!report.from_label.empty()) j["from_label"] = report.from_label;
  if (!report.to_label.empty()) j["to_label"] = report.to_label;
  auto section = [&](const char* name, const std::vector<CellResult>& cells) {
    if (cells.empty()) return;
    Json list = Json::array();
    for (const CellResult& c : cells) {
      Json cell = report_internal::CellJson(c, c.Label());
      AddLabels(c, &cell);
      list.push_back(std::move(cell));
      if (c.suppressed) j["suppressed"].push_back(c.Label());
    }
    j[name] = std::move(list);
  };
  section("segments", report.segments);
  section("periods", report.periods);
  section("cells", report.cells);
  if (!report.conflicts.empty()) j["conflicts"] = report.conflicts;
  if (report.duplicates > 0) j["duplicates"] = report.duplicates;
  if (report.compare) j["compare"] = report_internal::ComparisonJson(*report.compare);
  return j;
}

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
