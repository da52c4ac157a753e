// pct containers driven the way containerd's shim and conmon drive a runtime: the caller is a
// subreaper, gives `create` its stdio, and learns that the container ended only by reaping the
// pid `create` reported (docs/backends/pct.md, "Callers that wait for a pid"). And the other
// side: Proxmox starting the container again with no nexcage involved.
#include <sys/prctl.h>

#include "pct_fixture.hpp"

namespace e2e {
namespace {

class PctCallerTest : public PctTest {
 protected:
  void SetUp() override {
    PctTest::SetUp();
    if (IsSkipped()) return;
    // As containerd's shim: orphans below us (nexcage-monitor, once create exits) become ours.
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
  }
  void TearDown() override {
    PctTest::TearDown();
    ::prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }

  // `create` as a shim runs it: stdio on files, --pid-file; returns the reported pid.
  int create_as_caller(const std::string& id, const fsys::path& bundle,
                       const std::string& input = "") {
    write_file(in(id), input);
    auto pid_file = ws.dir() / (id + ".pid");
    int creator = spawn_nexcage_with_files(
        ws.nx_args({"create", "--bundle", bundle.string(), "--pid-file", pid_file.string(), id}),
        in(id), out(id), err(id));
    int code = wait_child(creator);
    if (code != 0) {
      ADD_FAILURE() << "create exited " << code << ": " << read_file(err(id));
      return 0;
    }
    return std::stoi(read_file(pid_file));
  }

