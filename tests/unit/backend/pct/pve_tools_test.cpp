// PveTools over a recording fake Runner: the exact commands run and how their output is read.
#include <algorithm>
#include <deque>

#include <gtest/gtest.h>

#include "nexcage/backend/pct/pve_tools.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::backend::pct;
using nexcage::Error;
using nexcage::ErrorKind;
using nexcage::process::Captured;
using nexcage::process::Command;
using nexcage::process::Exit;
using Argv = std::vector<std::string>;

namespace {

// Records every command and answers with the scripted replies in order (exit 0, no output once
// the script runs out). Only capture() is expected; the others fail the test.
class RecordingRunner final : public nexcage::process::Runner {
 public:
  struct Reply {
    int exit_code = 0;
    std::string out;
    std::string err;
  };

  std::vector<Command> commands;
  std::deque<Reply> replies;

  void reply(int exit_code, std::string out, std::string err = {}) {
    replies.push_back({exit_code, std::move(out), std::move(err)});
  }

  Captured capture(const Command& cmd) override {
    commands.push_back(cmd);
    Reply r;
    if (!replies.empty()) {
      r = replies.front();
      replies.pop_front();
    }
    return Captured{Exit{r.exit_code << 8}, r.out, r.err};
  }
  Exit inherit(const Command& cmd) override {
    commands.push_back(cmd);
    ADD_FAILURE() << "inherit() not expected";
    return Exit{};
  }
  int spawn(const Command& cmd) override {
    commands.push_back(cmd);
    ADD_FAILURE() << "spawn() not expected";
    return -1;
  }
  void exec_replacing(const Command& cmd) override {
    commands.push_back(cmd);
    throw std::runtime_error("replace() not expected");
  }
};

ToolPaths test_paths() {
  ToolPaths p;
  p.pct = "/t/pct";
  p.pvesh = "/t/pvesh";
  p.lxc_info = "/t/lxc-info";
  p.lxc_attach = "/t/lxc-attach";
  p.lxc_freeze = "/t/lxc-freeze";
  p.lxc_unfreeze = "/t/lxc-unfreeze";
  return p;
}

const Argv expected_env{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"};

class PctPveTools : public ::testing::Test {
 protected:
  RecordingRunner runner;
  PveTools tools{test_paths(), runner};

  // The single command run so far: its binary and argv, with the fixed environment.
  void expect_ran(const std::string& path, const Argv& argv) {
    ASSERT_EQ(runner.commands.size(), 1u);
    EXPECT_EQ(runner.commands[0].path, path);
    EXPECT_EQ(runner.commands[0].argv, argv);
    EXPECT_EQ(runner.commands[0].env, expected_env);
    EXPECT_EQ(runner.commands[0].preserve_fds, 0);
    EXPECT_FALSE(runner.commands[0].stdin_data.has_value());
  }

  template <typename F>
  std::string backend_error(F&& f) {
    try {
      f();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::backend) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "no Error thrown";
    return {};
  }
};

}  // namespace

// ---- pve_error_text ----

TEST(PctPveErrorText, JoinsNonEmptyLinesUpToUsage) {
  EXPECT_EQ(pve_error_text("400 Parameter verification failed.\n"
                           "storage: storage 'nope' does not exist\n"
                           "\n"
                           "USAGE: pct create <vmid> <ostemplate> [OPTIONS]\n"
                           "  more usage\n"),
            "400 Parameter verification failed.; storage: storage 'nope' does not exist");
}

TEST(PctPveErrorText, TrimsLinesAndSkipsBlankOnes) {
  EXPECT_EQ(pve_error_text("  first  \r\n\n\t\nsecond"), "first; second");
  EXPECT_EQ(pve_error_text("CT 100 already exists on node 'pve'\n"),
            "CT 100 already exists on node 'pve'");
}

TEST(PctPveErrorText, StopsAtTheShortUsageLine) {
  // After a parameter error pct prints the verb's syntax, starting with "pct " (or "pvesh ").
  EXPECT_EQ(pve_error_text("400 too many arguments\n"
                           "pct create <vmid> <ostemplate> [OPTIONS]\n"),
            "400 too many arguments");
  EXPECT_EQ(pve_error_text("400 Parameter verification failed.\nvmid: invalid format\n"
                           "  pvesh get /cluster/nextid [OPTIONS]\nmore\n"),
            "400 Parameter verification failed.; vmid: invalid format");
  // Only the word followed by a space: "pct:" or "pctl" start no usage text.
  EXPECT_EQ(pve_error_text("pct: oops\npctl x\n"), "pct: oops; pctl x");
}

TEST(PctPveErrorText, EmptyAndUsageOnly) {
  EXPECT_EQ(pve_error_text(""), "");
  EXPECT_EQ(pve_error_text("\n\n"), "");
  EXPECT_EQ(pve_error_text("USAGE: pct start <vmid>\nx\n"), "");
  // Only a line that starts with USAGE: ends the message (after trimming).
  EXPECT_EQ(pve_error_text("bad USAGE: here\n  USAGE: x\nafter"), "bad USAGE: here");
}

// ---- parse_pct_config ----

TEST(PctParsePctConfig, KeyValueLinesInOrder) {
  auto parsed = parse_pct_config(
      "arch: amd64\n"
      "hostname: box\n"
      "lxc.mount.entry: /a b none bind 0 0\n"
      "memory:   512  \n"
      "lxc.apparmor.profile: unconfined\n"
      "lxc.mount.entry: /c d none bind 0 0\n"
      "net0: name=eth0,bridge=vmbr0,ip=dhcp,type=veth\n");
  std::vector<std::pair<std::string, std::string>> expected{
      {"arch", "amd64"},
      {"hostname", "box"},
      {"lxc.mount.entry", "/a b none bind 0 0"},
      {"memory", "512"},
      {"lxc.apparmor.profile", "unconfined"},
      {"lxc.mount.entry", "/c d none bind 0 0"},
      {"net0", "name=eth0,bridge=vmbr0,ip=dhcp,type=veth"}};
  EXPECT_EQ(parsed, expected);
}

TEST(PctParsePctConfig, ValueKeepsLaterColons) {
  auto parsed = parse_pct_config("lxc.init.cmd: /bin/sh -c a:b\ndescription:\n");
  std::vector<std::pair<std::string, std::string>> expected{{"lxc.init.cmd", "/bin/sh -c a:b"},
                                                            {"description", ""}};
  EXPECT_EQ(parsed, expected);
}

TEST(PctParsePctConfig, SkipsJunkLines) {
  auto parsed = parse_pct_config("\nno colon here\n: no key\narch: amd64\n\n");
  std::vector<std::pair<std::string, std::string>> expected{{"arch", "amd64"}};
  EXPECT_EQ(parsed, expected);
  EXPECT_TRUE(parse_pct_config("").empty());
  // Last line without a newline is still read.
  EXPECT_EQ(parse_pct_config("a: 1"),
            (std::vector<std::pair<std::string, std::string>>{{"a", "1"}}));
}

// ---- PveTools ----

TEST_F(PctPveTools, Environment) {
  EXPECT_EQ(PveTools::environment(), expected_env);
}

// pct decodes argv with the locale's encoding: under LANG=C "café" would be stored as "caf\uFFFD".
// The env pct itself is run with must name a UTF-8 locale, and the bytes go through unchanged.
TEST_F(PctPveTools, PctRunsUnderAUtf8LocaleWithArgumentsUntouched) {
  const std::string cafe = "caf\xc3\xa9";
  EXPECT_TRUE(
      tools.create(101, "local:vztmpl/t.tar", {"--description", cafe, "--env", "G=" + cafe}));
  ASSERT_EQ(runner.commands.size(), 1u);
  const auto& env = runner.commands[0].env;
  EXPECT_NE(std::find(env.begin(), env.end(), "LANG=C.UTF-8"), env.end());
  for (const auto& var : env) EXPECT_NE(var, "LANG=C");
  EXPECT_EQ(runner.commands[0].argv[5], cafe);
  EXPECT_EQ(runner.commands[0].argv[7], "G=" + cafe);
}

TEST_F(PctPveTools, NextFreeVmid) {
  runner.reply(0, "105\n");
  EXPECT_EQ(tools.next_free_vmid(), 105u);
  expect_ran("/t/pvesh", {"pvesh", "get", "/cluster/nextid"});
}

TEST_F(PctPveTools, NextFreeVmidRejectsNonNumericOutput) {
  for (const char* out : {"abc\n", "", "105x", "-1", "1 2"}) {
    runner.commands.clear();
    runner.reply(0, out);
    auto message = backend_error([&] { tools.next_free_vmid(); });
    EXPECT_NE(message.find("not a VMID"), std::string::npos) << out << ": " << message;
  }
}

TEST_F(PctPveTools, NextFreeVmidFailureCarriesPveshMessage) {
  runner.reply(2, "", "unable to get any free VMID in range [100, 200]\n");
  EXPECT_EQ(backend_error([&] { tools.next_free_vmid(); }),
            "unable to get any free VMID in range [100, 200]");
}

TEST_F(PctPveTools, VmidIsFree) {
  runner.reply(0, "300\n");
  EXPECT_TRUE(tools.vmid_is_free(300));
  expect_ran("/t/pvesh", {"pvesh", "get", "/cluster/nextid", "--vmid", "300"});
}

TEST_F(PctPveTools, VmidIsNotFreeWhenItAlreadyExists) {
  runner.reply(2, "", "VM 300 already exists\n");
  EXPECT_FALSE(tools.vmid_is_free(300));
}

TEST_F(PctPveTools, VmidIsFreeThrowsOnOtherFailures) {
  runner.reply(255, "", "ipcc_send_rec[1] failed: Connection refused\n");
  EXPECT_EQ(backend_error([&] { tools.vmid_is_free(300); }),
            "ipcc_send_rec[1] failed: Connection refused");
}

TEST_F(PctPveTools, CreateArgv) {
  EXPECT_TRUE(tools.create(101, "local:vztmpl/nexcage-abc.tar.gz",
                           {"--memory", "64", "--hostname", "box"}));
  expect_ran("/t/pct", {"pct", "create", "101", "local:vztmpl/nexcage-abc.tar.gz", "--memory", "64",
                        "--hostname", "box"});
}

TEST_F(PctPveTools, CreateReturnsFalseWhenTheVmidWasTaken) {
  runner.reply(255, "", "CT 100 already exists on node 'pve'\n");
  EXPECT_FALSE(tools.create(100, "local:vztmpl/t.tar.gz", {}));
  expect_ran("/t/pct", {"pct", "create", "100", "local:vztmpl/t.tar.gz"});
}

TEST_F(PctPveTools, CreateThrowsOtherFailures) {
  runner.reply(255, "", "storage 'nope' does not exist\nUSAGE: pct create\n");
  EXPECT_EQ(backend_error([&] { tools.create(100, "t", {}); }), "storage 'nope' does not exist");
}

TEST_F(PctPveTools, FailureWithoutStderrNamesTheCommandAndStatus) {
  runner.reply(3, "some stdout", "");
  EXPECT_EQ(backend_error([&] { tools.freeze(100); }), "lxc-freeze failed with exit status 3");
  runner.reply(255, "", "\n");
  EXPECT_EQ(backend_error([&] { tools.set(100, {}); }), "pct set failed with exit status 255");
}

TEST_F(PctPveTools, StartFailurePointsAtLxcsLog) {
  runner.reply(255, "", "startup for container '100' failed\n");
  try {
    tools.start(100);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::backend);
    EXPECT_EQ(std::string(e.what()), "startup for container '100' failed");
    EXPECT_NE(e.hint().find("/run/pve/ct-100.stderr"), std::string::npos) << e.hint();
    EXPECT_NE(e.hint().find("pct start 100 --debug 1"), std::string::npos) << e.hint();
  }
  runner.reply(1, "", "");
  EXPECT_EQ(backend_error([&] { tools.start(100); }), "pct start failed");
}

