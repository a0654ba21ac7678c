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
#include <cstring>
#include <string>
#include <vector>

#include "import_builder.h"
#include "import_record.h"

namespace nazar::import_internal {

// Date texts of the shape "dddd-dd-dd" (ISO 8601, and Solar Hijri written the same way) ->
// (day, period), in a slot picked by the digits themselves (a year of days sits in distinct
// slots, found without a hash or a probe). An entry holds the text's ten bytes, so a hit is exact
// (and needs no digit checks: a text is stored only once it had the shape); what a text means is
// still the full rules' answer, taken from their caches.
class IsoDateMemo {
 public:
  // Whether `v` (10 bytes readable) has that shape; its slot in *slot either way.
  static bool Key(const char* v, uint32_t* slot) {
    *slot = Slot(v);
    auto digit = [v](int i) {
      return static_cast<unsigned>(static_cast<unsigned char>(v[i])) - 48u;
    };
    const unsigned y0 = digit(0), y1 = digit(1), y2 = digit(2), y3 = digit(3);
    const unsigned m0 = digit(5), m1 = digit(6), d0 = digit(8), d1 = digit(9);
    // A byte that is not a digit makes its unsigned difference over 9.
    const unsigned over =
        (y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (m0 > 9) | (m1 > 9) | (d0 > 9) | (d1 > 9);
    return (over == 0) & (v[4] == '-') & (v[7] == '-');
  }
  // ((year mod 8) * 16 + (month & 15)) * 32 + (day & 31) of "dddd-dd-dd", in unsigned arithmetic
  // that stays in range for any bytes (CompiledModule() works it out the same way).
  static uint32_t Slot(const char* v) {
    auto digit = [v](int i) {
      return static_cast<uint32_t>(static_cast<unsigned char>(v[i])) - 48u;
    };
    const uint32_t month = digit(5) * 10 + digit(6), dom = digit(8) * 10 + digit(9);
    return ((digit(3) & 7) * 16 + (month & 15)) * 32 + (dom & 31);
  }
  const void* data() const { return entries_.data(); }
  bool Find(const char* v, uint32_t slot, int32_t* day, int32_t* period) const {
    const Entry& e = entries_[slot];
    *day = e.day;
    *period = e.period;
    return e.head == Head(v) && e.tail == Tail(v);
  }
  void Store(const char* v, uint32_t slot, int32_t day, int32_t period) {
    entries_[slot] = {Head(v), Tail(v), day, period};
  }

  // An entry's layout, which CompiledModule() reads: 24 bytes, the text's first 8 bytes at 0 and
  // its last 2 at 8 (as loaded little-endian), the day at 12, the period at 16.
  static constexpr uint32_t kEntryBytes = 24;

 private:
  static uint64_t Head(const char* v) {
    uint64_t head = 0;
    std::memcpy(&head, v, 8);
    return head;
  }
  static uint32_t Tail(const char* v) {
    return static_cast<uint32_t>(static_cast<unsigned char>(v[8])) |
           static_cast<uint32_t>(static_cast<unsigned char>(v[9])) << 8;
  }
  static constexpr size_t kSlots = 8 * 16 * 32;
  struct Entry {
    uint64_t head = 0;
    uint32_t tail = 0xFFFFFFFF;  // never two bytes: an empty slot
    int32_t day = 0, period = 0;
  };
  static_assert(sizeof(Entry) == kEntryBytes, "CompiledModule() reads entries at this size");
  std::vector<Entry> entries_ = std::vector<Entry>(kSlots);
};

// What a compiled kernel (CsvKernel::CompiledModule()) reads and writes besides the bytes: in
// linear memory, every field 32 bits wide in wasm32 (the only place such code runs), at the
// offsets the generated code uses.
struct CompiledKernelState {
  int32_t* tally;                     // CsvKernel::tally_
  uint32_t tally_cells;               // cell blocks it holds
  uint32_t* touched;                  // CsvKernel::touched_, room for every cell block
  uint32_t touched_count;             // in and out
  const void* iso_memo;               // IsoDateMemo's entries
  const void* segment_memo;           // CsvKernel::segments_
  const uint32_t* flat;               // CellTable::flat_ (null without --by and --period)
  const char* limit;                  // no record is started at or after it
  int32_t rows;                       // out: records counted
  int32_t min_day, max_day, saw_day;  // in and out
};
#if defined(__wasm32__)
static_assert(sizeof(void*) == 4 && offsetof(CompiledKernelState, limit) == 28 &&
                  offsetof(CompiledKernelState, saw_day) == 44,
              "CompiledModule() reads CompiledKernelState at these offsets");
#endif

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

