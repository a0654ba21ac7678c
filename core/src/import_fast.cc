#include "import_fast.h"

#include "nazar/import.h"

namespace nazar::import_internal {

void FastRecordParser::SetLayout(char delim, size_t ncols, const std::vector<int>& slot_of,
                                 size_t slots) {
  // A delimiter that is itself a quote or a line end would make the masks ambiguous.
  ready_ = delim != '"' && delim != '\n' && delim != '\r' && ncols > 0;
  delim_ = delim;
  ncols_ = ncols;
  slot_of_ = slot_of;
  values_.assign(slots, std::string_view());
  unescaped_.assign(slots, std::string());
}

void FastRecordParser::Begin(const char* begin, const char* end) {
  end_ = end;
  Load(begin);
}

void FastRecordParser::Load(const char* p) {
  block_ = p;
  const size_t left = static_cast<size_t>(end_ - p);
  mask_ = left >= kSpecialBlock ? SpecialMask64(p, delim_) : SpecialMaskScalar(p, left, delim_);
}

const char* FastRecordParser::Parse(const char* p, bool* blank, bool* pending_lf) {
  const char* q = p;  // start of the current field
  size_t col = 0;
  bool quoted_any = false;
  for (;;) {
    std::string_view value;
    const char* after;  // the delimiter or line end after the field
    bool doubled = false;
    if (q < end_ && *q == '"') {
      quoted_any = true;
      const char* s = q + 1;
      for (;;) {
        s = NextSpecial(s);
        if (s >= end_) return nullptr;
        if (*s == '"') {
          if (s + 1 >= end_) return nullptr;  // closing or doubled: the next chunk says
          if (s[1] != '"') break;
          doubled = true;
          s += 2;
        } else if (*s == delim_) {
          ++s;
        } else {
          return nullptr;  // a line end inside quotes
        }
      }
      value = std::string_view(q + 1, static_cast<size_t>(s - q - 1));
      after = s + 1;
      if (after >= end_) return nullptr;
      if (*after != delim_ && *after != '\n' && *after != '\r') return nullptr;
    } else {
      const char* s = NextSpecial(q);
      while (s < end_ && *s == '"') s = NextSpecial(s + 1);  // a quote inside is a literal
      if (s >= end_) return nullptr;
      value = std::string_view(q, static_cast<size_t>(s - q));
      after = s;
    }
    if (col < slot_of_.size() && slot_of_[col] >= 0) {
      const size_t slot = static_cast<size_t>(slot_of_[col]);
      if (doubled) {
        std::string& out = unescaped_[slot];
        out.clear();
        for (size_t i = 0; i < value.size(); ++i) {
          out.push_back(value[i]);
          if (value[i] == '"') ++i;  // the second quote of a pair
        }
        value = out;
      }
      values_[slot] = value;
    }
    ++col;
    if (*after == delim_) {
      if (col >= ncols_) return nullptr;  // too many fields
      q = after + 1;
      continue;
    }
    // A line end. Like the scanner, a blank line is one unquoted empty field.
    *blank = col == 1 && !quoted_any && after == p;
    if (!*blank && col != ncols_) return nullptr;
    // Each field is at most the line, so no field can pass the 1 MiB cap.
    if (static_cast<size_t>(after - p) > ImportOptions::kMaxFieldBytes) return nullptr;
    *pending_lf = false;
    if (*after == '\n') return after + 1;
    if (after + 1 == end_) {
      *pending_lf = true;  // '\r' last: a '\n' first in the next chunk is part of this line end
      return end_;
    }
    return after[1] == '\n' ? after + 2 : after + 1;
  }
}

}  // namespace nazar::import_internal
