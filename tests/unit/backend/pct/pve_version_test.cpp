// The pve-container check: asking dpkg-query, comparing versions, what each translation needs,
// and the rootfs size that follows the image.
#include <gtest/gtest.h>

#include "../../lifecycle/fake_runner.hpp"
#include "nexcage/backend/pct/pve_version.hpp"
#include "nexcage/backend/pct/translate.hpp"
#include "nexcage/core/error.hpp"

using namespace nexcage::backend::pct;
using nlohmann::json;

namespace {

Outcome translate_doc(const json& doc, const HostFacts& facts = {}) {
  std::vector<nexcage::oci::Problem> problems;
  auto spec = nexcage::oci::spec_from_json(doc, problems);
  EXPECT_TRUE(problems.empty());
  return examine(spec, PctSettings{}, facts);
}

json app_bundle() {
  return json::parse(R"({
    "ociVersion": "1.0.2", "root": {"path": "rootfs"},
    "process": {"args": ["/bin/app"], "cwd": "/"},
    "mounts": [{"destination": "/dev/shm", "type": "tmpfs", "source": "shm", "options": ["nosuid", "nodev"]}],
    "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}
  })");
}

bool has_shm_entry(const Outcome& o) {
  for (const auto& r : o.translation.raw)
    if (r.key == "lxc.mount.entry" && r.value.find(" dev/shm tmpfs ") != std::string::npos)
      return true;
  return false;
}

}  // namespace

TEST(DpkgQuery, OnlyAnInstalledPackageHasAVersion) {
  EXPECT_EQ(parse_dpkg_query_answer("installed 6.1.10\n"), "6.1.10");
  EXPECT_EQ(parse_dpkg_query_answer("installed 1:2.36-9+deb12u10\n"), "1:2.36-9+deb12u10");
  EXPECT_FALSE(parse_dpkg_query_answer("config-files 6.1.0\n"));
  EXPECT_FALSE(parse_dpkg_query_answer("not-installed \n"));
  for (const char* bad :
       {"", "\n", "installed\n", "installed \n", "installed 6.1 x\n", "installed 6.1\nmore\n"})
    EXPECT_THROW(parse_dpkg_query_answer(bad), nexcage::Error) << bad;
}

TEST(DpkgQuery, AsksForThePackagesStatusAndVersion) {
  nexcage::fakes::FakeRunner runner;
  runner.replies["-W"] = {0, "installed 6.1.10\n", ""};
  EXPECT_EQ(installed_package_version(runner, "/usr/bin/dpkg-query", "pve-container"), "6.1.10");
  ASSERT_EQ(runner.commands.size(), 1u);
  EXPECT_EQ(runner.commands[0].path, "/usr/bin/dpkg-query");
  EXPECT_EQ(runner.commands[0].argv,
            (std::vector<std::string>{"dpkg-query", "-W", "-f", "${db:Status-Status} ${Version}\n",
                                      "--", "pve-container"}));
  runner.replies["-W"] = {1, "", ""};
  EXPECT_FALSE(installed_package_version(runner, "/usr/bin/dpkg-query", "pve-container"));
  runner.replies["-W"] = {2, "", ""};
  EXPECT_THROW(installed_package_version(runner, "/usr/bin/dpkg-query", "pve-container"),
               nexcage::Error);
}

TEST(PveVersionCompare, DottedNumbersThenEpoch) {
  EXPECT_EQ(compare_versions("6.1.10", "6.1.9"), 1);
  EXPECT_EQ(compare_versions("6.1", "6.1.0"), 0);
  EXPECT_EQ(compare_versions("6.0.15", "6.1.0"), -1);
  EXPECT_EQ(compare_versions("6.1.0-1~bpo12", "6.1.0"), 0);
  EXPECT_EQ(compare_versions("1:5.0", "6.1.0"), 1);
  EXPECT_FALSE(compare_versions("abc", "6.1.0"));
  EXPECT_FALSE(compare_versions("6.1.0", ""));
  EXPECT_FALSE(compare_versions("99999999999.1", "6.1.0"));
}