  // The plan as a WebAssembly module (import "env" "memory"; export "run" of type
  // CompiledKernel) for an engine that runs this code in wasm and can instantiate generated code,
  // or "" when there is no plan (or one it does not take). Written only; never run here.
  std::string CompiledModule() const;
  // Run() calls `run` (that module's function, instantiated over this module's memory) for the
  // records it takes, and reads the rest itself; null: not any more. The plan must not have
  // changed since CompiledModule() (Plan() drops it).
  void UseCompiled(CompiledKernel run) { compiled_ = run; }

  // The slot in segments_ of a short segment text: its key (ShortTextIndex::LowWord()) and
  // length, multiplied by kSegmentHash, top kSegmentSlotBits bits. CompiledModule() does the same.
  static constexpr uint64_t kSegmentHash = 0x9e3779b97f4a7c15ULL;
  static constexpr int kSegmentSlotBits = 8;
  static size_t SegmentSlotOf(uint64_t key, size_t n) {
    return static_cast<size_t>(((key + n) * kSegmentHash) >> (64 - kSegmentSlotBits));
  }

 private:
  enum class Op : uint8_t { kSkip, kScale, kText, kDate, kSegment };
  struct Column {
    Op op = Op::kSkip;
    char end = ',';  // the byte after its value: the delimiter, '\n' after the last
    int question = -1;
    // A question's counters (QuestionInfo): first, histogram cells, and its scale's range.
    uint32_t offset = 0, width = 0;
    int min = 0, max = 0;
    uint32_t bin = 0;    // which of a record's bins_ is its
    uint32_t tally = 0;  // its first tally in a cell's block (see tally_)
  };
  // Run() counts into 32-bit tallies of its own, one block of stride_ per cell index: [0] the
  // records, then per scale question one per value and one for empty (the value's counter and
  // "answered", or "skipped"), per text question answered and blank. A record adds one to its
  // block's [0] and to one tally per question, instead of two 64-bit counters per question and
  // one per question no column answers; Flush() turns the blocks into the cells' counters.
  void Flush();
  void GrowTally(size_t cell);
  // The segment id of `v`'s first `n` bytes through segments_, else CellTable's cache (then
  // remembered in segments_); false when neither knows it.
  bool SegmentOf(const char* v, size_t n, bool room, int32_t* id);
  // The day and period of the date text `v`'s first `n` bytes through the builder's cache (then
  // remembered in iso_dates_ when `iso`); false when the rules have not read it yet.
  bool DateOf(const char* v, size_t n, bool room, bool iso, uint32_t slot, int32_t* day,
              int32_t* period);

  bool ready_ = false;
  char delim_ = ',';
  std::vector<Column> columns_;
  RecordBuilder* builder_ = nullptr;
  bool by_ = false, period_ = false;
  bool has_segment_ = false;
  IsoDateMemo iso_dates_;
  // Short segment texts -> segment id, direct-mapped: an export's few segment values each found
  // with one masked load and one compare. `len` 0xFF: empty slot. Never a text with the delimiter
  // in it (SegmentOf()): the compiled kernel takes a held text's bytes as a whole value.
  struct SegmentSlot {
    uint64_t key = 0;
    uint32_t len = 0xFF;
    int32_t id = -1;
  };
  static constexpr size_t kSegmentSlots = size_t{1} << kSegmentSlotBits;
  std::vector<SegmentSlot> segments_ = std::vector<SegmentSlot>(kSegmentSlots);
  std::vector<uint32_t> bins_;     // per record: the tally each question adds one to
  std::vector<uint32_t> missing_;  // counters of the questions no column answers ("missing")
  size_t stride_ = 1;              // tallies per cell block
  std::vector<int32_t> tally_;     // cells x stride_
  std::vector<uint32_t> touched_;  // [0, touched_count_): cells whose block is not all zero
  size_t touched_count_ = 0;
  CompiledKernel compiled_ = nullptr;
};

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_KERNEL_H_
