#include <map>
#include <set>

#include "internal.hpp"
#include "nexcage/core/build_info.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/core/log.hpp"
#include "nexcage/fs/files.hpp"
#include "nexcage/metrics/exposition.hpp"
#include "nexcage/metrics/journal.hpp"

namespace nexcage::lifecycle {

namespace {

using metrics::Exposition;
using metrics::Labels;

// The statuses a listed container can have, each a series even at zero: a series that vanishes
// reads as "no data" rather than as none.
const std::vector<state::Status>& listed_statuses() {
  static const std::vector<state::Status> statuses{state::Status::created, state::Status::running,
                                                   state::Status::paused, state::Status::stopped};
  return statuses;
}

double number_at(const nlohmann::json& doc, const std::vector<const char*>& path) {
  const nlohmann::json* at = &doc;
  for (const char* key : path) {
    if (!at->is_object() || !at->contains(key)) return 0;
    at = &(*at)[key];
  }
  return at->is_number() ? at->get<double>() : 0;
}

struct Running {
  Labels labels;
  nlohmann::json stats;
};

void add_build_info(Exposition& out) {
  out.family("nexcage_build_info", "gauge",
             "nexcage's version and commit, as labels of a series that is always 1.");
  out.sample("nexcage_build_info", {{"version", NEXCAGE_VERSION}, {"commit", build_info::commit}},
             1);
}

void add_containers(Context& ctx, Exposition& out) {
  std::map<std::pair<std::string, std::string>, int> counts;
  for (const auto& [name, config] : ctx.config().backends)
    for (auto status : listed_statuses()) counts[{name, state::to_string(status)}] = 0;
  std::vector<Running> running;
  for (const auto& record : detail::listed_records(ctx)) {
    auto listed = detail::observe_listed(ctx, record);
    if (!listed) continue;
    const auto& view = listed->view;
    const auto& vmid = listed->vmid;
    const auto& driver = listed->driver;
    ++counts[{record.backend, state::to_string(view.status)}];
    if (view.status != state::Status::running && view.status != state::Status::paused) continue;
    Labels labels{{"id", record.id}, {"backend", record.backend}};
    if (vmid) labels.emplace_back("vmid", std::to_string(*vmid));
    try {
      running.push_back(Running{labels, driver->stats(record, view.pid)});
    } catch (...) {
      // It stopped between the look and the read, or its cgroups are gone: no series this time.
      log::debug(to_error(std::current_exception(), "statistics of " + record.id).what());
    }
  }

  out.family("nexcage_containers", "gauge", "Containers of this state root by backend and status.");
  for (const auto& [key, count] : counts)
    out.sample("nexcage_containers", {{"backend", key.first}, {"status", key.second}}, count);

  out.family("nexcage_container_cpu_seconds_total", "counter",
             "CPU time used by a running container's cgroup, in seconds.");
  for (const auto& r : running)
    out.sample("nexcage_container_cpu_seconds_total", r.labels,
               number_at(r.stats, {"cpu", "usage", "total"}) / 1e9);
  out.family("nexcage_container_memory_bytes", "gauge",
             "Memory used by a running container's cgroup (memory.current or "
             "memory.usage_in_bytes), in bytes.");
  for (const auto& r : running)
    out.sample("nexcage_container_memory_bytes", r.labels,
               number_at(r.stats, {"memory", "usage", "usage"}));
  out.family("nexcage_container_pids", "gauge", "Processes in a running container's cgroup.");
  for (const auto& r : running)
    out.sample("nexcage_container_pids", r.labels, number_at(r.stats, {"pids", "current"}));
}

void add_operations(Context& ctx, Exposition& out) {
  auto totals = metrics::collect(ctx.globals().root);
  out.family("nexcage_operations_total", "counter",
             "Commands run on this state root, by operation, backend and result (ok or the "
             "error's kind).");
  for (const auto& [key, count] : totals.counts) {
    const auto& [operation, backend, result] = key;
    out.sample("nexcage_operations_total",
               {{"operation", operation}, {"backend", backend}, {"result", result}},
               static_cast<double>(count));
  }
  out.family("nexcage_operation_duration_seconds", "histogram",
             "How long commands on this state root took, by operation and backend, in seconds.");
  for (const auto& [key, histogram] : totals.durations)
    out.histogram("nexcage_operation_duration_seconds",
                  {{"operation", key.first}, {"backend", key.second}}, histogram);
}

}  // namespace

std::string metrics(Context& ctx) {
  Exposition out;
  add_build_info(out);
  add_containers(ctx, out);
  add_operations(ctx, out);
  return out.text();
}

void write_metrics_file(Context& ctx, const std::string& file) {
  auto path = fs::absolute_path(file);
  // Readable by node_exporter's user; a rename, so a scrape sees the old page or the new one.
  fs::write_atomic(path, metrics(ctx), 0644, fs::Durability::unsynced);
}

}  // namespace nexcage::lifecycle
