#include <charconv>

#include "commands.hpp"
#include "examples.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/lifecycle/operations.hpp"

namespace nexcage::cli {

namespace {

// runc's individual update flags, each a path into specs.LinuxResources.
// Sizes take runc's units (50M, 1.5g; -1 = unlimited); the others are plain numbers.
struct ResourceFlag {
  const char* flag;  // CLI11 names: runc's first, then accepted spellings
  const char* section;
  const char* key;
  const char* help;
  bool size = false;
};

constexpr ResourceFlag resource_flags[] = {
    {"--memory", "memory", "limit", "memory limit in bytes, or with a unit: 50M, 1g", true},
    {"--memory-reservation", "memory", "reservation", "memory soft limit (bytes or 50M, 1g)", true},
    {"--memory-swap", "memory", "swap", "memory plus swap limit (bytes or 50M, 1g; -1: unlimited)",
     true},
    {"--cpu-share,--cpu-shares", "cpu", "shares", "CPU shares (relative weight)"},
    {"--cpu-quota", "cpu", "quota", "CPU CFS quota in microseconds"},
    {"--cpu-period", "cpu", "period", "CPU CFS period in microseconds"},
    {"--cpu-rt-period", "cpu", "realtimePeriod", "CPU realtime period in microseconds"},
    {"--cpu-rt-runtime", "cpu", "realtimeRuntime", "CPU realtime runtime in microseconds"},
    {"--pids-limit", "pids", "limit", "maximum number of pids"},
    {"--blkio-weight", "blockIO", "weight", "block IO weight (10-1000)"},
};

// runc's reading of one flag's value: sizes through RAMInBytes ("-1" as is), others as integers.
int64_t resource_value(const ResourceFlag& f, const std::string& text) {
  std::string name = std::string(f.flag).substr(0, std::string(f.flag).find(','));
  if (f.size) {
    if (text == "-1") return -1;
    if (auto bytes = parse_byte_size(text)) return *bytes;
    throw CLI::ValidationError(
        name, "\"" + excerpt(printable(text)) +
                  "\" is not a size: use bytes or a number with k, m, g, t or p (e.g. 50M)");
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    throw CLI::ValidationError(name, "\"" + excerpt(printable(text)) + "\" is not a whole number");
  return value;
}

}  // namespace

void add_update(CLI::App& app, Action& action) {
  auto req = std::make_shared<lifecycle::UpdateRequest>();
  auto values = std::make_shared<std::map<std::string, std::string>>();
  auto cpus = std::make_shared<std::string>();
  auto mems = std::make_shared<std::string>();
  auto* sub = app.add_subcommand("update", "update a container's resource limits");
  set_footer(*sub, "");
  sub->add_option("-r,--resources", req->resources,
                  "specs.LinuxResources JSON file, or - for stdin (other flags are then ignored)")
      ->type_name("FILE");
  for (const auto& f : resource_flags)
    sub->add_option(f.flag, (*values)[f.flag], f.help)->type_name(f.size ? "SIZE" : "N");
  sub->add_option("--cpuset-cpus", *cpus, "CPUs to use, e.g. 0-3,5")->type_name("LIST");
  sub->add_option("--cpuset-mems", *mems, "memory nodes to use, e.g. 0-1")->type_name("LIST");
  add_id(*sub, req->id);
  sub->callback([&action, req, values, cpus, mems, sub] {
    for (const auto& f : resource_flags) {
      auto* option = sub->get_option(std::string(f.flag).substr(0, std::string(f.flag).find(',')));
      if (option->count() == 0) continue;
      req->flag_resources[f.section][f.key] = resource_value(f, (*values)[f.flag]);
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
