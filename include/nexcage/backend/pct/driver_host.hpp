#pragma once
// What the pct driver asks of the host besides the Proxmox tools (which go through the Runner):
// the kernel's word on processes, signals, who nexcage runs as, and the template store. The
// system's answers in production; a scripted host in unit tests, so the ownership checks, the
// VMID retry and the exec user parsing run over a recording Runner without Proxmox or live
// processes. The VMID map and the CT config files need no seam: they live under the state root
// and backends.pct's directories, which a test points at a temporary directory.
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/template_cache.hpp"
#include "nexcage/cgroup/layout.hpp"
#include "nexcage/process/proc.hpp"
#include "nexcage/process/runner.hpp"

namespace nexcage::backend::pct {

class DriverHost {
 public:
  virtual ~DriverHost() = default;

  // /proc/<pid>/stat; nullopt when there is no such process.
  virtual std::optional<process::ProcStat> proc_stat(int pid) const = 0;
  // True when /proc/<pid>/exe is `binary` (the same file) and /proc/<pid>/comm is `comm`.
  virtual bool runs(int pid, const std::filesystem::path& binary, std::string_view comm) const = 0;
  // kill(2): 0, or its errno.
  virtual int send_signal(int pid, int signal) const = 0;
  virtual bool is_root() const = 0;
  // Where the container's cgroups are read (/proc/<pid>/cgroup and the cgroup mounts).
  virtual const cgroup::Host& cgroups() const = 0;

  // The template store (template_cache.hpp): the rootfs packed as a Proxmox template, and its
  // users counted host-wide.
  virtual TemplateUse acquire_template(const ContainerRef& user,
                                       const std::filesystem::path& rootfs) = 0;
  virtual void release_template(const ContainerRef& user) = 0;

  // The process is alive (not a zombie) and started at `start_time`.
  bool is_same_live_process(int pid, uint64_t start_time) const;
};

// The running system: /proc, kill(2), geteuid(2), the cgroup mounts (read once, when first
// needed) and the TemplateCache of `config`, which packs with `runner`.
std::unique_ptr<DriverHost> system_driver_host(const DriverConfig& config, process::Runner& runner);

}  // namespace nexcage::backend::pct
