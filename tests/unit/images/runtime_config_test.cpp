// An image config mapped to config.json as podman and Proxmox VE 9.1 map it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../temp_dir.hpp"
#include "error_text.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/images/runtime_config.hpp"

using namespace nexcage::images;
using nexcage::testing_support::error_of;
using nexcage::testing_support::TempDir;
namespace fsys = std::filesystem;

namespace {

ImageBundle made(const TempDir& rootfs, const char* config, std::vector<std::string> command = {}) {
  return bundle_from_image(
      {nlohmann::json::parse(config), rootfs.path(), std::move(command), "img"});
}

const char* const full = R"({
  "architecture": "amd64", "os": "linux",
  "config": {
    "User": "1000:1000",
    "Env": ["PATH=/opt/bin:/bin", "LANG=C.UTF-8"],
    "Entrypoint": ["/entry.sh"],
    "Cmd": ["serve", "--port", "80"],
    "WorkingDir": "/srv/app",
    "Volumes": {"/data": {}, "/var/cache/app": {}},
    "ExposedPorts": {"80/tcp": {}},
    "StopSignal": "SIGQUIT",
    "Labels": {"org.example.team": "web"}
  }})";

}  // namespace

TEST(RuntimeConfig, MapsEveryField) {
  TempDir rootfs("nexcage-rc");
  auto b = made(rootfs, full);
  const auto& p = b.config["process"];
  EXPECT_EQ(p["args"], nlohmann::json::parse(R"(["/entry.sh","serve","--port","80"])"));
  EXPECT_EQ(p["env"], nlohmann::json::parse(R"(["PATH=/opt/bin:/bin","LANG=C.UTF-8","HOME=/"])"));
  EXPECT_EQ(p["cwd"], "/srv/app");
  EXPECT_EQ(p["user"]["uid"], 1000);
  EXPECT_EQ(p["user"]["gid"], 1000);
  EXPECT_EQ(p["terminal"], false);
  EXPECT_EQ(b.config["root"]["path"], "rootfs");
  EXPECT_EQ(b.config["root"]["readonly"], false);
  EXPECT_EQ(b.config["annotations"]["org.example.team"], "web");
  EXPECT_EQ(b.config["annotations"][stop_signal_annotation], "SIGQUIT");
  // Volumes are the rootfs's own directories; nothing is mounted over them.
  EXPECT_TRUE(fsys::is_directory(rootfs.path() / "data"));
  EXPECT_TRUE(fsys::is_directory(rootfs.path() / "var/cache/app"));
  EXPECT_TRUE(fsys::is_directory(rootfs.path() / "srv/app"));
  for (const auto& m : b.config["mounts"]) EXPECT_NE(m["destination"], "/data");
  ASSERT_EQ(b.notes.size(), 1u);
  EXPECT_NE(b.notes[0].find("80/tcp"), std::string::npos);
}

TEST(RuntimeConfig, ACommandReplacesCmdOnly) {
  TempDir rootfs("nexcage-rc");
  auto b = made(rootfs, full, {"debug", "-v"});
  EXPECT_EQ(b.config["process"]["args"], nlohmann::json::parse(R"(["/entry.sh","debug","-v"])"));
}

TEST(RuntimeConfig, DefaultsForASparseImage) {
  TempDir rootfs("nexcage-rc");
  auto b = made(rootfs, R"({"config":{"Cmd":["sh"],"Entrypoint":null}})");
  EXPECT_EQ(b.config["process"]["args"], nlohmann::json::parse(R"(["sh"])"));
  EXPECT_EQ(b.config["process"]["cwd"], "/");
  EXPECT_EQ(b.config["process"]["env"][0],
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  EXPECT_EQ(b.config["process"]["user"]["uid"], 0);
  EXPECT_FALSE(b.config["annotations"].contains(stop_signal_annotation));
  EXPECT_TRUE(b.notes.empty());
}

TEST(RuntimeConfig, RefusesWhatCannotRun) {
  TempDir rootfs("nexcage-rc");
  EXPECT_EQ(error_of([&] { made(rootfs, R"({"config":{}})"); }),
            "the image img names no command (no Entrypoint, no Cmd)");
  auto bad = error_of(
      [&] { made(rootfs, R"({"config":{"Cmd":"sh","Env":["NOEQUALS"],"WorkingDir":"rel"}})"); });
  EXPECT_NE(bad.find("config.Cmd: must be an array"), std::string::npos) << bad;
  EXPECT_NE(bad.find("config.Env[0]: must be NAME=VALUE"), std::string::npos) << bad;
  EXPECT_NE(bad.find("config.WorkingDir: must be an absolute path"), std::string::npos) << bad;
  auto nul = error_of([&] {
    made(rootfs, R"({"config":{"Cmd":["sh\u0000x"],"Volumes":{"/data\u0000/etc":{}}}})");
  });
  EXPECT_NE(nul.find("config.Cmd: must not contain a NUL byte"), std::string::npos) << nul;
  EXPECT_NE(nul.find("config.Volumes: must not contain a NUL byte"), std::string::npos) << nul;
  EXPECT_EQ(error_of([&] { made(rootfs, R"({"config":{"Cmd":["sh"],"User":"ghost"}})"); }),
            "the image's user \"ghost\" is not in its /etc/passwd");
}

// A volume under a symlink that points out of the rootfs is made inside the rootfs.
TEST(RuntimeConfig, VolumesNeverLeaveTheRootfs) {
  TempDir host("nexcage-rc-host");
  TempDir rootfs("nexcage-rc");
  fsys::create_symlink(host.path(), rootfs.path() / "var");
  // Inside the rootfs the symlink names nothing: refused, and the host's directory untouched.
  EXPECT_EQ(
      error_of([&] { made(rootfs, R"({"config":{"Cmd":["sh"],"Volumes":{"/var/lib/db":{}}}})"); }),
      "the image's /var is in the way of the directory /var/lib/db (not a directory, or a "
      "symlink to nothing)");
  EXPECT_FALSE(fsys::exists(host.path() / "lib"));
  // Where the target exists inside the rootfs, the volume is made there.
  fsys::create_directories(rootfs.path() / host.path().relative_path());
  made(rootfs, R"({"config":{"Cmd":["sh"],"Volumes":{"/var/lib/db":{}}}})");
  EXPECT_FALSE(fsys::exists(host.path() / "lib"));
  EXPECT_TRUE(fsys::is_directory(rootfs.path() / host.path().relative_path() / "lib/db"));
  // A file in the way is named.
  std::ofstream(rootfs.path() / "blocker") << "x";
  EXPECT_EQ(
      error_of([&] { made(rootfs, R"({"config":{"Cmd":["sh"],"Volumes":{"/blocker/x":{}}}})"); }),
      "the image's /blocker is in the way of the directory /blocker/x (not a directory, or a "
      "symlink to nothing)");
}
