// The import-to-report pipeline (score.h).
#include "nazar/score.h"

#include <utility>

#include "json_writer.h"
#include "report_internal.h"
#include "text_util.h"

namespace nazar {
namespace {

void ErrorsJson(JsonWriter& w, const std::vector<ImportError>& errors) {
  w.BeginArray();
  for (const ImportError& e : errors) {
    w.BeginObject();
    w.Key("line").Int(e.line);
    w.Key("message").String(e.message);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

ResponseScorer::ResponseScorer(ScoreOptions options) : options_(std::move(options)) {}

ResponseScorer::~ResponseScorer() = default;

void ResponseScorer::Feed(std::string_view chunk) {
  bytes_ += static_cast<int64_t>(chunk.size());
  if (!importer_) {
    if (chunk.empty()) return;
    if (options_.sniff_format) options_.import.format = SniffImportFormat(chunk);
    importer_.emplace(options_.import);
  }
  importer_->Feed(chunk);
}

ScoreResult ResponseScorer::Finish() {
  if (!importer_) importer_.emplace(options_.import);  // empty input: the format as given
  importer_->Finish();
  ScoreResult result;
  result.format = options_.import.format;
  result.summary = importer_->summary();
  result.report = ComputeReport(importer_->SurveyId(), result.summary.from, result.summary.to,
                                importer_->Cells(), options_.report);
  return result;
}

std::optional<size_t> ResponseScorer::FeedHeader(std::string_view head) {
  if (importer_) return std::nullopt;
  if (options_.sniff_format) options_.import.format = SniffImportFormat(head);
  importer_.emplace(options_.import);
  const std::optional<size_t> used = importer_->FeedHeader(head);
  if (used) bytes_ += static_cast<int64_t>(*used);
  return used;
}

Result<std::string> ResponseScorer::ExportState() {
  if (!importer_) {
    return Status(StatusCode::kFailedPrecondition, "only a continuation (FeedHeader) exports");
  }
  return importer_->ExportState();
}

Status ResponseScorer::Absorb(std::string_view state) {
  if (!importer_) {
    return Status(StatusCode::kFailedPrecondition, "nothing was fed: nothing to add a part to");
  }
  return importer_->Absorb(state);
}

ScoreProgress ResponseScorer::Progress() const {
  ScoreProgress progress;
  progress.bytes = bytes_;
  if (importer_) {
    progress.rows = importer_->summary().rows;
    progress.bad_rows = importer_->summary().bad_rows;
  }
  return progress;
}

std::string ScoreResultToJsonText(const ScoreResult& result) {
  const ImportSummary& s = result.summary;
  JsonWriter w;
  w.BeginObject();
  report_internal::ReportMembers(w, result.report);
  w.Key("import").BeginObject();
  w.Key("format").String(ImportFormatName(result.format));
  w.Key("rows").Int(s.rows);
  w.Key("bad_rows").Int(s.bad_rows);
  ErrorsJson(w.Key("errors"), s.errors);
  ErrorsJson(w.Key("warnings"), s.warnings);
  w.EndObject();
  w.EndObject();
  return w.Take();
}

Json ScoreResultToJson(const ScoreResult& result) {
  return ParseJson(ScoreResultToJsonText(result));
}

std::string ScoreResultToText(const ScoreResult& result) {
  const ImportSummary& s = result.summary;
  std::string out = ReportToText(result.report);
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "\nImport: " + text::Plural(s.rows, "row", "rows") + ", " +
         text::Plural(s.bad_rows, "bad row", "bad rows");
  if (s.bad_rows > 0) out += " rejected (not scored)";
  out += "\n";
  if (s.bad_rows > static_cast<int64_t>(s.errors.size())) {
    out += "  (the first " + std::to_string(s.errors.size()) + " are listed)\n";
  }
  for (const ImportError& e : s.errors) out += "  " + e.ToString() + "\n";
  for (const ImportError& e : s.warnings) out += "  warning: " + e.ToString() + "\n";
  return out;
}

}  // namespace nazar