  // Waits for our child `pid` like a shim's reaper; -1 when it is still running after `timeout`.
  static int reap(int pid, std::chrono::milliseconds timeout = 20s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      pid_t got = ::waitpid(pid, &status, WNOHANG);
      if (got == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      if (got < 0) return -2;
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }

  fsys::path in(const std::string& id) const { return ws.dir() / (id + ".in"); }
  fsys::path out(const std::string& id) const { return ws.dir() / (id + ".out"); }
  fsys::path err(const std::string& id) const { return ws.dir() / (id + ".err"); }
};

TEST_F(PctCallerTest, TheReportedPidIsTheCallersChildAndEndsWithTheExitStatus) {
  auto b =
      bundle("status",
             {"sh", "-c", "echo out $GREETING; echo err >&2; read line; echo got $line; exit 5"});
  int pid = create_as_caller("status", b, "from the caller\n");
  ASSERT_GT(pid, 0);
  ASSERT_TRUE(nexcage::process::read_proc_stat(pid).has_value());
  EXPECT_EQ(nexcage::process::read_proc_stat(pid)->ppid, ::getpid())
      << "a subreaper inherits the reported pid";
  EXPECT_EQ(ws.state("status").value("pid", 0), pid);
  EXPECT_EQ(ws.state("status").value("status", ""), "created");
  EXPECT_EQ(read_file(out("status")), "") << "nothing runs before start";

  ASSERT_EQ(ws.nx({"start", "status"}).code, 0);
  EXPECT_EQ(reap(pid), 5);
  // The process wrote to the caller's own files: everything is there at exit.
  EXPECT_EQ(read_file(out("status")), "out hello pct\ngot from the caller\n");
  // After whatever nexcage itself said on the caller's stderr (a warning here).
  auto err_text = read_file(err("status"));
  EXPECT_TRUE(err_text.ends_with("\nerr\n") || err_text == "err\n") << err_text;
  EXPECT_TRUE(ws.wait_for_status("status", "stopped"));
  uint32_t vmid = vmid_of("status");
  ASSERT_EQ(ws.nx({"delete", "status"}).code, 0);
  expect_nothing_left(vmid);
}

TEST_F(PctCallerTest, AProcessOfAnotherUserGetsTheCallersStdioToo) {
  // LXC runs the init as process.user: the socket must be that user's, not the container root's.
  auto b = bundle("user", {"sh", "-c", "echo uid $(id -u)"}, [](nlohmann::json& spec) {
    spec["process"]["user"] = {{"uid", 1000}, {"gid", 1000}};
  });
  int pid = create_as_caller("user", b);
  ASSERT_GT(pid, 0);
  ASSERT_EQ(ws.nx({"start", "user"}).code, 0);
  EXPECT_EQ(reap(pid), 0);
  EXPECT_EQ(read_file(out("user")), "uid 1000\n");
  ASSERT_EQ(ws.nx({"delete", "user"}).code, 0);
}

TEST_F(PctCallerTest, SignalsToTheReportedPidReachTheApplicationAndKillEndsIt) {
  auto b = bundle(
      "sig",
      {"sh", "-c", "trap 'echo term; exit 3' TERM; echo ready; while true; do sleep 0.1; done"});
  int pid = create_as_caller("sig", b);
  ASSERT_GT(pid, 0);
  ASSERT_EQ(ws.nx({"start", "sig"}).code, 0);
  ASSERT_TRUE(eventually([&] { return contains(read_file(out("sig")), "ready"); }));
  // conmon and the shim may signal the pid they hold: the application gets it.
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  EXPECT_EQ(reap(pid), 3);
  EXPECT_EQ(read_file(out("sig")), "ready\nterm\n");
  ASSERT_EQ(ws.nx({"delete", "sig"}).code, 0);

  // `kill KILL` is Proxmox's hard stop: the caller sees 128+9.
  int again = create_as_caller("sig", b);
  ASSERT_GT(again, 0);
  ASSERT_EQ(ws.nx({"start", "sig"}).code, 0);
  ASSERT_EQ(ws.nx({"kill", "sig", "KILL"}).code, 0);
  EXPECT_EQ(reap(again), 128 + SIGKILL);
  EXPECT_TRUE(ws.wait_for_status("sig", "stopped"));
  ASSERT_EQ(ws.nx({"delete", "sig"}).code, 0);
}

TEST_F(PctCallerTest, KillingTheReportedPidStopsTheContainer) {
  // runc's reported pid is the init itself: when the caller kills it, the container is gone.
  int pid = create_as_caller("pair", bundle("pair", loop_until_term));
  ASSERT_GT(pid, 0);
  ASSERT_EQ(ws.nx({"start", "pair"}).code, 0);
  uint32_t vmid = vmid_of("pair");
  ASSERT_GT(init_pid(vmid), 0);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  EXPECT_EQ(reap(pid), 128 + SIGKILL);
  EXPECT_TRUE(eventually([&] { return init_pid(vmid) == 0; }));
  EXPECT_TRUE(ws.wait_for_status("pair", "stopped"));
  ASSERT_EQ(ws.nx({"delete", "pair"}).code, 0);
}

TEST_F(PctCallerTest, ProxmoxStartsTheApplicationAgainWithoutNexcage) {
  int pid = create_as_caller("again", bundle("again", loop_until_term));
  ASSERT_GT(pid, 0);
  ASSERT_EQ(ws.nx({"start", "again"}).code, 0);
  uint32_t vmid = vmid_of("again");
  auto vm = std::to_string(vmid);
  // What Proxmox keeps names the application and nothing of nexcage's state root (the
  // description, '#' lines, only records it).
  std::string conf;
  std::istringstream lines(read_file(this->conf(vmid)));
  for (std::string line; std::getline(lines, line);)
    if (!line.starts_with("#")) conf += line + "\n";
  EXPECT_TRUE(contains(conf, "entrypoint: sh -c \"trap")) << conf;
  EXPECT_FALSE(contains(conf, "nexcage-init wait")) << conf;
  EXPECT_FALSE(contains(conf, ".nexcage-stdio")) << conf;
  EXPECT_FALSE(contains(conf, "lxc.console.logfile")) << conf;
  EXPECT_FALSE(contains(conf, ws.root().string() + "/")) << conf;

  // The GUI's Stop and Start (or a reboot with onboot): Proxmox runs the application itself.
  ASSERT_EQ(pct({"stop", vm}).code, 0);
  EXPECT_EQ(reap(pid), 128 + SIGKILL);
  auto started = pct({"start", vm});
  ASSERT_EQ(started.code, 0) << started;
  int init = 0;
  ASSERT_TRUE(eventually([&] { return (init = init_pid(vmid)) > 0; }));
  EXPECT_TRUE(eventually(
      [&] { return contains(read_file("/proc/" + std::to_string(init) + "/cmdline"), "trap"); }));
  auto state = ws.state("again");
  EXPECT_EQ(state.value("status", ""), "running") << state;
  EXPECT_EQ(state.value("pid", 0), init) << state;
  auto exec = ws.nx({"exec", "again", "sh", "-c", "echo $GREETING"});
  EXPECT_EQ(exec.out, "hello pct\n") << exec;
  ASSERT_EQ(ws.nx({"kill", "again", "TERM"}).code, 0);
  EXPECT_TRUE(ws.wait_for_status("again", "stopped"));
  ASSERT_EQ(ws.nx({"delete", "again"}).code, 0);
  expect_nothing_left(vmid);
}

}  // namespace
}  // namespace e2e
