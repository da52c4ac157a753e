#pragma once
// The pct backend: OCI bundles become Proxmox LXC containers. Documented in docs/backends/pct.md.
//
// create: translate config.json (translate.hpp), pack the rootfs into a template (template_cache),
//         pick a VMID (vmid_map), `pct create`, append raw lxc.* lines under Proxmox's flock,
//         `pct start` with nexcage-init as the init, and wait until it blocks for the start signal.
// start:  send nexcage-init the start signal; it execs the OCI process, which becomes pid 1.
// Everything after that goes through the VMID map, and every command that acts on the VMID or
// the init's pid first proves both are this container's (ownership.hpp): the VMID's description
// carries nexcage's mark for this id and state root, and the pid is LXC's init of that VMID with
// the recorded start time. A container nexcage did not create is never touched.
#include <memory>

#include "nexcage/backend/backend.hpp"
#include "nexcage/backend/pct/driver_config.hpp"
#include "nexcage/backend/pct/pve_tools.hpp"
#include "nexcage/backend/pct/translate.hpp"

namespace nexcage::backend::pct {

struct RecordedInit {
  int pid = 0;
  uint64_t start_time = 0;
};

class DriverHost;

class Driver final : public Backend, public OutsideLife {
 public:
  // `config` is backends.pct of the config file, checked by parse_driver_config.
  Driver(BackendConfig config, Globals globals, process::Runner& runner);
  // `host` answers for the kernel and the template store (driver_host.hpp); null: the system.
  Driver(DriverConfig config, Globals globals, process::Runner& runner,
         std::unique_ptr<DriverHost> host);
  ~Driver() override;

  const std::string& name() const override { return name_; }
  const std::string& binary() const override { return config_.tools.pct; }
  bool available() const override;
  nlohmann::json initial_state(const std::string& id) const override;
  void check_bundle(const oci::Bundle& bundle) const override;
  int create(state::Record& record, const CreateCall& call) override;
  void start(const state::Record& record) override;
  LiveStatus live_status(const state::Record& record) const override;
  void kill(const state::Record& record, int signal, bool all) override;
  void remove(const state::Record& record, bool force) override;
  int exec_detached(const state::Record& record, const ExecCall& call) override;
  [[noreturn]] void exec_foreground(const state::Record& record, const ExecCall& call) override;
  void pause(const state::Record& record) override;
  void resume(const state::Record& record) override;
  std::vector<int> processes(const state::Record& record) override;
  void update(const state::Record& record, const std::filesystem::path& resources) override;
  int events(const state::Record& record, bool stats, const std::string& interval) override;
  nlohmann::json stats(const state::Record& record, int pid) const override;
  nlohmann::json features() override;
  std::string version() override;

  const OutsideLife* outside_life() const override { return this; }
  Observed observe(const state::Record& record) const override;
  std::vector<state::Record> recover() const override;
  void adopt(const state::Record& record) const override;
  bool starts_stopped() const override { return true; }
  std::optional<uint32_t> outside_id(const state::Record& record) const override;

 private:
  // lxc-attach running nexcage-init's exec verb with the process the call describes.
  process::Command exec_command(const state::Record& record, const ExecCall& call) const;
  std::filesystem::path backend_root(const state::Record& record) const;
  uint32_t vmid_of(const state::Record& record) const;
  // True when the config of `vmid` carries the mark of `record` (false also when it is gone).
  bool carries_our_mark(const state::Record& record, uint32_t vmid) const;
  // The record's VMID, proven to be this container's by the mark in its Proxmox config; throws
  // Error(invalid_input) naming what does not match, before anything is touched.
  uint32_t proven_vmid(const state::Record& record) const;
  // The host pid of the proven VMID's init, as LXC reports it; throws when it is not running.
  int proven_init(const state::Record& record, uint32_t vmid) const;
  // The init create started (backend_state), which record.pid stands for.
  static RecordedInit recorded_init(const state::Record& record);
  // The translation of `bundle` with the driver's settings (refusals throw).
  Translation translate_bundle(const oci::Bundle& bundle) const;
  // The same with the host facts already gathered by bundle_facts (create gathers them once and
  // may translate twice).
  Translation translate_bundle(const oci::Bundle& bundle, const HostFacts& facts) const;
  // host_facts_for the bundle, plus the installed pve-container's version (one dpkg-query).
  HostFacts bundle_facts(const oci::Bundle& bundle) const;
  // The driver's settings with the bundle's org.nexcage.pct.* annotations applied.
  PctSettings bundle_settings(const oci::Bundle& bundle) const;
  uint32_t create_container(const std::string& id, const std::string& volid,
                            const std::vector<std::string>& options,
                            const std::filesystem::path& root);
  int wait_for_init(uint32_t vmid, const std::filesystem::path& console_log);
  // Throws, with the console's last line, when the container stopped during create.
  void throw_if_stopped(uint32_t vmid, const std::filesystem::path& console_log) const;
  bool is_waiting_init(int pid) const;

  std::string name_ = "pct";
  DriverConfig config_;
  Globals globals_;
  process::Runner& runner_;
  mutable PveTools tools_;
  std::unique_ptr<DriverHost> host_;
};

}  // namespace nexcage::backend::pct
