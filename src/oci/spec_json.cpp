// config.json -> Spec. Wrong types become Problems with their JSON path; unknown fields are kept
// only in Spec::raw (they pass through to the backend).
#include "nexcage/core/json_reader.hpp"
#include "validate_seccomp.hpp"

namespace nexcage::oci {

namespace {

Capabilities read_capabilities(JsonReader& f, const nlohmann::json& obj, const std::string& path) {
  Capabilities caps;
  f.strings(obj, "bounding", path, caps.bounding);
  f.strings(obj, "effective", path, caps.effective);
  f.strings(obj, "inheritable", path, caps.inheritable);
  f.strings(obj, "permitted", path, caps.permitted);
  f.strings(obj, "ambient", path, caps.ambient);
  return caps;
}

Process read_process(JsonReader& f, const nlohmann::json& obj, const std::string& path) {
  Process p;
  f.boolean(obj, "terminal", path, p.terminal);
  if (const auto* size = f.object(obj, "consoleSize", path)) {
    ConsoleSize cs;
    f.integer(*size, "height", child_path(path, "consoleSize"), cs.height);
    f.integer(*size, "width", child_path(path, "consoleSize"), cs.width);
    p.console_size = cs;
  }
  if (const auto* user = f.object(obj, "user", path)) {
    auto up = child_path(path, "user");
    f.integer(*user, "uid", up, p.user.uid);
    f.integer(*user, "gid", up, p.user.gid);
    f.optional_integer(*user, "umask", up, p.user.umask);
    f.string(*user, "username", up, p.user.username);
    if (const auto* gids = f.array(*user, "additionalGids", up)) {
      for (std::size_t i = 0; i < gids->size(); ++i) {
        uint32_t gid = 0;
        if (f.integer((*gids)[i], index_path(child_path(up, "additionalGids"), i), gid))
          p.user.additional_gids.push_back(gid);
      }
    }
  }
  f.strings(obj, "args", path, p.args);
  f.strings(obj, "env", path, p.env);
  f.string(obj, "cwd", path, p.cwd);
  if (const auto* caps = f.object(obj, "capabilities", path))
    p.capabilities = read_capabilities(f, *caps, child_path(path, "capabilities"));
  if (const auto* rlimits = f.array(obj, "rlimits", path)) {
    for (std::size_t i = 0; i < rlimits->size(); ++i) {
      auto rp = index_path(child_path(path, "rlimits"), i);
      const auto& r = (*rlimits)[i];
      if (!r.is_object()) {
        f.problem(rp, "must be an object");
        continue;
      }
      Rlimit limit;
      f.string(r, "type", rp, limit.type);
      f.integer(r, "hard", rp, limit.hard);
      f.integer(r, "soft", rp, limit.soft);
      p.rlimits.push_back(limit);
    }
  }
  f.boolean(obj, "noNewPrivileges", path, p.no_new_privileges);
  f.string(obj, "apparmorProfile", path, p.apparmor_profile);
  f.optional_integer(obj, "oomScoreAdj", path, p.oom_score_adj);
  f.string(obj, "selinuxLabel", path, p.selinux_label);
  return p;
}

std::vector<IdMapping> read_mappings(JsonReader& f, const nlohmann::json& obj, const char* key,
                                     const std::string& path) {
  std::vector<IdMapping> out;
  const auto* arr = f.array(obj, key, path);
  if (arr == nullptr) return out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    auto mp = index_path(child_path(path, key), i);
    const auto& m = (*arr)[i];
    if (!m.is_object()) {
      f.problem(mp, "must be an object");
      continue;
    }
    IdMapping mapping;
    f.integer(m, "containerID", mp, mapping.container_id);
    f.integer(m, "hostID", mp, mapping.host_id);
    f.integer(m, "size", mp, mapping.size);
    out.push_back(mapping);
  }
  return out;
}

Resources read_resources(JsonReader& f, const nlohmann::json& obj, const std::string& path) {
  Resources r;
  if (const auto* m = f.object(obj, "memory", path)) {
    auto mp = child_path(path, "memory");
    MemoryResources mem;
    f.optional_integer(*m, "limit", mp, mem.limit);
    f.optional_integer(*m, "reservation", mp, mem.reservation);
    f.optional_integer(*m, "swap", mp, mem.swap);
    f.optional_integer(*m, "kernel", mp, mem.kernel);
    f.optional_integer(*m, "kernelTCP", mp, mem.kernel_tcp);
    f.optional_integer(*m, "swappiness", mp, mem.swappiness);
    if (m->contains("disableOOMKiller")) {
      bool v = false;
      f.boolean(*m, "disableOOMKiller", mp, v);
      mem.disable_oom_killer = v;
    }
    r.memory = mem;
  }
  if (const auto* c = f.object(obj, "cpu", path)) {
    auto cp = child_path(path, "cpu");
    CpuResources cpu;
    f.optional_integer(*c, "shares", cp, cpu.shares);
    f.optional_integer(*c, "quota", cp, cpu.quota);
    f.optional_integer(*c, "period", cp, cpu.period);
    f.optional_integer(*c, "realtimeRuntime", cp, cpu.realtime_runtime);
    f.optional_integer(*c, "realtimePeriod", cp, cpu.realtime_period);
    f.string(*c, "cpus", cp, cpu.cpus);
    f.string(*c, "mems", cp, cpu.mems);
    r.cpu = cpu;
  }
  if (const auto* p = f.object(obj, "pids", path))
    f.optional_integer(*p, "limit", child_path(path, "pids"), r.pids_limit);
  if (const auto* b = f.object(obj, "blockIO", path))
    f.optional_integer(*b, "weight", child_path(path, "blockIO"), r.blkio_weight);
  return r;
}

Seccomp read_seccomp(JsonReader& f, const nlohmann::json& obj, const std::string& path) {
  Seccomp s;
  f.string(obj, "defaultAction", path, s.default_action);
  f.optional_integer(obj, "defaultErrnoRet", path, s.default_errno_ret);
  f.strings(obj, "architectures", path, s.architectures);
  f.strings(obj, "flags", path, s.flags);
  f.string(obj, "listenerPath", path, s.listener_path);
  const auto* syscalls = f.array(obj, "syscalls", path);
  if (syscalls == nullptr) return s;
  for (std::size_t i = 0; i < syscalls->size(); ++i) {
    auto sp = index_path(child_path(path, "syscalls"), i);
    const auto& entry = (*syscalls)[i];
    if (!entry.is_object()) {
      f.problem(sp, "must be an object");
      continue;
    }
    SeccompSyscall sc;
    f.strings(entry, "names", sp, sc.names);
    f.string(entry, "action", sp, sc.action);
    f.optional_integer(entry, "errnoRet", sp, sc.errno_ret);
    if (const auto* args = f.array(entry, "args", sp)) {
      for (std::size_t j = 0; j < args->size(); ++j) {
        auto ap = index_path(child_path(sp, "args"), j);
        const auto& a = (*args)[j];
        if (!a.is_object()) {
          f.problem(ap, "must be an object");
          continue;
        }
        SeccompArg arg;
        f.integer(a, "index", ap, arg.index);
        f.integer(a, "value", ap, arg.value);
        f.integer(a, "valueTwo", ap, arg.value_two);
        f.string(a, "op", ap, arg.op);
        sc.args.push_back(arg);
      }
    }
    s.syscalls.push_back(sc);
  }
  return s;
}

Linux read_linux(JsonReader& f, const nlohmann::json& obj, const std::string& path) {
  Linux l;
  if (const auto* nss = f.array(obj, "namespaces", path)) {
    for (std::size_t i = 0; i < nss->size(); ++i) {
      auto np = index_path(child_path(path, "namespaces"), i);
      const auto& n = (*nss)[i];
      if (!n.is_object()) {
        f.problem(np, "must be an object");
        continue;
      }
      Namespace ns;
      f.string(n, "type", np, ns.type);
      f.string(n, "path", np, ns.path);
      l.namespaces.push_back(ns);
    }
  }
  l.uid_mappings = read_mappings(f, obj, "uidMappings", path);
  l.gid_mappings = read_mappings(f, obj, "gidMappings", path);
  if (const auto* r = f.object(obj, "resources", path))
    l.resources = read_resources(f, *r, child_path(path, "resources"));
  f.string(obj, "cgroupsPath", path, l.cgroups_path);
  if (const auto* s = f.object(obj, "seccomp", path))
    l.seccomp = read_seccomp(f, *s, child_path(path, "seccomp"));
  f.string_map(obj, "sysctl", path, l.sysctl);
  f.strings(obj, "maskedPaths", path, l.masked_paths);
  f.strings(obj, "readonlyPaths", path, l.readonly_paths);
  f.string(obj, "rootfsPropagation", path, l.rootfs_propagation);
  f.string(obj, "mountLabel", path, l.mount_label);
  return l;
}

}  // namespace