TEST_F(PctPveTools, Start) {
  tools.start(100);
  expect_ran("/t/pct", {"pct", "start", "100"});
}

TEST_F(PctPveTools, Stop) {
  tools.stop(100);
  expect_ran("/t/pct", {"pct", "stop", "100"});
}

TEST_F(PctPveTools, StopOfAStoppedOrMissingCtSucceeds) {
  runner.reply(255, "", "CT 100 not running\n");
  EXPECT_NO_THROW(tools.stop(100));
  runner.reply(2, "", "Configuration file 'nodes/pve/lxc/100.conf' does not exist\n");
  EXPECT_NO_THROW(tools.stop(100));
  runner.reply(255, "", "can't lock file '/run/lock/lxc/pve-config-100.lock' - got timeout\n");
  EXPECT_EQ(backend_error([&] { tools.stop(100); }),
            "can't lock file '/run/lock/lxc/pve-config-100.lock' - got timeout");
}

TEST_F(PctPveTools, Destroy) {
  tools.destroy(100, false);
  expect_ran("/t/pct", {"pct", "destroy", "100", "--purge", "1"});
}

TEST_F(PctPveTools, DestroyForce) {
  tools.destroy(123456, true);
  expect_ran("/t/pct", {"pct", "destroy", "123456", "--purge", "1", "--force", "1"});
}

