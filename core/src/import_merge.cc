// Private to the importer: one file read in two parts (two workers) and merged. The second part's
// importer is a continuation (ResponseImporter::FeedHeader()); its partial result travels as a
// PartState (import_state.h, ResponseImporter::ExportState()) and is added to the first part's
// importer, which then finishes as if it had read everything. Whatever could make the sum differ
// from one import (a cap reached, so that "(other)" depends on the order) refuses the merge.
#include <utility>
#include <vector>

#include "import_builder.h"
#include "import_cells.h"
#include "import_state.h"

namespace nazar::import_internal {
namespace {

Status Malformed(const std::string& what) {
  return Status(StatusCode::kInvalidArgument, "import state: " + what);
}

}  // namespace

CellTableState CellTable::ExportState() const {
  CellTableState state;
  state.capped = warned_segments_ || warned_periods_ || warned_cells_;
  state.segments = segment_labels_;
  state.periods = period_labels_;
  state.counters = counter_count_;
  state.cells.reserve(cells_.size());
  state.counts.reserve(cells_.size() * counter_count_);
  for (const Cell& cell : cells_) {
    state.cells.push_back({cell.segment, cell.period, cell.rows});
    state.counts.insert(state.counts.end(), cell.counters.begin(), cell.counters.end());
  }
  return state;
}

Result<bool> CellTable::CanAbsorb(const CellTableState& state) const {
  if (state.counters != counter_count_) {
    return Malformed("cells: " + std::to_string(state.counters) + " counters per cell, not " +
                     std::to_string(counter_count_) + " (another survey's)");
  }
  if (state.capped || warned_segments_ || warned_periods_ || warned_cells_) return false;
  // Within every cap together, no value was folded into "(other)" by either part, nor would be
  // by one import: then the sum is order-free. The state's labels in this table's ids, -2 new.
  std::vector<int> segment_id, period_id;
  size_t new_segments = 0, new_periods = 0, new_cells = 0;
  for (const std::string& s : state.segments) {
    segment_id.push_back(FindSegment(s));
    new_segments += segment_id.back() == -2;
  }
  for (const std::string& p : state.periods) {
    const auto it = period_ids_.find(p);
    period_id.push_back(it == period_ids_.end() ? -2 : it->second);
    new_periods += period_id.back() == -2;
  }
  for (const CellTableState::Cell& cell : state.cells) {
    if (cell.segment < 0 && cell.period < 0) continue;  // the overall cell
    const int s = cell.segment < 0 ? -1 : segment_id[static_cast<size_t>(cell.segment)];
    const int p = cell.period < 0 ? -1 : period_id[static_cast<size_t>(cell.period)];
    new_cells += s == -2 || p == -2 || FindCell(s, p) < 0;
  }
  return segment_labels_.size() + new_segments <=
             static_cast<size_t>(ImportOptions::kMaxSegments) &&
         period_labels_.size() + new_periods <= static_cast<size_t>(ImportOptions::kMaxPeriods) &&
         cells_.size() - 1 + new_cells <= static_cast<size_t>(ImportOptions::kMaxCells);
}

void CellTable::AbsorbState(const CellTableState& state) {
  std::vector<int> segment_id, period_id;  // the state's ids -> this table's
  for (const std::string& s : state.segments) segment_id.push_back(InternSegment(s));
  for (const std::string& label : state.periods) {
    const auto it = period_ids_.find(label);
    if (it != period_ids_.end()) {
      period_id.push_back(it->second);
      continue;
    }
    period_id.push_back(static_cast<int>(period_labels_.size()));
    period_labels_.push_back(label);
    period_ids_.emplace(label, period_id.back());
  }
  for (size_t i = 0; i < state.cells.size(); ++i) {
    const CellTableState::Cell& from = state.cells[i];
    const int seg = from.segment < 0 ? -1 : segment_id[static_cast<size_t>(from.segment)];
    const int per = from.period < 0 ? -1 : period_id[static_cast<size_t>(from.period)];
    Cell& cell = cells_[seg < 0 && per < 0 ? 0 : CellAt(seg, per)];
    cell.rows += from.rows;
    const int64_t* counts = state.counts.data() + i * counter_count_;
    for (size_t k = 0; k < counter_count_; ++k) cell.counters[k] += counts[k];
  }
}

PartState RecordBuilder::ExportState(size_t first_warning) const {
  PartState state;
  for (const ImportError& e : summary_.errors) {
    // The resume line is the one line number inside a message: kept apart, to be shifted.
    std::string message = e.message;
    int64_t resume = 0;
    const size_t at = message.rfind(kResumeSuffix);
    if (at != std::string::npos) {
      const std::string digits = message.substr(at + kResumeSuffix.size());
      bool number = !digits.empty() && digits.size() < 19;  // fits int64_t
      for (size_t i = 0; number && i < digits.size(); ++i) {
        number = digits[i] >= '0' && digits[i] <= '9';
        resume = resume * 10 + (digits[i] - '0');
      }
      if (number) {
        message.resize(at);
      } else {
        resume = 0;
      }
    }
    state.errors.push_back({e.line, std::move(message), resume});
  }
  for (size_t i = first_warning; i < summary_.warnings.size(); ++i) {
    const ImportError& w = summary_.warnings[i];
    state.warnings.push_back({w.line, w.message, i == solar_hijri_warning_ ? 1 : 0});
  }
  state.rows = summary_.rows;
  state.bad_rows = summary_.bad_rows;
  state.solar = solar_hijri_said_;
  state.seen = question_seen_;
  state.by_seen = by_seen_;
  state.date_seen = date_seen_;
  state.has_days = any_day_;
  state.first_day = min_day_;
  state.last_day = max_day_;
  state.cells = cells_->ExportState();
  return state;
}

Status RecordBuilder::AbsorbState(const PartState& state, int64_t line_offset) {
  if (state.seen.size() != question_seen_.size()) {
    return Malformed("another survey's questions (" + std::to_string(state.seen.size()) + ", not " +
                     std::to_string(question_seen_.size()) + ")");
  }
  Result<bool> exact = cells_->CanAbsorb(state.cells);
  if (!exact.ok()) return exact.status();
  if (!exact.value()) {
    return Status(StatusCode::kFailedPrecondition,
                  "a segment, period or cell cap is reached: the parts would not add up to one "
                  "import; import the file in one part");
  }

  summary_.rows += state.rows;
  summary_.bad_rows += state.bad_rows;
  auto shift = [&](int64_t line) { return line > 0 ? line + line_offset : line; };
  const size_t kMax = ImportOptions::kMaxReportedErrors;
  for (const StateEntry& e : state.errors) {
    if (summary_.errors.size() >= kMax) break;
    std::string message = e.message;
    if (e.flag > 0) message += std::string(kResumeSuffix) + std::to_string(shift(e.flag));
    summary_.errors.push_back({shift(e.line), std::move(message)});
  }
  for (const StateEntry& w : state.warnings) {
    if (w.flag == 1) {  // said once per import: by the first part that says it
      if (solar_hijri_said_) continue;
      solar_hijri_said_ = true;
      solar_hijri_warning_ = summary_.warnings.size();
    }
    if (summary_.warnings.size() < kMax) {
      summary_.warnings.push_back({shift(w.line), w.message});
    }
  }
  solar_hijri_said_ = solar_hijri_said_ || state.solar;
  for (size_t i = 0; i < question_seen_.size(); ++i) {
    if (state.seen[i]) question_seen_[i] = true;
  }
  by_seen_ = by_seen_ || state.by_seen;
  date_seen_ = date_seen_ || state.date_seen;
  if (state.has_days) NoteDays(state.first_day, state.last_day);
  cells_->AbsorbState(state.cells);
  return Status();
}

}  // namespace nazar::import_internal
