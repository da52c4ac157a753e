#include "nexcage/core/text.hpp"

#include <gtest/gtest.h>

using nexcage::parse_u32;
using nexcage::trim;

TEST(Trim, BothEnds) {
  EXPECT_EQ(trim("  FROZEN\n"), "FROZEN");
  EXPECT_EQ(trim("\t a b \r\n"), "a b");
  EXPECT_EQ(trim("x"), "x");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \n\t\r"), "");
}

TEST(ParseU32, WholeDecimalNumbersOnly) {
  EXPECT_EQ(parse_u32("0"), 0u);
  EXPECT_EQ(parse_u32("100"), 100u);
  EXPECT_EQ(parse_u32("4294967295"), 4294967295u);
  EXPECT_EQ(parse_u32("007"), 7u);
  for (const char* bad : {"", "4294967296", "-1", "+1", " 1", "1 ", "1\n", "12abc", "0x10", "1.5"})
    EXPECT_EQ(parse_u32(bad), std::nullopt) << bad;
}
