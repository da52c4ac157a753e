// pct::Driver over a scripted host (driver_host.hpp) and a recording Runner standing in for pct,
// pvesh and the LXC tools: the ownership checks before a signal, the VMID retry of create, and
// the exec user parsing, with no Proxmox and no live process. Every process fact (stat, exe,
// comm, signals) is the fake host's; every tool's answer is the script's, which answers as
// Proxmox does (pct create writes the CT config, and refuses a VMID that exists).
#include <csignal>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "../../temp_dir.hpp"
#include "nexcage/backend/pct/driver.hpp"
#include "nexcage/backend/pct/driver_host.hpp"
#include "nexcage/backend/pct/init_protocol.hpp"
#include "nexcage/backend/pct/ownership.hpp"
#include "nexcage/backend/pct/vmid_map.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage;
using namespace nexcage::backend::pct;
namespace fsys = std::filesystem;
using Argv = std::vector<std::string>;

namespace {

struct Reply {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// Records every command; answers through `answer` (exit 0 and no output when it has none).
class ScriptedTools final : public process::Runner {
 public:
  std::vector<Argv> commands;
  std::function<Reply(const Argv&)> answer;

  Argv::size_type count(const Argv& prefix) const {
    return std::count_if(commands.begin(), commands.end(), [&](const Argv& c) {
      return c.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), c.begin());
    });
  }

  process::Captured capture(const process::Command& cmd) override {
    commands.push_back(cmd.argv);
    Reply r = answer ? answer(cmd.argv) : Reply{};
    return process::Captured{process::Exit{r.exit_code << 8}, r.out, r.err};
  }
  process::Exit inherit(const process::Command& cmd) override {
    commands.push_back(cmd.argv);
    return process::Exit{};
  }
  int spawn(const process::Command& cmd) override {
    commands.push_back(cmd.argv);
    return 31337;
  }
  void exec_replacing(const process::Command& cmd) override {
    commands.push_back(cmd.argv);
    throw std::runtime_error("replaced");
  }
};

struct FakeProcess {
  char state = 'S';
  uint64_t start_time = 0;
  bool waiting_init = false;  // runs nexcage-init, blocked for the start signal
};

class FakeHost final : public DriverHost {
 public:
  std::map<int, FakeProcess> processes;
  std::vector<std::pair<int, int>> signals;
  bool root = true;
  std::vector<std::string> acquired, released;  // template users' ids
  cgroup::Host no_cgroups;

  std::optional<process::ProcStat> proc_stat(int pid) const override {
    auto it = processes.find(pid);
    if (it == processes.end()) return std::nullopt;
    return process::ProcStat{it->second.state, 1, it->second.start_time};
  }
  bool runs(int pid, const fsys::path&, std::string_view comm) const override {
    auto it = processes.find(pid);
    return it != processes.end() && it->second.waiting_init && comm == init_waiting_comm;
  }
  int send_signal(int pid, int signal) const override {
    auto* self = const_cast<FakeHost*>(this);
    self->signals.emplace_back(pid, signal);
    auto it = self->processes.find(pid);
    if (it == self->processes.end()) return ESRCH;
    // nexcage-init execs the application on the start signal.
    if (signal == start_signal()) it->second.waiting_init = false;
    return 0;
  }
  bool is_root() const override { return root; }
  const cgroup::Host& cgroups() const override { return no_cgroups; }
  TemplateUse acquire_template(const ContainerRef& user, const fsys::path&) override {
    acquired.push_back(user.id);
    return TemplateUse{"d1", "local:vztmpl/nexcage-d1.tar", true, 1 << 20};
  }
  void release_template(const ContainerRef& user) override { released.push_back(user.id); }
};

constexpr int init_pid = 4242;
constexpr uint64_t init_start = 777;

