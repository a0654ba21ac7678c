#include "import_cells.h"

#include <algorithm>

#include "nazar/date.h"
#include "nazar/i18n.h"
#include "text_util.h"

namespace nazar::import_internal {
namespace {

constexpr size_t kMaxSegmentLabel = 100;  // code points kept of a segment value
constexpr size_t kMaxCachedDays = 1 << 16;

// The id of `label` in an interned list, adding it when new.
int LabelId(std::string_view label, std::vector<std::string>* labels,
            std::map<std::string, int, std::less<>>* ids) {
  const auto it = ids->find(label);
  if (it != ids->end()) return it->second;
  const int id = static_cast<int>(labels->size());
  labels->emplace_back(label);
  ids->emplace(labels->back(), id);
  return id;
}

uint64_t CellKey(int segment, int period) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(segment)) << 32) |
         static_cast<uint32_t>(period);
}

}  // namespace

CellTable::CellTable(const ImportOptions& options, const std::vector<QuestionInfo>* questions,
                     size_t counter_count, Diagnostics* diagnostics)
    : options_(options),
      questions_(questions),
      counter_count_(counter_count),
      diagnostics_(diagnostics) {
  cells_.emplace_back();
  cells_[0].counters.assign(counter_count_, 0);
}

void CellTable::Add(const std::vector<PendingAnswer>& answers, const std::vector<int>& choices,
                    const std::string* segment, std::optional<int64_t> day, int64_t line) {
  AddTo(&cells_[0], answers, choices);
  const bool by_segment = !options_.by.empty();
  if (!by_segment && !options_.period) return;
  const int seg =
      by_segment ? SegmentId(segment != nullptr ? std::string_view(*segment) : "", line) : -1;
  int per = -1;
  if (options_.period) {
    per = day ? PeriodId(*day, line) : LabelId(kNoneLabel, &period_labels_, &period_ids_);
  }
  AddTo(&cells_[CellIndex(seg, per, line)], answers, choices);
}

void CellTable::AddTo(Cell* cell, const std::vector<PendingAnswer>& answers,
                      const std::vector<int>& choices) {
  ++cell->rows;
  int64_t* counters = cell->counters.data();
  for (size_t i = 0; i < questions_->size(); ++i) {
    const QuestionInfo& info = (*questions_)[i];
    const PendingAnswer& p = answers[i];
    int64_t* c = counters + info.offset;
    switch (p.kind) {
      case CellKind::kMissing:
        ++c[info.width + 2];
        break;
      case CellKind::kSkipped:
        ++c[info.width + 1];
        break;
      case CellKind::kValue:
        ++c[p.value - info.min];
        ++c[info.width];
        break;
      case CellKind::kChoices:
        for (uint32_t k = p.begin; k < p.end; ++k) ++c[choices[k]];
        ++c[info.width];
        break;
      case CellKind::kText:
        ++c[info.width];
        break;
    }
  }
}

int CellTable::SegmentId(std::string_view label, int64_t line) {
  if (label.empty()) label = kNoneLabel;
  std::string cut;
  if (label.size() > kMaxSegmentLabel) {
    // Long labels are cut (at a character boundary) so that kMaxSegments of them stay small.
    cut = Utf8Truncate(label, kMaxSegmentLabel);
    label = cut;
  }
  const auto it = segment_ids_.find(label);
  if (it != segment_ids_.end()) return it->second;
  if (segment_labels_.size() >= static_cast<size_t>(ImportOptions::kMaxSegments) &&
      label != kOtherLabel) {
    if (!warned_segments_) {
      warned_segments_ = true;
      diagnostics_->Warn(line, "column " + text::Name(options_.by) + " has more than " +
                                   std::to_string(ImportOptions::kMaxSegments) +
                                   " distinct values; the rest are counted as \"(other)\"");
    }
    return SegmentId(kOtherLabel, line);
  }
  return LabelId(label, &segment_labels_, &segment_ids_);
}

