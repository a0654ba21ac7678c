// nazar_vsnprintf: snprintf for integers, characters and strings only, in place of musl's
// printf_core with its floating-point formatting (about 4 KB brotli of the widget module).
#include "libc_snprintf.h"

#include <cstddef>
#include <cstdint>

namespace {

// Appends to the output while there is room, counting every character.
struct Out {
  char* buf;
  size_t size;
  size_t len = 0;
  void Put(char c) {
    if (len + 1 < size) buf[len] = c;
    ++len;
  }
  void Pad(char c, int n) {
    for (; n > 0; --n) Put(c);
  }
};

}  // namespace

extern "C" int nazar_vsnprintf(char* buf, size_t size, const char* format, va_list args) {
  Out out{buf, size};
  for (const char* p = format; *p != 0; ++p) {
    if (*p != '%') {
      out.Put(*p);
      continue;
    }
    ++p;
    bool left = false, zero = false, plus = false, space = false, alt = false;
    for (;; ++p) {
      if (*p == '-') {
        left = true;
      } else if (*p == '0') {
        zero = true;
      } else if (*p == '+') {
        plus = true;
      } else if (*p == ' ') {
        space = true;
      } else if (*p == '#') {
        alt = true;
      } else {
        break;
      }
    }
    int width = 0;
    if (*p == '*') {
      width = va_arg(args, int);
      if (width < 0) {
        left = true;
        width = -width;
      }
      ++p;
    } else {
      for (; *p >= '0' && *p <= '9'; ++p) width = width * 10 + (*p - '0');
    }
    int precision = -1;
    if (*p == '.') {
      ++p;
      precision = 0;
      if (*p == '*') {
        precision = va_arg(args, int);
        ++p;
      } else {
        for (; *p >= '0' && *p <= '9'; ++p) precision = precision * 10 + (*p - '0');
      }
    }
    int longs = 0;  // -2 hh, -1 h, 0 int, 1 long, 2 long long
    for (;; ++p) {
      if (*p == 'h') {
        --longs;
      } else if (*p == 'l' || *p == 'z' || *p == 'j' || *p == 't') {
        longs += *p == 'j' ? 2 : 1;  // size_t, ptrdiff_t and long are 32 bits in wasm32
      } else {
        break;
      }
    }
    const char conv = *p;
    if (conv == '%') {
      out.Put('%');
      continue;
    }
    if (conv == 'c' || conv == 's') {
      char c = 0;
      const char* s = &c;
      size_t n = 1;
      if (conv == 'c') {
        c = static_cast<char>(va_arg(args, int));
      } else {
        s = va_arg(args, const char*);
        if (s == nullptr) s = "(null)";
        for (n = 0; s[n] != 0 && (precision < 0 || n < static_cast<size_t>(precision)); ++n) {
        }
      }
      const int pad = width > static_cast<int>(n) ? width - static_cast<int>(n) : 0;
      if (!left) out.Pad(' ', pad);
      for (size_t i = 0; i < n; ++i) out.Put(s[i]);
      if (left) out.Pad(' ', pad);
      continue;
    }
    const bool is_signed = conv == 'd' || conv == 'i';
    unsigned base = 10;
    if (conv == 'x' || conv == 'X') {
      base = 16;
    } else if (conv == 'o') {
      base = 8;
    } else if (!is_signed && conv != 'u') {
      __builtin_trap();  // floating point, %p, %n: not supported (see libc_snprintf.h)
    }
    uint64_t v;
    bool negative = false;
    if (is_signed) {
      int64_t s = longs >= 2   ? va_arg(args, long long)
                  : longs == 1 ? va_arg(args, long)
                               : va_arg(args, int);
      if (longs == -1) s = static_cast<short>(s);
      if (longs <= -2) s = static_cast<signed char>(s);
      negative = s < 0;
      v = negative ? 0 - static_cast<uint64_t>(s) : static_cast<uint64_t>(s);
    } else {
      v = longs >= 2   ? va_arg(args, unsigned long long)
          : longs == 1 ? va_arg(args, unsigned long)
                       : va_arg(args, unsigned);
      if (longs == -1) v = static_cast<unsigned short>(v);
      if (longs <= -2) v = static_cast<unsigned char>(v);
    }
    char digits[24];
    int n = 0;
    const char* alphabet = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    for (uint64_t x = v; x != 0; x /= base) digits[n++] = alphabet[x % base];
    int min_digits = precision < 0 ? 1 : precision;
    if (alt && base == 8 && min_digits <= n) min_digits = n + 1;  // "%#o": a leading 0
    const char* prefix = negative ? "-" : is_signed && plus ? "+" : is_signed && space ? " " : "";
    if (alt && base == 16 && v != 0) prefix = conv == 'X' ? "0X" : "0x";
    int prefix_len = 0;
    while (prefix[prefix_len] != 0) ++prefix_len;
    const int body = (n > min_digits ? n : min_digits) + prefix_len;
    const int pad = width > body ? width - body : 0;
    if (!left && !(zero && precision < 0)) out.Pad(' ', pad);
    for (int i = 0; i < prefix_len; ++i) out.Put(prefix[i]);
    if (!left && zero && precision < 0) out.Pad('0', pad);
    out.Pad('0', min_digits - n);
    while (n > 0) out.Put(digits[--n]);
    if (left) out.Pad(' ', pad);
  }
  if (size > 0) buf[out.len < size ? out.len : size - 1] = 0;
  return static_cast<int>(out.len);
}

extern "C" int nazar_snprintf(char* buf, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int n = nazar_vsnprintf(buf, size, format, args);
  va_end(args);
  return n;
}

#ifdef NAZAR_WASM_REPLACE_SNPRINTF
// Replaces musl's snprintf and vsnprintf in the widget module only (wasm/CMakeLists.txt); the
// node module and the wasm core suite keep musl's, which report.cc needs for %f and %g.
extern "C" int snprintf(char* buf, size_t size, const char* format, ...) {
  va_list args;
  va_start(args, format);
  const int n = nazar_vsnprintf(buf, size, format, args);
  va_end(args);
  return n;
}
extern "C" int vsnprintf(char* buf, size_t size, const char* format, va_list args) {
  return nazar_vsnprintf(buf, size, format, args);
}
#endif