class PctDriver : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* d : {"conf", "lock", "host", "bundle/rootfs", "work"})
      fsys::create_directories(tmp_.path() / d);
    backend_root_ = tmp_.path() / "root" / ".backends" / "pct";
    std::ofstream(tmp_.path() / "nexcage-init") << "#!\n";
    fsys::permissions(tmp_.path() / "nexcage-init", fsys::perms::owner_all);
    std::ofstream(tmp_.path() / "bundle" / "config.json") << R"({
      "ociVersion": "1.0.2",
      "root": {"path": "rootfs"},
      "process": {"args": ["/bin/app"], "cwd": "/", "env": ["PATH=/bin", "A=1"],
                  "user": {"uid": 5, "gid": 6}},
      "hostname": "box",
      "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"},
                               {"type": "uts"}, {"type": "mount"}]}
    })";
    config_.tools.init = (tmp_.path() / "nexcage-init").string();
    config_.files.config_dir = (tmp_.path() / "conf").string();
    config_.files.lock_dir = (tmp_.path() / "lock").string();
    config_.host_dir = (tmp_.path() / "host").string();
    record_.id = "c";
    record_.backend = "pct";
    record_.bundle = tmp_.path() / "bundle";
    record_.pid = init_pid;
    record_.init_start_time = init_start;
    record_.backend_state = {
        {"root", backend_root_.string()}, {"init_pid", init_pid}, {"init_start_time", init_start}};
    tools_.answer = [this](const Argv& argv) { return proxmox(argv); };
    auto host = std::make_unique<FakeHost>();
    host_ = host.get();
    backend::Globals globals;
    globals.root = tmp_.path() / "root";
    driver_ = std::make_unique<Driver>(config_, globals, tools_, std::move(host));
  }

  // An existing container: VMID 123 mapped to "c", its config carrying `mark`, its init
  // `init_pid` as LXC reports it.
  void existing(uint32_t vmid = 123, const std::string& mark = {}) {
    fsys::create_directories(backend_root_);
    std::ofstream(backend_root_ / "vmids.json") << R"({"c": )" << vmid << "}";
    write_config(vmid, mark.empty() ? owner_mark("c", backend_root_) : mark, "");
    record_.backend_state["vmid"] = vmid;
    lxc_init = init_pid;
  }

  // The CT config as pct writes it: the description as '#' lines, then "key: value".
  void write_config(uint32_t vmid, const std::string& description, const std::string& body) {
    std::ofstream out(tmp_.path() / "conf" / (std::to_string(vmid) + ".conf"));
    std::size_t pos = 0;
    while (pos <= description.size()) {
      auto nl = description.find('\n', pos);
      if (nl == std::string::npos) nl = description.size();
      out << "#" << description.substr(pos, nl - pos) << "\n";
      pos = nl + 1;
    }
    out << "arch: amd64\n" << body;
  }

  // Proxmox and LXC as this test's host has them.
  Reply proxmox(const Argv& a) {
    auto at = [&](std::size_t i) { return i < a.size() ? a[i] : std::string(); };
    if (a[0] == "dpkg-query") return {0, "installed 6.1.2\n", ""};
    if (a[0] == "pvesh" && a.size() == 3) return {0, std::to_string(next_id) + "\n", ""};
    if (a[0] == "pvesh") {
      auto vmid = static_cast<uint32_t>(std::stoul(at(4)));
      if (existing_vmids.count(vmid)) return {2, "", "VM " + at(4) + " already exists\n"};
      return {0, at(4) + "\n", ""};
    }
    if (a[0] == "pct" && at(1) == "create") {
      auto vmid = static_cast<uint32_t>(std::stoul(at(2)));
      // Someone else's guest got it between nextid and create.
      if (taken_at_create.count(vmid) || existing_vmids.count(vmid))
        return {
            255, "",
            "unable to create CT " + at(2) + " - CT " + at(2) + " already exists on node 'pve'\n"};
      if (!create_error.empty()) return {255, "", create_error};
      std::string description, body;
      for (std::size_t i = 4; i + 1 < a.size(); i += 2) {
        if (a[i] == "--description")
          description = a[i + 1];
        else
          body += a[i].substr(2) + ": " + a[i + 1] + "\n";
      }
      write_config(vmid, description, body);
      existing_vmids.insert(vmid);
      return {};
    }
    if (a[0] == "pct" && at(1) == "start") {
      lxc_init = init_pid;
      host_->processes[init_pid] = {'S', init_start, true};
      return {};
    }
    if (a[0] == "pct" && at(1) == "config") return {0, "arch: amd64\n", ""};
    if (a[0] == "lxc-info" && at(3) == "-p")
      return {0, lxc_init ? std::to_string(*lxc_init) + "\n" : "", ""};
    if (a[0] == "lxc-info" && at(3) == "-s") return {0, lxc_state + "\n", ""};
    return {};
  }

  backend::CreateCall create_call() {
    backend::CreateCall call;
    call.bundle = tmp_.path() / "bundle";
    call.work_dir = tmp_.path() / "work";
    call.caller_stdio = false;
    return call;
  }

  template <typename F>
  Error error_of(F&& f) {
    try {
      f();
    } catch (const Error& e) {
      return e;
    }
    ADD_FAILURE() << "no error";
    return Error(ErrorKind::internal, "none");
  }

  testing_support::TempDir tmp_{"nexcage-pct-driver"};
  fsys::path backend_root_;
  DriverConfig config_;
  ScriptedTools tools_;
  FakeHost* host_ = nullptr;
  state::Record record_;
  std::unique_ptr<Driver> driver_;

  // The script's Proxmox.
  uint32_t next_id = 100;
  std::set<uint32_t> existing_vmids;
  std::set<uint32_t> taken_at_create;
  std::string create_error;
  std::optional<int> lxc_init;
  std::string lxc_state = "RUNNING";
};

