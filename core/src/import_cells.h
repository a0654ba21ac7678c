// Private to the importer: the cell table, counters per (segment, period) cell of every
// accepted record, with the caps on distinct segments, periods and cells.
#ifndef NAZAR_SRC_IMPORT_CELLS_H_
#define NAZAR_SRC_IMPORT_CELLS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "import_cache.h"
#include "import_record.h"
#include "import_state.h"
#include "nazar/import.h"
#include "nazar/json.h"
#include "nazar/report.h"
#include "nazar/result.h"

namespace nazar::import_internal {

// Open-addressed hash index (linear probing, at most half full) from a key to a small id: the
// per-record lookups of the cell table, which a tree or node-based map made the costliest part
// of a segmented import. `Key` is what a slot stores; the caller compares keys.
class IdIndex {
 public:
  // The slot of `hash` where `same(id)` holds, or -1 (then Insert() may follow).
  template <class Same>
  int Find(uint64_t hash, Same same) const {
    if (slots_.empty()) return -1;
    const size_t mask = slots_.size() - 1;
    for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id < 0) return -1;
      if (slot.hash == hash && same(slot.id)) return slot.id;
    }
  }
  // Adds `id` under `hash` (not present yet).
  void Insert(uint64_t hash, int id);

 private:
  struct Slot {
    uint64_t hash = 0;
    int id = -1;
  };
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

class CellTable {
 public:
  // `questions` (with their counter offsets, `counter_count` in all) outlive the table.
  CellTable(const ImportOptions& options, const std::vector<QuestionInfo>* questions,
            size_t counter_count, Diagnostics* diagnostics);

  // Counts one accepted record: in the overall cell or, with --by or --period, in its
  // (segment, period) cell (the overall cell is then their sum). `segment` is null when the record
  // has no segment value; `line` dates the warnings of caps reached.
  void Add(const std::vector<PendingAnswer>& answers, const std::vector<int>& choices,
           const std::string* segment, std::optional<int64_t> day, int64_t line);
  // The segment id of a text some record already had, in *id; false when it is new (or not
  // held any more), or when the import has no segments.
  bool KnownSegment(std::string_view text, int* id) const {
    return KnownSegment(ShortTextIndex::Key(text), id);
  }
  bool KnownSegment(const ShortTextIndex::Key& text, int* id) const {
    int64_t cached = 0;
    if (options_.by.empty() || !segment_cache_.Find(text, &cached)) return false;
    *id = static_cast<int>(cached);
    return true;
  }
  // PeriodId()'s answer for `day` when it is still remembered, in *period; false otherwise.
  bool CachedPeriod(int64_t day, int* period) const;
  // The index of the (segment, period) cell when CellFor() has made and remembered it; 0 (the
  // overall cell, never a split one) otherwise.
  size_t CachedCell(int segment, int period) const {
    const size_t at = FlatIndex(segment, period);
    return at == kNotFlat || flat_.empty() ? 0 : flat_[at];
  }

  // Tallies of the cells, overall first, then sorted by (segment, period). `shown` lists the
  // questions to report (indexes into the questions), `seen` whether a question's column
  // occurs (its missing values count as skipped then).
  std::vector<ReportCellInput> Cells(const Survey& survey, const std::vector<size_t>& shown,
                                     const std::vector<bool>& seen) const;

  // ---- Parts of one file merged (import_merge.cc) ----
  // Every cell with its labels and counters, and whether a cap was reached.
  CellTableState ExportState() const;
  // True when adding `state` (another table's ExportState()) gives what one table counting both
  // parts' records would: no cap reached in either, and the union within every cap. Then
  // AbsorbState() adds it; a state of another survey is kInvalidArgument, with nothing changed.
  Result<bool> CanAbsorb(const CellTableState& state) const;
  void AbsorbState(const CellTableState& state);

 private:
  friend class CsvKernel;  // counts straight into cells_ (import_kernel.h)
  struct Cell {
    int segment = -1;  // index into segment_labels_, -1 for none
    int period = -1;   // index into period_labels_, -1 for none
    int64_t rows = 0;
    // The questions' counters (QuestionInfo::offset).
    std::vector<int64_t> counters;
  };

  void AddTo(Cell* cell, const std::vector<PendingAnswer>& answers,
             const std::vector<int>& choices);
  int SegmentId(std::string_view label, int64_t line);
  int NewSegmentId(std::string_view label, int64_t line);
  int PeriodId(int64_t day, int64_t line);
  size_t CellIndex(int segment, int period, int64_t line);
  // The cell of a record in `segment` (-1 without --by) on `day` (with --period).
  size_t CellOf(int segment, std::optional<int64_t> day, int64_t line);
  // The index of the (segment, period) cell, or -1 when there is none yet.
  int FindCell(int segment, int period) const;
  // CellIndex() through flat_ when both ids are small.
  size_t CellFor(int segment, int period, int64_t line);
  size_t NewCell(int segment, int period, uint64_t key);
  // The id of segment `label` (stored form), added when new, whatever the cap.
  int InternSegment(std::string_view label);
  // The id of segment `label` (stored form), or -2 when there is none.
  int FindSegment(std::string_view label) const;
  // The index of the (segment, period) cell, made when new, whatever the cap.
  size_t CellAt(int segment, int period);

  const ImportOptions& options_;
  const std::vector<QuestionInfo>* questions_;
  // What AddTo() needs of each question, packed (QuestionInfo also holds maps and strings).
  struct Shape {
    size_t offset;
    size_t width;
    int min;
  };
  std::vector<Shape> shapes_;
  size_t counter_count_;  // per cell
  Diagnostics* diagnostics_;
  std::vector<Cell> cells_;  // [0] is the overall cell
  std::vector<std::string> segment_labels_;
  IdIndex segment_ids_;           // by hash of the label
  ShortTextIndex segment_cache_;  // a record's segment text -> SegmentId()
  std::vector<std::string> period_labels_;
  std::map<std::string, int, std::less<>> period_ids_;
  IdIndex cell_index_;  // by (segment, period): index into cells_
  // (segment + 1) * kFlatPeriods + period + 1 -> CellIndex() (0: not looked up yet), for
  // segment ids below kFlatSegments - 1 and period ids below kFlatPeriods - 1.
  static constexpr int kFlatSegments = 32, kFlatPeriods = 512;
  std::vector<uint32_t> flat_;
  static constexpr size_t kNotFlat = SIZE_MAX;
  // The index into flat_ of (segment, period), or kNotFlat when an id is too large for it.
  static size_t FlatIndex(int segment, int period) {
    if (segment + 1 >= kFlatSegments || period + 1 >= kFlatPeriods) return kNotFlat;
    return static_cast<size_t>(segment + 1) * kFlatPeriods + static_cast<size_t>(period + 1);
  }
  // Day -> period id, direct-mapped by the day's low bits (an export has a few hundred days).
  struct DayPeriod {
    int64_t day = INT64_MIN;
    int period = -1;
  };
  std::vector<DayPeriod> day_period_;
  static size_t DaySlot(int64_t day);  // the day's entry in day_period_
  bool warned_segments_ = false, warned_periods_ = false, warned_cells_ = false;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_CELLS_H_
