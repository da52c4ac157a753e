#pragma once
// The names config.json uses for capabilities and seccomp, as this host's libcap and libseccomp
// know them: one list each, for validating a bundle and for reporting `features`.
#include <set>
#include <string>
#include <vector>

namespace nexcage::oci {

// Every seccomp action the runtime spec names, in `features` order, with the libseccomp API
// level it needs (seccomp_api_get(3): 3 adds KILL_PROCESS and LOG, 5 adds NOTIFY).
struct SeccompAction {
  const char* name;
  unsigned int api_level;
};
const std::vector<SeccompAction>& seccomp_actions();
// The API level `action` needs; 0 when it is not a seccomp action.
unsigned int seccomp_action_level(const std::string& action);
// The actions this host's libseccomp supports.
std::vector<std::string> supported_seccomp_actions();

// SCMP_CMP_*, in `features` order.
const std::set<std::string>& seccomp_operators();

// True when libseccomp knows SCMP_ARCH_<NAME> (its name in lower case).
bool is_known_seccomp_arch(const std::string& oci_name);
// The SCMP_ARCH_* names of the architectures libseccomp knows, from the spec's list.
std::vector<std::string> known_seccomp_archs();

// CAP_* of every capability the running kernel has and libcap names.
std::vector<std::string> capability_names();

}  // namespace nexcage::oci