bool has(const std::string& text, const std::string& words) {
  return text.find(words) != std::string::npos;
}

// --- the ownership checks ---

TEST_F(PctDriver, StartSignalsTheWaitingInitCreateStarted) {
  existing();
  host_->processes[init_pid] = {'S', init_start, true};
  driver_->start(record_);
  EXPECT_EQ(host_->signals, (std::vector<std::pair<int, int>>{{init_pid, start_signal()}}));
}

TEST_F(PctDriver, StartRefusesAnInitProxmoxStartedSince) {
  existing();
  lxc_init = 5555;  // the GUI stopped and started it: LXC's init is not the one create recorded
  host_->processes[5555] = {'S', 999, true};
  auto e = error_of([&] { driver_->start(record_); });
  EXPECT_EQ(e.kind(), ErrorKind::wrong_state);
  EXPECT_TRUE(has(e.what(), "is not in the created state")) << e.what();
  EXPECT_TRUE(host_->signals.empty());
}

TEST_F(PctDriver, StartRefusesAnInitThatNoLongerWaits) {
  existing();
  host_->processes[init_pid] = {'S', init_start, false};
  auto e = error_of([&] { driver_->start(record_); });
  EXPECT_TRUE(has(e.what(), "is not in the created state")) << e.what();
  EXPECT_TRUE(has(e.hint(), "it was started already")) << e.hint();
  EXPECT_TRUE(host_->signals.empty());
}

TEST_F(PctDriver, StartOfAStoppedContainerIsProxmoxs) {
  existing();
  lxc_init.reset();  // a reboot or `pct stop`
  driver_->start(record_);
  EXPECT_EQ(tools_.count({"pct", "start", "123"}), 1u);
  EXPECT_TRUE(host_->signals.empty());
  // Once an OCI caller saw it exit, it stays stopped, as runc's would.
  record_.backend_state["monitor"] = true;
  lxc_init.reset();
  auto e = error_of([&] { driver_->start(record_); });
  EXPECT_TRUE(has(e.what(), "cannot start a container that has stopped")) << e.what();
  EXPECT_EQ(tools_.count({"pct", "start"}), 1u);
}

TEST_F(PctDriver, SignalsGoToLxcsInitNotToTheRecordedPid) {
  existing();
  record_.pid = 1111;  // as if state.json had been edited
  host_->processes[1111] = {'S', init_start, false};
  host_->processes[init_pid] = {'S', init_start, false};
  driver_->kill(record_, SIGTERM, false);
  EXPECT_EQ(host_->signals, (std::vector<std::pair<int, int>>{{init_pid, SIGTERM}}));
}

