#include "nexcage/backend/pct/driver.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>

#include "mapping.hpp"
#include "nexcage/backend/cgroup_events.hpp"
#include "nexcage/backend/derived_features.hpp"
#include "nexcage/backend/pct/bind_files.hpp"
#include "nexcage/backend/pct/cgroup_procs.hpp"
#include "nexcage/backend/pct/driver_host.hpp"
#include "nexcage/backend/pct/host_facts.hpp"
#include "nexcage/backend/pct/init_protocol.hpp"
#include "nexcage/backend/pct/monitor_launch.hpp"
#include "nexcage/backend/pct/owner_file.hpp"
#include "nexcage/backend/pct/ownership.hpp"
#include "nexcage/backend/pct/pve_version.hpp"
#include "nexcage/backend/pct/raw_config.hpp"
#include "nexcage/backend/pct/stdio_handoff.hpp"
#include "nexcage/backend/pct/stdio_protocol.hpp"
#include "nexcage/backend/pct/template_cache.hpp"
#include "nexcage/backend/pct/translate.hpp"
#include "nexcage/backend/pct/vmid_map.hpp"
#include "nexcage/backend/pct/volid.hpp"
#include "nexcage/core/container_id.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/search_path.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/process/proc.hpp"
#include "nexcage/state/state_root.hpp"

namespace nexcage::backend::pct {

namespace fsys = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr int create_attempts = 5;  // VMIDs taken by someone else between nextid and create
constexpr auto init_deadline = 15s;
constexpr auto start_deadline = 5s;
constexpr const char* console_log_name = "console.log";

std::string tail_of(const fsys::path& file) {
  std::string text;
  if (!fs::read_proc_file(file, text, 64 * 1024)) return {};
  return last_line(text);
}

// True when `pid`, the init LXC names, is a live process, and not the recorded init after it
// ended: nexcage-monitor reaps a traced init before LXC learns of it, and LXC then keeps naming
// it while Proxmox's stop hooks run. A caller that got the exit status and deletes at once must
// see a stopped container.
bool init_lives(const DriverHost& host, int pid, const RecordedInit& recorded) {
  auto stat = host.proc_stat(pid);
  if (!stat || !stat->alive()) return false;
  return pid != recorded.pid || recorded.start_time == 0 || stat->start_time == recorded.start_time;
}

// lxc-freeze freezes the container's cgroup, above the init's own on Proxmox 9.
bool is_frozen(const DriverHost& host, int pid, const state::Record& record) {
  try {
    return container_frozen(container_cgroups(pid, recorded_vmid(record), host.cgroups()));
  } catch (const Error&) {
    return false;  // gone meanwhile, or not in the container: not paused
  }
}

}  // namespace

Driver::Driver(BackendConfig config, Globals globals, process::Runner& runner)
    : Driver(parse_driver_config(config), std::move(globals), runner, nullptr) {}

Driver::Driver(DriverConfig config, Globals globals, process::Runner& runner,
               std::unique_ptr<DriverHost> host)
    : config_(std::move(config)),
      globals_(std::move(globals)),
      runner_(runner),
      tools_(config_.tools, runner),
      host_(host ? std::move(host) : system_driver_host(config_, runner)) {}

Driver::~Driver() = default;

bool Driver::available() const {
  return fs::is_executable_file(config_.tools.pct) && fs::is_executable_file(config_.tools.init);
}

nlohmann::json Driver::initial_state(const std::string&) const {
  return {{"root", state::backend_root_for(globals_.root, name_).string()}};
}

fsys::path Driver::backend_root(const state::Record& record) const {
  return recorded_backend_root(record);
}

uint32_t Driver::vmid_of(const state::Record& record) const {
  auto vmid = VmidMap(backend_root(record)).find(record.id);
  if (!vmid)
    throw Error(ErrorKind::not_found, "no VMID is recorded for container " + record.id,
                "the pct backend's VMID map (" + backend_root(record).string() +
                    "/vmids.json) lost it; `nexcage doctor` lists such records");
  return *vmid;
}

