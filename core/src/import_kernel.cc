#include "import_kernel.h"

#include <algorithm>
#include <cstring>

#include "import_simd.h"
#include "text_util.h"

namespace nazar::import_internal {
namespace {

// The kernel's per-value steps are lambdas; compilers that would call them (emcc at -O2 did: a
// call per value) are told to inline them.
#if defined(__GNUC__) || defined(__clang__)
#define NAZAR_KERNEL_INLINE __attribute__((always_inline))
#else
#define NAZAR_KERNEL_INLINE
#endif

// The day of a date text as IsoDateMemo holds it (ParseDay() answers fit 32 bits by far).
constexpr int64_t kMaxMemoDay = INT32_MAX;

}  // namespace

bool CsvKernel::Plan(char delim, size_t ncols, const std::vector<int>& slot_of,
                     const std::vector<ColumnRole>& slot_role, RecordBuilder* builder) {
  ready_ = false;
  compiled_ = nullptr;
  builder_ = builder;
  const ImportOptions& options = builder->options();
  // A blank line is a record of one empty field: with two columns or more it never passes.
  // Only the delimiters the importer documents: a digit or '-' would let a scale's digits or an
  // ISO date's ten bytes run across a field end (ImportOptions::delimiter is not checked).
  if (ncols < 2 || (delim != ',' && delim != ';' && delim != '\t')) return false;
  // Columns past kMaxColumns are never read: a record that wide is left to the general path.
  if (ncols > static_cast<size_t>(ImportOptions::kMaxColumns)) return false;
  delim_ = delim;
  by_ = !options.by.empty();
  period_ = options.period.has_value();
  columns_.assign(ncols, Column());
  const std::vector<QuestionInfo>& questions = builder->questions();
  std::vector<bool> answered(questions.size(), false);
  bool has_date = false;
  has_segment_ = false;
  for (size_t col = 0; col < slot_of.size() && col < ncols; ++col) {
    if (slot_of[col] < 0) continue;
    const ColumnRole& role = slot_role[static_cast<size_t>(slot_of[col])];
    if ((role.question >= 0) + role.date + role.by != 1) return false;
    Column& c = columns_[col];
    if (role.question >= 0) {
      const QuestionInfo& info = questions[static_cast<size_t>(role.question)];
      if (answered[static_cast<size_t>(role.question)]) return false;
      answered[static_cast<size_t>(role.question)] = true;
      c.question = role.question;
      if (info.scale) {
        c.op = Op::kScale;
      } else if (info.q->type == QuestionType::kChoice) {
        return false;
      } else {
        c.op = Op::kText;
      }
      c.offset = static_cast<uint32_t>(info.offset);
      c.width = static_cast<uint32_t>(info.width);
      c.min = info.min;
      c.max = info.max;
    } else if (role.date) {
      if (has_date) return false;
      has_date = true;
      c.op = Op::kDate;
    } else {
      if (has_segment_) return false;
      has_segment_ = true;
      c.op = Op::kSegment;
    }
  }
  for (size_t col = 0; col < ncols; ++col) columns_[col].end = col + 1 < ncols ? delim : '\n';
  // Without its column every record's segment is "" (CellTable::Add()); left to the general path.
  if (by_ && !has_segment_) return false;
  // Each record adds one to its cell block's record tally and to one tally per question column
  // (Column::tally, with Column::bin its place in bins_).
  bins_.clear();
  stride_ = 1;
  for (Column& c : columns_) {
    if (c.op != Op::kScale && c.op != Op::kText) continue;
    c.bin = static_cast<uint32_t>(bins_.size());
    c.tally = static_cast<uint32_t>(stride_);
    bins_.push_back(0);
    stride_ += c.op == Op::kScale ? c.width + 1 : 2;
  }
  missing_.clear();
  for (size_t q = 0; q < questions.size(); ++q) {
    if (!answered[q]) {
      missing_.push_back(static_cast<uint32_t>(questions[q].offset + questions[q].width + 2));
    }
  }
  tally_.clear();
  touched_.clear();
  touched_count_ = 0;
  ready_ = true;
  return true;
}

void CsvKernel::GrowTally(size_t cell) {
  tally_.resize(std::max(tally_.size() * 2, (cell + 1) * stride_), 0);
  touched_.resize(tally_.size() / stride_);
}

void CsvKernel::Flush() {
  CellTable& table = *builder_->cells_;
  for (size_t i = 0; i < touched_count_; ++i) {
    const uint32_t cell = touched_[i];
    int32_t* const t = tally_.data() + cell * stride_;
    CellTable::Cell& target = table.cells_[cell];
    int64_t* const counters = target.counters.data();
    target.rows += t[0];
    for (const Column& c : columns_) {
      const int32_t* const v = t + c.tally;
      int64_t* const q = counters + c.offset;
      if (c.op == Op::kScale) {  // a value and answered, or skipped
        int64_t answered = 0;
        for (uint32_t k = 0; k < c.width; ++k) {
          q[k] += v[k];
          answered += v[k];
        }
        q[c.width] += answered;
        q[c.width + 1] += v[c.width];
      } else if (c.op == Op::kText) {  // answered, or skipped
        q[c.width] += v[0];
        q[c.width + 1] += v[1];
      }
    }
    for (const uint32_t at : missing_) counters[at] += t[0];
    std::fill(t, t + stride_, 0);
  }
  touched_count_ = 0;
}

bool CsvKernel::SegmentOf(const char* v, size_t n, bool room, int32_t* id) {
  int known = -1;
  if (!builder_->cells_->KnownSegment(ShortTextIndex::Key(std::string_view(v, n), room), &known)) {
    return false;
  }
  *id = known;
  // Only a text an unquoted value can be: a quoted one ("a,b") may hold the delimiter, and the
  // compiled kernel takes a held text's length of bytes as the value when a delimiter or line end
  // follows them (CompiledModule()), so "a,b" held would read the fields "a" and "b" as one.
  if (room && ShortTextIndex::kLittleEndian && n <= 8 && std::memchr(v, delim_, n) == nullptr) {
    const uint64_t key = ShortTextIndex::LowWord(v, n);
    segments_[SegmentSlotOf(key, n)] = {key, static_cast<uint32_t>(n), known};
  }
  return true;
}

bool CsvKernel::DateOf(const char* v, size_t n, bool room, bool iso, uint32_t slot, int32_t* day,
                       int32_t* period) {
  // A text the full rules parsed before (the builder keeps its day), and that day's period
  // once CellTable::PeriodId() has worked it out.
  int64_t parsed = 0;
  const ShortTextIndex::Key key(std::string_view(v, n), room);
  if (!builder_->day_cache_.Find(key, &parsed) || parsed > kMaxMemoDay || parsed < -kMaxMemoDay) {
    return false;
  }
  int id = -1;
  if (period_ && !builder_->cells_->CachedPeriod(parsed, &id)) return false;
  *day = static_cast<int32_t>(parsed);
  *period = id;
  if (iso) iso_dates_.Store(v, slot, *day, id);
  return true;
}

const char* CsvKernel::Run(const char* p, const char* end, int64_t* lines) {
  *lines = 0;
  RecordBuilder& b = *builder_;
  CellTable& table = *b.cells_;
  const bool split = by_ || period_;  // records go to (segment, period) cells, not the overall
  if (split && table.flat_.empty()) return p;  // no cell is made yet
  const size_t ncols = columns_.size();
  const size_t nbins = bins_.size();
  const Column* const columns = columns_.data();
  uint32_t* const bins = bins_.data();
  const char delim = delim_;
  constexpr ptrdiff_t kRoom = 32;  // bytes a fast value may look at from its start
  const SegmentSlot* const segments = segments_.data();
  // The tallies are 32-bit: flushed at least every kFlushBytes of records (each record is at
  // least two bytes), and at the end.
  constexpr ptrdiff_t kFlushBytes = ptrdiff_t{1} << 30;
  const char* flush_at = end - p > kFlushBytes ? p + kFlushBytes : end;

  // The delimiters, quotes and line ends of the 64 bytes at `block`, as bits; taken lowest first.
  const char* block = p;
  uint64_t mask = 0;
  auto load = [&]() NAZAR_KERNEL_INLINE {
    const size_t left = static_cast<size_t>(end - block);
    mask =
        left >= kSpecialBlock ? SpecialMask64(block, delim) : SpecialMaskScalar(block, left, delim);
  };
  // The next delimiter, quote or line end after the last one taken (or `end`), taken.
  auto take = [&]() NAZAR_KERNEL_INLINE -> const char* {
    while (mask == 0) {
      block += kSpecialBlock;
      if (block >= end) return end;
      load();
    }
    const char* s = block + LowestBit(mask);
    mask &= mask - 1;
    return s;
  };

  // The record's values: each question's tally, the date and segment. False: the general path
  // decides.
  int32_t segment = -1, day = 0, period = -1;
  bool has_day = false;
  auto scale = [&](const Column& column, const char* v, size_t n) NAZAR_KERNEL_INLINE {
    // SetScaleText(): empty is skipped; plain digits in range a value. `v[n]` ends the field.
    int x = 0;
    const bool plain = PlainScaleValue(v, n, true, column.min, column.max, &x);
    const bool empty = n == 0;
    bins[column.bin] =
        column.tally + (empty ? column.width : static_cast<uint32_t>(x - column.min));
    return plain | empty;
  };
  auto text = [&](const Column& column, const char* v, size_t n) NAZAR_KERNEL_INLINE {
    // SetText(): blank is skipped, anything else answered
    bins[column.bin] = column.tally + (text::Trim(std::string_view(v, n)).empty() ? 1 : 0);
    return true;
  };
  auto date = [&](const char* v, size_t n) NAZAR_KERNEL_INLINE {  // SetDateText(): empty is none
    has_day = n != 0;
    if (n == 0) return true;
    uint32_t slot = 0;
    const bool iso = n == 10 && IsoDateMemo::Key(v, &slot);
    if (iso && iso_dates_.Find(v, slot, &day, &period)) return true;
    return DateOf(v, n, end - v >= 16, iso, slot, &day, &period);
  };
  auto segment_of = [&](const char* v, size_t n) NAZAR_KERNEL_INLINE {
    // SetSegment(), then CellTable::SegmentId()
    return SegmentOf(v, n, end - v >= 16, &segment);
  };
  auto value = [&](const Column& column, const char* v, size_t n) NAZAR_KERNEL_INLINE -> bool {
    switch (column.op) {
      case Op::kSkip:
        return true;
      case Op::kScale:
        return scale(column, v, n);
      case Op::kText:
        return text(column, v, n);
      case Op::kDate:
        return date(v, n);
      case Op::kSegment:
        return segment_of(v, n);
    }
    return false;
  };

  int64_t rows = 0;
  bool saw_day = false;
  int32_t min_day = INT32_MAX, max_day = INT32_MIN;  // of the records counted here
  while (p < end) {
    if (p >= flush_at) {
      Flush();
      flush_at = end - p > kFlushBytes ? p + kFlushBytes : end;
    }
    if (compiled_ != nullptr && end - p >= kRoom) {
      // The compiled plan counts what it takes; the record it stops at is read below.
      CompiledKernelState state{tally_.data(),
                                static_cast<uint32_t>(tally_.size() / stride_),
                                touched_.data(),
                                static_cast<uint32_t>(touched_count_),
                                iso_dates_.data(),
                                segments_.data(),
                                table.flat_.empty() ? nullptr : table.flat_.data(),
                                flush_at,
                                0,
                                min_day,
                                max_day,
                                saw_day};
      p = compiled_(p, end, &state);
      touched_count_ = state.touched_count;
      rows += state.rows;
      min_day = state.min_day;
      max_day = state.max_day;
      saw_day = state.saw_day != 0;
      if (p >= flush_at) continue;
    }
    const char* next = nullptr;
    // Most records: one line of exactly ncols fields, no quote, no '\r'. Each value is read where
    // its kind says it ends (a scale's digits, an ISO date's ten bytes, a short segment's first
    // special byte, else the first special byte), and the byte there must be the delimiter, or
    // the line end after the last value.
    bool fast = true;  // false: the careful path below reads the record
    bool ok = true;    // false: the rules decide the record
    {
      const char* q = p;  // the field's first byte
      for (size_t col = 0; col < ncols; ++col) {
        if (end - q < kRoom) {
          fast = false;
          break;
        }
        const Column& column = columns[col];
        const char* e;
        switch (column.op) {
          case Op::kScale: {
            const bool d0 = static_cast<unsigned char>(q[0]) - 48u <= 9;
            const bool d1 = d0 & (static_cast<unsigned char>(q[1]) - 48u <= 9);
            const bool d2 = d1 & (static_cast<unsigned char>(q[2]) - 48u <= 9);
            e = q + (d0 + d1 + d2);
            ok &= scale(column, q, static_cast<size_t>(e - q));
            break;
          }
          case Op::kDate: {
            uint32_t slot = 0;
            if (IsoDateMemo::Key(q, &slot)) {
              e = q + 10;
              has_day = true;
              ok &= iso_dates_.Find(q, slot, &day, &period) ||
                    DateOf(q, 10, true, true, slot, &day, &period);
            } else {
              e = FirstSpecial(q, end, delim);
              ok &= date(q, static_cast<size_t>(e - q));
            }
            break;
          }
          case Op::kSegment: {
            const uint32_t special = SpecialMask16(q, delim);
            const size_t n = special != 0 ? static_cast<size_t>(LowestBit(special)) : 16;
            if (ShortTextIndex::kLittleEndian && n <= 8) {
              e = q + n;
              const uint64_t key = ShortTextIndex::LowWord(q, n);
              const SegmentSlot& hit = segments[SegmentSlotOf(key, n)];
              if (hit.key == key && hit.len == n) {
                segment = hit.id;
              } else {
                ok &= SegmentOf(q, n, true, &segment);
              }
            } else {
              e = FirstSpecial(q, end, delim);
              ok &= segment_of(q, static_cast<size_t>(e - q));
            }
            break;
          }
          default:  // a text answer or a skipped column: up to the first special byte
            e = *q == delim || *q == '\n' ? q : FirstSpecial(q, end, delim);
            if (column.op == Op::kText) ok &= text(column, q, static_cast<size_t>(e - q));
            break;
        }
        if (e >= end || *e != column.end) {
          fast = false;
          break;
        }
        q = e + 1;
      }
      next = q;
    }
    if (fast) {
      if (!ok || static_cast<size_t>(next - p) > ImportOptions::kMaxFieldBytes) break;
    } else {
      // Anything else, field by field from the record's start: quoted values (a kept one without
      // doubled quotes), "\r\n", and every way a record can be off, which stops the kernel.
      block = p;
      load();
      const char* q = p;  // the field's first byte
      for (size_t col = 0;; ++col) {
        const char* e = take();
        if (e >= end) goto stop;
        const char* v = q;
        size_t n = 0;
        if (*e == '"') {
          if (e != q) goto stop;  // a quote inside an unquoted value: the general path
          bool doubled = false;
          for (;;) {
            e = take();
            if (e + 1 >= end) goto stop;  // the next bytes tell what the quote is
            if (*e == '"') {
              if (e[1] != '"') break;
              take();  // the pair's second quote
              doubled = true;
            } else if (*e != delim) {
              goto stop;  // a line end inside quotes
            }
          }
          if (doubled && columns[col].op != Op::kSkip) goto stop;
          v = q + 1;
          n = static_cast<size_t>(e - q - 1);
          const char* after = take();
          if (after != e + 1) goto stop;  // text after the closing quote
          e = after;
        } else {
          n = static_cast<size_t>(e - q);
        }
        if (!value(columns[col], v, n)) goto stop;
        if (*e == delim) {
          if (col + 1 >= ncols) goto stop;  // too many fields
          q = e + 1;
          continue;
        }
        if (col + 1 != ncols) goto stop;  // too few fields, or a quote after a value
        if (*e == '\n') {
          next = e + 1;
        } else if (*e == '\r' && e + 1 < end && e[1] == '\n') {
          take();  // the line end's '\n'
          next = e + 2;
        } else {
          goto stop;  // a lone '\r', or one last in the bytes
        }
        break;
      }
      if (static_cast<size_t>(next - p) > ImportOptions::kMaxFieldBytes) goto stop;
    }
    {
      // CellTable::Add(): the (segment, period) cell, or the overall cell.
      size_t cell = 0;
      if (split) {
        if (period_ && !has_day) goto stop;  // the "(none)" period: the general path
        cell = table.CachedCell(segment, period_ ? period : -1);
        if (cell == 0) goto stop;
      }
      if ((cell + 1) * stride_ > tally_.size()) GrowTally(cell);
      int32_t* const t = tally_.data() + cell * stride_;
      if (t[0]++ == 0) touched_[touched_count_++] = static_cast<uint32_t>(cell);
      for (size_t i = 0; i < nbins; ++i) ++t[bins[i]];
    }
    if (has_day) {
      min_day = day < min_day ? day : min_day;
      max_day = day > max_day ? day : max_day;
      saw_day = true;
    }
    ++rows;
    p = next;
  }
stop:
  Flush();
  if (rows > 0) {  // NoteAccepted() for the records counted, and the reader's row count
    for (const Column& c : columns_) {
      if (c.question >= 0) b.question_seen_[static_cast<size_t>(c.question)] = true;
    }
    if (has_segment_) b.by_seen_ = true;
    if (saw_day) b.NoteDays(min_day, max_day);
    b.summary_.rows += rows;
  }
  *lines = rows;
  return p;
}

}  // namespace nazar::import_internal
