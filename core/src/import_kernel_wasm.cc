// CsvKernel::CompiledModule(): the kernel's plan written out as a WebAssembly module of one
// function, for an engine that runs the importer in wasm and can instantiate generated code (the
// analyze page's worker). The function is the kernel's fast path with every column's operation,
// delimiter, scale range and tally fixed in the code: what a loop written by hand for this one
// file would do, and nothing the rules have not decided already. It counts a record only from
// what the kernel's caches hold (ISO dates, short segments, cells), as the kernel itself does,
// and returns at the first record it does not take, which the kernel reads next.
//
// Nothing here runs the code; the core only writes bytes. The ABI (wasm/abi_import.cc) and the
// binding (web/src/binding/core.ts) instantiate it over the module's own memory and hand the
// function back through UseCompiled().
#include <cstring>
#include <string>

#include "import_kernel.h"

namespace nazar::import_internal {
namespace {

// Opcodes used (WebAssembly core 2.0 and fixed-width SIMD).
enum : uint8_t {
  kBlock = 0x02,
  kLoop = 0x03,
  kIf = 0x04,
  kElse = 0x05,
  kEnd = 0x0b,
  kBr = 0x0c,
  kBrIf = 0x0d,
  kSelect = 0x1b,
  kLocalGet = 0x20,
  kLocalSet = 0x21,
  kLocalTee = 0x22,
  kI32Load = 0x28,
  kI64Load = 0x29,
  kI32Load8U = 0x2d,
  kI32Load16U = 0x2f,
  kI32Store = 0x36,
  kI32Const = 0x41,
  kI64Const = 0x42,
  kI32Eqz = 0x45,
  kI32Eq = 0x46,
  kI32Ne = 0x47,
  kI32LtS = 0x48,
  kI32GtU = 0x4b,
  kI32GeU = 0x4f,
  kI64Eq = 0x51,
  kI64Ne = 0x52,
  kI32Ctz = 0x68,
  kI32Add = 0x6a,
  kI32Sub = 0x6b,
  kI32Mul = 0x6c,
  kI32And = 0x71,
  kI32Or = 0x72,
  kI64Add = 0x7c,
  kI64Sub = 0x7d,
  kI64Mul = 0x7e,
  kI64And = 0x83,
  kI64Shl = 0x86,
  kI64ShrU = 0x88,
  kI32WrapI64 = 0xa7,
  kI64ExtendI32U = 0xad,
  kSimd = 0xfd,
};
enum : uint32_t {  // after kSimd
  kV128Load = 0x00,
  kI8x16Splat = 0x0f,
  kI8x16Eq = 0x23,
  kV128Or = 0x50,
  kI8x16Bitmask = 0x64,
};
enum : uint8_t { kI32 = 0x7f, kI64 = 0x7e, kV128 = 0x7b, kVoid = 0x40 };

// CompiledState's fields as wasm32 lays them out (checked in import_kernel.h under wasm32).
enum : uint32_t {
  kStTally = 0,
  kStTallyCells = 4,
  kStTouched = 8,
  kStTouchedCount = 12,
  kStIsoMemo = 16,
  kStSegmentMemo = 20,
  kStFlat = 24,
  kStLimit = 28,
  kStRows = 32,
  kStMinDay = 36,
  kStMaxDay = 40,
  kStSawDay = 44,
};

void Uleb(std::string* out, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v != 0) byte |= 0x80;
    out->push_back(static_cast<char>(byte));
  } while (v != 0);
}

void Sleb(std::string* out, int64_t v) {
  for (;;) {
    const uint8_t byte = v & 0x7f;
    v >>= 7;  // arithmetic
    const bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    out->push_back(static_cast<char>(done ? byte : byte | 0x80));
    if (done) return;
  }
}

