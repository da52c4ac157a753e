#include "commands.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

namespace {

// runc's individual update flags, each a path into specs.LinuxResources.
struct ResourceFlag {
  const char* flag;
  const char* section;
  const char* key;
  const char* help;
};

constexpr ResourceFlag resource_flags[] = {
    {"--memory", "memory", "limit", "memory limit in bytes"},
    {"--memory-reservation", "memory", "reservation", "memory soft limit in bytes"},
    {"--memory-swap", "memory", "swap", "memory plus swap limit in bytes (-1: unlimited)"},
    {"--cpu-shares", "cpu", "shares", "CPU shares (relative weight)"},
    {"--cpu-quota", "cpu", "quota", "CPU CFS quota in microseconds"},
    {"--cpu-period", "cpu", "period", "CPU CFS period in microseconds"},
    {"--cpu-rt-period", "cpu", "realtimePeriod", "CPU realtime period in microseconds"},
    {"--cpu-rt-runtime", "cpu", "realtimeRuntime", "CPU realtime runtime in microseconds"},
    {"--pids-limit", "pids", "limit", "maximum number of pids"},
    {"--blkio-weight", "blockIO", "weight", "block IO weight (10-1000)"},
};

}  // namespace

void add_update(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::UpdateRequest>();
  auto values = std::make_shared<std::map<std::string, int64_t>>();
  auto cpus = std::make_shared<std::string>();
  auto mems = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("update", "update a container's resource limits");
  sub->add_option("-r,--resources", req->resources,
                  "specs.LinuxResources JSON file, or - for stdin (other flags are then ignored)")
      ->type_name("FILE");
  for (const auto& f : resource_flags)
    sub->add_option(f.flag, (*values)[f.flag], f.help)->type_name("N");
  sub->add_option("--cpuset-cpus", *cpus, "CPUs to use, e.g. 0-3,5")->type_name("LIST");
  sub->add_option("--cpuset-mems", *mems, "memory nodes to use, e.g. 0-1")->type_name("LIST");
  add_id(*sub, req->id);
  sub->callback([&action, req, values, cpus, mems, sub] {
    for (const auto& f : resource_flags) {
      if (sub->count(f.flag) > 0) req->flag_resources[f.section][f.key] = (*values)[f.flag];
    }
    if (!cpus->empty()) req->flag_resources["cpu"]["cpus"] = *cpus;
    if (!mems->empty()) req->flag_resources["cpu"]["mems"] = *mems;
    action.run = [req](lifecycle::Context& ctx) {
      lifecycle::update(ctx, *req);
      return 0;
    };
  });
}

}  // namespace nexcage::cli
