#include "nexcage/backend/oci_cli/argv.hpp"
#include "nexcage/backend/oci_cli/driver.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "nexcage/core/error.hpp"

using namespace nexcage::backend;
using namespace nexcage::backend::oci_cli;

namespace {
Invocation inv() {
  Invocation i;
  i.binary = "/usr/sbin/runc";
  i.root = "/run/nexcage/runc";
  i.log_file = "/run/nexcage/c1/.backend.log";
  return i;
}
const Argv prefix{
    "/usr/sbin/runc", "--root", "/run/nexcage/runc", "--log", "/run/nexcage/c1/.backend.log",
    "--log-format",   "json"};
Argv with_prefix(std::initializer_list<std::string> rest) {
  Argv out = prefix;
  out.insert(out.end(), rest);
  return out;
}
}  // namespace

TEST(OciCliArgv, CreateMinimal) {
  CreateCall call;
  call.bundle = "/b";
  call.pid_file = "/run/nexcage/c1/init.pid";
  EXPECT_EQ(create_argv(inv(), "c1", call), with_prefix({"create", "--bundle", "/b", "--pid-file",
                                                         "/run/nexcage/c1/init.pid", "--", "c1"}));
}

TEST(OciCliArgv, CreateWithEverything) {
  CreateCall call;
  call.bundle = "/b";
  call.pid_file = "/p";
  call.console_socket = "/tmp/pty.sock";
  call.preserve_fds = 2;
  call.no_pivot = true;
  call.no_new_keyring = true;
  auto i = inv();
  i.debug = true;
  i.systemd_cgroup = true;
  Argv expected = prefix;
  expected.insert(expected.end(),
                  {"--debug", "--systemd-cgroup", "create", "--bundle", "/b", "--pid-file", "/p",
                   "--console-socket", "/tmp/pty.sock", "--preserve-fds", "2", "--no-pivot",
                   "--no-new-keyring", "--", "c1"});
  EXPECT_EQ(create_argv(i, "c1", call), expected);
}

TEST(OciCliArgv, NoLogFileMeansNoLogFlags) {
  auto i = inv();
  i.log_file.clear();
  EXPECT_EQ(start_argv(i, "c1"),
            (Argv{"/usr/sbin/runc", "--root", "/run/nexcage/runc", "start", "--", "c1"}));
}

TEST(OciCliArgv, KillAndDelete) {
  EXPECT_EQ(kill_argv(inv(), "c1", 9, false), with_prefix({"kill", "--", "c1", "9"}));
  EXPECT_EQ(kill_argv(inv(), "c1", 15, true), with_prefix({"kill", "--all", "--", "c1", "15"}));
  EXPECT_EQ(delete_argv(inv(), "c1", false), with_prefix({"delete", "--", "c1"}));
  EXPECT_EQ(delete_argv(inv(), "c1", true), with_prefix({"delete", "--force", "--", "c1"}));
}

TEST(OciCliArgv, SimpleCommands) {
  EXPECT_EQ(pause_argv(inv(), "c1"), with_prefix({"pause", "--", "c1"}));
  EXPECT_EQ(resume_argv(inv(), "c1"), with_prefix({"resume", "--", "c1"}));
  EXPECT_EQ(ps_argv(inv(), "c1"), with_prefix({"ps", "--format", "json", "--", "c1"}));
  EXPECT_EQ(update_argv(inv(), "c1", "/r.json"),
            with_prefix({"update", "--resources", "/r.json", "--", "c1"}));
  EXPECT_EQ(events_argv(inv(), "c1", true, ""), with_prefix({"events", "--stats", "--", "c1"}));
  EXPECT_EQ(events_argv(inv(), "c1", false, "5s"),
            with_prefix({"events", "--interval=5s", "--", "c1"}));
  EXPECT_EQ(features_argv("/usr/bin/crun"), (Argv{"/usr/bin/crun", "features"}));
  EXPECT_EQ(version_argv("/usr/bin/crun"), (Argv{"/usr/bin/crun", "--version"}));
}