TEST(PveVersionCheck, OldOrMissingPveContainerIsRefusedWithTheReason) {
  PveContainerNeed need{"6.1.0", "entrypoint (process.args)"};
  EXPECT_NO_THROW(check_pve_container(std::string("6.1.10"), "/s", need));
  EXPECT_NO_THROW(check_pve_container(std::nullopt, "/s", PveContainerNeed{}));
  try {
    check_pve_container(std::string("6.0.15"), "/s", need);
    FAIL() << "no error";
  } catch (const nexcage::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "pve-container 6.0.15 is too old: entrypoint (process.args) needs 6.1.0 or later");
    EXPECT_NE(e.hint().find("upgrade Proxmox VE"), std::string::npos);
  }
  try {
    check_pve_container(std::nullopt, "/usr/bin/dpkg-query", need);
    FAIL() << "no error";
  } catch (const nexcage::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pve-container is not installed"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(check_pve_container(std::string("unknown"), "/s", need), nexcage::Error);
}

TEST(PveVersionNeeds, AnApplicationNeedsTheEntrypointAndProxmoxsDevShm) {
  auto o = translate_doc(app_bundle());
  ASSERT_TRUE(o.refused.empty()) << o.refused[0].path << ": " << o.refused[0].message;
  EXPECT_EQ(o.translation.needs.version, "6.1.10");
  EXPECT_NE(o.translation.needs.what.find("/dev/shm"), std::string::npos);
  EXPECT_FALSE(has_shm_entry(o));

  auto no_shm = app_bundle();
  no_shm["mounts"] = json::array();
  EXPECT_EQ(translate_doc(no_shm).translation.needs.version, "6.1.0");
}

TEST(PveVersionNeeds, AnOlderProxmoxKeepsTheBundlesDevShm) {
  HostFacts facts;
  facts.pve_container = "6.1.4";
  auto o = translate_doc(app_bundle(), facts);
  ASSERT_TRUE(o.refused.empty()) << o.refused[0].path << ": " << o.refused[0].message;
  EXPECT_TRUE(has_shm_entry(o));
  EXPECT_EQ(o.translation.needs.version, "6.1.0");
}

// nexcage always writes the entrypoint (its created-state gate wraps it), even /sbin/init.
TEST(PveVersionNeeds, EveryContainerNeedsTheEntrypoint) {
  auto doc = app_bundle();
  doc["process"]["args"] = {"/sbin/init"};
  doc["mounts"] = json::array();
  PctSettings settings;
  settings.network.enabled = false;
  std::vector<nexcage::oci::Problem> problems;
  auto o = examine(nexcage::oci::spec_from_json(doc, problems), settings, {});
  ASSERT_TRUE(o.refused.empty()) << o.refused[0].path << ": " << o.refused[0].message;
  EXPECT_EQ(o.translation.needs.version, "6.1.0");
  EXPECT_EQ(o.translation.needs.what, "entrypoint (process.args)");
}

TEST(PctRootfsSize, FollowsTheImageUnlessSet) {
  constexpr uint64_t mib = 1 << 20, gib = uint64_t{1} << 30;
  EXPECT_EQ(rootfs_size_for(0), 1u);
  EXPECT_EQ(rootfs_size_for(2 * mib), 2u);
  EXPECT_EQ(rootfs_size_for(600 * mib), 2u);
  EXPECT_EQ(rootfs_size_for(700 * mib), 3u);
  EXPECT_EQ(rootfs_size_for(4 * gib), 7u);
  EXPECT_EQ(rootfs_size_for(std::nullopt), template_rootfs_gib);
  PctSettings s;
  EXPECT_EQ(rootfs_option(s, false, 10 * mib), "local-lvm:2");
  EXPECT_EQ(rootfs_option(s, true, std::nullopt), "local-lvm:8,ro=1");
  s.rootfs_size_gib = 0;
  s.storage = "local";
  EXPECT_EQ(rootfs_option(s, false, 100 * gib), "local:0");
}
