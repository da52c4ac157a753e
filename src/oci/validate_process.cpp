#include <sys/capability.h>

#include <algorithm>
#include <set>

#include "nexcage/core/json_reader.hpp"
#include "nexcage/core/text.hpp"
#include "validate_seccomp.hpp"

namespace nexcage::oci {

namespace {

const std::set<std::string>& rlimit_names() {
  static const std::set<std::string> names{
      "RLIMIT_AS",     "RLIMIT_CORE",   "RLIMIT_CPU",        "RLIMIT_DATA",
      "RLIMIT_FSIZE",  "RLIMIT_LOCKS",  "RLIMIT_MEMLOCK",    "RLIMIT_MSGQUEUE",
      "RLIMIT_NICE",   "RLIMIT_NOFILE", "RLIMIT_NPROC",      "RLIMIT_RSS",
      "RLIMIT_RTPRIO", "RLIMIT_RTTIME", "RLIMIT_SIGPENDING", "RLIMIT_STACK"};
  return names;
}

// OCI spells capabilities "CAP_SYS_ADMIN"; libcap decides whether the name exists.
bool known_capability(const std::string& name) {
  if (name.size() < 5 || name.rfind("CAP_", 0) != 0) return false;
  if (!std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
      }))
    return false;
  cap_value_t value = 0;
  return cap_from_name(name.c_str(), &value) == 0;
}

void check_capability_set(const std::vector<std::string>& names, const std::string& path,
                          std::vector<Problem>& problems) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!known_capability(names[i]))
      problems.push_back({index_path(path, i), "unknown capability \"" + excerpt(names[i]) + "\""});
  }
}

}  // namespace

std::vector<Problem> validate_process(const Process& process, const std::string& prefix) {
  std::vector<Problem> problems;
  auto at = [&](const char* key) { return child_path(prefix, key); };
  if (process.args.empty())
    problems.push_back(
        {at("args"), "must name the program to run (an empty list cannot be executed)"});
  for (std::size_t i = 0; i < process.args.size(); ++i) {
    if (process.args[i].find('\0') != std::string::npos)
      problems.push_back({index_path(at("args"), i), "must not contain a NUL byte"});
  }
  if (!process.args.empty() && process.args[0].empty())
    problems.push_back({index_path(at("args"), 0), "must not be empty"});
  if (process.cwd.empty())
    problems.push_back(
        {at("cwd"), "is required: an absolute path inside the container, e.g. \"/\""});
  else if (process.cwd.front() != '/')
    problems.push_back(
        {at("cwd"), "must be an absolute path, got \"" + excerpt(process.cwd) + "\""});
  for (std::size_t i = 0; i < process.env.size(); ++i) {
    const auto& e = process.env[i];
    auto eq = e.find('=');
    if (eq == std::string::npos || eq == 0)
      problems.push_back(
          {index_path(at("env"), i), "must be KEY=VALUE, got \"" + excerpt(e) + "\""});
    else if (e.find('\0') != std::string::npos)
      problems.push_back({index_path(at("env"), i), "must not contain a NUL byte"});
  }
  if (process.console_size && !process.terminal)
    problems.push_back({at("consoleSize"), "is only valid with \"terminal\": true"});
  if (process.capabilities) {
    auto cp = at("capabilities");
    check_capability_set(process.capabilities->bounding, child_path(cp, "bounding"), problems);
    check_capability_set(process.capabilities->effective, child_path(cp, "effective"), problems);
    check_capability_set(process.capabilities->inheritable, child_path(cp, "inheritable"),
                         problems);
    check_capability_set(process.capabilities->permitted, child_path(cp, "permitted"), problems);
    check_capability_set(process.capabilities->ambient, child_path(cp, "ambient"), problems);
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < process.rlimits.size(); ++i) {
    const auto& r = process.rlimits[i];
    auto rp = index_path(at("rlimits"), i);
    if (!rlimit_names().count(r.type))
      problems.push_back({child_path(rp, "type"), "unknown rlimit \"" + r.type +
                                                      "\" (use RLIMIT_NOFILE, RLIMIT_NPROC, ...)"});
    else if (!seen.insert(r.type).second)
      problems.push_back({child_path(rp, "type"), "duplicate rlimit \"" + excerpt(r.type) + "\""});
    if (r.soft > r.hard)
      problems.push_back({rp, "soft limit " + std::to_string(r.soft) + " is above the hard limit " +
                                  std::to_string(r.hard)});
  }
  if (process.oom_score_adj && (*process.oom_score_adj < -1000 || *process.oom_score_adj > 1000))
    problems.push_back({at("oomScoreAdj"), "must be between -1000 and 1000"});
  return problems;
}

}  // namespace nexcage::oci
