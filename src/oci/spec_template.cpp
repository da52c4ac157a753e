#include "nexcage/oci/spec_template.hpp"

#include "nexcage/core/search_path.hpp"

namespace nexcage::oci {

namespace {

using ojson = nlohmann::ordered_json;

ojson mount(const char* destination, const char* type, const char* source,
            std::initializer_list<const char*> options) {
  ojson m;
  m["destination"] = destination;
  m["type"] = type;
  m["source"] = source;
  if (options.size() > 0) m["options"] = std::vector<std::string>(options.begin(), options.end());
  return m;
}

ojson mapping(uint32_t host_id) {
  return ojson{{"containerID", 0}, {"hostID", host_id}, {"size", 1}};
}

}  // namespace

// The same defaults as `runc spec` (runc 1.1), key order included, so users meet what they know.
ojson default_spec(bool rootless, uint32_t uid, uint32_t gid) {
  const std::vector<std::string> caps{"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
  ojson process;
  process["terminal"] = true;
  process["user"] = ojson{{"uid", 0}, {"gid", 0}};
  process["args"] = {"sh"};
  process["env"] = {default_path_env, "TERM=xterm"};
  process["cwd"] = "/";
  process["capabilities"] =
      ojson{{"bounding", caps}, {"effective", caps}, {"permitted", caps}, {"ambient", caps}};
  process["rlimits"] =
      ojson::array({ojson{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}});
  process["noNewPrivileges"] = true;

  ojson mounts = ojson::array();
  mounts.push_back(mount("/proc", "proc", "proc", {}));
  mounts.push_back(
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}));
  if (rootless)
    mounts.push_back(mount("/dev/pts", "devpts", "devpts",
                           {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}));
  else
    mounts.push_back(
        mount("/dev/pts", "devpts", "devpts",
              {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}));
  mounts.push_back(
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}));
  mounts.push_back(mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}));
  if (rootless)
    mounts.push_back(mount("/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"}));
  else
    mounts.push_back(mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}));
  mounts.push_back(
      mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}));

  ojson linux_section;
  ojson namespaces = ojson::array();
  if (rootless) {
    linux_section["uidMappings"] = ojson::array({mapping(uid)});
    linux_section["gidMappings"] = ojson::array({mapping(gid)});
    for (const char* t : {"pid", "ipc", "uts", "mount", "user"})
      namespaces.push_back(ojson{{"type", t}});
  } else {
    linux_section["resources"] =
        ojson{{"devices", ojson::array({ojson{{"allow", false}, {"access", "rwm"}}})}};
    for (const char* t : {"pid", "network", "ipc", "uts", "mount"})
      namespaces.push_back(ojson{{"type", t}});
  }
  linux_section["namespaces"] = namespaces;
  linux_section["maskedPaths"] = {"/proc/acpi",        "/proc/asound",        "/proc/kcore",
                                  "/proc/keys",        "/proc/latency_stats", "/proc/timer_list",
                                  "/proc/timer_stats", "/proc/sched_debug",   "/sys/firmware",
                                  "/proc/scsi"};
  linux_section["readonlyPaths"] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                    "/proc/sysrq-trigger"};

  ojson spec;
  spec["ociVersion"] = "1.0.2";
  spec["process"] = process;
  spec["root"] = ojson{{"path", "rootfs"}, {"readonly", true}};
  spec["hostname"] = "nexcage";
  spec["mounts"] = mounts;
  spec["linux"] = linux_section;
  return spec;
}

}  // namespace nexcage::oci
