#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <unistd.h>
#include <csignal>

#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>

#include "../temp_dir.hpp"
#include "fake_runner.hpp"
#include "nexcage/cgroup/layout.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/lifecycle/operations.hpp"
#include "nexcage/process/proc.hpp"

using namespace nexcage;
namespace fsys = std::filesystem;

namespace {

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fsys::create_directories(bundle_ / "rootfs");
    write_config(R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},
      "process":{"args":["/bin/true"],"cwd":"/","env":["PATH=/bin"]},
      "annotations":{"org.example":"yes"}})");
    // The fake binaries must exist for the router's availability check.
    for (const char* name : {"runc", "crun"}) {
      auto bin = base_ / name;
      std::ofstream(bin) << "";
      fsys::permissions(bin, fsys::perms::owner_all);
    }
  }
  void write_config(const std::string& text) {
    std::ofstream(bundle_ / "config.json", std::ios::trunc) << text;
  }

  lifecycle::Context context(std::optional<std::string> backend = std::nullopt) {
    auto config = router::default_config();
    config.backends["runc"].path = (base_ / "runc").string();
    config.backends["crun"].path = (base_ / "crun").string();
    backend::Globals globals;
    globals.root = base_ / "root";
    return lifecycle::Context(config, globals, backend, runner_);
  }

  // The admin form's create (create --image), which nexcage sees through to its end: most tests
  // need a container, not the handover of the callers' form (see in_replaced_process).
  lifecycle::CreateRequest create_request(const std::string& id) {
    lifecycle::CreateRequest r;
    r.id = id;
    r.bundle = bundle_.string();
    r.pid_file = (base_ / "init.pid").string();
    r.caller_stdio = false;
    r.output_file = (base_ / "output.log").string();
    return r;
  }
  lifecycle::CreateRequest callers_create_request(const std::string& id) {
    auto r = create_request(id);
    r.caller_stdio = true;
    r.output_file.clear();
    return r;
  }

  // A create handed to the fake backend in a child process (in_replaced_process), with a process
  // standing for the init: forked by that child, so it starts after the create began, as the
  // real one does; this test process reaps it (subreaper). Returns its pid, 0 on failure.
  int create_in_place(lifecycle::Context& ctx, const lifecycle::CreateRequest& request) {
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) return 0;
    int code = in_replaced_process([&] {
      pid_t init = fork();
      if (init == 0) {
        pause();
        _exit(0);
      }
      runner_.pid_to_report = init;
      lifecycle::create(ctx, request);
    });
    if (code != 0) return 0;
    std::ifstream in(request.pid_file);
    int pid = 0;
    in >> pid;
    return pid;
  }

  // Runs `command` in a child process in which the fake runner's execve ends the process as the
  // backend it stands for would (FakeRunner::exit_on_replace); returns its exit status. The
  // commands executed there are appended to runner_.commands.
  int in_replaced_process(const std::function<void()>& command) {
    auto log = base_ / "replaced.log";
    fsys::remove(log);
    pid_t child = fork();
    if (child == 0) {
      runner_.exit_on_replace = true;
      runner_.replaced_log = log.string();
      try {
        command();
      } catch (...) {
        _exit(125);
      }
      _exit(126);  // returned without replacing itself
    }
    int status = 0;
    waitpid(child, &status, 0);
    std::ifstream in(log);
    for (std::string line; std::getline(in, line);) {
      process::Command cmd;
      cmd.argv = nlohmann::json::parse(line).get<std::vector<std::string>>();
      runner_.commands.push_back(cmd);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  static nlohmann::json saved_record(const fsys::path& dir) {
    std::ifstream in(dir / "state.json");
    return nlohmann::json::parse(in);
  }
  // The v1 freezer and v2 cgroup of a live process, as /proc/<pid>/cgroup names them.
  static nlohmann::json noted_cgroups_of(int pid) {
    auto paths = cgroup::paths_of(pid, cgroup::Host::system());
    auto noted = nlohmann::json::object();
    if (!paths) return noted;
    if (paths->count("freezer")) noted["freezer"] = paths->at("freezer");
    if (paths->count("")) noted["unified"] = paths->at("");
    return noted;
  }

  std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }

  nexcage::testing_support::TempDir tmp_{"nexcage-lifecycle"};
  fsys::path base_ = tmp_.path();
  fsys::path bundle_ = base_ / "bundle";
  fakes::FakeRunner runner_;
};

}  // namespace

