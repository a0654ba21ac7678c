// Private to the importer: the record builder. Readers (CSV, NDJSON) hand it the values of one
// record by column; it checks each against the survey, keeps the record's answers pending, and
// on EndRecord() either counts them in the cell table or rejects the whole record.
#ifndef NAZAR_SRC_IMPORT_BUILDER_H_
#define NAZAR_SRC_IMPORT_BUILDER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import_cache.h"
#include "import_cells.h"
#include "import_record.h"
#include "nazar/import.h"
#include "nazar/json.h"
#include "nazar/result.h"

namespace nazar::import_internal {

class RecordBuilder {
 public:
  explicit RecordBuilder(ImportOptions options);

  const ImportOptions& options() const { return options_; }
  const Survey& survey() const { return survey_; }
  // No survey was given: the default columns nps, csat and ces.
  bool default_survey() const { return default_survey_; }
  const std::vector<QuestionInfo>& questions() const { return questions_; }
  ImportSummary& summary() { return summary_; }
  const ImportSummary& summary() const { return summary_; }

  // The role of a column or key name, or nullptr when it feeds nothing.
  const ColumnRole* Lookup(std::string_view name) const;
  // An explicit mapping is given (ImportOptions::mapping): CSV columns by index.
  bool mapped() const { return options_.mapping.has_value(); }
  // The role of CSV column `col` under the mapping, or nullptr when it feeds nothing.
  const ColumnRole* RoleOfColumn(size_t col) const;
  // After the CSV header: true for each of the mapping's extra header rows (not data).
  bool SkipHeaderRow();
  // True while a mapping's extra header rows remain (the CSV fast path leaves them to EndRecord).
  bool HeaderRowsLeft() const { return header_rows_left_ > 0; }
  // Warnings about the header under a mapping: mapped columns the header does not have.
  void CheckMappedHeader(int64_t line, size_t ncols, const std::vector<std::string>& names);
  // The question's column exists (CSV header): its missing values count as skipped.
  void MarkSeen(const ColumnRole& role);

  // Starts a record at physical line `line` (the reader counts it in summary().rows).
  void StartRecord(int64_t line);
  // Rejects the current record (the first reason is kept).
  void Fail(std::string message);
  void FailColumn(std::string_view column, const std::string& detail);
  bool failed() const { return failed_; }
  // The line where the current record starts.
  int64_t line() const { return line_; }
  void Warn(std::string message) { diagnostics_.Warn(line_, std::move(message)); }
  void WarnAt(int64_t line, std::string message) { diagnostics_.Warn(line, std::move(message)); }

  // NDJSON: the key for `role` was not seen yet in this record.
  bool TakeKey(const ColumnRole& role);
  // A CSV cell or NDJSON string for `role`.
  void SetText(const ColumnRole& role, std::string_view column, std::string_view text);
  // An NDJSON scalar for `role`.
  void SetJson(const ColumnRole& role, std::string_view column, const JsonScalar& value);
  // NDJSON arrays of a choice question: opens the list, adds one option id, closes it.
  void BeginChoices(int question);
  bool AddChoice(int question, std::string_view column, std::string_view option);
  void EndChoices(int question, std::string_view column);
  // Counts the record, or only as a bad row when it failed.
  void EndRecord();
  // Warnings about the whole input (NDJSON: keys that occurred in no record), then the range.
  void FinishNdjson();
  void Finish();
  std::vector<ReportCellInput> Cells() const;

  // ---- Parts of one file merged (import_merge.cc) ----
  // The partial result of a continuation (ResponseImporter::ExportState()): everything its
  // records added, with the warnings from index `first_warning` on (those before are the
  // header's, which the importer it merges into has too). Lines are its own.
  PartState ExportState(size_t first_warning) const;
  // Adds an ExportState() of the part that follows this one, its lines shifted by `line_offset`.
  // kFailedPrecondition, with nothing changed, when the sum could differ from reading the parts
  // in one import (a cap reached or crossed together), kInvalidArgument for a malformed state.
  Status AbsorbState(const PartState& state, int64_t line_offset);

