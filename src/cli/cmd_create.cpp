#include "commands.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_create_flags(CLI::App& sub, lifecycle::CreateRequest& req) {
  sub.add_option("-b,--bundle", req.bundle,
                 "path to the bundle directory (default: current directory)")
      ->type_name("DIR");
  sub.add_option("--pid-file", req.pid_file, "file to write the init's host pid to")
      ->type_name("FILE");
  sub.add_option("--console-socket", req.console_socket,
                 "AF_UNIX socket that receives the pty master")
      ->type_name("SOCKET");
  sub.add_option("--preserve-fds", req.preserve_fds,
                 "pass N additional fds (3..3+N-1) to the container")
      ->type_name("N");
  sub.add_option("--pidfd-socket", "not supported: nexcage passes no pidfds")
      ->type_name("SOCKET")
      ->check([](const std::string&) {
        return std::string("--pidfd-socket is not supported by nexcage");
      });
  sub.add_flag("--no-pivot", req.no_pivot, "do not use pivot_root to jail the process");
  sub.add_flag("--no-new-keyring", req.no_new_keyring, "do not create a new session keyring");
  // A new id: the completions offer existing ids only where the type name is ID.
  add_id(sub, req.id)->type_name("NAME")->description("the new container's id");
}

void add_create(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::CreateRequest>();
  auto* sub = app.add_subcommand("create", "create a container from a bundle, ready for start");
  sub->footer(
      "The backend is chosen here (--backend, the org.nexcage.backend annotation, the config's "
      "rules, default_backend, then the first of runc, crun installed) and recorded; every later "
      "command uses the recorded backend.");
  add_create_flags(*sub, *req);
  sub->callback([&action, req] {
    action.run = [req](lifecycle::Context& ctx) {
      lifecycle::create(ctx, *req);
      return 0;
    };
  });
}

}  // namespace nexcage::cli
