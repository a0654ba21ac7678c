// Private to the importer and the mapping proposal: a streaming UTF-16 -> UTF-8 transcoder.
// Chunks may split a code unit (an odd byte) or a surrogate pair anywhere; both are carried to
// the next Feed(). A lone surrogate (a high one not followed by a low one, or a low one alone)
// is an error naming the line it is on.
#ifndef NAZAR_SRC_IMPORT_UTF16_H_
#define NAZAR_SRC_IMPORT_UTF16_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "nazar/import.h"
#include "nazar/result.h"

namespace nazar::import_internal {

class Utf16Decoder {
 public:
  explicit Utf16Decoder(bool big_endian) : big_endian_(big_endian) {}

  // Appends the UTF-8 of the complete code points in `bytes` (plus what was carried) to `out`.
  // False on a lone surrogate: `out` then holds the text before it and error() says where.
  bool Feed(std::string_view bytes, std::string* out);
  // Ends the input: false when it stops inside a code unit or after a high surrogate.
  bool Finish();
  // "invalid UTF-16: ..." for the first error.
  const std::string& error() const { return error_; }
  // 1-based line (counted by line feeds) of the error.
  int64_t error_line() const { return line_; }

 private:
  bool Fail(const std::string& what);

  bool big_endian_;
  bool has_byte_ = false;
  uint8_t byte_ = 0;
  uint16_t high_ = 0;  // a pending high surrogate, 0 when none
  int64_t line_ = 1;
  std::string error_;
};

// The first bytes of a file as the importer reads them (import.cc): the BOM decides the encoding
// (EF BB BF UTF-8, FF FE UTF-16LE, FE FF UTF-16BE, none UTF-8), which `*encoding` tells; the text
// comes back in UTF-8 without its BOM. `final`: `head` is the whole file (else a code unit or a
// surrogate pair cut at its end is dropped). Error (kInvalidArgument): "line N: invalid UTF-16:
// ...".
Result<std::string> DecodeHead(std::string_view head, bool final, TextEncoding* encoding);

}  // namespace nazar::import_internal

#endif  // NAZAR_SRC_IMPORT_UTF16_H_