 private:
  friend class CsvKernel;  // reads the caches and counts records (import_kernel.h)
  void SetScaleText(int qi, std::string_view column, std::string_view raw);
  // What the accepted current record tells about the whole input: which questions and the
  // segment occur, and the date range. CsvKernel::Run() does the same for its records.
  void NoteAccepted();
  // Accepted records dated from `first` to `last` (days).
  void NoteDays(int64_t first, int64_t last);
  void SetScaleNumber(int qi, std::string_view column, const JsonScalar& value);
  void SetChoiceText(int qi, std::string_view column, std::string_view raw);
  void SetDateText(std::string_view column, std::string_view raw);
  void SetSegment(std::string_view value);
  void BuildMapping();

  ImportOptions options_;
  Survey survey_;
  bool default_survey_ = false;
  std::vector<QuestionInfo> questions_;
  std::vector<bool> question_seen_;  // the column exists / occurs in an accepted record
  std::map<std::string, ColumnRole, std::less<>> roles_by_name_;
  std::vector<ColumnRole> roles_by_column_;  // under a mapping (CSV)
  int header_rows_left_ = 0;                 // extra header rows still to skip
  std::optional<DateFormat> date_format_;    // nothing: ParseDefaultDay
  ImportSummary summary_;
  Diagnostics diagnostics_{&summary_};
  std::unique_ptr<CellTable> cells_;

  // The record being read.
  int64_t line_ = 0;
  bool failed_ = false;
  uint32_t serial_ = 0;
  std::vector<PendingAnswer> pending_;
  std::vector<int> choices_;
  bool has_segment_ = false;
  std::string segment_;
  std::optional<int64_t> day_;
  ShortTextIndex day_cache_;        // date text -> day, for texts that parsed
  std::vector<uint8_t> key_taken_;  // NDJSON duplicates: [question..., date, by]
  bool by_seen_ = false, date_seen_ = false;
  bool solar_hijri_said_ = false;  // the warning that default dates were read as Solar Hijri
  size_t solar_hijri_warning_ = SIZE_MAX;  // its index in summary_.warnings (when kept)
  int64_t min_day_ = 0, max_day_ = 0;
  bool any_day_ = false;
};

// 1-3 ASCII digits in [min, max]: the value, in *value, that SetScaleText()'s full rules would
// also reach for a question of that range. False for anything else (the full rules then decide).
// `terminated`: s[n] may be read (the delimiter after a field in its buffer); one and two digits
// are then read without a branch on the data, as the CSV kernel (import_kernel.h) wants.
inline bool PlainScaleValue(const char* s, size_t n, bool terminated, int min, int max,
                            int* value) {
  if (n - 1 >= 3) return false;  // empty, or more than 3 bytes
  if (n == 3 || !terminated) {
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
      const unsigned digit = static_cast<unsigned char>(s[i]) - unsigned{'0'};
      if (digit > 9) return false;
      v = v * 10 + static_cast<int>(digit);
    }
    if (v < min || v > max) return false;
    *value = v;
    return true;
  }
  const unsigned d0 = static_cast<unsigned char>(s[0]) - unsigned{'0'};
  const unsigned d1 = static_cast<unsigned char>(s[1]) - unsigned{'0'};  // s[1]: maybe the end
  const bool two = n == 2;
  const int v = static_cast<int>(two ? d0 * 10 + d1 : d0);
  const bool ok = (d0 <= 9) & (!two | (d1 <= 9)) & (v >= min) & (v <= max);
  *value = v;
  return ok;
}
inline bool PlainScaleValue(std::string_view raw, const QuestionInfo& info, int* value) {
  int v = 0;
  if (!PlainScaleValue(raw.data(), raw.size(), false, info.min, info.max, &v)) return false;
  *value = v;
  return true;
}

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_BUILDER_H_
