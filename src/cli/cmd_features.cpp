#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_features(CLI::App& app, Action& action) {
  auto* sub =
      app.add_subcommand("features", "print the features of the backend containers are routed to");
  set_footer(*sub, "");
  sub->callback([&action] {
    action.run = [](lifecycle::Context& ctx) {
      print(lifecycle::features(ctx));
      return 0;
    };
  });
}

}  // namespace nexcage::cli
