#ifndef NAZAR_WASM_LIBC_SNPRINTF_H_
#define NAZAR_WASM_LIBC_SNPRINTF_H_

#include <stdarg.h>
#include <stddef.h>

// snprintf without floating point for the widget module, whose only callers are date.cc's
// "%04d-%02d-%02d" (and its week and month forms) and nlohmann's lexer ("<U+%.4X>"): musl's
// printf_core with fmt_fp is about 4 KB brotli. Natively only the test calls these, to compare
// them with glibc.

#ifdef __cplusplus
extern "C" {
#endif

// vsnprintf for %d %i %u %x %X %o %c %s %% with the flags "-0+ #", a width and a precision
// (digits or '*') and the lengths hh h l ll z j t, exactly as C says. Any other conversion
// (%f %e %g %a %p %n) traps: a module that needs one must keep libc's snprintf.
int nazar_vsnprintf(char* buf, size_t size, const char* format, va_list args);

// snprintf over nazar_vsnprintf.
int nazar_snprintf(char* buf, size_t size, const char* format, ...);

#ifdef __cplusplus
}
#endif

#endif  // NAZAR_WASM_LIBC_SNPRINTF_H_
