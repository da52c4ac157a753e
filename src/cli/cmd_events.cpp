#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_events(CLI::App& app, Action& action) {
  struct Args {
    std::string id;
    bool stats = false;
    std::string interval;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("events", "print container events and statistics as JSON lines");
  set_footer(
      *sub,
      "From the backend's own events (runc); for a backend without one (crun) nexcage reads the "
      "container's cgroups itself and prints the same {\"type\":\"stats\",...} lines.");
  sub->add_flag("--stats", args->stats, "print statistics once and exit");
  sub->add_option("--interval", args->interval, "statistics interval, e.g. 5s")
      ->type_name("DURATION");
  add_id(*sub, args->id);
  sub->callback([&action, args] {
    action.run = [args](lifecycle::Context& ctx) {
      return lifecycle::events(ctx, args->id, args->stats, args->interval);
    };
  });
}

}  // namespace nexcage::cli
