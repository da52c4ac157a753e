#include "nexcage/cgroup/stats.hpp"

#include <charconv>
#include <sstream>

#include "nexcage/core/error.hpp"
#include "nexcage/fs/files.hpp"

namespace nexcage::cgroup {

namespace {

bool whole_number(const std::string& text, uint64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

class Reader {
 public:
  explicit Reader(const std::map<std::string, std::filesystem::path>& dirs) : dirs_(dirs) {}

  bool has(const std::string& controller) const { return dirs_.count(controller) > 0; }

  // A missing or unreadable file reads as empty, so its values as 0.
  std::string text(const std::string& controller, const std::string& file) const {
    std::string out;
    auto it = dirs_.find(controller);
    if (it == dirs_.end()) return out;
    if (!fs::read_proc_file(it->second / file, out, 1 << 20)) out.clear();
    return out;
  }

  uint64_t number(const std::string& controller, const std::string& file) const {
    auto t = text(controller, file);
    uint64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
  }

  std::vector<uint64_t> numbers(const std::string& controller, const std::string& file) const {
    std::istringstream in(text(controller, file));
    std::vector<uint64_t> out;
    uint64_t v = 0;
    while (in >> v) out.push_back(v);
    return out;
  }

  // "key value" lines (cpu.stat, memory.stat).
  std::map<std::string, uint64_t> keyed(const std::string& controller,
                                        const std::string& file) const {
    std::istringstream in(text(controller, file));
    std::map<std::string, uint64_t> out;
    std::string key;
    uint64_t v = 0;
    while (in >> key >> v) out[key] = v;
    return out;
  }

 private:
  const std::map<std::string, std::filesystem::path>& dirs_;
};

nlohmann::json cpu_stats(const Reader& r) {
  auto stat = r.keyed("cpu", "cpu.stat");
  auto acct = r.keyed("cpuacct", "cpuacct.stat");  // user/system in clock ticks
  constexpr uint64_t ns_per_tick = 10000000;       // USER_HZ = 100
  return {{"usage",
           {{"total", r.number("cpuacct", "cpuacct.usage")},
            {"percpu", r.numbers("cpuacct", "cpuacct.usage_percpu")},
            {"kernel", acct["system"] * ns_per_tick},
            {"user", acct["user"] * ns_per_tick}}},
          {"throttling",
           {{"periods", stat["nr_periods"]},
            {"throttled_periods", stat["nr_throttled"]},
            {"throttled_time", stat["throttled_time"]}}}};
}

nlohmann::json memory_entry(const Reader& r, const std::string& prefix) {
  return {{"limit", r.number("memory", prefix + "limit_in_bytes")},
          {"usage", r.number("memory", prefix + "usage_in_bytes")},
          {"max", r.number("memory", prefix + "max_usage_in_bytes")},
          {"failcnt", r.number("memory", prefix + "failcnt")}};
}

nlohmann::json memory_stats(const Reader& r) {
  auto raw = r.keyed("memory", "memory.stat");
  return {{"cache", raw["cache"]},
          {"usage", memory_entry(r, "memory.")},
          {"swap", memory_entry(r, "memory.memsw.")},
          {"kernel", memory_entry(r, "memory.kmem.")},
          {"kernelTCP", memory_entry(r, "memory.kmem.tcp.")},
          {"raw", raw}};
}

nlohmann::json pids_stats(const Reader& r) {
  auto limit = r.text("pids", "pids.max");
  uint64_t max = 0;  // "max" means unlimited, reported as 0 like runc
  std::from_chars(limit.data(), limit.data() + limit.size(), max);
  return {{"current", r.number("pids", "pids.current")}, {"limit", max}};
}

nlohmann::json blkio_stats(const Reader& r) {
  nlohmann::json entries = nlohmann::json::array();
  std::istringstream in(r.text("blkio", "blkio.throttle.io_service_bytes_recursive"));
  std::string device, op;
  uint64_t value = 0;
  while (in >> device) {
    if (device == "Total") {
      in >> value;
      continue;
    }
    if (!(in >> op >> value)) break;
    // "MAJOR:MINOR"; anything else is skipped rather than thrown on.
    auto colon = device.find(':');
    uint64_t major = 0, minor = 0;
    if (colon == std::string::npos || !whole_number(device.substr(0, colon), major) ||
        !whole_number(device.substr(colon + 1), minor))
      continue;
    entries.push_back({{"major", major}, {"minor", minor}, {"op", op}, {"value", value}});
  }
  return {{"ioServiceBytesRecursive", entries}};
}

// cgroup v2: one directory, different file names; converted to the same shape.
nlohmann::json unified_stats(const std::filesystem::path& dir) {
  auto read = [&](const std::string& file) {
    std::string out;
    if (!fs::read_proc_file(dir / file, out, 1 << 20)) out.clear();
    return out;
  };
  auto number = [&](const std::string& file) {
    auto t = read(file);
    uint64_t v = 0;  // "max" (unlimited) reads as 0
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
  };
  auto keyed = [&](const std::string& file) {
    std::istringstream in(read(file));
    std::map<std::string, uint64_t> out;
    std::string key;
    uint64_t v = 0;
    while (in >> key >> v) out[key] = v;
    return out;
  };
  auto cpu = keyed("cpu.stat");
  auto events = keyed("memory.events");
  nlohmann::json data = nlohmann::json::object();
  data["cpu"] = {{"usage",
                  {{"total", cpu["usage_usec"] * 1000},
                   {"kernel", cpu["system_usec"] * 1000},
                   {"user", cpu["user_usec"] * 1000}}},
                 {"throttling",
                  {{"periods", cpu["nr_periods"]},
                   {"throttled_periods", cpu["nr_throttled"]},
                   {"throttled_time", cpu["throttled_usec"] * 1000}}}};
  data["memory"] = {
      {"usage",
       {{"limit", number("memory.max")},
        {"usage", number("memory.current")},
        {"max", number("memory.peak")},
        {"failcnt", events["max"]}}},
      {"swap", {{"limit", number("memory.swap.max")}, {"usage", number("memory.swap.current")}}},
      {"raw", keyed("memory.stat")}};
  data["pids"] = {{"current", number("pids.current")}, {"limit", number("pids.max")}};
  data["hugetlb"] = nlohmann::json::object();
  data["network_interfaces"] = nullptr;
  return data;
}

}  // namespace

nlohmann::json stats(const Dirs& dirs) {
  // Hybrid hosts keep the resource controllers in v1 even though a v2 hierarchy exists.
  if (!dirs.v1.count("memory") && !dirs.v1.count("cpuacct") && dirs.unified)
    return unified_stats(*dirs.unified);
  Reader r(dirs.v1);
  nlohmann::json data = nlohmann::json::object();
  if (r.has("cpuacct")) data["cpu"] = cpu_stats(r);
  if (r.has("memory")) data["memory"] = memory_stats(r);
  if (r.has("pids")) data["pids"] = pids_stats(r);
  if (r.has("blkio")) data["blkio"] = blkio_stats(r);
  data["hugetlb"] = nlohmann::json::object();
  data["network_interfaces"] = nullptr;
  return data;
}

nlohmann::json stats(int pid, const Host& host) {
  auto dirs = dirs_of(pid, host);
  if (!dirs) throw Error(ErrorKind::wrong_state, msg::not_running);
  return stats(*dirs);
}

}  // namespace nexcage::cgroup