TEST_F(LifecycleTest, CreateRunsTheBackendAndRecordsTheContainer) {
  auto ctx = context();
  lifecycle::create(ctx, create_request("c1"));
  ASSERT_EQ(runner_.commands.size(), 1u);
  const auto& argv = runner_.commands[0].argv;
  auto root = (base_ / "root").string();
  EXPECT_EQ(argv[0], (base_ / "runc").string());
  EXPECT_EQ(fakes::FakeRunner::value_after(argv, "--root"), root + "/.backends/runc");
  EXPECT_EQ(fakes::FakeRunner::value_after(argv, "--bundle"), bundle_.string());
  EXPECT_EQ(fakes::FakeRunner::value_after(argv, "--pid-file"), root + "/c1/init.pid");
  EXPECT_EQ(argv.back(), "c1");
  // The explicit environment: the caller's (backend_environment), with a PATH.
  const auto& env = runner_.commands[0].env;
  EXPECT_EQ(std::count_if(env.begin(), env.end(),
                          [](const std::string& v) { return v.rfind("PATH=", 0) == 0; }),
            1);

  std::ifstream pid_file(base_ / "init.pid");
  std::string pid((std::istreambuf_iterator<char>(pid_file)), {});
  EXPECT_EQ(pid, std::to_string(getpid()));  // no trailing newline

  auto state = nlohmann::json::parse(lifecycle::state(ctx, "c1"));
  EXPECT_EQ(state["id"], "c1");
  EXPECT_EQ(state["pid"], getpid());
  EXPECT_EQ(state["bundle"], bundle_.string());
  EXPECT_EQ(state["rootfs"], (bundle_ / "rootfs").string());
  EXPECT_EQ(state["annotations"]["org.example"], "yes");
  EXPECT_EQ(state["owner"], "");
  // No exec.fifo in the fake backend root, and our own pid is alive: running.
  EXPECT_EQ(state["status"], "running");
  // Where the init's freezer is, noted for `list` and `state` (Backend::note_init).
  EXPECT_EQ(saved_record(base_ / "root" / "c1")["backend_state"]["init_cgroups"],
            noted_cgroups_of(getpid()));
}

TEST_F(LifecycleTest, FailedCreateLeavesNothingAndReportsTheBackendMessage) {
  auto ctx = context();
  runner_.replies["create"] = {1, "", "rootfs is not a directory"};
  // The backend left state behind: nexcage must delete it with --force.
  fsys::create_directories(base_ / "root" / ".backends" / "runc" / "c1");
  EXPECT_EQ(error_of([&] { lifecycle::create(ctx, create_request("c1")); }),
            "rootfs is not a directory");
  ASSERT_EQ(runner_.commands.size(), 2u);
  EXPECT_EQ(runner_.commands.back().argv.at(runner_.commands.back().argv.size() - 4), "delete");
  EXPECT_EQ(runner_.commands.back().argv.at(runner_.commands.back().argv.size() - 3), "--force");
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "");
  EXPECT_FALSE(fsys::exists(base_ / "init.pid"));
  // The id is free again.
  runner_.replies.clear();
  lifecycle::create(ctx, create_request("c1"));
}

TEST_F(LifecycleTest, InvalidConfigFailsBeforeAnythingRuns) {
  auto ctx = context();
  write_config(
      R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["/bin/true"],"cwd":"relative"}})");
  auto message = error_of([&] { lifecycle::create(ctx, create_request("c1")); });
  EXPECT_NE(message.find("process.cwd"), std::string::npos) << message;
  EXPECT_TRUE(runner_.commands.empty());
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "");
}

TEST_F(LifecycleTest, TerminalNeedsAConsoleSocket) {
  auto ctx = context();
  write_config(
      R"({"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"terminal":true,"args":["/bin/sh"],"cwd":"/"}})");
  EXPECT_EQ(error_of([&] { lifecycle::create(ctx, create_request("c1")); }),
            "cannot allocate tty if runc will detach without setting console socket");
  EXPECT_TRUE(runner_.commands.empty());
}

