#include "nexcage/process/runner.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "nexcage/core/error.hpp"

using namespace nexcage::process;

namespace {
Command busybox(std::vector<std::string> args) {
  Command c;
  c.path = "/bin/busybox";
  c.argv = {"busybox"};
  c.argv.insert(c.argv.end(), args.begin(), args.end());
  c.env = {"PATH=/bin"};
  return c;
}
}  // namespace

TEST(Runner, CapturesOutputAndStatus) {
  auto r = system_runner().capture(busybox({"sh", "-c", "echo out; echo err >&2; exit 3"}));
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.exit.code(), 3);
  EXPECT_TRUE(r.exit.exited());
}

TEST(Runner, FeedsStdin) {
  auto cmd = busybox({"cat"});
  cmd.stdin_data = std::string(200000, 'x');  // more than a pipe buffer: no deadlock
  auto r = system_runner().capture(cmd);
  EXPECT_EQ(r.out, *cmd.stdin_data);
}

TEST(Runner, UsesTheGivenEnvironmentOnly) {
  auto cmd = busybox({"env"});
  cmd.env = {"ONLY=this", "AND=that"};
  EXPECT_EQ(system_runner().capture(cmd).out, "ONLY=this\nAND=that\n");
}

TEST(Runner, ReportsSignalDeathAs128PlusSignal) {
  auto r = system_runner().capture(busybox({"sh", "-c", "kill -9 $$"}));
  EXPECT_TRUE(r.exit.signaled());
  EXPECT_EQ(r.exit.signal(), 9);
  EXPECT_EQ(r.exit.code(), 137);
}

TEST(Runner, ClosesEveryFdButThePreservedOnes) {
  int leaked = open("/dev/null", O_RDONLY);  // not CLOEXEC on purpose
  ASSERT_GE(leaked, 3);
  auto r = system_runner().capture(busybox({"ls", "/proc/self/fd"}));
  EXPECT_EQ(r.out, "0\n1\n2\n3\n");  // 3 is ls's own directory fd
  close(leaked);
}

TEST(Runner, RefusesRelativePaths) {
  Command c;
  c.path = "busybox";
  c.argv = {"busybox"};
  EXPECT_THROW(system_runner().capture(c), nexcage::Error);
}

TEST(Runner, DescribeQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(describe({"runc", "--root", "/run/x", "a b", "it's", ""}),
            "runc --root /run/x 'a b' 'it'\\''s' ''");
}
