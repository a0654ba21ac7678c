// Private to the importer: the CSV fast path. Most records of an export are one line with the
// header's number of fields, quoted fields (if any) on that line: this reads such a record
// straight out of the input, with string_views into it (a copy only to resolve doubled quotes in
// a field that is kept), finding field ends 64 bytes at a time (import_simd.h). Anything else
// (a line end inside quotes, text after a closing quote, a wrong number of fields, a record cut by
// the end of the chunk, a line over 1 MiB) is left to the general scanner (import_scanner.h),
// which stays the reference: for the records it accepts, this gives the same fields.
#ifndef NAZAR_SRC_IMPORT_FAST_H_
#define NAZAR_SRC_IMPORT_FAST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "import_simd.h"

namespace nazar::import_internal {

class FastRecordParser {
 public:
  // Records of `ncols` fields split by `delim`; `slot_of[col]` >= 0 names the slot (< `slots`)
  // whose value is kept for column `col`. Until this is called nothing is read.
  void SetLayout(char delim, size_t ncols, const std::vector<int>& slot_of, size_t slots);
  bool ready() const { return ready_; }

  // Starts on the bytes [begin, end), which stay valid while their records are parsed.
  void Begin(const char* begin, const char* end);
  // Reads the record that starts at `p` (a record start in [begin, end)). Returns the byte after
  // its line end, or nullptr when the general scanner must read it. `blank` says it was a blank
  // line (not a record); `pending_lf` that it ended with the last byte, a '\r', so a '\n' first in
  // the next bytes belongs to it.
  const char* Parse(const char* p, bool* blank, bool* pending_lf);
  // The value of a kept column in the record Parse() just read (quotes resolved).
  std::string_view value(size_t slot) const { return values_[slot]; }

 private:
  // The first delimiter, quote or line end at or after `p`, or end_.
  const char* NextSpecial(const char* p) {
    for (;;) {
      const size_t offset = static_cast<size_t>(p - block_);
      if (offset < kSpecialBlock) {
        const uint64_t mask = mask_ >> offset;
        if (mask != 0) return p + LowestBit(mask);
        p = block_ + kSpecialBlock;
      }
      if (p >= end_) return end_;
      Load(p);
    }
  }
  void Load(const char* p);

  bool ready_ = false;
  char delim_ = ',';
  size_t ncols_ = 0;
  std::vector<int> slot_of_;
  std::vector<std::string_view> values_;
  std::vector<std::string> unescaped_;  // per slot: a kept value with doubled quotes resolved
  const char* end_ = nullptr;
  const char* block_ = nullptr;  // the 64 bytes mask_ describes
  uint64_t mask_ = 0;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_FAST_H_
