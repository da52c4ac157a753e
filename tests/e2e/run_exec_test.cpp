// run (foreground and detached) and exec (argv, --process, detached), with real runc and crun.
#include <sys/wait.h>

#include <fstream>
#include <thread>

#include "harness.hpp"

namespace e2e {

using RunExec = BackendTest;

TEST_P(RunExec, RunPropagatesOutputAndExitCodes) {
  auto ok = ws.bundle("ok", {"sh", "-c", "echo hello from $(hostname)"});
  auto r = ws.nx({"--backend", backend(), "run", "--bundle", ok.string(), id("ok")});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "hello from e2e\n");
  auto three = ws.bundle("three", {"sh", "-c", "exit 3"});
  EXPECT_EQ(ws.nx({"--backend", backend(), "run", "--bundle", three.string(), id("three")}).code, 3);
  // Deleted afterwards unless --keep.
  EXPECT_EQ(ws.nx({"list", "-q"}).out, "");
}

TEST_P(RunExec, RunPassesStdinThrough) {
  auto b = ws.bundle("stdin", {"sh", "-c", "read line; echo got $line"});
  auto r = ws.nx({"--backend", backend(), "run", "--bundle", b.string(), id("stdin")}, std::string("piped\n"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "got piped\n");
}

TEST_P(RunExec, RunKeepLeavesAStoppedContainer) {
  auto b = ws.bundle("keep", {"true"});
  auto c = id("keep");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "--keep", "--bundle", b.string(), c}).code, 0);
  EXPECT_EQ(ws.state(c)["status"], "stopped");
  EXPECT_EQ(ws.nx({"delete", c}).code, 0);
}

TEST_P(RunExec, RunReports137WhenTheInitIsKilled) {
  auto b = ws.bundle("sigkill", {"sleep", "300"});
  auto c = id("sigkill");
  Result result;
  std::thread runner([&] { result = ws.nx({"--backend", backend(), "run", "--bundle", b.string(), c}); });
  bool running = ws.wait_for_status(c, "running");
  auto k = ws.nx({"kill", c, "9"});
  runner.join();
  ASSERT_TRUE(running);
  EXPECT_EQ(k.code, 0) << k.err;
  EXPECT_EQ(result.code, 137) << result.err;
  EXPECT_TRUE(ws.wait_for_status(c, "gone"));
}

TEST_P(RunExec, RunForwardsSignals) {
  auto b = ws.bundle("trap", {"sh", "-c", "trap 'echo got TERM; exit 7' TERM; while :; do sleep 0.1; done"});
  auto c = id("trap");
  int pid = spawn_nexcage({"--root", ws.root().string(), "--config", ws.config().string(), "--backend",
                           backend(), "run", "--bundle", b.string(), c});
  ASSERT_TRUE(ws.wait_for_status(c, "running"));
  usleep(300000);  // let the shell install its trap
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

TEST_P(RunExec, ExecArgvFormForeground) {
  auto b = ws.bundle("exec", {"sleep", "300"});
  auto c = id("exec");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "-d", "--bundle", b.string(), c}).code, 0);
  auto r = ws.nx({"exec", "--env", "GREETING=hi", "--cwd", "/tmp", c, "/bin/sh", "-c", "echo $GREETING $(pwd); exit 4"});
  EXPECT_EQ(r.code, 4) << r.err;
  EXPECT_EQ(r.out, "hi /tmp\n");
}

TEST_P(RunExec, ExecProcessFile) {
  auto b = ws.bundle("execp", {"sleep", "300"});
  auto c = id("execp");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "-d", "--bundle", b.string(), c}).code, 0);
  auto process = ws.dir() / "process.json";
  std::ofstream(process) << R"({"args":["/bin/sh","-c","echo $X; /usr/bin/id -u"],"cwd":"/","env":["X=from-process-json"],"user":{"uid":65534,"gid":65534}})";
  auto r = ws.nx({"exec", "--process", process.string(), c});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "from-process-json\n65534\n");
  // A process file that is invalid is refused before the backend runs, with exec's exit code.
  std::ofstream(process, std::ios::trunc) << R"({"args":[],"cwd":"relative"})";
  r = ws.nx({"exec", "--process", process.string(), c});
  EXPECT_EQ(r.code, 255);
  EXPECT_NE(r.err.find("args: must name the program to run"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cwd: must be an absolute path"), std::string::npos) << r.err;
}

TEST_P(RunExec, ExecDetachedWritesThePidFile) {
  auto b = ws.bundle("execd", {"sleep", "300"});
  auto c = id("execd");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "-d", "--bundle", b.string(), c}).code, 0);
  auto pid_file = ws.dir() / "exec.pid";
  auto r = ws.nx({"exec", "--detach", "--pid-file", pid_file.string(), c, "sleep", "299"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  auto text = read_file(pid_file);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.find('\n'), std::string::npos);
  EXPECT_EQ(read_file("/proc/" + text + "/cmdline"), std::string("sleep\0" "299\0", 10));
  auto pids = nlohmann::json::parse(ws.nx({"ps", "--format", "json", c}).out);
  EXPECT_NE(std::find(pids.begin(), pids.end(), std::stoi(text)), pids.end()) << pids.dump();
}

TEST_P(RunExec, ExecOnAStoppedContainerFails) {
  auto b = ws.bundle("execstop", {"true"});
  auto c = id("execstop");
  ASSERT_EQ(ws.nx({"--backend", backend(), "run", "--keep", "--bundle", b.string(), c}).code, 0);
  auto r = ws.nx({"exec", c, "true"});
  EXPECT_EQ(r.code, 255);
  EXPECT_NE(r.err.find("cannot exec in a stopped container"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, RunExec, ::testing::Values("runc", "crun"));

}  // namespace e2e
