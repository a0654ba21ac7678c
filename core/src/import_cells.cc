#include "import_cells.h"

#include <algorithm>
#include <cstring>

#include "nazar/date.h"
#include "nazar/i18n.h"
#include "text_util.h"

namespace nazar::import_internal {
namespace {

constexpr size_t kMaxSegmentLabel = 100;  // code points kept of a segment value
constexpr size_t kDayCacheSize = 1024;    // a power of two

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return x;
}

// A hash of the bytes of a label (eight at a time).
uint64_t HashBytes(std::string_view s) {
  uint64_t h = s.size();
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    h = Mix(h ^ word) + 0x9e3779b97f4a7c15ULL;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  return Mix(h ^ tail ^ 0x5851f42d4c957f2dULL);
}

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

void IdIndex::Insert(uint64_t hash, int id) {
  if ((used_ + 1) * 2 > slots_.size()) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot());
    used_ = 0;
    for (const Slot& slot : old) {
      if (slot.id >= 0) Insert(slot.hash, slot.id);
    }
  }
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash) & mask;
  while (slots_[i].id >= 0) i = (i + 1) & mask;
  slots_[i].hash = hash;
  slots_[i].id = id;
  ++used_;
}

CellTable::CellTable(const ImportOptions& options, const std::vector<QuestionInfo>* questions,
                     size_t counter_count, Diagnostics* diagnostics)
    : options_(options),
      questions_(questions),
      counter_count_(counter_count),
      diagnostics_(diagnostics) {
  cells_.emplace_back();
  cells_[0].counters.assign(counter_count_, 0);
  day_period_.resize(kDayCacheSize);
  for (const QuestionInfo& info : *questions_)
    shapes_.push_back({info.offset, info.width, info.min});
}

void CellTable::Add(const std::vector<PendingAnswer>& answers, const std::vector<int>& choices,
                    const std::string* segment, std::optional<int64_t> day, int64_t line) {
  if (options_.by.empty() && !options_.period) {
    AddTo(&cells_[0], answers, choices);
    return;
  }
  // Every record lands in exactly one (segment, period) cell: the overall cell is their sum,
  // added up once in Cells() instead of once per record.
  const int seg = options_.by.empty()
                      ? -1
                      : SegmentId(segment != nullptr ? std::string_view(*segment) : "", line);
  AddTo(&cells_[CellOf(seg, day, line)], answers, choices);
}

size_t CellTable::CellOf(int seg, std::optional<int64_t> day, int64_t line) {
  int per = -1;
  if (options_.period) {
    per = day ? PeriodId(*day, line) : LabelId(kNoneLabel, &period_labels_, &period_ids_);
  }
  return CellFor(seg, per, line);
}

size_t CellTable::CellFor(int seg, int per, int64_t line) {
  // A cell's index never changes, and a pair folded into ("(other)", "(other)") stays folded (the
  // cap is never lifted), so remembering CellIndex() changes nothing.
  const size_t at = FlatIndex(seg, per);
  if (at == kNotFlat) return CellIndex(seg, per, line);
  if (flat_.empty()) flat_.assign(static_cast<size_t>(kFlatSegments) * kFlatPeriods, 0);
  uint32_t& entry = flat_[at];
  if (entry == 0) entry = static_cast<uint32_t>(CellIndex(seg, per, line));
  return entry;
}

