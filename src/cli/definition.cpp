#include "definition.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "examples.hpp"
#include "nexcage/router/config.hpp"
#include "normalize.hpp"

namespace nexcage::cli {

namespace {

// "{a,b}": how CLI11 shows a choice, and how nexcage-docgen recognises one to complete.
std::string choices(const std::vector<std::string>& names) {
  std::string out = "{";
  for (const auto& n : names) out += (out.size() > 1 ? "," : "") + n;
  return out + "}";
}

void add_global_flags(CLI::App& app, GlobalFlags& g) {
  app.add_option("--root", g.root,
                 "state directory (default /run/nexcage or the config file's root; for a user, "
                 "$XDG_RUNTIME_DIR/nexcage)")
      ->type_name("DIR");
  app.add_option(
         "--log", g.log,
         "append errors and warnings (and, by --log-level, records and debug lines) to this "
         "file (default $NEXCAGE_LOG or the config file's log.file)")
      ->type_name("FILE");
  app.add_option("--log-format", g.log_format,
                 "format of the log file: text or json (default $NEXCAGE_LOG_FORMAT, the config "
                 "file's log.format, else text)")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option(
         "--log-level", g.log_level,
         "least severe lines logged: error, warning, info (one record per command) or debug "
         "(default $NEXCAGE_LOG_LEVEL, the config file's log.level, else warning for a "
         "--log file and info for the admin's)")
      ->check(CLI::IsMember({"error", "warning", "info", "debug"}));
  app.add_flag("--debug", g.debug,
               "log debug messages, including the backend commands run (--log-level debug)");
  app.add_flag("--quiet", g.quiet,
               "no warnings on stderr: only the command's output and its errors");
  app.add_flag("--systemd-cgroup", g.systemd_cgroup, "cgroupsPath is slice:prefix:name (systemd)");
  app.add_option("--rootless", g.rootless, "accepted for runc compatibility and ignored")
      ->check(CLI::IsMember({"true", "false", "auto"}));
  app.add_option("--criu", g.criu,
                 "the CRIU binary for checkpoint and restore (runc; crun links CRIU in)")
      ->type_name("FILE");
  app.add_option("--config", g.config, "nexcage config file (default /etc/nexcage/config.json)")
      ->type_name("FILE");
  app.add_option("--backend", g.backend,
                 "at create and run: the backend to use; later: must name the recorded one")
      ->type_name(choices(router::known_backends()));
  app.add_flag("-v,--version", g.version, "print the version of nexcage and its backends");
}

struct Command {
  std::string_view name;
  Register add;
};

constexpr std::array<Command, 21> commands{
    {{"create", add_create},   {"start", add_start},       {"state", add_state},
     {"kill", add_kill},       {"delete", add_delete},     {"run", add_run},
     {"exec", add_exec},       {"list", add_list},         {"ps", add_ps},
     {"pause", add_pause},     {"resume", add_resume},     {"update", add_update},
     {"events", add_events},   {"features", add_features}, {"checkpoint", add_checkpoint},
     {"restore", add_restore}, {"spec", add_spec},         {"doctor", add_doctor},
     {"image", add_image},     {"metrics", add_metrics},   {"config", add_config}}};

const Command* command_named(std::string_view name) {
  auto it = std::find_if(commands.begin(), commands.end(),
                         [&](const Command& c) { return c.name == name; });
  return it == commands.end() ? nullptr : &*it;
}

// The one command a command line names: its first argument that is neither a global flag nor
// a global flag's value, when everything before it is a known global flag and no later
// argument is the name of another command (CLI11 would then report something the full
// definition decides). nullptr for help, for anything unrecognised, or when in doubt.
const Command* sole_command(const CLI::App& app, const std::vector<std::string>& args) {
  std::size_t i = 1;
  for (; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token.size() < 2 || token[0] != '-') break;
    std::string name = flag_name(token);
    const CLI::Option* flag = find_flag(app, name);  // a global flag: only they are defined yet
    if (flag == nullptr || flag == app.get_help_ptr() || flag == app.get_help_all_ptr())
      return nullptr;
    if (takes_next_word(flag, token)) ++i;  // its value
  }
  if (i >= args.size()) return nullptr;
  const Command* named = command_named(args[i]);
  if (named == nullptr) return nullptr;
  for (std::size_t j = i + 1; j < args.size(); ++j)
    if (command_named(args[j]) != nullptr) return nullptr;
  return named;
}

void define_common(CLI::App& app, GlobalFlags& g) {
  app.name("nexcage");
  app.description("nexcage: a runc-compatible OCI runtime for Proxmox VE hosts (runc, crun, pct)");
  // urfave/cli (runc) keeps the last of a repeated option; CLI11 would refuse it.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  add_global_flags(app, g);
  set_footer(
      app,
      "nexcage takes runc's commands and flags, so containerd, podman and CRI-O call it as they\n"
      "call runc. On a Proxmox VE host, the admin form `nexcage create --image IMAGE --name NAME`\n"
      "makes a Proxmox container (pct backend). `nexcage COMMAND --help` describes each command;\n"
      "man nexcage and man nexcage-pct say more.");
  app.require_subcommand(0, 1);
}

}  // namespace

void define_cli(CLI::App& app, GlobalFlags& g, Action& action) {
  define_common(app, g);
  for (const Command& command : commands) command.add(app, action);
}

void define_cli_for(CLI::App& app, GlobalFlags& g, Action& action,
                    const std::vector<std::string>& args) {
  define_common(app, g);
  if (const Command* only = sole_command(app, args)) {
    only->add(app, action);
    return;
  }
  for (const Command& command : commands) command.add(app, action);
}

}  // namespace nexcage::cli