// One function body, written instruction by instruction. `depth_` counts the open blocks so
// that Bail() can branch out to the function's outer block from anywhere.
class Body {
 public:
  void Op(uint8_t op) { code_.push_back(static_cast<char>(op)); }
  void Simd(uint32_t op) { WithLeb(kSimd, op); }
  // An opcode and its unsigned immediate.
  void WithLeb(uint8_t op, uint64_t v) {
    Op(op);
    Uleb(&code_, v);
  }
  void Get(uint32_t local) { WithLeb(kLocalGet, local); }
  void Set(uint32_t local) { WithLeb(kLocalSet, local); }
  void Tee(uint32_t local) { WithLeb(kLocalTee, local); }
  void I32(int64_t v) {
    Op(kI32Const);
    Sleb(&code_, v);
  }
  void I64(int64_t v) {
    Op(kI64Const);
    Sleb(&code_, v);
  }
  // A load or store with its alignment (log2) and offset.
  void Mem(uint8_t op, uint32_t align, uint32_t offset) {
    Op(op);
    Uleb(&code_, align);
    Uleb(&code_, offset);
  }
  void V128Load(uint32_t offset) {
    Simd(kV128Load);
    Uleb(&code_, 0);
    Uleb(&code_, offset);
  }
  void Open(uint8_t op) {
    Op(op);
    Op(kVoid);
    ++depth_;
  }
  void Else() { Op(kElse); }
  void Close() {
    Op(kEnd);
    --depth_;
  }
  // Leaves the record loop: the function returns the record's start.
  void BailIf() {
    Op(kBrIf);
    Uleb(&code_, depth_ - 1);
  }
  void Continue(uint32_t loop_depth) {
    Op(kBr);
    Uleb(&code_, depth_ - loop_depth);
  }
  uint32_t depth() const { return depth_; }
  const std::string& code() const { return code_; }

 private:
  std::string code_;
  uint32_t depth_ = 0;
};

void Section(std::string* out, uint8_t id, const std::string& content) {
  out->push_back(static_cast<char>(id));
  Uleb(out, content.size());
  *out += content;
}

void Name(std::string* out, const char* name) {
  Uleb(out, std::strlen(name));
  *out += name;
}

}  // namespace

