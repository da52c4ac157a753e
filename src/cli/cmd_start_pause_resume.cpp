// start, pause and resume: commands that take only a container id and print nothing.
#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

namespace {

void add_id_command(CLI::App& app, Action& action, const char* name, const char* description,
                    void (*operation)(lifecycle::Context&, const std::string&)) {
  auto id = std::make_shared<std::string>();
  auto* sub = app.add_subcommand(name, description);
  set_footer(*sub, "");
  add_id(*sub, *id);
  sub->callback([&action, id, operation] {
    action.run = [id, operation](lifecycle::Context& ctx) {
      operation(ctx, *id);
      return 0;
    };
  });
}

}  // namespace

void add_start(CLI::App& app, Action& action) {
  add_id_command(app, action, "start", "start the user process of a created container",
                 lifecycle::start);
}
void add_pause(CLI::App& app, Action& action) {
  add_id_command(app, action, "pause", "freeze every process of a container", lifecycle::pause);
}
void add_resume(CLI::App& app, Action& action) {
  add_id_command(app, action, "resume", "thaw a paused container", lifecycle::resume);
}

}  // namespace nexcage::cli
