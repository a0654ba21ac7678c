#include "collector/totals.h"

#include <algorithm>
#include <cmath>

namespace nazar::collector {
namespace {

void Add(std::vector<Counter>* out, std::string name, double value) {
  const auto v = static_cast<int64_t>(std::llround(value));
  if (v != 0) out->push_back(Counter{std::move(name), v});
}

}  // namespace

std::vector<Counter> CountersFromTally(const Tally& tally) {
  std::vector<Counter> out;
  Add(&out, "displays", tally.displays);
  Add(&out, "completions", tally.completions);
  Add(&out, "dismissals", tally.dismissals);
  for (const QuestionTally& q : tally.questions) {
    const std::string prefix = "q/" + q.id + "/";
    for (size_t i = 0; i < q.counts.size(); ++i) Add(&out, prefix + std::to_string(i), q.counts[i]);
    Add(&out, prefix + "n", q.answered);
    Add(&out, prefix + "skipped", q.skipped);
  }
  std::sort(out.begin(), out.end(),
            [](const Counter& a, const Counter& b) { return a.name < b.name; });
  return out;
}

Result<Tally> TallyFromCounters(const Survey& survey, const std::vector<Counter>& counters) {
  Tally tally = EmptyTallyOf(survey);
  for (const Counter& c : counters) {
    const auto value = static_cast<double>(c.value);
    if (c.name == "displays") {
      tally.displays += value;
      continue;
    }
    if (c.name == "completions") {
      tally.completions += value;
      continue;
    }
    if (c.name == "dismissals") {
      tally.dismissals += value;
      continue;
    }
    const auto misfit = [&](const std::string& why) {
      return Status(StatusCode::kFailedPrecondition, "counter \"" + c.name + "\" does not fit " +
                                                         survey.id + " version " + survey.version +
                                                         ": " + why);
    };
    const size_t slash = c.name.rfind('/');
    if (c.name.rfind("q/", 0) != 0 || slash == std::string::npos || slash < 3) {
      return misfit("unknown counter");
    }
    const std::string id = c.name.substr(2, slash - 2);
    const std::string cell = c.name.substr(slash + 1);
    QuestionTally* q = tally.Find(id);
    if (q == nullptr) return misfit("no such question");
    if (cell == "n") {
      q->answered += value;
    } else if (cell == "skipped") {
      q->skipped += value;
    } else {
      if (cell.empty() || cell.size() > 4 ||
          cell.find_first_not_of("0123456789") != std::string::npos) {
        return misfit("unknown cell");
      }
      const size_t index = std::stoul(cell);
      if (index >= q->counts.size()) return misfit("cell out of range");
      q->counts[index] += value;
    }
  }
  return tally;
}

}  // namespace nazar::collector
