// Complementary suppression checked by linear algebra: from every number a report shows and the
// sums a reader knows (overall = sum of segments = sum of periods, each segment and each period =
// sum of its segment x period cells), no hidden number may be determined.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "nazar/report.h"

namespace nazar {
namespace {

constexpr double kEps = 1e-9;

// Rank of `rows` (each a vector of coefficients) by Gaussian elimination with partial pivoting.
int Rank(std::vector<std::vector<double>> rows) {
  if (rows.empty()) return 0;
  const size_t cols = rows[0].size();
  int rank = 0;
  for (size_t c = 0; c < cols && rank < static_cast<int>(rows.size()); ++c) {
    size_t best = rank;
    for (size_t i = rank; i < rows.size(); ++i) {
      if (std::fabs(rows[i][c]) > std::fabs(rows[best][c])) best = i;
    }
    if (std::fabs(rows[best][c]) < kEps) continue;
    std::swap(rows[best], rows[rank]);
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i == static_cast<size_t>(rank) || std::fabs(rows[i][c]) < kEps) continue;
      const double f = rows[i][c] / rows[rank][c];
      for (size_t k = 0; k < cols; ++k) rows[i][k] -= f * rows[rank][k];
    }
    ++rank;
  }
  return rank;
}

// A member of the report: the overall (both labels ""), a segment, a period or a crossed cell.
using Key = std::pair<std::string, std::string>;

// The labels of the hidden members whose value the equations determine, given which members are
// hidden (`hidden`) among the members the report lists (`members`). A member the report does not
// list is known to be 0. Unknowns are the hidden members; an equation total - sum(parts) = known
// keeps only its unknown terms. A hidden unknown is determined iff its unit vector lies in the row
// space of the system, i.e. adding it does not raise the rank.
std::vector<std::string> Determined(const std::vector<Key>& members,
                                    const std::map<Key, bool>& hidden,
                                    const std::vector<std::string>& segments,
                                    const std::vector<std::string>& periods) {
  std::map<Key, size_t> unknown;
  for (const Key& k : members) {
    if (hidden.at(k)) unknown.emplace(k, unknown.size());
  }
  std::vector<std::vector<double>> rows;
  auto equation = [&](const Key& total, const std::vector<Key>& parts) {
    std::vector<double> row(unknown.size(), 0.0);
    auto term = [&](const Key& k, double sign) {
      auto it = unknown.find(k);
      if (it != unknown.end()) row[it->second] += sign;
    };
    term(total, 1);
    for (const Key& p : parts) term(p, -1);
    rows.push_back(row);
  };
  std::vector<Key> seg_keys, period_keys;
  for (const std::string& s : segments) seg_keys.push_back({s, ""});
  for (const std::string& p : periods) period_keys.push_back({"", p});
  equation({"", ""}, seg_keys);
  equation({"", ""}, period_keys);
  for (const std::string& s : segments) {
    std::vector<Key> parts;
    for (const std::string& p : periods) parts.push_back({s, p});
    equation({s, ""}, parts);
  }
  for (const std::string& p : periods) {
    std::vector<Key> parts;
    for (const std::string& s : segments) parts.push_back({s, p});
    equation({"", p}, parts);
  }
  const int rank = Rank(rows);
  std::vector<std::string> out;
  for (const auto& [k, j] : unknown) {
    std::vector<std::vector<double>> with = rows;
    with.emplace_back(unknown.size(), 0.0);
    with.back()[j] = 1;
    if (Rank(with) == rank) out.push_back(k.first + "/" + k.second);
  }
  return out;
}

Survey TwoQuestions() {
  Survey s;
  s.id = "s";
  Question nps;
  nps.id = "nps";
  nps.type = QuestionType::kNps;
  Question stars;
  stars.id = "stars";
  stars.type = QuestionType::kRating;
  stars.scale = 5;
  s.questions = {nps, stars};
  return s;
}

// `respondents` completed, `nps` and `stars` of them answered (spread over a few values).
Tally CellTally(int displays, int respondents, int nps, int stars) {
  Tally t = Tally::For(TwoQuestions());
  t.displays = displays;
  t.completions = respondents;
  for (int i = 0; i < nps; ++i) t.Find("nps")->counts[(i * 7) % 11] += 1;
  for (int i = 0; i < stars; ++i) t.Find("stars")->counts[(i * 3) % 5] += 1;
  return t;
}