TEST_F(LifecycleTest, DuplicateIdIsRefused) {
  auto ctx = context();
  lifecycle::create(ctx, create_request("c1"));
  EXPECT_EQ(error_of([&] { lifecycle::create(ctx, create_request("c1")); }),
            "container with given ID already exists");
}

TEST_F(LifecycleTest, LaterCommandsUseTheRecordedBackend) {
  auto ctx = context(std::string("crun"));
  lifecycle::create(ctx, create_request("c1"));
  auto plain = context();
  // The backend's kill replaces nexcage (the fake runner throws in place of execve).
  EXPECT_THROW(lifecycle::kill(plain, "c1", "sigusr1", false), std::runtime_error);
  EXPECT_EQ(runner_.commands.back().argv[0], (base_ / "crun").string());
  EXPECT_EQ(runner_.commands.back().argv.back(), "10");
  auto wrong = context(std::string("runc"));
  EXPECT_EQ(error_of([&] { lifecycle::kill(wrong, "c1", "9", false); }),
            "container c1 was created with backend \"crun\", not \"runc\"");
}

TEST_F(LifecycleTest, DeleteOfARunningContainerNeedsForce) {
  auto ctx = context();
  lifecycle::create(ctx, create_request("c1"));
  fsys::create_directories(base_ / "root" / ".backends" / "runc" / "c1");  // the backend knows it
  EXPECT_EQ(error_of([&] { lifecycle::remove(ctx, "c1", false); }),
            "cannot delete container c1 that is not stopped: running");
  // The backend's delete replaces nexcage; the record it leaves goes with the next command.
  EXPECT_EQ(in_replaced_process([&] { lifecycle::remove(ctx, "c1", true); }), 0);
  EXPECT_EQ(runner_.commands.back().argv.back(), "c1");
  EXPECT_EQ(runner_.commands.back().argv.at(runner_.commands.back().argv.size() - 3), "--force");
  EXPECT_EQ(error_of([&] { lifecycle::state(ctx, "c1"); }), "container does not exist");
  EXPECT_TRUE(fsys::exists(base_ / "root" / "c1"));
  EXPECT_EQ(error_of([&] { lifecycle::remove(ctx, "c1", false); }), "container does not exist");
  EXPECT_FALSE(fsys::exists(base_ / "root" / "c1"));
  EXPECT_NO_THROW(lifecycle::remove(ctx, "c1", true));
}

TEST_F(LifecycleTest, UnknownIdsSayDoesNotExist) {
  auto ctx = context();
  for (auto op : {+[](lifecycle::Context& c) { lifecycle::start(c, "nope"); },
                  +[](lifecycle::Context& c) { lifecycle::state(c, "nope"); },
                  +[](lifecycle::Context& c) { lifecycle::kill(c, "nope", "9", false); },
                  +[](lifecycle::Context& c) { lifecycle::pause(c, "nope"); }}) {
    EXPECT_EQ(error_of([&] { op(ctx); }), "container does not exist");
  }
}

TEST_F(LifecycleTest, KillAllOnAStoppedContainerSucceeds) {
  auto ctx = context();
  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  runner_.pid_to_report = child;
  lifecycle::create(ctx, create_request("c1"));
  ::kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_EQ(nlohmann::json::parse(lifecycle::state(ctx, "c1"))["status"], "stopped");
  EXPECT_EQ(nlohmann::json::parse(lifecycle::state(ctx, "c1"))["pid"], 0);
  auto before = runner_.commands.size();
  EXPECT_NO_THROW(lifecycle::kill(ctx, "c1", "9", true));
  EXPECT_EQ(error_of([&] { lifecycle::kill(ctx, "c1", "9", false); }), "container not running");
  EXPECT_EQ(runner_.commands.size(), before);  // the backend was not even asked
}

namespace {

// A record as a foreground run hands it to the backend: the handing-over process is `pid`.
void record_handed_over_run(lifecycle::Context& ctx, const std::string& id, int pid,
                            uint64_t start_time) {
  state::Record r;
  r.id = id;
  r.status = state::Status::running;
  r.bundle = "/b";
  r.rootfs = "/b/rootfs";
  r.created = "2026-12-06T00:00:00Z";
  r.backend = "crun";
  r.backend_state = ctx.backend("crun")->initial_state(id);
  r.handover = state::Handover{pid, start_time};
  ctx.store().claim(r, [](const state::Record&) {});
}

int exited_child() {
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  return child;
}

}  // namespace

