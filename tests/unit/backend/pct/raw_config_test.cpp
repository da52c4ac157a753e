// Raw lxc.* lines in /etc/pve/lxc/<vmid>.conf: where they go, and the file written under the lock.
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "../../temp_dir.hpp"
#include "nexcage/backend/pct/raw_config.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/fs/lock.hpp"

using namespace nexcage::backend::pct;
using nexcage::Error;
using nexcage::ErrorKind;
using nexcage::testing_support::TempDir;

namespace {

const std::vector<RawLine> two{{"lxc.apparmor.profile", "unconfined"},
                               {"lxc.cgroup2.memory.low", "1048576"}};

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST(PctRawConfig, AppendsAfterTheMainSection) {
  EXPECT_EQ(with_raw_lines("arch: amd64\nhostname: box\n", two),
            "arch: amd64\nhostname: box\n"
            "lxc.apparmor.profile: unconfined\nlxc.cgroup2.memory.low: 1048576\n");
}

TEST(PctRawConfig, KeepsLineOrderAndExistingRawLines) {
  EXPECT_EQ(with_raw_lines("lxc.init.cmd: /sbin/init\n", {{"lxc.b", "2"}, {"lxc.a", "1"}}),
            "lxc.init.cmd: /sbin/init\nlxc.b: 2\nlxc.a: 1\n");
}

TEST(PctRawConfig, EmptyConfigGetsOnlyTheLines) {
  EXPECT_EQ(with_raw_lines("", two),
            "lxc.apparmor.profile: unconfined\nlxc.cgroup2.memory.low: 1048576\n");
  EXPECT_EQ(with_raw_lines("\n\n", {{"lxc.a", "1"}}), "lxc.a: 1\n");
}

TEST(PctRawConfig, NormalisesTrailingNewlines) {
  EXPECT_EQ(with_raw_lines("arch: amd64", {{"lxc.a", "1"}}), "arch: amd64\nlxc.a: 1\n");
  EXPECT_EQ(with_raw_lines("arch: amd64\n\n\n", {{"lxc.a", "1"}}), "arch: amd64\nlxc.a: 1\n");
}

TEST(PctRawConfig, GoesBeforeThePendingSection) {
  std::string config = "arch: amd64\nmemory: 512\n\n[pve:pending]\nmemory: 1024\n";
  EXPECT_EQ(with_raw_lines(config, {{"lxc.a", "1"}}),
            "arch: amd64\nmemory: 512\nlxc.a: 1\n\n[pve:pending]\nmemory: 1024\n");
}

TEST(PctRawConfig, GoesBeforeTheFirstSnapshotSection) {
  std::string config =
      "arch: amd64\nparent: snap1\n\n[snap1]\narch: amd64\nsnaptime: 1700000000\n\n"
      "[snap2]\narch: amd64\n";
  EXPECT_EQ(with_raw_lines(config, {{"lxc.a", "1"}}),
            "arch: amd64\nparent: snap1\nlxc.a: 1\n\n[snap1]\narch: amd64\nsnaptime: 1700000000\n\n"
            "[snap2]\narch: amd64\n");
}

TEST(PctRawConfig, KeepsABlankLineBeforeASectionThatHadNone) {
  EXPECT_EQ(with_raw_lines("arch: amd64\n[snapshot]\nx: 1\n", {{"lxc.a", "1"}}),
            "arch: amd64\nlxc.a: 1\n\n[snapshot]\nx: 1\n");
}

TEST(PctRawConfig, BracketInsideALineIsNotASection) {
  EXPECT_EQ(with_raw_lines("description: a [b] c\n", {{"lxc.a", "1"}}),
            "description: a [b] c\nlxc.a: 1\n");
}

TEST(PctRawConfig, NewlineInAValueOrKeyIsRefusedNamingTheKey) {
  for (const auto& line : {RawLine{"lxc.mount.entry", "a\nb"}, RawLine{"lxc.x\ny", "1"}}) {
    try {
      with_raw_lines("arch: amd64\n", {{"lxc.ok", "1"}, line});
      ADD_FAILURE() << "no error for " << line.key;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
      EXPECT_EQ(std::string(e.what()),
                "detected invalid newline inside property '" + line.key + "'");
    }
  }
}

TEST(PctRawConfig, AppendRewritesTheConfigFile) {
  TempDir tmp("pct-raw");
  PveFiles files;
  files.config_dir = (tmp.path() / "lxc").string();
  files.lock_dir = (tmp.path() / "lock").string();
  std::filesystem::create_directories(files.config_dir);
  std::filesystem::create_directories(files.lock_dir);
  auto conf = tmp.path() / "lxc" / "105.conf";
  std::ofstream(conf) << "arch: amd64\nhostname: box\n\n[pve:pending]\nmemory: 64\n";
  append_raw_lines(files, 105, two);
  EXPECT_EQ(read_file(conf),
            "arch: amd64\nhostname: box\n"
            "lxc.apparmor.profile: unconfined\nlxc.cgroup2.memory.low: 1048576\n"
            "\n[pve:pending]\nmemory: 64\n");
  struct stat st {};
  ASSERT_EQ(::stat(conf.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  // Proxmox's per-container lock file was used.
  EXPECT_TRUE(std::filesystem::exists(tmp.path() / "lock" / "pve-config-105.lock"));
  // No temporary file was left behind.
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(files.config_dir))
    ++count;
  EXPECT_EQ(count, 1u);
}

TEST(PctRawConfig, AppendNothingLeavesTheFileAlone) {
  TempDir tmp("pct-raw");
  PveFiles files;
  files.config_dir = tmp.path().string();
  files.lock_dir = (tmp.path() / "no-such-lock-dir").string();
  auto conf = tmp.path() / "105.conf";
  std::ofstream(conf) << "arch: amd64\n\n\n";
  append_raw_lines(files, 105, {});
  EXPECT_EQ(read_file(conf), "arch: amd64\n\n\n");
}

TEST(PctRawConfig, AppendToAMissingConfigFails) {
  TempDir tmp("pct-raw");
  PveFiles files;
  files.config_dir = tmp.path().string();
  files.lock_dir = tmp.path().string();
  EXPECT_THROW(append_raw_lines(files, 106, two), Error);
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "106.conf"));
}

