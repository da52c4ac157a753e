#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_spec(CLI::App& app, Action& action) {
  struct Args {
    std::string bundle;
    bool rootless = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("spec", "write a default config.json into the bundle directory");
  set_footer(*sub, "");
  sub->add_option("-b,--bundle", args->bundle, "bundle directory (default: current directory)")
      ->type_name("DIR");
  sub->add_flag("--rootless", args->rootless, "a spec for a container run by an unprivileged user");
  sub->callback([&action, args] {
    action.needs_context = false;
    action.run_without_context = [args] {
      lifecycle::spec(args->bundle, args->rootless);
      return 0;
    };
  });
}

}  // namespace nexcage::cli
