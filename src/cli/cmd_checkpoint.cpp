// checkpoint and restore, with runc 1.1's flags.
#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

namespace {

void add_criu_flags(CLI::App& sub, lifecycle::CriuFlags& o) {
  sub.add_option("--image-path", o.image_path,
                 "directory of the checkpoint image (default: ./checkpoint)")
      ->type_name("DIR");
  sub.add_option("--work-path", o.work_path, "directory for CRIU's logs and work files")
      ->type_name("DIR");
  sub.add_flag("--tcp-established", o.tcp_established, "allow open TCP connections");
  sub.add_flag("--ext-unix-sk", o.ext_unix_sk, "allow external unix sockets");
  sub.add_flag("--shell-job", o.shell_job, "allow a shell job (a terminal from the caller)");
  sub.add_flag("--file-locks", o.file_locks, "handle file locks");
  sub.add_flag("--auto-dedup", o.auto_dedup, "deduplicate memory pages against the parent image");
  sub.add_flag("--lazy-pages", o.lazy_pages, "use userfaultfd to fetch memory pages lazily");
  sub.add_option("--manage-cgroups-mode", o.manage_cgroups_mode,
                 "how CRIU handles cgroups: soft, full or strict")
      ->check(CLI::IsMember({"soft", "full", "strict"}));
  sub.add_option("--empty-ns", o.empty_ns,
                 "a namespace to restore empty, e.g. network (repeatable)")
      ->type_name("NS")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace

void add_checkpoint(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::CheckpointRequest>();
  auto* sub = app.add_subcommand("checkpoint", "checkpoint a running container with CRIU");
  set_footer(*sub,
             "The backend (runc or crun) runs CRIU; where CRIU cannot work on the host, its error "
             "is shown in "
             "the backend's words. Unless --leave-running, the container is gone afterwards.");
  add_criu_flags(*sub, req->criu);
  sub->add_option("--parent-path", req->parent_path,
                  "a previous (pre-dump) image, relative to --image-path")
      ->type_name("DIR");
  sub->add_flag("--leave-running", req->leave_running,
                "leave the container running after the checkpoint");
  sub->add_flag("--pre-dump", req->pre_dump,
                "dump the memory only, for a later incremental checkpoint");
  sub->add_option("--page-server", req->page_server, "send the memory pages to a CRIU page server")
      ->type_name("ADDRESS:PORT");
  add_id(*sub, req->id);
  sub->callback([&action, req] {
    action.run = [req](lifecycle::Context& ctx) {
      lifecycle::checkpoint(ctx, *req);
      return 0;
    };
  });
}

void add_restore(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::RestoreRequest>();
  auto* sub = app.add_subcommand("restore", "restore a container from a checkpoint image");
  set_footer(
      *sub,
      "Like run: in the foreground nexcage waits and exits with the container's status; with "
      "--detach "
      "it returns once the container runs. Relative paths are the bundle's, as runc reads them.");
  sub->add_option("-b,--bundle", req->create.bundle,
                  "bundle directory (default: current directory)")
      ->type_name("DIR");
  sub->add_option("--pid-file", req->create.pid_file,
                  "file to write the restored init's host pid to")
      ->type_name("FILE");
  sub->add_option("--console-socket", req->create.console_socket,
                  "AF_UNIX socket that receives the pty master")
      ->type_name("SOCKET");
  sub->add_flag("-d,--detach", req->detach, "return once the container runs");
  sub->add_flag("--no-subreaper", req->no_subreaper,
                "do not use a subreaper to reap reparented processes");
  sub->add_flag("--no-pivot", req->create.no_pivot,
                "do not use pivot_root (a rootfs on a ramdisk)");
  add_criu_flags(*sub, req->criu);
  sub->add_option("--lsm-profile", req->lsm_profile,
                  "LSM profile of the restored process, TYPE:NAME");
  sub->add_option("--lsm-mount-context", req->lsm_mount_context,
                  "SELinux mount context of the restored mounts");
  add_id(*sub, req->create.id);
  sub->callback([&action, req] {
    action.run = [req](lifecycle::Context& ctx) { return lifecycle::restore(ctx, *req); };
  });
}

}  // namespace nexcage::cli
