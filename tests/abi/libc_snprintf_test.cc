// nazar_snprintf (wasm/libc_snprintf.cc), the widget module's snprintf: hand-worked strings,
// and natively a comparison with glibc's snprintf over random integer formats.
#include "libc_snprintf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>

namespace {

TEST(LibcSnprintf, HandWorked) {
  char buf[32];
  EXPECT_EQ(nazar_snprintf(buf, sizeof buf, "\\u%04x", 0x1f), 6);
  EXPECT_STREQ(buf, "\\u001f");
  nazar_snprintf(buf, sizeof buf, "<U+%.4X>", 0xab);
  EXPECT_STREQ(buf, "<U+00AB>");
  nazar_snprintf(buf, sizeof buf, "%04d|%-4d|%+d|%lld", -5, 7, 3, -9000000000LL);
  EXPECT_STREQ(buf, "-005|7   |+3|-9000000000");
  EXPECT_EQ(nazar_snprintf(buf, 4, "%s", "abcdef"), 6);  // truncated, full length returned
  EXPECT_STREQ(buf, "abc");
}

// glibc is the reference, so this comparison exists only in the native suite (not skipped
// under wasm: not compiled there).
#ifndef __EMSCRIPTEN__
TEST(LibcSnprintf, AgreesWithGlibc) {
  const char* kConversions[] = {"d", "i", "u", "x", "X", "o"};
  const char* kLengths[] = {"", "hh", "h", "l", "ll", "z", "j"};
  std::mt19937_64 rng(5);
  int failures = 0;
  for (int i = 0; i < 100000; ++i) {
    std::string format = "<%";
    for (char flag : std::string("-0+ #")) {
      if (rng() % 4 == 0) format += flag;
    }
    if (rng() % 2) format += std::to_string(rng() % 12);
    if (rng() % 2) format += "." + std::to_string(rng() % 8);
    format += kLengths[rng() % 7];
    format += kConversions[rng() % 6];
    format += ">";
    long long v = static_cast<long long>(rng());
    if (rng() % 3 == 0) v %= 1000;
    if (rng() % 5 == 0) v = 0;
    const size_t size = rng() % 4 == 0 ? rng() % 10 : 64;
    char want[64] = "", got[64] = "";
    const int want_n = std::snprintf(want, size, format.c_str(), v);
    const int got_n = nazar_snprintf(got, size, format.c_str(), v);
    if (want_n != got_n || std::string(want) != got) {
      if (++failures <= 10) ADD_FAILURE() << format << " " << v << ": " << want << " / " << got;
    }
  }
  EXPECT_EQ(failures, 0);
}
#endif  // __EMSCRIPTEN__

}  // namespace