TEST(PctRawConfig, AppendWaitsForAHeldLock) {
  TempDir tmp("pct-raw");
  PveFiles files;
  files.config_dir = tmp.path().string();
  files.lock_dir = tmp.path().string();
  auto conf = tmp.path() / "107.conf";
  std::ofstream(conf) << "arch: amd64\n";
  // flock locks belong to the open file description, so a second open in this process conflicts.
  auto held = nexcage::fs::FileLock::acquire(tmp.path() / "pve-config-107.lock",
                                             nexcage::fs::FileLock::Mode::exclusive);
  auto start = std::chrono::steady_clock::now();
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    // The file must still be untouched while the lock is held.
    EXPECT_EQ(read_file(conf), "arch: amd64\n");
    held.release();
  });
  append_raw_lines(files, 107, {{"lxc.a", "1"}});
  auto waited = std::chrono::steady_clock::now() - start;
  releaser.join();
  EXPECT_GE(waited, std::chrono::milliseconds(400));
  EXPECT_LT(waited, std::chrono::seconds(5));
  EXPECT_EQ(read_file(conf), "arch: amd64\nlxc.a: 1\n");
}

TEST(PctGate, ClosingLeavesTheApplicationAndTheDurableLines) {
  const std::string conf =
      "#nexcage container c\n"
      "arch: amd64\n"
      "entrypoint: /dev/.nexcage-init wait --stdio /dev/.nexcage-stdio -- sh -c 'echo hi'\n"
      "memory: 512\n"
      "lxc.mount.entry: /usr/libexec/nexcage/nexcage-init dev/.nexcage-init none "
      "bind,ro,optional,create=file 0 0\n"
      "lxc.console.logfile: /run/nexcage/c/console.log\n"
      "lxc.mount.entry: /var/lib/nexcage/pct/stdio/100.sock dev/.nexcage-stdio none "
      "bind,create=file 0 0\n"
      "\n[pve:pending]\nentrypoint: other\nlxc.console.logfile: /run/nexcage/c/console.log\n";
  Gate gate{"sh -c 'echo hi'",
            {{"lxc.console.logfile", "/run/nexcage/c/console.log"},
             {"lxc.mount.entry",
              "/var/lib/nexcage/pct/stdio/100.sock dev/.nexcage-stdio none bind,create=file 0 0"}}};
  EXPECT_EQ(with_gate_closed(conf, gate),
            "#nexcage container c\n"
            "arch: amd64\n"
            "entrypoint: sh -c 'echo hi'\n"
            "memory: 512\n"
            "lxc.mount.entry: /usr/libexec/nexcage/nexcage-init dev/.nexcage-init none "
            "bind,ro,optional,create=file 0 0\n"
            "\n[pve:pending]\nentrypoint: other\nlxc.console.logfile: /run/nexcage/c/console.log\n")
      << "only the main section changes";
}

TEST(PctGate, ClosingAConfigSomeoneChangedIsRefused) {
  Gate gate{"app", {{"lxc.console.logfile", "/x"}}};
  try {
    with_gate_closed("arch: amd64\nentrypoint: gate\n", gate);
    ADD_FAILURE() << "a missing gate line was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::backend);
  }
  EXPECT_THROW(with_gate_closed("arch: amd64\nlxc.console.logfile: /x\n", gate), Error)
      << "no entrypoint line";
  EXPECT_THROW(with_gate_closed("entrypoint: a\nlxc.console.logfile: /x\n", Gate{"a\nb", {}}),
               Error);
}

TEST(PctGate, CloseGateRewritesTheFileUnderTheLock) {
  TempDir tmp("pct-gate");
  PveFiles files;
  files.config_dir = tmp.path().string();
  files.lock_dir = tmp.path().string();
  std::ofstream(tmp.path() / "7.conf")
      << "arch: amd64\nentrypoint: gate -- app\nlxc.console.logfile: /x\n";
  close_gate(files, 7, Gate{"app", {{"lxc.console.logfile", "/x"}}});
  EXPECT_EQ(read_file(tmp.path() / "7.conf"), "arch: amd64\nentrypoint: app\n");
}
