// exec: argv form, --process file, --detach with --pid-file, failures, with real runc and crun.
#include <algorithm>
#include <cstring>

#include "harness.hpp"

namespace e2e {

class Exec : public BackendTest {
 protected:
  // A running container to exec into.
  std::string running(const std::string& name) {
    auto b = ws.bundle(name, {"sleep", "300"});
    auto c = id(name);
    auto r = run(b, c, {"--detach"});
    EXPECT_EQ(r.code, 0) << r;
    return c;
  }
};

TEST_P(Exec, ForegroundReturnsTheExitCodeAndOutput) {
  auto c = running("exec");
  auto r = ws.nx({"exec", "--env", "GREETING=hi", "--cwd", "/tmp", c, "/bin/sh", "-c",
                  "echo $GREETING $(pwd); echo oops >&2; exit 4"});
  EXPECT_EQ(r.code, 4) << r;
  EXPECT_EQ(r.out, "hi /tmp\n");
  EXPECT_EQ(r.err, "oops\n");
  r = ws.nx({"exec", c, "/bin/true"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  // The container is unaffected.
  EXPECT_EQ(ws.state(c)["status"], "running");
}

TEST_P(Exec, UserAndStdin) {
  auto c = running("execu");
  auto r = ws.nx({"exec", "--user", "65534:65534", c, "/usr/bin/id"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "uid=65534(nobody) gid=65534(nogroup)\n");
  r = ws.nx({"exec", c, "/bin/sh", "-c", "read a; echo [$a]"}, std::string("typed\n"));
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "[typed]\n");
}

TEST_P(Exec, ProcessFile) {
  auto c = running("execp");
  auto process = ws.dir() / "process.json";
  write_file(process,
             R"({"args":["/bin/sh","-c","echo $X; /usr/bin/id -u; exit 6"],"cwd":"/",)"
             R"("env":["PATH=/bin","X=from-process-json"],"user":{"uid":65534,"gid":65534}})");
  auto r = ws.nx({"exec", "--process", process.string(), c});
  EXPECT_EQ(r.code, 6) << r;
  EXPECT_EQ(r.out, "from-process-json\n65534\n");
  // An invalid process file is refused before the backend runs, naming each problem's path.
  write_file(process, R"({"args":[],"cwd":"relative"})");
  r = ws.nx({"exec", "-p", process.string(), c});
  EXPECT_EQ(r.code, 255) << r;
  EXPECT_TRUE(contains(r.err, "args")) << r;
  EXPECT_TRUE(contains(r.err, "cwd")) << r;
  EXPECT_EQ(r.out, "");
}

// exec -p <(...): the process file is a pipe, readable once (runc reads it with os.Open).
TEST_P(Exec, ProcessFileFromAPipe) {
  auto c = running("execpipe");
  const std::string doc =
      R"({"args":["/bin/sh","-c","echo piped; exit 3"],"cwd":"/","env":["PATH=/bin"]})";
  auto through_pipe = [&](const std::vector<std::string>& flags) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    EXPECT_EQ(::write(fds[1], doc.data(), doc.size()), static_cast<ssize_t>(doc.size()));
    ::close(fds[1]);
    // What bash's <(...) hands over: a /dev/fd path, here to this process's read end.
    std::vector<std::string> args{"exec"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(),
                {"-p", "/proc/" + std::to_string(::getpid()) + "/fd/" + std::to_string(fds[0]), c});
    auto r = ws.nx(args);
    ::close(fds[0]);
    return r;
  };
  auto r = through_pipe({});
  EXPECT_EQ(r.code, 3) << r;
  EXPECT_EQ(r.out, "piped\n") << r;
  r = through_pipe({"--detach"});
  EXPECT_EQ(r.code, 0) << r;
  // The detached exec's private copy is gone; the foreground one's waits for the next sweep.
  std::size_t copies = 0;
  for (const auto& e : std::filesystem::directory_iterator(ws.root() / c))
    if (e.path().filename().string().rfind(".process-", 0) == 0) ++copies;
  EXPECT_LE(copies, 1u);
}

// runc's --cgroup is repeatable, one controller set each; nexcage passes every one on.
TEST_P(Exec, EveryCgroupFlagReachesRunc) {
  if (GetParam() != std::string("runc")) GTEST_SKIP() << "crun's exec takes one --cgroup PATH";
  auto c = running("execcg");
  std::string pid = std::to_string(ws.state(c)["pid"].get<int>());
  std::string cgroups = read_file("/proc/" + pid + "/cgroup");
  // v1 hierarchies of this host's hybrid layout; the sub-cgroups must exist, as for runc.
  std::vector<std::filesystem::path> made;
  for (const char* controller : {"pids", "blkio"}) {
    auto at = cgroups.find(std::string(":") + controller + ":");
    if (at == std::string::npos)
      GTEST_SKIP() << "no v1 " << controller << " hierarchy: " << cgroups;
    auto path = cgroups.substr(at + std::strlen(controller) + 2,
                               cgroups.find('\n', at) - at - std::strlen(controller) - 2);
    made.push_back(std::filesystem::path("/sys/fs/cgroup") / controller /
                   std::filesystem::path(path).relative_path() / "sub");
    std::filesystem::create_directories(made.back());
  }
  auto r = ws.nx(
      {"exec", "--cgroup", "pids:sub", "--cgroup", "blkio:sub", c, "cat", "/proc/self/cgroup"});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_TRUE(contains(r.out, ":pids:/")) << r;
  for (const char* controller : {"pids", "blkio"}) {
    auto at = r.out.find(std::string(":") + controller + ":");
    ASSERT_NE(at, std::string::npos) << r;
    EXPECT_EQ(r.out.substr(r.out.find('\n', at) - 4, 4), "/sub") << controller << ": " << r.out;
  }
  ws.nx({"delete", "--force", c});
  for (const auto& dir : made) ::rmdir(dir.c_str());
}

TEST_P(Exec, DetachWritesThePidFile) {
  auto c = running("execd");
  auto pid_file = ws.dir() / "exec.pid";
  auto r = ws.nx({"exec", "--detach", "--pid-file", pid_file.string(), c, "sleep", "299"});
  ASSERT_EQ(r.code, 0) << r;
  EXPECT_EQ(r.out, "");
  auto text = read_file(pid_file);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.find_first_not_of("0123456789"), std::string::npos)
      << "not just digits: \"" << text << "\"";
  // The pid file names the process as soon as it exists; it is `runc init` (or crun's child)
  // until it has exec'd the program, which on a loaded machine can take a moment.
  EXPECT_TRUE(eventually([&] {
    return read_file("/proc/" + text + "/cmdline") == std::string(
                                                          "sleep\0"
                                                          "299\0",
                                                          10);
  })) << read_file("/proc/" + text + "/cmdline");
  r = ws.nx({"ps", "--format", "json", c});
  ASSERT_EQ(r.code, 0) << r;
  auto pids = nlohmann::json::parse(r.out);
  EXPECT_NE(std::find(pids.begin(), pids.end(), std::stoi(text)), pids.end()) << r.out;
}

TEST_P(Exec, InAStoppedContainerFails) {
  auto b = ws.bundle("execstop", {"true"});
  auto c = id("execstop");
  ASSERT_EQ(create(b, c).code, 0);
  ASSERT_EQ(ws.nx({"start", c}).code, 0);
  ASSERT_TRUE(ws.wait_for_status(c, "stopped"));
  auto r = ws.nx({"exec", c, "true"});
  EXPECT_EQ(r.code, 255) << r;
  EXPECT_TRUE(contains(r.err, "cannot exec in a stopped container")) << r;
  EXPECT_EQ(r.out, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, Exec, ::testing::Values("runc", "crun"));

}  // namespace e2e