bool Driver::carries_our_mark(const state::Record& record, uint32_t vmid) const {
  // The config file, not `pct config`: no process per command, and the same text pct reads.
  auto file = ct_config_file(config_.files.config_dir, vmid);
  struct stat st {};
  if (::lstat(file.c_str(), &st) < 0) {
    if (errno == ENOENT) return false;
    throw system_error("reading " + file.string(), errno);
  }
  auto description = description_from_config(fs::read_regular_file(file, max_ct_config_bytes));
  return carries_mark(description, owner_mark(record.id, backend_root(record)));
}

uint32_t Driver::proven_vmid(const state::Record& record) const {
  auto vmid = vmid_of(record);
  auto vm = std::to_string(vmid);
  if (!carries_our_mark(record, vmid))
    throw Error(ErrorKind::invalid_input,
                "VMID " + vm + " is not the Proxmox container nexcage created for " + record.id +
                    " in this state root: its description lacks \"nexcage container " + record.id +
                    "\" and \"nexcage root " + backend_root(record).string() + "\"",
                "nothing was done; the VMID map " + (backend_root(record) / "vmids.json").string() +
                    " or the guest's description was changed: compare it with `pct config " + vm +
                    "`");
  return vmid;
}

int Driver::proven_init(const state::Record& record, uint32_t vmid) const {
  // LXC's word for the init of a VMID proven ours: never a pid read from the record, which
  // could be edited, or stale after Proxmox restarted the container.
  auto init = tools_.init_pid(vmid);
  if (!init || !init_lives(*host_, *init, recorded_init(record)))
    throw Error(ErrorKind::wrong_state, "container " + record.id + " is not running",
                "Proxmox reports VMID " + std::to_string(vmid) +
                    " stopped; start it with `pct start " + std::to_string(vmid) + "`");
  return *init;
}

RecordedInit Driver::recorded_init(const state::Record& record) {
  // Records written before nexcage-monitor existed hold the init itself as the pid.
  RecordedInit r{record.pid, record.init_start_time};
  const auto& b = record.backend_state;
  if (auto it = b.find("init_pid"); it != b.end() && it->is_number_integer())
    r.pid = it->get<int>();
  if (auto it = b.find("init_start_time"); it != b.end() && it->is_number_unsigned())
    r.start_time = it->get<uint64_t>();
  return r;
}

uint32_t Driver::create_container(const std::string& id, const std::string& volid,
                                  const std::vector<std::string>& options, const fsys::path& root) {
  VmidMap map(root);
  std::set<uint32_t> taken;
  for (int attempt = 0; attempt < create_attempts; ++attempt) {
    uint32_t first = tools_.next_free_vmid();
    uint32_t vmid = map.allocate(
        id, config_.vmids.lower, config_.vmids.upper, first,
        [&](uint32_t v) { return tools_.vmid_is_free(v); }, taken);
    if (tools_.create(vmid, volid, options)) return vmid;
    // Someone else's container now has this VMID: forget it, so cleanup can never touch it.
    log::debug("VMID " + std::to_string(vmid) + " was taken before pct create; trying another");
    map.release(id);
    taken.insert(vmid);
  }
  throw Error(ErrorKind::backend,
              "pct create failed " + std::to_string(create_attempts) +
                  " times because the VMID was taken meanwhile",
              "other tools are creating guests quickly; retry, or give nexcage its own "
              "backends.pct.vmid_range");
}

bool Driver::is_waiting_init(int pid) const {
  return host_->runs(pid, config_.tools.init, init_waiting_comm);
}

void Driver::throw_if_stopped(uint32_t vmid, const fsys::path& console_log) const {
  if (tools_.init_pid(vmid) || tools_.state(vmid) != LxcState::stopped) return;
  auto last = tail_of(console_log);
  throw Error(ErrorKind::backend,
              "container " + std::to_string(vmid) + " stopped before it reached the created state" +
                  (last.empty() ? std::string() : ": " + last),
              "its console output is in " + console_log.string() +
                  "; the caller's stderr has nexcage-init's");
}

