#include "nexcage/backend/derived_features.hpp"

#include <string>
#include <vector>

#include "nexcage/oci/kernel_names.hpp"

namespace nexcage::backend {

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
  linux_doc["capabilities"] = oci::capability_names();
  linux_doc["cgroup"] = {{"v1", true}, {"v2", true}, {"systemd", true}};
  linux_doc["seccomp"] = {
      {"enabled", true},
      {"actions", oci::supported_seccomp_actions()},
      {"operators", oci::seccomp_operators()},
      {"archs", oci::known_seccomp_archs()},
  };
  doc["linux"] = linux_doc;
  doc["annotations"] = {{"org.nexcage.backend", backend},
                        {"org.nexcage.backend.version", version_line},
                        {"org.nexcage.features.derived", "true"}};
  return doc;
}

}  // namespace nexcage::backend
