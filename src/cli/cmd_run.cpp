#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_create_flags(CLI::App& sub, lifecycle::CreateRequest& req);

void add_run(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::RunRequest>();
  auto* sub = app.add_subcommand("run", "create and start a container, wait for it and delete it");
  set_footer(
      *sub,
      "In the foreground nexcage is the subreaper of the container's init, forwards the signals it "
      "receives to it and exits with its status (128+N when it was killed by signal N).");
  sub->add_flag("-d,--detach", req->detach, "return once the container has started");
  sub->add_flag("--keep", req->keep, "do not delete the container after it exits");
  sub->add_flag("--no-subreaper", req->no_subreaper,
                "accepted for compatibility; the foreground run always reaps its init");
  add_create_flags(*sub, req->create);
  sub->callback([&action, req] {
    action.run = [req](lifecycle::Context& ctx) { return lifecycle::run(ctx, *req); };
  });
}

}  // namespace nexcage::cli
