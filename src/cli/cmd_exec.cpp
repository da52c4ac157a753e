#include "commands.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_exec(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::ExecRequest>();
  auto& call = req->call;
  auto* sub = app.add_subcommand("exec", "run a new process inside a container");
  sub->add_option("-p,--process", req->process_file, "process.json describing the process");
  sub->add_flag("-d,--detach", call.detach, "return once the process has started");
  sub->add_option("--pid-file", req->pid_file, "file to write the process's host pid to");
  sub->add_option("--console-socket", call.console_socket, "AF_UNIX socket that receives the pty master");
  sub->add_flag("-t,--tty", call.tty, "allocate a pseudo-TTY");
  sub->add_option("--cwd", call.cwd, "working directory inside the container");
  sub->add_option("-e,--env", call.env, "set an environment variable KEY=VALUE (repeatable)");
  sub->add_option("-u,--user", call.user, "uid[:gid]");
  sub->add_option("-g,--additional-gids", call.additional_gids, "additional gid (repeatable)");
  sub->add_option("-c,--cap", call.caps, "add a capability (repeatable)");
  sub->add_flag("--no-new-privs", call.no_new_privs, "set no_new_privs for the process");
  sub->add_option("--apparmor", call.apparmor, "AppArmor profile for the process");
  sub->add_option("--process-label", call.process_label, "SELinux label for the process");
  sub->add_option("--cgroup", call.cgroup, "run in this sub-cgroup of the container");
  sub->add_flag("--ignore-paused", call.ignore_paused, "allow exec in a paused container");
  sub->add_option("--preserve-fds", call.preserve_fds, "pass N additional fds to the process");
  add_id(*sub, req->id);
  sub->add_option("command", call.args, "the command and its arguments");
  sub->callback([&action, req] {
    action.run = [req](lifecycle::Context& ctx) { return lifecycle::exec(ctx, *req); };
  });
}

}  // namespace nexcage::cli
