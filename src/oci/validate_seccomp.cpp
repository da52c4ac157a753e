#include <seccomp.h>

#include <set>

#include "nexcage/core/json_reader.hpp"
#include "nexcage/core/text.hpp"
#include "nexcage/oci/kernel_names.hpp"
#include "validate_seccomp.hpp"

namespace nexcage::oci {

namespace {

void check_action(const std::string& action, const std::string& path,
                  std::vector<Problem>& problems) {
  unsigned int needed = seccomp_action_level(action);
  if (needed == 0) {
    problems.push_back({path, "unknown seccomp action \"" + excerpt(action) + "\""});
  } else if (seccomp_api_get() < needed) {
    problems.push_back({path, "seccomp action \"" + action +
                                  "\" is not supported by this host's libseccomp (API level " +
                                  std::to_string(seccomp_api_get()) + ")"});
  }
}

// [a-z_][a-z0-9_]*, without std::regex (see valid_hostname in validate_spec.cpp).
bool well_formed_syscall(const std::string& name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

bool errno_allowed(const std::string& action) {
  return action == "SCMP_ACT_ERRNO" || action == "SCMP_ACT_TRACE";
}

}  // namespace

void validate_seccomp(const Seccomp& s, const std::string& path, std::vector<Problem>& problems) {
  static const std::set<std::string> flags{"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                           "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                           "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
  bool notify = false;
  if (s.default_action.empty())
    problems.push_back({child_path(path, "defaultAction"), "is required"});
  else
    check_action(s.default_action, child_path(path, "defaultAction"), problems);
  notify |= s.default_action == "SCMP_ACT_NOTIFY";
  if (s.default_errno_ret && !errno_allowed(s.default_action))
    problems.push_back({child_path(path, "defaultErrnoRet"),
                        "is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"});
  for (std::size_t i = 0; i < s.architectures.size(); ++i) {
    if (!is_known_seccomp_arch(s.architectures[i]))
      problems.push_back({index_path(child_path(path, "architectures"), i),
                          "unknown architecture \"" + excerpt(s.architectures[i]) + "\""});
  }
  for (std::size_t i = 0; i < s.flags.size(); ++i) {
    if (!flags.count(s.flags[i]))
      problems.push_back({index_path(child_path(path, "flags"), i),
                          "unknown seccomp flag \"" + excerpt(s.flags[i]) + "\""});
  }
  for (std::size_t i = 0; i < s.syscalls.size(); ++i) {
    const auto& sc = s.syscalls[i];
    auto sp = index_path(child_path(path, "syscalls"), i);
    if (sc.names.empty())
      problems.push_back({child_path(sp, "names"), "must list at least one syscall"});
    for (std::size_t j = 0; j < sc.names.size(); ++j) {
      if (!well_formed_syscall(sc.names[j]))
        problems.push_back({index_path(child_path(sp, "names"), j),
                            "invalid syscall name \"" + excerpt(sc.names[j]) + "\""});
    }
    if (sc.action.empty())
      problems.push_back({child_path(sp, "action"), "is required"});
    else
      check_action(sc.action, child_path(sp, "action"), problems);
    notify |= sc.action == "SCMP_ACT_NOTIFY";
    if (sc.errno_ret && !errno_allowed(sc.action))
      problems.push_back(
          {child_path(sp, "errnoRet"), "is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"});
    for (std::size_t j = 0; j < sc.args.size(); ++j) {
      auto ap = index_path(child_path(sp, "args"), j);
      if (sc.args[j].index > 5)
        problems.push_back({child_path(ap, "index"), "must be between 0 and 5"});
      if (!seccomp_operators().count(sc.args[j].op))
        problems.push_back(
            {child_path(ap, "op"), "unknown operator \"" + excerpt(sc.args[j].op) + "\""});
    }
  }
  if (notify && s.listener_path.empty())
    problems.push_back({child_path(path, "listenerPath"), "is required with SCMP_ACT_NOTIFY"});
  if (!s.listener_path.empty() && s.listener_path.front() != '/')
    problems.push_back({child_path(path, "listenerPath"), "must be an absolute path"});
}

std::vector<std::string> unknown_syscalls(const Spec& spec) {
  std::vector<std::string> out;
  if (!spec.linux || !spec.linux->seccomp) return out;
  for (const auto& sc : spec.linux->seccomp->syscalls)
    for (const auto& name : sc.names)
      if (well_formed_syscall(name) &&
          seccomp_syscall_resolve_name(name.c_str()) == __NR_SCMP_ERROR)
        out.push_back(name);
  return out;
}

}  // namespace nexcage::oci
