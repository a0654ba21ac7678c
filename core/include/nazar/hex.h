// Hex digits and strings: colours (view.cc), and byte strings as the VDAF test vectors and the
// Prio3 ABI carry them.
#ifndef NAZAR_HEX_H_
#define NAZAR_HEX_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nazar/result.h"

namespace nazar {

// The value of a hex digit (either case), or -1 for any other character.
inline int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Two lowercase digits per byte: {0x0a, 0xff} -> "0aff".
std::string ToHex(const uint8_t* data, size_t size);
inline std::string ToHex(const std::vector<uint8_t>& bytes) {
  return ToHex(bytes.data(), bytes.size());
}

// The bytes of a string of hex digits (either case). An odd length fails with "an odd number of
// hex digits (3)", a character that is not a digit with "not a hex digit at offset 4" (the
// first one, counted in characters from 0); callers prefix where the string came from.
Result<std::vector<uint8_t>> FromHex(std::string_view text);

}  // namespace nazar

#endif  // NAZAR_HEX_H_
