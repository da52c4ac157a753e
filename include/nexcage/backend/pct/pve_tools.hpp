#pragma once
// The Proxmox and LXC commands the pct driver runs, one method each, with their output parsed
// strictly. Every call is an absolute path and an argv array through process::Runner; none goes
// through a shell. Failures throw Error(backend) carrying pct's own message.
#include <optional>
#include <string>
#include <vector>

#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/process/runner.hpp"

namespace nexcage::backend::pct {

enum class LxcState { stopped, running, frozen, missing };

class PveTools {
 public:
  PveTools(const ToolPaths& paths, process::Runner& runner) : paths_(paths), runner_(runner) {}

  // `pvesh get /cluster/nextid`: Proxmox's lowest free VMID.
  uint32_t next_free_vmid();
  // `pvesh get /cluster/nextid --vmid N`: true when N is free cluster-wide.
  bool vmid_is_free(uint32_t vmid);

  // `pct create VMID TEMPLATE OPTIONS...`. Returns false (and throws nothing) when pct says the
  // VMID is taken meanwhile, so the caller can retry with another.
  bool create(uint32_t vmid, const std::string& template_volid,
              const std::vector<std::string>& options);
  void start(uint32_t vmid);
  // `pct stop` (a hard stop, lxc-stop --kill). A CT that is not running is not an error.
  void stop(uint32_t vmid);
  // `pct destroy VMID --purge 1 [--force 1]`. A CT that does not exist is not an error.
  void destroy(uint32_t vmid, bool force);
  // `pct config VMID --current 1` as key -> value ("" for a missing CT: nullopt).
  std::optional<std::vector<std::pair<std::string, std::string>>> config(uint32_t vmid);
  // `pct set VMID OPTIONS...`.
  void set(uint32_t vmid, const std::vector<std::string>& options);

  // `lxc-info -n VMID -s -H`.
  LxcState state(uint32_t vmid);
  // `lxc-info -n VMID -p -H`: the init's host pid, nullopt when the CT is not running.
  std::optional<int> init_pid(uint32_t vmid);
  void freeze(uint32_t vmid);
  void unfreeze(uint32_t vmid);

  // `lxc-attach -n VMID --clear-env -v K=V... [-u UID -g GID] -- ARGS...`.
  process::Command attach(uint32_t vmid, const std::vector<std::string>& env,
                          std::optional<uint32_t> uid, std::optional<uint32_t> gid,
                          const std::vector<std::string>& args) const;

  // The environment every tool gets: a fixed PATH (pct itself runs helpers by name) and
  // LANG=C.UTF-8: untranslated messages (the ones this driver parses), and arguments that pct
  // decodes as UTF-8, not as ASCII with every other byte replaced.
  static std::vector<std::string> environment();

 private:
  process::Captured run(const std::string& binary, std::vector<std::string> argv);
  [[noreturn]] void fail(const std::string& what, const process::Captured& result);

  ToolPaths paths_;
  process::Runner& runner_;
};

// The message of a failed pct or pvesh call: stderr up to the usage text (a line starting with
// "USAGE:", "pct " or "pvesh "), lines joined with "; ".
std::string pve_error_text(const std::string& stderr_text);

// Parses `pct config` output ("key: value" lines; raw lxc.* keys keep their order).
std::vector<std::pair<std::string, std::string>> parse_pct_config(const std::string& text);

}  // namespace nexcage::backend::pct
