#include <optional>
#include <set>
#include <string_view>

#include "nexcage/core/json_reader.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/fs/files.hpp"
#include "validate_seccomp.hpp"

namespace nexcage::oci {

namespace {

// Hand-written rather than std::regex: compiling the three patterns this file had cost 0.1 ms of
// every create, a noticeable part of nexcage's whole overhead over the backend (bench/run.sh).
// RFC 1123 label: 1-63 letters, digits and hyphens, not starting or ending with a hyphen.
bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  for (char c : label)
    if (!is_ascii_alnum(c) && c != '-') return false;
  return true;
}

bool valid_hostname(const std::string& name) {
  if (name.size() > 253) return false;
  std::string_view rest = name;
  for (;;) {
    auto dot = rest.find('.');
    if (!valid_label(rest.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    rest.remove_prefix(dot + 1);
  }
}

// Consumes one or more digits from the front of `s`; false when there are none.
bool take_digits(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && is_ascii_digit(s[n])) ++n;
  s.remove_prefix(n);
  return n > 0;
}

// A pre-release or build suffix: one or more of [0-9A-Za-z.-].
bool valid_semver_suffix(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_ascii_alnum(c) && c != '.' && c != '-') return false;
  return true;
}

// MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]; returns MAJOR, or nullopt when malformed.
std::optional<std::string> semver_major(std::string_view s) {
  auto major_end = s.find('.');
  std::string_view major = s.substr(0, major_end);
  std::string_view rest = s;
  for (int part = 0; part < 3; ++part) {
    if (!take_digits(rest)) return std::nullopt;
    if (part < 2) {
      if (rest.empty() || rest.front() != '.') return std::nullopt;
      rest.remove_prefix(1);
    }
  }
  auto plus = rest.find('+');
  std::string_view pre = rest.substr(0, plus);
  if (!pre.empty() && (pre.front() != '-' || !valid_semver_suffix(pre.substr(1))))
    return std::nullopt;
  if (plus != std::string_view::npos && !valid_semver_suffix(rest.substr(plus + 1)))
    return std::nullopt;
  return std::string(major);
}

void validate_version(const Spec& spec, std::vector<Problem>& problems) {
  if (spec.oci_version.empty()) {
    problems.push_back({"ociVersion", "is required, e.g. \"1.0.2\""});
    return;
  }
  auto major = semver_major(spec.oci_version);
  if (!major)
    problems.push_back({"ociVersion", "must be a version such as \"1.0.2\", got \"" +
                                          excerpt(spec.oci_version) + "\""});
  else if (*major != "1")
    problems.push_back({"ociVersion", "major version " + *major +
                                          " is not supported (this runtime implements 1.x)"});
}

void validate_root(const Spec& spec, const std::filesystem::path& bundle,
                   std::vector<Problem>& problems) {
  if (spec.root.path.empty()) {
    problems.push_back(
        {"root.path", "is required: the container's root filesystem, e.g. \"rootfs\""});
    return;
  }
  auto rootfs = std::filesystem::path(spec.root.path);
  if (rootfs.is_relative()) rootfs = bundle / rootfs;
  if (!fs::is_directory(rootfs, fs::Links::follow))
    problems.push_back({"root.path", "directory " + rootfs.string() + " does not exist"});
}

void validate_mounts(const Spec& spec, std::vector<Problem>& problems) {
  for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
    const auto& m = spec.mounts[i];
    auto mp = index_path("mounts", i);
    if (m.destination.empty())
      problems.push_back({child_path(mp, "destination"), "is required"});
    else if (m.destination.front() != '/')
      problems.push_back({child_path(mp, "destination"), "must be an absolute path, got \"" +
                                                             m.destination + "\" (write \"/" +
                                                             m.destination + "\")"});
  }
}