int CellTable::PeriodId(int64_t record_day, int64_t line) {
  // Most exports hold a few hundred distinct days: remember each day's period (bounded).
  const auto cached = day_period_.find(record_day);
  if (cached != day_period_.end()) return cached->second;
  if (day_period_.size() >= kMaxCachedDays) day_period_.clear();
  const std::string label = PeriodLabel(record_day, *options_.period, options_.calendar);
  int id;
  const auto it = period_ids_.find(label);
  if (it != period_ids_.end()) {
    id = it->second;
  } else if (period_labels_.size() >= static_cast<size_t>(ImportOptions::kMaxPeriods)) {
    if (!warned_periods_) {
      warned_periods_ = true;
      diagnostics_->Warn(line, "more than " + std::to_string(ImportOptions::kMaxPeriods) +
                                   " distinct periods; the rest are counted as \"(other)\"");
    }
    id = LabelId(kOtherLabel, &period_labels_, &period_ids_);
  } else {
    id = LabelId(label, &period_labels_, &period_ids_);
  }
  day_period_.emplace(record_day, id);
  return id;
}

size_t CellTable::NewCell(int segment, int period, uint64_t key) {
  cells_.emplace_back();
  cells_.back().segment = segment;
  cells_.back().period = period;
  cells_.back().counters.assign(counter_count_, 0);
  cell_index_.emplace(key, cells_.size() - 1);
  return cells_.size() - 1;
}

size_t CellTable::CellIndex(int seg, int per, int64_t line) {
  const uint64_t key = CellKey(seg, per);
  const auto it = cell_index_.find(key);
  if (it != cell_index_.end()) return it->second;
  if (cell_index_.size() < static_cast<size_t>(ImportOptions::kMaxCells)) {
    return NewCell(seg, per, key);
  }
  if (!warned_cells_) {
    warned_cells_ = true;
    diagnostics_->Warn(line, "more than " + std::to_string(ImportOptions::kMaxCells) +
                                 " segment x period cells; the rest are counted in "
                                 "(\"(other)\", \"(other)\")");
  }
  const int other_seg = options_.by.empty() ? -1 : SegmentId(kOtherLabel, line);
  const int other_per =
      options_.period ? LabelId(kOtherLabel, &period_labels_, &period_ids_) : -1;
  const uint64_t other_key = CellKey(other_seg, other_per);
  const auto o = cell_index_.find(other_key);
  if (o != cell_index_.end()) return o->second;
  return NewCell(other_seg, other_per, other_key);  // the fold cell may exceed the cap
}

std::vector<ReportCellInput> CellTable::Cells(const Survey& survey,
                                              const std::vector<size_t>& shown,
                                              const std::vector<bool>& seen) const {
  Survey reported = survey;
  reported.questions.clear();
  for (size_t qi : shown) reported.questions.push_back(survey.questions[qi]);
  const Tally empty = Tally::For(reported);

  std::vector<size_t> order(cells_.size() > 0 ? cells_.size() - 1 : 0);
  for (size_t i = 0; i < order.size(); ++i) order[i] = i + 1;
  auto label = [](const std::vector<std::string>& labels, int id) -> const std::string& {
    static const std::string kEmpty;
    return id < 0 ? kEmpty : labels[id];
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Cell& ca = cells_[a];
    const Cell& cb = cells_[b];
    const std::string& sa = label(segment_labels_, ca.segment);
    const std::string& sb = label(segment_labels_, cb.segment);
    if (sa != sb) return sa < sb;
    return label(period_labels_, ca.period) < label(period_labels_, cb.period);
  });
  order.insert(order.begin(), 0);

  std::vector<ReportCellInput> out;
  out.reserve(order.size());
  for (size_t index : order) {
    const Cell& cell = cells_[index];
    ReportCellInput in;
    in.segment = index == 0 ? "" : label(segment_labels_, cell.segment);
    in.period = index == 0 ? "" : label(period_labels_, cell.period);
    in.tally = empty;
    in.tally.displays = static_cast<double>(cell.rows);
    in.tally.completions = static_cast<double>(cell.rows);
    for (size_t k = 0; k < shown.size() && k < in.tally.questions.size(); ++k) {
      const size_t qi = shown[k];
      const QuestionInfo& info = (*questions_)[qi];
      QuestionTally& qt = in.tally.questions[k];
      const int64_t* c = cell.counters.data() + info.offset;
      if (qt.counts.size() < info.width) qt.counts.resize(info.width, 0);
      for (size_t v = 0; v < info.width; ++v) qt.counts[v] = static_cast<double>(c[v]);
      qt.answered = static_cast<double>(c[info.width]);
      qt.skipped = static_cast<double>(c[info.width + 1]);
      if (seen[qi]) qt.skipped += static_cast<double>(c[info.width + 2]);
    }
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace nazar::import_internal
