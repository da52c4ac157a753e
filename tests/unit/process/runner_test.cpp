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

// sd_listen_fds(3): LISTEN_PID must name the process holding the sockets, which posix_spawn
// cannot know; the preserved fds stay open and nothing else does.
TEST(Runner, GivesTheChildItsOwnPidAndKeepsThePreservedFds) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  int spare = open("/dev/null", O_RDONLY);  // not CLOEXEC, above the preserved range
  ASSERT_GE(spare, 3);
  int preserved = fds[0] - 3 + 1;  // 3 .. fds[0]
  auto cmd =
      busybox({"sh", "-c",
               "test \"$LISTEN_PID\" = \"$$\" && test -e /proc/self/fd/" + std::to_string(fds[0]) +
                   " && ! test -e /proc/self/fd/" + std::to_string(spare)});
  cmd.env = {"PATH=/bin", "LISTEN_PID=1", "LISTEN_FDS=1"};
  cmd.preserve_fds = preserved;
  cmd.pid_env = "LISTEN_PID";
  EXPECT_EQ(system_runner().inherit(cmd).code(), 0);
  EXPECT_THROW(system_runner().capture(cmd), nexcage::Error) << "capture cannot carry a pid_env";
  auto missing = cmd;
  missing.path = "/no/such/binary";
  EXPECT_THROW(system_runner().spawn(missing), nexcage::Error);
  close(fds[0]);
  close(fds[1]);
  close(spare);
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
