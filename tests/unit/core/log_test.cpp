#include "nexcage/core/log.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../temp_dir.hpp"
#include "nexcage/core/clock.hpp"
#include "nexcage/core/container_id.hpp"

#include <fstream>
#include <iterator>

using namespace nexcage;

TEST(LogFormat, JsonLineIsWhatContainerdDecodes) {
  auto line = log::format_line(log::Format::json, "error", "container \"x\" does not exist",
                               "2026-11-22T08:01:49Z");
  EXPECT_EQ(
      line,
      R"({"level":"error","msg":"container \"x\" does not exist","time":"2026-11-22T08:01:49Z"})");
  auto doc = nlohmann::json::parse(line);
  EXPECT_EQ(doc["msg"], "container \"x\" does not exist");
}

TEST(LogFormat, TextLineIsLogrusStyle) {
  EXPECT_EQ(log::format_line(log::Format::text, "error", "boom", "2026-11-22T08:01:49Z"),
            R"(time="2026-11-22T08:01:49Z" level=error msg="boom")");
}

TEST(LogFormat, InvalidUtf8NeverThrows) {
  auto line = log::format_line(log::Format::json, "error", std::string("bad \xff byte"), "t");
  EXPECT_TRUE(nlohmann::json::accept(line));
}

TEST(Clock, Rfc3339Formats) {
  timespec ts{1795334453, 575759158};
  EXPECT_EQ(rfc3339_nano(ts), "2026-11-22T08:00:53.575759158Z");
  EXPECT_EQ(rfc3339_seconds(ts), "2026-11-22T08:00:53Z");
  timespec small{0, 5};
  EXPECT_EQ(rfc3339_nano(small), "1970-01-01T00:00:00.000000005Z");
}

TEST(ContainerId, RuncAndCrunRules) {
  for (const char* ok : {"a", "c1", "A-b_c.d+e", "0123456789abcdef"})
    EXPECT_TRUE(is_valid_container_id(ok)) << ok;
  for (const char* bad : {"", ".", "..", ".a", "a/b", "a b", "a:b", "ä", "a\n"})
    EXPECT_FALSE(is_valid_container_id(bad)) << bad;
  EXPECT_TRUE(is_valid_container_id(std::string(255, 'a')));
  EXPECT_FALSE(is_valid_container_id(std::string(256, 'a')));
}

namespace {
std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST(LogRelay, JsonLogGetsTheBackendsLineByteForByte) {
  nexcage::testing_support::TempDir dir("relay");
  auto file = dir.path() / "log.json";
  log::init({file.string(), log::Format::json, log::Level::warning, false});
  const std::string crun_line =
      R"({"msg":"cannot open directory","level":"error","time":"2026-11-22T15:42:40.565947Z"})";
  const std::string warning =
      R"({"level":"warning","msg":"cgroup not empty","time":"2026-11-22T15:42:40Z"})";
  EXPECT_TRUE(log::relay(log::parse_backend_line(warning), true));
  EXPECT_TRUE(log::relay(log::parse_backend_line(crun_line), false));
  EXPECT_FALSE(log::relay(log::parse_backend_line(R"({"level":"debug","msg":"noise"})"), true))
      << "debug lines need --debug";
  EXPECT_FALSE(log::relay(log::parse_backend_line("not json"), true));
  log::init({});
  EXPECT_EQ(slurp(file), warning + "\n" + crun_line + "\n");
}

TEST(LogRelay, TextLogGetsLogrusTextWithTheBackendsFields) {
  nexcage::testing_support::TempDir dir("relay");
  auto file = dir.path() / "log.txt";
  log::init({file.string(), log::Format::text, log::Level::warning, false});
  EXPECT_TRUE(log::relay(
      log::parse_backend_line(
          R"({"error":"rmdir /x: busy","level":"error","msg":"Failed to remove cgroup","time":"2026-11-22T15:42:40Z"})"),
      true));
  log::init({});
  EXPECT_EQ(slurp(file),
            "time=\"2026-11-22T15:42:40Z\" level=error msg=\"Failed to remove cgroup\" "
            "error=\"rmdir /x: busy\"\n");
}