TEST(OciCliArgv, ExecArgvForm) {
  ExecCall call;
  call.args = {"sh", "-c", "echo hi"};
  call.cwd = "/tmp";
  call.env = {"A=1", "B=2"};
  call.user = "1000:1000";
  call.caps = {"CAP_NET_ADMIN"};
  call.tty = true;
  call.detach = true;
  call.pid_file = "/p";
  EXPECT_EQ(
      exec_argv(inv(), quirks_for("runc"), "c1", call),
      with_prefix({"exec",          "--detach", "--pid-file", "/p",  "--tty",  "--cwd",     "/tmp",
                   "--env",         "A=1",      "--env",      "B=2", "--user", "1000:1000", "--cap",
                   "CAP_NET_ADMIN", "--",       "c1",         "sh",  "-c",     "echo hi"}));
}

TEST(OciCliArgv, ExecProcessFileIgnoresProcessFlags) {
  ExecCall call;
  call.process_file = "/proc.json";
  call.cwd = "/ignored";
  call.env = {"IGNORED=1"};
  call.console_socket = "/s";
  call.preserve_fds = 1;
  EXPECT_EQ(exec_argv(inv(), quirks_for("runc"), "c1", call),
            with_prefix({"exec", "--console-socket", "/s", "--preserve-fds", "1", "--process",
                         "/proc.json", "--", "c1"}));
}

// runc's --cgroup is repeatable (one path per controller set); every one is passed on.
TEST(OciCliArgv, ExecPassesEveryCgroup) {
  ExecCall call;
  call.args = {"true"};
  call.cgroups = {"memory:submem", "cpu,cpuacct:subcpu", "/all"};
  EXPECT_EQ(exec_argv(inv(), quirks_for("runc"), "c1", call),
            with_prefix({"exec", "--cgroup", "memory:submem", "--cgroup", "cpu,cpuacct:subcpu",
                         "--cgroup", "/all", "--", "c1", "true"}));
  EXPECT_THROW(exec_argv(inv(), quirks_for("crun"), "c1", call), nexcage::Error);
  call.cgroups = {"sub"};
  EXPECT_NO_THROW(exec_argv(inv(), quirks_for("crun"), "c1", call));
}

TEST(OciCliArgv, ExecRefusesFlagsCrunLacks) {
  ExecCall call;
  call.args = {"true"};
  call.additional_gids = {"10"};
  EXPECT_THROW(exec_argv(inv(), quirks_for("crun"), "c1", call), nexcage::Error);
  EXPECT_NO_THROW(exec_argv(inv(), quirks_for("runc"), "c1", call));
  call.additional_gids.clear();
  call.ignore_paused = true;
  EXPECT_THROW(exec_argv(inv(), quirks_for("crun"), "c1", call), nexcage::Error);
}

TEST(OciCliQuirks, CrunHasNoEvents) {
  EXPECT_TRUE(quirks_for("runc").has_events);
  EXPECT_FALSE(quirks_for("crun").has_events);
  EXPECT_TRUE(quirks_for("crun").features_may_be_missing);
}

// runc allows ids that start with "-"; after "--" they can never become the backend's options.
TEST(OciCliArgv, IdsThatLookLikeOptionsFollowEndOfOptions) {
  EXPECT_EQ(kill_argv(inv(), "--all", 9, false), with_prefix({"kill", "--", "--all", "9"}));
  EXPECT_EQ(delete_argv(inv(), "--help", true), with_prefix({"delete", "--force", "--", "--help"}));
  EXPECT_EQ(start_argv(inv(), "-h").back(), "-h");
  EXPECT_EQ(*(start_argv(inv(), "-h").end() - 2), "--");
}