std::string CsvKernel::CompiledModule() const {
  if (!ready_) return "";
  bool has_date = false;
  for (const Column& c : columns_) has_date |= c.op == Op::kDate;
  if (period_ && !has_date) return "";  // every record in "(none)": the general path's
  // Locals: the three parameters, then i32s, one bin per question column, two i64s, five v128s
  // (four splats, the 16 bytes a mask is of).
  enum : uint32_t {
    P,
    End,
    St,
    Q,
    E,
    V,
    X,
    W,
    Day,
    Period,
    Seg,
    Cell,
    T,
    R,
    Rows,
    MinDay,
    MaxDay,
    SawDay,
    Tally,
    TallyCells,
    Touched,
    TouchedCount,
    Iso,
    SegMemo,
    Flat,
    Limit,
    M,
    SegLen,
    D,
    Two,
    kFirstBin
  };
  const uint32_t nbins = static_cast<uint32_t>(bins_.size());
  const uint32_t k64 = kFirstBin + nbins;
  const uint32_t SegMask = k64 + 1;    // the bytes of a SegLen-byte value in an i64
  const uint32_t splat = k64 + 2;      // delimiter, quote, LF, CR
  const uint32_t bytes16 = splat + 4;  // the 16 bytes special_mask() looks at
  Body b;
  auto load_state = [&](uint32_t local, uint32_t offset) {
    b.Get(St);
    b.Mem(kI32Load, 2, offset);
    b.Set(local);
  };
  auto store_state = [&](uint32_t local, uint32_t offset) {
    b.Get(St);
    b.Get(local);
    b.Mem(kI32Store, 2, offset);
  };
  load_state(Tally, kStTally);
  load_state(TallyCells, kStTallyCells);
  load_state(Touched, kStTouched);
  load_state(TouchedCount, kStTouchedCount);
  load_state(Iso, kStIsoMemo);
  load_state(SegMemo, kStSegmentMemo);
  load_state(Flat, kStFlat);
  load_state(Limit, kStLimit);
  load_state(MinDay, kStMinDay);
  load_state(MaxDay, kStMaxDay);
  const char specials[4] = {delim_, '"', '\n', '\r'};
  for (uint32_t i = 0; i < 4; ++i) {
    b.I32(specials[i]);
    b.Simd(kI8x16Splat);
    b.Set(splat + i);
  }
  // The bitmask of the special bytes in the 16 at local `at` (without the delimiter: a quote or a
  // line end), left on the stack.
  auto special_mask = [&](uint32_t at, bool with_delim = true) {
    bool first = true;
    b.Get(at);
    b.V128Load(0);
    b.Set(bytes16);  // loaded once: an engine need not see that four loads are one
    for (uint32_t i = with_delim ? 0 : 1; i < 4; ++i) {
      b.Get(bytes16);
      b.Get(splat + i);
      b.Simd(kI8x16Eq);
      if (!first) b.Simd(kV128Or);
      first = false;
    }
    b.Simd(kI8x16Bitmask);
  };
  // Bails unless `n` bytes from local `at` are inside the input.
  auto bail_unless_room = [&](uint32_t at, int n) {
    b.Get(End);
    b.Get(at);
    b.Op(kI32Sub);
    b.I32(n);
    b.Op(kI32LtS);
    b.BailIf();
  };
  // Moves E to the first special byte at or after it (special_mask()), 16 bytes at a time,
  // bailing when fewer than 16 are left.
  auto scan_to = [&](bool with_delim) {
    b.Open(kLoop);
    const uint32_t scan = b.depth();
    bail_unless_room(E, 16);
    special_mask(E, with_delim);
    b.Tee(M);
    b.Op(kI32Eqz);
    b.Open(kIf);
    b.Get(E);
    b.I32(16);
    b.Op(kI32Add);
    b.Set(E);
    b.Continue(scan);
    b.Close();
    b.Close();
    b.Get(E);
    b.Get(M);
    b.Op(kI32Ctz);
    b.Op(kI32Add);
    b.Set(E);
  };
  // Bails unless the byte at local `at` is `c`.
  auto expect_byte = [&](uint32_t at, char c) {
    b.Get(at);
    b.Mem(kI32Load8U, 0, 0);
    b.I32(static_cast<unsigned char>(c));
    b.Op(kI32Ne);
    b.BailIf();
  };
  // Whether the byte at the address on the stack (into V) ends a value: the delimiter or a line
  // end ('\n', and '\r' when `cr`), left on the stack.
  auto ends_value = [&](bool cr) {
    b.Mem(kI32Load8U, 0, 0);
    b.Tee(V);
    b.I32(static_cast<unsigned char>(delim_));
    b.Op(kI32Eq);
    auto or_is = [&](char c) {
      b.Get(V);
      b.I32(c);
      b.Op(kI32Eq);
      b.Op(kI32Or);
    };
    or_is('\n');
    if (cr) or_is('\r');
  };
  // digit = byte at q + offset minus '0', into `local`; leaves (digit >u 9) on the stack.
  auto digit = [&](uint32_t offset, uint32_t local) {
    b.Get(Q);
    b.Mem(kI32Load8U, 0, offset);
    b.I32('0');
    b.Op(kI32Sub);
    b.Tee(local);
    b.I32(9);
    b.Op(kI32GtU);
  };

  b.Open(kBlock);  // depth 1: leaving it returns P
  b.Open(kLoop);   // depth 2: one record per turn
  const uint32_t record_loop = b.depth();
  b.Get(P);
  b.Get(Limit);
  b.Op(kI32GeU);
  b.BailIf();
  b.Get(P);
  b.Set(Q);
  // Bytes from Q known to be inside the input: a check of 32 covers the reads of the next
  // fixed-width values (a scale reads 3 bytes from its start and moves on by at most 3, a date 11
  // and 11, a short segment 16 and at most 9), so it is emitted only where they would run out;
  // after a value of any length (a text or a skipped column) nothing is known.
  constexpr int kRoomChecked = 32;
  int room = 0;
  for (const Column& c : columns_) {
    const int need = c.op == Op::kScale     ? 3
                     : c.op == Op::kDate    ? 11
                     : c.op == Op::kSegment ? 16
                                            : 1;
    const int used = c.op == Op::kScale ? 3 : c.op == Op::kDate ? 11 : c.op == Op::kSegment ? 9 : 0;
    if (room < need) {
      bail_unless_room(Q, kRoomChecked);
      room = kRoomChecked;
    }
    room = c.op == Op::kText || c.op == Op::kSkip ? 0 : room - used;
    const uint32_t bin = kFirstBin + c.bin;
    switch (c.op) {
      case Op::kScale: {
        // The value on the stack minus the scale's least into V; leaves (V >u its range).
        auto outside_scale = [&]() {
          b.I32(c.min);
          b.Op(kI32Sub);
          b.Tee(V);
          b.I32(c.max - c.min);
          b.Op(kI32GtU);
        };
        if (c.max >= 10) {
          // Values of one or two digits (an NPS column: "10" is often a third of them): where
          // the value ends is computed, not branched on, since a branch on it would be
          // mispredicted about as often as "10" comes, and a mispredicted branch costs more than
          // the next value's reads waiting for these bytes. Empty (no digit: the byte must be
          // the value's end), else 1-2 digits in range; three are left to the kernel. The three
          // bytes are inside the input (the room check) whatever they hold.
          digit(0, V);
          b.Op(kI32Eqz);
          b.Set(D);  // a first digit
          digit(1, X);
          b.Op(kI32Eqz);
          b.Get(D);
          b.Op(kI32And);
          b.Set(Two);  // and a second
          digit(2, W);
          b.Op(kI32Eqz);
          b.Get(Two);
          b.Op(kI32And);
          b.BailIf();  // and a third
          b.Get(V);
          b.I32(10);
          b.Op(kI32Mul);
          b.Get(X);
          b.Op(kI32Add);
          b.Get(V);
          b.Get(Two);
          b.Op(kSelect);
          outside_scale();
          b.Get(D);
          b.Op(kI32And);
          b.BailIf();  // a value outside the scale
          b.Get(V);
          b.I32(c.tally);
          b.Op(kI32Add);
          b.I32(c.tally + c.width);  // empty: skipped
          b.Get(D);
          b.Op(kSelect);
          b.Set(bin);
          b.Get(Q);
          b.Get(D);
          b.Op(kI32Add);
          b.Get(Two);
          b.Op(kI32Add);
          b.Set(E);
          break;
        }
        // Empty (no digit: the byte must be the value's end), or 1-2 digits in range; three
        // digits are left to the kernel.
        digit(0, V);
        b.Open(kIf);
        b.I32(c.tally + c.width);
        b.Set(bin);
        b.Get(Q);
        b.Set(E);
        b.Else();
        digit(1, X);
        b.Op(kI32Eqz);
        b.Open(kIf);  // a second digit
        digit(2, W);
        b.Op(kI32Eqz);
        b.BailIf();
        b.Get(V);
        b.I32(10);
        b.Op(kI32Mul);
        b.Get(X);
        b.Op(kI32Add);
        b.Set(V);
        b.Get(Q);
        b.I32(2);
        b.Op(kI32Add);
        b.Set(E);
        b.Else();
        b.Get(Q);
        b.I32(1);
        b.Op(kI32Add);
        b.Set(E);
        b.Close();
        b.Get(V);
        outside_scale();
        b.BailIf();
        b.Get(V);
        b.I32(c.tally);
        b.Op(kI32Add);
        b.Set(bin);
        b.Close();
        break;
      }
      case Op::kDate: {
        // IsoDateMemo: the slot from the digits' bytes (IsoDateMemo::Slot(), unsigned
        // arithmetic), then the entry's ten bytes must be the text's.
        auto byte_minus_0 = [&](uint32_t offset) {
          b.Get(Q);
          b.Mem(kI32Load8U, 0, offset);
          b.I32('0');
          b.Op(kI32Sub);
        };
        auto two_digits = [&](uint32_t offset) {  // d0 * 10 + d1
          byte_minus_0(offset);
          b.I32(10);
          b.Op(kI32Mul);
          byte_minus_0(offset + 1);
          b.Op(kI32Add);
        };
        b.Get(Iso);
        byte_minus_0(3);
        b.I32(7);
        b.Op(kI32And);
        b.I32(16);
        b.Op(kI32Mul);
        two_digits(5);
        b.I32(15);
        b.Op(kI32And);
        b.Op(kI32Add);
        b.I32(32);
        b.Op(kI32Mul);
        two_digits(8);
        b.I32(31);
        b.Op(kI32And);
        b.Op(kI32Add);
        b.I32(IsoDateMemo::kEntryBytes);
        b.Op(kI32Mul);
        b.Op(kI32Add);
        b.Tee(T);
        b.Mem(kI64Load, 3, 0);
        b.Get(Q);
        b.Mem(kI64Load, 0, 0);
        b.Op(kI64Ne);
        b.BailIf();
        b.Get(T);
        b.Mem(kI32Load, 2, 8);
        b.Get(Q);
        b.Mem(kI32Load16U, 0, 8);
        b.Op(kI32Ne);
        b.BailIf();
        b.Get(T);
        b.Mem(kI32Load, 2, 12);
        b.Set(Day);
        b.Get(T);
        b.Mem(kI32Load, 2, 16);
        b.Set(Period);
        b.Get(Q);
        b.I32(10);
        b.Op(kI32Add);
        b.Set(E);
        break;
      }
      case Op::kSegment: {
        // A text of at most 8 bytes that segments_ holds (the key and slot as
        // ShortTextIndex::LowWord() and SegmentSlotOf() make them, 16 bytes a slot), found by
        // one of two ways. First as long as the last one (SegLen bytes; a segment column's values
        // are mostly of one length: "en", "fa"): its key is known without looking for its end, so
        // the next value's reads start from Q and SegLen, which the processor has at hand,
        // instead of waiting for a mask of the bytes. It is that value when segments_ holds those
        // bytes at that length and a special byte follows them (a held text has none in it:
        // SegmentOf() holds no text with the delimiter, and the careful path stops at a quote or
        // line end; which byte follows is checked after the value as for any other). Else the
        // first special byte ends it, and its length is the next value's guess.
        auto find = [&](uint32_t length) {  // T = the slot of k64 at `length` bytes; leaves "held"
          b.Get(SegMemo);
          b.Get(k64);
          b.Get(length);
          b.Op(kI64ExtendI32U);
          b.Op(kI64Add);
          b.I64(static_cast<int64_t>(kSegmentHash));
          b.Op(kI64Mul);
          b.I64(64 - kSegmentSlotBits);
          b.Op(kI64ShrU);
          b.Op(kI32WrapI64);
          b.I32(16);
          b.Op(kI32Mul);
          b.Op(kI32Add);
          b.Tee(T);
          b.Mem(kI64Load, 3, 0);
          b.Get(k64);
          b.Op(kI64Eq);
          b.Get(T);
          b.Mem(kI32Load, 2, 8);
          b.Get(length);
          b.Op(kI32Eq);
          b.Op(kI32And);
        };
        b.Get(Q);
        b.Mem(kI64Load, 0, 0);
        b.Get(SegMask);
        b.Op(kI64And);
        b.Set(k64);
        find(SegLen);
        b.Get(Q);
        b.Get(SegLen);
        b.Op(kI32Add);
        ends_value(true);
        b.Op(kI32And);
        b.Open(kIf);
        b.Get(Q);
        b.Get(SegLen);
        b.Op(kI32Add);
        b.Set(E);
        b.Else();
        special_mask(Q);
        b.Tee(M);
        b.Op(kI32Eqz);
        b.BailIf();
        b.Get(M);
        b.Op(kI32Ctz);
        b.Tee(V);
        b.I32(8);
        b.Op(kI32GtU);
        b.BailIf();
        b.I64(-1);
        b.I64(1);
        b.Get(V);
        b.I32(8);
        b.Op(kI32Mul);
        b.Op(kI64ExtendI32U);
        b.Op(kI64Shl);
        b.I64(1);
        b.Op(kI64Sub);
        b.Get(V);
        b.I32(8);
        b.Op(kI32Eq);
        b.Op(kSelect);
        b.Tee(SegMask);
        b.Get(Q);
        b.Mem(kI64Load, 0, 0);
        b.Op(kI64And);
        b.Set(k64);
        b.Get(V);
        b.Set(SegLen);
        find(SegLen);
        b.Op(kI32Eqz);
        b.BailIf();
        b.Get(Q);
        b.Get(V);
        b.Op(kI32Add);
        b.Set(E);
        b.Close();
        b.Get(T);
        b.Mem(kI32Load, 2, 12);
        b.Set(Seg);
        break;
      }
      case Op::kText:
      case Op::kSkip: {
        // Up to the first special byte, 16 at a time; a text answer that starts with a blank is
        // left to the kernel (text::Trim() decides it).
        b.Get(Q);
        b.Set(E);
        b.Get(Q);
        ends_value(false);
        b.Op(kI32Eqz);
        b.Open(kIf);  // not empty
        if (c.op == Op::kText) {
          for (const char blank : {' ', '\t', '\r', '\f'}) {
            b.Get(V);
            b.I32(blank);
            b.Op(kI32Eq);
            b.BailIf();
          }
        }
        if (c.op == Op::kSkip) {
          // A quoted value: to its closing quote, over doubled quotes and delimiters; a line
          // end inside is left to the kernel (a record over two lines).
          b.Get(V);
          b.I32('"');
          b.Op(kI32Eq);
          b.Open(kIf);
          b.Get(Q);
          b.I32(1);
          b.Op(kI32Add);
          b.Set(E);
          b.Open(kLoop);
          const uint32_t quoted = b.depth();
          scan_to(false);
          expect_byte(E, '"');
          bail_unless_room(E, 2);  // the byte after the quote tells what it is
          b.Get(E);
          b.Mem(kI32Load8U, 0, 1);
          b.I32('"');
          b.Op(kI32Eq);
          b.Open(kIf);  // a doubled quote: the value goes on
          b.Get(E);
          b.I32(2);
          b.Op(kI32Add);
          b.Set(E);
          b.Continue(quoted);
          b.Close();
          b.Close();  // the quoted loop
          b.Get(E);
          b.I32(1);
          b.Op(kI32Add);
          b.Set(E);
          b.Else();
          scan_to(true);
          b.Close();
        } else {
          scan_to(true);
        }
        b.Close();
        if (c.op == Op::kText) {  // answered, or blank: the tally after it
          b.I32(c.tally);
          b.Get(E);
          b.Get(Q);
          b.Op(kI32Eq);
          b.Op(kI32Add);
          b.Set(bin);
        }
        break;
      }
    }
    if (c.end == '\n') {
      // The line end: '\n', or "\r\n" (the careful path's rule; a lone '\r' is left to it).
      b.Get(E);
      b.Mem(kI32Load8U, 0, 0);
      b.I32('\r');
      b.Op(kI32Eq);
      b.Open(kIf);
      bail_unless_room(E, 2);
      b.Get(E);
      b.I32(1);
      b.Op(kI32Add);
      b.Set(E);
      b.Close();
    }
    expect_byte(E, c.end);
    b.Get(E);
    b.I32(1);
    b.Op(kI32Add);
    b.Set(Q);
  }
  // The record's length, then its cell (CellTable::CachedCell()) and tallies.
  b.Get(Q);
  b.Get(P);
  b.Op(kI32Sub);
  b.I32(static_cast<int64_t>(ImportOptions::kMaxFieldBytes));
  b.Op(kI32GtU);
  b.BailIf();
  if (by_ || period_) {
    // (segment + 1) * kFlatPeriods + period + 1, both ids small enough for the flat index.
    b.I32(0);
    b.Set(Cell);
    if (by_) {
      b.Get(Seg);
      b.I32(1);
      b.Op(kI32Add);
      b.Tee(V);
      b.I32(CellTable::kFlatSegments);
      b.Op(kI32GeU);
      b.BailIf();
      b.Get(V);
      b.I32(CellTable::kFlatPeriods);
      b.Op(kI32Mul);
      b.Set(Cell);
    }  // else segment -1: row 0 of the flat index
    if (period_) {
      b.Get(Period);
      b.I32(1);
      b.Op(kI32Add);
      b.Tee(V);
      b.I32(CellTable::kFlatPeriods);
      b.Op(kI32GeU);
      b.BailIf();
      b.Get(Cell);
      b.Get(V);
      b.Op(kI32Add);
      b.Set(Cell);
    } else {
      b.Get(Cell);
      b.I32(0);  // period -1
      b.Op(kI32Add);
      b.Set(Cell);
    }
    b.Get(Flat);
    b.Get(Cell);
    b.I32(4);
    b.Op(kI32Mul);
    b.Op(kI32Add);
    b.Mem(kI32Load, 2, 0);
    b.Tee(Cell);
    b.Op(kI32Eqz);
    b.BailIf();
  } else {
    b.I32(0);
    b.Set(Cell);
  }
  b.Get(Cell);
  b.Get(TallyCells);
  b.Op(kI32GeU);
  b.BailIf();
  b.Get(Tally);
  b.Get(Cell);
  b.I32(static_cast<int64_t>(stride_ * 4));
  b.Op(kI32Mul);
  b.Op(kI32Add);
  b.Tee(T);
  b.Mem(kI32Load, 2, 0);
  b.Tee(R);
  b.Op(kI32Eqz);
  b.Open(kIf);  // the cell's first record since the last flush
  b.Get(Touched);
  b.Get(TouchedCount);
  b.I32(4);
  b.Op(kI32Mul);
  b.Op(kI32Add);
  b.Get(Cell);
  b.Mem(kI32Store, 2, 0);
  b.Get(TouchedCount);
  b.I32(1);
  b.Op(kI32Add);
  b.Set(TouchedCount);
  b.Close();
  b.Get(T);
  b.Get(R);
  b.I32(1);
  b.Op(kI32Add);
  b.Mem(kI32Store, 2, 0);
  for (uint32_t i = 0; i < nbins; ++i) {
    b.Get(T);
    b.Get(kFirstBin + i);
    b.I32(4);
    b.Op(kI32Mul);
    b.Op(kI32Add);
    b.Tee(V);
    b.Get(V);
    b.Mem(kI32Load, 2, 0);
    b.I32(1);
    b.Op(kI32Add);
    b.Mem(kI32Store, 2, 0);
  }
  if (has_date) {
    b.Get(Day);
    b.Get(MinDay);
    b.Get(Day);
    b.Get(MinDay);
    b.Op(kI32LtS);
    b.Op(kSelect);
    b.Set(MinDay);
    b.Get(Day);
    b.Get(MaxDay);
    b.Get(MaxDay);
    b.Get(Day);
    b.Op(kI32LtS);
    b.Op(kSelect);
    b.Set(MaxDay);
  }
  b.Get(Rows);
  b.I32(1);
  b.Op(kI32Add);
  b.Set(Rows);
  b.Get(Q);
  b.Set(P);
  b.Continue(record_loop);
  b.Close();  // the record loop
  b.Close();  // the outer block
  store_state(Rows, kStRows);
  store_state(MinDay, kStMinDay);
  store_state(MaxDay, kStMaxDay);
  if (has_date) {  // every record counted here had a date: the flag is read and set here only
    load_state(SawDay, kStSawDay);
    b.Get(Rows);
    b.I32(0);
    b.Op(kI32Ne);
    b.Get(SawDay);
    b.Op(kI32Or);
    b.Set(SawDay);
    store_state(SawDay, kStSawDay);
  }
  store_state(TouchedCount, kStTouchedCount);
  b.Get(P);
  b.Op(kEnd);

  std::string body;
  Uleb(&body, 3);  // local groups
  Uleb(&body, k64 - Q);
  body.push_back(static_cast<char>(kI32));
  Uleb(&body, 2);  // k64, SegMask
  body.push_back(static_cast<char>(kI64));
  Uleb(&body, 5);
  body.push_back(static_cast<char>(kV128));
  body += b.code();

  std::string module("\0asm\1\0\0\0", 8);
  std::string types;
  Uleb(&types, 1);
  types += "\x60\x03\x7f\x7f\x7f\x01\x7f";  // (i32 p, i32 end, i32 state) -> i32
  Section(&module, 1, types);
  std::string imports;
  Uleb(&imports, 1);
  Name(&imports, "env");
  Name(&imports, "memory");
  imports += std::string("\x02\x00\x00", 3);  // a memory of at least 0 pages, no maximum
  Section(&module, 2, imports);
  Section(&module, 3, std::string("\x01\x00", 2));  // one function of type 0
  std::string exports;
  Uleb(&exports, 1);
  Name(&exports, "run");
  exports += std::string("\x00\x00", 2);  // function 0
  Section(&module, 7, exports);
  std::string code;
  Uleb(&code, 1);
  Uleb(&code, body.size());
  code += body;
  Section(&module, 10, code);
  return module;
}

}  // namespace nazar::import_internal