TEST_F(LifecycleTest, AForegroundRunExecutesTheBackendsRunInItsPlace) {
  auto ctx = context(std::string("crun"));
  lifecycle::RunRequest request;
  request.create = create_request("r1");
  request.create.pid_file.clear();
  // The fake runner stands for execve by throwing: the record the run claimed goes again.
  EXPECT_THROW(lifecycle::run(ctx, request), std::runtime_error);
  ASSERT_FALSE(runner_.commands.empty());
  const auto& argv = runner_.commands.back().argv;
  EXPECT_NE(std::find(argv.begin(), argv.end(), "run"), argv.end());
  EXPECT_EQ(fakes::FakeRunner::value_after(argv, "--pid-file"),
            (base_ / "root" / "r1" / "init.pid").string());
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "");
  EXPECT_FALSE(fsys::exists(base_ / "root" / "r1"));
}

TEST_F(LifecycleTest, AHandedOverRunIsSeenThroughTheBackendsPidFile) {
  auto ctx = context();
  auto self = process::read_proc_stat(getpid());
  ASSERT_TRUE(self);
  record_handed_over_run(ctx, "h1", getpid(), self->start_time);
  // Until the backend has written the init's pid, the container is still being created.
  EXPECT_EQ(error_of([&] { lifecycle::state(ctx, "h1"); }), "container does not exist");
  EXPECT_EQ(error_of([&] { lifecycle::kill(ctx, "h1", "9", false); }), "container does not exist");
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "");
  EXPECT_TRUE(fsys::exists(base_ / "root" / "h1"));
  // Then it runs with that init (this test process stands for it).
  std::ofstream(base_ / "root" / "h1" / "init.pid") << getpid();
  auto st = nlohmann::json::parse(lifecycle::state(ctx, "h1"));
  EXPECT_EQ(st["status"], "running");
  EXPECT_EQ(st["pid"], getpid());
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "h1\n");
  EXPECT_EQ(error_of([&] { lifecycle::create(ctx, create_request("h1")); }),
            "container with given ID already exists");
}

TEST_F(LifecycleTest, AnEndedRunLeavesNoContainerAndFreesItsId) {
  auto ctx = context();
  record_handed_over_run(ctx, "h1", exited_child(), 1);
  record_handed_over_run(ctx, "h2", exited_child(), 1);
  record_handed_over_run(ctx, "h3", exited_child(), 1);
  EXPECT_EQ(error_of([&] { lifecycle::state(ctx, "h1"); }), "container does not exist");
  // list drops what it meets; delete --force of it succeeds; create takes the id again.
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "");
  EXPECT_FALSE(fsys::exists(base_ / "root" / "h1"));
  record_handed_over_run(ctx, "h1", exited_child(), 1);
  EXPECT_NO_THROW(lifecycle::remove(ctx, "h1", true));
  EXPECT_FALSE(fsys::exists(base_ / "root" / "h1"));
  record_handed_over_run(ctx, "h1", exited_child(), 1);
  EXPECT_NO_THROW(lifecycle::create(ctx, create_request("h1")));
  auto st = nlohmann::json::parse(lifecycle::state(ctx, "h1"));
  EXPECT_EQ(st["pid"], getpid());  // the fake backend's init
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "h1\n");
}

TEST_F(LifecycleTest, AnEndedRunTheBackendKeptIsAStoppedContainer) {
  auto ctx = context();
  record_handed_over_run(ctx, "k1", exited_child(), 1);
  fsys::create_directories(base_ / "root" / ".backends" / "crun" / "k1");  // run --keep
  auto st = nlohmann::json::parse(lifecycle::state(ctx, "k1"));
  EXPECT_EQ(st["status"], "stopped");
  EXPECT_EQ(st["pid"], 0);
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "k1\n");
  EXPECT_EQ(error_of([&] { lifecycle::start(ctx, "k1"); }),
            "cannot start a container that has stopped");
  EXPECT_EQ(in_replaced_process([&] { lifecycle::remove(ctx, "k1", false); }), 0);
  EXPECT_EQ(runner_.commands.back().argv.back(), "k1");
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "");
}

