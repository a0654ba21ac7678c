#include "import_utf16.h"

#include <cstdio>

#include "nazar/i18n.h"

namespace nazar::import_internal {
namespace {

std::string Hex(uint16_t unit) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(unit));
  return buf;
}

}  // namespace

bool Utf16Decoder::Fail(const std::string& what) {
  if (error_.empty()) error_ = "invalid UTF-16: " + what;
  return false;
}

bool Utf16Decoder::Feed(std::string_view bytes, std::string* out) {
  if (!error_.empty()) return false;
  size_t i = 0;
  const size_t n = bytes.size();
  while (true) {
    uint16_t unit = 0;
    if (has_byte_) {
      if (i >= n) break;
      const uint8_t b = static_cast<uint8_t>(bytes[i++]);
      unit = big_endian_ ? static_cast<uint16_t>(byte_ << 8 | b)
                         : static_cast<uint16_t>(b << 8 | byte_);
      has_byte_ = false;
    } else {
      if (i + 1 >= n) {
        if (i < n) {
          byte_ = static_cast<uint8_t>(bytes[i]);
          has_byte_ = true;
        }
        break;
      }
      const uint8_t b0 = static_cast<uint8_t>(bytes[i]);
      const uint8_t b1 = static_cast<uint8_t>(bytes[i + 1]);
      i += 2;
      unit =
          big_endian_ ? static_cast<uint16_t>(b0 << 8 | b1) : static_cast<uint16_t>(b1 << 8 | b0);
    }
    if (high_ != 0) {
      if (unit < 0xDC00 || unit > 0xDFFF) {
        return Fail("a lone high surrogate " + Hex(high_) + " (not followed by a low one)");
      }
      const uint32_t cp = 0x10000 + ((static_cast<uint32_t>(high_) - 0xD800) << 10) +
                          (static_cast<uint32_t>(unit) - 0xDC00);
      high_ = 0;
      AppendUtf8(cp, out);
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      high_ = unit;
      continue;
    }
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return Fail("a lone low surrogate " + Hex(unit));
    }
    if (unit < 0x80) {
      if (unit == '\n') ++line_;
      out->push_back(static_cast<char>(unit));
    } else {
      AppendUtf8(unit, out);
    }
  }
  return true;
}

bool Utf16Decoder::Finish() {
  if (!error_.empty()) return false;
  if (high_ != 0) return Fail("the input ends after a high surrogate " + Hex(high_));
  if (has_byte_) return Fail("the input ends inside a code unit (an odd number of bytes)");
  return true;
}

}  // namespace nazar::import_internal
