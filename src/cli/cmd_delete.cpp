#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_delete(CLI::App& app, Action& action) {
  struct Args {
    std::string id;
    bool force = false;
  };
  auto args = std::make_shared<Args>();
  auto* sub = app.add_subcommand("delete", "delete a stopped container and its state");
  set_footer(*sub, "");
  sub->add_flag("-f,--force", args->force,
                "kill a running container first; an unknown id is not an error");
  add_id(*sub, args->id);
  sub->callback([&action, args] {
    action.run = [args](lifecycle::Context& ctx) {
      lifecycle::remove(ctx, args->id, args->force);
      return 0;
    };
  });
}

}  // namespace nexcage::cli
