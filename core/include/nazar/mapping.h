// Column mapping for survey exports: a proposal from the first bytes of a file (which column is
// which question, the date, segment candidates, rows after the header that are not data), and
// the mapping the user confirmed, read back from JSON. The importer takes the mapping through
// ImportOptions::mapping (ColumnMapping and ColumnAssignment are declared in nazar/import.h).
//
// JSON shapes (MappingProposalToJson writes them, ColumnMappingFromJson reads the mapping; the
// wasm ABI and the analyze page use them as they are):
//
// Assignment (one column's role):
//   {"column": 3,                 0-based index in the CSV header row
//    "kind": "question",          "ignore" | "question" | "date" | "segment" | "text"
//    "id": "nps",                 question/text: the id in the report (required, unique);
//                                 date/segment: informational ("" allowed)
//    "type": "nps", "scale": 11,  question only: "nps" (11) | "csat" (2,3,4,5,7,10) |
//                                 "ces" (5,7) | "rating" (3-10); scale defaults to nps 11,
//                                 csat 5, ces 7 (rating needs one)
//    "name": "Q1"}                the header text (CSV: informational; NDJSON: the key, used)
// Mapping:
//   {"columns": [assignment...],  each column at most once; at most one date, one segment
//    "extra_header_rows": 2,      CSV rows after the header that are not data, 0-5 (default 0)
//    "date_format": "mdy"}        "ymd" | "iso" | "dmy" | "mdy" | "jalali" (default "ymd")
//   ColumnMappingFromJson also takes a whole proposal (reads its "mapping"), so the output of
//   `nazar score --propose` can be edited and passed to --map. Unknown keys are ignored.
// Proposal:
//   {"format": "csv" | "ndjson", "delimiter": "," | ";" | "\t",
//    "encoding": "utf-8" | "utf-16le" | "utf-16be",
//    "rows_sampled": 6,           data records read (after the extra header rows)
//    "mapping": mapping,          what the proposal would import
//    "date_ambiguous": false,     dd/mm vs mm/dd is open (03/04/2026): ask the user
//    "segment_candidates": [5, 2],  columns with 2-50 distinct values, fewest first
//    "columns": [{"column": 0, "name": "StartDate",
//                 "proposed": assignment,  as in "mapping" ("kind": "ignore" when not there)
//                 "reason": "date",        why, a code the page translates: "name" (the header
//                   or question text names it), "values" (its numbers fit the scale),
//                   "text_answers" (its texts are scale labels), "date" (its values are dates,
//                   all but at most 1 in 20), "few_values" (a segment candidate), "" (nothing
//                   fits)
//                 "distinct": 6,           distinct non-empty values, at most 51 ("more than 50")
//                 "numeric": false, "min": 0, "max": 0,  min/max only when numeric
//                 "samples": ["2026-11-28 09:12:44", ...],  up to 3 distinct values
//                 "scales": {"nps": 11, "csat": 5, "ces": 7, "rating": 5}}]}
//                   the scale the column takes as a question of each type, for a page whose
//                   user assigns it a type the proposal did not: nps 11; csat 5 unless the
//                   column's whole numbers go higher (7 up to 7, else 10); ces 7; rating the
//                   largest whole number within 3-10, 5 when the column is not numeric
#ifndef NAZAR_MAPPING_H_
#define NAZAR_MAPPING_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/import.h"
#include "nazar/json.h"
#include "nazar/result.h"

