// Every pct command that acts on a VMID proves first that it is this container's (driver.cpp,
// proven_vmid): the VMID's config carries the mark for this id and state root. A pid is never
// taken from the record: signals go to the init LXC reports for that VMID. Over a recording
// fake runner: a refused command runs nothing and signals nothing.
#include <unistd.h>

#include <csignal>
#include <fstream>

#include <gtest/gtest.h>

#include "../../lifecycle/fake_runner.hpp"
#include "../../temp_dir.hpp"
#include "nexcage/backend/pct/driver.hpp"
#include "nexcage/backend/pct/ownership.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/process/proc.hpp"

using namespace nexcage;
using namespace nexcage::backend::pct;
namespace fsys = std::filesystem;

namespace {

volatile std::sig_atomic_t usr1_received = 0;
void on_usr1(int) {
  usr1_received = usr1_received + 1;
}

constexpr uint32_t vmid = 123;

class PctOwnershipProof : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path() / "root";
    backend_root_ = root_ / ".backends" / "pct";
    fsys::create_directories(backend_root_);
    fsys::create_directories(tmp_.path() / "conf");
    std::ofstream(backend_root_ / "vmids.json") << R"({"c": 123})";
    write_config(owner_mark("c", backend_root_));
    record_.id = "c";
    record_.backend = "pct";
    record_.pid = ::getpid();
    record_.init_start_time = process::read_proc_stat(::getpid())->start_time;
    record_.backend_state = {{"root", backend_root_.string()}, {"vmid", vmid}};
    lxc_reports(::getpid());
    backend::BackendConfig config;
    config.name = "pct";
    config.path = "/usr/sbin/pct";
    config.options = {{"config_dir", (tmp_.path() / "conf").string()}};
    backend::Globals globals;
    globals.root = root_;
    driver_ = std::make_unique<Driver>(config, globals, runner_);
    struct sigaction sa {};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, &previous_);
    usr1_received = 0;
  }
  void TearDown() override { sigaction(SIGUSR1, &previous_, nullptr); }

  // The description as Proxmox writes it: one '#' line per line, ':' as %3A.
  void write_config(const std::string& description) {
    std::ofstream out(tmp_.path() / "conf" / (std::to_string(vmid) + ".conf"));
    std::size_t pos = 0;
    for (;;) {
      auto nl = description.find('\n', pos);
      out << "#" << description.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos)
          << "\n";
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
    out << "arch: amd64\nmemory: 512\n";
  }
  // What `lxc-info -n 123 -p -H` prints (every tool shares the fake's default reply).
  void lxc_reports(int pid) { runner_.replies[""] = {0, std::to_string(pid) + "\n", ""}; }

  bool ran(const std::string& tool) const {
    for (const auto& c : runner_.commands)
      if (!c.argv.empty() && c.argv[0] == tool) return true;
    return false;
  }
  std::vector<std::string> tools_run() const {
    std::vector<std::string> out;
    for (const auto& c : runner_.commands) out.push_back(c.argv.empty() ? "" : c.argv[0]);
    return out;
  }

  // Every acting command, each expected to throw Error(invalid_input) with `words`.
  void expect_every_command_refused(const std::string& words) {
    auto resources = tmp_.path() / "resources.json";
    std::ofstream(resources) << R"({"memory": {"limit": 67108864}})";
    backend::ExecCall exec;
    exec.args = {"true"};
    exec.detach = true;
    std::vector<std::pair<const char*, std::function<void()>>> commands{
        {"pause", [&] { driver_->pause(record_); }},
        {"resume", [&] { driver_->resume(record_); }},
        {"update", [&] { driver_->update(record_, resources); }},
        {"exec", [&] { driver_->exec_detached(record_, exec); }},
        {"exec in the foreground", [&] { driver_->exec_foreground(record_, exec); }},
        {"kill USR1", [&] { driver_->kill(record_, SIGUSR1, false); }},
        {"kill --all USR1", [&] { driver_->kill(record_, SIGUSR1, true); }},
        {"kill KILL", [&] { driver_->kill(record_, SIGKILL, false); }},
        {"start", [&] { driver_->start(record_); }},
    };
    for (const auto& [name, command] : commands) {
      try {
        command();
        ADD_FAILURE() << name << " was not refused";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << name << ": " << e.what();
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << name << ": " << e.what();
      }
    }
    for (const char* tool : {"lxc-freeze", "lxc-unfreeze", "pct", "lxc-attach"})
      EXPECT_FALSE(ran(tool)) << tool << " ran after a refusal";
    EXPECT_EQ(usr1_received, 0) << "a signal was sent after a refusal";
  }

  testing_support::TempDir tmp_{"nexcage-pct-own"};
  fsys::path root_, backend_root_;
  fakes::FakeRunner runner_;
  state::Record record_;
  std::unique_ptr<Driver> driver_;
  struct sigaction previous_ {};
};

}  // namespace

