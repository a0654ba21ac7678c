#include "import_csv.h"

#include <algorithm>
#include <map>

#include "text_util.h"

namespace nazar::import_internal {

CsvReader::CsvReader(RecordBuilder* builder, bool fast_path)
    : builder_(builder), fast_path_(fast_path) {
  const char delimiter = builder_->options().delimiter;
  sniffing_ = delimiter == 0;
  if (!sniffing_) scanner_.SetDelimiter(delimiter);
}

CsvReader::CsvReader(RecordBuilder* builder, CsvRecordSink* sink) : CsvReader(builder, false) {
  sink_ = sink;
}

void CsvReader::Feed(std::string_view chunk) {
  if (sink_done_) return;
  if (sniffing_) {
    Sniff(chunk);
  } else {
    Scan(chunk.data(), chunk.data() + chunk.size());
  }
}

void CsvReader::Scan(const char* p, const char* end) {
  if (!fast_path_) {
    scanner_.Feed(p, end);
    return;
  }
  while (p < end) {
    if (fast_.ready() && !builder_->HeaderRowsLeft() && scanner_.AtRecordStart()) {
      p = ScanFast(p, end);
      if (p == end) break;
    }
    // One line (or the rest) through the scanner, then the fast path may take over again.
    const char* stop = p;
    while (stop < end && *stop != '\n' && *stop != '\r') ++stop;
    if (stop < end) ++stop;
    if (stop < end && stop[-1] == '\r' && *stop == '\n') ++stop;
    scanner_.Feed(p, stop);
    p = stop;
  }
}

const char* CsvReader::ScanFast(const char* p, const char* end) {
  p = scanner_.SkipPendingLf(p, end);
  if (p == end) return p;
  fast_.Begin(p, end);
  while (p < end) {
    if (kernel_.ready()) {
      int64_t lines = 0;
      p = kernel_.Run(p, end, &lines);
      scanner_.LinesRead(lines);
      if (p == end) break;
    }
    // The kernel stopped at this record (or has no plan): the record's values through the rules.
    bool blank = false, pending_lf = false;
    const char* next = fast_.Parse(p, &blank, &pending_lf);
    if (next == nullptr) break;
    // As StartRecord() and EndRecord() would do for this record.
    builder_->StartRecord(scanner_.line());
    if (!blank) {
      ++builder_->summary().rows;
      for (size_t slot = 0; slot < slot_col_.size() && !builder_->failed(); ++slot) {
        Deliver(slot, fast_.value(slot));
      }
      builder_->EndRecord();
    }
    scanner_.LineRead(pending_lf);
    p = next;
  }
  return p;
}

void CsvReader::Deliver(size_t slot, std::string_view value) {
  builder_->SetText(slot_role_[slot], column_names_[slot_col_[slot]], value);
}

void CsvReader::Finish() {
  if (sniffing_) Sniff(std::string_view());  // no line end was seen: detect from what there is
  scanner_.Finish();
}

void CsvReader::Sniff(std::string_view chunk) {
  // Buffer the header line (up to kMaxFieldBytes), then pick the delimiter it uses most.
  bool done = chunk.empty();
  size_t used = chunk.size();
  for (size_t i = 0; i < chunk.size(); ++i) {
    const char c = chunk[i];
    if (c == '"') sniff_in_quotes_ = !sniff_in_quotes_;
    if ((c == '\n' || c == '\r') && !sniff_in_quotes_ && sniff_content_) {
      done = true;
      used = i;
      break;
    }
    if (!text::IsBlank(c)) sniff_content_ = true;
    if (sniff_buf_.size() + i + 1 >= ImportOptions::kMaxFieldBytes) {
      done = true;
      used = i + 1;
      break;
    }
  }
  sniff_buf_.append(chunk.data(), used);
  if (!done) return;
  scanner_.SetDelimiter(SniffCsvDelimiter(sniff_buf_));
  sniffing_ = false;
  const std::string head = std::move(sniff_buf_);
  sniff_buf_.clear();
  Scan(head.data(), head.data() + head.size());
  Scan(chunk.data() + used, chunk.data() + chunk.size());
}

std::string CsvReader::FieldName(size_t col) const {
  if (col < column_names_.size()) {
    return "column " + text::Name(column_names_[col]);
  }
  return "field " + std::to_string(col + 1);
}

void CsvReader::Broken(const std::string& what) {
  broken_ = true;
  // A mapping's extra header row is skipped whole (EndRecord): no row error for its fields.
  if (!builder_->HeaderRowsLeft()) builder_->Fail(what);
}

void CsvReader::StartRecord(int64_t line) {
  field_index_ = 0;
  record_quoted_ = false;
  record_bytes_ = 0;
  broken_ = false;
  rec_buf_.clear();
  std::fill(slot_set_.begin(), slot_set_.end(), 0);
  if (header_done_) builder_->StartRecord(line);
  record_line_ = line;
  field_len_ = 0;
  field_too_long_ = false;
  field_begin_ = 0;
  field_stored_ =
      header_done_ ? (!slot_of_.empty() && slot_of_[0] >= 0) : ImportOptions::kMaxColumns > 0;
}

void CsvReader::TooLong() {
  if (field_too_long_) return;
  field_too_long_ = true;
  if (field_stored_) rec_buf_.resize(field_begin_);
}

void CsvReader::EndField(bool quoted) {
  const size_t col = field_index_;
  if (!header_done_) {
    if (col < static_cast<size_t>(ImportOptions::kMaxColumns)) {
      if (field_too_long_) {
        column_names_.emplace_back();  // matches nothing
        builder_->WarnAt(record_line_, "column " + std::to_string(col + 1) +
                                           ": header name longer than " +
                                           std::to_string(ImportOptions::kMaxColumnNameBytes) +
                                           " bytes; column ignored");
      } else {
        column_names_.emplace_back(rec_buf_, field_begin_, rec_buf_.size() - field_begin_);
      }
    }
  } else {
    if (field_too_long_ && !builder_->failed())
      Broken(FieldName(col) + ": value longer than 1 MiB");
    if (field_stored_ && !field_too_long_) {
      const int slot = slot_of_[col];
      slot_range_[slot] = {field_begin_, rec_buf_.size()};
      slot_set_[slot] = 1;
    }
  }
  record_quoted_ |= quoted;
  ++field_index_;
  field_len_ = 0;
  field_too_long_ = false;
  field_begin_ = rec_buf_.size();
  if (header_done_) {
    field_stored_ = field_index_ < slot_of_.size() && slot_of_[field_index_] >= 0;
  } else {
    field_stored_ = field_index_ < static_cast<size_t>(ImportOptions::kMaxColumns);
  }
}

bool CsvReader::EndRecord() {
  // A blank line is one unquoted empty field: not a record.
  if (field_index_ == 1 && !record_quoted_ && record_bytes_ == 0) {
    if (!header_done_) column_names_.clear();
    return false;
  }
  if (!header_done_) {
    Header();
    return false;
  }
  // A mapping's extra header row is not data; each one skipped is said, so a respondent taken
  // for a header row is never dropped unseen.
  if (builder_->SkipHeaderRow()) {
    builder_->WarnAt(record_line_, "skipped as a header row (extra_header_rows)");
    return false;
  }
  ++builder_->summary().rows;
  if (!builder_->failed() && field_index_ != ncols_) {
    Broken("expected " + std::to_string(ncols_) + " fields, found " + std::to_string(field_index_));
  }
  if (sink_ != nullptr) {
    SinkRecord();
    return broken_;
  }
  for (size_t slot = 0; slot < slot_col_.size() && !builder_->failed(); ++slot) {
    if (!slot_set_[slot]) continue;
    const std::pair<size_t, size_t> range = slot_range_[slot];
    Deliver(slot, std::string_view(rec_buf_).substr(range.first, range.second - range.first));
  }
  builder_->EndRecord();
  return broken_;
}

void CsvReader::TextAfterQuote() {
  if (header_done_ && !builder_->failed()) {
    Broken(FieldName(field_index_) + ": text after the closing quote of a quoted field");
  }
}

void CsvReader::Unterminated() {
  if (header_done_) Broken(FieldName(field_index_) + ": unterminated quoted field");
}

void CsvReader::GiveUp() {
  if (field_too_long_) {
    Broken(FieldName(field_index_) + ": value longer than 1 MiB");
  } else {
    Broken("record longer than " + std::to_string(ImportOptions::kMaxLineBytes >> 20) + " MiB");
  }
}

void CsvReader::Resumed(int64_t line) {
  std::vector<ImportError>& errors = builder_->summary().errors;
  if (!errors.empty() && errors.back().line == record_line_) {
    errors.back().message += std::string(kResumeSuffix) + std::to_string(line);
  }
}

void CsvReader::Header() {
  header_done_ = true;
  field_cap_ = ImportOptions::kMaxFieldBytes;
  ncols_ = field_index_;
  const int64_t header_line = record_line_;
  if (sink_ != nullptr) {
    SinkHeader();
    return;
  }
  if (ncols_ > static_cast<size_t>(ImportOptions::kMaxColumns)) {
    builder_->WarnAt(header_line, "the header has " + std::to_string(ncols_) +
                                      " columns; only the first " +
                                      std::to_string(ImportOptions::kMaxColumns) + " are read");
  }
  slot_of_.assign(std::min(ncols_, column_names_.size()), -1);
  std::map<std::string_view, size_t> first_col;
  for (size_t col = 0; col < slot_of_.size(); ++col) {
    std::string& name = column_names_[col];
    name = std::string(text::Trim(name));
    if (builder_->mapped()) {
      // Columns by index: headers may repeat and be empty.
      first_col.emplace(name, col);
      const ColumnRole* role = builder_->RoleOfColumn(col);
      if (role == nullptr) continue;
      slot_of_[col] = static_cast<int>(slot_col_.size());
      slot_col_.push_back(col);
      slot_role_.push_back(*role);
      builder_->MarkSeen(*role);
      continue;
    }
    if (name.empty()) continue;
    if (!first_col.emplace(name, col).second) {
      builder_->WarnAt(header_line, "column " + text::Name(name) +
                                        " appears more than once; the first (" +
                                        std::to_string(first_col[name] + 1) + ") is used");
      continue;
    }
    const ColumnRole* role = builder_->Lookup(name);
    if (role == nullptr) continue;
    slot_of_[col] = static_cast<int>(slot_col_.size());
    slot_col_.push_back(col);
    slot_role_.push_back(*role);
    builder_->MarkSeen(*role);
  }
  slot_range_.assign(slot_col_.size(), {0, 0});
  slot_set_.assign(slot_col_.size(), 0);
  fast_.SetLayout(scanner_.delimiter(), ncols_, slot_of_, slot_col_.size());
  if (fast_path_) kernel_.Plan(scanner_.delimiter(), ncols_, slot_of_, slot_role_, builder_);
  if (builder_->mapped()) {
    builder_->CheckMappedHeader(header_line, ncols_, column_names_);
    return;
  }
  auto has = [&](std::string_view n) { return first_col.count(n) > 0; };
  const ImportOptions& options = builder_->options();
  if (!options.by.empty() && !has(options.by)) {
    builder_->WarnAt(header_line,
                     "segment column " + text::Name(options.by) + " is not in the header");
  }
  if (options.period && !has(kDateColumn)) {
    builder_->WarnAt(header_line, "no \"date\" column: periods are \"(none)\"");
  }
  if (builder_->default_survey()) {
    if (!has("nps") && !has("csat") && !has("ces")) {
      builder_->WarnAt(header_line,
                       "no column to score: expected nps, csat or ces (or pass a survey "
                       "definition)");
    }
  } else {
    std::string missing;
    for (const Question& q : builder_->survey().questions) {
      if (has(q.id)) continue;
      if (!missing.empty()) missing += ", ";
      missing += text::Name(q.id);
    }
    if (!missing.empty()) {
      builder_->WarnAt(header_line, "questions of survey " + text::Name(builder_->survey().id) +
                                        " with no column: " + missing);
    }
  }
}

void CsvReader::SinkHeader() {
  // Every column is kept, in its own slot.
  const size_t kept = std::min(ncols_, column_names_.size());
  slot_of_.resize(kept);
  for (size_t col = 0; col < kept; ++col) {
    slot_of_[col] = static_cast<int>(col);
    slot_col_.push_back(col);
    slot_role_.emplace_back();
  }
  slot_range_.assign(kept, {0, 0});
  slot_set_.assign(kept, 0);
  sink_fields_.assign(column_names_.begin(), column_names_.end());
  sink_done_ = !sink_->Record(sink_fields_, false);
}

void CsvReader::SinkRecord() {
  if (sink_done_) return;
  sink_fields_.assign(slot_col_.size(), std::string_view());
  for (size_t slot = 0; slot < slot_col_.size(); ++slot) {
    if (!slot_set_[slot]) continue;
    const std::pair<size_t, size_t> range = slot_range_[slot];
    sink_fields_[slot] = std::string_view(rec_buf_).substr(range.first, range.second - range.first);
  }
  sink_done_ = !sink_->Record(sink_fields_, builder_->failed());
}

}  // namespace nazar::import_internal