TEST_F(PctDriver, SigkillIsProxmoxsHardStop) {
  existing();
  host_->processes[init_pid] = {'S', init_start, false};
  driver_->kill(record_, SIGKILL, false);
  EXPECT_EQ(tools_.count({"pct", "stop", "123"}), 1u);
  EXPECT_TRUE(host_->signals.empty());
}

TEST_F(PctDriver, AZombieInitIsNotRunning) {
  existing();
  host_->processes[init_pid] = {'Z', init_start, false};
  auto e = error_of([&] { driver_->kill(record_, SIGTERM, false); });
  EXPECT_EQ(e.kind(), ErrorKind::wrong_state);
  EXPECT_TRUE(has(e.what(), "container c is not running")) << e.what();
  EXPECT_TRUE(host_->signals.empty());
}

TEST_F(PctDriver, AForeignMarkStopsEverySignal) {
  existing(123, owner_mark("c", "/elsewhere/.backends/pct"));
  host_->processes[init_pid] = {'S', init_start, true};
  for (int signal : {SIGTERM, SIGKILL}) {
    auto e = error_of([&] { driver_->kill(record_, signal, false); });
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << e.what();
  }
  auto e = error_of([&] { driver_->start(record_); });
  EXPECT_TRUE(has(e.what(), "is not the Proxmox container nexcage created for c")) << e.what();
  EXPECT_TRUE(host_->signals.empty());
  EXPECT_TRUE(tools_.commands.empty()) << "the mark is read before any tool runs";
}

TEST_F(PctDriver, ObserveSaysCreatedWhileTheInitWaits) {
  existing();
  host_->processes[init_pid] = {'S', init_start, true};
  auto seen = driver_->observe(record_);
  EXPECT_EQ(seen.status, backend::LiveStatus::created);
  EXPECT_EQ(seen.pid, init_pid);
  EXPECT_TRUE(tools_.commands.empty()) << "the common case runs no process";
}

TEST_F(PctDriver, ObserveFollowsAContainerProxmoxRestarted) {
  existing();
  lxc_init = 5555;  // the GUI started it again: a new init, no record of it
  host_->processes[5555] = {'S', 999, false};
  auto seen = driver_->observe(record_);
  EXPECT_EQ(seen.status, backend::LiveStatus::running);
  EXPECT_EQ(seen.pid, 5555);
  // Unless the config no longer carries the mark: then it is not ours, and ours is stopped.
  write_config(123, owner_mark("other", backend_root_), "");
  EXPECT_EQ(driver_->observe(record_).status, backend::LiveStatus::stopped);
}

TEST_F(PctDriver, RemoveLeavesAForeignGuestAlone) {
  existing(123, owner_mark("someone-else", backend_root_));
  driver_->remove(record_, true);
  EXPECT_EQ(tools_.count({"pct", "destroy"}), 0u);
  EXPECT_EQ(tools_.count({"pct", "stop"}), 0u);
  EXPECT_FALSE(VmidMap(backend_root_).find("c")) << "the VMID is forgotten";
  EXPECT_EQ(host_->released, (std::vector<std::string>{"c"}));
}

TEST_F(PctDriver, RemoveRefusesARunningContainerWithoutForce) {
  existing();
  host_->processes[init_pid] = {'S', init_start, false};
  auto e = error_of([&] { driver_->remove(record_, false); });
  EXPECT_EQ(e.kind(), ErrorKind::wrong_state);
  EXPECT_EQ(tools_.count({"pct", "destroy"}), 0u);
  EXPECT_EQ(VmidMap(backend_root_).find("c"), std::optional<uint32_t>(123));
  driver_->remove(record_, true);
  EXPECT_EQ(tools_.count({"pct", "destroy", "123", "--purge", "1", "--force", "1"}), 1u);
  EXPECT_FALSE(VmidMap(backend_root_).find("c"));
}

TEST_F(PctDriver, CheckBundleNeedsRoot) {
  host_->root = false;
  auto bundle = oci::load_bundle(tmp_.path() / "bundle");
  auto e = error_of([&] { driver_->check_bundle(bundle); });
  EXPECT_TRUE(has(e.what(), "the pct backend needs root")) << e.what();
  host_->root = true;
  driver_->check_bundle(bundle);
}

