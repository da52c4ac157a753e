// linux.resources -> pct's memory/swap/cpulimit/cpuunits and raw lxc.cgroup2.* lines. PVE always
// runs on cgroup v2, so the conversions are runc's cgroup v1 -> v2 ones.

#include "mapping.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::backend::pct::detail {

namespace {

constexpr int64_t mib = 1 << 20;
// PVE writes memory.max as $memory * 1024 * 1024 in a perl integer: above this it overflows.
constexpr int64_t max_memory_mib = INT64_MAX / mib;

int64_t ceil_mib(int64_t bytes) {
  return bytes / mib + (bytes % mib != 0 ? 1 : 0);
}

const std::string res = "linux.resources";

void map_memory(Builder& b, const oci::MemoryResources* m) {
  const std::string p = res + ".memory.";
  std::optional<int64_t> limit = m ? m->limit : std::nullopt;
  int64_t memory = 0;
  bool explicit_limit = false;
  if (!limit || *limit == -1) {
    memory = b.settings.default_memory_mib;
    b.warn(p + "limit",
           "not set: a Proxmox container always has a memory limit; using default_memory_mib (" +
               std::to_string(memory) + " MiB)");
    if (memory < 16)
      b.refuse("backends.pct.default_memory_mib",
               "must be at least 16 (MiB), the smallest memory pct accepts");
  } else if (*limit <= 0) {
    b.refuse(p + "limit",
             std::to_string(*limit) + " must be -1 (no limit) or a positive number of bytes");
  } else {
    memory = ceil_mib(*limit);
    explicit_limit = true;
    if (memory < 16)
      b.refuse(
          p + "limit",
          std::to_string(*limit) +
              " bytes is below 16 MiB, the smallest memory pct accepts; use at least 16777216");
    else if (memory > max_memory_mib)
      b.refuse(p + "limit", std::to_string(*limit) + " bytes rounds up to " +
                                std::to_string(memory) +
                                " MiB, more than Proxmox can write to memory.max (" +
                                std::to_string(max_memory_mib) + " MiB); use -1 for no limit");
  }
  if (memory > 0) b.option("memory", std::to_string(memory));

  // OCI's swap is memory+swap (cgroup v1); runc's ConvertMemorySwapToCgroupV2Value gives swap
  // alone.
  int64_t swap = 0;
  std::optional<int64_t> total = m ? m->swap : std::nullopt;
  if (total && *total == -1) {
    b.warn(p + "swap",
           "-1 (unlimited swap) has no pct form; the container gets no swap (--swap 0)");
  } else if (total && *total < -1) {
    b.refuse(p + "swap",
             std::to_string(*total) +
                 " must be -1 (unlimited), 0 (unset) or the memory+swap total in bytes");
  } else if (total && *total > 0) {
    if (!explicit_limit)
      b.refuse(p + "swap",
               "is the memory+swap total and needs memory.limit to be set (runc refuses it too)");
    else if (*total < *limit)
      b.refuse(p + "swap", "memory+swap total " + std::to_string(*total) +
                               " is below memory.limit " + std::to_string(*limit));
    else
      swap = ceil_mib(*total - *limit);
  }
  // Always explicit: pct create defaults to 512 MiB of swap, which config.json never asked for.
  b.option("swap", std::to_string(swap));

  if (!m) return;
  if (m->reservation && *m->reservation > 0)
    b.raw("lxc.cgroup2.memory.low", std::to_string(*m->reservation));
  else if (m->reservation && *m->reservation < -1)
    b.refuse(p + "reservation", "must be -1, 0 or a positive number of bytes");
  if (m->kernel)
    b.warn(p + "kernel",
           "kernel memory limits do not exist on cgroup v2; not applied (runc ignores it too)");
  if (m->kernel_tcp)
    b.warn(p + "kernelTCP", "kernel TCP memory limits do not exist on cgroup v2; not applied");
  if (m->swappiness) b.warn(p + "swappiness", "cgroup v2 has no per-group swappiness; not applied");
  if (m->disable_oom_killer && *m->disable_oom_killer)
    b.warn(p + "disableOOMKiller", "cgroup v2 cannot disable the OOM killer; not applied");
}

void map_cpu(Builder& b, const oci::CpuResources& c) {
  const std::string p = res + ".cpu.";
  if (c.quota && *c.quota != -1) {
    uint64_t period = c.period.value_or(100000);
    if (*c.quota <= 0) {
      b.refuse(p + "quota",
               std::to_string(*c.quota) +
                   " must be -1 (no limit) or a positive number of microseconds per period");
    } else if (period == 0) {
      b.refuse(p + "period", "must be greater than 0");
    } else {
      auto quota = static_cast<uint64_t>(*c.quota);
      if (quota / period > 8192 || (quota / period == 8192 && quota % period != 0)) {
        b.refuse(p + "quota", std::to_string(quota) + "/" + std::to_string(period) +
                                  " is more than 8192 CPUs, the largest cpulimit pct accepts");
      } else {
        uint64_t units = 0;
        auto text = cpulimit_text(quota, period, units);
        if (units < 1000)
          b.refuse(
              p + "quota",
              std::to_string(quota) + "/" + std::to_string(period) +
                  " is below 0.01 CPU: PVE writes cpu.max over a 100000 µs period and the kernel "
                  "refuses a quota under 1000 µs; raise the quota");
        else
          b.option("cpulimit", text);
      }
    }
  }
  if (c.shares && *c.shares > 0)
    b.option("cpuunits", std::to_string(cpu_shares_to_weight(*c.shares)));
  if (!c.cpus.empty() && !too_long(b, p + "cpus", "the CPU list", c.cpus.size(), max_cpu_list)) {
    if (is_cpu_list(c.cpus))
      b.raw("lxc.cgroup2.cpuset.cpus", c.cpus);
    else
      b.refuse(p + "cpus", quote_value(c.cpus) + " must be a CPU list such as \"0-3,5\"");
  }
  if (!c.mems.empty() &&
      !too_long(b, p + "mems", "the memory node list", c.mems.size(), max_cpu_list)) {
    if (is_cpu_list(c.mems))
      b.raw("lxc.cgroup2.cpuset.mems", c.mems);
    else
      b.refuse(p + "mems", quote_value(c.mems) + " must be a memory node list such as \"0-1\"");
  }
  if ((c.realtime_runtime && *c.realtime_runtime != 0) ||
      (c.realtime_period && *c.realtime_period != 0))
    b.warn(p + "realtimeRuntime", "cgroup v2 has no realtime CPU budget; not applied");
}

// runc's ConvertBlkIOToIOWeightValue: blkio weight 10..1000 -> io.weight 1..10000.
uint64_t io_weight(int64_t blkio) {
  return static_cast<uint64_t>(1 + (blkio - 10) * 9999 / 990);
}

void map_block_io(Builder& b, const nlohmann::json& io) {
  const std::string p = res + ".blockIO";
  if (!io.is_object()) return b.refuse(p, "must be an object");
  if (auto* w = raw_at(io, {"weight"})) {
    if (auto v = json_int(*w, 10, 1000))
      b.raw("lxc.cgroup2.io.weight", std::to_string(io_weight(*v)));
    else
      b.refuse(p + ".weight", "must be between 10 and 1000");
  }
  if (raw_at(io, {"leafWeight"}))
    b.warn(p + ".leafWeight", "exists only on cgroup v1; not applied");
  auto device = [&](const nlohmann::json& d, const std::string& dp) -> std::optional<std::string> {
    auto major = raw_at(d, {"major"}), minor = raw_at(d, {"minor"});
    auto ma = major ? json_int(*major, 0, 0xfffff) : std::nullopt;
    auto mi = minor ? json_int(*minor, 0, 0xfffff) : std::nullopt;
    if (!ma || !mi) {
      b.refuse(dp, "needs \"major\" and \"minor\" device numbers");
      return std::nullopt;
    }
    return std::to_string(*ma) + ":" + std::to_string(*mi);
  };
  if (auto* list = raw_at(io, {"weightDevice"})) {
    for (std::size_t i = 0; list->is_array() && i < list->size(); ++i) {
      auto dp = p + ".weightDevice[" + std::to_string(i) + "]";
      auto dev = device((*list)[i], dp);
      if (!dev) continue;
      if (auto* w = raw_at((*list)[i], {"weight"})) {
        if (auto v = json_int(*w, 10, 1000))
          b.raw("lxc.cgroup2.io.weight", *dev + " " + std::to_string(io_weight(*v)));
        else
          b.refuse(dp + ".weight", "must be between 10 and 1000");
      }
    }
  }
  static const std::pair<const char*, const char*> throttles[] = {
      {"throttleReadBpsDevice", "rbps"},
      {"throttleWriteBpsDevice", "wbps"},
      {"throttleReadIOPSDevice", "riops"},
      {"throttleWriteIOPSDevice", "wiops"}};
  for (const auto& [key, io_key] : throttles) {
    auto* list = raw_at(io, {key});
    for (std::size_t i = 0; list && list->is_array() && i < list->size(); ++i) {
      auto dp = p + "." + key + "[" + std::to_string(i) + "]";
      auto dev = device((*list)[i], dp);
      auto* rate = raw_at((*list)[i], {"rate"});
      auto r = rate ? json_int(*rate, 0, INT64_MAX) : std::nullopt;
      if (!r) b.refuse(dp + ".rate", "must be a non-negative number");
      if (dev && r) b.raw("lxc.cgroup2.io.max", *dev + " " + io_key + "=" + std::to_string(*r));
    }
  }
}

void map_hugepages(Builder& b, const nlohmann::json& list) {
  for (std::size_t i = 0; list.is_array() && i < list.size(); ++i) {
    auto hp = res + ".hugepageLimits[" + std::to_string(i) + "]";
    auto* page = raw_at(list[i], {"pageSize"});
    auto* limit = raw_at(list[i], {"limit"});
    auto l = limit ? json_int(*limit, 0, INT64_MAX) : std::nullopt;
    if (page && page->is_string() &&
        too_long(b, hp + ".pageSize", "the page size", page->get<std::string>().size(),
                 max_hugepage_size))
      continue;
    if (!page || !page->is_string() || !is_hugepage_size(page->get<std::string>()))
      b.refuse(hp + ".pageSize", "must be a page size such as \"2MB\" or \"1GB\"");
    else if (!l)
      b.refuse(hp + ".limit", "must be a non-negative number of bytes");
    else
      // The cgroup file is hugetlb.2MB.max, but Proxmox keeps only lowercase raw keys: it drops
      // an lxc.cgroup2.hugetlb.2MB.max line with a warning, rewrites it away on the next
      // `pct set` and refuses it on migration. The limit cannot be written, so it is lost.
      b.weaker(allow_resource_limits, hp,
               "the " + page->get<std::string>() + " hugepage limit (" + std::to_string(*l) +
                   " bytes) cannot be applied: Proxmox keeps only lowercase raw keys, and the "
                   "kernel's file is hugetlb." +
                   page->get<std::string>() + ".max");
  }
}

void map_unified(Builder& b, const nlohmann::json& unified) {
  if (!unified.is_object())
    return b.refuse(res + ".unified", "must be an object of cgroup file names to values");
  for (const auto& [k, v] : unified.items()) {
    // The key is part of the path, so a long one is refused at the object, not quoted whole.
    if (too_long(b, res + ".unified", "a key", k.size(), max_cgroup_file)) continue;
    auto up = res + ".unified." + k;
    if (!is_cgroup_file_name(k))
      b.refuse(up, "is not a cgroup v2 interface file name such as \"memory.high\"");
    else if (k.rfind("hugetlb.", 0) == 0)
      // Lowercase, as Proxmox requires, it names no kernel file (hugetlb.2MB.max), so LXC
      // would fail the start; the limit has no form Proxmox keeps (see map_hugepages).
      b.weaker(allow_resource_limits, up,
               "hugetlb limits cannot be set through Proxmox (its raw keys are lowercase, the "
               "kernel's hugetlb files are not)");
    else if (!v.is_string() || has_control_char(v.get<std::string>(), false) ||
             v.get<std::string>().empty())
      b.refuse(up, "must be a non-empty one-line string");
    else
      b.raw("lxc.cgroup2." + k, v.get<std::string>());
  }
}

void map_rdma(Builder& b, const nlohmann::json& rdma) {
  if (!rdma.is_object()) return b.refuse(res + ".rdma", "must be an object keyed by device name");
  for (const auto& [dev, limits] : rdma.items()) {
    if (too_long(b, res + ".rdma", "a device name", dev.size(), max_rdma_device)) continue;
    auto rp = res + ".rdma." + dev;
    std::string value = dev;
    auto* handles = raw_at(limits, {"hcaHandles"});
    auto* objects = raw_at(limits, {"hcaObjects"});
    auto h = handles ? json_int(*handles, 0, UINT32_MAX) : std::nullopt;
    auto o = objects ? json_int(*objects, 0, UINT32_MAX) : std::nullopt;
    if ((handles && !h) || (objects && !o) || !is_net_name(dev)) {
      b.refuse(rp, "needs a device name and unsigned hcaHandles/hcaObjects");
      continue;
    }
    if (h) value += " hca_handle=" + std::to_string(*h);
    if (o) value += " hca_object=" + std::to_string(*o);
    if (h || o) b.raw("lxc.cgroup2.rdma.max", value);
  }
}

}  // namespace

