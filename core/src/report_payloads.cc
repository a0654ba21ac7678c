// The report over aggregate payloads (nazar_report_build): validates every payload, counts each
// batch id once, merges the raw counts by addition and scores them as one cell.
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "nazar/aggregate.h"
#include "nazar/report.h"

namespace nazar {
namespace {

// Epsilon of a payload for messages: "epsilon 2" or "no noise".
std::string NoiseText(double epsilon) {
  if (!(epsilon > 0)) return "no noise";
  char buf[40];
  std::snprintf(buf, sizeof buf, "epsilon %g", epsilon);
  return buf;
}

}  // namespace

Result<Report> ReportOfPayloads(const Json& request) {
  if (!request.is_object()) return Status(StatusCode::kInvalidArgument, "request: expected an object");
  std::optional<Survey> survey;
  if (auto def = request.find("survey"); def != request.end() && !def->is_null()) {
    Result<Survey> picked = PickSurvey(*def, "", "/survey");
    if (!picked.ok()) return picked.status();
    survey = std::move(picked).value();
  }
  ReportOptions options;
  if (auto mc = request.find("min_count"); mc != request.end()) {
    int64_t min_count = 0;
    if (!JsonIntInRange(*mc, ReportOptions::kDefaultMinCount, 1000000, &min_count)) {
      return Status(StatusCode::kInvalidArgument, "/min_count: expected a whole number >= 5");
    }
    options.min_count = static_cast<int>(min_count);
  }
  auto aggregates = request.find("aggregates");
  if (aggregates == request.end() || !aggregates->is_array()) {
    return Status(StatusCode::kInvalidArgument, "/aggregates: expected a list of payloads");
  }
  Tally total = survey ? Tally::For(*survey) : Tally();
  std::string survey_id = survey ? survey->id : "";
  std::string from, to;
  double epsilon = 0;  // local-DP epsilon of the payloads so far (0: none)
  bool merged_any = false;
  std::set<std::string> batches;  // batch ids merged so far: a resent payload counts once
  int64_t duplicates = 0;
  for (size_t i = 0; i < aggregates->size(); ++i) {
    const std::string at = "/aggregates/" + std::to_string(i);
    Result<Payload> payload = PayloadFromJson((*aggregates)[i]);
    if (!payload.ok()) {
      return Status(StatusCode::kInvalidArgument, at + payload.status().message());
    }
    if (payload->kind != PayloadKind::kTally) {
      return Status(StatusCode::kInvalidArgument,
                    at + "/kind: comments payloads carry no counts to report");
    }
    // A payload re-sent until acknowledged arrives again under its batch id: count it once.
    if (!batches.insert(payload->batch).second) {
      ++duplicates;
      continue;
    }
    if (survey_id.empty()) survey_id = payload->survey;
    if (payload->survey != survey_id) {
      return Status(StatusCode::kInvalidArgument,
                    at + "/survey: \"" + payload->survey + "\" is not \"" + survey_id + "\"");
    }
    // Randomized reports add up only under the same mechanism: same epsilon (and k) throughout.
    const double noise = payload->tally.noise_epsilon;
    if (merged_any && noise != epsilon) {
      const bool both = noise > 0 && epsilon > 0;
      return Status(StatusCode::kInvalidArgument,
                    at + "/noise: " + NoiseText(noise) + " does not match " +
                        (both ? NoiseText(epsilon).substr(8) : NoiseText(epsilon)) +
                        " of earlier payloads");
    }
    epsilon = noise;
    merged_any = true;
    for (const QuestionTally& q : payload->tally.questions) {
      const QuestionTally* mine = total.Find(q.id);
      if (mine != nullptr && mine->type == q.type && !mine->Empty() && !q.Empty() &&
          mine->noise_k != q.noise_k) {
        return Status(StatusCode::kInvalidArgument,
                      at + "/questions/" + q.id + "/noise: randomized over " +
                          std::to_string(q.noise_k) + " values, earlier payloads over " +
                          std::to_string(mine->noise_k));
      }
    }
    if (!total.Merge(payload->tally)) {
      return Status(StatusCode::kInvalidArgument,
                    at + "/questions: counts do not match the shape of earlier payloads");
    }
    if (from.empty() || payload->period < from) from = payload->period;
    if (to.empty() || payload->period > to) to = payload->period;
  }
  Report report =
      ComputeReport(survey_id, from, to, {ReportCellInput{"", "", std::move(total)}}, options);
  report.duplicates = duplicates;
  return report;
}

Result<Json> ReportFromPayloads(const Json& request) {
  Result<Report> report = ReportOfPayloads(request);
  if (!report.ok()) return report.status();
  return ReportToJson(report.value());
}

}  // namespace nazar