// --- create and the VMID retry ---

TEST_F(PctDriver, CreateGetsToTheWaitingInit) {
  EXPECT_EQ(driver_->create(record_, create_call()), init_pid);
  EXPECT_EQ(record_.backend_state["vmid"], 100);
  EXPECT_EQ(VmidMap(backend_root_).find("c"), std::optional<uint32_t>(100));
  EXPECT_EQ(tools_.count({"pct", "create", "100", "local:vztmpl/nexcage-d1.tar"}), 1u);
  EXPECT_EQ(host_->acquired, (std::vector<std::string>{"c"}));
  // The first start's gate is closed again: the config runs the application directly.
  std::ifstream in(tmp_.path() / "conf" / "100.conf");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_TRUE(has(text, "#nexcage container c")) << text;
  EXPECT_FALSE(has(text, std::string(init_in_container) + " " + init_verb_wait)) << text;
  EXPECT_FALSE(has(text, "lxc.console.logfile")) << text;
}

TEST_F(PctDriver, CreateRetriesAVmidTakenMeanwhile) {
  taken_at_create = {100};  // nextid keeps saying 100: Proxmox has not seen the other guest yet
  EXPECT_EQ(driver_->create(record_, create_call()), init_pid);
  EXPECT_EQ(tools_.count({"pct", "create", "100"}), 1u);
  EXPECT_EQ(tools_.count({"pct", "create", "101"}), 1u);
  EXPECT_EQ(tools_.count({"pvesh", "get", "/cluster/nextid", "--vmid", "101"}), 1u);
  EXPECT_EQ(VmidMap(backend_root_).find("c"), std::optional<uint32_t>(101));
  EXPECT_EQ(record_.backend_state["vmid"], 101);
  // The guest that took 100 is someone else's: nothing ever acts on it.
  for (const auto& c : tools_.commands)
    if (c.size() > 2 && c[2] == "100") EXPECT_EQ(c[1], "create");
  EXPECT_TRUE(fsys::exists(tmp_.path() / "conf" / "101.conf"));
  EXPECT_FALSE(fsys::exists(tmp_.path() / "conf" / "100.conf"));
}

TEST_F(PctDriver, CreateGivesUpAfterFiveTakenVmids) {
  taken_at_create = {100, 101, 102, 103, 104, 105};
  auto e = error_of([&] { driver_->create(record_, create_call()); });
  EXPECT_EQ(e.kind(), ErrorKind::backend);
  EXPECT_TRUE(has(e.what(), "pct create failed 5 times because the VMID was taken")) << e.what();
  EXPECT_EQ(tools_.count({"pct", "create"}), 5u);
  EXPECT_EQ(tools_.count({"pct", "create", "105"}), 0u);
  EXPECT_FALSE(VmidMap(backend_root_).find("c")) << "no VMID stays recorded";
  EXPECT_EQ(tools_.count({"pct", "start"}), 0u);
}

TEST_F(PctDriver, CreateStopsAtAnyOtherPctError) {
  create_error = "unable to create CT 100 - storage 'local-lvm' does not exist\n";
  auto e = error_of([&] { driver_->create(record_, create_call()); });
  EXPECT_EQ(e.kind(), ErrorKind::backend);
  EXPECT_TRUE(has(e.what(), "storage 'local-lvm' does not exist")) << e.what();
  EXPECT_EQ(tools_.count({"pct", "create"}), 1u);
}

TEST_F(PctDriver, CreateReportsAnInitThatEndedAtOnce) {
  lxc_state = "STOPPED";
  std::ofstream(tmp_.path() / "work" / "console.log") << "booting\n/bin/app: not found\n";
  tools_.answer = [this](const Argv& a) {
    if (a[0] == "pct" && a[1] == "start") return Reply{};  // started, and its init died at once
    return proxmox(a);
  };
  auto e = error_of([&] { driver_->create(record_, create_call()); });
  EXPECT_TRUE(has(e.what(), "stopped before it reached the created state: /bin/app: not found"))
      << e.what();
}

// --- exec: the user, and what pct's exec cannot do ---

