// nazar/hex.h: hex digits and strings of byte strings, with errors that say where (the ABI's and
// the test-vector runner's messages are built on them).
#include "nazar/hex.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace nazar {
namespace {

TEST(HexTest, DigitsOfEitherCase) {
  EXPECT_EQ(HexDigit('0'), 0);
  EXPECT_EQ(HexDigit('9'), 9);
  EXPECT_EQ(HexDigit('a'), 10);
  EXPECT_EQ(HexDigit('F'), 15);
  EXPECT_EQ(HexDigit('g'), -1);
  EXPECT_EQ(HexDigit('/'), -1);  // just below '0'
  EXPECT_EQ(HexDigit(':'), -1);  // just above '9'
}

TEST(HexTest, EncodesTwoLowercaseDigitsPerByte) {
  EXPECT_EQ(ToHex(std::vector<uint8_t>{0x0a, 0xff, 0x00, 0x9b}), "0aff009b");
  EXPECT_EQ(ToHex(std::vector<uint8_t>{}), "");
}

TEST(HexTest, DecodesEitherCase) {
  auto bytes = FromHex("0aFf009B");
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{0x0a, 0xff, 0x00, 0x9b}));
  auto empty = FromHex("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(HexTest, NamesAnOddLengthAndTheFirstBadDigit) {
  auto odd = FromHex("abc");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().message(), "an odd number of hex digits (3)");
  auto high = FromHex("00g1");  // the high digit of the second byte
  ASSERT_FALSE(high.ok());
  EXPECT_EQ(high.status().message(), "not a hex digit at offset 2");
  auto low = FromHex("000x");  // the low digit of the second byte
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.status().message(), "not a hex digit at offset 3");
  auto both = FromHex("ab G@0");  // the space at 2 comes before the G and the @
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().message(), "not a hex digit at offset 2");
}

}  // namespace
}  // namespace nazar
