#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_ps(CLI::App& app, Action& action) {
  struct Args {
    std::string id;
    std::string format = "table";
    std::vector<std::string> ps_args;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("ps", "list the processes of a container");
  set_footer(*sub, "");
  sub->add_option("-f,--format", args->format, "output format: table or json (pids only)")
      ->type_name("{table,json}");
  add_id(*sub, args->id);
  sub->add_option("ps-args", args->ps_args, "arguments for ps(1) (table format; default -ef)")
      ->type_name("ARG");
  sub->callback([&action, args] {
    action.run = [args](lifecycle::Context& ctx) {
      print(lifecycle::ps(ctx, args->id, args->format, args->ps_args));
      return 0;
    };
  });
}

}  // namespace nexcage::cli