TEST_F(PctPveTools, DestroyOfAMissingCtSucceeds) {
  runner.reply(2, "", "Configuration file 'nodes/pve/lxc/100.conf' does not exist\n");
  EXPECT_NO_THROW(tools.destroy(100, true));
  runner.reply(255, "", "CT is locked (create)\n");
  EXPECT_EQ(backend_error([&] { tools.destroy(100, true); }), "CT is locked (create)");
  // "not running" is no excuse for destroy.
  runner.reply(255, "", "CT 100 not running\n");
  EXPECT_THROW(tools.destroy(100, false), Error);
}

TEST_F(PctPveTools, Config) {
  runner.reply(0, "arch: amd64\nlxc.a: 1\nmemory: 64\n");
  auto config = tools.config(100);
  expect_ran("/t/pct", {"pct", "config", "100", "--current", "1"});
  ASSERT_TRUE(config.has_value());
  std::vector<std::pair<std::string, std::string>> expected{
      {"arch", "amd64"}, {"lxc.a", "1"}, {"memory", "64"}};
  EXPECT_EQ(*config, expected);
}

TEST_F(PctPveTools, ConfigOfAMissingCtIsNullopt) {
  runner.reply(2, "", "Configuration file 'nodes/pve/lxc/100.conf' does not exist\n");
  EXPECT_EQ(tools.config(100), std::nullopt);
  runner.reply(13, "", "permission denied\n");
  EXPECT_EQ(backend_error([&] { tools.config(100); }), "permission denied");
}

