#include "app.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "definition.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/lifecycle/operations.hpp"
#include "normalize.hpp"
#include "usage_error.hpp"

namespace nexcage::cli {

namespace {

lifecycle::Context make_context(const GlobalFlags& g, const std::string& command) {
  lifecycle::GlobalOptions options;
  options.root = g.root;
  options.config = g.config;
  options.backend = g.backend;
  options.log = g.log;
  options.log_json = g.log_format == "json";
  options.debug = g.debug;
  options.systemd_cgroup = g.systemd_cgroup;
  options.criu = g.criu;
  return lifecycle::open_context(options, command);
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
  if (words != nullptr && words->in_callers_log) return;
  // One line in the log file: podman reads that file as a single JSON object.
  std::string line = e.what();
  for (std::size_t pos; (pos = line.find("\n  ")) != std::string::npos;) line.replace(pos, 3, "; ");
  for (char& c : line)
    if (c == '\n') c = ' ';
  log::error(line);
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

}  // namespace

int run_app(const std::vector<std::string>& raw_args) {
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

  try {
    log::init(log::Options{g.log, g.log_format == "json" ? log::Format::json : log::Format::text,
                           g.debug, g.quiet});
  } catch (...) {
    auto e = to_error(std::current_exception(), "opening the log");
    std::cerr << "nexcage: " << e.what() << "\n";
    return exit_code_for(e.kind());
  }

  bool running = false;  // the command's own work has begun (Action::failure_exit_code)
  try {
    if (g.version) {
      auto ctx = make_context(g, "version");
      print(lifecycle::version(ctx));
      return 0;
    }
    if (action.run_with_flags) return action.run_with_flags(g);
    if (!action.run && !action.run_without_context) {
      print(app.help());  // like runc without a command: the help, exit 0
      return 0;
    }
    if (!action.needs_context) return action.run_without_context();
    auto ctx = make_context(g, command_of(app));
    running = true;
    return action.run(ctx);
  } catch (...) {
    // Whatever was thrown is shown as "nexcage: what: why", the original kept in the debug log.
    auto command = command_of(app);
    auto e = to_error(std::current_exception(), command.empty() ? "nexcage" : command);
    report(e);
    return running && action.failure_exit_code ? *action.failure_exit_code
                                               : exit_code_for(e.kind());
  }
}

}  // namespace nexcage::cli
