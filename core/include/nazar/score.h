// The import-to-report pipeline: exported responses (CSV or NDJSON, fed in chunks) in, the
// typed report and the import summary out. `nazar score` and the analyze page both run it, so
// they print the same numbers; callers only read bytes and print.
#ifndef NAZAR_SCORE_H_
#define NAZAR_SCORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "nazar/import.h"
#include "nazar/json.h"
#include "nazar/report.h"

namespace nazar {

struct ScoreOptions {
  ImportOptions import;  // import.format is used unless sniff_format
  // Detect the format from the first bytes (SniffImportFormat) instead of import.format.
  bool sniff_format = false;
  ReportOptions report;
};

struct ScoreResult {
  ImportFormat format = ImportFormat::kCsv;
  ImportSummary summary;
  Report report;
  // Some records were rejected: the report counts only the others. `nazar score` exits 3.
  bool RowsRejected() const { return summary.bad_rows > 0; }
};

// How far a ResponseScorer has read: cheap to ask between chunks (progress bars).
struct ScoreProgress {
  int64_t bytes = 0;     // bytes fed so far
  int64_t rows = 0;      // data records read so far (ImportSummary::rows)
  int64_t bad_rows = 0;  // of which rejected (ImportSummary::bad_rows)
};

// Push interface: Feed() any split of the input, then Finish() once.
class ResponseScorer {
 public:
  explicit ResponseScorer(ScoreOptions options);
  ~ResponseScorer();
  ResponseScorer(const ResponseScorer&) = delete;
  ResponseScorer& operator=(const ResponseScorer&) = delete;

  void Feed(std::string_view chunk);
  // Ends the input and scores it. Call once; later Feed() calls are ignored.
  ScoreResult Finish();
  // Bytes fed and records read so far (records split across chunks count once complete).
  ScoreProgress Progress() const;
  // The importer's compiled record kernel (ResponseImporter::KernelModule(), UseKernel()).
  std::string KernelModule() const { return importer_ ? importer_->KernelModule() : ""; }
  void UseKernel(CompiledKernel run) {
    if (importer_) importer_->UseKernel(run);
  }

  // One file in two parts (ResponseImporter, "One file read in two parts"). The continuation's
  // side: FeedHeader() first (the format sniffed from `head`), Feed() the part after the
  // boundary, then ExportState() ends the input and returns the part's state instead of a report
  // (kFailedPrecondition, with nothing changed, when FeedHeader() did not succeed).
  std::optional<size_t> FeedHeader(std::string_view head);
  Result<std::string> ExportState();
  // The first part's side, after its Feed()s and before Finish().
  bool AtRecordBoundary() const { return importer_ && importer_->AtRecordBoundary(); }
  Status Absorb(std::string_view state);

 private:
  ScoreOptions options_;
  int64_t bytes_ = 0;
  std::optional<ResponseImporter> importer_;  // created on the first bytes (format sniffed)
};

// The report JSON (Contract 4) plus "import": {"format", "rows", "bad_rows", "errors":
// [{"line", "message"}...], "warnings": [...]}.
Json ScoreResultToJson(const ScoreResult& result);
std::string ScoreResultToJsonText(const ScoreResult& result);  // the same, as JSON text

// The report as text, then "Import: N rows, M bad rows" (with "rejected, not scored" when M > 0),
// the listed errors and warnings.
std::string ScoreResultToText(const ScoreResult& result);

}  // namespace nazar

#endif  // NAZAR_SCORE_H_