TEST(SocketActivation, OnlySocketsHandedToThisProcessCount) {
  using nexcage::backend::oci_cli::activated_sockets;
  auto with = [](std::vector<std::string> vars) {
    static std::vector<std::string> keep;
    keep = std::move(vars);
    static std::vector<char*> env;
    env.clear();
    for (auto& v : keep) env.push_back(v.data());
    env.push_back(nullptr);
    return env.data();
  };
  EXPECT_EQ(activated_sockets(with({"LISTEN_FDS=2", "LISTEN_PID=42"}), 42), 2);
  EXPECT_EQ(activated_sockets(with({"LISTEN_FDS=2", "LISTEN_PID=43"}), 42), 0)
      << "meant for another process";
  EXPECT_EQ(activated_sockets(with({"LISTEN_FDS=2"}), 42), 0);
  EXPECT_EQ(activated_sockets(with({"LISTEN_FDS=x", "LISTEN_PID=42"}), 42), 0);
  EXPECT_EQ(activated_sockets(with({"LISTEN_FDS=100000", "LISTEN_PID=42"}), 42), 0);
  EXPECT_EQ(activated_sockets(nullptr, 42), 0);
}

TEST(OciCliArgv, CheckpointPassesRuncsFlags) {
  CheckpointCall call;
  call.criu.image_path = "/ck/img";
  EXPECT_EQ(checkpoint_argv(inv(), quirks_for("runc"), "c1", call),
            with_prefix({"checkpoint", "--image-path", "/ck/img", "--", "c1"}));
  call.criu.work_path = "/ck/work";
  call.criu.tcp_established = call.criu.ext_unix_sk = call.criu.shell_job = call.criu.file_locks =
      true;
  call.criu.auto_dedup = call.criu.lazy_pages = true;
  call.criu.manage_cgroups_mode = "soft";
  call.criu.empty_ns = {"network", "ipc"};
  call.parent_path = "../pre";
  call.leave_running = call.pre_dump = true;
  call.page_server = "10.0.0.2:27";
  auto i = inv();
  i.criu = "/opt/criu";
  EXPECT_EQ(checkpoint_argv(i, quirks_for("runc"), "c1", call),
            with_prefix({"--criu",
                         "/opt/criu",
                         "checkpoint",
                         "--image-path",
                         "/ck/img",
                         "--work-path",
                         "/ck/work",
                         "--tcp-established",
                         "--ext-unix-sk",
                         "--shell-job",
                         "--file-locks",
                         "--auto-dedup",
                         "--lazy-pages",
                         "--manage-cgroups-mode",
                         "soft",
                         "--empty-ns",
                         "network",
                         "--empty-ns",
                         "ipc",
                         "--parent-path",
                         "../pre",
                         "--leave-running",
                         "--pre-dump",
                         "--page-server",
                         "10.0.0.2:27",
                         "--",
                         "c1"}));
  // crun links libcriu: no --criu.
  auto crun = checkpoint_argv(i, quirks_for("crun"), "c1", call);
  EXPECT_EQ(std::find(crun.begin(), crun.end(), "--criu"), crun.end());
}

TEST(OciCliArgv, RestoreIsARunFromAnImage) {
  RestoreOptions options;
  options.criu.image_path = "/b/checkpoint";
  options.no_subreaper = true;
  options.lsm_profile = "apparmor:p";
  RunCall call;
  call.create.bundle = "/b";
  call.create.pid_file = "/run/nexcage/c1/init.pid";
  call.create.console_socket = "/s.sock";
  call.create.no_pivot = true;
  call.detach = true;
  call.restore = &options;
  EXPECT_EQ(
      restore_argv(inv(), quirks_for("runc"), "c1", call),
      with_prefix({"restore", "--bundle", "/b", "--pid-file", "/run/nexcage/c1/init.pid",
                   "--console-socket", "/s.sock", "--detach", "--no-pivot", "--no-subreaper",
                   "--image-path", "/b/checkpoint", "--lsm-profile", "apparmor:p", "--", "c1"}));
  // crun's restore has no --no-subreaper (it reaps nothing for a detached restore).
  auto crun = restore_argv(inv(), quirks_for("crun"), "c1", call);
  EXPECT_EQ(std::find(crun.begin(), crun.end(), "--no-subreaper"), crun.end());
  call.restore = nullptr;
  EXPECT_THROW(restore_argv(inv(), quirks_for("runc"), "c1", call), nexcage::Error);
}
