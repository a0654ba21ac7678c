// libFuzzer target: ScrubPii on arbitrary bytes. Checks, independently of the scrubber's code:
//  - the output is valid UTF-8 (invalid input bytes become U+FFFD);
//  - no run of 8 or more digits (ASCII, Persian, Arabic-Indic or full-width, with nothing between
//    them) survives: 8 digits is the shortest run the scrubber masks as [NUMBER];
//  - scrubbing is idempotent: ScrubPii(ScrubPii(x)) == ScrubPii(x). A mask has no digits and no
//    '@', and text outside the masks is kept, so a second pass finds nothing new;
//  - length: every input byte becomes at most 3 output bytes (an invalid byte becomes U+FFFD,
//    3 bytes; the largest mask per input byte is [EMAIL], 7 bytes for the 3 code points "a@b").
//    Valid UTF-8 without '@' grows by at most 13/10 ([NATIONAL_ID], 13 bytes for 10 digits; every
//    other digit mask is no longer than the digits it replaces).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nazar/privacy.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// Decodes one UTF-8 code point at `i` (strict: shortest form, no surrogates, <= U+10FFFF).
// Returns its length, or 0 when the bytes there are not valid UTF-8.
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  const uint8_t c = b(i);
  size_t len;
  uint32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    len = 2, v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3, v = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4, v = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return len;
}

bool IsDigit(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0x06F0 && cp <= 0x06F9) ||
         (cp >= 0x0660 && cp <= 0x0669) || (cp >= 0xFF10 && cp <= 0xFF19);
}

// True when `s` is valid UTF-8; *longest_run receives the longest run of adjacent digits.
bool ValidUtf8(std::string_view s, size_t* longest_run) {
  size_t run = 0;
  *longest_run = 0;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) return false;
    run = IsDigit(cp) ? run + 1 : 0;
    if (run > *longest_run) *longest_run = run;
    i += len;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::string out = nazar::ScrubPii(in);

  size_t out_run = 0;
  Check(ValidUtf8(out, &out_run));
  Check(out_run < 8);
  Check(out.size() <= 3 * in.size());
  size_t in_run = 0;
  if (ValidUtf8(in, &in_run) && in.find('@') == std::string_view::npos) {
    Check(out.size() * 10 <= in.size() * 13);
  }
  Check(nazar::ScrubPii(out) == out);
  return 0;
}
