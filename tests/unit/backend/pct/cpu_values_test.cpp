#include <cstdlib>

#include <gtest/gtest.h>

#include "nexcage/backend/pct/translate.hpp"

using namespace nexcage::backend::pct;

// Values from runc's formula (opencontainers/cgroups utils.go), computed independently.
TEST(CpuShares, MatchesRuncConversion) {
  EXPECT_EQ(cpu_shares_to_weight(0), 0u);  // unset stays unset
  EXPECT_EQ(cpu_shares_to_weight(1), 1u);
  EXPECT_EQ(cpu_shares_to_weight(2), 1u);
  EXPECT_EQ(cpu_shares_to_weight(3), 2u);
  EXPECT_EQ(cpu_shares_to_weight(10), 4u);
  EXPECT_EQ(cpu_shares_to_weight(100), 17u);
  EXPECT_EQ(cpu_shares_to_weight(512), 59u);
  EXPECT_EQ(cpu_shares_to_weight(1024), 100u);  // the default maps to the default
  EXPECT_EQ(cpu_shares_to_weight(2048), 174u);
  EXPECT_EQ(cpu_shares_to_weight(100000), 4340u);
  EXPECT_EQ(cpu_shares_to_weight(262143), 10000u);
  EXPECT_EQ(cpu_shares_to_weight(262144), 10000u);
  EXPECT_EQ(cpu_shares_to_weight(UINT64_MAX), 10000u);
}

namespace {
// What PVE does with the text: cpu.max quota = int(1e5 * value), in doubles.
uint64_t pve_reads(const std::string& text) {
  return static_cast<uint64_t>(1e5 * std::strtod(text.c_str(), nullptr));
}
std::string limit(uint64_t quota, uint64_t period) {
  uint64_t units = 0;
  auto text = cpulimit_text(quota, period, units);
  EXPECT_EQ(pve_reads(text), units) << text;
  return text;
}
}  // namespace

TEST(CpuLimit, PlainDecimals) {
  EXPECT_EQ(limit(50000, 100000), "0.5");
  EXPECT_EQ(limit(100000, 100000), "1");
  EXPECT_EQ(limit(150000, 100000), "1.5");
  EXPECT_EQ(limit(200000, 50000), "4");
  EXPECT_EQ(limit(819200000, 100000), "8192");
}

TEST(CpuLimit, RescalesOtherPeriodsRoundingUp) {
  EXPECT_EQ(limit(1, 3), "0.33334");  // ceil(33333.3) units
  EXPECT_EQ(limit(25000, 1000000), "0.025");
}

TEST(CpuLimit, AvoidsPerlTruncation) {
  // perl: int(1e5 * 0.29) == 28999; the sixth digit keeps PVE at 29000.
  EXPECT_EQ(limit(29000, 100000), "0.290005");
  EXPECT_EQ(limit(115000, 100000), "1.150005");
  EXPECT_EQ(limit(7000, 100000), "0.07");
}

TEST(CpuLimit, EveryUnitUpTo8CpusReadsBackExactly) {
  for (uint64_t units = 1000; units <= 800000; units += 7) {
    uint64_t got = 0;
    auto text = cpulimit_text(units, 100000, got);
    ASSERT_EQ(got, units);
    ASSERT_EQ(pve_reads(text), units) << text;
  }
}

TEST(CpuLimit, HugeQuotaDoesNotOverflow) {
  uint64_t units = 0;
  cpulimit_text(INT64_MAX / 2, INT64_MAX / 4, units);
  EXPECT_EQ(units, 200001u);  // just over 2 CPUs: rounding up, never wrapping
}
