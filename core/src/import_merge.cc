// Private to the importer: one file read in two parts (two workers) and merged. The second part's
// importer is a continuation (ResponseImporter::FeedHeader()); its partial result travels as a
// JSON state (ResponseImporter::ExportState()) and is added to the first part's
// importer, which then finishes as if it had read everything. Whatever could make the sum differ
// from one import (a cap reached, so that "(other)" depends on the order) refuses the merge.
#include <utility>
#include <vector>

#include "import_builder.h"
#include "import_cells.h"

namespace nazar::import_internal {
namespace {

Status Malformed(const std::string& what) {
  return Status(StatusCode::kInvalidArgument, "import state: " + what);
}

bool IsInt(const Json& j) { return j.is_number_integer(); }

// `state[key]` when it is an array (of strings when `strings`), else nullptr.
const Json* ArrayMember(const Json& state, const char* key, bool strings = false) {
  auto it = state.find(key);
  if (it == state.end() || !it->is_array()) return nullptr;
  if (strings) {
    for (const Json& v : *it) {
      if (!v.is_string()) return nullptr;
    }
  }
  return &*it;
}

// The cells of a CellTable state as checked rows: [segment, period, rows, [counters...]].
bool CellRow(const Json& row, size_t segments, size_t periods, size_t counters) {
  if (!row.is_array() || row.size() != 4 || !IsInt(row[0]) || !IsInt(row[1]) || !IsInt(row[2]) ||
      !row[3].is_array() || row[3].size() != counters) {
    return false;
  }
  const int64_t seg = row[0].get<int64_t>(), per = row[1].get<int64_t>();
  if (seg < -1 || seg >= static_cast<int64_t>(segments)) return false;
  if (per < -1 || per >= static_cast<int64_t>(periods)) return false;
  if (row[2].get<int64_t>() < 0) return false;
  for (const Json& c : row[3]) {
    if (!IsInt(c)) return false;
  }
  return true;
}

// A list of [line, message, flag] entries (errors: flag = the resume line or 0; warnings: 1 for
// the Solar Hijri note).
bool Entries(const Json* list) {
  if (list == nullptr) return false;
  for (const Json& e : *list) {
    if (!e.is_array() || e.size() != 3 || !IsInt(e[0]) || !e[1].is_string() || !IsInt(e[2])) {
      return false;
    }
  }
  return true;
}

}  // namespace

Json CellTable::ExportState() const {
  Json cells = Json::array();
  for (const Cell& cell : cells_) {
    cells.push_back(Json::array({cell.segment, cell.period, cell.rows, cell.counters}));
  }
  return {{"capped", warned_segments_ || warned_periods_ || warned_cells_},
          {"segments", segment_labels_},
          {"periods", period_labels_},
          {"cells", std::move(cells)}};
}

Result<bool> CellTable::CanAbsorb(const Json& state) const {
  const Json* segments = ArrayMember(state, "segments", true);
  const Json* periods = ArrayMember(state, "periods", true);
  const Json* cells = ArrayMember(state, "cells");
  auto capped = state.find("capped");
  if (segments == nullptr || periods == nullptr || cells == nullptr || capped == state.end() ||
      !capped->is_boolean()) {
    return Malformed("cells: expected capped, segments, periods and cells");
  }
  for (const Json& row : *cells) {
    if (!CellRow(row, segments->size(), periods->size(), counter_count_)) {
      return Malformed("cells: a cell is not [segment, period, rows, [counters]] of this import");
    }
  }
  if (capped->get<bool>() || warned_segments_ || warned_periods_ || warned_cells_) return false;
  // Within every cap together, no value was folded into "(other)" by either part, nor would be
  // by one import: then the sum is order-free. The state's labels in this table's ids, -2 new.
  std::vector<int> segment_id, period_id;
  size_t new_segments = 0, new_periods = 0, new_cells = 0;
  for (const Json& s : *segments) {
    segment_id.push_back(FindSegment(s.get_ref<const std::string&>()));
    new_segments += segment_id.back() == -2;
  }
  for (const Json& p : *periods) {
    const auto it = period_ids_.find(p.get_ref<const std::string&>());
    period_id.push_back(it == period_ids_.end() ? -2 : it->second);
    new_periods += period_id.back() == -2;
  }
  for (const Json& row : *cells) {
    const int seg = row[0].get<int>(), per = row[1].get<int>();
    if (seg < 0 && per < 0) continue;  // the overall cell
    const int s = seg < 0 ? -1 : segment_id[static_cast<size_t>(seg)];
    const int p = per < 0 ? -1 : period_id[static_cast<size_t>(per)];
    new_cells += s == -2 || p == -2 || FindCell(s, p) < 0;
  }
  return segment_labels_.size() + new_segments <=
             static_cast<size_t>(ImportOptions::kMaxSegments) &&
         period_labels_.size() + new_periods <= static_cast<size_t>(ImportOptions::kMaxPeriods) &&
         cells_.size() - 1 + new_cells <= static_cast<size_t>(ImportOptions::kMaxCells);
}

void CellTable::AbsorbState(const Json& state) {
  std::vector<int> segment_id, period_id;  // the state's ids -> this table's
  for (const Json& s : state["segments"]) {
    segment_id.push_back(InternSegment(s.get_ref<const std::string&>()));
  }
  for (const Json& p : state["periods"]) {
    const std::string& label = p.get_ref<const std::string&>();
    const auto it = period_ids_.find(label);
    if (it != period_ids_.end()) {
      period_id.push_back(it->second);
      continue;
    }
    period_id.push_back(static_cast<int>(period_labels_.size()));
    period_labels_.push_back(label);
    period_ids_.emplace(label, period_id.back());
  }
  for (const Json& row : state["cells"]) {
    const int seg = row[0].get<int>() < 0 ? -1 : segment_id[row[0].get<size_t>()];
    const int per = row[1].get<int>() < 0 ? -1 : period_id[row[1].get<size_t>()];
    Cell& cell = cells_[seg < 0 && per < 0 ? 0 : CellAt(seg, per)];
    cell.rows += row[2].get<int64_t>();
    const Json& counters = row[3];
    for (size_t k = 0; k < counter_count_; ++k) cell.counters[k] += counters[k].get<int64_t>();
  }
}

Json RecordBuilder::ExportState(size_t first_warning) const {
  Json errors = Json::array();
  for (const ImportError& e : summary_.errors) {
    // The resume line is the one line number inside a message: kept apart, to be shifted.
    std::string message = e.message;
    int64_t resume = 0;
    const size_t at = message.rfind(kResumeSuffix);
    if (at != std::string::npos) {
      const std::string digits = message.substr(at + kResumeSuffix.size());
      bool number = !digits.empty() && digits.size() < 19;
      for (char c : digits) {
        number = number && c >= '0' && c <= '9';
        resume = resume * 10 + (c - '0');
      }
      if (number) {
        message.resize(at);
      } else {
        resume = 0;
      }
    }
    errors.push_back(Json::array({e.line, std::move(message), resume}));
  }
  Json warnings = Json::array();
  for (size_t i = first_warning; i < summary_.warnings.size(); ++i) {
    const ImportError& w = summary_.warnings[i];
    warnings.push_back(Json::array({w.line, w.message, i == solar_hijri_warning_ ? 1 : 0}));
  }
  Json seen = Json::array();
  for (bool s : question_seen_) seen.push_back(s);
  return {{"rows", summary_.rows},
          {"bad_rows", summary_.bad_rows},
          {"errors", std::move(errors)},
          {"warnings", std::move(warnings)},
          {"solar", solar_hijri_said_},
          {"seen", std::move(seen)},
          {"by_seen", by_seen_},
          {"date_seen", date_seen_},
          {"days", any_day_ ? Json::array({min_day_, max_day_}) : Json()},
          {"cells", cells_->ExportState()}};
}

Status RecordBuilder::AbsorbState(const Json& state, int64_t line_offset) {
  auto flag = [&](const char* key) {
    auto it = state.find(key);
    return it != state.end() && it->is_boolean();
  };
  auto count = [&](const char* key) {
    auto it = state.find(key);
    return it != state.end() && IsInt(*it) && it->get<int64_t>() >= 0;
  };
  const Json* errors = ArrayMember(state, "errors");
  const Json* warnings = ArrayMember(state, "warnings");
  const Json* seen = ArrayMember(state, "seen");
  auto days = state.find("days");
  auto cells = state.find("cells");
  if (!count("rows") || !count("bad_rows") || !Entries(errors) || !Entries(warnings) ||
      !flag("solar") || !flag("by_seen") || !flag("date_seen") || seen == nullptr ||
      days == state.end() || cells == state.end() || !cells->is_object()) {
    return Malformed(
        "expected rows, bad_rows, errors, warnings, solar, seen, by_seen, date_seen, "
        "days and cells");
  }
  if (seen->size() != question_seen_.size()) return Malformed("another survey's questions");
  for (const Json& s : *seen) {
    if (!s.is_boolean()) return Malformed("seen: expected booleans");
  }
  if (!days->is_null() &&
      (!days->is_array() || days->size() != 2 || !IsInt((*days)[0]) || !IsInt((*days)[1]))) {
    return Malformed("days: expected [first, last] or null");
  }
  Result<bool> exact = cells_->CanAbsorb(*cells);
  if (!exact.ok()) return exact.status();
  if (!exact.value()) {
    return Status(StatusCode::kFailedPrecondition,
                  "a segment, period or cell cap is reached: the parts would not add up to one "
                  "import; import the file in one part");
  }

  summary_.rows += state["rows"].get<int64_t>();
  summary_.bad_rows += state["bad_rows"].get<int64_t>();
  auto shift = [&](int64_t line) { return line > 0 ? line + line_offset : line; };
  const size_t kMax = ImportOptions::kMaxReportedErrors;
  for (const Json& e : *errors) {
    if (summary_.errors.size() >= kMax) break;
    std::string message = e[1].get<std::string>();
    const int64_t resume = e[2].get<int64_t>();
    if (resume > 0) message += std::string(kResumeSuffix) + std::to_string(shift(resume));
    summary_.errors.push_back({shift(e[0].get<int64_t>()), std::move(message)});
  }
  for (const Json& w : *warnings) {
    if (w[2].get<int64_t>() == 1) {  // said once per import: by the first part that says it
      if (solar_hijri_said_) continue;
      solar_hijri_said_ = true;
      solar_hijri_warning_ = summary_.warnings.size();
    }
    if (summary_.warnings.size() < kMax) {
      summary_.warnings.push_back({shift(w[0].get<int64_t>()), w[1].get<std::string>()});
    }
  }
  solar_hijri_said_ = solar_hijri_said_ || state["solar"].get<bool>();
  for (size_t i = 0; i < question_seen_.size(); ++i) {
    if ((*seen)[i].get<bool>()) question_seen_[i] = true;
  }
  by_seen_ = by_seen_ || state["by_seen"].get<bool>();
  date_seen_ = date_seen_ || state["date_seen"].get<bool>();
  if (!days->is_null()) NoteDays((*days)[0].get<int64_t>(), (*days)[1].get<int64_t>());
  cells_->AbsorbState(*cells);
  return Status();
}

}  // namespace nazar::import_internal
