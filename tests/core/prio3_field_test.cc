#include <gtest/gtest.h>

#include "nazar/prio3/field.h"
#include "nazar/prio3/flp.h"

namespace nazar::prio3 {
namespace {

TEST(Prio3FieldTest, Compiles) {
  EXPECT_EQ(Field64::FromUint64(2) * Field64::FromUint64(3), Field64::FromUint64(6));
  EXPECT_EQ(Field128::FromUint64(2) * Field128::FromUint64(3), Field128::FromUint64(6));
}

}  // namespace
}  // namespace nazar::prio3
