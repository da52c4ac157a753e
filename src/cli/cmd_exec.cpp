#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_exec(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::ExecRequest>();
  auto* sub = app.add_subcommand("exec", "run a new process inside a running container");
  set_footer(
      *sub,
      "In the foreground nexcage becomes the backend's exec, so the caller gets the process's exit "
      "status; 255 when the process could not be started. Everything after the container id "
      "belongs to the command.");
  sub->add_option("-p,--process", req->process_file, "process.json describing the process")
      ->type_name("FILE");
  sub->add_flag("-d,--detach", req->detach, "return once the process has started");
  sub->add_option("--pid-file", req->pid_file, "file to write the process's host pid to")
      ->type_name("FILE");
  sub->add_option("--console-socket", req->console_socket,
                  "AF_UNIX socket that receives the pty master")
      ->type_name("SOCKET");
  sub->add_flag("-t,--tty", req->tty, "allocate a pseudo-TTY");
  sub->add_option("--cwd", req->cwd, "working directory inside the container")->type_name("PATH");
  sub->add_option("-e,--env", req->env, "set an environment variable (repeatable)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);  // one value per use, as runc: the id follows
  sub->add_option("-u,--user", req->user, "run as this user and group inside the container")
      ->type_name("UID[:GID]");
  sub->add_option("-g,--additional-gids", req->additional_gids, "additional gid (repeatable)")
      ->type_name("GID")
      ->allow_extra_args(false);  // one value per use, as runc: the id follows
  sub->add_option("-c,--cap", req->caps, "add a capability, e.g. CAP_NET_ADMIN (repeatable)")
      ->type_name("CAP")
      ->allow_extra_args(false);  // one value per use, as runc: the id follows
  sub->add_flag("--no-new-privs", req->no_new_privs, "set no_new_privs for the process");
  sub->add_option("--apparmor", req->apparmor, "AppArmor profile for the process")
      ->type_name("PROFILE");
  sub->add_option("--process-label", req->process_label, "SELinux label for the process")
      ->type_name("LABEL");
  sub->add_option("--cgroup", req->cgroups,
                  "run in this sub-cgroup of the container: PATH, or CONTROLLER[,CONTROLLER]:PATH "
                  "(repeatable)")
      ->type_name("PATH")
      ->allow_extra_args(false);  // one value per use, as runc: the id follows
  sub->add_flag("--ignore-paused", req->ignore_paused, "allow exec in a paused container");
  sub->add_option("--preserve-fds", req->preserve_fds, "pass N additional fds to the process")
      ->type_name("N");
  add_id(*sub, req->id);
  sub->add_option("command", req->args, "the command and its arguments (instead of --process)")
      ->type_name("ARG");
  sub->callback([&action, req] {
    action.run = [req](lifecycle::Context& ctx) { return lifecycle::exec(ctx, *req); };
    action.failure_exit_code = 255;  // runc's: exec itself failed, as opposed to the process
  });
}

}  // namespace nexcage::cli
