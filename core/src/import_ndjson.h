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
  void Finish();

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
