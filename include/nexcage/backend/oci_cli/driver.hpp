#pragma once
// One driver for runc-compatible CLIs (runc, crun): argv arrays from argv.hpp, a private JSON log
// per call from which the backend's error is taken, and /proc, exec.fifo and the init's noted
// cgroups (init_cgroups.hpp) for status.
#include "nexcage/backend/backend.hpp"
#include "nexcage/backend/oci_cli/argv.hpp"

namespace nexcage::backend::oci_cli {

class Driver final : public Backend, public OneStepRun, public InPlace, public Checkpointing {
 public:
  Driver(BackendConfig config, Globals globals, process::Runner& runner);

  const std::string& name() const override { return config_.name; }
  const std::string& binary() const override { return config_.path; }
  bool available() const override;
  nlohmann::json initial_state(const std::string& id) const override;
  int create(state::Record& record, const CreateCall& call) override;
  void start(const state::Record& record) override;
  LiveStatus live_status(const state::Record& record) const override;
  void note_init(state::Record& record) const override;
  void kill(const state::Record& record, int signal, bool all) override;
  void remove(const state::Record& record, bool force) override;
  int exec_detached(const state::Record& record, const ExecCall& call) override;
  [[noreturn]] void exec_foreground(const state::Record& record, const ExecCall& call) override;
  void pause(const state::Record& record) override;
  void resume(const state::Record& record) override;
  std::vector<int> processes(const state::Record& record) override;
  void update(const state::Record& record, const std::filesystem::path& resources) override;
  int events(const state::Record& record, bool stats, const std::string& interval) override;
  nlohmann::json features() override;
  std::string version() override;

  OneStepRun* one_step_run() override { return this; }
  InPlace* in_place() override { return this; }
  [[noreturn]] void start_in_place(const state::Record& record) override;
  [[noreturn]] void kill_in_place(const state::Record& record, int signal, bool all) override;
  [[noreturn]] void create_in_place(const state::Record& record, const CreateCall& call) override;
  [[noreturn]] void remove_in_place(const state::Record& record, bool force) override;
  bool serves(bool keep) const override { return !keep || quirks_.run_keep; }
  int spawn_run(const state::Record& record, const RunCall& call) override;
  [[noreturn]] void exec_run(const state::Record& record, const RunCall& call) override;
  bool keeps(const state::Record& record) const override;

  Checkpointing* checkpointing() override { return this; }
  void checkpoint(const state::Record& record, const CheckpointCall& call) override;

 private:
  Invocation invocation(const state::Record& record, const std::string& log_file) const;
  std::filesystem::path backend_root(const state::Record& record) const;
  // Runs a state-changing command with output captured; throws the backend's own message.
  process::Captured run_captured(const state::Record& record, const std::string& what,
                                 const std::function<Argv(const Invocation&)>& build);
  process::Command command(Argv argv) const;
  // The caller's --preserve-fds, after any sockets of socket activation, which the backend gets
  // with LISTEN_PID set to its own pid as it would from systemd.
  void hand_on_sockets(process::Command& cmd, int preserve_fds) const;
  // The backend's own `run` (or restore) for spawn_run and exec_run.
  process::Command run_command(const state::Record& record, const RunCall& call) const;
  // The invocation of a command that talks to the caller directly (a foreground exec or run, and
  // start and kill in place): the caller's --log and --log-format.
  Invocation callers_invocation(const state::Record& record) const;
  // The backend's command in place of this process, its messages going to the caller's --log.
  [[noreturn]] void replace_with(const state::Record& record,
                                 const std::function<Argv(const Invocation&)>& build,
                                 int preserve_fds = 0);

  BackendConfig config_;
  Globals globals_;
  process::Runner& runner_;
  Quirks quirks_;
};

// Sockets handed to this process by systemd's socket activation (sd_listen_fds(3)): LISTEN_FDS
// when LISTEN_PID is `own_pid`, else 0. runc and crun pass them to the container at fds 3..,
// before the --preserve-fds ones, so a create hands them on with LISTEN_PID naming the backend.
int activated_sockets(char** caller_env, int own_pid);

}  // namespace nexcage::backend::oci_cli
