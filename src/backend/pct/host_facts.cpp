#include "nexcage/backend/pct/host_facts.hpp"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <climits>
#include <cstdlib>

namespace nexcage::backend::pct {

HostFacts host_facts_for(const oci::Spec& spec) {
  HostFacts facts;
  for (const auto& m : spec.mounts) {
    if (m.source.empty() || m.source.front() != '/' || facts.paths.count(m.source)) continue;
    HostPath host;
    struct stat st {};
    if (::stat(m.source.c_str(), &st) == 0) {
      host.kind = S_ISDIR(st.st_mode)   ? PathKind::directory
                  : S_ISREG(st.st_mode) ? PathKind::file
                                        : PathKind::other;
      char resolved[PATH_MAX];
      if (::realpath(m.source.c_str(), resolved) != nullptr && m.source != resolved)
        host.resolved = resolved;
    }
    facts.paths[m.source] = host;
  }
  // linux.devices is not typed by oci::Spec; its paths are read from the document.
  auto linux = spec.raw.find("linux");
  if (linux == spec.raw.end() || !linux->is_object()) return facts;
  auto devices = linux->find("devices");
  if (devices == linux->end() || !devices->is_array()) return facts;
  for (const auto& d : *devices) {
    auto path = d.is_object() ? d.find("path") : d.end();
    if (path == d.end() || !path->is_string()) continue;
    const auto p = path->get<std::string>();
    if (p.empty() || p.front() != '/' || facts.devices.count(p)) continue;
    HostDevice host;
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) {
      host.kind = S_ISCHR(st.st_mode)   ? DeviceKind::char_device
                  : S_ISBLK(st.st_mode) ? DeviceKind::block_device
                                        : DeviceKind::other;
      host.major = major(st.st_rdev);
      host.minor = minor(st.st_rdev);
    }
    facts.devices[p] = host;
  }
  return facts;
}

}  // namespace nexcage::backend::pct
