// Import of exported responses (CSV with a header row, or NDJSON), streamed in chunks so a file
// of any size scores in flat memory. Bad rows are counted and reported by line, never fatal.
#ifndef NAZAR_IMPORT_H_
#define NAZAR_IMPORT_H_

#include <cstddef>
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

// "csv" or "ndjson".
const char* ImportFormatName(ImportFormat format);
// The format a file name implies: .csv/.tsv -> CSV, .ndjson/.jsonl -> NDJSON (case-insensitive);
// nothing for other names.
std::optional<ImportFormat> ImportFormatForName(std::string_view file_name);
// Guesses the format from the first bytes of a file: NDJSON when the first non-blank character
// (after a UTF-8 BOM) is '{', CSV otherwise.
ImportFormat SniffImportFormat(std::string_view head);

// What to import and how. Columns (CSV header names, NDJSON keys) are matched exactly: question
// ids, "date" (ISO 8601 day, time ignored) and the `by` column; other columns are ignored.
struct ImportOptions {
  ImportFormat format = ImportFormat::kCsv;
  // Questions to score. Without one, columns "nps" (0-10), "csat" (1-5) and "ces" (1-7) are.
  std::optional<Survey> survey;
  std::string by;                // segment column, "" for none
  std::optional<Period> period;  // bucket by the "date" column
  char delimiter = 0;            // CSV: ',', ';' or '\t'; 0 detects it from the header line
  static constexpr int kMaxReportedErrors = 20;
  // Memory guards, so hostile input cannot grow the importer without bound:
  // a longer CSV field or NDJSON line rejects its record; a longer header name is ignored;
  // CSV columns beyond kMaxColumns are ignored; distinct segment values and periods beyond their
  // caps are counted as "(other)"; segment x period cells beyond kMaxCells fold into
  // ("(other)", "(other)"). Each cap reached is reported once in the warnings.
  static constexpr size_t kMaxFieldBytes = size_t{1} << 20;
  static constexpr size_t kMaxLineBytes = size_t{4} << 20;
  static constexpr size_t kMaxColumnNameBytes = 1024;
  static constexpr int kMaxColumns = 10000;
  static constexpr int kMaxSegments = 1000;
  static constexpr int kMaxPeriods = 5000;
  static constexpr int kMaxCells = 20000;
};

struct ImportError {
  int64_t line = 0;     // 1-based physical line where the record starts (0: the whole file)
  std::string message;  // e.g. "column nps: \"11\" is not an NPS answer (0-10)"
  // "line 7: column nps: ...", the form the CLI prints (just the message when line is 0).
  std::string ToString() const;
};

struct ImportSummary {
  int64_t rows = 0;      // data records seen (blank lines and the CSV header are not records)
  int64_t bad_rows = 0;  // records rejected (each is counted, the first 20 listed)
  std::vector<ImportError> errors;  // the first kMaxReportedErrors rejected records
  // Problems that reject no record: a missing segment or date column, a duplicate header name, a
  // survey question absent from the file, segment/period/cell caps reached (each once). At most
  // kMaxReportedErrors are kept.
  std::vector<ImportError> warnings;
  std::string from, to;  // date range of the accepted records ("" when no dates)
};

// Push parser: Feed() any split of the input, then Finish(). Results accumulate per cell.
// The result does not depend on how the input is split. A UTF-8 BOM is skipped. CSV follows
// RFC 4180 (quoted fields, doubled quotes, CRLF or LF, newlines inside quotes) with a header row;
// NDJSON is one JSON object per line, blank lines skipped. A CSV record that ran over a line end
// inside quotes and turns out broken (unterminated, text after the closing quote, a wrong number
// of fields, or more than 1 MiB of lines inside one quoted field: a stray quote, most likely)
// is rejected, its error ends "; reading resumes at line N", and the lines after its first are
// read again as records of their own, so one stray quote never swallows the rest of the file.
//
// Every accepted record is one respondent who saw the survey and completed it, so each cell
// counts displays = completions = accepted records (an export holds responses only). Per
// question: an empty cell, null, "" or [] is a non-answer (QuestionTally::skipped); so is a key
// missing from an NDJSON record when the key occurs in some accepted record. Scale answers may be
// numbers or numeric strings, in ASCII, Persian or Arabic-Indic digits; multiple choice is an
// array of option ids or "a|b". A record is all-or-nothing: one bad value rejects it.
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