TEST_F(LifecycleTest, StartAndKillReplaceNexcageWithTheBackend) {
  auto ctx = context(std::string("crun"));
  lifecycle::create(ctx, create_request("c1"));
  // exec.fifo: created, not started yet.
  auto fifo = base_ / "root" / ".backends" / "crun" / "c1" / "exec.fifo";
  fsys::create_directories(fifo.parent_path());
  std::ofstream(fifo) << "";
  auto saved = fsys::last_write_time(base_ / "root" / "c1" / "state.json");
  EXPECT_THROW(lifecycle::start(ctx, "c1"), std::runtime_error);
  auto argv = runner_.commands.back().argv;
  EXPECT_NE(std::find(argv.begin(), argv.end(), "start"), argv.end());
  EXPECT_EQ(argv.back(), "c1");
  // Nothing was written after the backend's start: the record did not change.
  EXPECT_EQ(fsys::last_write_time(base_ / "root" / "c1" / "state.json"), saved);
  fsys::remove(fifo);
  EXPECT_THROW(lifecycle::kill(ctx, "c1", "TERM", false), std::runtime_error);
  argv = runner_.commands.back().argv;
  EXPECT_NE(std::find(argv.begin(), argv.end(), "kill"), argv.end());
  EXPECT_EQ(argv.back(), "15");
}

namespace {

std::string file_text(const fsys::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

TEST_F(LifecycleTest, ACreateWithTheCallersStdioExecutesTheBackendsCreateInItsPlace) {
  auto ctx = context(std::string("crun"));
  auto request = callers_create_request("c1");
  int init = create_in_place(ctx, request);
  ASSERT_GT(init, 0);
  ASSERT_EQ(runner_.commands.size(), 1u);
  const auto& argv = runner_.commands.back().argv;
  EXPECT_NE(std::find(argv.begin(), argv.end(), "create"), argv.end());
  // The backend writes the caller's pid file itself.
  EXPECT_EQ(fakes::FakeRunner::value_after(argv, "--pid-file"), request.pid_file);
  auto saved = nlohmann::json::parse(file_text(base_ / "root" / "c1" / "state.json"));
  EXPECT_EQ(saved["handover"]["command"], "create");
  EXPECT_EQ(saved["handover"]["pid_file"], request.pid_file);
  EXPECT_EQ(file_text(request.pid_file), std::to_string(init));

  // What the backend made: its state directory, the init waiting for start.
  auto fifo = base_ / "root" / ".backends" / "crun" / "c1" / "exec.fifo";
  fsys::create_directories(fifo.parent_path());
  std::ofstream(fifo) << "";
  auto st = nlohmann::json::parse(lifecycle::state(ctx, "c1"));
  EXPECT_EQ(st["status"], "created");
  EXPECT_EQ(st["pid"], init);
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "c1\n");
  // The first command that holds the record exclusively writes it down without the handover.
  EXPECT_THROW(lifecycle::start(ctx, "c1"), std::runtime_error);
  saved = nlohmann::json::parse(file_text(base_ / "root" / "c1" / "state.json"));
  EXPECT_FALSE(saved.contains("handover"));
  EXPECT_EQ(saved["pid"], init);
  EXPECT_EQ(saved["status"], "created");
  EXPECT_EQ(saved["backend_state"]["init_cgroups"], noted_cgroups_of(init));
  ::kill(init, SIGKILL);
  waitpid(init, nullptr, 0);
  EXPECT_EQ(nlohmann::json::parse(lifecycle::state(ctx, "c1"))["status"], "stopped");
}

TEST_F(LifecycleTest, AHandedOverCreateThatFailedLeavesNothing) {
  auto ctx = context(std::string("crun"));
  runner_.replies["create"] = {1, "", "rootfs is not a directory"};
  EXPECT_EQ(in_replaced_process([&] { lifecycle::create(ctx, callers_create_request("c1")); }), 1);
  EXPECT_TRUE(fsys::exists(base_ / "root" / "c1"));  // until a command meets it
  EXPECT_EQ(error_of([&] { lifecycle::state(ctx, "c1"); }), "container does not exist");
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "");
  EXPECT_FALSE(fsys::exists(base_ / "root" / "c1"));
  runner_.replies.clear();
  EXPECT_NO_THROW(lifecycle::create(ctx, create_request("c1")));
}

