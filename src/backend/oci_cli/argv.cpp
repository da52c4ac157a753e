#include "nexcage/backend/oci_cli/argv.hpp"

#include "nexcage/core/error.hpp"

namespace nexcage::backend::oci_cli {

Quirks quirks_for(const std::string& backend_name) {
  Quirks q;
  if (backend_name == "crun") {
    q.has_events = false;
    q.exec_additional_gids = false;
    q.exec_ignore_paused = false;
    q.exec_cgroup_per_controller = false;
    q.features_may_be_missing = true;
    q.run_keep = false;
    q.restore_no_subreaper = false;
    q.global_criu = false;
  }
  return q;
}

namespace {

// runc and crun take ids that start with "-" (`runc create -- --help` is a container named
// "--help"), so every id follows "--" and can never be read as an option.
void add_id(Argv& argv, const std::string& id) {
  argv.push_back("--");
  argv.push_back(id);
}

Argv global(const Invocation& inv) {
  Argv argv{inv.binary, "--root", inv.root};
  if (!inv.log_file.empty()) {
    argv.insert(argv.end(),
                {"--log", inv.log_file, "--log-format", inv.log_json ? "json" : "text"});
  }
  if (inv.debug) argv.push_back("--debug");
  if (inv.systemd_cgroup) argv.push_back("--systemd-cgroup");
  return argv;
}

Argv simple(const Invocation& inv, const char* command, const std::string& id) {
  Argv argv = global(inv);
  argv.push_back(command);
  add_id(argv, id);
  return argv;
}

}  // namespace

namespace {

// Flags create and run share, after the command name.
void add_create_flags(Argv& argv, const CreateCall& call) {
  argv.insert(argv.end(), {"--bundle", call.bundle.string(), "--pid-file", call.pid_file.string()});
  if (!call.console_socket.empty())
    argv.insert(argv.end(), {"--console-socket", call.console_socket});
  if (call.preserve_fds > 0)
    argv.insert(argv.end(), {"--preserve-fds", std::to_string(call.preserve_fds)});
  if (call.no_pivot) argv.push_back("--no-pivot");
  if (call.no_new_keyring) argv.push_back("--no-new-keyring");
}

}  // namespace

Argv create_argv(const Invocation& inv, const std::string& id, const CreateCall& call) {
  Argv argv = global(inv);
  argv.push_back("create");
  add_create_flags(argv, call);
  add_id(argv, id);
  return argv;
}

Argv run_argv(const Invocation& inv, const std::string& id, const RunCall& call) {
  Argv argv = global(inv);
  argv.push_back("run");
  add_create_flags(argv, call.create);
  if (call.detach) argv.push_back("--detach");
  if (call.keep) argv.push_back("--keep");
  add_id(argv, id);
  return argv;
}

namespace {

// runc's global --criu goes before the command; crun has none.
Argv criu_global(const Invocation& inv, const Quirks& quirks) {
  Argv argv = global(inv);
  if (!inv.criu.empty() && quirks.global_criu) argv.insert(argv.end(), {"--criu", inv.criu});
  return argv;
}

void add_criu_options(Argv& argv, const CriuOptions& o) {
  if (!o.image_path.empty()) argv.insert(argv.end(), {"--image-path", o.image_path});
  if (!o.work_path.empty()) argv.insert(argv.end(), {"--work-path", o.work_path});
  if (o.tcp_established) argv.push_back("--tcp-established");
  if (o.ext_unix_sk) argv.push_back("--ext-unix-sk");
  if (o.shell_job) argv.push_back("--shell-job");
  if (o.file_locks) argv.push_back("--file-locks");
  if (o.auto_dedup) argv.push_back("--auto-dedup");
  if (o.lazy_pages) argv.push_back("--lazy-pages");
  if (!o.manage_cgroups_mode.empty())
    argv.insert(argv.end(), {"--manage-cgroups-mode", o.manage_cgroups_mode});
  for (const auto& ns : o.empty_ns) argv.insert(argv.end(), {"--empty-ns", ns});
}

}  // namespace

Argv checkpoint_argv(const Invocation& inv, const Quirks& quirks, const std::string& id,
                     const CheckpointCall& call) {
  Argv argv = criu_global(inv, quirks);
  argv.push_back("checkpoint");
  add_criu_options(argv, call.criu);
  if (!call.parent_path.empty()) argv.insert(argv.end(), {"--parent-path", call.parent_path});
  if (call.leave_running) argv.push_back("--leave-running");
  if (call.pre_dump) argv.push_back("--pre-dump");
  if (!call.page_server.empty()) argv.insert(argv.end(), {"--page-server", call.page_server});
  add_id(argv, id);
  return argv;
}

Argv restore_argv(const Invocation& inv, const Quirks& quirks, const std::string& id,
                  const RunCall& call) {
  if (call.restore == nullptr)
    throw Error(ErrorKind::invalid_input, "restore_argv needs restore options");
  const RestoreOptions& r = *call.restore;
  Argv argv = criu_global(inv, quirks);
  argv.push_back("restore");
  argv.insert(argv.end(), {"--bundle", call.create.bundle.string(), "--pid-file",
                           call.create.pid_file.string()});
  if (!call.create.console_socket.empty())
    argv.insert(argv.end(), {"--console-socket", call.create.console_socket});
  if (call.detach) argv.push_back("--detach");
  if (call.create.no_pivot) argv.push_back("--no-pivot");
  if (r.no_subreaper && quirks.restore_no_subreaper) argv.push_back("--no-subreaper");
  add_criu_options(argv, r.criu);
  if (!r.lsm_profile.empty()) argv.insert(argv.end(), {"--lsm-profile", r.lsm_profile});
  if (!r.lsm_mount_context.empty())
    argv.insert(argv.end(), {"--lsm-mount-context", r.lsm_mount_context});
  add_id(argv, id);
  return argv;
}

Argv start_argv(const Invocation& inv, const std::string& id) {
  return simple(inv, "start", id);
}

Argv kill_argv(const Invocation& inv, const std::string& id, int signal, bool all) {
  Argv argv = global(inv);
  argv.push_back("kill");
  if (all) argv.push_back("--all");
  add_id(argv, id);
  argv.push_back(std::to_string(signal));
  return argv;
}

Argv delete_argv(const Invocation& inv, const std::string& id, bool force) {
  Argv argv = global(inv);
  argv.push_back("delete");
  if (force) argv.push_back("--force");
  add_id(argv, id);
  return argv;
}

Argv exec_argv(const Invocation& inv, const Quirks& quirks, const std::string& id,
               const ExecCall& call) {
  const std::string backend = inv.binary;
  Argv argv = global(inv);
  argv.push_back("exec");
  if (call.detach) argv.push_back("--detach");
  if (!call.pid_file.empty()) argv.insert(argv.end(), {"--pid-file", call.pid_file.string()});
  if (!call.console_socket.empty())
    argv.insert(argv.end(), {"--console-socket", call.console_socket});
  if (call.preserve_fds > 0)
    argv.insert(argv.end(), {"--preserve-fds", std::to_string(call.preserve_fds)});
  if (call.tty) argv.push_back("--tty");
  if (!quirks.exec_cgroup_per_controller &&
      (call.cgroups.size() > 1 ||
       (!call.cgroups.empty() && call.cgroups[0].find(':') != std::string::npos)))
    throw Error(ErrorKind::usage,
                backend + " takes one --cgroup, a sub-cgroup PATH without controllers",
                "pass a single --cgroup PATH, or run the container with the runc backend");
  for (const auto& cgroup : call.cgroups) argv.insert(argv.end(), {"--cgroup", cgroup});
  if (call.ignore_paused) {
    if (!quirks.exec_ignore_paused)
      throw Error(ErrorKind::usage, "--ignore-paused is not supported by " + backend);
    argv.push_back("--ignore-paused");
  }
  if (call.process_file) {
    // runc ignores the other process flags with --process; so do we.
    argv.insert(argv.end(), {"--process", call.process_file->string()});
    add_id(argv, id);
    return argv;
  }
  if (!call.cwd.empty()) argv.insert(argv.end(), {"--cwd", call.cwd});
  for (const auto& e : call.env) argv.insert(argv.end(), {"--env", e});
  if (!call.user.empty()) argv.insert(argv.end(), {"--user", call.user});
  if (!call.additional_gids.empty() && !quirks.exec_additional_gids)
    throw Error(ErrorKind::usage, "--additional-gids is not supported by " + backend);
  for (const auto& g : call.additional_gids) argv.insert(argv.end(), {"--additional-gids", g});
  for (const auto& c : call.caps) argv.insert(argv.end(), {"--cap", c});
  if (call.no_new_privs) argv.push_back("--no-new-privs");
  if (!call.apparmor.empty()) argv.insert(argv.end(), {"--apparmor", call.apparmor});
  if (!call.process_label.empty()) argv.insert(argv.end(), {"--process-label", call.process_label});
  add_id(argv, id);
  argv.insert(argv.end(), call.args.begin(), call.args.end());
  return argv;
}

Argv pause_argv(const Invocation& inv, const std::string& id) {
  return simple(inv, "pause", id);
}
Argv resume_argv(const Invocation& inv, const std::string& id) {
  return simple(inv, "resume", id);
}

Argv ps_argv(const Invocation& inv, const std::string& id) {
  Argv argv = global(inv);
  argv.insert(argv.end(), {"ps", "--format", "json"});
  add_id(argv, id);
  return argv;
}

Argv update_argv(const Invocation& inv, const std::string& id, const std::string& resources) {
  Argv argv = global(inv);
  argv.insert(argv.end(), {"update", "--resources", resources});
  add_id(argv, id);
  return argv;
}

Argv events_argv(const Invocation& inv, const std::string& id, bool stats,
                 const std::string& interval) {
  Argv argv = global(inv);
  argv.push_back("events");
  if (stats) argv.push_back("--stats");
  if (!interval.empty()) argv.push_back("--interval=" + interval);
  add_id(argv, id);
  return argv;
}

Argv features_argv(const std::string& binary) {
  return {binary, "features"};
}
Argv version_argv(const std::string& binary) {
  return {binary, "--version"};
}

}  // namespace nexcage::backend::oci_cli
