// mounts, maskedPaths and readonlyPaths. Directory binds that pct can describe become mpN (PVE
// then knows about them); everything else becomes a raw lxc.mount.entry, which takes the full
// option list. The mounts LXC sets up itself for every PVE container (proc, sysfs, cgroup, /dev,
// /dev/pts: lxc.mount.auto and lxc.autodev in PVE's common config), and the /dev/shm tmpfs
// Proxmox adds for an entrypoint, are not repeated.
#include <algorithm>
#include <set>

#include "mapping.hpp"
#include "nexcage/backend/pct/pve_version.hpp"
#include "nexcage/core/text.hpp"

namespace nexcage::backend::pct::detail {

namespace {

bool has(const std::vector<std::string>& v, const char* s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

bool provided_by_lxc(const oci::Mount& m) {
  static const std::set<std::pair<std::string, std::string>> provided{
      {"/proc", "proc"},
      {"/dev", "tmpfs"},
      {"/dev/pts", "devpts"},
      {"/sys", "sysfs"},
      {"/sys/fs/cgroup", "cgroup"},
      {"/sys/fs/cgroup", "cgroup2"}};
  return provided.count({m.destination, m.type}) != 0;
}

// Options an mpN can carry: ro=1 and mountoptions ($mp_desc in pve-container's
// src/PVE/LXC/Config.pm); the rest are no-ops here.
bool fits_mp(const std::vector<std::string>& options) {
  static const std::set<std::string> ok{"bind",    "rw",       "ro",      "nosuid",
                                        "nodev",   "noexec",   "noatime", "lazytime",
                                        "private", "rprivate", "relatime"};
  return std::all_of(options.begin(), options.end(),
                     [](const std::string& o) { return ok.count(o) != 0; });
}

std::string relative(const std::string& dst) {
  return fstab_escape(dst.substr(1));
}

// Spec options minus runtime-specific ones LXC would pass to mount(2) as data and fail on.
std::vector<std::string> entry_options(Builder& b, const oci::Mount& m, const std::string& mp) {
  std::vector<std::string> out;
  for (std::size_t j = 0; j < m.options.size(); ++j) {
    const auto& o = m.options[j];
    auto op = mp + ".options[" + std::to_string(j) + "]";
    if (o == "notmpcopyup") continue;  // LXC never copies: already what is asked
    if (o == "tmpcopyup") {
      b.warn(op, quote_value(o) +
                     " (copy the image's files into the tmpfs) is a crun extension LXC lacks; the "
                     "tmpfs starts empty");
    } else if (o == "rro" || o == "rnosuid" || o == "rnodev" || o == "rnoexec") {
      // Recursive mount attributes (mount_setattr) are unknown to LXC and would be ignored as
      // mount data: the plain flag protects the mount itself, not the mounts below it.
      auto plain = o.substr(1);
      out.push_back(plain);
      auto message = quote_value(o) + " becomes " + quote_value(plain) +
                     ": mounts below the destination are not covered";
      if (o == "rro")
        b.weaker(allow_readonly_paths, op, message);
      else
        b.warn(op, message);
    } else if (o == "idmap" || o == "ridmap" || o.rfind("idmap=", 0) == 0) {
      b.refuse(op, "idmapped mounts cannot be expressed for LXC by the pct backend; remove " +
                       quote_value(o));
    } else if (o.empty() || has_control_char(o, false) || o.find(' ') != std::string::npos) {
      b.refuse(op, quote_value(o) + " is not a mount option (no spaces or control characters)");
    } else {
      out.push_back(o);
    }
  }
  return out;
}

void bind_mount(Builder& b, const oci::Mount& m, const std::string& mp) {
  auto fact = b.facts.paths.find(m.source);
  if (fact == b.facts.paths.end() || fact->second.kind == PathKind::missing)
    return b.refuse(mp + ".source", quote_value(m.source) +
                                        " does not exist on the host; create it or fix the path");
  std::string src = fact->second.resolved.empty() ? m.source : fact->second.resolved;
  if (src.empty() || src.front() != '/')
    return b.refuse(mp + ".source",
                    quote_value(m.source) + " must resolve to an absolute host path");
  if (has_control_char(src, false))
    return b.refuse(mp + ".source", quote_value(src) + " contains a control character");

  bool dir = fact->second.kind == PathKind::directory;
  if (dir && !has(m.options, "rbind") && fits_mp(m.options)) {
    // pct's property strings split on ',' with no escaping, and a default-key value with '=' is
    // read back as key=value: such paths cannot be written, so they are refused, not mangled.
    bool ok = true;
    if (src.find(',') != std::string::npos) {
      b.refuse(mp + ".source", quote_value(src) +
                                   " contains ',', which pct's mount point syntax cannot carry; "
                                   "rename the directory or bind one without ','");
      ok = false;
    }
    if (src.find('=') != std::string::npos) {
      b.refuse(mp + ".source", quote_value(src) +
                                   " contains '=', which pct reads back as key=value; rename the "
                                   "directory or bind one without '='");
      ok = false;
    }
    if (m.destination.find(',') != std::string::npos) {
      b.refuse(mp + ".destination", quote_value(m.destination) +
                                        " contains ',', which pct's mount point syntax cannot "
                                        "carry; choose a path without ','");
      ok = false;
    }
    for (const auto& [what, path] :
         {std::pair{".source", src}, std::pair{".destination", m.destination}}) {
      if (has_dot_segments(path)) {
        b.refuse(
            mp + what,
            quote_value(path) +
                " contains '.' or '..' segments, which pct refuses; write the normalised path");
        ok = false;
      }
    }
    if (b.next_mp > 255) {
      b.refuse(mp, "more than 256 directory bind mounts; pct has mp0 to mp255");
      ok = false;
    }
    if (!ok) return;
    std::string value = src + ",mp=" + m.destination;
    if (has(m.options, "ro")) value += ",ro=1";
    std::vector<std::string> mount_options;
    for (const char* o : {"nosuid", "nodev", "noexec", "noatime", "lazytime"})
      if (has(m.options, o)) mount_options.push_back(o);
    if (!mount_options.empty()) value += ",mountoptions=" + join(mount_options, ";");
    b.option("mp" + std::to_string(b.next_mp++), value);
    return;
  }
  auto options = entry_options(b, m, mp);
  if (!has(options, "bind") && !has(options, "rbind")) options.insert(options.begin(), "bind");
  options.push_back(dir ? "create=dir" : "create=file");
  b.raw("lxc.mount.entry",
        fstab_escape(src) + " " + relative(m.destination) + " none " + join(options, ",") + " 0 0");
}

void other_mount(Builder& b, const oci::Mount& m, const std::string& mp) {
  if (m.type.empty())
    return b.refuse(mp + ".type",
                    "is required for a mount that is not a bind mount (e.g. \"tmpfs\")");
  if (has_control_char(m.type, false) || m.type.find(' ') != std::string::npos)
    return b.refuse(mp + ".type", quote_value(m.type) + " is not a filesystem type");
  std::string source = m.source.empty() ? m.type : m.source;
  if (has_control_char(source, false))
    return b.refuse(mp + ".source", quote_value(source) + " contains a control character");
  auto options = entry_options(b, m, mp);
  options.push_back("create=dir");
  b.raw("lxc.mount.entry", fstab_escape(source) + " " + relative(m.destination) + " " + m.type +
                               " " + join(options, ",") + " 0 0");
}

// pve-container 6.1.10+ mounts a tmpfs on /dev/shm (rw,nosuid,nodev) in every container with an
// entrypoint, and the translation always sets one; a second tmpfs from config.json would hide it.
// (With an older pve-container, known from the host facts, the bundle's tmpfs is kept.)
// The OCI default mounts carry one, so it is dropped: silently when it asks for nothing Proxmox's
// lacks, with a warning naming the options that are not applied (typically noexec and a size).
bool is_dev_shm_tmpfs(const oci::Mount& m) {
  return m.destination == "/dev/shm" && m.type == "tmpfs" && !has(m.options, "bind") &&
         !has(m.options, "rbind");
}

// Older pve-container adds none, so there the bundle's own tmpfs is kept.
bool proxmox_adds_dev_shm(const HostFacts& facts) {
  if (!facts.pve_container) return true;  // not known: the current Proxmox
  auto order = compare_versions(*facts.pve_container, pve_container_adds_dev_shm);
  return !order || *order >= 0;
}

void drop_dev_shm(Builder& b, const oci::Mount& m, const std::string& mp) {
  b.need_pve_container(pve_container_adds_dev_shm,
                       "the /dev/shm tmpfs Proxmox adds for an entrypoint (" + mp + ")");
  static const std::set<std::string> same{"rw",        "nosuid",     "nodev",
                                          "mode=1777", "mode=01777", "notmpcopyup"};
  std::vector<std::string> lost;
  for (const auto& o : m.options)
    if (!same.count(o)) lost.push_back(quote_value(o));
  if (!lost.empty())
    b.warn(mp,
           "Proxmox mounts its own /dev/shm tmpfs (rw,nosuid,nodev) for an entrypoint; this "
           "one is not added, so " +
               join(lost, ", ") + (lost.size() == 1 ? " is" : " are") + " not applied");
}

void map_masked(Builder& b, const std::vector<std::string>& paths) {
  // runc masks a file with /dev/null and a directory with a read-only tmpfs; translation cannot
  // look, so only paths whose kind is known are masked. `optional` because several do not exist
  // on every kernel (timer_stats, sched_debug), exactly as runc skips missing ones.
  static const std::set<std::string> files{
      "/proc/kcore",       "/proc/keys",        "/proc/latency_stats", "/proc/timer_list",
      "/proc/timer_stats", "/proc/sched_debug", "/proc/interrupts"};
  static const std::set<std::string> dirs{"/proc/acpi",      "/proc/asound",
                                          "/proc/scsi",      "/sys/firmware",
                                          "/sys/fs/selinux", "/sys/devices/virtual/powercap",
                                          "/sys/dev/block"};
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const auto& p = paths[i];
    if (files.count(p))
      b.raw("lxc.mount.entry", "/dev/null " + relative(p) + " none bind,optional 0 0");
    else if (dirs.count(p))
      b.raw("lxc.mount.entry", "tmpfs " + relative(p) + " tmpfs ro,optional 0 0");
    else
      b.weaker(allow_masked_paths, "linux.maskedPaths[" + std::to_string(i) + "]",
               quote_value(p) +
                   " is not a path the pct backend knows to be a file or a directory, so it cannot "
                   "be masked");
  }
}

void map_readonly(Builder& b, const std::vector<std::string>& paths) {
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const auto& p = paths[i];
    // PVE mounts proc:mixed (/proc/sys and /proc/sysrq-trigger read-only) and sys:mixed (all of
    // /sys read-only but /sys/devices/virtual/net).
    if (p == "/proc/sys" || p == "/proc/sysrq-trigger" || p.rfind("/proc/sys/", 0) == 0) continue;
    if ((p == "/sys" || p.rfind("/sys/", 0) == 0) && p.rfind("/sys/devices/virtual/net", 0) != 0)
      continue;
    // In a user namespace, the rest of /proc belongs to the host's root: writes fail anyway.
    bool proc = p.rfind("/proc/", 0) == 0;
    if (b.unprivileged && proc) continue;
    auto rp = "linux.readonlyPaths[" + std::to_string(i) + "]";
    if (proc)
      b.weaker(allow_readonly_paths, rp,
               quote_value(p) +
                   " stays writable for root in a privileged container (run it unprivileged: "
                   "add a user namespace, or set always_unprivileged in the pct backend options)");
    else
      b.weaker(allow_readonly_paths, rp,
               quote_value(p) +
                   " cannot be made read-only by pct (only /proc and /sys paths are covered)");
  }
}

}  // namespace

