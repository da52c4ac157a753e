#include "nexcage/backend/oci_cli/driver.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "nexcage/backend/cgroup_events.hpp"
#include "nexcage/backend/derived_features.hpp"
#include "nexcage/backend/oci_cli/backend_log.hpp"
#include "nexcage/backend/oci_cli/init_cgroups.hpp"
#include "nexcage/cgroup/freezer.hpp"
#include "nexcage/cgroup/stats.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/random_name.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/fs/json_file.hpp"
#include "nexcage/oci/bundle.hpp"
#include "nexcage/process/environment.hpp"
#include "nexcage/process/proc.hpp"
#include "nexcage/state/state_root.hpp"

extern char** environ;

namespace nexcage::backend::oci_cli {

namespace fsys = std::filesystem;

namespace {

// The pid the backend reported for a process it started: it must be there once the backend is done.
int backends_pid(const fsys::path& file) {
  std::string text;
  auto pid = process::read_pid_file(file, &text);
  if (!pid)
    throw Error(ErrorKind::backend,
                "backend wrote an invalid pid file " + file.string() + ": \"" + trim(text) + "\"");
  return *pid;
}

}  // namespace

int activated_sockets(char** caller_env, int own_pid) {
  std::optional<std::string> fds, pid;
  for (char** e = caller_env; e != nullptr && *e != nullptr; ++e) {
    std::string_view var(*e);
    if (var.rfind("LISTEN_FDS=", 0) == 0) fds = std::string(var.substr(11));
    if (var.rfind("LISTEN_PID=", 0) == 0) pid = std::string(var.substr(11));
  }
  if (!fds || !pid || process::parse_pid(*pid) != own_pid) return 0;
  // sd_listen_fds() ignores a count it cannot parse; a huge one would keep every fd open.
  auto count = parse_u32(*fds);
  constexpr std::uint32_t most_sockets = 4096;
  if (!count || *count > most_sockets) {
    log::warn("ignoring LISTEN_FDS=\"" + *fds + "\": not a count of sockets");
    return 0;
  }
  return static_cast<int>(*count);
}

Driver::Driver(BackendConfig config, Globals globals, process::Runner& runner)
    : config_(std::move(config)),
      globals_(std::move(globals)),
      runner_(runner),
      quirks_(quirks_for(config_.name)) {
  if (!config_.options.empty())
    throw Error(
        ErrorKind::invalid_input,
        "backends." + config_.name + ": unknown key \"" + config_.options.begin().key() + "\"",
        "the " + config_.name + " backend takes only \"path\"");
}

bool Driver::available() const {
  return fs::is_executable_file(config_.path);
}

nlohmann::json Driver::initial_state(const std::string&) const {
  // Under a dot directory: container ids cannot start with '.', so a container named "runc"
  // never collides with runc's own root.
  return {{"root", state::backend_root_for(globals_.root, config_.name).string()},
          {"cgroup_driver", globals_.systemd_cgroup ? "systemd" : "cgroupfs"}};
}

fsys::path Driver::backend_root(const state::Record& record) const {
  return recorded_backend_root(record);
}

Invocation Driver::invocation(const state::Record& record, const std::string& log_file) const {
  Invocation inv;
  inv.binary = config_.path;
  inv.root = backend_root(record).string();
  inv.log_file = log_file;
  inv.debug = globals_.debug;
  inv.criu = globals_.criu;
  auto driver = record.backend_state.find("cgroup_driver");
  inv.systemd_cgroup = driver != record.backend_state.end() && *driver == "systemd";
  return inv;
}

void Driver::hand_on_sockets(process::Command& cmd, int preserve_fds) const {
  cmd.preserve_fds = preserve_fds;
  int sockets = activated_sockets(environ, ::getpid());
  if (sockets == 0) return;
  cmd.preserve_fds += sockets;
  cmd.pid_env = "LISTEN_PID";
}

process::Command Driver::command(Argv argv) const {
  process::Command cmd;
  cmd.path = config_.path;
  cmd.argv = std::move(argv);
  cmd.env = process::caller_environment(environ);
  return cmd;
}

namespace {

// The JSON a backend printed; discarded (neither object, array nor null) when it is not JSON
// within parse_json_document's limits, for the caller to name what it expected.
nlohmann::json parsed_output(const std::string& text, const std::string& what) {
  try {
    return fs::parse_json_document(text, what);
  } catch (const Error&) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
}

// How the backend's stderr reached the caller.
enum class Stderr { captured, inherited };

[[noreturn]] void throw_backend_failure(const std::string& backend, const std::string& what,
                                        const BackendLog::Relayed& relayed, Stderr how,
                                        const std::string& stderr_text, const process::Exit& exit) {
  std::string message = relayed.last_error;
  if (message.empty()) message = last_line(stderr_text);
  if (message.empty())
    message = fmt::format("{} {} failed with exit status {}", backend, what, exit.code());
  Error error(ErrorKind::backend, message);
  // Where the backend said it itself, the caller gets its words as they are. An inherited stderr
  // got them only if the backend logged an error and exited (runc and crun print what they log
  // before exiting 1); one killed by a signal may have printed nothing, so nexcage reports it.
  BackendWords words;
  words.in_callers_log = relayed.last_error_logged;
  if (how == Stderr::inherited)
    words.on_callers_stderr = !relayed.last_error.empty() && exit.exited();
  if (how == Stderr::captured)
    words.stderr_text = trim(stderr_text).empty() ? std::string() : stderr_text;
  if (words.on_callers_stderr || !words.stderr_text.empty() || words.in_callers_log)
    error.said_by_backend(words);
  throw error;
}

}  // namespace

process::Captured Driver::run_captured(const state::Record& record, const std::string& what,
                                       const std::function<Argv(const Invocation&)>& build) {
  BackendLog blog(globals_.root / record.id);
  auto cmd = command(build(invocation(record, blog.path())));
  log::debug("running " + process::describe(cmd.argv));
  auto result = runner_.capture(cmd);
  auto relayed = blog.relay(result.exit.code() != 0);
  if (result.exit.code() != 0)
    throw_backend_failure(config_.name, what, relayed, Stderr::captured, result.err, result.exit);
  return result;
}

int Driver::create(state::Record& record, const CreateCall& call) {
  BackendLog blog(call.work_dir);
  auto inv = invocation(record, blog.path());
  fs::ensure_private_dir(inv.root, 0700);
  auto cmd = command(create_argv(inv, record.id, call));
  hand_on_sockets(cmd, call.preserve_fds);
  // stdio is inherited untouched: the container's init gets the caller's fds 0-2. Without the
  // caller's (the admin form), its output goes to a file: runc's own errors reach its --log.
  if (!call.caller_stdio)
    cmd.output_file =
        call.output_file.empty() ? std::string("/dev/null") : call.output_file.string();
  log::debug("running " + process::describe(cmd.argv));
  auto exit = runner_.inherit(cmd);
  auto relayed = blog.relay(exit.code() != 0);
  if (exit.code() != 0)
    throw_backend_failure(config_.name, "create", relayed, Stderr::inherited, "", exit);
  return backends_pid(call.pid_file);
}

void Driver::create_in_place(const state::Record& record, const CreateCall& call) {
  auto inv = callers_invocation(record);
  fs::ensure_private_dir(inv.root, 0700);
  auto cmd = command(create_argv(inv, record.id, call));
  hand_on_sockets(cmd, call.preserve_fds);
  log::debug("executing " + process::describe(cmd.argv));
  runner_.replace(cmd);
}

void Driver::remove_in_place(const state::Record& record, bool force) {
  replace_with(record, [&](const Invocation& inv) { return delete_argv(inv, record.id, force); });
}

Invocation Driver::callers_invocation(const state::Record& record) const {
  auto inv = invocation(record, globals_.log_file);
  inv.log_json = globals_.log_format == log::Format::json;
  return inv;
}

process::Command Driver::run_command(const state::Record& record, const RunCall& call) const {
  // Like a foreground exec, the backend talks to the caller directly: its errors go to the
  // caller's stderr and --log, and its exit status is the container's.
  auto inv = callers_invocation(record);
  fs::ensure_private_dir(inv.root, 0700);
  auto cmd = command(call.restore != nullptr ? restore_argv(inv, quirks_, record.id, call)
                                             : run_argv(inv, record.id, call));
  hand_on_sockets(cmd, call.create.preserve_fds);
  return cmd;
}

int Driver::spawn_run(const state::Record& record, const RunCall& call) {
  auto cmd = run_command(record, call);
  log::debug("running " + process::describe(cmd.argv));
  return runner_.spawn(cmd);
}

void Driver::exec_run(const state::Record& record, const RunCall& call) {
  auto cmd = run_command(record, call);
  log::debug("executing " + process::describe(cmd.argv));
  runner_.replace(cmd);
}

bool Driver::keeps(const state::Record& record) const {
  struct stat st {};
  return ::lstat((backend_root(record) / record.id).c_str(), &st) == 0;
}

void Driver::replace_with(const state::Record& record,
                          const std::function<Argv(const Invocation&)>& build, int preserve_fds) {
  auto cmd = command(build(callers_invocation(record)));
  cmd.preserve_fds = preserve_fds;
  log::debug("executing " + process::describe(cmd.argv));
  runner_.replace(cmd);
}

void Driver::start_in_place(const state::Record& record) {
  replace_with(record, [&](const Invocation& inv) { return start_argv(inv, record.id); });
}

void Driver::kill_in_place(const state::Record& record, int signal, bool all) {
  replace_with(record,
               [&](const Invocation& inv) { return kill_argv(inv, record.id, signal, all); });
}

void Driver::start(const state::Record& record) {
  run_captured(record, "start", [&](const Invocation& inv) { return start_argv(inv, record.id); });
}

LiveStatus Driver::live_status(const state::Record& record) const {
  // runc and crun both keep exec.fifo in their state directory until the init is started; a
  // start nexcage recorded (not one handed to the backend) is past that.
  bool started = !record.handover && (record.status == state::Status::running ||
                                      record.status == state::Status::paused);
  if (!started) {
    struct stat st {};
    auto fifo = backend_root(record) / record.id / "exec.fifo";
    if (::lstat(fifo.c_str(), &st) == 0) return LiveStatus::created;
  }
  const auto& host = cgroup::Host::system();
  std::optional<cgroup::Dirs> noted;
  try {
    noted = recorded_init_cgroups(record, host);
  } catch (const Error& e) {
    // The note only spares a lookup: a damaged one must not stop the kill or delete that would
    // end the container, so the init's cgroups are read as for a record without one.
    log::warn(std::string(e.what()) + "; reading the init's cgroups from /proc instead");
  }
  if (noted ? cgroup::is_frozen(*noted) : cgroup::is_frozen(record.pid, host))
    return LiveStatus::paused;
  return LiveStatus::running;
}

void Driver::note_init(state::Record& record) const {
  if (auto noted = init_cgroups_of(record.pid, cgroup::Host::system()))
    record.backend_state[init_cgroups_key] = std::move(*noted);
  else
    record.backend_state.erase(init_cgroups_key);
}

void Driver::kill(const state::Record& record, int signal, bool all) {
  run_captured(record, "kill",
               [&](const Invocation& inv) { return kill_argv(inv, record.id, signal, all); });
}

void Driver::remove(const state::Record& record, bool force) {
  if (!keeps(record)) {
    log::debug(config_.name + " has no state for " + record.id + "; nothing to delete");
    return;
  }
  try {
    run_captured(record, "delete",
                 [&](const Invocation& inv) { return delete_argv(inv, record.id, force); });
  } catch (const Error&) {
    // Another caller may have deleted it meanwhile (containerd runs delete, then delete --force).
    if (!keeps(record)) return;
    throw;
  }
}

void Driver::exec_foreground(const state::Record& record, const ExecCall& call) {
  // The backend replaces us so the caller gets the process's exit status and the backend's
  // errors land in the caller's own log.
  replace_with(
      record, [&](const Invocation& inv) { return exec_argv(inv, quirks_, record.id, call); },
      call.preserve_fds);
}

int Driver::exec_detached(const state::Record& record, const ExecCall& call) {
  BackendLog blog(call.work_dir);
  auto inv = invocation(record, blog.path());
  ExecCall detached = call;
  detached.pid_file = call.work_dir / random_name(".exec-", ".pid");
  auto cmd = command(exec_argv(inv, quirks_, record.id, detached));
  cmd.preserve_fds = call.preserve_fds;
  log::debug("running " + process::describe(cmd.argv));
  auto exit = runner_.inherit(cmd);
  auto relayed = blog.relay(exit.code() != 0);
  struct Cleanup {
    fsys::path file;
    ~Cleanup() { ::unlink(file.c_str()); }
  } cleanup{detached.pid_file};
  if (exit.code() != 0)
    throw_backend_failure(config_.name, "exec", relayed, Stderr::inherited, "", exit);
  return backends_pid(detached.pid_file);
}

void Driver::checkpoint(const state::Record& record, const CheckpointCall& call) {
  run_captured(record, "checkpoint", [&](const Invocation& inv) {
    return checkpoint_argv(inv, quirks_, record.id, call);
  });
}

void Driver::pause(const state::Record& record) {
  run_captured(record, "pause", [&](const Invocation& inv) { return pause_argv(inv, record.id); });
}

void Driver::resume(const state::Record& record) {
  run_captured(record, "resume",
               [&](const Invocation& inv) { return resume_argv(inv, record.id); });
}

std::vector<int> Driver::processes(const state::Record& record) {
  auto out =
      run_captured(record, "ps", [&](const Invocation& inv) { return ps_argv(inv, record.id); });
  auto doc = parsed_output(out.out, config_.name + " ps");
  std::vector<int> pids;
  if (doc.is_null()) return pids;  // runc prints "null" for an empty cgroup
  if (!doc.is_array())
    throw Error(ErrorKind::backend,
                config_.name + " ps printed something other than a JSON array of pids");
  for (const auto& p : doc) {
    if (!p.is_number_integer() || p.get<int64_t>() <= 0)
      throw Error(ErrorKind::backend, config_.name + " ps printed an invalid pid " + p.dump());
    pids.push_back(p.get<int>());
  }
  return pids;
}

void Driver::update(const state::Record& record, const fsys::path& resources) {
  run_captured(record, "update", [&](const Invocation& inv) {
    return update_argv(inv, record.id, resources.string());
  });
}

int Driver::events(const state::Record& record, bool stats, const std::string& interval) {
  if (!quirks_.has_events) return stream_cgroup_events(record, stats, interval);
  BackendLog blog(globals_.root / record.id);
  auto cmd = command(events_argv(invocation(record, blog.path()), record.id, stats, interval));
  auto exit = runner_.inherit(cmd);
  auto relayed = blog.relay(exit.code() != 0);
  if (exit.code() != 0)
    throw_backend_failure(config_.name, "events", relayed, Stderr::inherited, "", exit);
  return 0;
}

nlohmann::json Driver::features() {
  auto result = runner_.capture(command(features_argv(config_.path)));
  if (result.exit.code() == 0) {
    auto doc = parsed_output(result.out, config_.name + " features");
    if (doc.is_object() && doc.contains("ociVersionMin") && doc.contains("ociVersionMax"))
      return doc;
    throw Error(ErrorKind::backend, config_.name + " features printed invalid JSON");
  }
  if (!quirks_.features_may_be_missing)
    throw_backend_failure(config_.name, "features", {}, Stderr::captured, result.err, result.exit);
  // Older crun has no `features`: describe what it certainly supports, from libcap/libseccomp.
  log::debug(config_.name + " has no features command; deriving features");
  return derived_features(config_.name, version());
}

std::string Driver::version() {
  auto result = runner_.capture(command(version_argv(config_.path)));
  if (result.exit.code() != 0)
    throw_backend_failure(config_.name, "--version", {}, Stderr::captured, result.err, result.exit);
  auto first = result.out.substr(0, result.out.find('\n'));
  return first;
}

}  // namespace nexcage::backend::oci_cli
