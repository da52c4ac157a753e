// `state`: the container's state object (runc's), as JSON on stdout.
#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_state(CLI::App& app, Action& action) {
  auto id = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("state", "print the state of a container as JSON");
  set_footer(*sub, "");
  add_id(*sub, *id);
  sub->callback([&action, id] {
    action.run = [id](lifecycle::Context& ctx) {
      print(lifecycle::state(ctx, *id));
      return 0;
    };
  });
}

}  // namespace nexcage::cli