int Driver::wait_for_init(uint32_t vmid, const fsys::path& console_log) {
  auto deadline = std::chrono::steady_clock::now() + init_deadline;
  for (;;) {
    auto pid = tools_.init_pid(vmid);
    if (pid && is_waiting_init(*pid)) return *pid;
    if (!pid) throw_if_stopped(vmid, console_log);
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(ErrorKind::backend,
                  "container " + std::to_string(vmid) + "'s init did not start waiting within " +
                      std::to_string(init_deadline.count()) + "s",
                  "see " + console_log.string() + " and `pct status " + std::to_string(vmid) + "`");
    std::this_thread::sleep_for(20ms);
  }
}

Translation Driver::translate_bundle(const oci::Bundle& bundle) const {
  return translate_bundle(bundle, bundle_facts(bundle));
}

HostFacts Driver::bundle_facts(const oci::Bundle& bundle) const {
  auto facts = host_facts_for(bundle.spec);
  facts.pve_container =
      installed_package_version(runner_, config_.tools.dpkg_query, pve_container_package);
  return facts;
}

Translation Driver::translate_bundle(const oci::Bundle& bundle, const HostFacts& facts) const {
  if (!fs::is_executable_file(config_.tools.init))
    throw Error(ErrorKind::invalid_input, "nexcage-init not found at " + config_.tools.init,
                "install the nexcage package, or set backends.pct.init");
  if (bundle.spec.process && !bundle.spec.process->cwd.empty()) {
    auto cwd = bundle.rootfs / fsys::path(bundle.spec.process->cwd).relative_path();
    // LXC fails the start on a missing lxc.init.cwd, where runc would create it.
    if (!fs::is_directory(cwd, fs::Links::follow))
      throw Error(
          ErrorKind::invalid_input,
          "process.cwd \"" + bundle.spec.process->cwd + "\" is not a directory in the rootfs",
          "create it in the rootfs (LXC does not create the working directory, runc does)");
  }
  // The volid becomes a positional argument of `pct create`: "--restore" must never get there.
  if (auto it = bundle.spec.annotations.find(template_annotation);
      it != bundle.spec.annotations.end() && !is_template_volid(it->second))
    throw Error(ErrorKind::invalid_input,
                std::string("annotation ") + template_annotation + ": " +
                    detail::quote_value(it->second) + " is not a Proxmox template volid",
                template_volid_hint);
  if (auto it = bundle.spec.annotations.find(onboot_annotation);
      it != bundle.spec.annotations.end() && it->second != "0" && it->second != "1")
    throw Error(ErrorKind::invalid_input,
                std::string("annotation ") + onboot_annotation + ": " +
                    detail::quote_value(it->second) + " is not 0 or 1",
                "use 1 for a container Proxmox starts at boot, 0 (or nothing) otherwise");
  auto translation = translate(bundle.spec, bundle_settings(bundle), facts);
  check_pve_container(facts.pve_container, config_.tools.dpkg_query, translation.needs);
  return translation;
}

PctSettings Driver::bundle_settings(const oci::Bundle& bundle) const {
  return with_annotations(config_.settings, bundle.spec.annotations);
}

void Driver::check_bundle(const oci::Bundle& bundle) const {
  // pct, pvesh and /etc/pve are root's; a rootless caller would fail half-way through a create.
  if (!host_->is_root())
    throw Error(ErrorKind::invalid_input,
                "the pct backend needs root: Proxmox's pct runs as root only",
                "run nexcage as root, or use --backend runc or crun, which run rootless");
  translate_bundle(bundle);
}

namespace {

// The host ids of the container's uid/gid under its id map (Proxmox's default when config.json
// has none).
std::pair<uid_t, gid_t> host_ids(const oci::Spec& spec, bool unprivileged, uint32_t uid,
                                 uint32_t gid) {
  if (!unprivileged) return {uid, gid};
  auto to_host = [](const std::vector<oci::IdMapping>& maps, uint32_t id) -> uint32_t {
    if (maps.empty()) return 100000 + id;  // Proxmox's default map: 0 -> 100000, 65536 ids
    for (const auto& m : maps)
      if (id >= m.container_id && id - m.container_id < m.size)
        return m.host_id + (id - m.container_id);
    return 65534;  // unmapped: the overflow id, which no one can connect as
  };
  return {to_host(spec.linux ? spec.linux->uid_mappings : std::vector<oci::IdMapping>{}, uid),
          to_host(spec.linux ? spec.linux->gid_mappings : std::vector<oci::IdMapping>{}, gid)};
}

// The host ids of the container's process (process.user, which LXC applies before it runs
// nexcage-init): the owner of the stdio socket, and what SO_PEERCRED must report.
std::pair<uid_t, gid_t> process_host_ids(const oci::Spec& spec, bool unprivileged) {
  return host_ids(spec, unprivileged, spec.process ? spec.process->user.uid : 0,
                  spec.process ? spec.process->user.gid : 0);
}

}  // namespace

