#ifndef NAZAR_WASM_LIBC_STRTOD_H_
#define NAZAR_WASM_LIBC_STRTOD_H_

// A correctly rounded strtod without long double, linked into the wasm modules in place of
// musl's (whose floatscan pulls in 128-bit soft-float: about 7 KB gzip of the widget module).
// The wasm build defines `strtod` itself from it; native builds keep glibc's and only the test
// (tests/abi/libc_strtod_test.cc) calls nazar_strtod to compare the two.

#ifdef __cplusplus
extern "C" {
#endif

// strtod in the C locale for decimal input: leading white space, a sign, digits with an optional
// '.', an optional exponent, "inf"/"infinity"/"nan"/"nan(chars)" in any case. Rounds to nearest,
// ties to even, like glibc, for any number of digits; overflow gives +-HUGE_VAL, and it and a
// subnormal or zero result from nonzero digits set errno to ERANGE. Hexadecimal floats ("0x1p3")
// are not read: they parse as the "0" before the "x" (nlohmann's lexer, its only caller, never
// passes one).
double nazar_strtod(const char* text, char** end);

#ifdef __cplusplus
}
#endif

#endif  // NAZAR_WASM_LIBC_STRTOD_H_