void validate_linux(const Spec& spec, std::vector<Problem>& problems) {
  static const std::set<std::string> types{"pid", "network", "mount",  "ipc",
                                           "uts", "user",    "cgroup", "time"};
  const Linux empty;
  const Linux& l = spec.linux ? *spec.linux : empty;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < l.namespaces.size(); ++i) {
    const auto& ns = l.namespaces[i];
    auto np = index_path("linux.namespaces", i);
    if (!types.count(ns.type))
      problems.push_back(
          {child_path(np, "type"), "unknown namespace type \"" + ns.type +
                                       "\" (pid, network, mount, ipc, uts, user, cgroup, time)"});
    else if (!seen.insert(ns.type).second)
      problems.push_back(
          {child_path(np, "type"), "duplicate namespace \"" + excerpt(ns.type) + "\""});
    if (!ns.path.empty() && ns.path.front() != '/')
      problems.push_back({child_path(np, "path"), "must be an absolute path"});
  }
  // As runc and crun: any uts entry will do, a joined one (path) too; its hostname is then set
  // in that namespace.
  if (!spec.hostname.empty() && !seen.count("uts"))
    problems.push_back(
        {"hostname", "needs a uts namespace: add {\"type\": \"uts\"} to linux.namespaces"});
  for (const auto* name : {"uidMappings", "gidMappings"}) {
    const auto& mappings = std::string(name) == "uidMappings" ? l.uid_mappings : l.gid_mappings;
    for (std::size_t i = 0; i < mappings.size(); ++i) {
      if (mappings[i].size == 0)
        problems.push_back({child_path(index_path(std::string("linux.") + name, i), "size"),
                            "must be greater than 0"});
    }
    if (!mappings.empty() && !seen.count("user"))
      problems.push_back(
          {std::string("linux.") + name, "needs a user namespace in linux.namespaces"});
  }
  if (l.resources) validate_resources(*l.resources, problems);
  for (const auto& [key, value] : l.sysctl) {
    if (key.empty()) problems.push_back({"linux.sysctl", "keys must not be empty"});
  }
  if (l.seccomp) validate_seccomp(*l.seccomp, "linux.seccomp", problems);
}

}  // namespace

void validate_resources(const Resources& r, std::vector<Problem>& problems) {
  if (r.memory) {
    const auto& m = *r.memory;
    if (m.limit && *m.limit == 0)
      problems.push_back(
          {"linux.resources.memory.limit", "must be -1 (unlimited) or greater than 0"});
    // The kernel takes -1 as "no limit"; anything below it is a mistake, not a limit.
    for (const auto& [name, value] : {std::pair{"limit", m.limit},
                                      {"reservation", m.reservation},
                                      {"swap", m.swap},
                                      {"kernel", m.kernel},
                                      {"kernelTCP", m.kernel_tcp}})
      if (value && *value < -1)
        problems.push_back(
            {std::string("linux.resources.memory.") + name,
             "must be -1 (unlimited) or a number of bytes, got " + std::to_string(*value)});
    if (m.limit && m.swap && *m.limit > 0 && *m.swap > 0 && *m.swap < *m.limit)
      problems.push_back(
          {"linux.resources.memory.swap", "memory+swap limit must be at least the memory limit"});
    if (m.swappiness && *m.swappiness > 100)
      problems.push_back({"linux.resources.memory.swappiness", "must be between 0 and 100"});
  }
  if (r.cpu) {
    const auto& c = *r.cpu;
    if (c.quota && (*c.quota == 0 || *c.quota < -1))
      problems.push_back({"linux.resources.cpu.quota", "must be -1 (unlimited) or greater than 0"});
    if (c.realtime_runtime && *c.realtime_runtime < -1)
      problems.push_back(
          {"linux.resources.cpu.realtimeRuntime", "must be -1 (unlimited) or at least 0"});
    if (c.period && *c.period == 0)
      problems.push_back({"linux.resources.cpu.period", "must be greater than 0"});
    if (!c.cpus.empty() && !is_cpu_list(c.cpus))
      problems.push_back({"linux.resources.cpu.cpus",
                          "must be a list such as \"0-3,5\", got \"" + excerpt(c.cpus) + "\""});
    if (!c.mems.empty() && !is_cpu_list(c.mems))
      problems.push_back({"linux.resources.cpu.mems",
                          "must be a list such as \"0-1\", got \"" + excerpt(c.mems) + "\""});
  }
  if (r.pids_limit && *r.pids_limit < -1)
    problems.push_back(
        {"linux.resources.pids.limit",
         "must be -1 (unlimited) or a number of processes, got " + std::to_string(*r.pids_limit)});
  if (r.blkio_weight && (*r.blkio_weight < 10 || *r.blkio_weight > 1000))
    problems.push_back({"linux.resources.blockIO.weight", "must be between 10 and 1000"});
}

std::vector<Problem> validate_spec(const Spec& spec, const std::filesystem::path& bundle) {
  std::vector<Problem> problems;
  validate_version(spec, problems);
  validate_root(spec, bundle, problems);
  if (!spec.process)
    problems.push_back({"process", "is required: the container's init process (args, cwd)"});
  else {
    auto p = validate_process(*spec.process, "process");
    problems.insert(problems.end(), p.begin(), p.end());
  }
  if (!spec.hostname.empty() && !valid_hostname(spec.hostname))
    problems.push_back({"hostname", "\"" + spec.hostname + "\" is not a valid RFC 1123 hostname"});
  validate_mounts(spec, problems);
  validate_linux(spec, problems);
  for (const auto& [key, value] : spec.annotations) {
    if (key.empty()) problems.push_back({"annotations", "keys must not be empty"});
  }
  return problems;
}

}  // namespace nexcage::oci