void map_mounts(Builder& b) {
  for (std::size_t i = 0; i < b.spec.mounts.size(); ++i) {
    const auto& m = b.spec.mounts[i];
    auto mp = "mounts[" + std::to_string(i) + "]";
    if (provided_by_lxc(m)) continue;
    if (is_dev_shm_tmpfs(m) && proxmox_adds_dev_shm(b.facts)) {
      drop_dev_shm(b, m, mp);
      continue;
    }
    const auto& dst = m.destination;
    if (dst.size() < 2 || dst.front() != '/') {
      b.refuse(mp + ".destination", quote_value(dst) + " must be an absolute path below /");
      continue;
    }
    if (has_control_char(dst, false)) {
      b.refuse(mp + ".destination", quote_value(dst) + " contains a control character");
      continue;
    }
    if (has_dot_segments(dst)) {
      b.refuse(mp + ".destination",
               quote_value(dst) + " contains '.' or '..' segments; write the normalised path");
      continue;
    }
    bool bind = m.type == "bind" || has(m.options, "bind") || has(m.options, "rbind");
    if (bind)
      bind_mount(b, m, mp);
    else
      other_mount(b, m, mp);
  }
  if (b.spec.linux) {
    map_masked(b, b.spec.linux->masked_paths);
    map_readonly(b, b.spec.linux->readonly_paths);
  }
}

}  // namespace nexcage::backend::pct::detail