void map_resources(Builder& b) {
  const oci::Resources* r =
      b.spec.linux && b.spec.linux->resources ? &*b.spec.linux->resources : nullptr;
  map_memory(b, r && r->memory ? &*r->memory : nullptr);
  if (!r) return;
  if (r->cpu) map_cpu(b, *r->cpu);
  if (r->pids_limit) {
    if (*r->pids_limit > 0)
      b.raw("lxc.cgroup2.pids.max", std::to_string(*r->pids_limit));
    else if (*r->pids_limit < -1)
      b.refuse(res + ".pids.limit", "must be -1 (no limit) or a positive number");
  }
  const auto& doc = b.spec.raw;
  if (auto* io = raw_at(doc, {"linux", "resources", "blockIO"})) map_block_io(b, *io);
  if (auto* hp = raw_at(doc, {"linux", "resources", "hugepageLimits"})) map_hugepages(b, *hp);
  if (auto* rd = raw_at(doc, {"linux", "resources", "rdma"})) map_rdma(b, *rd);
  if (auto* un = raw_at(doc, {"linux", "resources", "unified"})) map_unified(b, *un);
  if (raw_at(doc, {"linux", "resources", "network"}))
    b.warn(res + ".network", "classID and priorities exist only on cgroup v1; not applied");
}

void map_resources_update(Builder& b, const oci::Resources& r) {
  if (r.memory && r.memory->limit) {
    if (*r.memory->limit == -1)
      b.refuse(res + ".memory.limit",
               "-1 (no limit) is not possible: a Proxmox container always has a memory limit");
    else if (r.memory->swap && *r.memory->swap == -1)
      b.refuse(res + ".memory.swap", "-1 (unlimited swap) has no pct form");
    else
      map_memory(b, &*r.memory);
    // The swap the container has stays unless the update names one.
    if (!r.memory->swap) {
      auto& options = b.out.translation.options;
      std::erase_if(options, [](const PctOption& o) { return o.key == "swap"; });
    }
  } else if (r.memory && r.memory->swap) {
    b.refuse(res + ".memory.swap", "can only be changed together with memory.limit");
  }
  if (r.cpu) map_cpu(b, *r.cpu);
  if (r.pids_limit) b.refuse(res + ".pids.limit", "cannot be changed on a running pct container");
  if (r.blkio_weight) b.refuse(res + ".blockIO", "cannot be changed on a running pct container");
}

}  // namespace nexcage::backend::pct::detail
