// Private to the importer: the CSV byte scanner, the hot loop. It splits bytes into fields and
// records (RFC 4180: quoted fields, doubled quotes, CRLF, LF or CR, newlines inside quotes) and
// hands them to the CSV reader. It also resynchronises: when a record that ran over a line end
// inside quotes turns out broken (a stray quote), the lines after its first are read again as
// records of their own, so one stray quote never swallows the rest of the file.
#ifndef NAZAR_SRC_IMPORT_SCANNER_H_
#define NAZAR_SRC_IMPORT_SCANNER_H_

#include <cstdint>
#include <string>

namespace nazar::import_internal {

class CsvReader;

class CsvScanner {
 public:
  explicit CsvScanner(CsvReader* reader) : reader_(reader) {}

  // The field delimiter (',', ';' or '\t'); set before the first Feed().
  void SetDelimiter(char delimiter);
  void Feed(const char* p, const char* end);
  // Ends the last record (an unterminated quoted field there rejects it and resynchronises).
  void Finish();
  // Physical line of the next byte (1-based).
  int64_t line() const { return line_; }
  char delimiter() const { return delim_; }

  // ---- For the fast path (import_fast.h), which reads whole records between Feed() calls ----
  // No record is open: the next byte starts one (or ends the previous line's "\r\n").
  bool AtRecordStart() const { return !in_record_; }
  // The last byte read was a '\r' ending a record: a '\n' next is part of that line end.
  bool PendingLf() const { return skip_lf_; }
  // Consumes the '\n' of a "\r\n" whose '\r' ended the last record, if it is first in [p, end);
  // returns where records start.
  const char* SkipPendingLf(const char* p, const char* end) {
    if (skip_lf_ && p < end) {
      skip_lf_ = false;
      if (*p == '\n') ++p;
    }
    return p;
  }
  // The fast path read a record or blank line up to its line end; `pending_lf`: it ended with a
  // '\r' that was the last byte so far.
  void LineRead(bool pending_lf) {
    ++line_;
    skip_lf_ = pending_lf;
  }
  // The kernel (import_kernel.h) read `n` records, each of one line with its whole line end.
  void LinesRead(int64_t n) { line_ += n; }

 private:
  enum class State : uint8_t { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterQuoted };

  // Scans until `end` or until a broken record asks to read lines again (then replay_ holds
  // them); returns the number of bytes used.
  size_t Scan(const char* begin, const char* end);
  // Ends the record whose line end `c` was just read, `p` past it. True when it asks to
  // resynchronise (replay_ is set).
  bool EndRecord(char c, const char* cap_from, const char* p);
  void Resume();
  // While capturing: when the record has grown too large (CsvReader::Oversized), rejects it
  // and sets replay_ to the bytes after its first line, up to `p`. True when it did.
  bool GiveUp(const char* cap_from, const char* p);
  // After a delimiter: ends the field, the next one starts.
  void NextField();
  // Hands the run of bytes from `p` up to the first that `stop` accepts (or `end`) to the
  // reader; returns where the run stopped. The inner loop of the scanner.
  template <class Stop>
  const char* AppendRun(const char* p, const char* end, Stop stop);

  CsvReader* reader_;
  char delim_ = ',';
  bool special_[256] = {};  // bytes that end an unquoted run
  State state_ = State::kFieldStart;
  bool in_record_ = false;
  bool field_quoted_ = false;
  bool skip_lf_ = false;
  bool quoted_cr_ = false;
  int64_t line_ = 1;
  // Resynchronisation: the bytes after the first line end inside quotes of the current record.
  bool capturing_ = false;
  std::string capture_;
  int64_t resume_line_ = 0;
  bool resume_skip_lf_ = false;
  std::string replay_;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_SCANNER_H_
