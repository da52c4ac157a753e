#pragma once
// End-to-end harness: runs the built nexcage binary as a user would, against real runc and crun,
// with a private --root, a private config file and busybox-static bundles.
//
// The binary under test is NEXCAGE_BINARY (the build's nexcage), or $NEXCAGE_E2E_BINARY when set;
// tests/e2e/README.md says how to run the suite.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace e2e {

using namespace std::chrono_literals;

// What one nexcage invocation did.
struct Result {
  std::vector<std::string> argv;
  int code = -1;  // exit code, 128+signal when killed by one, -1 when it timed out
  std::string out;
  std::string err;
  bool timed_out = false;
};
// For assertion messages: the command, its exit code, stdout and stderr.
std::ostream& operator<<(std::ostream& os, const Result& r);

// Limit for one nexcage invocation; a command still running after it is SIGKILLed and the test
// fails.
inline constexpr std::chrono::milliseconds command_timeout = 30s;

// Runs `binary ARGS...` (argv[0] = basename) with stdin from `input` (empty when not given) and
// stdout/stderr captured, without a shell. The environment holds only a PATH and `extra_env`.
Result run_command(const std::string& binary, const std::vector<std::string>& args,
                   const std::optional<std::string>& input = {},
                   std::chrono::milliseconds timeout = command_timeout,
                   const std::vector<std::string>& extra_env = {});

// The nexcage binary under test.
const std::string& nexcage_binary();

// A private workspace: temp dir, --root, and a config file naming both backends. Destroying it
// force-deletes every container left in its root (through nexcage, then through the backends
// directly in case nexcage could not) and removes the directory.
class Workspace {
 public:
  Workspace();
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  const std::filesystem::path& root() const { return root_; }
  // Where nexcage keeps a backend's own state (its --root) inside our root.
  std::filesystem::path backend_root(const std::string& backend) const {
    return root_ / ".backends" / backend;
  }
  const std::filesystem::path& config() const { return config_; }

  // nexcage --root <root> --config <config> ARGS...
  Result nx(const std::vector<std::string>& args, const std::optional<std::string>& input = {},
            std::chrono::milliseconds timeout = command_timeout) const;
  // The same with NAME=VALUE variables added to the environment.
  Result nx_env(const std::vector<std::string>& env, const std::vector<std::string>& args,
                const std::optional<std::string>& input = {},
                std::chrono::milliseconds timeout = command_timeout) const;
  // nexcage ARGS... exactly as given (no --root/--config added).
  Result raw(const std::vector<std::string>& args,
             const std::optional<std::string>& input = {}) const;
  // The argv of nx() without the binary, for spawn_nexcage().
  std::vector<std::string> nx_args(const std::vector<std::string>& args) const;

  // A bundle dir under the workspace whose config.json runs `args` on the shared busybox rootfs
  // (terminal false, hostname "e2e"); `edit` may change the config before it is written.
  std::filesystem::path bundle(const std::string& name, const std::vector<std::string>& args,
                               const std::function<void(nlohmann::json&)>& edit = {}) const;

  // `state ID` parsed, or null when the command fails.
  nlohmann::json state(const std::string& id) const;
  // Polls `state` until the status is `status` ("gone": until state fails).
  bool wait_for_status(const std::string& id, const std::string& status,
                       std::chrono::milliseconds timeout = 20s) const;
  // `list -q` as a vector of ids.
  std::vector<std::string> ids() const;

 private:
  std::filesystem::path dir_, root_, config_;
};

// Starts nexcage ARGS... in the background with stdio on /dev/null; returns its pid (the caller
// waits for it).
int spawn_nexcage(const std::vector<std::string>& args);
// The same with stdin, stdout and stderr opened on the given files, as a caller such as
// containerd's shim gives a container its FIFOs.
int spawn_nexcage_with_files(const std::vector<std::string>& args, const std::filesystem::path& in,
                             const std::filesystem::path& out, const std::filesystem::path& err);
// Any program (argv[0] included) the same way: a server a test talks to.
int spawn_program(const std::string& binary, const std::vector<std::string>& argv,
                  const std::filesystem::path& in, const std::filesystem::path& out,
                  const std::filesystem::path& err);
// Waits for a child started by spawn_nexcage() at most `timeout`, SIGKILLing it then; returns its
// exit code (128+signal), or -1 on timeout.
int wait_child(int pid, std::chrono::milliseconds timeout = command_timeout);

// Polls `done` every 20 ms until it is true or `timeout` passed.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s);

// A loopback port nothing listens on now (the kernel's pick for an ephemeral bind).
int free_port();
// Whether something accepts connections on 127.0.0.1:port.
bool accepts(int port);
// The body of an HTTP/1.0 GET of http://127.0.0.1:port/path ("" when it fails).
std::string http_get(int port, const std::string& path);

bool is_root();
std::string backend_path(const std::string& backend);
// Why end-to-end tests cannot run here for `backend` ("" for none), or an empty string.
std::string skip_reason(const std::string& backend);
// The shared busybox-static rootfs (bin/busybox + applet links, etc/passwd, etc/group), built once
// per test process and removed at exit.
const std::filesystem::path& busybox_rootfs();
std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, const std::string& text);
bool process_exists(int pid);
bool contains(const std::string& haystack, const std::string& needle);

// Skips the current test unless it can run here.
#define E2E_REQUIRE(backend)                                                                 \
  do {                                                                                       \
    if (auto reason_ = e2e::skip_reason(backend); !reason_.empty()) GTEST_SKIP() << reason_; \
  } while (0)

// A suite parametrized over the real backends; each test has its own Workspace.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { E2E_REQUIRE(GetParam()); }
  std::string backend() const { return GetParam(); }
  // A container id unique within the run.
  std::string id(const std::string& base) const;
  // nexcage --backend B create --bundle DIR ID EXTRA...
  Result create(const std::filesystem::path& bundle, const std::string& id,
                const std::vector<std::string>& extra = {}) const;
  // nexcage --backend B run --bundle DIR EXTRA... ID
  Result run(const std::filesystem::path& bundle, const std::string& id,
             const std::vector<std::string>& extra = {},
             const std::optional<std::string>& input = {}) const;
  Workspace ws;
};

// A test without a container backend (still needs root: nexcage's state lives in root-owned dirs).
class NoBackendTest : public ::testing::Test {
 protected:
  void SetUp() override { E2E_REQUIRE(""); }
  Workspace ws;
};

}  // namespace e2e
