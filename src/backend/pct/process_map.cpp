// process -> --entrypoint, --env / lxc.environment.runtime, lxc.init.cwd/uid/gid/groups,
// lxc.prlimit.*, --cmode. Proxmox's config reader trims values, and LXC splits the entrypoint
// without escapes, so values that would come back different are refused instead of altered.
#include <cctype>
#include <limits>

#include "mapping.hpp"

namespace nexcage::backend::pct::detail {

namespace {

bool ends_in_space(const std::string& s) {
  return !s.empty() && (s.back() == ' ' || s.back() == '\t');
}

void map_entrypoint(Builder& b, const oci::Process& p) {
  if (p.args.empty()) return b.refuse("process.args", "must name the program to run");
  std::string cmd;
  bool ok = true;
  for (std::size_t i = 0; i < p.args.size(); ++i) {
    std::string word;
    if (quote_entrypoint_arg(p.args[i], word)) {
      cmd += (i ? " " : "") + word;
      continue;
    }
    ok = false;
    auto ap = "process.args[" + std::to_string(i) + "]";
    if (has_control_char(p.args[i], true))
      b.refuse(ap, quote_value(p.args[i]) +
                       " contains a control character, which pct's entrypoint refuses");
    else
      b.refuse(ap, quote_value(p.args[i]) +
                       " contains both ' and \", which LXC's lxc.init.cmd cannot quote (it has no "
                       "escapes); move the command into a script in the image");
  }
  if (!ok) return;
  b.option("entrypoint", cmd);
  b.need_pve_container(pve_container_oci, "entrypoint (process.args)");
}

void map_env(Builder& b, const oci::Process& p) {
  std::vector<std::string> good;
  for (std::size_t i = 0; i < p.env.size(); ++i) {
    const auto& e = p.env[i];
    auto ep = "process.env[" + std::to_string(i) + "]";
    auto eq = e.find('=');
    if (eq == std::string::npos || eq == 0) {
      b.refuse(ep, quote_value(e) + " must be NAME=VALUE");
      continue;
    }
    auto key = e.substr(0, eq), value = e.substr(eq + 1);
    if (too_long(b, ep, "the name", key.size(), max_env_name)) continue;
    if (!is_env_name(key))
      b.refuse(ep, "name " + quote_value(key) +
                       " is not accepted by Proxmox (letters, digits and '_' only)");
    else if (has_control_char(value, true))
      b.refuse(ep,
               "value of " + key + " contains a control character, which Proxmox refuses in env");
    else if (ends_in_space(value))
      b.refuse(ep, "value of " + key +
                       " ends in whitespace, which Proxmox's config file trims; remove it");
    else
      good.push_back(e);
  }
  // pct's --env carries one variable (more need NUL separators, which argv cannot hold); the
  // driver writes the lines for more under pct's lock.
  if (!good.empty()) b.need_pve_container(pve_container_oci, "env (process.env)");
  if (good.size() == 1)
    b.option("env", good[0]);
  else
    for (const auto& e : good) b.raw("lxc.environment.runtime", e);
}

void map_cwd(Builder& b, const oci::Process& p) {
  if (p.cwd.empty()) return;
  if (p.cwd.front() != '/' || has_control_char(p.cwd, false) || ends_in_space(p.cwd))
    return b.refuse(
        "process.cwd",
        quote_value(p.cwd) +
            " must be an absolute path without control characters or trailing whitespace");
  b.raw("lxc.init.cwd", p.cwd);
}

void map_user(Builder& b, const oci::Process& p) {
  // Root is LXC's default; writing it anyway would make the config depend on pve-container 6.1.0+
  // (older versions drop lxc.init.uid/gid) for nothing.
  if (p.user.uid != 0) b.raw("lxc.init.uid", std::to_string(p.user.uid));
  if (p.user.gid != 0) b.raw("lxc.init.gid", std::to_string(p.user.gid));
  if (!p.user.additional_gids.empty()) {
    std::string groups;
    for (auto g : p.user.additional_gids) groups += (groups.empty() ? "" : ",") + std::to_string(g);
    b.raw("lxc.init.groups", groups);
  }
  if (p.user.uid != 0 || p.user.gid != 0 || !p.user.additional_gids.empty())
    b.need_pve_container(pve_container_oci, "lxc.init.uid/gid/groups (process.user)");
  if (p.user.umask)
    b.warn("process.user.umask", "LXC has no setting for the init's umask; not applied");
}

void map_rlimits(Builder& b, const oci::Process& p) {
  auto value = [](uint64_t v) {
    return v == std::numeric_limits<uint64_t>::max() ? std::string("unlimited") : std::to_string(v);
  };
  for (std::size_t i = 0; i < p.rlimits.size(); ++i) {
    const auto& r = p.rlimits[i];
    auto tp = "process.rlimits[" + std::to_string(i) + "].type";
    if (too_long(b, tp, "the type", r.type.size(), max_rlimit_type)) continue;
    if (!is_rlimit_type(r.type)) {
      b.refuse(tp, quote_value(r.type) + " is not an rlimit name such as RLIMIT_NOFILE");
      continue;
    }
    std::string name = r.type.substr(7);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    b.raw("lxc.prlimit." + name, value(r.soft) + ":" + value(r.hard));
  }
}

}  // namespace

void map_process(Builder& b) {
  if (!b.spec.process)
    return b.refuse("process", "is required: the container's init process (args, cwd)");
  const auto& p = *b.spec.process;
  map_entrypoint(b, p);
  map_env(b, p);
  // An application container has no getty: `pct console` must attach to /dev/console, which is
  // what PVE itself sets for OCI images.
  b.option("cmode", "console");
  map_cwd(b, p);
  map_user(b, p);
  map_rlimits(b, p);
  if (p.console_size)
    b.warn("process.consoleSize",
           "the console size is set by whoever attaches to the console; not applied");
  if (p.oom_score_adj && *p.oom_score_adj != 0)
    b.warn("process.oomScoreAdj", "Proxmox keeps no key for the OOM score adjustment; not applied");
}

}  // namespace nexcage::backend::pct::detail
