// Private to the importer: the cell table, counters per (segment, period) cell of every
// accepted record, with the caps on distinct segments, periods and cells.
#ifndef NAZAR_SRC_IMPORT_CELLS_H_
#define NAZAR_SRC_IMPORT_CELLS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "import_record.h"
#include "nazar/import.h"
#include "nazar/report.h"

namespace nazar::import_internal {

class CellTable {
 public:
  // `questions` (with their counter offsets, `counter_count` in all) outlive the table.
  CellTable(const ImportOptions& options, const std::vector<QuestionInfo>* questions,
            size_t counter_count, Diagnostics* diagnostics);

  // Counts one accepted record: in the overall cell and, with --by or --period, in its
  // (segment, period) cell. `segment` is null when the record has no segment value; `line`
  // dates the warnings of caps reached.
  void Add(const std::vector<PendingAnswer>& answers, const std::vector<int>& choices,
           const std::string* segment, std::optional<int64_t> day, int64_t line);

  // Tallies of the cells, overall first, then sorted by (segment, period). `shown` lists the
  // questions to report (indexes into the questions), `seen` whether a question's column
  // occurs (its missing values count as skipped then).
  std::vector<ReportCellInput> Cells(const Survey& survey, const std::vector<size_t>& shown,
                                     const std::vector<bool>& seen) const;

 private:
  struct Cell {
    int segment = -1;  // index into segment_labels_, -1 for none
    int period = -1;   // index into period_labels_, -1 for none
    int64_t rows = 0;
    std::vector<int64_t> counters;
  };

  void AddTo(Cell* cell, const std::vector<PendingAnswer>& answers,
             const std::vector<int>& choices);
  int SegmentId(std::string_view label, int64_t line);
  int PeriodId(int64_t day, int64_t line);
  size_t CellIndex(int segment, int period, int64_t line);
  size_t NewCell(int segment, int period, uint64_t key);

  const ImportOptions& options_;
  const std::vector<QuestionInfo>* questions_;
  size_t counter_count_;
  Diagnostics* diagnostics_;
  std::vector<Cell> cells_;  // [0] is the overall cell
  std::vector<std::string> segment_labels_;
  std::map<std::string, int, std::less<>> segment_ids_;
  std::vector<std::string> period_labels_;
  std::map<std::string, int, std::less<>> period_ids_;
  std::unordered_map<uint64_t, size_t> cell_index_;
  std::unordered_map<int64_t, int> day_period_;  // day -> period id cache
  bool warned_segments_ = false, warned_periods_ = false, warned_cells_ = false;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_CELLS_H_
