#pragma once
// A backend drives containers of one kind (runc, crun, pct). It never writes nexcage's state: it
// keeps what it needs in Record::backend_state, which lifecycle/ saves.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nexcage/backend/backend_config.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/process/runner.hpp"
#include "nexcage/state/record.hpp"

namespace nexcage::backend {

// Global options that reach backends.
struct Globals {
  std::filesystem::path root;  // nexcage's state root; backends put their own root below it
  bool systemd_cgroup = false;
  bool debug = false;
  std::string log_file;  // the caller's --log, for calls that hand over the process (exec)
  log::Format log_format = log::Format::text;
  std::string criu;  // --criu: the CRIU binary runc's checkpoint and restore use
};

struct CreateCall {
  std::filesystem::path bundle;
  // The bundle as nexcage loaded and validated it. A backend that reads config.json itself
  // (pct translates it) uses this, not a second read of a file that may have changed since.
  const oci::Bundle* loaded = nullptr;
  std::filesystem::path pid_file;  // where the backend writes the init's host pid
  std::filesystem::path work_dir;  // the container's state directory (private scratch files)
  std::string console_socket;
  int preserve_fds = 0;
  bool no_pivot = false;
  bool no_new_keyring = false;
  // The caller's stdio become the container's, and the pid returned is one the caller can wait
  // for (runc's contract). False for the admin form (`create --image`), whose container is
  // Proxmox's to run: its stdio are its console, and the pid is its init.
  bool caller_stdio = true;
  // Without the caller's stdio, where a backend that has no console of its own (runc, crun)
  // appends the container's stdout and stderr; its stdin is /dev/null.
  std::filesystem::path output_file;
};

// CRIU's options that checkpoint and restore share, as runc 1.1 names them. Paths are absolute.
struct CriuOptions {
  std::string image_path;
  std::string work_path;  // empty: the backend's default (the image directory)
  bool tcp_established = false;
  bool ext_unix_sk = false;
  bool shell_job = false;
  bool file_locks = false;
  bool auto_dedup = false;
  bool lazy_pages = false;
  std::string manage_cgroups_mode;  // soft, full, strict; empty: the backend's default
  std::vector<std::string> empty_ns;
};

struct CheckpointCall {
  CriuOptions criu;
  std::string parent_path;  // relative to the image directory, as runc takes it
  bool leave_running = false;
  bool pre_dump = false;
  std::string page_server;  // ADDRESS:PORT
};

struct RestoreOptions {
  CriuOptions criu;
  bool no_subreaper = false;
  std::string lsm_profile;
  std::string lsm_mount_context;
};

// The backend's own one-step `run` (create + start + wait + delete in one process), or its
// `restore`, which is the same with the process image taken from a checkpoint.
struct RunCall {
  CreateCall create;
  bool detach = false;
  bool keep = false;
  const RestoreOptions* restore = nullptr;
};

struct ExecCall {
  std::optional<std::filesystem::path> process_file;  // --process
  std::vector<std::string> args;                      // argv form
  std::string cwd;
  std::vector<std::string> env;
  std::string user;
  std::vector<std::string> additional_gids;
  std::vector<std::string> caps;
  bool tty = false;
  bool no_new_privs = false;
  std::string apparmor;
  std::string process_label;
  std::vector<std::string> cgroups;  // --cgroup, repeatable: [controller[,controller]:]path
  bool ignore_paused = false;
  std::string console_socket;
  int preserve_fds = 0;
  bool detach = false;
  std::filesystem::path pid_file;  // empty: none
  std::filesystem::path work_dir;
};

// What the backend observes about a live container, beyond pid liveness (checked by lifecycle/).
enum class LiveStatus { created, running, paused, stopped };

// A container's status and the pid to report for it, as a backend that knows better than the
// recorded pid sees it.
struct Observed {
  LiveStatus status = LiveStatus::stopped;
  int pid = 0;
};

// Optional capabilities. A backend that has one returns it from the Backend accessor of the same
// name (itself, as a second base); lifecycle/ asks before using it and says what is missing.

// The backend's own one-step `run` (and `restore`): create + start + wait + delete in one
// process that nexcage waits for (runc, crun).
class OneStepRun {
 public:
  virtual ~OneStepRun() = default;
  // True when spawn_run can serve a `run` with these options.
  virtual bool serves(bool keep) const = 0;
  // Starts the backend's `run` as a child with stdio inherited and the caller's --log passed
  // through; returns the child's pid. The init's pid appears in call.create.pid_file once it runs.
  virtual int spawn_run(const state::Record& record, const RunCall& call) = 0;
  // The same `run` in place of this process (Runner::replace): the caller then waits for the
  // backend itself, which forwards signals, deletes the container at its end and exits with the
  // container's status. Returns only by throwing.
  [[noreturn]] virtual void exec_run(const state::Record& record, const RunCall& call) = 0;
};

// Commands whose whole work, once nexcage has checked the container, is one backend command: run
// in place of nexcage (Runner::replace), so the caller waits for the backend alone and gets its
// exit status and messages directly (its errors in the caller's --log), as from runc itself.
// Neither returns but by throwing.
class InPlace {
 public:
  virtual ~InPlace() = default;
  [[noreturn]] virtual void start_in_place(const state::Record& record) = 0;
  [[noreturn]] virtual void kill_in_place(const state::Record& record, int signal, bool all) = 0;
  // The caller's stdio is the backend's (CreateCall::caller_stdio); the init's pid goes to
  // call.pid_file.
  [[noreturn]] virtual void create_in_place(const state::Record& record,
                                            const CreateCall& call) = 0;
  [[noreturn]] virtual void remove_in_place(const state::Record& record, bool force) = 0;
  // Whether the backend still keeps a container of the record's id (its state directory): how
  // every command handed to the backend (a run's too) is known to have left a container.
  virtual bool keeps(const state::Record& record) const = 0;
};

// Checkpoint with CRIU (runc, crun); restore is a OneStepRun with RunCall::restore.
class Checkpointing {
 public:
  virtual ~Checkpointing() = default;
  // Dumps the container; unless leave_running or pre_dump, the backend then destroys it.
  virtual void checkpoint(const state::Record& record, const CheckpointCall& call) = 0;
};

// Containers that live on without nexcage (pct: Proxmox's GUI, onboot, `pct start`, a reboot).
class OutsideLife {
 public:
  virtual ~OutsideLife() = default;
  // The status and pid to report, as the backend sees them beyond the recorded pid.
  virtual Observed observe(const state::Record& record) const = 0;
  // Containers of this state root that the backend finds outside it, for a root that lost its
  // records (a reboot wipes /run): returned as they would be saved; nothing is written.
  virtual std::vector<state::Record> recover() const = 0;
  // Takes over a recovered record before lifecycle/ saves it (pct: its VMID map entry).
  virtual void adopt(const state::Record& record) const = 0;
  // `start` may also start a stopped container again (Proxmox runs the application without
  // nexcage-init, as after a reboot).
  virtual bool starts_stopped() const = 0;
  // The id the tools outside know the container by (Proxmox's VMID), as recorded; for `list`
  // and `create --image` to show. No process is run.
  virtual std::optional<uint32_t> outside_id(const state::Record& record) const = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const std::string& name() const = 0;
  virtual const std::string& binary() const = 0;
  // The binary exists and is executable.
  virtual bool available() const = 0;

