// run: foreground (output, stdin, exit status, signals), --detach, --keep, with real runc and crun.
#include <csignal>
#include <thread>

#include "harness.hpp"

namespace e2e {

using RunCommand = BackendTest;

TEST_P(RunCommand, PassesOutputAndExitStatus) {
  auto ok = ws.bundle("ok", {"sh", "-c", "echo hello from $(hostname); echo to stderr >&2"});
  auto r = run(ok, id("ok"));
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "hello from e2e\n");
  EXPECT_EQ(r.err, "to stderr\n");
  auto three = ws.bundle("three", {"sh", "-c", "exit 3"});
  r = run(three, id("three"));
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(r.out, "");
  // Both were deleted afterwards: no --keep.
  EXPECT_TRUE(ws.ids().empty());
  EXPECT_FALSE(std::filesystem::exists(ws.backend_root(backend()) / id("ok")));
  // The id is free again.
  r = run(three, id("three"));
  EXPECT_EQ(r.code, 3) << r;
}

TEST_P(RunCommand, PassesStdinThrough) {
  auto b = ws.bundle("stdin", {"sh", "-c", "read line; echo got $line"});
  auto r = run(b, id("stdin"), {}, std::string("piped\n"));
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "got piped\n");
}

TEST_P(RunCommand, ExitsWith137WhenTheInitGetsSigkill) {
  auto b = ws.bundle("sigkill", {"sleep", "300"});
  auto c = id("sigkill");
  Result result;
  std::thread runner([&] { result = run(b, c); });
  bool running = ws.wait_for_status(c, "running");
  auto k = ws.nx({"kill", c, "9"});
  runner.join();
  ASSERT_TRUE(running);
  EXPECT_EQ(k.code, 0) << k;
  EXPECT_EQ(result.code, 137) << result;
  EXPECT_TRUE(ws.wait_for_status(c, "gone"));
}

TEST_P(RunCommand, ForwardsSignalsToTheInit) {
  auto b = ws.bundle("trap", {"sh", "-c", "trap 'exit 7' TERM; while :; do sleep 0.1; done"});
  auto c = id("trap");
  int pid = spawn_nexcage(ws.nx_args({"--backend", backend(), "run", "--bundle", b.string(), c}));
  ASSERT_TRUE(ws.wait_for_status(c, "running"));
  std::this_thread::sleep_for(300ms);  // let the shell install its trap
  ::kill(pid, SIGTERM);
  EXPECT_EQ(wait_child(pid), 7);
  EXPECT_TRUE(ws.wait_for_status(c, "gone"));
}

TEST_P(RunCommand, DetachLeavesARunningContainer) {
  auto b = ws.bundle("detach", {"sleep", "300"});
  auto c = id("detach");
  auto pid_file = ws.dir() / "run.pid";
  auto r = run(b, c, {"--detach", "--pid-file", pid_file.string()});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  auto st = ws.state(c);
  EXPECT_EQ(st["status"], "running");
  EXPECT_EQ(read_file(pid_file), std::to_string(st["pid"].get<int>()));
  EXPECT_TRUE(process_exists(st["pid"]));
}

// A foreground run's --pid-file is written even when the init ends before nexcage records it
// (runc writes it before the process runs); it raced about one run in ten.
TEST_P(RunCommand, PidFileIsWrittenWhenTheInitEndsAtOnce) {
  auto b = ws.bundle("quick", {"true"});
  auto pid_file = ws.dir() / "quick.pid";
  for (int i = 0; i < 20; ++i) {
    std::filesystem::remove(pid_file);
    auto c = id("quick" + std::to_string(i));
    auto r = run(b, c, {"--pid-file", pid_file.string()});
    ASSERT_EQ(r.code, 0) << r;
    ASSERT_TRUE(std::filesystem::exists(pid_file)) << "run " << i << " wrote no pid file";
    EXPECT_GT(std::stoi(read_file(pid_file)), 0);
  }
}

TEST_P(RunCommand, KeepLeavesAStoppedContainer) {
  auto b = ws.bundle("keep", {"sh", "-c", "sleep 0.2; exit 2"});
  auto c = id("keep");
  auto r = run(b, c, {"--keep"});
  ASSERT_EQ(r.code, 2) << r;
  auto st = ws.state(c);
  EXPECT_EQ(st["status"], "stopped");
  EXPECT_EQ(st["pid"], 0);
  EXPECT_EQ(ws.ids(), std::vector<std::string>{c});
  r = ws.nx({"delete", c});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(ws.ids().empty());
}

// An init that exits at once may be gone before nexcage has recorded it; the kept container
// must then read, and behave, as stopped all the same.
TEST_P(RunCommand, KeepOfAnInitThatExitsAtOnce) {
  auto b = ws.bundle("keep-true", {"true"});
  for (int i = 0; i < 10; ++i) {
    auto c = id("keep-true-" + std::to_string(i));
    auto r = run(b, c, {"--keep"});
    ASSERT_EQ(r.code, 0) << r;
    EXPECT_EQ(ws.state(c)["status"], "stopped") << c;
    r = ws.nx({"start", c});
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_TRUE(contains(r.err, "cannot start a container that has stopped")) << r;
    r = ws.nx({"kill", c, "KILL"});
    EXPECT_EQ(r.code, 1) << r;
    EXPECT_TRUE(contains(r.err, "container not running")) << r;
    r = ws.nx({"delete", c});
    EXPECT_EQ(r.code, 0) << r;
  }
  EXPECT_TRUE(ws.ids().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, RunCommand, ::testing::Values("runc", "crun"));

}  // namespace e2e
