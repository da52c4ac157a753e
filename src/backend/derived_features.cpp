#include "nexcage/backend/derived_features.hpp"

#include <seccomp.h>
#include <sys/capability.h>

#include <string>
#include <vector>

namespace nexcage::backend {

namespace {

std::vector<std::string> capability_names() {
  std::vector<std::string> out;
  for (int cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    char* name = cap_to_name(static_cast<cap_value_t>(cap));
    if (name == nullptr) continue;
    std::string n(name);
    cap_free(name);
    if (n.rfind("cap_", 0) != 0) continue;  // libcap prints unnamed bits as numbers
    for (auto& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(n);
  }
  return out;
}

std::vector<std::string> seccomp_actions() {
  // API levels per seccomp_api_get(3): 3 adds KILL_PROCESS and LOG, 5 adds NOTIFY.
  const unsigned int level = seccomp_api_get();
  std::vector<std::string> out{"SCMP_ACT_ALLOW",       "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
                               "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"};
  if (level >= 3) {
    out.emplace_back("SCMP_ACT_KILL_PROCESS");
    out.emplace_back("SCMP_ACT_LOG");
  }
  if (level >= 5) out.emplace_back("SCMP_ACT_NOTIFY");
  return out;
}

std::vector<std::string> seccomp_archs() {
  std::vector<std::string> out;
  for (const char* arch : {"x86", "x86_64", "x32", "arm", "aarch64", "mips", "mips64", "mips64n32",
                           "mipsel", "mipsel64", "mipsel64n32", "ppc", "ppc64", "ppc64le", "s390",
                           "s390x", "parisc", "parisc64", "riscv64"}) {
    if (seccomp_arch_resolve_name(arch) == 0) continue;
    std::string name = "SCMP_ARCH_";
    for (const char* c = arch; *c; ++c)
      name += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
    out.push_back(name);
  }
  return out;
}

}  // namespace

nlohmann::json derived_features(const std::string& backend, const std::string& version_line) {
  nlohmann::json doc;
  doc["ociVersionMin"] = "1.0.0";
  doc["ociVersionMax"] = "1.0.2";
  doc["hooks"] = {"prestart",       "createRuntime", "createContainer",
                  "startContainer", "poststart",     "poststop"};
  doc["mountOptions"] = {"async",         "atime",       "bind",        "defaults",  "dev",
                         "diratime",      "dirsync",     "exec",        "iversion",  "lazytime",
                         "loud",          "mand",        "noatime",     "nodev",     "nodiratime",
                         "noexec",        "noiversion",  "nolazytime",  "nomand",    "norelatime",
                         "nostrictatime", "nosuid",      "nosymfollow", "private",   "rbind",
                         "relatime",      "remount",     "ro",          "rprivate",  "rshared",
                         "rslave",        "runbindable", "rw",          "shared",    "silent",
                         "slave",         "strictatime", "suid",        "symfollow", "sync",
                         "tmpcopyup",     "unbindable"};
  nlohmann::json linux_doc;
  linux_doc["namespaces"] = {"cgroup", "ipc", "mount", "network", "pid", "user", "uts"};
  linux_doc["capabilities"] = capability_names();
  linux_doc["cgroup"] = {{"v1", true}, {"v2", true}, {"systemd", true}};
  linux_doc["seccomp"] = {
      {"enabled", true},
      {"actions", seccomp_actions()},
      {"operators",
       {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
        "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"}},
      {"archs", seccomp_archs()},
  };
  doc["linux"] = linux_doc;
  doc["annotations"] = {{"org.nexcage.backend", backend},
                        {"org.nexcage.backend.version", version_line},
                        {"org.nexcage.features.derived", "true"}};
  return doc;
}

}  // namespace nexcage::backend
