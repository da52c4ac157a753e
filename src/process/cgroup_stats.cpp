#include "nexcage/process/cgroup_stats.hpp"

#include <charconv>
#include <sstream>

#include "nexcage/fs/files.hpp"

namespace nexcage::process {

std::map<std::string, std::string> parse_proc_cgroup(const std::string& content) {
  std::map<std::string, std::string> out;
  std::istringstream lines(content);
  std::string line;
  while (std::getline(lines, line)) {
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string path = line.substr(second + 1);
    if (path.empty() || path.front() != '/' || path.find("/..") != std::string::npos) continue;
    std::istringstream controllers(line.substr(first + 1, second - first - 1));
    std::string name;
    bool any = false;
    while (std::getline(controllers, name, ',')) {
      out[name] = path;
      any = true;
    }
    if (!any) out[""] = path;
  }
  return out;
}

namespace {

class Reader {
 public:
  Reader(std::string root, std::map<std::string, std::string> paths)
      : root_(std::move(root)), paths_(std::move(paths)) {}

  bool has(const std::string& controller) const { return paths_.count(controller) > 0; }

  std::string text(const std::string& controller, const std::string& file) const {
    std::string out;
    auto it = paths_.find(controller);
    if (it == paths_.end()) return out;
    fs::read_proc_file(root_ + "/" + controller + it->second + "/" + file, out, 1 << 20);
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
  std::map<std::string, uint64_t> keyed(const std::string& controller, const std::string& file) const {
    std::istringstream in(text(controller, file));
    std::map<std::string, uint64_t> out;
    std::string key;
    uint64_t v = 0;
    while (in >> key >> v) out[key] = v;
    return out;
  }

 private:
  std::string root_;
  std::map<std::string, std::string> paths_;
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
    auto colon = device.find(':');
    if (colon == std::string::npos) continue;
    entries.push_back({{"major", std::stoull(device.substr(0, colon))},
                       {"minor", std::stoull(device.substr(colon + 1))},
                       {"op", op},
                       {"value", value}});
  }
  return {{"ioServiceBytesRecursive", entries}};
}

// cgroup v2: one directory, different file names; converted to the same shape.
nlohmann::json unified_stats(const std::string& dir) {
  auto read = [&](const std::string& file) {
    std::string out;
    fs::read_proc_file(dir + "/" + file, out, 1 << 20);
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
  data["memory"] = {{"usage",
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

nlohmann::json cgroup_stats(int pid, const std::string& cgroup_root) {
  std::string content;
  fs::read_proc_file("/proc/" + std::to_string(pid) + "/cgroup", content, 65536);
  auto paths = parse_proc_cgroup(content);
  if (!paths.count("memory") && !paths.count("cpuacct") && paths.count("")) {
    std::string probe;
    bool unified_at_root = fs::read_proc_file(cgroup_root + "/cgroup.controllers", probe, 4096);
    return unified_stats(cgroup_root + (unified_at_root ? "" : "/unified") + paths[""]);
  }
  Reader r(cgroup_root, paths);
  nlohmann::json data = nlohmann::json::object();
  if (r.has("cpuacct")) data["cpu"] = cpu_stats(r);
  if (r.has("memory")) data["memory"] = memory_stats(r);
  if (r.has("pids")) data["pids"] = pids_stats(r);
  if (r.has("blkio")) data["blkio"] = blkio_stats(r);
  data["hugetlb"] = nlohmann::json::object();
  data["network_interfaces"] = nullptr;
  return data;
}

}  // namespace nexcage::process
