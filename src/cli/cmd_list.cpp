#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_list(CLI::App& app, Action& action) {
  struct Args {
    std::string format = "table";
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("list", "list the containers in the state directory");
  set_footer(*sub, "");
  sub->add_option("-f,--format", args->format, "output format: table or json")
      ->type_name("{table,json}");
  sub->add_flag("-q,--quiet", args->quiet, "print only the ids");
  sub->callback([&action, args] {
    action.run = [args](lifecycle::Context& ctx) {
      print(lifecycle::list(ctx, args->format, args->quiet));
      return 0;
    };
  });
}

}  // namespace nexcage::cli
