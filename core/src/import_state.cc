#include "import_state.h"

#include <limits>
#include <utility>

namespace nazar::import_internal {
namespace {

constexpr char kMagic[4] = {'N', 'Z', 'S', 1};
// Counts and line numbers above this are no file's (2^50: a petabyte of one-byte lines), so the
// sums of two parts cannot overflow.
constexpr int64_t kMaxCount = int64_t{1} << 50;
// Days (since 1970-01-01) beyond about the year 4700 either way: an import reads years 1900-2199
// (date.h), and a day far outside would not print as a date.
constexpr int64_t kMaxDay = 1000000;

class Writer {
 public:
  void Unsigned(uint64_t v) {
    do {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      if (v != 0) byte |= 0x80;
      out_.push_back(static_cast<char>(byte));
    } while (v != 0);
  }
  void Signed(int64_t v) {  // zigzag: small magnitudes of either sign stay short
    Unsigned((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void Flag(bool v) { out_.push_back(v ? 1 : 0); }
  void Bytes(std::string_view s) {
    Unsigned(s.size());
    out_.append(s.data(), s.size());
  }
  void Entries(const std::vector<StateEntry>& list) {
    Unsigned(list.size());
    for (const StateEntry& e : list) {
      Signed(e.line);
      Bytes(e.message);
      Signed(e.flag);
    }
  }
  void Strings(const std::vector<std::string>& list) {
    Unsigned(list.size());
    for (const std::string& s : list) Bytes(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_ = std::string(kMagic, sizeof kMagic);
};

// Reads what Writer wrote; the first thing that does not fit is the error, with its byte offset.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool Magic() {
    if (in_.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic)) {
      return Fail("not the state of this importer (no \"NZS\" version 1 header)");
    }
    at_ = sizeof kMagic;
    return true;
  }
  bool Unsigned(uint64_t* v, const char* what) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= in_.size()) return Fail(std::string("truncated in ") + what);
      const auto byte = static_cast<uint8_t>(in_[at_++]);
      if (shift == 63 && byte > 1) return Fail(std::string(what) + " does not fit 64 bits");
      *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return Fail(std::string(what) + " does not fit 64 bits");
  }
  bool Signed(int64_t* v, const char* what) {
    uint64_t u = 0;
    if (!Unsigned(&u, what)) return false;
    *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  // A count of elements that each take at least one byte: never more than the bytes left, so a
  // corrupt count cannot ask for a huge allocation.
  bool Count(size_t* n, const char* what) {
    uint64_t v = 0;
    if (!Unsigned(&v, what)) return false;
    if (v > in_.size() - at_) return Fail(std::string(what) + " counts more than the bytes left");
    *n = static_cast<size_t>(v);
    return true;
  }
  // A count or a line number: 0 to kMaxCount.
  bool Amount(int64_t* v, const char* what) {
    if (!Signed(v, what)) return false;
    if (*v < 0) return Fail(std::string(what) + " is negative");
    return *v <= kMaxCount || Fail(std::string(what) + " is larger than any file's");
  }
  bool Day(int64_t* v, const char* what) {
    if (!Signed(v, what)) return false;
    return (*v >= -kMaxDay && *v <= kMaxDay) || Fail(std::string(what) + " is no import's date");
  }
  bool Flag(bool* v, const char* what) {
    if (at_ >= in_.size()) return Fail(std::string("truncated in ") + what);
    const auto byte = static_cast<uint8_t>(in_[at_++]);
    if (byte > 1) return Fail(std::string(what) + " is not 0 or 1");
    *v = byte == 1;
    return true;
  }
  bool Bytes(std::string* s, const char* what) {
    size_t n = 0;
    if (!Count(&n, what)) return false;
    s->assign(in_.data() + at_, n);
    at_ += n;
    return true;
  }
  bool Entries(std::vector<StateEntry>* list, const char* what) {
    size_t n = 0;
    if (!Count(&n, what)) return false;
    list->resize(n);
    for (StateEntry& e : *list) {
      if (!Amount(&e.line, what) || !Bytes(&e.message, what) || !Amount(&e.flag, what)) {
        return false;
      }
    }
    return true;
  }
  bool Strings(std::vector<std::string>* list, const char* what) {
    size_t n = 0;
    if (!Count(&n, what)) return false;
    list->resize(n);
    for (std::string& s : *list) {
      if (!Bytes(&s, what)) return false;
    }
    return true;
  }
  bool End() { return at_ == in_.size() || Fail("bytes after the end"); }
  size_t left() const { return in_.size() - at_; }

  bool Fail(std::string what) {
    if (error_.empty()) error_ = "import state: " + what + " at byte " + std::to_string(at_);
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  std::string_view in_;
  size_t at_ = 0;
  std::string error_;
};

}  // namespace

std::string EncodeState(const PartState& s) {
  Writer w;
  w.Bytes(s.format);
  w.Bytes(s.options);
  w.Signed(s.first_line);
  w.Signed(s.column_count);
  w.Strings(s.columns);
  w.Signed(s.rows);
  w.Signed(s.bad_rows);
  w.Entries(s.errors);
  w.Entries(s.warnings);
  w.Flag(s.solar);
  w.Unsigned(s.seen.size());
  for (bool seen : s.seen) w.Flag(seen);
  w.Flag(s.by_seen);
  w.Flag(s.date_seen);
  w.Flag(s.has_days);
  if (s.has_days) {
    w.Signed(s.first_day);
    w.Signed(s.last_day);
  }
  const CellTableState& t = s.cells;
  w.Flag(t.capped);
  w.Strings(t.segments);
  w.Strings(t.periods);
  w.Unsigned(t.counters);
  w.Unsigned(t.cells.size());
  for (size_t i = 0; i < t.cells.size(); ++i) {
    w.Signed(t.cells[i].segment);
    w.Signed(t.cells[i].period);
    w.Signed(t.cells[i].rows);
    for (size_t k = 0; k < t.counters; ++k) w.Signed(t.counts[i * t.counters + k]);
  }
  return w.Take();
}

Result<PartState> DecodeState(std::string_view bytes) {
  PartState s;
  Reader r(bytes);
  size_t seen = 0;
  bool ok = r.Magic() && r.Bytes(&s.format, "format") && r.Bytes(&s.options, "options") &&
            r.Amount(&s.first_line, "first_line") && r.Amount(&s.column_count, "column_count") &&
            r.Strings(&s.columns, "columns") && r.Amount(&s.rows, "rows") &&
            r.Amount(&s.bad_rows, "bad_rows") &&
            (s.bad_rows <= s.rows || r.Fail("bad_rows: more than rows")) &&
            r.Entries(&s.errors, "errors") && r.Entries(&s.warnings, "warnings") &&
            r.Flag(&s.solar, "solar") && r.Count(&seen, "seen");
  for (size_t i = 0; ok && i < seen; ++i) {
    bool flag = false;
    ok = r.Flag(&flag, "seen");
    s.seen.push_back(flag);
  }
  ok = ok && r.Flag(&s.by_seen, "by_seen") && r.Flag(&s.date_seen, "date_seen") &&
       r.Flag(&s.has_days, "days");
  if (ok && s.has_days) {
    ok = r.Day(&s.first_day, "days") && r.Day(&s.last_day, "days") &&
         (s.first_day <= s.last_day || r.Fail("days: the first is after the last"));
  }
  CellTableState& t = s.cells;
  size_t cells = 0;
  ok = ok && r.Flag(&t.capped, "capped") && r.Strings(&t.segments, "segments") &&
       r.Strings(&t.periods, "periods") && r.Count(&t.counters, "counters") &&
       r.Count(&cells, "cells");
  // Each cell takes at least a byte per member and per counter.
  if (ok && cells > r.left() / (3 + t.counters)) {
    ok = r.Fail("cells counts more than the bytes left");
  }
  if (ok) {
    t.cells.resize(cells);
    t.counts.resize(cells * t.counters);
  }
  for (size_t i = 0; ok && i < cells; ++i) {
    CellTableState::Cell& c = t.cells[i];
    ok =
        r.Signed(&c.segment, "cells") && r.Signed(&c.period, "cells") && r.Amount(&c.rows, "cells");
    if (ok && (c.segment < -1 || c.segment >= static_cast<int64_t>(t.segments.size()) ||
               c.period < -1 || c.period >= static_cast<int64_t>(t.periods.size()))) {
      ok = r.Fail("cells: a cell's segment or period is not one of the state's");
    }
    for (size_t k = 0; ok && k < t.counters; ++k) {
      ok = r.Amount(&t.counts[i * t.counters + k], "cells");
    }
  }
  ok = ok && r.End();
  if (!ok) return Status(StatusCode::kInvalidArgument, r.error());
  return s;
}

}  // namespace nazar::import_internal
