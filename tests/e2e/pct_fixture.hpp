#pragma once
// The fixture of the pct end-to-end tests: a Proxmox stand-in root (tests/pve/) per test, nexcage's
// config pointing at it, and helpers to look at what Proxmox holds.
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"
#include "nexcage/process/proc.hpp"

namespace e2e {

namespace fsys = std::filesystem;

#ifdef NEXCAGE_INIT_BINARY
inline constexpr const char* init_binary = NEXCAGE_INIT_BINARY;
#else
inline constexpr const char* init_binary = "";
#endif
#ifdef NEXCAGE_MONITOR_BINARY
inline constexpr const char* monitor_binary = NEXCAGE_MONITOR_BINARY;
#else
inline constexpr const char* monitor_binary = "";
#endif
#ifdef NEXCAGE_FORGE_START_SIGNAL
inline constexpr const char* forge_binary = NEXCAGE_FORGE_START_SIGNAL;
#else
inline constexpr const char* forge_binary = "";
#endif

inline const std::string standin_bin = std::string(NEXCAGE_SOURCE_DIR) + "/tests/pve/bin/";

inline std::string pct_skip_reason() {
  if (auto reason = skip_reason(""); !reason.empty()) return reason;
  if (::access(init_binary, X_OK) != 0 || ::access(monitor_binary, X_OK) != 0)
    return "nexcage-init and nexcage-monitor are not built (sanitizer build?)";
  if (::access("/usr/bin/lxc-start", X_OK) != 0)
    return "LXC is missing (tests/pve/setup-host.sh installs it)";
  if (!contains(read_file("/etc/subuid"), "root:100000:65536"))
    return "/etc/subuid lacks root:100000:65536 (tests/pve/setup-host.sh adds it)";
  return "";
}

class PctTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = pct_skip_reason(); !reason.empty()) GTEST_SKIP() << reason;
    // An unprivileged container's root (uid 100000) walks down to its rootfs and to nexcage-init.
    ::chmod(ws.dir().c_str(), 0755);
    pve_ = ws.dir() / "pve";
    auto init = run_command(standin_bin + "pve-standin-init", {pve_.string()});
    ASSERT_EQ(init.code, 0) << init;
    fsys::copy_file(init_binary, ws.dir() / "nexcage-init");
    fsys::copy_file(monitor_binary, ws.dir() / "nexcage-monitor");
    auto bin = pve_ / "bin";
    nlohmann::json pct = {{"path", (bin / "pct").string()},
                          {"pvesh", (bin / "pvesh").string()},
                          {"lxc_info", (bin / "lxc-info").string()},
                          {"lxc_attach", (bin / "lxc-attach").string()},
                          {"lxc_freeze", (bin / "lxc-freeze").string()},
                          {"lxc_unfreeze", (bin / "lxc-unfreeze").string()},
                          {"init", (ws.dir() / "nexcage-init").string()},
                          {"monitor", (ws.dir() / "nexcage-monitor").string()},
                          {"config_dir", (pve_ / "etc/pve/lxc").string()},
                          {"lock_dir", (pve_ / "run/lock/lxc").string()},
                          {"dpkg_query", (bin / "dpkg-query").string()},
                          {"template_dir", template_dir().string()},
                          // Template users are host-wide; the test's own stands in for /var/lib.
                          {"host_dir", (ws.dir() / "pct-host").string()},
                          {"network", {{"enabled", false}}}};
    write_file(ws.config(),
               nlohmann::json{{"backends", {{"pct", pct}}}, {"default_backend", "pct"}}.dump());
    standin_ready_ = true;
  }

  void TearDown() override {
    if (!standin_ready_) return;
    for (const auto& id : ws.ids()) ws.nx({"delete", "--force", id});
    for (const auto& id : ids_in(second_root())) in_second_root({"delete", "--force", id});
    run_command(standin_bin + "pve-standin-cleanup", {"--keep-files", pve_.string()});
  }

  fsys::path template_dir() const { return pve_ / "var/lib/vz/template/cache"; }

  // Another state root on the same host, with the same config (and so the same Proxmox).
  fsys::path second_root() const { return ws.dir() / "root-b"; }
  Result in_second_root(const std::vector<std::string>& args,
                        const std::optional<std::string>& input = {}) const {
    std::vector<std::string> full{"--root", second_root().string(), "--config",
                                  ws.config().string()};
    full.insert(full.end(), args.begin(), args.end());
    return ws.raw(full, input);
  }
  std::vector<std::string> ids_in(const fsys::path& root) const {
    std::vector<std::string> ids;
    if (!fsys::exists(root)) return ids;
    std::istringstream lines(
        ws.raw({"--root", root.string(), "--config", ws.config().string(), "list", "-q"}).out);
    for (std::string id; std::getline(lines, id);)
      if (!id.empty()) ids.push_back(id);
    return ids;
  }
  nlohmann::json read_json(const fsys::path& file) const {
    return nlohmann::json::parse(read_file(file));
  }
  fsys::path conf(uint32_t vmid) const {
    return pve_ / "etc/pve/lxc" / (std::to_string(vmid) + ".conf");
  }
  fsys::path vmid_map() const { return ws.backend_root("pct") / "vmids.json"; }

  // An unprivileged container as Proxmox makes by default: a user namespace with PVE's map.
  fsys::path bundle(const std::string& name, const std::vector<std::string>& args,
                    const std::function<void(nlohmann::json&)>& edit = {}) const {
    return ws.bundle(name, args, [&](nlohmann::json& spec) {
      spec["process"]["noNewPrivileges"] = false;  // Proxmox cannot set it (docs/backends/pct.md)
      spec["process"]["env"].push_back("GREETING=hello pct");
      spec["linux"]["namespaces"].push_back({{"type", "user"}});
      nlohmann::json map =
          nlohmann::json::array({{{"containerID", 0}, {"hostID", 100000}, {"size", 65536}}});
      spec["linux"]["uidMappings"] = map;
      spec["linux"]["gidMappings"] = map;
      if (edit) edit(spec);
    });
  }

  uint32_t vmid_of(const std::string& id) const {
    auto list = nlohmann::json::parse(ws.nx({"list", "--format", "json"}).out, nullptr, false);
    for (const auto& c : list)
      if (c.value("id", "") == id && c.contains("vmid")) return c["vmid"].get<uint32_t>();
    return 0;
  }

  std::vector<std::string> templates() const {
    std::vector<std::string> out;
    for (const auto& e : fsys::directory_iterator(template_dir()))
      out.push_back(e.path().filename());
    return out;
  }

  Result pct(const std::vector<std::string>& args) const {
    return run_command((pve_ / "bin/pct").string(), args);
  }

  // The container's init as LXC reports it (0 when it is not running).
  int init_pid(uint32_t vmid) const {
    auto r =
        run_command((pve_ / "bin/lxc-info").string(), {"-n", std::to_string(vmid), "-p", "-H"});
    try {
      return r.code == 0 ? std::stoi(r.out) : 0;
    } catch (const std::exception&) {
      return 0;
    }
  }

  // Nothing of the container is left: no Proxmox config, no template, no VMID map entry.
  void expect_nothing_left(uint32_t vmid) const {
    EXPECT_FALSE(fsys::exists(conf(vmid))) << conf(vmid);
    EXPECT_TRUE(templates().empty()) << templates().front();
    if (fsys::exists(vmid_map()))
      EXPECT_EQ(nlohmann::json::parse(read_file(vmid_map())), nlohmann::json::object());
    EXPECT_EQ(pct({"list"}).out, "");
  }

  Workspace ws;
  fsys::path pve_;
  bool standin_ready_ = false;
};

inline const std::vector<std::string> loop_until_term{
    "sh", "-c", "trap 'exit 0' TERM; echo started; while true; do sleep 0.1; done"};

}  // namespace e2e
