// update_options(): an OCI resources document -> `pct set` options, and what it refuses.
#include <gtest/gtest.h>

#include "nexcage/backend/pct/translate.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::backend::pct;
using nexcage::Error;
using nexcage::ErrorKind;
using nlohmann::json;
using Argv = std::vector<std::string>;

namespace {

Argv update(const std::string& resources) {
  return update_options(json::parse(resources));
}

// The Error thrown for `resources`, with its kind checked.
std::string refusal(const std::string& resources, ErrorKind kind = ErrorKind::invalid_input) {
  try {
    auto argv = update(resources);
    std::string text;
    for (const auto& a : argv) text += a + " ";
    ADD_FAILURE() << resources << " accepted: " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    return e.what();
  }
  return {};
}

bool contains(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

}  // namespace

TEST(PctUpdateOptions, MemoryLimitInMiB) {
  // Without memory.swap the container keeps the swap it has: no --swap.
  EXPECT_EQ(update(R"({"memory": {"limit": 67108864}})"), (Argv{"--memory", "64"}));
  // Bytes round up to the next MiB.
  EXPECT_EQ(update(R"({"memory": {"limit": 67108865}})"), (Argv{"--memory", "65"}));
}

TEST(PctUpdateOptions, MemoryWithSwap) {
  // OCI's swap is memory+swap: 128 MiB total over a 64 MiB limit is 64 MiB of swap.
  EXPECT_EQ(update(R"({"memory": {"limit": 67108864, "swap": 134217728}})"),
            (Argv{"--memory", "64", "--swap", "64"}));
}

TEST(PctUpdateOptions, CpuQuotaAndPeriod) {
  EXPECT_EQ(update(R"({"cpu": {"quota": 50000, "period": 100000}})"), (Argv{"--cpulimit", "0.5"}));
  EXPECT_EQ(update(R"({"cpu": {"quota": 150000, "period": 100000}})"), (Argv{"--cpulimit", "1.5"}));
  EXPECT_EQ(update(R"({"cpu": {"quota": 200000, "period": 100000}})"), (Argv{"--cpulimit", "2"}));
  // The period defaults to 100000 µs.
  EXPECT_EQ(update(R"({"cpu": {"quota": 25000}})"), (Argv{"--cpulimit", "0.25"}));
}

TEST(PctUpdateOptions, CpuShares) {
  EXPECT_EQ(update(R"({"cpu": {"shares": 1024}})"), (Argv{"--cpuunits", "100"}));
  EXPECT_EQ(update(R"({"cpu": {"shares": 512}})"), (Argv{"--cpuunits", "59"}));
}

TEST(PctUpdateOptions, MemoryAndCpuTogetherInOrder) {
  EXPECT_EQ(update(R"({"cpu": {"shares": 2048, "quota": 50000, "period": 100000},
                       "memory": {"limit": 268435456}})"),
            (Argv{"--memory", "256", "--cpulimit", "0.5", "--cpuunits", "174"}));
}

TEST(PctUpdateOptions, UnlimitedMemoryOrSwapIsRefusedNotDefaulted) {
  EXPECT_TRUE(
      contains(refusal(R"({"memory": {"limit": -1}})"), "linux.resources.memory.limit: -1"));
  EXPECT_TRUE(contains(refusal(R"({"memory": {"limit": 67108864, "swap": -1}})"),
                       "linux.resources.memory.swap: -1"));
}

TEST(PctUpdateOptions, PidsLimitIsRefusedNamingTheField) {
  auto message = refusal(R"({"pids": {"limit": 100}})");
  EXPECT_TRUE(contains(message,
                       "linux.resources.pids.limit: cannot be changed on a running pct "
                       "container"))
      << message;
  // Refused even next to something that could be changed.
  message = refusal(R"({"memory": {"limit": 67108864}, "pids": {"limit": 100}})");
  EXPECT_TRUE(contains(message, "linux.resources.pids.limit")) << message;
}

TEST(PctUpdateOptions, BlockIoWeightIsRefused) {
  auto message = refusal(R"({"blockIO": {"weight": 500}})");
  EXPECT_TRUE(contains(message, "linux.resources.blockIO: cannot be changed")) << message;
}

TEST(PctUpdateOptions, EmptyObjectIsNothingToUpdate) {
  auto message = refusal("{}", ErrorKind::usage);
  EXPECT_EQ(message.rfind("nothing to update", 0), 0u) << message;
}

TEST(PctUpdateOptions, SwapWithoutLimitIsRefused) {
  auto message = refusal(R"({"memory": {"swap": 134217728}})");
  EXPECT_TRUE(contains(message,
                       "linux.resources.memory.swap: can only be changed together with "
                       "memory.limit"))
      << message;
}

TEST(PctUpdateOptions, SwapBelowLimitIsRefused) {
  auto message = refusal(R"({"memory": {"limit": 134217728, "swap": 67108864}})");
  EXPECT_TRUE(contains(message,
                       "linux.resources.memory.swap: memory+swap total 67108864 is below "
                       "memory.limit 134217728"))
      << message;
}

TEST(PctUpdateOptions, TooSmallMemoryOrCpuIsRefused) {
  auto memory = refusal(R"({"memory": {"limit": 1048576}})");
  EXPECT_TRUE(contains(memory, "linux.resources.memory.limit")) << memory;
  EXPECT_TRUE(contains(memory, "below 16 MiB")) << memory;
  auto cpu = refusal(R"({"cpu": {"quota": 500, "period": 100000}})");
  EXPECT_TRUE(contains(cpu, "linux.resources.cpu.quota")) << cpu;
  EXPECT_TRUE(contains(cpu, "below 0.01 CPU")) << cpu;
}

TEST(PctUpdateOptions, RawOnlyFieldsCannotChangeOnARunningContainer) {
  // cpuset.cpus is a raw lxc.cgroup2 line at create time; update cannot write it.
  auto message = refusal(R"({"cpu": {"cpus": "0-1"}})");
  EXPECT_TRUE(contains(message,
                       "lxc.cgroup2.cpuset.cpus cannot be changed on a running pct "
                       "container"))
      << message;
}

TEST(PctUpdateOptions, NotAnObjectOrWrongTypesAreRefused) {
  auto message = refusal(R"([1, 2])");
  EXPECT_TRUE(contains(message, "linux.resources")) << message;
  message = refusal(R"({"memory": {"limit": "64M"}})");
  EXPECT_TRUE(contains(message, "linux.resources.memory.limit")) << message;
}
