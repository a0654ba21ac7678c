// Private to the importer: the CSV record reader. It detects the delimiter from the header
// line, maps header names to roles, keeps the fields of the current record that feed something,
// and hands them to the record builder at the end of each record.
#ifndef NAZAR_SRC_IMPORT_CSV_H_
#define NAZAR_SRC_IMPORT_CSV_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "import_builder.h"
#include "import_fast.h"
#include "import_kernel.h"
#include "import_record.h"
#include "import_scanner.h"
#include "nazar/import.h"

namespace nazar::import_internal {

// Receives every record of a CSV text as the importer splits it, the header first, instead of
// the record builder: the column-mapping proposal reads its sample this way, so its delimiter,
// quoting and blank-line rules and its column indexes are the importer's.
class CsvRecordSink {
 public:
  virtual ~CsvRecordSink() = default;
  // One record: the header's fields (at most kMaxColumns), or a data record's fields in the
  // header's columns ("" where the record is short or a field is over 1 MiB). `broken`: the
  // importer rejects the record for its structure (field count, text after a closing quote...).
  // False stops the reading: no more records are wanted.
  virtual bool Record(const std::vector<std::string_view>& fields, bool broken) = 0;
};

class CsvReader {
 public:
  // `fast_path` false reads every byte with the general scanner (the reference the fast path is
  // tested against).
  explicit CsvReader(RecordBuilder* builder, bool fast_path = true);
  // Hands every record to `sink` (general scanner only); `builder` only sees failures.
  CsvReader(RecordBuilder* builder, CsvRecordSink* sink);
  // The delimiter, once known (set or sniffed from the header line).
  char delimiter() const { return scanner_.delimiter(); }
  // The sink declined more records.
  bool sink_done() const { return sink_done_; }

  void Feed(std::string_view chunk);
  void Finish();
  // Physical line of the next byte (1-based).
  int64_t line() const { return scanner_.line(); }
  // The header (and the mapping's extra header rows) is read and the bytes so far end exactly
  // after a record's line end, outside quotes: what follows starts a record.
  // The header's column names (the first kMaxColumns), once it is read.
  const std::vector<std::string>& column_names() const { return column_names_; }
  size_t column_count() const { return ncols_; }
  bool AtRecordBoundary() const {
    return !sniffing_ && header_done_ && !builder_->HeaderRowsLeft() && scanner_.AtRecordStart() &&
           !scanner_.PendingLf();
  }

  // ---- Called by the scanner ----
  bool header_done() const { return header_done_; }
  void StartRecord(int64_t line);
  // Bytes of the current field (quotes and doubled quotes already resolved).
  void Append(const char* p, size_t n) {
    field_len_ += n;
    record_bytes_ += n;
    if (field_len_ > field_cap_) {
      TooLong();
      return;
    }
    if (field_stored_) rec_buf_.append(p, n);
  }
  void EndField(bool quoted);
  // Ends the record; true when it is broken in its structure (a stray quote is likely).
  bool EndRecord();
  void TextAfterQuote();
  void Unterminated();
  // The current field is longer than 1 MiB, or the record longer than kMaxLineBytes: checked
  // by the scanner once a record runs over a line end inside quotes.
  bool Oversized() const { return field_too_long_ || record_bytes_ > ImportOptions::kMaxLineBytes; }
  // Rejects the current record as Oversized(); the scanner then ends it and reads again.
  void GiveUp();
  // The broken record's lines after its first are read again, from `line`.
  void Resumed(int64_t line);

  // The record kernel, compiled (CsvKernel::CompiledModule(), UseCompiled()).
  std::string KernelModule() const { return kernel_.CompiledModule(); }
  void UseKernel(CompiledKernel run) { kernel_.UseCompiled(run); }

 private:
  void Sniff(std::string_view chunk);
  // Bytes after the delimiter is known: common-shape records through the fast path, the rest
  // (the header, records it does not take, a record split by the chunk) through the scanner.
  void Scan(const char* p, const char* end);
  // Reads fast-path records from `p` (at a record start) while it takes them; returns where it
  // stopped.
  const char* ScanFast(const char* p, const char* end);
  // Hands one kept value (slot) of the current record to the builder.
  void Deliver(size_t slot, std::string_view value);
  void TooLong();
  void Header();
  // "column nps" or "field 3" for a message.
  std::string FieldName(size_t col) const;
  void Broken(const std::string& what);

  // Header() and EndRecord() under a sink.
  void SinkHeader();
  void SinkRecord();

  RecordBuilder* builder_;
  CsvRecordSink* sink_ = nullptr;
  bool sink_done_ = false;
  std::vector<std::string_view> sink_fields_;
  CsvScanner scanner_{this};
  bool fast_path_ = true;
  FastRecordParser fast_;
  CsvKernel kernel_;
  bool sniffing_ = false;
  bool sniff_in_quotes_ = false;
  bool sniff_content_ = false;  // a non-blank byte was seen (blank lines before the header)
  std::string sniff_buf_;

  bool header_done_ = false;
  int64_t record_line_ = 0;
  bool broken_ = false;  // the current record's structure is wrong
  size_t field_index_ = 0;
  size_t field_len_ = 0;
  size_t field_cap_ = ImportOptions::kMaxColumnNameBytes;
  bool field_stored_ = false;
  bool field_too_long_ = false;
  bool record_quoted_ = false;
  size_t record_bytes_ = 0;
  std::string rec_buf_;
  size_t field_begin_ = 0;
  size_t ncols_ = 0;
  std::vector<std::string> column_names_;  // header names (first kMaxColumns)
  std::vector<int> slot_of_;               // column -> slot, -1 when irrelevant
  std::vector<size_t> slot_col_;
  std::vector<ColumnRole> slot_role_;
  std::vector<std::pair<size_t, size_t>> slot_range_;
  std::vector<uint8_t> slot_set_;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_CSV_H_