int Driver::create(state::Record& record, const CreateCall& call) {
  if (!call.console_socket.empty())
    throw Error(ErrorKind::usage,
                "the pct backend cannot hand a container's terminal to --console-socket",
                "set process.terminal to false; attach later with `pct console <vmid>`");
  if (call.preserve_fds > 0)
    throw Error(
        ErrorKind::usage,
        "the pct backend cannot pass --preserve-fds: Proxmox starts the container, not nexcage");
  if (call.caller_stdio && !fs::is_executable_file(config_.tools.monitor))
    throw Error(ErrorKind::invalid_input, "nexcage-monitor not found at " + config_.tools.monitor,
                "install the nexcage package, or set backends.pct.monitor");
  std::optional<oci::Bundle> loaded_here;
  const oci::Bundle& bundle =
      call.loaded != nullptr ? *call.loaded : loaded_here.emplace(oci::load_bundle(call.bundle));
  auto facts = bundle_facts(bundle);
  auto translation = translate_bundle(bundle, facts);
  bool unprivileged =
      std::any_of(translation.options.begin(), translation.options.end(),
                  [](const PctOption& o) { return o.key == "unprivileged" && o.value == "1"; });
  auto root = backend_root(record);
  // The mark is read back line by line, and Proxmox's reader decodes %XX that its writer did not
  // encode: a control character or '%' in the root would not read back as written.
  if (detail::has_control_char(root.string(), false) ||
      root.string().find('%') != std::string::npos)
    throw Error(ErrorKind::invalid_input,
                "the state root " + detail::quote_value(root.string()) +
                    " contains a control character or '%'",
                "the pct backend records the root in the container's description; use a plain path "
                "for --root");
  // LXC mounts file binds as the container's root: those it cannot reach (podman's /etc/hosts in
  // its 0700 storage) are copied where it can, and bound from there (bind_files.hpp).
  if (unprivileged) {
    auto [uid, gid] = host_ids(bundle.spec, true, 0, 0);
    fs::ensure_private_dir(config_.host_dir, host_dir_mode);
    fs::ensure_private_dir(fsys::path(config_.host_dir) / "files", host_dir_mode);
    auto dir = bind_files_dir(config_.host_dir, root, record.id);
    if (auto n = copy_unreachable_bind_files(bundle.spec, facts, dir, uid, gid); n > 0) {
      log::debug("copied " + std::to_string(n) +
                 " bind-mounted file(s) the container's root cannot reach to " + dir.string());
      translation = translate_bundle(bundle, facts);
    }
  }
  for (const auto& w : translation.warnings) log::warn("pct: " + w.path + ": " + w.message);
  auto mark = owner_mark(record.id, root);
  // Kept with the mark, so the container can be listed and acted on after the root is lost.
  auto header = mark + "\n" + recovery_lines(record.created, record.bundle);

  // The first start waits in nexcage-init (the gate); the config keeps only what every later
  // start needs, so Proxmox can start the application without nexcage (docs/backends/pct.md).
  Gate gate;
  bool has_description = false;
  std::string gate_entrypoint = std::string(init_in_container) + " " + init_verb_wait + " ";
  if (call.caller_stdio)
    gate_entrypoint += std::string(init_option_stdio) + " " + stdio_in_container + " ";
  gate_entrypoint += "-- ";
  for (auto& o : translation.options) {
    if (o.key == "entrypoint") {
      gate.entrypoint = o.value;
      o.value = gate_entrypoint + o.value;
    }
    if (o.key == "description") {
      o.value = marked_description(header, o.value);
      has_description = true;
    }
  }
  if (!has_description) translation.options.push_back({"description", header});
  if (auto it = bundle.spec.annotations.find(onboot_annotation);
      it != bundle.spec.annotations.end() && it->second == "1")
    translation.options.push_back({"onboot", "1"});
  auto console_log = call.work_dir / console_log_name;
  // Optional: a host without nexcage (a restore, a migration) still starts the container; exec
  // needs it only where nexcage runs.
  translation.raw.push_back({"lxc.mount.entry", detail::fstab_escape(config_.tools.init) + " " +
                                                    init_mount_target +
                                                    " none bind,ro,optional,create=file 0 0"});
  gate.lines.push_back({"lxc.console.logfile", console_log.string()});

  fs::ensure_private_dir(root, 0700);
  TemplateUse use;
  if (auto it = bundle.spec.annotations.find(template_annotation);
      it != bundle.spec.annotations.end()) {
    use.volid = it->second;  // Proxmox's own template; pct checks the file
  } else {
    use = host_->acquire_template({root, record.id}, bundle.rootfs);
    log::debug(std::string(use.packed ? "packed" : "reused") + " template " + use.volid);
    // Now that the rootfs is measured, its volume is sized from it (unless the settings say).
    for (auto& o : translation.options)
      if (o.key == "rootfs")
        o.value =
            rootfs_option(bundle_settings(bundle), bundle.spec.root.readonly, use.content_bytes);
  }
  auto options = translation.argv();
  uint32_t vmid = create_container(record.id, use.volid, options, root);
  record.backend_state["vmid"] = vmid;
  write_owner_file(config_.host_dir, vmid, root, record.id);

  std::optional<StdioListener> listener;
  if (call.caller_stdio) {
    // Traversable by the container's root, which LXC uses to bind-mount the socket.
    fs::ensure_private_dir(config_.host_dir, host_dir_mode);
    auto dir = fsys::path(config_.host_dir) / "stdio";
    fs::ensure_private_dir(dir, host_dir_mode);
    auto socket = dir / (std::to_string(vmid) + ".sock");
    ::unlink(socket.c_str());  // left by a create that was killed; the VMID is ours now
    auto [uid, gid] = process_host_ids(bundle.spec, unprivileged);
    listener.emplace(socket, uid, gid);
    gate.lines.push_back({"lxc.mount.entry", detail::fstab_escape(socket.string()) + " " +
                                                 stdio_mount_target +
                                                 " none bind,create=file 0 0"});
  }
  auto raw = translation.raw;
  raw.insert(raw.end(), gate.lines.begin(), gate.lines.end());
  append_raw_lines(config_.files, vmid, raw);
  tools_.start(vmid);
  auto deadline = std::chrono::steady_clock::now() + init_deadline;
  if (listener) {
    // Asking LXC runs a process: every 250 ms is enough to notice a container that died.
    auto next_check = std::chrono::steady_clock::now();
    listener->hand_over(
        deadline,
        [&] {
          if (std::chrono::steady_clock::now() < next_check) return;
          next_check = std::chrono::steady_clock::now() + 250ms;
          throw_if_stopped(vmid, console_log);
        },
        [&](pid_t peer) {
          // Only the container's init gets the caller's fds; anything else is turned away.
          // LXC may report RUNNING a moment after its init already runs.
          auto init = tools_.init_pid(vmid);
          for (int i = 0; !init && i < 100 && std::chrono::steady_clock::now() < deadline; ++i) {
            std::this_thread::sleep_for(20ms);
            init = tools_.init_pid(vmid);
          }
          if (init && *init == peer) return true;
          log::warn("pid " + std::to_string(peer) + " asked for the stdio of container " +
                    record.id + ", which is not its init; refused");
          return false;
        });
  }
  int init = wait_for_init(vmid, console_log);
  close_gate(config_.files, vmid, gate);
  auto stat = host_->proc_stat(init);
  if (!stat)
    throw Error(
        ErrorKind::backend,
        "container " + record.id + "'s init " + std::to_string(init) + " ended during create",
        "see " + console_log.string());
  record.backend_state["init_pid"] = init;
  record.backend_state["init_start_time"] = stat ? stat->start_time : 0;
  if (!call.caller_stdio) return init;
  // Its caller has seen it end once the monitor exits: `start` must not run it again.
  record.backend_state["monitor"] = true;
  return launch_monitor(config_.tools.monitor, record.id, init, stat->start_time);
}

