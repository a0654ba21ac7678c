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
#include "nazar/result.h"

namespace nazar {

enum class ImportFormat { kCsv, kNdjson };

// "csv" or "ndjson".
const char* ImportFormatName(ImportFormat format);
// The format a file name implies: .csv/.tsv -> CSV, .ndjson/.jsonl -> NDJSON (case-insensitive);
// nothing for other names.
std::optional<ImportFormat> ImportFormatForName(std::string_view file_name);
// Guesses the format from the first bytes of a file: NDJSON when the first non-blank character
// (after a UTF-8 BOM, or in UTF-16 after its BOM) is '{', CSV otherwise.
ImportFormat SniffImportFormat(std::string_view head);

// The CSV delimiter of a header line (UTF-8, without its line end): the one of ',', ';' and tab
// that occurs most outside quotes; ',' on a tie with it or when none occurs. The one rule for
// the importer and the mapping proposal.
char SniffCsvDelimiter(std::string_view header_line);

// The text encoding of an input. kAuto: the BOM decides (EF BB BF UTF-8, FF FE UTF-16LE,
// FE FF UTF-16BE), UTF-8 without one. UTF-16 is transcoded to UTF-8 inside the importer.
enum class TextEncoding { kAuto, kUtf8, kUtf16Le, kUtf16Be };
// "auto", "utf-8", "utf-16le" or "utf-16be".
const char* TextEncodingName(TextEncoding encoding);
// The encoding a file's first bytes announce by their BOM: kUtf8 without one (also for fewer
// than 2 bytes).
TextEncoding SniffTextEncoding(std::string_view head);

// ---- Explicit column mapping (proposed and read from JSON by nazar/mapping.h) ----

// What a column feeds.
enum class ColumnRoleKind { kIgnore, kQuestion, kDate, kSegment, kText };
// "ignore", "question", "date", "segment" or "text" (the JSON "kind").
const char* ColumnRoleKindName(ColumnRoleKind kind);

// One column's role.
struct ColumnAssignment {
  int column = -1;  // 0-based index in the CSV header row
  ColumnRoleKind kind = ColumnRoleKind::kIgnore;
  // kQuestion/kText: the question id in the report ("nps", or a slug of the header).
  // kSegment/kDate: informational ("" allowed).
  std::string id;
  QuestionType type = QuestionType::kNps;  // kQuestion: nps, csat, ces or rating
  int scale = 0;                           // kQuestion: points (nps 11, csat 5, ces 7, ...)
  // The header text (CSV: informational, for messages) or the NDJSON key (matched by it).
  std::string name;
};

// The columns to import, as the user confirmed them. At most one kDate and one kSegment column;
// question and text ids unique; each column at most once.
struct ColumnMapping {
  std::vector<ColumnAssignment> columns;
  int extra_header_rows = 0;  // CSV rows after the header that are not data (0-5)
  DateFormat date_format;     // of the kDate column
  static constexpr int kMaxExtraHeaderRows = 5;
};

// What to import and how. Columns (CSV header names, NDJSON keys) are matched exactly: question
// ids, "date" (ISO 8601 day, time ignored) and the `by` column; other columns are ignored.
struct ImportOptions {
  ImportFormat format = ImportFormat::kCsv;
  // Questions to score. Without one, columns "nps" (0-10), "csat" (1-5) and "ces" (1-7) are.
  std::optional<Survey> survey;
  std::string by;                // segment column, "" for none
  std::optional<Period> period;  // bucket by the "date" column
  char delimiter = 0;            // CSV: ',', ';' or '\t'; 0 detects it from the header line
  // Explicit columns (nazar/mapping.h), CSV by 0-based column index (headers repeat and are long
  // question texts), NDJSON by each assignment's `name` (the key). With a mapping the survey is
  // built from its question and text columns (ids as assigned) unless `survey` is given, then
  // question ids must be the survey's; the segment is the kSegment column (`by` is then only
  // its name in messages); the date column is parsed in mapping->date_format; scale answers may
  // be text answers ("Very satisfied", "10 - Extremely likely": ScalePointOfText); names in the
  // header are not matched. Without a mapping, columns are matched by name as described above.
  std::optional<ColumnMapping> mapping;
  // Overrides the mapping's date format; without a mapping, the format of the "date" column
  // (default: ISO "YYYY-MM-DD", time ignored).
  std::optional<DateFormat> date_format;
  // CSV: rows after the header that are not data (Qualtrics writes 2, SurveyMonkey 1): skipped,
  // not counted as rows. Overrides the mapping's extra_header_rows. 0-5.
  std::optional<int> extra_header_rows;
  Calendar calendar = Calendar::kGregorian;  // of the period labels (Jalali: METRICS.md)
  TextEncoding encoding = TextEncoding::kAuto;
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
namespace import_internal {
struct CompiledKernelState;
}
// A compiled CSV record kernel (ResponseImporter::KernelModule()): counts the records from `p`
// while it can and returns where it stopped. Only engines that run the importer in wasm have one.
using CompiledKernel = const char* (*)(const char* p, const char* end,
                                       import_internal::CompiledKernelState* state);

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

  // The CSV record kernel's plan as a WebAssembly module, once the header is read, or "" (not
  // read yet, NDJSON, or a layout the kernel does not take). An engine running this importer in
  // wasm may instantiate it over its own memory and hand its "run" export to UseKernel(); the
  // reports are the same with or without it, only faster.
  std::string KernelModule() const;
  void UseKernel(CompiledKernel run);

  // ---- One file read in two parts at once (two workers), merged into exactly one import ----
  // The first part is [0, b) of the file, fed to an importer as usual; the second is [b, end),
  // fed to a continuation. AtRecordBoundary() on the first says whether b fell between two
  // records; its Absorb() of the continuation's ExportState() then gives, after Finish(), the
  // report and summary one import of the whole file gives, line numbers included.

  // Makes this (new) importer a continuation: feeds the file's first bytes `head` only as far as
  // the header reaches (CSV: the header row and the extra header rows, with their line ends;
  // NDJSON: nothing), so its columns resolve as in the first part. Feed() then takes the part
  // after the boundary. Returns the bytes of `head` used, or nothing when `head` ends inside the
  // header or the input is UTF-16: then this importer is of no use, read the file in one part.
  std::optional<size_t> FeedHeader(std::string_view head);
  // The input fed so far ends exactly between two records (past the header, outside quotes): a
  // continuation may read what follows.
  bool AtRecordBoundary() const;
  // Ends a continuation's input (Finish()) and returns its partial result (cells, rows, bad rows,
  // errors and warnings of its part, its lines) as bytes for Absorb() in the same build (a
  // compact binary form, core/src/import_state.h: labels keep bytes that are not UTF-8).
  // kFailedPrecondition, with nothing changed, on an importer that is not a continuation.
  Result<std::string> ExportState();
  // Adds a continuation's ExportState(), fed the part that follows this importer's input, before
  // Finish(); its line numbers are shifted to the file's. kFailedPrecondition, with nothing
  // changed, when the input so far does not end at a record boundary or when the sum could
  // differ from one import (a segment, period or cell cap reached in either part or by both
  // together): then feed this importer the rest instead. kInvalidArgument for malformed state.
  Status Absorb(std::string_view state);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nazar

#endif  // NAZAR_IMPORT_H_
