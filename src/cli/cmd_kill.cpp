#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_kill(CLI::App& app, Action& action) {
  struct Args {
    std::string id;
    std::string signal = "SIGTERM";
    bool all = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("kill", "send a signal (default SIGTERM) to a container's init");
  set_footer(*sub, "");
  sub->add_flag("-a,--all", args->all,
                "signal every process of the container; succeed if it has stopped");
  add_id(*sub, args->id);
  sub->add_option("signal", args->signal,
                  "a number or a name, with or without SIG, any case (default SIGTERM)")
      ->type_name("SIGNAL");
  sub->callback([&action, args] {
    action.run = [args](lifecycle::Context& ctx) {
      lifecycle::kill(ctx, args->id, args->signal, args->all);
      return 0;
    };
  });
}

}  // namespace nexcage::cli