namespace nazar {

// The scale a column would be imported with as a question of each type (JSON "scales" above).
struct ColumnScales {
  int nps = 11;
  int csat = 5;
  int ces = 7;
  int rating = 5;
};

// What the proposal saw in one column.
struct ColumnProposal {
  int column = 0;
  std::string name;                  // header text, trimmed
  ColumnAssignment proposed;         // as in MappingProposal::mapping; kIgnore when nothing fits
  std::string reason;                // "name", "values", "text_answers", "date", "few_values" or ""
  int distinct = 0;                  // distinct non-empty values in the sample, capped at 51
  bool numeric = false;              // every non-empty value is a whole number (any digits)
  int min = 0, max = 0;              // numeric range seen, when numeric
  std::vector<std::string> samples;  // up to 3 distinct values, for the confirmation table
  ColumnScales scales;               // the scale of each type, were the column that question
};

// A proposed import of a file, for the user to confirm or change.
struct MappingProposal {
  ImportFormat format = ImportFormat::kCsv;
  char delimiter = ',';
  TextEncoding encoding = TextEncoding::kUtf8;  // kUtf8, kUtf16Le or kUtf16Be
  int rows_sampled = 0;                         // data records read
  ColumnMapping mapping;                        // what the proposal would import
  std::vector<ColumnProposal> columns;
  std::vector<int> segment_candidates;  // 2..50 distinct values, fewest first (then by column)
  bool date_ambiguous = false;          // dd/mm vs mm/dd: the page asks
};

// How much of a file the proposal reads.
inline constexpr size_t kProposalHeadBytes = size_t{256} << 10;
inline constexpr int kProposalRecords = 1000;

// Proposes a mapping from the first bytes of a file (up to kProposalHeadBytes; records after
// the header beyond kProposalRecords are not read). CSV (any delimiter SniffCsvDelimiter picks)
// or NDJSON (SniffImportFormat), UTF-8 with or without BOM, UTF-16 LE/BE with BOM. CSV records
// are read by the importer's own reader (BOM, UTF-16, delimiter, quoting and blank-line rules,
// column indexes as the import will see them); records it would reject for their structure
// (text after a closing quote, a wrong field count) are no sample. A head of kProposalHeadBytes
// or more that does not end with a line break is taken to be cut: its last record is ignored.
// - Extra header rows (CSV, at most 5): rows after the header holding an {"ImportId":...} cell
//   (Qualtrics), or rows that look like header text and not like a respondent: no answer-like
//   cell (a number, a date, a scale label) while later rows have some; a cell that repeats or
//   extends its column's header name (Qualtrics' question texts) or two cells alike
//   (SurveyMonkey's "Response" row); no cell equal to a later value of its column; no empty
//   cell in a column of scale answers (a respondent who skipped the question).
// - Questions by name (the header and the extra header rows' text; en/fa/ar: "nps", "recommend",
//   "توصیه", "توصي"; "csat", "satisf", "راضی", "رضا"; "ces", "effort", "easy", "آسان", "سهولة")
//   when the values fit, else by values (whole numbers 0-10 with a maximum over 7: NPS; 1-5:
//   CSAT; 1-7 with a maximum over 5: CES; at least 3 distinct) or by text answers (every value a
//   label ScalePointOfText reads: CSAT, then CES, then NPS). The first column of a type gets the
//   type's name as id ("nps"), later ones a slug of the header ("q7_1", or "q<column+1>").
// - The date: a column whose values one format reads (GuessDateFormat), all but at most one in
//   20 (rounded up; "N/A"), and more than not; a name like "date", "timestamp", "تاریخ" is
//   preferred, else the first. date_ambiguous as guessed (among the values that are dates).
// - Segment candidates: other columns with 2-50 distinct values and some value repeated; the
//   mapping takes one only when its name says so ("locale", "language", "channel", "country",
//   "region", "segment", "device", "platform").
// - Free text ("comment", "feedback", "why", "نظر", "تعليق"): kind "text".
// Errors (kInvalidArgument): an empty head ("no header row"), a lone UTF-16 surrogate
// ("line N: invalid UTF-16: ..."), NDJSON without an object line.
Result<MappingProposal> ProposeMapping(std::string_view head);

// The proposal as JSON (shape above).
Json MappingProposalToJson(const MappingProposal& proposal);
// A mapping as JSON (shape above).
Json ColumnMappingToJson(const ColumnMapping& mapping);
// The mapping the user confirmed (shape above; or a whole proposal, its "mapping" read). Errors
// (kInvalidArgument) name a JSON pointer: "/columns/2/scale: 6 is not a valid scale for ces
// (use 5 or 7)".
Result<ColumnMapping> ColumnMappingFromJson(const Json& json);

}  // namespace nazar

#endif  // NAZAR_MAPPING_H_
