// Private to the importer: the CSV record kernel. Once the header is read, the layout of the
// kept columns is compiled into one operation per column (skip, scale answer, text answer, date,
// segment), and the kernel counts records straight from the bytes into their cell's counters:
// no per-record value list, no per-value role dispatch, no per-record bookkeeping.
//
// It decides nothing itself. It counts a record only when every one of its values is an outcome
// the full rules (RecordBuilder::SetText(), CellTable::Add()) already reached for that same text
// and cached, or an empty or plain-digits scale answer (PlainScaleValue()); anything else (a text
// never seen, a cell not made yet, a quote inside a kept value, a line end it does not expect) is
// left to the general path, which stays the reference and fills the caches the kernel reads.
#ifndef NAZAR_SRC_IMPORT_KERNEL_H_
#define NAZAR_SRC_IMPORT_KERNEL_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "import_builder.h"
#include "import_record.h"

namespace nazar::import_internal {

// A short cell text as two words and its length; `room`: 16 bytes may be read from
// `text.data()` (the kernel reads inside its buffer), so a short text takes one masked load.
struct MemoKey {
  static constexpr size_t kMaxBytes = 16;
  static constexpr uint32_t kTooLong = 0xFE;  // the length of a longer text: matches nothing
  MemoKey(std::string_view text, bool room);
  uint64_t a = 0, b = 0;
  uint32_t len = 0;
};

// Short cell text -> two small numbers: open addressing with linear probing, at most a quarter
// full, forgetting everything when full (so its memory is fixed: 24 bytes a slot). A hit
// compares the whole text (exact); a miss only sends the caller to the slower caches.
template <size_t kSlots>
class TextMemo {
  static_assert((kSlots & (kSlots - 1)) == 0, "a power of two");
  static constexpr int kSlotBits = kSlots == 256    ? 8
                                   : kSlots == 1024 ? 10
                                   : kSlots == 4096 ? 12
                                                    : -1;
  static_assert(kSlotBits > 0, "256, 1024 or 4096 slots");

 public:
  bool Find(const MemoKey& key, int32_t* value, int32_t* aux) const {
    for (size_t i = Slot(key);; i = (i + 1) & (kSlots - 1)) {
      const Entry& e = entries_[i];
      if (e.len == key.len && e.a == key.a && e.b == key.b) {
        *value = e.value;
        *aux = e.aux;
        return true;
      }
      if (e.len == kEmpty) return false;
    }
  }
  // Holds (value, aux) for a text of at most kMaxBytes not held yet (aux: 16 bits).
  void Store(const MemoKey& key, int32_t value, int32_t aux) {
    if (used_ >= kSlots / 4) Clear();
    size_t i = Slot(key);
    while (entries_[i].len != kEmpty) i = (i + 1) & (kSlots - 1);
    entries_[i].a = key.a;
    entries_[i].b = key.b;
    entries_[i].value = value;
    entries_[i].aux = static_cast<int16_t>(aux);
    entries_[i].len = static_cast<uint8_t>(key.len);
    ++used_;
  }
  void Clear() {
    entries_.assign(kSlots, Entry());
    used_ = 0;
  }