  // backend_state recorded before anything is created, so a crashed create can be cleaned up.
  virtual nlohmann::json initial_state(const std::string& id) const = 0;

  // Refuses a bundle this backend cannot run, before the id is claimed, so a refusal leaves no
  // record behind (pct: the whole translation of config.json). create() may repeat the checks.
  virtual void check_bundle(const oci::Bundle&) const {}

  // Returns the init's host pid. The driver may add to record.backend_state what it learned
  // (pct: the VMID); lifecycle/ saves the record afterwards.
  virtual int create(state::Record& record, const CreateCall& call) = 0;
  virtual void start(const state::Record& record) = 0;
  // What the backend sees of a container whose recorded pid is alive (lifecycle/ checks that).
  virtual LiveStatus live_status(const state::Record& record) const = 0;
  // The record names a new init (lifecycle/ has set its pid and start time and saves the record
  // afterwards, or shows it): the driver may note in record.backend_state what live_status needs
  // of that init, so that a `list` need not look it up again for every container.
  virtual void note_init(state::Record&) const {}
  virtual void kill(const state::Record& record, int signal, bool all) = 0;
  // Destroys the backend's container; a container the backend no longer knows is not an error.
  virtual void remove(const state::Record& record, bool force) = 0;
  // A detached exec (call.detach): returns the exec'd process's host pid.
  virtual int exec_detached(const state::Record& record, const ExecCall& call) = 0;
  // A foreground exec: this process becomes the backend's (or the process itself), so the caller
  // gets its exit status. Returns only by throwing.
  [[noreturn]] virtual void exec_foreground(const state::Record& record, const ExecCall& call) = 0;
  virtual void pause(const state::Record& record) = 0;
  virtual void resume(const state::Record& record) = 0;
  virtual std::vector<int> processes(const state::Record& record) = 0;
  virtual void update(const state::Record& record, const std::filesystem::path& resources) = 0;
  // Streams events to stdout; returns the exit code.
  virtual int events(const state::Record& record, bool stats, const std::string& interval) = 0;
  // The statistics of a running container whose init is `pid` (runc's `events --stats` data),
  // read from its cgroups in this process: for metrics of many containers at once. The default
  // reads the init's own cgroups, where runc and crun put the container.
  virtual nlohmann::json stats(const state::Record& record, int pid) const;
  virtual nlohmann::json features() = 0;
  // One line for `nexcage --version`, e.g. "runc: /usr/sbin/runc version 1.1.5+ds1".
  virtual std::string version() = 0;

  // The optional capabilities above; nullptr when the backend has none.
  virtual OneStepRun* one_step_run() { return nullptr; }
  virtual InPlace* in_place() { return nullptr; }
  virtual Checkpointing* checkpointing() { return nullptr; }
  virtual const OutsideLife* outside_life() const { return nullptr; }
};

// The backend's own root as recorded at create (backend_state.root); throws for a record whose
// root is missing or relative.
std::filesystem::path recorded_backend_root(const state::Record& record);

}  // namespace nexcage::backend