// Checks every pattern of the report (whole cells, and each question) against the equations.
void ExpectNothingDerivable(const Report& r, const std::string& context) {
  std::vector<Key> members;
  std::vector<const CellResult*> cells;
  std::vector<std::string> segments, periods;
  cells.push_back(&r.overall);
  for (const CellResult& c : r.segments) {
    segments.push_back(c.segment);
    cells.push_back(&c);
  }
  for (const CellResult& c : r.periods) {
    periods.push_back(c.period);
    cells.push_back(&c);
  }
  for (const CellResult& c : r.cells) cells.push_back(&c);
  for (const CellResult* c : cells) members.push_back({c->segment, c->period});
  // What the report shows, for the failure message: "label n" per member, "(hidden)" when so.
  auto pattern = [&](const std::map<Key, bool>& hidden) {
    std::string out;
    for (const CellResult* c : cells) {
      out += "\n  " + c->segment + "/" + c->period + " n=" + std::to_string(c->n) +
             (hidden.at({c->segment, c->period}) ? " (hidden)" : "");
    }
    return out;
  };
  // Whole cells: displays and completions are shown unless the cell is hidden.
  std::map<Key, bool> hidden;
  for (const CellResult* c : cells) hidden[{c->segment, c->period}] = c->suppressed;
  EXPECT_EQ(Determined(members, hidden, segments, periods), std::vector<std::string>{})
      << context << " (cells)" << pattern(hidden);
  // Each question: its counts are shown unless the question or its cell is hidden.
  for (const std::string id : {"nps", "stars"}) {
    for (const CellResult* c : cells) {
      bool h = c->suppressed;
      for (const QuestionResult& q : c->questions) {
        if (q.id == id) h = h || q.suppressed;
      }
      hidden[{c->segment, c->period}] = h;
    }
    EXPECT_EQ(Determined(members, hidden, segments, periods), std::vector<std::string>{})
        << context << " (" << id << ")" << pattern(hidden);
  }
  // The floor itself: nothing with 1..4 respondents or answers is shown.
  for (const CellResult* c : cells) {
    if (c->completions > 0 && c->completions < 5) {
      EXPECT_TRUE(c->suppressed) << context;
    }
    for (const QuestionResult& q : c->questions) {
      if (q.n > 0 && q.n < 5) {
        EXPECT_TRUE(q.suppressed) << context << " " << q.id;
      }
    }
  }
}

TEST(ReportComplementaryAlgebra, ReviewCaseLoneRespondentIsNotDerivable) {
  // 3 segments x 3 weeks. c/W45 has 1 respondent; its complement in row c was c/W46, the only
  // part of week W46 (a/W46 and b/W46 are empty), so c/W46 = W46 and c/W45 = c - W46 - c/W47.
  std::vector<ReportCellInput> in = {
      {"a", "2026-W45", CellTally(30, 20, 20, 20)}, {"a", "2026-W47", CellTally(30, 25, 25, 25)},
      {"b", "2026-W45", CellTally(30, 22, 22, 22)}, {"b", "2026-W47", CellTally(30, 24, 24, 24)},
      {"c", "2026-W45", CellTally(2, 1, 1, 1)},     {"c", "2026-W46", CellTally(9, 6, 6, 6)},
      {"c", "2026-W47", CellTally(30, 21, 21, 21)},
  };
  const Report r = ComputeReport("s", "", "", in, ReportOptions{});
  ExpectNothingDerivable(r, "review case");
}

TEST(ReportComplementaryAlgebra, RandomGridsRevealNoHiddenCell) {
  for (unsigned seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed);
    auto uniform = [&rng](int lo, int hi) {
      return std::uniform_int_distribution<int>(lo, hi)(rng);
    };
    const int segments = uniform(2, 4), periods = uniform(2, 4);
    std::vector<ReportCellInput> in;
    for (int s = 0; s < segments; ++s) {
      for (int p = 0; p < periods; ++p) {
        const int kind = uniform(0, 9);
        if (kind < 2) continue;  // no input at all for this cell
        // Displays only (nobody completed), small (1-4) or large (5-14).
        const int n = kind == 2 ? 0 : (kind < 6 ? uniform(1, 4) : uniform(5, 14));
        const int nps = uniform(0, 9) < 2 ? uniform(0, n) : n;
        const int stars = uniform(0, 9) < 3 ? uniform(0, n) : n;
        in.push_back({"s" + std::to_string(s), "2026-W" + std::to_string(40 + p),
                      CellTally(n + uniform(kind == 2 ? 1 : 0, 5), n, nps, stars)});
      }
    }
    const Report r = ComputeReport("s", "", "", in, ReportOptions{});
    ExpectNothingDerivable(r, "seed " + std::to_string(seed));
  }
}

}  // namespace
}  // namespace nazar
