#include "nexcage/backend/pct/host_facts.hpp"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>

namespace nexcage::backend::pct {

HostFacts host_facts_for(const oci::Spec& spec) {
  HostFacts facts;
  for (const auto& m : spec.mounts) {
    if (m.source.empty() || m.source.front() != '/' || facts.paths.count(m.source)) continue;
    HostPath host;
    struct stat st{};
    if (::stat(m.source.c_str(), &st) == 0) {
      host.kind = S_ISDIR(st.st_mode) ? PathKind::directory
                  : S_ISREG(st.st_mode) ? PathKind::file
                                        : PathKind::other;
      char resolved[PATH_MAX];
      if (::realpath(m.source.c_str(), resolved) != nullptr && m.source != resolved)
        host.resolved = resolved;
    }
    facts.paths[m.source] = host;
  }
  return facts;
}

}  // namespace nexcage::backend::pct