TEST_F(PctOwnershipProof, ActsWhenMarkAndInitMatch) {
  driver_->pause(record_);
  EXPECT_EQ(tools_run(), (std::vector<std::string>{"lxc-freeze"}));
  EXPECT_EQ(runner_.commands.back().argv, (std::vector<std::string>{"lxc-freeze", "-n", "123"}));
  driver_->kill(record_, SIGUSR1, false);
  EXPECT_EQ(usr1_received, 1);
}

TEST_F(PctOwnershipProof, RefusesAVmidMarkedForAnotherId) {
  write_config(owner_mark("other", backend_root_));
  expect_every_command_refused("VMID 123 is not the Proxmox container nexcage created for c");
  EXPECT_TRUE(runner_.commands.empty()) << "the mark is checked before any tool runs";
}

TEST_F(PctOwnershipProof, RefusesTheSameIdInAnotherStateRoot) {
  write_config(owner_mark("c", "/run/other-root/.backends/pct"));
  expect_every_command_refused("nexcage root " + backend_root_.string());
}

TEST_F(PctOwnershipProof, RefusesAGuestWithoutTheRootLine) {
  write_config("nexcage container c");
  expect_every_command_refused("is not the Proxmox container nexcage created for c");
}

TEST_F(PctOwnershipProof, RefusesAGuestWithNoConfig) {
  fsys::remove(tmp_.path() / "conf" / "123.conf");
  expect_every_command_refused("is not the Proxmox container nexcage created for c");
}

TEST_F(PctOwnershipProof, SignalsLxcsInitNeverTheRecordedPid) {
  // The record names the parent process (as if state.json was edited to an unrelated host
  // process); LXC's init of VMID 123 is this one.
  record_.pid = ::getppid();
  record_.init_start_time = process::read_proc_stat(::getppid())->start_time;
  driver_->kill(record_, SIGUSR1, false);
  EXPECT_EQ(usr1_received, 1);
  EXPECT_EQ(tools_run(), (std::vector<std::string>{"lxc-info"}));
}

TEST_F(PctOwnershipProof, StartRefusesAnInitCreateDidNotStart) {
  // LXC's init is not the one recorded at create (Proxmox restarted the container since).
  record_.backend_state["init_pid"] = ::getppid();
  record_.backend_state["init_start_time"] = process::read_proc_stat(::getppid())->start_time;
  try {
    driver_->start(record_);
    ADD_FAILURE() << "start was not refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::wrong_state) << e.what();
    EXPECT_NE(std::string(e.what()).find("is not in the created state"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(usr1_received, 0);
}

TEST_F(PctOwnershipProof, SignalsNeedARunningInit) {
  runner_.replies[""] = {0, "", ""};  // stopped: lxc-info prints nothing
  for (bool all : {false, true}) {
    try {
      driver_->kill(record_, SIGUSR1, all);
      ADD_FAILURE() << "kill was not refused";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::wrong_state) << e.what();
      EXPECT_NE(std::string(e.what()).find("container c is not running"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(usr1_received, 0);
}
