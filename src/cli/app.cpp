#include "app.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "definition.hpp"
#include "normalize.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/state/root_index.hpp"
#include "nexcage/lifecycle/operations.hpp"
#include "nexcage/router/config.hpp"

namespace nexcage::cli {

namespace {

// The root of this call: --root, else the default root, unless the container named by the
// command lives under another root that the default root's index knows (see state/root_index).
std::filesystem::path choose_root(const GlobalFlags& g, const std::filesystem::path& default_root,
                                  const std::string& id) {
  if (!g.root.empty()) {
    if (g.root == "/") throw Error(ErrorKind::usage, "--root cannot be /");
    return fs::absolute_path(g.root);
  }
  std::error_code ec;
  if (id.empty() || std::filesystem::exists(default_root / id, ec)) return default_root;
  return state::RootIndex(default_root).lookup(id).value_or(default_root);
}

lifecycle::Context make_context(const GlobalFlags& g, const std::string& id) {
  auto config = router::load_config(g.config, std::getenv(router::config_env));
  backend::Globals globals;
  std::string default_root = config.root.value_or(lifecycle::default_root);
  if (default_root == "/") throw Error(ErrorKind::usage, "root in the config file cannot be /");
  globals.default_root = fs::absolute_path(default_root);
  globals.root = choose_root(g, globals.default_root, id);
  globals.systemd_cgroup = g.systemd_cgroup;
  globals.debug = g.debug;
  globals.log_file = g.log.empty() ? std::string() : fs::absolute_path(g.log).string();
  globals.log_format = g.log_format == "json" ? log::Format::json : log::Format::text;
  return lifecycle::Context(std::move(config), std::move(globals), g.backend, process::system_runner());
}

// Text on stderr: the message (which may span lines), then the hint.
void report(const Error& e) {
  std::string text = std::string("nexcage: ") + e.what() + "\n";
  if (!e.hint().empty()) text += "hint: " + e.hint() + "\n";
  std::cerr << text << std::flush;
  // One line in the log file: podman reads that file as a single JSON object.
  std::string line = e.what();
  for (std::size_t pos; (pos = line.find("\n  ")) != std::string::npos;) line.replace(pos, 3, "; ");
  for (char& c : line)
    if (c == '\n') c = ' ';
  log::error(line);
}

// CLI11's messages start with a capital; nexcage's are lowercase, and an unknown command is named.
std::string usage_message(const CLI::App& app, const CLI::ParseError& e) {
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr && app.get_subcommands().empty()) {
    auto extras = app.remaining();
    if (!extras.empty()) return "unknown command \"" + extras.front() + "\"";
  }
  std::string text = e.what();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// The existing container the chosen command names, if any (create and run name a new one).
std::string container_id_of(const CLI::App& app) {
  auto subs = app.get_subcommands();
  if (subs.empty() || subs.front()->get_name() == "create" || subs.front()->get_name() == "run") return "";
  const CLI::Option* opt = subs.front()->get_option_no_throw("container-id");
  return opt != nullptr && opt->count() > 0 ? opt->as<std::string>() : "";
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

  auto args = normalize_argv(app, raw_args, {"exec", "ps"});
  try {
    auto argv = c_args(args);
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, std::cout, std::cerr);
  } catch (const CLI::ParseError& e) {
    std::cerr << "nexcage: " << usage_message(app, e) << "\nRun 'nexcage --help' for usage.\n";
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
      auto ctx = make_context(g, "");
      print(lifecycle::version(ctx));
      return 0;
    }
    if (action.run_with_flags) return action.run_with_flags(g);
    if (!action.run && !action.run_without_context) {
      print(app.help());  // like runc without a command: the help, exit 0
      return 0;
    }
    if (!action.needs_context) return action.run_without_context();
    auto ctx = make_context(g, container_id_of(app));
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
