#pragma once
// End-to-end harness: runs the built nexcage binary as a user would, against real runc and crun,
// with a private --root, a private config file and busybox-static bundles.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace e2e {

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

// A private workspace: temp dir, --root, config file naming both backends. Deleting it
// force-deletes every container left in its root.
class Workspace {
 public:
  Workspace();
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& config() const { return config_; }

  // nexcage --root <root> --config <config> ARGS...
  Result nx(const std::vector<std::string>& args, const std::optional<std::string>& input = {}) const;
  // nexcage ARGS... exactly as given (no --root/--config added).
  Result raw(const std::vector<std::string>& args, const std::optional<std::string>& input = {}) const;

  // A bundle running `args` on the shared busybox rootfs; `edit` may change the config.
  std::filesystem::path bundle(const std::string& name, const std::vector<std::string>& args,
                               const std::function<void(nlohmann::json&)>& edit = {}) const;

  // Polls `state` until the status is `status` (or the container is gone for "gone").
  bool wait_for_status(const std::string& id, const std::string& status,
                       std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

  nlohmann::json state(const std::string& id) const;

 private:
  std::filesystem::path dir_, root_, config_;
};

// Starts nexcage in the background (stdio to /dev/null); returns its pid.
int spawn_nexcage(const std::vector<std::string>& args);

bool is_root();
// The shared busybox-static rootfs, built once per test process.
const std::filesystem::path& busybox_rootfs();
std::string read_file(const std::filesystem::path& file);

// Skips the test unless it can run here (root, the backend binary, busybox).
#define E2E_REQUIRE(backend)                                                        \
  do {                                                                              \
    if (!e2e::is_root()) GTEST_SKIP() << "end-to-end tests need root";              \
    if (!std::filesystem::exists(e2e::backend_path(backend)))                       \
      GTEST_SKIP() << e2e::backend_path(backend) << " is not installed";            \
  } while (0)

std::string backend_path(const std::string& backend);

// Parametrizes a suite over the real backends.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { E2E_REQUIRE(GetParam()); }
  std::string backend() const { return GetParam(); }
  // A container id unique within the run.
  std::string id(const std::string& base) const;
  Workspace ws;
};

}  // namespace e2e