void Driver::start(const state::Record& record) {
  auto vmid = proven_vmid(record);
  if (!tools_.init_pid(vmid)) {
    // An OCI caller saw it end (its monitor exited): as runc, a stopped container stays stopped.
    if (record.backend_state.value("monitor", false))
      throw Error(ErrorKind::wrong_state, "cannot start a container that has stopped",
                  "its caller has seen it exit; delete it and create it again");
    // Stopped (a reboot, `pct stop`): Proxmox starts the application itself, as the GUI does.
    tools_.start(vmid);
    return;
  }
  auto init = proven_init(record, vmid);
  auto recorded = recorded_init(record);
  // Only the nexcage-init this create started: not a container Proxmox started since.
  if (init != recorded.pid || !host_->is_same_live_process(init, recorded.start_time) ||
      !is_waiting_init(init))
    throw Error(ErrorKind::wrong_state, "container " + record.id + " is not in the created state",
                "it was started already (by nexcage or by Proxmox)");
  if (int err = host_->send_signal(init, start_signal()); err != 0)
    throw system_error("starting container " + record.id, err);
  // Return once the process has been exec'd, so a `state` right after says running.
  auto deadline = std::chrono::steady_clock::now() + start_deadline;
  while (is_waiting_init(init) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
}

LiveStatus Driver::live_status(const state::Record& record) const {
  return observe(record).status;
}

Observed Driver::observe(const state::Record& record) const {
  auto init = recorded_init(record);
  // The common case, with no process run: the reported pid (the monitor, or the init itself)
  // and the init it stands for are both the ones create recorded.
  if (record.pid > 0 && host_->is_same_live_process(record.pid, record.init_start_time) &&
      host_->is_same_live_process(init.pid, init.start_time)) {
    if (is_waiting_init(init.pid)) return Observed{LiveStatus::created, record.pid};
    return Observed{is_frozen(*host_, init.pid, record) ? LiveStatus::paused : LiveStatus::running,
                    record.pid};
  }
  // Otherwise Proxmox's view: the container may have been started again without nexcage.
  auto vmid = VmidMap(backend_root(record)).find(record.id);
  // A record recover() found carries its VMID; the mark below proves it either way.
  if (auto it = record.backend_state.find("recovered");
      !vmid && it != record.backend_state.end() && *it == true)
    vmid = recorded_vmid(record);
  if (!vmid || !carries_our_mark(record, *vmid)) return Observed{};
  auto pid = tools_.init_pid(*vmid);
  if (!pid || !init_lives(*host_, *pid, init)) return Observed{};
  return Observed{is_frozen(*host_, *pid, record) ? LiveStatus::paused : LiveStatus::running, *pid};
}

void Driver::kill(const state::Record& record, int signal, bool all) {
  auto vmid = proven_vmid(record);
  if (signal == SIGKILL) {
    // Proxmox's hard stop: every process of the container, and Proxmox knows it stopped.
    return tools_.stop(vmid);
  }
  std::vector<int> targets{proven_init(record, vmid)};
  if (all) targets = cgroup_processes(targets.front(), host_->cgroups());
  for (int pid : targets) {
    if (int err = host_->send_signal(pid, signal); err != 0 && err != ESRCH)
      throw system_error("sending signal " + std::to_string(signal) + " to " + std::to_string(pid),
                         err);
  }
}

void Driver::remove(const state::Record& record, bool force) {
  auto root = backend_root(record);
  VmidMap map(root);
  if (auto vmid = map.find(record.id)) {
    auto config = tools_.config(*vmid);
    if (config && !carries_our_mark(record, *vmid)) {
      log::warn("VMID " + std::to_string(*vmid) + " is not the container nexcage created for " +
                record.id + " in this state root; leaving it alone and forgetting the VMID");
    } else if (config) {
      auto state = tools_.state(*vmid);
      bool live = state == LxcState::running || state == LxcState::frozen;
      // lifecycle/ refused a running container without --force; a created one (nexcage-init
      // waiting) is destroyed as runc destroys it.
      if (live && !force) {
        auto init = tools_.init_pid(*vmid);
        // Ended but not yet torn down by LXC (see init_lives) counts as stopped; pct destroy
        // --force finishes the stop.
        if (init && init_lives(*host_, *init, recorded_init(record)) && !is_waiting_init(*init))
          throw Error(ErrorKind::wrong_state,
                      "cannot delete container " + record.id + " that is not stopped",
                      "stop it with `nexcage kill " + record.id + " KILL`, or pass --force");
      }
      // A frozen container cannot be killed until it is thawed.
      if (state == LxcState::frozen) tools_.unfreeze(*vmid);
      tools_.destroy(*vmid, live);
    }
  }
  host_->release_template({root, record.id});
  remove_bind_files(bind_files_dir(config_.host_dir, root, record.id));
  if (auto vmid = map.find(record.id);
      vmid && owner_file_matches(config_.host_dir, *vmid, root, record.id))
    remove_owner_file(config_.host_dir, *vmid);
  map.release(record.id);
}

namespace {

struct ExecProcess {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd;
  std::optional<uint32_t> uid, gid;
};

void parse_user(const std::string& user, ExecProcess& p) {
  auto colon = user.find(':');
  auto uid = parse_u32(user.substr(0, colon));
  std::optional<uint32_t> gid;
  if (colon != std::string::npos) gid = parse_u32(user.substr(colon + 1));
  if (!uid || (colon != std::string::npos && !gid))
    throw Error(ErrorKind::usage, "--user \"" + user + "\" must be UID or UID:GID",
                "the pct backend takes numeric ids; names are resolved inside the container by LXC "
                "only at start");
  p.uid = uid;
  if (gid) p.gid = gid;
}

}  // namespace

process::Command Driver::exec_command(const state::Record& record, const ExecCall& call) const {
  if (!call.console_socket.empty() || call.preserve_fds > 0 || !call.caps.empty() ||
      !call.apparmor.empty() || !call.process_label.empty() || !call.cgroups.empty() ||
      !call.additional_gids.empty())
    throw Error(ErrorKind::usage,
                "the pct backend's exec supports a command, --env, --cwd, --user UID[:GID], --tty, "
                "--detach and --pid-file; not --console-socket, --preserve-fds, --cap, "
                "--apparmor, --process-label, --cgroup or --additional-gids");
  ExecProcess p;
  // Like runc, exec starts from the container's own process: its env, cwd and user.
  oci::Process base;
  try {
    auto bundle = oci::load_bundle(record.bundle);
    if (bundle.spec.process) base = *bundle.spec.process;
  } catch (const Error& e) {
    log::debug("exec without the bundle's process defaults: " + std::string(e.what()));
  }
  if (call.process_file) {
    std::vector<oci::Problem> problems;
    base = oci::process_from_json(
        fs::read_json_file(*call.process_file, call.process_file->string()), "", problems);
    if (!problems.empty())
      throw Error(ErrorKind::invalid_input,
                  oci::describe_problems(call.process_file->string(), problems));
    p.args = base.args;
  } else {
    p.args = call.args;
  }
  p.env = base.env;
  if (p.env.empty()) p.env.push_back(default_path_env);
  p.env.insert(p.env.end(), call.env.begin(), call.env.end());
  p.cwd = call.cwd.empty() ? (base.cwd.empty() ? "/" : base.cwd) : call.cwd;
  p.uid = base.user.uid;
  p.gid = base.user.gid;
  if (!call.user.empty()) parse_user(call.user, p);

  std::vector<std::string> argv{init_in_container, init_verb_exec, "--cwd", p.cwd, "--"};
  argv.insert(argv.end(), p.args.begin(), p.args.end());
  return tools_.attach(proven_vmid(record), p.env, p.uid, p.gid, argv);
}

int Driver::exec_detached(const state::Record& record, const ExecCall& call) {
  auto cmd = exec_command(record, call);
  log::debug("running " + process::describe(cmd.argv));
  return runner_.spawn(cmd);
}

void Driver::exec_foreground(const state::Record& record, const ExecCall& call) {
  auto cmd = exec_command(record, call);
  // lxc-attach replaces nexcage, so its pid is the one the caller may wait for.
  if (!call.pid_file.empty()) process::write_pid_file(call.pid_file, ::getpid());
  log::debug("executing " + process::describe(cmd.argv));
  runner_.replace(cmd);
}

void Driver::pause(const state::Record& record) {
  tools_.freeze(proven_vmid(record));
}

void Driver::resume(const state::Record& record) {
  tools_.unfreeze(proven_vmid(record));
}

std::vector<int> Driver::processes(const state::Record& record) {
  return cgroup_processes(proven_init(record, proven_vmid(record)), host_->cgroups());
}

void Driver::update(const state::Record& record, const fsys::path& resources) {
  auto options = update_options(fs::read_json_file(resources, resources.string()));
  tools_.set(proven_vmid(record), options);
}

int Driver::events(const state::Record& record, bool stats, const std::string& interval) {
  // The stats are the init's cgroups', wherever Proxmox started it.
  auto current = record;
  current.pid = proven_init(record, proven_vmid(record));
  auto stat = host_->proc_stat(current.pid);
  current.init_start_time = stat ? stat->start_time : 0;
  return stream_cgroup_events(current, stats, interval,
                              container_stats_reader(current, host_->cgroups()));
}

nlohmann::json Driver::stats(const state::Record& record, int pid) const {
  // Proxmox's cgroups of the container, which hold the init and all it started.
  auto current = record;
  current.pid = pid;
  return container_stats_reader(current, host_->cgroups())();
}

std::vector<state::Record> Driver::recover() const {
  std::vector<state::Record> found;
  auto root = state::backend_root_for(globals_.root, name_);
  // Only VMIDs host root recorded for this root (owner files); the description, which Proxmox
  // users who are not host root can edit, must agree.
  for (const auto& [vmid, id] : owned_vmids(config_.host_dir, root)) {
    auto file = ct_config_file(config_.files.config_dir, vmid);
    std::optional<ReadMark> mark;
    try {
      mark = read_mark(description_from_config(fs::read_regular_file(file, max_ct_config_bytes)));
    } catch (const Error& e) {
      log::debug("skipping VMID " + std::to_string(vmid) + ": " + e.what());
      continue;
    }
    if (!mark || mark->backend_root != root.string() || mark->id != id ||
        !is_valid_container_id(id)) {
      log::debug("VMID " + std::to_string(vmid) + " no longer carries the mark of " + id +
                 "; not recovered");
      continue;
    }
    state::Record r;
    r.id = id;
    r.status = state::Status::running;  // not "stopped": observe() asks Proxmox
    r.bundle = mark->bundle;
    r.created = mark->created;
    r.backend = name_;
    r.backend_state = {{"root", root.string()}, {"vmid", vmid}, {"recovered", true}};
    found.push_back(std::move(r));
  }
  return found;
}

void Driver::adopt(const state::Record& record) const {
  auto recorded = recorded_vmid(record);
  if (!recorded)
    throw Error(ErrorKind::invalid_input,
                "the recovered record of " + record.id + " holds no VMID");
  auto vmid = *recorded;
  // Both halves of the proof again, before the map names it: the mark and the owner file.
  if (!carries_our_mark(record, vmid) ||
      !owner_file_matches(config_.host_dir, vmid, backend_root(record), record.id))
    throw Error(ErrorKind::invalid_input,
                "VMID " + std::to_string(vmid) +
                    " is no longer the Proxmox container nexcage created for " + record.id,
                "nothing was recorded; compare `pct config " + std::to_string(vmid) + "`");
  VmidMap(backend_root(record)).adopt(record.id, vmid);
}

std::optional<uint32_t> Driver::outside_id(const state::Record& record) const {
  return recorded_vmid(record);
}

nlohmann::json Driver::features() {
  return derived_features(name_, version());
}

std::string Driver::version() {
  // pct has no --version; dpkg knows pve-container's. The caller prefixes the backend's name.
  std::string package;
  try {
    auto installed =
        installed_package_version(runner_, config_.tools.dpkg_query, pve_container_package);
    package = installed ? std::string(pve_container_package) + " " + *installed
                        : std::string(pve_container_package) + " not installed";
  } catch (const Error& e) {
    package = std::string(pve_container_package) + " version unknown: " + e.what();
  }
  return config_.tools.pct + " (" + package + ")";
}

}  // namespace nexcage::backend::pct
