#include "definition.hpp"

#include "nexcage/router/config.hpp"

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
                 "state directory (default /run/nexcage, or root in the config file)")
      ->type_name("DIR");
  app.add_option("--log", g.log, "append errors and warnings (and debug lines) to this file")->type_name("FILE");
  app.add_option("--log-format", g.log_format, "format of the --log file: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--debug", g.debug, "log debug messages, including the backend commands run");
  app.add_flag("--quiet", g.quiet, "no warnings on stderr: only the command's output and its errors");
  app.add_flag("--systemd-cgroup", g.systemd_cgroup, "cgroupsPath is slice:prefix:name (systemd)");
  app.add_option("--rootless", g.rootless, "accepted for runc compatibility and ignored")
      ->check(CLI::IsMember({"true", "false", "auto"}));
  app.add_option("--criu", g.criu, "accepted for runc compatibility and ignored")
      ->type_name("FILE");
  app.add_option("--config", g.config, "nexcage config file (default /etc/nexcage/config.json)")
      ->type_name("FILE");
  app.add_option("--backend", g.backend,
                 "at create and run: the backend to use; later: must name the recorded one")
      ->type_name(choices(router::known_backends()));
  app.add_flag("-v,--version", g.version, "print the version of nexcage and its backends");
}

}  // namespace

void define_cli(CLI::App& app, GlobalFlags& g, Action& action) {
  app.name("nexcage");
  app.description("nexcage: a runc-compatible OCI runtime for Proxmox VE hosts (runc, crun, pct)");
  // urfave/cli (runc) keeps the last of a repeated option; CLI11 would refuse it.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  add_global_flags(app, g);
  for (Register add :
       {add_create, add_start, add_state, add_kill, add_delete, add_run, add_exec, add_list, add_ps,
        add_pause, add_resume, add_update, add_events, add_features, add_spec, add_doctor})
    add(app, action);
  app.require_subcommand(0, 1);
}

}  // namespace nexcage::cli