TEST_F(LifecycleTest, AHandedOverCreateKilledBeforeThePidIsAnAbandonedOne) {
  auto ctx = context(std::string("crun"));
  runner_.replies["create"] = {128 + SIGKILL, "", ""};
  EXPECT_EQ(in_replaced_process([&] { lifecycle::create(ctx, callers_create_request("c1")); }),
            128 + SIGKILL);
  fsys::create_directories(base_ / "root" / ".backends" / "crun" / "c1");  // made before it died
  auto st = nlohmann::json::parse(lifecycle::state(ctx, "c1"));
  EXPECT_EQ(st["status"], "stopped");
  EXPECT_EQ(st["pid"], 0);
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "c1\n");
  // A create of the id destroys what is left in the backend first.
  runner_.replies.clear();
  runner_.commands.clear();
  EXPECT_NO_THROW(lifecycle::create(ctx, create_request("c1")));
  ASSERT_EQ(runner_.commands.size(), 2u);
  const auto& removal = runner_.commands.front().argv;
  EXPECT_NE(std::find(removal.begin(), removal.end(), "delete"), removal.end());
  EXPECT_NE(std::find(removal.begin(), removal.end(), "--force"), removal.end());
  EXPECT_EQ(nlohmann::json::parse(lifecycle::state(ctx, "c1"))["pid"], getpid());
}

TEST_F(LifecycleTest, AHandedOverDeleteThatFailedLeavesTheContainer) {
  auto ctx = context(std::string("crun"));
  lifecycle::create(ctx, create_request("c1"));
  fsys::create_directories(base_ / "root" / ".backends" / "crun" / "c1");
  runner_.replies["delete"] = {1, "", "cannot delete"};
  EXPECT_EQ(in_replaced_process([&] { lifecycle::remove(ctx, "c1", true); }), 1);
  EXPECT_EQ(nlohmann::json::parse(lifecycle::state(ctx, "c1"))["status"], "running");
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "c1\n");
  runner_.replies.clear();
  EXPECT_EQ(in_replaced_process([&] { lifecycle::remove(ctx, "c1", true); }), 0);
  EXPECT_EQ(lifecycle::list(ctx, "table", true), "");
  EXPECT_FALSE(fsys::exists(base_ / "root" / "c1"));
}

TEST_F(LifecycleTest, TheNextCreateDropsTheRecordsHandedOverDeletesLeft) {
  auto ctx = context(std::string("crun"));
  for (const char* id : {"d1", "d2"}) {
    lifecycle::create(ctx, create_request(id));
    fsys::create_directories(base_ / "root" / ".backends" / "crun" / id);
    EXPECT_EQ(in_replaced_process([&] { lifecycle::remove(ctx, id, true); }), 0);
    EXPECT_TRUE(fsys::exists(base_ / "root" / id));
  }
  // A run still going on is left alone.
  auto self = process::read_proc_stat(getpid());
  ASSERT_TRUE(self);
  record_handed_over_run(ctx, "r1", getpid(), self->start_time);
  ctx.store().note_handover("r1");

  lifecycle::create(ctx, create_request("c1"));
  EXPECT_FALSE(fsys::exists(base_ / "root" / "d1"));
  EXPECT_FALSE(fsys::exists(base_ / "root" / "d2"));
  EXPECT_TRUE(fsys::exists(base_ / "root" / "r1"));
  EXPECT_EQ(ctx.store().noted_handovers(), std::vector<std::string>{"r1"});
}

TEST_F(LifecycleTest, AHandedOverCreatesPidFileIsReadOnlyAsARegularFile) {
  auto ctx = context(std::string("crun"));
  auto request = callers_create_request("c1");
  int init = create_in_place(ctx, request);
  ASSERT_GT(init, 0);
  fsys::create_directories(base_ / "root" / ".backends" / "crun" / "c1");
  // The caller's pid file may sit where others can write: a symlink in its place is not followed.
  auto elsewhere = base_ / "elsewhere.pid";
  fsys::rename(request.pid_file, elsewhere);
  fsys::create_symlink(elsewhere, request.pid_file);
  auto st = nlohmann::json::parse(lifecycle::state(ctx, "c1"));
  EXPECT_EQ(st["status"], "stopped");
  EXPECT_EQ(st["pid"], 0);
  ::kill(init, SIGKILL);
  waitpid(init, nullptr, 0);
}
