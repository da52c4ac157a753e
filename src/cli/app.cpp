#include "app.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "definition.hpp"
#include "normalize.hpp"
#include "usage_error.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/lifecycle/operations.hpp"
#include "nexcage/state/root_choice.hpp"
#include "nexcage/router/config.hpp"

namespace nexcage::cli {

namespace {

// create and run route by the config file, so any problem in it stops them; every other command
// manages containers that exist and use their recorded backend, so a typo only warns.
router::Strictness strictness_for(const std::string& command) {
  return command == "create" || command == "run" ? router::Strictness::strict : router::Strictness::lenient;
}

lifecycle::Context make_context(const GlobalFlags& g, const std::string& command) {
  auto config = router::load_config(g.config, std::getenv(router::config_env), strictness_for(command));
  backend::Globals globals;
  try {
    globals.root = state::choose_state_root(g.root, config.root, state::this_caller());
  } catch (const Error&) {
    if (command != "version") throw;
    globals.root = state::default_root;  // --version reads no state: a caller without a root may ask too
  }
  globals.systemd_cgroup = g.systemd_cgroup;
  globals.debug = g.debug;
  // A bare name is runc's to look up in PATH, as runc's own --criu criu is.
  globals.criu = g.criu.find('/') == std::string::npos ? g.criu : fs::absolute_path(g.criu).string();
  globals.log_file = g.log.empty() ? std::string() : fs::absolute_path(g.log).string();
  globals.log_format = g.log_format == "json" ? log::Format::json : log::Format::text;
  return lifecycle::Context(std::move(config), std::move(globals), g.backend, process::system_runner());
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
    return 1;
  }

  try {
    log::init(log::Options{g.log, g.log_format == "json" ? log::Format::json : log::Format::text, g.debug,
                           g.quiet});
  } catch (const Error& e) {
    std::cerr << "nexcage: " << e.what() << "\n";
    return 1;
  }

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
    return action.run(ctx);
  } catch (const Error& e) {
    report(e);
    return e.exit_code();
  } catch (const std::exception& e) {
    report(Error(ErrorKind::system, e.what()));
    return 1;
  }
}

}  // namespace nexcage::cli
