#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

void add_metrics(CLI::App& app, Action& action) {
  auto output = std::make_shared<std::string>();
  auto* sub = app.add_subcommand(
      "metrics", "print Prometheus metrics of the state directory's containers and operations");
  set_footer(*sub,
             "The text exposition format: build info, containers by backend and status, each "
             "running container's CPU seconds, memory bytes and pids (from its cgroups), and the "
             "commands run on this state directory by operation, backend and result with a "
             "duration histogram. The .deb's nexcage-metrics.timer writes it for "
             "node_exporter's textfile collector (docs/observability.md).");
  sub->add_option("-o,--output", *output,
                  "write to FILE (replaced atomically, mode 0644) instead of stdout")
      ->type_name("FILE");
  sub->callback([&action, output] {
    action.run = [output](lifecycle::Context& ctx) {
      if (output->empty())
        print(lifecycle::metrics(ctx));
      else
        lifecycle::write_metrics_file(ctx, *output);
      return 0;
    };
  });
}

void add_config(CLI::App& app, Action& action) {
  auto format = std::make_shared<std::string>("table");
  auto* sub = app.add_subcommand("config", "show the settings in effect and where each came from");
  set_footer(*sub,
             "Each setting is taken from the first of: its flag, its environment variable, the "
             "config file, the built-in default (docs/configuration.md). The config file itself "
             "comes from --config, NEXCAGE_CONFIG or /etc/nexcage/config.json.");
  sub->add_option("-f,--format", *format, "output format: table or json")
      ->type_name("{table,json}");
  sub->callback([&action, format] {
    action.run = [format](lifecycle::Context& ctx) {
      print(lifecycle::config_view(ctx, *format));
      return 0;
    };
  });
}

}  // namespace nexcage::cli