Argv attach_ids(const Argv& argv) {
  Argv ids;
  for (std::size_t i = 0; i + 1 < argv.size() && argv[i] != "--"; ++i)
    if (argv[i] == "-u" || argv[i] == "-g") ids.insert(ids.end(), {argv[i], argv[i + 1]});
  return ids;
}

TEST_F(PctDriver, ExecUserIsUidOrUidColonGid) {
  existing();
  struct Case {
    std::string user;
    Argv ids;
  };
  for (const auto& c : std::vector<Case>{
           {"", {"-u", "5", "-g", "6"}},  // the bundle's process.user
           {"1000", {"-u", "1000", "-g", "6"}},
           {"1000:2000", {"-u", "1000", "-g", "2000"}},
           {"0:0", {"-u", "0", "-g", "0"}},
           {"4294967295:1", {"-u", "4294967295", "-g", "1"}},
       }) {
    backend::ExecCall call;
    call.args = {"id"};
    call.detach = true;
    call.user = c.user;
    EXPECT_EQ(driver_->exec_detached(record_, call), 31337);
    ASSERT_EQ(tools_.commands.back()[0], "lxc-attach");
    EXPECT_EQ(attach_ids(tools_.commands.back()), c.ids) << c.user;
  }
}

TEST_F(PctDriver, ExecRefusesAUserThatIsNotNumeric) {
  existing();
  for (const char* user :
       {"root", "1000:", ":1000", "1000:wheel", "4294967296", "-1", "1 000", "1000:2000:3000"}) {
    backend::ExecCall call;
    call.args = {"id"};
    call.detach = true;
    call.user = user;
    auto e = error_of([&] { driver_->exec_detached(record_, call); });
    EXPECT_EQ(e.kind(), ErrorKind::usage) << user;
    EXPECT_TRUE(has(e.what(), "must be UID or UID:GID")) << user << ": " << e.what();
  }
  EXPECT_EQ(tools_.count({"lxc-attach"}), 0u);
}

TEST_F(PctDriver, ExecPassesEnvCwdAndArgsToNexcageInit) {
  existing();
  backend::ExecCall call;
  call.args = {"sh", "-c", "echo $A"};
  call.env = {"B=2"};
  call.cwd = "/tmp";
  call.detach = true;
  driver_->exec_detached(record_, call);
  const auto& argv = tools_.commands.back();
  auto dashes = std::find(argv.begin(), argv.end(), "--");
  ASSERT_NE(dashes, argv.end());
  EXPECT_EQ(Argv(dashes + 1, argv.end()), (Argv{init_in_container, init_verb_exec, "--cwd", "/tmp",
                                                "--", "sh", "-c", "echo $A"}));
  EXPECT_EQ(Argv(argv.begin(), argv.begin() + 4), (Argv{"lxc-attach", "-n", "123", "--clear-env"}));
  Argv vars;
  for (auto it = argv.begin(); it != dashes; ++it)
    if (*it == "-v") vars.push_back(*(it + 1));
  EXPECT_EQ(vars, (Argv{"PATH=/bin", "A=1", "B=2"}));
}

TEST_F(PctDriver, ExecRefusesWhatLxcAttachCannotDo) {
  existing();
  backend::ExecCall call;
  call.args = {"id"};
  call.detach = true;
  call.caps = {"CAP_SYS_ADMIN"};
  auto e = error_of([&] { driver_->exec_detached(record_, call); });
  EXPECT_EQ(e.kind(), ErrorKind::usage);
  EXPECT_TRUE(has(e.what(), "not --console-socket, --preserve-fds, --cap")) << e.what();
  EXPECT_TRUE(tools_.commands.empty());
}

}  // namespace

namespace {

TEST_F(PctDriver, TheOutsideIdIsTheRecordedVmid) {
  EXPECT_EQ(driver_->outside_id(record_), std::nullopt);  // before create recorded one
  existing(4321);
  EXPECT_EQ(driver_->outside_id(record_), std::optional<uint32_t>(4321));
  EXPECT_TRUE(tools_.commands.empty()) << "read from the record, no process run";
}

}  // namespace