TEST_F(PctPveTools, Set) {
  tools.set(100, {"--memory", "128", "--swap", "0"});
  expect_ran("/t/pct", {"pct", "set", "100", "--memory", "128", "--swap", "0"});
}

TEST_F(PctPveTools, StateArgvAndMapping) {
  runner.reply(0, "RUNNING\n");
  EXPECT_EQ(tools.state(100), LxcState::running);
  expect_ran("/t/lxc-info", {"lxc-info", "-n", "100", "-s", "-H"});
  runner.reply(0, "FROZEN\n");
  EXPECT_EQ(tools.state(100), LxcState::frozen);
  runner.reply(0, "STOPPED\n");
  EXPECT_EQ(tools.state(100), LxcState::stopped);
  runner.reply(0, "  FREEZING \n");
  EXPECT_EQ(tools.state(100), LxcState::frozen);
  runner.reply(0, "STOPPING\n");
  EXPECT_EQ(tools.state(100), LxcState::stopped);
  runner.reply(0, "STARTING\n");
  EXPECT_EQ(tools.state(100), LxcState::running);
}

TEST_F(PctPveTools, StateOfAMissingCt) {
  runner.reply(1, "", "100 doesn't exist\n");
  EXPECT_EQ(tools.state(100), LxcState::missing);
}

