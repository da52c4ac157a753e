#include "nexcage/backend/cgroup_events.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "nexcage/cgroup/stats.hpp"
#include "nexcage/core/error.hpp"
#include "nexcage/process/proc.hpp"

namespace nexcage::backend {

namespace {

// "5s", "500ms", "1m", "2" (seconds): the subset of Go durations go-runc sends.
std::chrono::milliseconds parse_interval(const std::string& text) {
  if (text.empty()) return std::chrono::seconds(5);
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  std::string unit = text.substr(used);
  double factor = unit == "ms" ? 1 : unit == "s" || unit.empty() ? 1000 : unit == "m" ? 60000 : -1;
  if (used == 0 || factor < 0 || value <= 0)
    throw Error(ErrorKind::usage, "invalid --interval \"" + text + "\"",
                "use a duration such as 5s or 500ms");
  return std::chrono::milliseconds(static_cast<int64_t>(value * factor));
}

}  // namespace

StatsReader init_cgroup_stats(const state::Record& record, const cgroup::Host& host) {
  return [&record, &host] { return cgroup::stats(record.pid, host); };
}

int stream_cgroup_events(const state::Record& record, bool stats, const std::string& interval) {
  auto host = cgroup::Host::system();
  return stream_cgroup_events(record, stats, interval, init_cgroup_stats(record, host));
}

// For a backend without `events`: statistics read from the container's cgroups, in runc's format.
int stream_cgroup_events(const state::Record& record, bool stats, const std::string& interval,
                         const StatsReader& read) {
  auto period = parse_interval(interval);
  for (;;) {
    if (!process::is_same_live_process(record.pid, record.init_start_time))
      throw Error(ErrorKind::wrong_state, msg::not_running);
    nlohmann::ordered_json event;
    event["type"] = "stats";
    event["id"] = record.id;
    event["data"] = read();
    std::string line = event.dump() + "\n";
    if (::write(1, line.data(), line.size()) < 0) return 1;  // the reader went away
    if (stats) return 0;
    std::this_thread::sleep_for(period);
  }
}

}  // namespace nexcage::backend