Process process_from_json(const nlohmann::json& doc, const std::string& path_prefix,
                          std::vector<Problem>& problems) {
  JsonReader f(problems);
  if (!doc.is_object()) {
    f.problem(path_prefix.empty() ? "(top level)" : path_prefix, "must be an object");
    return Process{};
  }
  return read_process(f, doc, path_prefix);
}

Spec spec_from_json(const nlohmann::json& doc, std::vector<Problem>& problems) {
  JsonReader f(problems);
  Spec spec;
  spec.raw = doc;
  if (!doc.is_object()) {
    f.problem("(top level)", "must be a JSON object");
    return spec;
  }
  f.string(doc, "ociVersion", "", spec.oci_version);
  if (const auto* root = f.object(doc, "root", "")) {
    f.string(*root, "path", "root", spec.root.path);
    f.boolean(*root, "readonly", "root", spec.root.readonly);
  }
  if (const auto* process = f.object(doc, "process", ""))
    spec.process = read_process(f, *process, "process");
  f.string(doc, "hostname", "", spec.hostname);
  f.string(doc, "domainname", "", spec.domainname);
  if (const auto* mounts = f.array(doc, "mounts", "")) {
    for (std::size_t i = 0; i < mounts->size(); ++i) {
      auto mp = index_path("mounts", i);
      const auto& m = (*mounts)[i];
      if (!m.is_object()) {
        f.problem(mp, "must be an object");
        continue;
      }
      Mount mount;
      f.string(m, "destination", mp, mount.destination);
      f.string(m, "type", mp, mount.type);
      f.string(m, "source", mp, mount.source);
      f.strings(m, "options", mp, mount.options);
      spec.mounts.push_back(mount);
    }
  }
  if (const auto* l = f.object(doc, "linux", "")) spec.linux = read_linux(f, *l, "linux");
  f.string_map(doc, "annotations", "", spec.annotations);
  return spec;
}

}  // namespace nexcage::oci
