// Private to the importer: the NDJSON record reader. Splits lines (each bounded by
// ImportOptions::kMaxLineBytes), parses each as one JSON object with a SAX handler and hands
// its top-level members to the record builder.
#ifndef NAZAR_SRC_IMPORT_NDJSON_H_
#define NAZAR_SRC_IMPORT_NDJSON_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "import_builder.h"

namespace nazar::import_internal {

class NdjsonReader {
 public:
  explicit NdjsonReader(RecordBuilder* builder) : builder_(builder) {}

  void Feed(std::string_view chunk);
  // Ends the last line; `whole_file`: then the notes about the whole input (a continuation, which
  // reads only a part of the file, leaves them to the importer it is merged into).
  void Finish(bool whole_file = true);
  // Physical line of the next byte (1-based).
  int64_t line() const { return line_; }
  // The bytes so far end with a line end: what follows starts a record.
  bool AtRecordBoundary() const { return !in_line_; }

 private:
  void EndLine();

  RecordBuilder* builder_;
  bool in_line_ = false;
  std::string line_buf_;
  size_t line_len_ = 0;
  int64_t line_ = 1;
  int64_t record_line_ = 0;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_NDJSON_H_
