#include "nexcage/backend/backend.hpp"

#include "nexcage/cgroup/stats.hpp"
#include "nexcage/core/error.hpp"

namespace nexcage::backend {

std::filesystem::path recorded_backend_root(const state::Record& record) {
  auto it = record.backend_state.find("root");
  if (it == record.backend_state.end() || !it->is_string() || it->get<std::string>().empty() ||
      it->get<std::string>().front() != '/')
    throw Error(ErrorKind::invalid_input,
                "state record of " + record.id + ": backend_state.root is missing or not absolute");
  return it->get<std::string>();
}

nlohmann::json Backend::stats(const state::Record&, int pid) const {
  return cgroup::stats(pid, cgroup::Host::system());
}

}  // namespace nexcage::backend
