#include <unistd.h>

#include <cstdlib>

#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/doctor/doctor.hpp"
#include "nexcage/router/config.hpp"

namespace nexcage::cli {

namespace {

// Colour only on a terminal, and never with NO_COLOR set (https://no-color.org).
bool use_colour() {
  const char* no_colour = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_colour == nullptr || *no_colour == '\0');
}

}  // namespace

void add_doctor(CLI::App& app, Action& action) {
  auto* sub = app.add_subcommand(
      "doctor",
      "check the host (backends, cgroups, state root, records, Proxmox tools) and say what to fix");
  set_footer(*sub, "");
  auto format = std::make_shared<std::string>("text");
  auto repair = std::make_shared<bool>(false);
  sub->add_option("-f,--format", *format, "output format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub->add_flag("--repair", *repair, "remove nexcage's own stale records (after saying which)");
  sub->callback([&action, format, repair] {
    action.needs_context = false;
    action.run_with_flags = [format, repair](const GlobalFlags& g) {
      doctor::Options options;
      options.config_file = g.config;
      options.config_env = std::getenv(router::config_env);
      // NEXCAGE_ROOT, as every other command reads it, when --root is not given.
      const char* env_root = std::getenv(lifecycle::env::root);
      options.root = g.root.empty() && env_root != nullptr ? env_root : g.root;
      options.repair = *repair;
      auto report = doctor::examine(options);
      print(*format == "json" ? doctor::render_json(report)
                              : doctor::render_text(report, use_colour()));
      return report.healthy() ? 0 : 1;
    };
  });
}

}  // namespace nexcage::cli