void CellTable::AddTo(Cell* cell, const std::vector<PendingAnswer>& answers,
                      const std::vector<int>& choices) {
  ++cell->rows;
  int64_t* counters = cell->counters.data();
  for (size_t i = 0; i < shapes_.size(); ++i) {
    const Shape& info = shapes_[i];
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
  int64_t cached = 0;
  if (segment_cache_.Find(label, &cached)) return static_cast<int>(cached);
  const int id = NewSegmentId(label, line);
  segment_cache_.Store(label, id);
  return id;
}

int CellTable::NewSegmentId(std::string_view label, int64_t line) {
  if (label.empty()) label = kNoneLabel;
  std::string cut;
  if (label.size() > kMaxSegmentLabel) {
    // Long labels are cut (at a character boundary) so that kMaxSegments of them stay small.
    cut = Utf8Truncate(label, kMaxSegmentLabel);
    label = cut;
  }
  const int found = FindSegment(label);
  if (found >= 0) return found;
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
  return InternSegment(label);
}

int CellTable::FindSegment(std::string_view label) const {
  const int found =
      segment_ids_.Find(HashBytes(label), [&](int id) { return segment_labels_[id] == label; });
  return found >= 0 ? found : -2;
}

int CellTable::InternSegment(std::string_view label) {
  const int found = FindSegment(label);
  if (found >= 0) return found;
  const int id = static_cast<int>(segment_labels_.size());
  segment_labels_.emplace_back(label);
  segment_ids_.Insert(HashBytes(label), id);
  return id;
}

size_t CellTable::CellAt(int seg, int per) {
  const int found = FindCell(seg, per);
  return found >= 0 ? static_cast<size_t>(found) : NewCell(seg, per, CellKey(seg, per));
}

size_t CellTable::DaySlot(int64_t day) {
  return static_cast<size_t>(static_cast<uint64_t>(day) & (kDayCacheSize - 1));
}

bool CellTable::CachedPeriod(int64_t day, int* period) const {
  const DayPeriod& cached = day_period_[DaySlot(day)];
  if (cached.day != day) return false;
  *period = cached.period;
  return true;
}

int CellTable::PeriodId(int64_t record_day, int64_t line) {
  // Most exports hold a few hundred distinct days: remember each day's period (bounded).
  DayPeriod& cached = day_period_[DaySlot(record_day)];
  if (cached.day == record_day) return cached.period;
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
  cached.day = record_day;
  cached.period = id;
  return id;
}

size_t CellTable::NewCell(int segment, int period, uint64_t key) {
  cells_.emplace_back();
  cells_.back().segment = segment;
  cells_.back().period = period;
  cells_.back().counters.assign(counter_count_, 0);
  cell_index_.Insert(Mix(key), static_cast<int>(cells_.size() - 1));
  return cells_.size() - 1;
}

int CellTable::FindCell(int seg, int per) const {
  return cell_index_.Find(Mix(CellKey(seg, per)), [&](int index) {
    return cells_[index].segment == seg && cells_[index].period == per;
  });
}

size_t CellTable::CellIndex(int seg, int per, int64_t line) {
  const uint64_t key = CellKey(seg, per);
  const int found = FindCell(seg, per);
  if (found >= 0) return static_cast<size_t>(found);
  // Every cell but the overall one is in the index.
  if (cells_.size() - 1 < static_cast<size_t>(ImportOptions::kMaxCells)) {
    return NewCell(seg, per, key);
  }
  if (!warned_cells_) {
    warned_cells_ = true;
    diagnostics_->Warn(line, "more than " + std::to_string(ImportOptions::kMaxCells) +
                                 " segment x period cells; the rest are counted in "
                                 "(\"(other)\", \"(other)\")");
  }
  const int other_seg = options_.by.empty() ? -1 : SegmentId(kOtherLabel, line);
  const int other_per = options_.period ? LabelId(kOtherLabel, &period_labels_, &period_ids_) : -1;
  const uint64_t other_key = CellKey(other_seg, other_per);
  const int other = FindCell(other_seg, other_per);
  if (other >= 0) return static_cast<size_t>(other);
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

  Cell overall = cells_[0];
  if (!options_.by.empty() || options_.period) {
    for (size_t i = 1; i < cells_.size(); ++i) {
      overall.rows += cells_[i].rows;
      for (size_t k = 0; k < counter_count_; ++k) overall.counters[k] += cells_[i].counters[k];
    }
  }
  std::vector<ReportCellInput> out;
  out.reserve(order.size());
  for (size_t index : order) {
    const Cell& cell = index == 0 ? overall : cells_[index];
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