TEST_F(PctPveTools, StateUnknownOrFailed) {
  runner.reply(0, "SLEEPING\n");
  auto message = backend_error([&] { tools.state(100); });
  EXPECT_NE(message.find("unknown state \"SLEEPING\""), std::string::npos) << message;
  runner.reply(0, "");
  EXPECT_THROW(tools.state(100), Error);
  runner.reply(1, "", "Failed to get state\n");
  EXPECT_EQ(backend_error([&] { tools.state(100); }), "Failed to get state");
}

TEST_F(PctPveTools, InitPid) {
  runner.reply(0, "4242\n");
  EXPECT_EQ(tools.init_pid(100), std::optional<int>(4242));
  expect_ran("/t/lxc-info", {"lxc-info", "-n", "100", "-p", "-H"});
}

TEST_F(PctPveTools, InitPidOfAStoppedOrMissingCt) {
  runner.reply(0, "");
  EXPECT_EQ(tools.init_pid(100), std::nullopt);
  runner.reply(0, " \n");
  EXPECT_EQ(tools.init_pid(100), std::nullopt);
  runner.reply(1, "", "100 doesn't exist\n");
  EXPECT_EQ(tools.init_pid(100), std::nullopt);
}

TEST_F(PctPveTools, InitPidRejectsGarbage) {
  for (const char* out : {"abc\n", "12ab\n", "0\n", "2147483648\n", "-5\n"}) {
    runner.reply(0, out);
    auto message = backend_error([&] { tools.init_pid(100); });
    EXPECT_NE(message.find("not a pid"), std::string::npos) << out << ": " << message;
  }
  runner.reply(0, "2147483647\n");
  EXPECT_EQ(tools.init_pid(100), std::optional<int>(2147483647));
}

TEST_F(PctPveTools, Freeze) {
  tools.freeze(100);
  expect_ran("/t/lxc-freeze", {"lxc-freeze", "-n", "100"});
  runner.reply(1, "", "Failed to freeze 100\n");
  EXPECT_EQ(backend_error([&] { tools.freeze(100); }), "Failed to freeze 100");
}

TEST_F(PctPveTools, Unfreeze) {
  tools.unfreeze(100);
  expect_ran("/t/lxc-unfreeze", {"lxc-unfreeze", "-n", "100"});
}

TEST_F(PctPveTools, AttachCommandIsBuiltNotRun) {
  auto cmd = tools.attach(100, {"A=1", "PATH=/bin"}, 1000u, 1001u, {"/bin/sh", "-c", "echo hi"});
  EXPECT_TRUE(runner.commands.empty());
  EXPECT_EQ(cmd.path, "/t/lxc-attach");
  EXPECT_EQ(cmd.env, expected_env);
  EXPECT_EQ(cmd.argv,
            (Argv{"lxc-attach", "-n", "100", "--clear-env", "-v", "A=1", "-v", "PATH=/bin", "-u",
                  "1000", "-g", "1001", "--", "/bin/sh", "-c", "echo hi"}));
}

TEST_F(PctPveTools, AttachWithoutIdsOrEnv) {
  auto cmd = tools.attach(7777, {}, std::nullopt, std::nullopt, {"ls"});
  EXPECT_EQ(cmd.argv, (Argv{"lxc-attach", "-n", "7777", "--clear-env", "--", "ls"}));
  auto uid_only = tools.attach(100, {}, 0u, std::nullopt, {"id"});
  EXPECT_EQ(uid_only.argv, (Argv{"lxc-attach", "-n", "100", "--clear-env", "-u", "0", "--", "id"}));
}