 private:
  static constexpr uint8_t kEmpty = 0xFF;
  static size_t Slot(const MemoKey& key) {
    // Multiplicative: the top bits of each product depend on every bit of its word (a date's
    // last digit sits in b's top byte), and the two products do not wait for each other.
    const uint64_t h = (key.a + key.len) * 0x9e3779b97f4a7c15ULL ^ key.b * 0xff51afd7ed558ccdULL;
    return static_cast<size_t>(h >> (64 - kSlotBits));
  }
  struct Entry {
    uint64_t a = 0, b = 0;
    int32_t value = 0;
    int16_t aux = 0;
    uint8_t len = kEmpty;
  };
  std::vector<Entry> entries_ = std::vector<Entry>(kSlots);
  size_t used_ = 0;
};

// Date texts of the shape "dddd-dd-dd" (ISO 8601, and Solar Hijri written the same way) ->
// (day, period), indexed by the digits themselves: a year of days sits in 6 KB, found without a
// hash or a probe. The key is every digit, so a hit is exact; what a text means is still the full
// rules' answer (CsvKernel::DateSlow()).
class IsoDateMemo {
 public:
  // The key of `v` (10 bytes readable) when it has that shape, or -1; its slot in *slot.
  static int32_t Key(const char* v, uint32_t* slot) {
    auto digit = [v](int i) {
      return static_cast<unsigned>(static_cast<unsigned char>(v[i])) - 48u;
    };
    const unsigned y0 = digit(0), y1 = digit(1), y2 = digit(2), y3 = digit(3);
    const unsigned m0 = digit(5), m1 = digit(6), d0 = digit(8), d1 = digit(9);
    // A byte that is not a digit makes its unsigned difference over 9.
    const unsigned over =
        (y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (m0 > 9) | (m1 > 9) | (d0 > 9) | (d1 > 9);
    const unsigned dashes = (v[4] == '-') & (v[7] == '-');
    const unsigned month = m0 * 10 + m1, dom = d0 * 10 + d1;
    // Unsigned, so that a byte that is not a digit wraps instead of overflowing; never used then.
    const uint32_t key = (((y0 * 10 + y1) * 10 + y2) * 10 + y3) * 10000 + month * 100 + dom;
    *slot = ((y3 & 7) * 16 + (month & 15)) * 32 + (dom & 31);  // year mod 8, month, day
    return ((over == 0) & (dashes == 1)) ? static_cast<int32_t>(key) : -1;
  }
  bool Find(int32_t key, uint32_t slot, int32_t* day, int32_t* period) const {
    const Entry& e = entries_[slot];
    *day = e.day;
    *period = e.period;
    return e.key == key;
  }
  void Store(int32_t key, uint32_t slot, int32_t day, int32_t period) {
    entries_[slot] = {key, day, period};
  }

 private:
  static constexpr size_t kSlots = 8 * 16 * 32;
  struct Entry {
    int32_t key = -1, day = 0, period = 0;
  };
  std::vector<Entry> entries_ = std::vector<Entry>(kSlots);
};

class CsvKernel {
 public:
  // Compiles the layout: `ncols` fields split by `delim`, column `col` kept in slot
  // `slot_of[col]` (-1: not kept) with role `slot_role[slot]`. False when the layout is one the
  // kernel does not take (a choice question, a column with two roles, a role in two columns,
  // a segment without its column); Run() is then never called.
  bool Plan(char delim, size_t ncols, const std::vector<int>& slot_of,
            const std::vector<ColumnRole>& slot_role, RecordBuilder* builder);
  bool ready() const { return ready_; }

  // Counts the records from `p` (a record start) up to `end` while it can; returns where it
  // stopped (a record start: the general path reads that record), with the records (lines) it
  // counted in *lines.
  const char* Run(const char* p, const char* end, int64_t* lines);

 private:
  enum class Op : uint8_t { kSkip, kScale, kText, kDate, kSegment };
  struct Column {
    Op op = Op::kSkip;
    int question = -1;
    // A question's counters (QuestionInfo): first, histogram cells, and its scale's range.
    uint32_t offset = 0, width = 0;
    int min = 0, max = 0;
    uint32_t bump = 0;  // where its counters go in bumps_
    char end = ',';     // the byte after its value: the delimiter, '\n' after the last
  };
  // The day and period id of a date text (the memo missed): through the builder's and the cell
  // table's caches, then remembered.
  bool DateSlow(std::string_view text, const MemoKey& key, int32_t* day, int32_t* period);
  bool SegmentSlow(std::string_view text, const MemoKey& key, int32_t* id);

  bool ready_ = false;
  char delim_ = ',';
  std::vector<Column> columns_;
  RecordBuilder* builder_ = nullptr;
  bool by_ = false, period_ = false;
  bool has_date_ = false, has_segment_ = false;
  IsoDateMemo iso_dates_;
  TextMemo<4096> dates_;         // date text -> (day, period id or -1): a few hundred days
  TextMemo<1024> segments_;      // segment text -> segment id: up to 256 values held
  std::vector<uint32_t> bumps_;  // per record: the counters it adds one to
  uint32_t spare_ = 0;           // the cells' spare counter (CellTable::Cell)
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_KERNEL_H_
