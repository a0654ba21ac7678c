// Result<T>: reading the value of an error is a bug, and a debug build stops there instead of
// reading an empty optional (the wasm suite once caught a test doing that, which natively passed
// by luck).
#include "nazar/result.h"

#include <gtest/gtest.h>

#include <string>

namespace nazar {
namespace {

TEST(ResultTest, HoldsAValueOrAStatus) {
  Result<std::string> good(std::string("nps"));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, "nps");
  EXPECT_EQ(good->size(), 3u);

  Result<std::string> bad(Status(StatusCode::kNotFound, "no survey \"nps\""));
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "no survey \"nps\"");
}

#if !defined(NDEBUG) && GTEST_HAS_DEATH_TEST
TEST(ResultDeathTest, ReadingTheValueOfAnErrorStopsADebugBuild) {
  const Result<int> bad(Status(StatusCode::kInvalidArgument, "bad"));
  EXPECT_DEATH((void)bad.value(), "ok\\(\\)");
  EXPECT_DEATH((void)*bad, "ok\\(\\)");
  Result<std::string> moved(Status(StatusCode::kInvalidArgument, "bad"));
  EXPECT_DEATH((void)std::move(moved).value(), "ok\\(\\)");
}
#endif

}  // namespace
}  // namespace nazar
