#include "app.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "definition.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/core/operation.hpp"
#include "nexcage/lifecycle/operation_log.hpp"
#include "nexcage/lifecycle/operations.hpp"
#include "normalize.hpp"
#include "usage_error.hpp"

namespace nexcage::cli {

namespace {

lifecycle::GlobalOptions global_options(const GlobalFlags& g) {
  lifecycle::GlobalOptions options;
  options.settings.root = g.root;
  options.settings.config = g.config;
  options.settings.log = g.log;
  options.settings.log_format = g.log_format;
  options.settings.log_level = g.log_level;
  options.settings.debug = g.debug;
  options.backend = g.backend;
  options.quiet = g.quiet;
  options.systemd_cgroup = g.systemd_cgroup;
  options.criu = g.criu;
  return options;
}

// Text on stderr: the message (which may span lines), then the hint. A backend's failure is shown
// in the backend's own words, once: containerd and podman match on them.
void report(const Error& e) {
  const BackendWords* words = e.backend_words();
  std::string text;
  if (words != nullptr && words->on_callers_stderr) {
    // the backend printed it on the caller's stderr itself
  } else if (words != nullptr && !words->stderr_text.empty()) {
    text = words->stderr_text;
    if (text.back() != '\n') text += '\n';
  } else {
    text = std::string("nexcage: ") + e.what() + "\n";
  }
  if (!e.hint().empty()) text += "hint: " + e.hint() + "\n";
  std::cerr << text << std::flush;
}

std::string command_of(const CLI::App& app) {
  auto subs = app.get_subcommands();
  return subs.empty() ? std::string() : subs.front()->get_name();
}

std::vector<const char*> c_args(const std::vector<std::string>& args) {
  std::vector<const char*> out;
  for (const auto& a : args) out.push_back(a.c_str());
  return out;
}

int run_command(CLI::App& app, const GlobalFlags& g, const lifecycle::GlobalOptions& options,
                const Action& action, const std::string& command, bool& running) {
  if (g.version) {
    auto ctx = lifecycle::open_context(options, "version");
    print(lifecycle::version(ctx));
    return 0;
  }
  if (action.run_with_flags) return action.run_with_flags(g);
  if (!action.run && !action.run_without_context) {
    print(app.help());  // like runc without a command: the help, exit 0
    return 0;
  }
  if (!action.needs_context) return action.run_without_context();
  auto ctx = lifecycle::open_context(options, command);
  running = true;
  return action.run(ctx);
}

}  // namespace

int run_app(const std::vector<std::string>& raw_args) {
  operation::begin();  // the command's duration includes its parsing
  CLI::App app;
  GlobalFlags g;
  Action action;
  define_cli_for(app, g, action, raw_args);

  auto args = normalize_argv(app, help_command_as_flag(app, raw_args), {"exec", "ps"});
  try {
    auto argv = c_args(args);
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::ParseError& e) {
    std::cerr << usage_error_text(app, raw_args, e);
    return exit_code_for(ErrorKind::usage);
  }

  auto options = global_options(g);
  auto command = g.version ? std::string("version") : command_of(app);
  try {
    lifecycle::start_logging(options, command.empty() ? "help" : command);
  } catch (...) {
    auto e = to_error(std::current_exception(), "opening the log");
    std::cerr << "nexcage: " << e.what() << "\n";
    return exit_code_for(e.kind());
  }

  bool running = false;  // the command's own work has begun (Action::failure_exit_code)
  try {
    int status = run_command(app, g, options, action, command, running);
    lifecycle::finish_operation(status);
    return status;
  } catch (...) {
    // Whatever was thrown is shown as "nexcage: what: why", the original kept in the debug log.
    auto e = to_error(std::current_exception(), command.empty() ? "nexcage" : command);
    report(e);
    int status =
        running && action.failure_exit_code ? *action.failure_exit_code : exit_code_for(e.kind());
    lifecycle::finish_operation(e, status);
    return status;
  }
}

}  // namespace nexcage::cli
