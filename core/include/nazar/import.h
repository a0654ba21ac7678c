// Import of exported responses (CSV with a header row, or NDJSON), streamed in chunks so a file
// of any size scores in flat memory. Bad rows are counted and reported by line, never fatal.
#ifndef NAZAR_IMPORT_H_
#define NAZAR_IMPORT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nazar/date.h"
#include "nazar/definition.h"
#include "nazar/report.h"

namespace nazar {

enum class ImportFormat { kCsv, kNdjson };

struct ImportOptions {
  ImportFormat format = ImportFormat::kCsv;
  // Questions to score. Without one, columns "nps" (0-10), "csat" (1-5) and "ces" (1-7) are.
  std::optional<Survey> survey;
  std::string by;                 // segment column, "" for none
  std::optional<Period> period;   // bucket by the "date" column
  static constexpr int kMaxReportedErrors = 20;
};

struct ImportError {
  int64_t line = 0;      // 1-based physical line where the record starts
  std::string message;   // e.g. "column nps: \"11\" is not an NPS answer (0-10)"
};

struct ImportSummary {
  int64_t rows = 0;       // data records seen
  int64_t bad_rows = 0;   // records rejected (each is counted, the first 20 listed)
  std::vector<ImportError> errors;
  std::string from, to;   // date range seen ("" when no dates)
};

// Push parser: Feed() any split of the input, then Finish(). Results accumulate per cell.
class ResponseImporter {
 public:
  explicit ResponseImporter(ImportOptions options);
  ~ResponseImporter();
  ResponseImporter(const ResponseImporter&) = delete;
  ResponseImporter& operator=(const ResponseImporter&) = delete;

  void Feed(std::string_view chunk);
  void Finish();

  const ImportSummary& summary() const;
  // The cells counted so far: overall first (segment and period ""), then each
  // (segment, period) cell in sorted order when --by or --period were given.
  std::vector<ReportCellInput> Cells() const;
  // The survey id to report: the definition's id, or "responses" without one.
  std::string SurveyId() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nazar

#endif  // NAZAR_IMPORT_H_
