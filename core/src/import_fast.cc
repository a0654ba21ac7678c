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

}  // namespace nazar::import_internal
